//! The `figure-conflict` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related};
use crate::model::{Claim, Span};

declare_rule! {
    /// ## What it does
    /// Reports a figure key whose values disagree across sources: claims
    /// citing different sources give the same `figures:` key values whose
    /// intervals do not meet, or (for keys described in `citelint.toml`) a
    /// source anywhere under the root gives a value that does not meet the
    /// claim's. It is reported on every claim involved, with the other values
    /// and their passages as related locations and the values side by side.
    ///
    /// A value conflicts with another only when every reading of it does
    /// (`230.000` may be 230,000 or 230), and periods are compared by their
    /// ends (`2016-2018` and `2015-19` conflict).
    ///
    /// ## Why it matters
    /// When sources disagree, a writer who cites one of them states a
    /// contested figure as settled. The disagreement is often the story.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: italy-eleven
    ///     source: 000_cb1738fc2468f046.txt
    ///     quote: 48 other stations, 11 of which are in Italy
    ///     figures: { stations_in_italy: 11 }
    ///   - id: italy-four
    ///     source: 003_af07019968d859db.txt
    ///     quote: (4 of whom in Italy in Milan, Turin, Prato and Rome)
    ///     figures: { stations_in_italy: 4 }
    /// ```
    ///
    /// ## How to fix
    /// Say in the claim that sources disagree, or cite the most reliable one
    /// and acknowledge the conflict with `allow: [figure-conflict]` and a
    /// comment saying why.
    pub static FIGURE_CONFLICT = ("figure-conflict", Warning, "Sources disagree on a figure a claim states");
}

/// The diagnostic on `claim`'s value for `key`, with the values it conflicts with.
pub fn diagnostic(claim: &Claim, key: &str, value_span: Span, mine: &str, others: &[(String, Related)]) -> Diagnostic {
    let theirs: Vec<String> = others.iter().map(|(v, r)| format!("{v} ({})", r.message)).collect();
    let first = others.first().map_or(String::new(), |(v, _)| v.clone());
    let mut d = Diagnostic::new(&FIGURE_CONFLICT, claim.file, value_span, format!("`{key}` is {mine} here, but {first} elsewhere"))
        .claim(Some(&claim.id.value))
        .subject(key)
        .label("disputed figure")
        .help(format!(
            "values side by side: {mine} (this claim) | {}; say that sources disagree, or acknowledge it with `allow: [figure-conflict]`",
            theirs.join(" | ")
        ));
    for (_, r) in others {
        d = d.related(r.clone());
    }
    d
}
