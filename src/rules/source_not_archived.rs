//! The `source-not-archived` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Reports a `source` given as a URL that `citelint.lock` does not name:
    /// no archived copy of the page stands in the sources root.
    ///
    /// ## Why it matters
    /// `check` never goes to the network: a page on the web can change or
    /// vanish, and a verdict must rest on the bytes that were read. A URL is
    /// cited through the copy `citelint fetch` archived and locked.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: council-libraries
    ///     source: https://example.org/news/libraries   # never fetched
    ///     quote: the council had opened 48 new libraries
    /// ```
    ///
    /// ## How to fix
    /// Run `citelint fetch URL`: it saves the page under the sources root and
    /// records it in `citelint.lock`, and the URL then resolves to that copy.
    pub static SOURCE_NOT_ARCHIVED = ("source-not-archived", Error, "A cited URL has no archived copy");
}

pub fn diagnostic(claim: &Claim, source: &Text) -> Diagnostic {
    Diagnostic::new(&SOURCE_NOT_ARCHIVED, claim.file, source.span(), format!("`{}` is not archived", source.value))
        .claim(Some(&claim.id.value))
        .label("no archived copy")
        .help(format!("run `citelint fetch {}` to archive it, then commit the copy and `citelint.lock`", source.value))
}
