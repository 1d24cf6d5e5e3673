//! What the evidence report shows, gathered from a finished report: each
//! claim with its statement, verdict, quotes in their passages and
//! findings, and the findings outside any claim. [`super::html`] renders it.

use std::collections::BTreeMap;

use super::context::{InContext, passage_in_context};
use crate::check::{QuoteRef, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{FileId, Span};
use crate::quote::diff::{Change, word_changes};

/// How much of a passage's paragraph the report shows either side of it (bytes).
const CONTEXT: usize = 360;

/// A claim, as the report shows it.
pub struct ClaimView<'r> {
    pub id: &'r str,
    pub file: &'r str,
    pub line: usize,
    pub statement: Option<&'r str>,
    /// The worst severity among the claim's findings; `None` when clean.
    pub verdict: Option<Severity>,
    pub quotes: Vec<QuoteView<'r>>,
    /// Findings about the claim that are not about one quote (its figures, its schema).
    pub findings: Vec<&'r Diagnostic>,
}

/// A quote with its passage and the findings about it.
pub struct QuoteView<'r> {
    /// Where the quote's value stands in its claim file.
    pub at: Span,
    pub quote: &'r str,
    pub source: &'r str,
    /// The passage in context, where the quote or its closest passage stands.
    pub passage: Option<PassageView<'r>>,
    pub findings: Vec<&'r Diagnostic>,
    /// Word by word, the quote against the source's text, where they differ.
    pub diff: Option<Vec<(Change, String)>>,
}

pub struct PassageView<'r> {
    pub file: &'r str,
    pub place: String,
    pub text: InContext,
}

/// Every claim of the report, and the findings that belong to none.
pub fn gather(report: &Report) -> (Vec<ClaimView<'_>>, Vec<&Diagnostic>) {
    let files = &report.files;
    let mut claims: BTreeMap<(FileId, usize), ClaimView> = BTreeMap::new();
    for c in &report.claims {
        let f = files.get(c.file);
        let view = ClaimView {
            id: &c.id,
            file: &f.name,
            line: f.position(c.start).line,
            statement: c.statement.map(|s| f.slice(s)),
            verdict: None,
            quotes: Vec::new(),
            findings: Vec::new(),
        };
        claims.insert((c.file, c.start), view);
    }
    for q in &report.quotes {
        if let Some(view) = owner(&mut claims, q.file, q.quote.start) {
            view.quotes.push(quote_view(report, q));
        }
    }
    let mut loose = Vec::new();
    for d in &report.diagnostics {
        let Some(view) = owner(&mut claims, d.file, d.span.start) else {
            loose.push(d);
            continue;
        };
        view.verdict = view.verdict.max(Some(d.severity));
        let inside = |at: Span| at.start <= d.span.start && d.span.end <= at.end;
        let quote = view.quotes.iter_mut().find(|v| inside(v.at));
        match quote {
            Some(q) => {
                if let Some(r) = &d.replacement {
                    q.diff = Some(word_changes(q.quote, r));
                }
                q.findings.push(d);
            }
            None => view.findings.push(d),
        }
    }
    // What needs a decision comes first: errors, then warnings, then the rest, each in file order.
    let mut claims: Vec<ClaimView> = claims.into_values().collect();
    claims.sort_by_key(|c| std::cmp::Reverse(c.verdict));
    (claims, loose)
}

/// The claim a place in a claim file belongs to: the last one of its file
/// starting at or before it (ids may repeat, places do not).
fn owner<'m, 'r>(claims: &'m mut BTreeMap<(FileId, usize), ClaimView<'r>>, file: FileId, at: usize) -> Option<&'m mut ClaimView<'r>> {
    claims.range_mut((file, 0)..=(file, at)).next_back().map(|(_, v)| v)
}

fn quote_view<'r>(report: &'r Report, q: &QuoteRef) -> QuoteView<'r> {
    let f = report.files.get(q.file);
    let passage = q.passage.map(|(pf, span)| {
        let sf = report.files.get(pf);
        PassageView { file: &sf.name, place: sf.position(span.start).describe(), text: passage_in_context(sf, span, CONTEXT) }
    });
    QuoteView { at: q.quote, quote: f.slice(q.quote), source: f.slice(q.source), passage, findings: Vec::new(), diff: None }
}
