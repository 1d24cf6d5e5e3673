//! The `quote-too-short` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::found::{Cited, Passage};

declare_rule! {
    /// ## What it does
    /// Warns about a quote of fewer than three words that occurs more than
    /// once in its source.
    ///
    /// ## Why it matters
    /// A quote like `police said` proves little: it matches in many places,
    /// so the check cannot tell which passage the claim rests on, and neither
    /// can a reader.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: vague
    ///     source: 002_e782db431b287446.txt
    ///     quote: police stations
    /// ```
    ///
    /// ## How to fix
    /// Quote enough words to pin down the passage, or acknowledge the short
    /// quote with `allow: [quote-too-short]`.
    pub static QUOTE_TOO_SHORT = ("quote-too-short", Warning, "A quote under three words occurs more than once in its source");
}

pub const MIN_WORDS: usize = 3;

pub fn diagnostic(c: &Cited, words: usize, first: &Passage) -> Diagnostic {
    let noun = if words == 1 { "word" } else { "words" };
    Diagnostic::new(
        &QUOTE_TOO_SHORT,
        c.claim.file,
        c.citation.quote.span(),
        format!("the quote has {words} {noun} and occurs more than once in `{}`", c.rel),
    )
    .claim(Some(&c.claim.id.value))
    .subject(&c.citation.quote.value)
    .label("ambiguous quote")
    .help("quote enough words to pin down the passage the claim rests on")
    .related(Related {
        kind: RelatedKind::Source,
        file: first.file,
        span: first.span,
        message: format!("first of several places in `{}`", c.rel),
        label: "one of several matches".into(),
    })
}
