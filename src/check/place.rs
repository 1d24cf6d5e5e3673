//! Stage 5, placing: what the search found, in normalised offsets, put in
//! the sources' original texts (kept from the first reading, or read again
//! against the stamp of that reading) and turned into the quote rules'
//! findings, with their fixes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::report::QuoteRef;
use super::search::{Approx, Quotes, Search, Work};
use crate::config::CLOSEST_SIMILARITY;
use crate::diagnostic::Diagnostic;
use crate::load::format::{self, Format};
use crate::load::sources::{Document, Origin};
use crate::load::yaml;
use crate::model::files::Files;
use crate::model::found::{Cited, Near, Passage};
use crate::model::{FileId, Span};
use crate::quote::diff::word_diff;
use crate::quote::exact::Hit;
use crate::quote::normalize::{OffsetMap, normalize};
use crate::rules::{elision_drops_negation, quote_mismatch, quote_not_found, quote_too_short, quote_wrong_source};

/// Places findings in the original texts of the sources: the text kept from
/// the first reading, or else the source read again (once) when a finding
/// first needs it.
pub(super) struct Labels {
    pub(super) placed: BTreeMap<String, Placed>,
    /// The sources registered with the run's files.
    pub(super) doc_files: HashMap<String, FileId>,
    /// The first source found changed since it was searched: its labels
    /// would be wrong, so the run fails.
    pub(super) changed: Option<PathBuf>,
}

/// A searched source as placing needs it: its map and origin, its
/// normalised text let go; or the whole document, while a warm editor
/// session still holds it for the next check.
pub(super) enum Placed {
    Map(OffsetMap, Origin),
    Shared(Arc<Document>),
}

impl Placed {
    fn map(&self) -> &OffsetMap {
        match self {
            Placed::Map(map, _) => map,
            Placed::Shared(doc) => &doc.norm.map,
        }
    }

    fn origin(&self) -> &Origin {
        match self {
            Placed::Map(_, origin) => origin,
            Placed::Shared(doc) => &doc.origin,
        }
    }
}

impl Quotes {
    /// The sources' maps and origins, their normalised texts let go
    /// unless a warm session holds them too.
    pub(super) fn into_labels(self) -> Labels {
        let placed = self
            .docs
            .into_iter()
            .filter_map(|(rel, d)| {
                let placed = match Arc::try_unwrap(d.ok()?) {
                    Ok(doc) => {
                        let (map, origin) = doc.into_map();
                        Placed::Map(map, origin)
                    }
                    Err(shared) => Placed::Shared(shared),
                };
                Some((rel, placed))
            })
            .collect();
        Labels { placed, doc_files: HashMap::new(), changed: None }
    }
}

