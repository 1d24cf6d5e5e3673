//! The `source-not-found` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Reports a `source` that names no file under the sources root, with the
    /// closest existing file name when one is near.
    ///
    /// ## Why it matters
    /// A quote whose source is missing cannot be verified at all; usually the
    /// name is misspelt or the document was never added.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: typo
    ///     source: 000_cb1738fc2468f04.txt   # one character short
    ///     quote: 11 of which are in Italy
    /// ```
    ///
    /// ## How to fix
    /// Correct the path (it is relative to the sources root), or add the
    /// document to the sources root.
    pub static SOURCE_NOT_FOUND = ("source-not-found", Error, "A cited source file does not exist");
}

pub fn diagnostic(claim: &Claim, source: &Text, root: &str, suggestion: Option<&str>) -> Diagnostic {
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("add the document to `{root}`, or correct the path (it is relative to that folder)"),
    };
    Diagnostic::new(&SOURCE_NOT_FOUND, claim.file, source.span(), format!("source `{}` not found in `{root}`", source.value))
        .claim(Some(&claim.id.value))
        .label("no such file")
        .help(help)
}
