//! Stage 3, the search: every quote looked for, exactly in its cited
//! source, then (for those it misses) exactly in the other sources and
//! approximately. Sources are read and normalised once, grouped so that one
//! pass serves all the quotes that cite a source, in parallel. What it finds
//! is in normalised offsets; `place` puts it in the original texts.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::progress::{Progress, counted};
use crate::diagnostic::Diagnostic;
use crate::load::format::Limits;
use crate::load::sources::{Corpus, Document, SourceError};
use crate::model::{Citation, Claim};
use crate::quote::exact::{self, Hit};
use crate::quote::markup::{self, Gap, Parsed, Reading};
use crate::quote::normalize::{Normalized, normalize};
use crate::quote::{approx, filter};
use crate::rules::{elision_drops_negation, source_not_archived, source_not_found, source_outside_root, source_unreadable};

/// One quote under verification.
pub(super) struct Work<'a> {
    /// Index of the claim among those checked, and of the citation in it.
    pub(super) ci: usize,
    pub(super) k: usize,
    pub(super) claim: &'a Claim,
    pub(super) citation: &'a Citation,
    pub(super) rel: String,
    pub(super) qn: Arc<Normalized>,
    pub(super) parsed: Arc<Parsed>,
}

/// Where each checked claim's quotes stand exactly in their cited sources:
/// the source and the normalised range, by claim and citation.
pub(super) type Passages = Vec<Vec<Option<(String, Range<usize>)>>>;

/// A placement found by the approximate search.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Approx {
    pub(super) pieces: Vec<Range<usize>>,
    pub(super) reading: usize,
    /// The sum of the pieces' optimal distances.
    pub(super) optimal: usize,
    /// The sum of the pieces' lengths.
    pub(super) length: usize,
}

impl Approx {
    /// 1 − edits / the pieces' length: see [`approx::similarity`].
    pub(super) fn similarity(&self) -> f64 {
        approx::similarity(self.optimal, self.length)
    }

    /// Whether the placement is close enough to count as a misquote.
    pub(super) fn passes(&self, threshold: f64) -> bool {
        self.optimal <= approx::max_edits(self.length, threshold)
    }

    /// More similar, or as similar with fewer edits. Readings differ in
    /// length (markup is not matched), so they compare by similarity.
    fn closer_than(&self, other: &Approx) -> bool {
        let (mine, theirs) = (self.similarity(), other.similarity());
        mine > theirs || (mine == theirs && self.optimal < other.optimal)
    }
}

/// The memo's key for a quote.
pub(super) fn memo_key(w: &Work) -> MemoKey {
    MemoKey { rel: w.rel.clone(), quote: w.citation.quote.value.clone() }
}

impl Search<'_> {
    /// What was found for quote `i`.
    pub(super) fn outcome(&self, i: usize) -> Outcome {
        Outcome {
            exact_cited: self.exact_cited[i].clone(),
            exact_elsewhere: self.exact_elsewhere.get(&i).cloned(),
            near_cited: self.near_cited.get(&i).cloned(),
            near_elsewhere: self.near_elsewhere.get(&i).cloned(),
            negations: self.negations.get(&i).cloned().unwrap_or_default(),
        }
    }

    /// Records what an earlier search found for quote `i`.
    fn put(&mut self, i: usize, o: Outcome) {
        self.exact_cited[i] = o.exact_cited;
        if let Some(e) = o.exact_elsewhere {
            self.exact_elsewhere.insert(i, e);
        }
        if let Some(a) = o.near_cited {
            self.near_cited.insert(i, a);
        }
        if let Some(e) = o.near_elsewhere {
            self.near_elsewhere.insert(i, e);
        }
        if !o.negations.is_empty() {
            self.negations.insert(i, o.negations);
        }
    }
}