impl Labels {
    /// Findings for every searched quote; where each quote stands, for
    /// editors (every found quote's place only when `passages` asks).
    pub(super) fn assemble(&mut self, s: &Search, similarity: f64, passages: bool, files: &mut Files) -> (Vec<Diagnostic>, Vec<QuoteRef>) {
        self.read_again(s, passages, files);
        let mut out = Vec::new();
        let mut quote_refs = Vec::new();
        for (i, w) in s.work.iter().enumerate() {
            let c = Cited { claim: w.claim, citation: w.citation, rel: &w.rel };
            let at = |p: &Passage| Some((p.file, p.span));
            let mut quote_ref =
                QuoteRef { file: w.claim.file, quote: w.citation.quote.span(), source: w.citation.source.span(), passage: None };
            if let Some(hit) = &s.exact_cited[i] {
                if passages {
                    quote_ref.passage = Some(self.locate(&w.rel, hit.range(), files));
                }
                out.extend(self.found(&c, w, hit, s.negations.get(&i).map_or(&[], Vec::as_slice), files));
            } else if let Some((rel, hit)) = s.exact_elsewhere.get(&i) {
                let p = self.passage(rel, hit.range(), files);
                quote_ref.passage = at(&p);
                let text = &files.get(w.claim.file).text;
                let mut d = quote_wrong_source::exact(&c, &p);
                d.edits = vec![yaml::scalar_edit(text, &w.citation.source, rel)];
                out.push(d);
            } else if let Some(a) = s.near_cited.get(&i).filter(|a| a.passes(similarity)) {
                let near = self.near(w, &w.rel, a, files);
                quote_ref.passage = at(&near.passage);
                let text = &files.get(w.claim.file).text;
                let mut d = quote_mismatch::diagnostic(&c, &near);
                d.distance = Some(near.distance);
                d.edits = vec![yaml::scalar_edit(text, &w.citation.quote, &near.replacement)];
                out.push(d);
            } else if let Some((rel, a)) = s.near_elsewhere.get(&i) {
                let near = self.near(w, rel, a, files);
                quote_ref.passage = at(&near.passage);
                let text = &files.get(w.claim.file).text;
                let mut d = quote_wrong_source::near(&c, &near);
                d.distance = Some(near.distance);
                d.edits =
                    vec![yaml::scalar_edit(text, &w.citation.source, rel), yaml::scalar_edit(text, &w.citation.quote, &near.replacement)];
                out.push(d);
            } else {
                let closest = s.near_cited.get(&i).filter(|a| a.similarity() >= CLOSEST_SIMILARITY).map(|a| self.near(w, &w.rel, a, files));
                quote_ref.passage = closest.as_ref().and_then(|n| at(&n.passage));
                out.push(quote_not_found::diagnostic(&c, closest.as_ref()));
            }
            quote_refs.push(quote_ref);
        }
        (out, quote_refs)
    }

    /// Gets the original texts of the sources that findings (or, with
    /// `passages`, found quotes) will be placed in: kept, or read again in
    /// parallel. A source missed here is read when first needed.
    pub(super) fn read_again(&mut self, s: &Search, passages: bool, files: &mut Files) {
        let rels = s.placed_in(passages);
        let rels: Vec<&str> = rels.iter().map(String::as_str).filter(|r| !self.doc_files.contains_key(*r)).collect();
        let texts: Vec<Option<Arc<String>>> = rels.par_iter().map(|rel| self.placed[*rel].origin().text()).collect();
        for (rel, text) in rels.into_iter().zip(texts) {
            self.register(rel, text, files);
        }
    }

    /// The source's file in the run's files, read again when not there yet.
    pub(super) fn file(&mut self, rel: &str, files: &mut Files) -> FileId {
        if let Some(&id) = self.doc_files.get(rel) {
            return id;
        }
        let text = self.placed[rel].origin().text();
        self.register(rel, text, files)
    }

    /// Registers a source's original text; one that is no longer what was
    /// searched fails the run (and stands empty, so that no label falls
    /// outside it).
    pub(super) fn register(&mut self, rel: &str, text: Option<Arc<String>>, files: &mut Files) -> FileId {
        let (map, origin) = (self.placed[rel].map(), self.placed[rel].origin());
        let text = text.filter(|t| t.len() == map.orig_len()).unwrap_or_else(|| {
            self.changed.get_or_insert_with(|| origin.path.clone());
            Arc::default()
        });
        let paged = origin.how.format == Format::Pdf;
        let markup = origin.how.format == Format::Html;
        let id = files.add_source(&origin.path, text, origin.how.legacy_encoding(), paged, markup);
        self.doc_files.insert(rel.to_owned(), id);
        id
    }

    /// Findings on a quote that stands in its cited source.
    pub(super) fn found(
        &mut self,
        c: &Cited,
        w: &Work,
        hit: &Hit,
        negations: &[(usize, Range<usize>, String)],
        files: &mut Files,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if too_short(w, hit) {
            let p = self.passage(&w.rel, hit.range(), files);
            out.push(quote_too_short::diagnostic(c, w.parsed.words, &p));
        }
        let Some(reading) = w.parsed.marked.as_ref() else {
            return out;
        };
        for (k, omitted, neg) in negations {
            let piece = &reading.pieces[*k];
            let mark = piece.markup_before.clone().unwrap_or(piece.quote_range());
            let elision = quote_span(w, mark);
            let p = self.passage(&w.rel, omitted.clone(), files);
            out.push(elision_drops_negation::diagnostic(c, elision, &p, neg));
        }
        out
    }

