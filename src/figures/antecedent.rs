//! What a count without its own noun counts: its antecedent among the
//! counted figures before it.

use super::figure::Figure;

/// The noun a count without one counts, from the counted figures before it
/// in its sentence: the one noun they count (`48 other stations, 11 of
/// which`); in `A things in B places, including C in X`, the things; none
/// when the antecedent is uncertain (`wrote two reports, ... 120 branches,
/// including 9`), since an unknown unit is compatible with any.
pub(super) fn antecedent(text: &str, fig: &Figure, before: &[&Figure]) -> Option<String> {
    let in_place = text[fig.span.end..].starts_with(" in ");
    if in_place {
        for pair in before.windows(2) {
            let (things, places) = (pair[0], pair[1]);
            if things.unit.is_some() && places.unit.is_some() && text[things.span.end..places.span.start].ends_with(" in ") {
                return things.unit.clone();
            }
        }
    }
    let mut units = before.iter().filter_map(|f| f.unit.as_ref());
    let first = units.next()?;
    units.all(|u| u == first).then(|| first.clone())
}
