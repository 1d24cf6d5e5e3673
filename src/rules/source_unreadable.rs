//! The `source-unreadable` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Reports a cited source that exists but cannot be read as text: it is
    /// not valid UTF-8, it is binary, it is not a `.txt` or `.md` file, or the
    /// system refused to read it. The message says why and where.
    ///
    /// ## Why it matters
    /// citelint compares words; a document it cannot read as text cannot
    /// support any quote.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: scanned
    ///     source: report.pdf
    ///     quote: 54 stations
    /// ```
    ///
    /// ## How to fix
    /// Convert the document to UTF-8 text (`.txt` or `.md`) and cite that
    /// file instead; for an encoding error, re-save the file as UTF-8.
    pub static SOURCE_UNREADABLE = ("source-unreadable", Error, "A cited source cannot be read as text");
}

pub fn diagnostic(claim: &Claim, source: &Text, why: &str) -> Diagnostic {
    Diagnostic::new(&SOURCE_UNREADABLE, claim.file, source.span(), format!("cannot read `{}`: {why}", source.value))
        .claim(Some(&claim.id.value))
        .label("unreadable source")
        .help("convert the document to UTF-8 text (.txt or .md) and cite that file")
}