    /// A passage of a source, registering the source with the run's files.
    pub(super) fn passage(&mut self, rel: &str, range: Range<usize>, files: &mut Files) -> Passage {
        let (file, span) = self.locate(rel, range, files);
        let pos = files.get(file).position(span.start);
        Passage { file, rel: rel.to_owned(), span, line: pos.line, column: pos.column, page: pos.page }
    }

    /// Where a normalised range of a source stands in the original (no line
    /// and column: a found quote's place is recorded for every quote, and only
    /// messages need positions).
    pub(super) fn locate(&mut self, rel: &str, range: Range<usize>, files: &mut Files) -> (FileId, Span) {
        let file = self.file(rel, files);
        let text = &files.get(file).text;
        let map = self.placed[rel].map();
        // A source that changed stands empty; the run fails anyway.
        let span = if text.len() == map.orig_len() { map.original_span(text, range) } else { Span::default() };
        (file, span)
    }

    pub(super) fn near(&mut self, w: &Work, rel: &str, a: &Approx, files: &mut Files) -> Near {
        let whole = a.pieces[0].start..a.pieces[a.pieces.len() - 1].end;
        let passage = self.passage(rel, whole, files);
        let how = self.placed[rel].origin().how;
        let mut original = |r: &Range<usize>| {
            let (file, span) = self.locate(rel, r.clone(), files);
            // A fix writes what a reader sees, never the page's markup.
            format::visible_text(how, &files.get(file).text[span.range()])
        };
        let replacement = match (a.reading, &w.parsed.marked) {
            (1, Some(reading)) => {
                let mut s = String::new();
                for (k, (piece, r)) in reading.pieces.iter().zip(&a.pieces).enumerate() {
                    if k > 0 {
                        let mark = piece.markup_before.clone().map_or(String::new(), |m| w.qn.text[m].to_owned());
                        s.push(' ');
                        s.push_str(&mark);
                        s.push(' ');
                    }
                    s.push_str(&original(r));
                }
                s
            }
            _ => original(&a.pieces[0]),
        };
        let quoted = &w.qn.text[w.parsed.trimmed.clone()];
        let diff = word_diff(quoted, &normalize(&replacement).text);
        // Marks at the quote's ends are the writer's (they were ignored in
        // the comparison); the fix keeps them around the source's words.
        let value = &w.citation.quote.value;
        let inner = w.qn.original_span(value, w.parsed.trimmed.clone());
        let replacement = format!("{}{replacement}{}", value[..inner.start].trim_start(), value[inner.end..].trim_end());
        Near { passage, similarity: a.similarity(), distance: a.optimal, diff, replacement }
    }
}

impl Search<'_> {
    /// The sources that findings (or, with `passages`, found quotes) will
    /// be placed in.
    pub(super) fn placed_in(&self, passages: bool) -> BTreeSet<String> {
        let mut rels = BTreeSet::new();
        for (i, w) in self.work.iter().enumerate() {
            let hit = self.exact_cited[i].as_ref();
            let found_with_finding = hit.is_some_and(|h| passages || too_short(w, h) || self.negations.contains_key(&i));
            if found_with_finding || (hit.is_none() && self.near_cited.contains_key(&i)) {
                rels.insert(w.rel.clone());
            }
        }
        rels.extend(self.exact_elsewhere.values().map(|(rel, _)| rel.clone()));
        rels.extend(self.near_elsewhere.values().map(|(rel, _)| rel.clone()));
        rels
    }
}

/// Whether a quote found in its cited source is too short to tell where
/// it comes from: few words, and found more than once.
pub(super) fn too_short(w: &Work, hit: &Hit) -> bool {
    w.parsed.words < quote_too_short::MIN_WORDS && hit.repeated
}

/// The claim-file span of a range of the normalised quote.
pub(super) fn quote_span(w: &Work, r: Range<usize>) -> Span {
    let value = w.qn.original_span(&w.citation.quote.value, r);
    w.citation.quote.span_of(value.range())
}
