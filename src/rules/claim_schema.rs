//! The `claim-schema` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Checks that every claim has the shape citelint reads: a mapping with a
    /// `claims` list, each claim with an `id` and either `source` and `quote`
    /// or a list of `citations`, and no field it does not know.
    ///
    /// ## Why it matters
    /// A misspelt field is silently ignored by most YAML readers; here it
    /// would mean a quote that is never checked. Each problem points at the
    /// exact place, and a misspelt field name gets a suggestion.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: italy-stations
    ///     source: 000_cb1738fc2468f046.txt
    ///     qoute: 11 of which are in Italy   # unknown field: did you mean `quote`?
    /// ```
    ///
    /// ## How to fix
    /// Rename the field as suggested, add the missing field, or give the value
    /// the type named in the message. A claim uses `source` with `quote`, or
    /// `citations`, never both.
    pub static CLAIM_SCHEMA = ("claim-schema", Error, "A claim does not have the expected fields or types");
}

/// A schema problem at `span`.
pub fn diagnostic(file: FileId, span: Span, message: impl Into<String>, label: &str, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&CLAIM_SCHEMA, file, span, message).label(label).help(help)
}
