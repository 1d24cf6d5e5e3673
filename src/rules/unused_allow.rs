//! The `unused-allow` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Warns about an `allow` entry that suppresses nothing: the rule it names
    /// reports nothing on that claim.
    ///
    /// ## Why it matters
    /// An acknowledgement outlives its reason: once a quote is fixed or a
    /// figure agrees, a stale `allow` would silently hide the next real
    /// finding of that rule on the claim.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: exact
    ///     source: 000_cb1738fc2468f046.txt
    ///     quote: 48 other stations, 11 of which are in Italy
    ///     allow: [quote-mismatch]     # the quote is exact
    /// ```
    ///
    /// ## How to fix
    /// Remove the entry (and its comment).
    pub static UNUSED_ALLOW = ("unused-allow", Warning, "An allow entry suppresses nothing");
}

pub fn diagnostic(claim: &Claim, entry: &Text) -> Diagnostic {
    Diagnostic::new(
        &UNUSED_ALLOW,
        claim.file,
        entry.span(),
        format!("`allow: {}` suppresses nothing on claim `{}`", entry.value, claim.id.value),
    )
    .claim(Some(&claim.id.value))
    .subject(&entry.value)
    .label("nothing to allow")
    .help("remove this entry; the rule reports nothing on this claim")
}
