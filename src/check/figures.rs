//! Stage 4, figures: what `figure-unsupported` and `figure-conflict`
//! compare. The figures of the quotes' passages and the keyed values of
//! every source are read while the normalised texts are held (during the
//! search); the checks run once the findings can be placed.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use super::place::Labels;
use super::progress::Progress;
use super::search::{Passages, Quotes};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Related, RelatedKind};
use crate::figures::corpus::{self, SourceValue};
use crate::figures::{Figure, grammar};
use crate::model::files::Files;
use crate::model::{Claim, FigureEntry, Span, Text};
use crate::quote::normalize::normalize;
use crate::rules::{claim_schema, figure_conflict, figure_unsupported};

/// What `figure-unsupported` compares for a claim: the figures it states
/// (with their spans in the claim file) and those of its quotes' passages.
pub(super) struct ClaimFigures {
    pub(super) stated: Vec<(Figure, Span)>,
    pub(super) quoted: Vec<Figure>,
    /// The first quote's passage, where the label in the source goes.
    pub(super) first: (String, Range<usize>),
}

impl Quotes {
    /// The figures of each checked claim that states some and whose quotes
    /// all stand in their sources (a quote that does not stand is reported
    /// already; its figures prove nothing).
    /// The sources of those passages are read here if the search did not
    /// need them; one that cannot be read now changed since it was cited
    /// (its path is the error).
    pub(super) fn claim_figures(
        &mut self,
        checked: &[&Claim],
        passages: &Passages,
        progress: &Progress,
    ) -> Result<Vec<Option<ClaimFigures>>, std::path::PathBuf> {
        // Each claim's statement is parsed for figures: many claims, on every core.
        let stated: Vec<Option<Vec<(Figure, Span)>>> = checked
            .par_iter()
            .zip(passages)
            .map(|(claim, found)| {
                if found.iter().any(Option::is_none) {
                    return None;
                }
                let stated: Vec<(Figure, Span)> = claim.statement.as_ref().map(text_figures).unwrap_or_default();
                // Most claims state no figure: their passages need no reading.
                (!stated.is_empty() || !claim.figures.is_empty()).then_some(stated)
            })
            .collect();
        let rels = stated.iter().zip(passages).filter(|(s, _)| s.is_some()).flat_map(|(_, found)| found.iter().flatten());
        self.need(rels.map(|(rel, _)| rel.clone()).collect(), progress)?;
        let figures = stated
            .into_par_iter()
            .zip(passages)
            .map(|(stated, found)| {
                let stated = stated?;
                let found: Vec<(String, Range<usize>)> = found.iter().flatten().cloned().collect();
                let quoted = found.iter().flat_map(|(rel, r)| self.figures_in(rel, r.clone())).collect();
                Some(ClaimFigures { stated, quoted, first: found.into_iter().next()? })
            })
            .collect();
        Ok(figures)
    }

    /// The figures of a source passage, read in their paragraph so that a
    /// count can take its noun from its sentence.
    pub(super) fn figures_in(&self, rel: &str, range: Range<usize>) -> Vec<Figure> {
        let doc = self.doc(rel);
        let para = doc.norm.paragraph_of(range.start).start..doc.norm.paragraph_of(range.end.saturating_sub(1)).end;
        grammar::parse_located(&doc.norm.text[para.clone()], &[])
            .into_iter()
            .map(|l| {
                let mut f = l.figure;
                f.span = f.span.start + para.start..f.span.end + para.start;
                f
            })
            .filter(|f| f.span.start >= range.start && f.span.end <= range.end)
            .collect()
    }

    /// Every source's values for the keys described in the config.
    pub(super) fn corpus_values(&mut self, config: &Config, progress: &Progress) -> Vec<(String, SourceValue)> {
        let specs = config.figures();
        if specs.is_empty() {
            return Vec::new();
        }
        self.read_everything(progress);
        progress.phase("reading the keyed figures of every source");
        let docs = self.readable();
        docs.par_iter().flat_map_iter(|d| corpus::scan(&d.norm, specs).into_iter().map(|v| (d.rel.clone(), v))).collect()
    }
}

/// The figure checks of a run: statements and `figures:` values against the
/// quotes' figures, and keyed values across claims and sources. They run
/// after the search, on figures read from the sources during it.
pub(super) struct FigurePhase<'r> {
    pub(super) labels: &'r mut Labels,
    pub(super) files: &'r mut Files,
}

/// A claim's value for a figure key.
pub(super) struct KeyValue<'c> {
    pub(super) claim: &'c Claim,
    pub(super) entry: &'c FigureEntry,
    pub(super) figure: Figure,
    pub(super) sources: Vec<String>,
}

