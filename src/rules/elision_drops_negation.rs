//! The `elision-drops-negation` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::model::Span;
use crate::model::found::{Cited, Passage};

declare_rule! {
    /// ## What it does
    /// Warns when an elision (`...`) in a quote leaves out a negation: `not`,
    /// `no`, `never`, `nor`, `n't`, `without` or `none`. The label shows the
    /// omitted words in the source.
    ///
    /// ## Why it matters
    /// Eliding a negation turns a statement into its opposite while every
    /// quoted word still stands in the source: "has *not yet* publicly
    /// announced an investigation" becomes "has ... publicly announced an
    /// investigation".
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: flipped
    ///     source: 002_e782db431b287446.txt
    ///     quote: the Italian government is among the very few European countries that has ... publicly announced an investigation
    /// ```
    ///
    /// ## How to fix
    /// Quote the negation, or end the quote before the elision. If the
    /// omission is faithful, acknowledge it with
    /// `allow: [elision-drops-negation]`.
    pub static ELISION_DROPS_NEGATION = ("elision-drops-negation", Warning, "An elision leaves out a negation");
}

/// The negations whose omission changes a statement's meaning.
pub const NEGATIONS: &[&str] = &["not", "no", "never", "nor", "without", "none"];

/// The first negation among `omitted` words, if any (`n't` as a suffix).
pub fn negation_in(omitted: &str) -> Option<String> {
    omitted
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .find(|w| {
            let lower = w.to_lowercase();
            NEGATIONS.contains(&lower.as_str()) || lower.ends_with("n't")
        })
        .map(str::to_owned)
}

pub fn diagnostic(c: &Cited, elision: Span, omitted: &Passage, negation: &str) -> Diagnostic {
    Diagnostic::new(&ELISION_DROPS_NEGATION, c.claim.file, elision, format!("the elision leaves out `{negation}`"))
        .claim(Some(&c.claim.id.value))
        .subject(&c.citation.quote.value)
        .label("leaves out a negation")
        .help(format!("quote `{negation}` or end the quote before the elision; an omitted negation reverses the meaning"))
        .related(Related {
            kind: RelatedKind::Source,
            file: omitted.file,
            span: omitted.span,
            message: format!("the words left out of `{}`", c.rel),
            label: "omitted".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::negation_in;

    #[test]
    fn finds_negations_as_whole_words() {
        assert_eq!(negation_in("has not yet"), Some("not".into()));
        assert_eq!(negation_in("it didn't"), Some("didn't".into()));
        assert_eq!(negation_in("nothing notable"), None);
        assert_eq!(negation_in("knowledge of none"), Some("none".into()));
    }
}
