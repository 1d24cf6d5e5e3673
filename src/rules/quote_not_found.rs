//! The `quote-not-found` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::found::{Cited, Near};

declare_rule! {
    /// ## What it does
    /// Reports a quote that is neither in its cited source nor anywhere else
    /// under the sources root, not even approximately. Where the cited source
    /// has a passage at least half similar, it is shown as the closest passage.
    ///
    /// ## Why it matters
    /// An unsupported quotation is the most serious error a fact-checker can
    /// let through: the words may have been paraphrased, misremembered, or
    /// taken from a document that is not in the corpus.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: invented
    ///     source: 001_02bec644949d209f.txt
    ///     quote: Italy will close every station by January
    /// ```
    ///
    /// ## How to fix
    /// Find the passage the claim rests on and quote it exactly; add the
    /// document it comes from to the sources root; or, if the words are a
    /// paraphrase, drop the quotation and state the claim in your own words.
    pub static QUOTE_NOT_FOUND = ("quote-not-found", Error, "A quote is not in its cited source nor anywhere else");
}

pub fn diagnostic(c: &Cited, closest: Option<&Near>) -> Diagnostic {
    let d = Diagnostic::new(
        &QUOTE_NOT_FOUND,
        c.claim.file,
        c.citation.quote.span(),
        format!("the quote is not in `{}` nor in any other source", c.rel),
    )
    .claim(Some(&c.claim.id.value))
    .subject(&c.citation.quote.value)
    .label("not found");
    match closest {
        None => d.help("find the passage this claim rests on and quote it exactly, or state the claim without quotation"),
        Some(near) => d
            .help(format!(
                "the closest passage is only {}% similar; quote the source exactly or drop the quotation\n  diff: {}",
                (near.similarity * 100.0).floor(),
                near.diff
            ))
            .related(Related {
                kind: RelatedKind::Source,
                file: near.passage.file,
                span: near.passage.span,
                message: format!("closest passage in `{}`", c.rel),
                label: "closest passage".into(),
            }),
    }
}