/// A `source` given as a web address.
pub(super) fn is_url(source: &str) -> bool {
    let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The sources root opened (`None` if it is not a folder), with its
/// sources read and normalised already when they total at most `kept`
/// bytes, all of which are then kept: a small corpus (a hook's, an
/// editor's) is read while the claim files are parsed.
pub(super) fn open_sources(root: &Path, kept: usize, limits: Limits, text_cache: Option<PathBuf>, similarity: f64) -> Option<Quotes> {
    if !root.is_dir() {
        return None;
    }
    let corpus = Corpus::open(root).keeping(kept).limited(limits).caching_text_in(text_cache);
    let docs = if corpus.fits_in(kept as u64) { shared(corpus.read_all(&corpus.listing)) } else { BTreeMap::new() };
    Some(Quotes { corpus: Arc::new(corpus), urls: HashMap::new(), docs, similarity, memo: None })
}

/// Documents read, made shareable with a warm session.
pub(super) fn shared(docs: BTreeMap<String, Result<Document, SourceError>>) -> Docs {
    docs.into_iter().map(|(rel, d)| (rel, d.map(Arc::new))).collect()
}

/// The sources read, by path under the root.
pub(super) type Docs = BTreeMap<String, Result<Arc<Document>, SourceError>>;

/// What a warm session keeps of the search: a quote is not searched
/// again while nothing it depended on changed.
#[derive(Default)]
pub(super) struct Memo {
    /// What the search found for each quote.
    pub(super) outcomes: HashMap<MemoKey, Outcome>,
    /// Quotes normalised and parsed, by their words.
    pub(super) prepared: HashMap<String, (Arc<Normalized>, Arc<Parsed>)>,
    /// What `source` paths resolved to.
    pub(super) resolved: HashMap<String, Result<String, SourceError>>,
}

/// A quote as the memo knows it: its cited source and its words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct MemoKey {
    pub(super) rel: String,
    pub(super) quote: String,
}

/// Everything the search found for one quote.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Outcome {
    pub(super) exact_cited: Option<Hit>,
    pub(super) exact_elsewhere: Option<(String, Hit)>,
    pub(super) near_cited: Option<Approx>,
    pub(super) near_elsewhere: Option<(String, Approx)>,
    pub(super) negations: Vec<(usize, Range<usize>, String)>,
}

impl Outcome {
    /// Whether the outcome depends on its cited source alone: a quote found
    /// there was never looked for elsewhere.
    pub(super) fn cited_only(&self) -> bool {
        self.exact_cited.is_some()
    }
}

/// The search of one run: the sources, read and normalised.
pub(super) struct Quotes {
    pub(super) corpus: Arc<Corpus>,
    /// Cited URLs and the archived copies `citelint.lock` names for them.
    pub(super) urls: HashMap<String, String>,
    pub(super) docs: Docs,
    pub(super) similarity: f64,
    /// What earlier checks found, when a warm session keeps it: quotes
    /// there are not searched again, and what is searched is added.
    pub(super) memo: Option<Memo>,
}

/// What the search found for each quote, in normalised offsets: placed in
/// the original texts once the normalised ones are let go.
pub(super) struct Search<'a> {
    pub(super) work: Vec<Work<'a>>,
    /// Findings on citations whose source cannot be used.
    pub(super) problems: Vec<Diagnostic>,
    /// How many distinct readable sources the quotes cite.
    pub(super) cited_ok: usize,
    pub(super) exact_cited: Vec<Option<Hit>>,
    pub(super) exact_elsewhere: HashMap<usize, (String, Hit)>,
    pub(super) near_cited: HashMap<usize, Approx>,
    pub(super) near_elsewhere: HashMap<usize, (String, Approx)>,
    /// For quotes found in their cited source, the negations their elisions
    /// leave out: the piece after the elision, the omitted range, the negation.
    pub(super) negations: HashMap<usize, Vec<(usize, Range<usize>, String)>>,
    pub(super) passages: Passages,
}

