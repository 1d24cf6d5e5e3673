//! The `figure-unsupported` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::figures::Figure;
use crate::model::{Claim, FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports a figure in a claim's `statement`, or a value in its `figures:`,
    /// that no figure in the claim's quotes supports. A quote's figure
    /// supports a claimed one when both are of the same kind (a count, a
    /// percentage, an amount of money, a year or date, an ordinal), count
    /// the same thing where both say what they count, and every value the
    /// quote allows is one the claim allows: overlap is not support (`more
    /// than $3m` does not say `$30m`; `up to 230,000` does not say `230,000`).
    /// A claimed bound may be looser than the quote's, but less than twice
    /// as loose (`more than 50` for `54` is supported, `more than 5` is not;
    /// `up to £220bn` for `£220m` never). Writing a number out (`two` for `2`),
    /// approximations (`about 50` for `54`, ±10%), rounding at the last
    /// digit written (`13%` for `12.7%`, not `12%`), a share in words
    /// (`three in five` for `60%`) and another name for the same thing
    /// (`people` for `Britons`, `Oscars` for `Academy Awards`) are supported.
    /// Two ranges compare end to end (`between 40 and 60 jobs` is not
    /// `between 40 and 50`), and a score is a pair (`2-1` is not `2-0`).
    ///
    /// ## Why it matters
    /// A quote proves only what it says. A statement that adds or changes a
    /// number goes beyond its evidence even when every quote is exact.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: italy-stations
    ///     statement: Safeguard Defenders counts 12 stations in Italy.   # the quote says 11
    ///     source: 000_cb1738fc2468f046.txt
    ///     quote: 48 other stations, 11 of which are in Italy
    /// ```
    ///
    /// ## How to fix
    /// Correct the figure, or quote the passage that states it; keep the
    /// quote's qualifier (`at least 3`, `up to 230,000`) in a `figures:`
    /// value as in a statement. A count
    /// inherits its noun from its sentence (`48 other stations, 11 of which`
    /// counts stations); quote enough of the sentence for that to hold.
    pub static FIGURE_UNSUPPORTED = ("figure-unsupported", Error, "A figure the claim states is not in its quotes");
}

/// Where the claimed figure stands.
pub enum Claimed<'a> {
    Statement,
    Value { key: &'a str },
}

pub fn diagnostic(
    claim: &Claim,
    file: FileId,
    span: Span,
    figure: &Figure,
    at: Claimed,
    quoted: &[Figure],
    passage: Option<(FileId, Span)>,
) -> Diagnostic {
    let what = match at {
        Claimed::Statement => format!("the statement's figure `{}` is not in the claim's quotes", figure.text),
        Claimed::Value { key } => format!("the figure `{key}: {}` is not in the claim's quotes", figure.text),
    };
    let list = if quoted.is_empty() { "none".to_owned() } else { quoted.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ") };
    let mut d = Diagnostic::new(&FIGURE_UNSUPPORTED, file, span, what)
        .claim(Some(&claim.id.value))
        .subject(&figure.text)
        .label("not supported by the quotes")
        .help(format!("correct the figure or quote the passage that states it; the quotes' figures: {list}"));
    if let Some((f, s)) = passage {
        d = d.related(Related {
            kind: RelatedKind::Source,
            file: f,
            span: s,
            message: "the quoted passage".into(),
            label: format!("figures here: {list}"),
        });
    }
    d
}
