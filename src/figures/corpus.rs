//! Figures across the whole corpus: for each key described in
//! `citelint.toml` (`[figures.KEY] counts = "stations", near = ["Italy"]`),
//! the values every source gives: figures that count the key's noun, in a
//! clause that mentions one of its `near` words; where a clause has several,
//! the one nearest to the word.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::figures::figure::{Figure, Kind};
use crate::figures::grammar::{Located, lemma, parse_located};
use crate::quote::normalize::Normalized;

/// What a figure key counts, and the words that place it, for finding its
/// values in every source: `[figures.stations_in_italy] counts = "stations",
/// near = ["Italy", "Italian"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    /// The noun the figure counts (singular or plural).
    pub counts: String,
    /// Words of which one must stand in the figure's clause.
    #[serde(default)]
    pub near: Vec<String>,
}

/// A value a source gives for a key; the figure's span is in the normalised text.
#[derive(Clone, Debug)]
pub struct SourceValue {
    pub key: String,
    pub figure: Figure,
}

/// The values `doc` gives for each key in `specs`. Figures are parsed once
/// for all keys, and only when a `near` word occurs at all.
pub fn scan(doc: &Normalized, specs: &BTreeMap<String, FigureSpec>) -> Vec<SourceValue> {
    let lower = doc.text.to_lowercase();
    // Lower-casing may change lengths (rare letters); positions must agree.
    if lower.len() != doc.text.len() {
        return Vec::new();
    }
    let wanted: Vec<(&String, &FigureSpec)> =
        specs.iter().filter(|(_, s)| s.near.is_empty() || s.near.iter().any(|w| lower.contains(&w.to_lowercase()))).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let located = parse_located(&doc.text, &doc.map.paragraphs);
    let mut out = Vec::new();
    for (key, spec) in wanted {
        let unit = lemma(&spec.counts);
        let near: Vec<String> = spec.near.iter().map(|w| w.to_lowercase()).collect();
        let mut best: BTreeMap<usize, (usize, &Located)> = BTreeMap::new();
        for l in located.iter().filter(|l| l.figure.kind == Kind::Count && l.figure.unit.as_deref() == Some(unit.as_str())) {
            let Some(distance) = nearest(&lower, &l.clause, &near, &l.figure.span) else {
                continue;
            };
            let entry = best.entry(l.clause.start).or_insert((distance, l));
            if distance < entry.0 {
                *entry = (distance, l);
            }
        }
        out.extend(best.into_values().map(|(_, l)| SourceValue { key: key.clone(), figure: l.figure.clone() }));
    }
    out
}

/// The distance from the figure to the nearest `near` word in its clause, if any stands there.
fn nearest(lower: &str, clause: &Range<usize>, near: &[String], span: &Range<usize>) -> Option<usize> {
    if near.is_empty() {
        return Some(0);
    }
    let text = &lower[clause.clone()];
    near.iter()
        .flat_map(|w| text.match_indices(w.as_str()).filter(move |(i, _)| whole_word(text, *i, w.len())).map(|(i, _)| clause.start + i))
        .map(|at| if at >= span.end { at - span.end } else { span.start.saturating_sub(at) })
        .min()
}

fn whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    let after = text[at + len..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::normalize::normalize;

    fn spec(counts: &str, near: &[&str]) -> BTreeMap<String, FigureSpec> {
        BTreeMap::from([("k".to_owned(), FigureSpec { counts: counts.into(), near: near.iter().map(|s| s.to_string()).collect() })])
    }

    fn values(text: &str, counts: &str, near: &[&str]) -> Vec<String> {
        scan(&normalize(text), &spec(counts, near)).into_iter().map(|v| v.figure.text).collect()
    }

    #[test]
    fn finds_the_figure_near_the_word_in_its_clause() {
        let t = "Safeguard Defenders said Monday it had identified 48 other stations, 11 of which are in Italy, with others in Croatia.";
        assert_eq!(values(t, "stations", &["Italy"]), ["11"]);
        let t =
            "Chinese authorities have established 102 overseas police stations in 53 countries, including 11 in Italy, the highest number.";
        assert_eq!(values(t, "stations", &["Italy"]), ["11"]);
        let t = "Dozen of Chinese unofficial police stations across the world \u{2013} four in Italy";
        assert_eq!(values(t, "stations", &["Italy"]), ["four"]);
    }

    #[test]
    fn ignores_other_nouns_and_other_places() {
        let t = "There are 54 overseas police stations in 21 countries around the world.";
        assert!(values(t, "stations", &["Italy"]).is_empty());
        assert_eq!(
            values("Protection Guardian revealed in September that there are 54 stations in 21 countries.", "countries", &["September"]),
            ["21"]
        );
    }
}