impl Quotes {
    /// Searches for every quote of `claims`: exactly in its cited source,
    /// then, for those not there, exactly elsewhere and approximately.
    pub(super) fn search<'a>(&mut self, claims: &[&'a Claim], progress: &Progress) -> Search<'a> {
        progress.phase(&format!("normalising the quotes of {}", counted(claims.len(), "claim")));
        let mut problems = Vec::new();
        let mut work: Vec<Work> = Vec::new();
        // Many quotes cite one source: each name is resolved (a `realpath`
        // call) once.
        let mut resolved: HashMap<&str, Result<String, SourceError>> = HashMap::new();
        for (ci, claim) in claims.iter().enumerate() {
            for (k, citation) in claim.citations.iter().enumerate() {
                let source = citation.source.value.as_str();
                match resolved.entry(source).or_insert_with(|| self.resolve(source)).clone() {
                    Ok(rel) => {
                        let (qn, parsed) = self.prepare(&citation.quote.value);
                        work.push(Work { ci, k, claim, citation, rel, qn, parsed });
                    }
                    Err(e) => problems.push(self.source_problem(claim, citation, &e)),
                }
            }
        }
        // Quotes searched before (by a warm session, or a run whose
        // outcomes still hold) are not searched again, and their sources
        // are read only if a later stage needs them.
        let memo = self.memo.take();
        let known: Vec<Option<Outcome>> = work.iter().map(|w| memo.as_ref().and_then(|m| m.outcomes.get(&memo_key(w))).cloned()).collect();
        let cited: Vec<String> = work.iter().map(|w| w.rel.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let searched = work.iter().zip(&known).filter(|(_, k)| k.is_none()).map(|(w, _)| w.rel.clone());
        self.read_missing(searched.collect::<BTreeSet<_>>(), progress);
        let (work, known): (Vec<Work>, Vec<Option<Outcome>>) = work
            .into_iter()
            .zip(known)
            .filter(|(w, _)| match self.docs.get(&w.rel) {
                Some(Err(e)) => {
                    problems.push(self.source_problem(w.claim, w.citation, e));
                    false
                }
                _ => true,
            })
            .unzip();
        let cited_ok = cited.iter().filter(|r| !matches!(self.docs.get(*r), Some(Err(_)))).count();

        let fresh: Vec<usize> = (0..work.len()).filter(|&i| known[i].is_none()).collect();
        let mut s = self.find(work, &fresh, progress);
        for (i, o) in known.into_iter().enumerate() {
            if let Some(o) = o {
                s.put(i, o);
            }
        }
        let mut memo = memo;
        if let Some(m) = memo.as_mut() {
            m.outcomes.extend(fresh.iter().map(|&i| (memo_key(&s.work[i]), s.outcome(i))));
        }
        self.memo = memo;
        let mut passages: Passages = claims.iter().map(|c| vec![None; c.citations.len()]).collect();
        for (w, hit) in s.work.iter().zip(&s.exact_cited) {
            passages[w.ci][w.k] = hit.as_ref().map(|h| (w.rel.clone(), h.range()));
        }
        Search { problems, cited_ok, passages, ..s }
    }

    /// The search of the quotes `fresh` (indices into `work`): exactly in
    /// the cited source; then, for those not there, exactly elsewhere and
    /// approximately.
    fn find<'a>(&mut self, work: Vec<Work<'a>>, fresh: &[usize], progress: &Progress) -> Search<'a> {
        // 1. Exact, in the cited source.
        progress.phase(&format!("exact search of {} in their cited sources", counted(fresh.len(), "quote")));
        let exact_cited = self.exact_in_cited(&work, fresh);
        let missing: Vec<usize> = fresh.iter().copied().filter(|&i| exact_cited[i].is_none()).collect();
        // 2. Exact, elsewhere; then 3. and 4., near matches.
        let mut exact_elsewhere = HashMap::new();
        let mut near_cited = HashMap::new();
        let mut near_elsewhere = HashMap::new();
        if !missing.is_empty() {
            self.read_everything(progress);
            progress.phase(&format!("exact search of {} in the other sources", counted(missing.len(), "missed quote")));
            exact_elsewhere = self.exact_elsewhere(&work, &missing);
            let still: Vec<usize> = missing.iter().copied().filter(|i| !exact_elsewhere.contains_key(i)).collect();
            progress.phase("near matches in the cited sources");
            near_cited = self.near_in_cited(&work, &still);
            let weak: Vec<usize> =
                still.iter().copied().filter(|i| near_cited.get(i).is_none_or(|a: &Approx| !a.passes(self.similarity))).collect();
            if !weak.is_empty() {
                progress.phase("near matches in the other sources");
            }
            near_elsewhere = self.near_elsewhere(&work, &weak);
        }
        let negations = self.negations(&work, &exact_cited);
        Search {
            work,
            problems: Vec::new(),
            cited_ok: 0,
            exact_cited,
            exact_elsewhere,
            near_cited,
            near_elsewhere,
            negations,
            passages: Vec::new(),
        }
    }

    /// A quote normalised and its markup parsed; a warm session's memo
    /// keeps them, for quotes it has seen.
    fn prepare(&mut self, quote: &str) -> (Arc<Normalized>, Arc<Parsed>) {
        if let Some(known) = self.memo.as_ref().and_then(|m| m.prepared.get(quote)) {
            return known.clone();
        }
        let qn = normalize(quote);
        let parsed = markup::parse(&qn.text);
        let prepared = (Arc::new(qn), Arc::new(parsed));
        if let Some(m) = self.memo.as_mut() {
            m.prepared.insert(quote.to_owned(), prepared.clone());
        }
        prepared
    }

    /// A `source` value to its path under the root: a URL through the copy
    /// the lock names for it (`check` never goes to the network). A warm
    /// session's memo keeps what paths resolved to, while the listing stands.
    fn resolve(&mut self, source: &str) -> Result<String, SourceError> {
        if !is_url(source) {
            if let Some(known) = self.memo.as_ref().and_then(|m| m.resolved.get(source)) {
                return known.clone();
            }
            let rel = self.corpus.resolve(source);
            if let Some(m) = self.memo.as_mut() {
                m.resolved.insert(source.to_owned(), rel.clone());
            }
            return rel;
        }
        match self.urls.get(source) {
            Some(path) => self.corpus.resolve(path),
            None => Err(SourceError::NotArchived),
        }
    }

    pub(super) fn source_problem(&self, claim: &Claim, citation: &Citation, e: &SourceError) -> Diagnostic {
        let root = crate::model::files::display_name(&self.corpus.root);
        match e {
            SourceError::Outside(why) => source_outside_root::diagnostic(claim, &citation.source, why, &root),
            SourceError::NotFound { suggestion } => source_not_found::diagnostic(claim, &citation.source, &root, suggestion.as_deref()),
            SourceError::Unreadable(why) => source_unreadable::diagnostic(claim, &citation.source, why),
            SourceError::NotArchived => source_not_archived::diagnostic(claim, &citation.source),
        }
    }

    /// Reads the given sources that are not read yet.
    pub(super) fn read_missing(&mut self, rels: impl IntoIterator<Item = String>, progress: &Progress) {
        self.read_unread(rels, "", progress);
    }

    /// Reads the given sources that are not read yet, telling how many
    /// (and `what` they are) to `progress`.
    fn read_unread(&mut self, rels: impl IntoIterator<Item = String>, what: &str, progress: &Progress) {
        let unread: Vec<String> = rels.into_iter().filter(|r| !self.docs.contains_key(r)).collect();
        if !unread.is_empty() {
            progress.phase(&format!("reading and normalising {}{what}", counted(unread.len(), "source")));
        }
        let more = shared(self.corpus.read_all(&unread));
        self.docs.extend(more);
    }

    /// Reads the given sources that are not read yet, for a stage after the
    /// search; one that cannot be read now changed since it was cited
    /// (its path is the error).
    pub(super) fn need(&mut self, rels: BTreeSet<String>, progress: &Progress) -> Result<(), PathBuf> {
        self.read_missing(rels.iter().cloned(), progress);
        match rels.into_iter().find(|r| !matches!(self.docs.get(r), Some(Ok(_)))) {
            Some(rel) => Err(self.corpus.root.join(rel)),
            None => Ok(()),
        }
    }

    /// Reads every source under the root that is not read yet.
    pub(super) fn read_everything(&mut self, progress: &Progress) {
        let listing = Arc::clone(&self.corpus);
        self.read_unread(listing.listing.iter().cloned(), " no quote cites", progress);
    }

    pub(super) fn doc(&self, rel: &str) -> &Document {
        self.docs[rel].as_ref().expect("only readable documents are searched")
    }

    pub(super) fn readable(&self) -> Vec<&Document> {
        self.docs.values().filter_map(|d| d.as_deref().ok()).collect()
    }

    pub(super) fn exact_in_cited(&self, work: &[Work], idx: &[usize]) -> Vec<Option<Hit>> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in idx {
            groups.entry(&work[i].rel).or_default().push(i);
        }
        let found: Vec<(usize, Option<Hit>)> = groups
            .into_par_iter()
            .flat_map_iter(|(rel, idx)| {
                let quotes: Vec<&Parsed> = idx.iter().map(|&i| &*work[i].parsed).collect();
                let hits = exact::find_all(&self.doc(rel).norm, &quotes);
                idx.into_iter().zip(hits)
            })
            .collect();
        let mut out = vec![None; work.len()];
        for (i, h) in found {
            out[i] = h;
        }
        out
    }

    /// The first other source (in path order) where each missing quote stands exactly.
    pub(super) fn exact_elsewhere(&self, work: &[Work], missing: &[usize]) -> HashMap<usize, (String, Hit)> {
        let batch = exact::Batch::new(missing.iter().map(|&i| &*work[i].parsed).collect());
        let per_doc: Vec<Vec<(usize, String, Hit)>> = self
            .readable()
            .into_par_iter()
            .map(|doc| {
                batch
                    .find(&doc.norm, |k| work[missing[k]].rel != doc.rel)
                    .into_iter()
                    .map(|(k, h)| (missing[k], doc.rel.clone(), h))
                    .collect()
            })
            .collect();
        let mut out = HashMap::new();
        for (i, rel, hit) in per_doc.into_iter().flatten() {
            out.entry(i).or_insert((rel, hit));
        }
        out
    }

    pub(super) fn near_in_cited(&self, work: &[Work], idx: &[usize]) -> HashMap<usize, Approx> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in idx {
            groups.entry(&work[i].rel).or_default().push(i);
        }
        groups.into_par_iter().flat_map_iter(|(rel, idx)| near_in(self.doc(rel), work, &idx, self.similarity)).collect()
    }

    /// The best near match of each quote among the other sources, if it passes the threshold.
    pub(super) fn near_elsewhere(&self, work: &[Work], idx: &[usize]) -> HashMap<usize, (String, Approx)> {
        if idx.is_empty() {
            return HashMap::new();
        }
        let per_doc: Vec<Vec<(usize, String, Approx)>> = self
            .readable()
            .into_par_iter()
            .map(|doc| {
                let mine: Vec<usize> = idx.iter().copied().filter(|&i| work[i].rel != doc.rel).collect();
                near_in(doc, work, &mine, self.similarity).into_iter().map(|(i, a)| (i, doc.rel.clone(), a)).collect()
            })
            .collect();
        let mut best: HashMap<usize, (String, Approx)> = HashMap::new();
        for (i, rel, a) in per_doc.into_iter().flatten() {
            if !a.passes(self.similarity) {
                continue;
            }
            if best.get(&i).is_none_or(|(_, b)| a.closer_than(b)) {
                best.insert(i, (rel, a));
            }
        }
        best
    }

    /// The negations left out by the elisions of quotes found in their cited source.
    pub(super) fn negations(&self, work: &[Work], exact_cited: &[Option<Hit>]) -> HashMap<usize, Vec<(usize, Range<usize>, String)>> {
        let mut out: HashMap<usize, Vec<_>> = HashMap::new();
        for (i, (w, hit)) in work.iter().zip(exact_cited).enumerate() {
            // Only the reading with markup has elisions.
            let Some((hit, reading)) = hit.as_ref().filter(|h| h.reading == 1).zip(w.parsed.marked.as_ref()) else {
                continue;
            };
            let text = &self.doc(&w.rel).norm.text;
            for (k, piece) in reading.pieces.iter().enumerate().skip(1) {
                if piece.gap_before != Gap::Elision {
                    continue;
                }
                let omitted = trim_range(text, hit.pieces[k - 1].end..hit.pieces[k].start);
                if let Some(neg) = elision_drops_negation::negation_in(&text[omitted.clone()]) {
                    out.entry(i).or_default().push((k, omitted, neg));
                }
            }
        }
        out
    }
}

