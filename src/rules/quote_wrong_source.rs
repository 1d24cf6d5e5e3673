//! The `quote-wrong-source` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::found::{Cited, Near, Passage};

declare_rule! {
    /// ## What it does
    /// Reports a quote that is not in its cited source but stands in another
    /// document under the sources root: word for word, or as a near match
    /// (with a word diff) when the cited source has nothing as close. It
    /// names the file, line and column where the quote really is.
    ///
    /// ## Why it matters
    /// Attributing a quote to the wrong outlet or document misleads readers
    /// about who said what, and a reader who checks the cited source will not
    /// find the words.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: online
    ///     source: 000_cb1738fc2468f046.txt          # POLITICO
    ///     quote: All that we have found is based on what can be found online  # Reuters
    /// ```
    ///
    /// ## How to fix
    /// Change `source` to the document named in the message, or find the
    /// passage in the cited source that supports the claim.
    pub static QUOTE_WRONG_SOURCE = ("quote-wrong-source", Error, "A quote stands in another source than the one cited");
}

pub fn exact(c: &Cited, found: &Passage) -> Diagnostic {
    Diagnostic::new(
        &QUOTE_WRONG_SOURCE,
        c.claim.file,
        c.citation.source.span(),
        format!("the quote is not in `{}`; it is in `{}` at {}", c.rel, found.rel, found.place()),
    )
    .claim(Some(&c.claim.id.value))
    .subject(&c.citation.quote.value)
    .label("cited source")
    .help(format!("change `source` to `{}`", found.rel))
    .related(Related {
        kind: RelatedKind::Source,
        file: found.file,
        span: found.span,
        message: format!("the quote stands in `{}`", found.rel),
        label: "quoted passage".into(),
    })
}

pub fn near(c: &Cited, near: &Near) -> Diagnostic {
    let pct = (near.similarity * 100.0).floor();
    let found = &near.passage;
    Diagnostic::new(
        &QUOTE_WRONG_SOURCE,
        c.claim.file,
        c.citation.quote.span(),
        format!("the quote is not in `{}`; a passage {pct}% similar is in `{}` at {}", c.rel, found.rel, found.place()),
    )
    .claim(Some(&c.claim.id.value))
    .subject(&c.citation.quote.value)
    .label("not in the cited source")
    .help(format!("change `source` to `{}` and use its exact words: \"{}\"\n  diff: {}", found.rel, near.replacement, near.diff))
    .related(Related {
        kind: RelatedKind::Source,
        file: found.file,
        span: found.span,
        message: format!("`{}` says", found.rel),
        label: "closest passage".into(),
    })
    .with_replacement(&near.replacement)
}
