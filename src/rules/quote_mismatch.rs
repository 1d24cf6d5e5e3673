//! The `quote-mismatch` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::found::{Cited, Near};

declare_rule! {
    /// ## What it does
    /// Reports a quote that is not in its cited source word for word, when
    /// the source has a passage close to it (similarity at least 0.8 by
    /// default, `similarity` in `citelint.toml`). It shows a word diff of the
    /// quote against the source and offers the source's exact text.
    ///
    /// ## Why it matters
    /// A quotation mark promises the reader the source's exact words. A
    /// changed figure, a dropped word or a paraphrase inside quotation marks
    /// is a misquote, however small.
    ///
    /// Allowed changes are not reported: typography (curly quotes, dashes,
    /// white space), the case of the first letter, elisions (`...`),
    /// bracketed insertions (`[the ministry]`) and `[sic]`.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: italy-stations
    ///     source: 000_cb1738fc2468f046.txt
    ///     quote: 48 other stations, 12 of which are in Italy   # the source says 11
    /// ```
    ///
    /// ## How to fix
    /// Replace the quote with the source's exact words (the replacement in
    /// the help, or `replacement` in JSON output), or mark your changes with
    /// an elision or a bracketed insertion.
    pub static QUOTE_MISMATCH = ("quote-mismatch", Error, "A quote differs from the passage of its cited source");
}

pub fn diagnostic(c: &Cited, near: &Near) -> Diagnostic {
    let pct = (near.similarity * 100.0).floor();
    Diagnostic::new(&QUOTE_MISMATCH, c.claim.file, c.citation.quote.span(), format!("the quote differs from `{}` ({pct}% similar)", c.rel))
        .claim(Some(&c.claim.id.value))
        .subject(&c.citation.quote.value)
        .label("not the source's words")
        .help(format!("use the source's exact words: \"{}\"\n  diff: {}", near.replacement, near.diff))
        .related(Related {
            kind: RelatedKind::Source,
            file: near.passage.file,
            span: near.passage.span,
            message: format!("the source `{}` says", c.rel),
            label: "closest passage".into(),
        })
        .with_replacement(&near.replacement)
}