/// A range without the white space at its ends.
pub(super) fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    start..(start + s.trim().len())
}

/// Near matches of the given quotes in one document: the literal reading
/// aligned whole, and a reading with markup aligned piece by piece (pieces in
/// order, in one paragraph when elided); the better of the two.
/// Each piece's match is the optimal one whenever a passage within the
/// threshold exists ([`filter::best_matches_within`]).
pub(super) fn near_in(doc: &Document, work: &[Work], idx: &[usize], threshold: f64) -> Vec<(usize, Approx)> {
    let mut patterns: Vec<&str> = Vec::new();
    let mut slots: Vec<(usize, usize, usize)> = Vec::new(); // (work, reading, first pattern)
    for &i in idx {
        for (ri, r) in work[i].parsed.readings().enumerate() {
            slots.push((i, ri, patterns.len()));
            patterns.extend(r.pieces.iter().map(|p| p.text.as_str()));
        }
    }
    let nears = filter::best_matches_within(&doc.norm.text, &patterns, threshold);
    let mut best: BTreeMap<usize, Approx> = BTreeMap::new();
    for (i, ri, first) in slots {
        let reading = work[i].parsed.readings().nth(ri).expect("slot names a reading");
        let Some(a) = combine(doc, reading, ri, &nears[first..first + reading.pieces.len()]) else {
            continue;
        };
        if best.get(&i).is_none_or(|b| a.closer_than(b)) {
            best.insert(i, a);
        }
    }
    best.into_iter().collect()
}

/// Joins the near matches of a reading's pieces, if they stand in order.
pub(super) fn combine(doc: &Document, reading: &Reading, ri: usize, nears: &[Option<approx::Near>]) -> Option<Approx> {
    let nears: Vec<approx::Near> = nears.iter().copied().collect::<Option<_>>()?;
    let paragraph = doc.norm.paragraph_of(nears[0].start);
    let mut optimal = 0;
    let mut length = 0;
    for (k, n) in nears.iter().enumerate() {
        if k > 0 && n.start < nears[k - 1].end {
            return None;
        }
        if reading.pieces.len() > 1 && n.end > paragraph.end {
            return None;
        }
        optimal += n.optimal;
        length += reading.pieces[k].text.len();
    }
    Some(Approx { pieces: nears.iter().map(|n| n.start..n.end).collect(), reading: ri, optimal, length })
}