impl FigurePhase<'_> {
    /// `figure-unsupported` for each checked claim whose quotes all stand in their sources.
    pub(super) fn unsupported(&mut self, checked: &[&Claim], figures: &[Option<ClaimFigures>]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (claim, figures) in checked.iter().zip(figures) {
            let Some(ClaimFigures { stated, quoted, first: (rel, range) }) = figures else {
                continue;
            };
            let passage = self.labels.passage(rel, range.clone(), self.files);
            let at = Some((passage.file, passage.span));
            for (fig, span) in stated {
                if !quoted.iter().any(|q| q.supports(fig)) {
                    let claimed = figure_unsupported::Claimed::Statement;
                    out.push(figure_unsupported::diagnostic(claim, claim.file, *span, fig, claimed, quoted, at));
                }
            }
            for entry in &claim.figures {
                let Some(fig) = value_figure(&entry.value) else {
                    out.push(unreadable_value(claim, entry));
                    continue;
                };
                if !quoted.iter().any(|q| q.supports(&fig)) {
                    let at_value = figure_unsupported::Claimed::Value { key: &entry.key.value };
                    out.push(figure_unsupported::diagnostic(claim, claim.file, entry.value.span(), &fig, at_value, quoted, at));
                }
            }
        }
        out
    }

    /// `figure-conflict` on every claim whose keyed value disagrees with
    /// another claim's (citing other sources) or with a source's (`corpus`).
    pub(super) fn conflicts(&mut self, claims: &[&Claim], corpus: &[(String, SourceValue)]) -> Vec<Diagnostic> {
        let values = keyed_values(claims);
        let mut out = Vec::new();
        for a in &values {
            let mut others: Vec<(String, Related)> = Vec::new();
            for b in values.iter().filter(|b| b.entry.key.value == a.entry.key.value && b.sources != a.sources) {
                if a.figure.conflicts(&b.figure) {
                    let related = Related {
                        kind: RelatedKind::Claim,
                        file: b.claim.file,
                        span: b.entry.value.span(),
                        message: format!("claim `{}`, citing {}", b.claim.id.value, b.sources.join(", ")),
                        label: b.figure.text.clone(),
                    };
                    others.push((b.figure.text.clone(), related));
                }
            }
            let mut seen = HashSet::new();
            for (rel, v) in corpus.iter().filter(|(rel, v)| v.key == a.entry.key.value && !a.sources.contains(rel)) {
                if a.figure.conflicts(&v.figure) && seen.insert((rel.clone(), v.figure.text.clone())) {
                    let p = self.labels.passage(rel, v.figure.span.clone(), self.files);
                    let related = Related {
                        kind: RelatedKind::Source,
                        file: p.file,
                        span: p.span,
                        message: match p.page {
                            Some(page) => format!("`{rel}` at page {page}, line {}", p.line),
                            None => format!("`{rel}` at line {}", p.line),
                        },
                        label: v.figure.text.clone(),
                    };
                    others.push((v.figure.text.clone(), related));
                }
            }
            if !others.is_empty() {
                out.push(figure_conflict::diagnostic(a.claim, &a.entry.key.value, a.entry.value.span(), &a.figure.text, &others));
            }
        }
        out
    }
}

/// The figures of a statement, with their spans in the claim file.
pub(super) fn text_figures(t: &Text) -> Vec<(Figure, Span)> {
    let n = normalize(&t.value);
    grammar::parse(&n.text)
        .into_iter()
        .map(|f| {
            let value_span = n.original_span(&t.value, f.span.clone());
            (f, t.span_of(value_span.range()))
        })
        .collect()
}

/// The figure a `figures:` value states.
pub(super) fn value_figure(t: &Text) -> Option<Figure> {
    grammar::parse(&normalize(&t.value).text).into_iter().next()
}

pub(super) fn unreadable_value(claim: &Claim, entry: &FigureEntry) -> Diagnostic {
    claim_schema::diagnostic(
        claim.file,
        entry.value.span(),
        format!("`{}: {}` is not a figure citelint can read", entry.key.value, entry.value.value),
        "not a figure",
        "write the figure as it is stated, e.g. `11`, `at least 11`, `330,000`, `2016-2018`",
    )
    .claim(Some(&claim.id.value))
}

/// Every claim's readable `figures:` values, with the sources each claim cites.
pub(super) fn keyed_values<'c>(claims: &[&'c Claim]) -> Vec<KeyValue<'c>> {
    let mut out = Vec::new();
    for &claim in claims {
        let mut sources: Vec<String> = claim.citations.iter().map(|c| c.source.value.trim_start_matches("./").to_owned()).collect();
        sources.sort();
        sources.dedup();
        for entry in &claim.figures {
            if let Some(figure) = value_figure(&entry.value) {
                out.push(KeyValue { claim, entry, figure, sources: sources.clone() });
            }
        }
    }
    out
}
