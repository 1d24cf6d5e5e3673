//! The `source-outside-root` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Reports a `source` that is an absolute path, climbs out of the sources
    /// root with `..`, or resolves through a symbolic link to a file outside
    /// the root. The file is never opened.
    ///
    /// ## Why it matters
    /// The sources root is the corpus the claims are checked against. A claim
    /// that reaches outside it cites something nobody else can see, and a
    /// claim file from an untrusted branch must not make citelint read
    /// arbitrary files.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: escape
    ///     source: ../../etc/passwd
    ///     quote: root
    /// ```
    ///
    /// ## How to fix
    /// Copy the document into the sources root and cite it by its path
    /// relative to the root.
    pub static SOURCE_OUTSIDE_ROOT = ("source-outside-root", Error, "A source path leaves the sources root");
}

pub fn diagnostic(claim: &Claim, source: &Text, why: &str, root: &str) -> Diagnostic {
    Diagnostic::new(&SOURCE_OUTSIDE_ROOT, claim.file, source.span(), format!("`{}` is outside the sources root: {why}", source.value))
        .claim(Some(&claim.id.value))
        .label("outside the sources root")
        .help(format!("copy the document into `{root}` and cite it by its path relative to that folder"))
}
