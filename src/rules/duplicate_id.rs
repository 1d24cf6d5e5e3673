//! The `duplicate-id` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::Claim;

declare_rule! {
    /// ## What it does
    /// Reports a claim whose `id` was already used by an earlier claim, in the
    /// same file or in any other claim file of the repository.
    ///
    /// ## Why it matters
    /// Ids are how findings, baselines and cross-references name a claim. Two
    /// claims with one id make every one of those ambiguous.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: italy-stations
    ///     source: a.txt
    ///     quote: 11 of which are in Italy
    ///   - id: italy-stations        # used above
    ///     source: b.txt
    ///     quote: Italy hosts 11 Chinese police stations
    /// ```
    ///
    /// ## How to fix
    /// Give the later claim an id of its own. Ids are unique across every
    /// claim file checked.
    pub static DUPLICATE_ID = ("duplicate-id", Error, "Two claims share one id");
}

/// The diagnostic on `later`, with a label on `first`.
pub fn diagnostic(later: &Claim, first: &Claim) -> Diagnostic {
    Diagnostic::new(&DUPLICATE_ID, later.file, later.id.span(), format!("the id `{}` is already used", later.id.value))
        .claim(Some(&later.id.value))
        .label("used again here")
        .help("give this claim an id of its own; ids are unique across all claim files")
        .related(Related {
            kind: RelatedKind::Claim,
            file: first.file,
            span: first.id.span(),
            message: format!("`{}` is first used here", first.id.value),
            label: "first used here".into(),
        })
}
