//! The check itself: load the claim files and sources, verify every quote,
//! and return the findings. Pure: it reads files and never prints.
//!
//! Verdicts for each quote, in this order: found in the cited source; found
//! exactly in another source (`quote-wrong-source`); a near match in the
//! cited source (`quote-mismatch`); a near match in another source
//! (`quote-wrong-source`); otherwise `quote-not-found`, with the closest
//! passage of the cited source when there is one.
//!
//! For scale, quotes are grouped by source; each source is read and
//! normalised once; exact search runs first for all quotes of a source in one
//! pass; only the quotes it misses go on to the other sources and to the
//! approximate search; sources are processed in parallel.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CLOSEST_SIMILARITY, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::load::claims;
use crate::load::sources::{Corpus, Document, SourceError, decode};
use crate::model::{Citation, Claim, FileId, Span};
use crate::quote::approx;
use crate::quote::diff::word_diff;
use crate::quote::exact::{self, Hit};
use crate::quote::markup::{self, Gap, Parsed, Reading};
use crate::quote::normalize::{Normalized, normalize};
use crate::rules::{
    duplicate_id, elision_drops_negation, quote_mismatch, quote_not_found, quote_too_short, quote_wrong_source, source_not_found,
    source_outside_root, source_unreadable, yaml_syntax,
};

/// What to check, beyond the configuration.
#[derive(Debug, Default, Clone)]
pub struct CheckOptions {
    /// Claim files or folders to report on; empty means the configured ones.
    pub paths: Vec<PathBuf>,
    /// Overrides the configured sources root.
    pub sources: Option<PathBuf>,
    /// Overrides the configured similarity threshold.
    pub similarity: Option<f64>,
}

/// Why a check could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("`{0}` does not exist")]
    PathNotFound(PathBuf),
    #[error("the sources root `{0}` does not exist")]
    NoSourcesRoot(PathBuf),
    #[error("`--similarity` must be above 0 and at most 1, found {0}")]
    BadSimilarity(f64),
}

/// The outcome of a check.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// Counts for the last line of the output.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub claims: usize,
    pub files: usize,
    pub sources: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// A citation being verified, as the rules see it.
pub struct Cited<'a> {
    pub claim: &'a Claim,
    pub citation: &'a Citation,
    /// The cited source, relative to the root.
    pub rel: &'a str,
}

/// A passage of a source document.
#[derive(Clone, Debug)]
pub struct Passage {
    pub file: FileId,
    pub rel: String,
    pub span: Span,
    pub line: usize,
    pub column: usize,
}

/// A near match, ready to show.
#[derive(Clone, Debug)]
pub struct Near {
    pub passage: Passage,
    pub similarity: f64,
    pub diff: String,
    pub replacement: String,
}

/// One quote under verification.
struct Work<'a> {
    claim: &'a Claim,
    citation: &'a Citation,
    rel: String,
    qn: Normalized,
    parsed: Parsed,
}

/// A placement found by the approximate search.
#[derive(Clone, Debug)]
struct Approx {
    pieces: Vec<Range<usize>>,
    reading: usize,
    similarity: f64,
}

/// Runs a check.
pub fn check(config: &Config, opts: &CheckOptions) -> Result<Report, RunError> {
    let similarity = opts.similarity.unwrap_or_else(|| config.similarity());
    if !(similarity > 0.0 && similarity <= 1.0) {
        return Err(RunError::BadSimilarity(similarity));
    }
    let explicit = !opts.paths.is_empty();
    let configured = config.claims();
    let reported_paths = expand(if explicit { &opts.paths } else { &configured }, true)?;
    let key = |p: &PathBuf| p.canonicalize().unwrap_or_else(|_| p.clone());
    let reported_keys: HashSet<PathBuf> = reported_paths.iter().map(key).collect();
    // Checks that span files (duplicate ids) see the whole repository, in one
    // order whichever files are named, so "first" and "later" do not depend
    // on the command line.
    let mut all_paths = reported_paths.clone();
    if explicit {
        all_paths.extend(expand(&configured, false)?.into_iter().filter(|p| !reported_keys.contains(&key(p))));
    }
    all_paths.sort_by_key(|p| files_order(&key(p)));
    all_paths.dedup_by_key(|p| key(p));

    let mut files = Files::default();
    let mut diagnostics = Vec::new();
    let texts: Vec<(PathBuf, Result<String, String>)> = all_paths
        .par_iter()
        .map(|p| {
            let text = std::fs::read(p)
                .map_err(|e| e.to_string())
                .and_then(|b| decode(&b).map_err(|e| e.to_string()));
            (p.clone(), text)
        })
        .collect();
    let mut ids = Vec::new();
    let mut reported = HashSet::new();
    for (path, text) in texts {
        let id = files.add(&path, Arc::from(text.as_deref().unwrap_or("")));
        if reported_keys.contains(&key(&path)) {
            reported.insert(id);
        }
        if let Err(why) = text {
            let d = Diagnostic::new(
                &yaml_syntax::YAML_SYNTAX,
                id,
                Span::default(),
                format!("cannot read the claim file: {why}"),
            )
            .label("unreadable")
            .help("save the claim file as UTF-8 text");
            diagnostics.push(d);
            continue;
        }
        ids.push(id);
    }
    let loaded: Vec<claims::Loaded> = ids.par_iter().map(|&id| claims::load(id, files.get(id))).collect();
    let mut all_claims = Vec::new();
    for l in loaded {
        diagnostics.extend(l.diagnostics);
        all_claims.extend(l.claims);
    }
    diagnostics.extend(duplicate_ids(&all_claims));

    let checked: Vec<&Claim> = all_claims.iter().filter(|c| reported.contains(&c.file)).collect();
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    let cited_sources = if checked.iter().any(|c| !c.citations.is_empty()) {
        if !root.is_dir() {
            return Err(RunError::NoSourcesRoot(root));
        }
        let mut q = Quotes {
            corpus: Corpus::open(&root),
            docs: BTreeMap::new(),
            doc_files: HashMap::new(),
            similarity,
        };
        let (d, n) = q.verify(&checked, &mut files);
        diagnostics.extend(d);
        n
    } else {
        0
    };

    let diagnostics = finish(config, diagnostics, &all_claims, &reported, &files);
    let mut summary = Summary {
        claims: checked.len(),
        files: reported.len(),
        sources: cited_sources,
        ..Summary::default()
    };
    for d in &diagnostics {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
            Severity::Off => {}
        }
    }
    Ok(Report {
        files,
        diagnostics,
        summary,
    })
}

/// Applies configured severities and `allow` lists, keeps the findings of
/// the reported files, and sorts them by place.
fn finish(config: &Config, diagnostics: Vec<Diagnostic>, claims: &[Claim], reported: &HashSet<FileId>, files: &Files) -> Vec<Diagnostic> {
    let allowed: HashMap<(FileId, &str), &Claim> = claims.iter().map(|c| ((c.file, c.id.value.as_str()), c)).collect();
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| reported.contains(&d.file))
        .filter(|d| {
            !d.claim
                .as_deref()
                .and_then(|id| allowed.get(&(d.file, id)))
                .is_some_and(|c| c.allows(d.rule.name))
        })
        .filter_map(|mut d| {
            d.severity = config.severity(d.rule);
            (d.severity != Severity::Off).then_some(d)
        })
        .collect();
    out.sort_by(|a, b| {
        (files.get(a.file).name.as_str(), a.span.start, a.rule.name).cmp(&(files.get(b.file).name.as_str(), b.span.start, b.rule.name))
    });
    out
}

/// The order claim files are read in: by path, folder by folder.
fn files_order(canonical: &Path) -> Vec<String> {
    canonical
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// Claim files under the given paths (files as given, folders searched for
/// `.yaml` and `.yml`), sorted within each folder.
fn expand(paths: &[PathBuf], must_exist: bool) -> Result<Vec<PathBuf>, RunError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk_yaml(p, &mut found);
            found.sort();
            out.extend(found);
        } else if must_exist {
            return Err(RunError::PathNotFound(p.clone()));
        }
    }
    let mut seen = HashSet::new();
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn walk_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk_yaml(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(path);
        }
    }
}

fn duplicate_ids(claims: &[Claim]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Claim> = HashMap::new();
    let mut out = Vec::new();
    for c in claims {
        match first.get(c.id.value.as_str()) {
            Some(f) => out.push(duplicate_id::diagnostic(c, f)),
            None => {
                first.insert(&c.id.value, c);
            }
        }
    }
    out
}

/// The quote verification of one run.
struct Quotes {
    corpus: Corpus,
    docs: BTreeMap<String, Result<Arc<Document>, SourceError>>,
    doc_files: HashMap<String, FileId>,
    similarity: f64,
}

impl Quotes {
    /// Verifies every citation of `claims`; returns the findings and how many
    /// distinct sources they cite.
    fn verify(&mut self, claims: &[&Claim], files: &mut Files) -> (Vec<Diagnostic>, usize) {
        let mut out = Vec::new();
        let mut work: Vec<Work> = Vec::new();
        for claim in claims {
            for citation in &claim.citations {
                match self.corpus.resolve(&citation.source.value) {
                    Ok(rel) => {
                        let qn = normalize(&citation.quote.value);
                        let parsed = markup::parse(&qn.text);
                        work.push(Work {
                            claim,
                            citation,
                            rel,
                            qn,
                            parsed,
                        });
                    }
                    Err(e) => out.push(self.source_problem(claim, citation, &e)),
                }
            }
        }
        let cited: Vec<String> = work
            .iter()
            .map(|w| w.rel.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        self.docs = self.corpus.read_all(&cited);
        work.retain(|w| match &self.docs[&w.rel] {
            Ok(_) => true,
            Err(e) => {
                out.push(self.source_problem(w.claim, w.citation, e));
                false
            }
        });
        let cited_ok = cited.iter().filter(|r| self.docs[*r].is_ok()).count();

        // 1. Exact, in the cited source.
        let exact_cited = self.exact_in_cited(&work);
        let missing: Vec<usize> = (0..work.len()).filter(|&i| exact_cited[i].is_none()).collect();
        // 2. Exact, elsewhere; then 3. and 4., near matches.
        let mut exact_elsewhere = HashMap::new();
        let mut near_cited = HashMap::new();
        let mut near_elsewhere = HashMap::new();
        if !missing.is_empty() {
            let others: Vec<String> = self
                .corpus
                .listing
                .iter()
                .filter(|r| !self.docs.contains_key(*r))
                .cloned()
                .collect();
            let more = self.corpus.read_all(&others);
            self.docs.extend(more);
            exact_elsewhere = self.exact_elsewhere(&work, &missing);
            let still: Vec<usize> = missing.iter().copied().filter(|i| !exact_elsewhere.contains_key(i)).collect();
            near_cited = self.near_in_cited(&work, &still);
            let weak: Vec<usize> = still
                .iter()
                .copied()
                .filter(|i| near_cited.get(i).is_none_or(|a: &Approx| a.similarity < self.similarity))
                .collect();
            near_elsewhere = self.near_elsewhere(&work, &weak);
        }

        for (i, w) in work.iter().enumerate() {
            let c = Cited {
                claim: w.claim,
                citation: w.citation,
                rel: &w.rel,
            };
            if let Some(hit) = &exact_cited[i] {
                out.extend(self.found(&c, w, hit, files));
            } else if let Some((rel, hit)) = exact_elsewhere.get(&i) {
                let p = self.passage(rel, hit.range(), files);
                out.push(quote_wrong_source::exact(&c, &p));
            } else if let Some(a) = near_cited.get(&i).filter(|a| a.similarity >= self.similarity) {
                let near = self.near(w, &w.rel, a, files);
                out.push(quote_mismatch::diagnostic(&c, &near));
            } else if let Some((rel, a)) = near_elsewhere.get(&i) {
                let near = self.near(w, rel, a, files);
                out.push(quote_wrong_source::near(&c, &near));
            } else {
                let closest = near_cited
                    .get(&i)
                    .filter(|a| a.similarity >= CLOSEST_SIMILARITY)
                    .map(|a| self.near(w, &w.rel, a, files));
                out.push(quote_not_found::diagnostic(&c, closest.as_ref()));
            }
        }
        (out, cited_ok)
    }

    fn source_problem(&self, claim: &Claim, citation: &Citation, e: &SourceError) -> Diagnostic {
        let root = crate::files::display_name(&self.corpus.root);
        match e {
            SourceError::Outside(why) => source_outside_root::diagnostic(claim, &citation.source, why, &root),
            SourceError::NotFound { suggestion } => source_not_found::diagnostic(claim, &citation.source, &root, suggestion.as_deref()),
            SourceError::Unreadable(why) => source_unreadable::diagnostic(claim, &citation.source, why),
        }
    }

    fn doc(&self, rel: &str) -> &Document {
        self.docs[rel].as_ref().expect("only readable documents are searched")
    }

    fn readable(&self) -> Vec<&Arc<Document>> {
        self.docs.values().filter_map(|d| d.as_ref().ok()).collect()
    }

    fn exact_in_cited(&self, work: &[Work]) -> Vec<Option<Hit>> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, w) in work.iter().enumerate() {
            groups.entry(&w.rel).or_default().push(i);
        }
        let found: Vec<(usize, Option<Hit>)> = groups
            .into_par_iter()
            .flat_map_iter(|(rel, idx)| {
                let quotes: Vec<&Parsed> = idx.iter().map(|&i| &work[i].parsed).collect();
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
    fn exact_elsewhere(&self, work: &[Work], missing: &[usize]) -> HashMap<usize, (String, Hit)> {
        let batch = exact::Batch::new(missing.iter().map(|&i| &work[i].parsed).collect());
        let per_doc: Vec<Vec<(usize, String, Hit)>> = self
            .readable()
            .into_par_iter()
            .map(|doc| {
                let hits = batch.find(&doc.norm, |k| work[missing[k]].rel != doc.rel);
                hits.into_iter()
                    .enumerate()
                    .filter_map(|(k, h)| h.map(|h| (missing[k], doc.rel.clone(), h)))
                    .collect()
            })
            .collect();
        let mut out = HashMap::new();
        for (i, rel, hit) in per_doc.into_iter().flatten() {
            out.entry(i).or_insert((rel, hit));
        }
        out
    }

    fn near_in_cited(&self, work: &[Work], idx: &[usize]) -> HashMap<usize, Approx> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in idx {
            groups.entry(&work[i].rel).or_default().push(i);
        }
        groups
            .into_par_iter()
            .flat_map_iter(|(rel, idx)| near_in(self.doc(rel), work, &idx))
            .collect()
    }

    /// The best near match of each quote among the other sources, if it passes the threshold.
    fn near_elsewhere(&self, work: &[Work], idx: &[usize]) -> HashMap<usize, (String, Approx)> {
        if idx.is_empty() {
            return HashMap::new();
        }
        let per_doc: Vec<Vec<(usize, String, Approx)>> = self
            .readable()
            .into_par_iter()
            .map(|doc| {
                let mine: Vec<usize> = idx.iter().copied().filter(|&i| work[i].rel != doc.rel).collect();
                near_in(doc, work, &mine)
                    .into_iter()
                    .map(|(i, a)| (i, doc.rel.clone(), a))
                    .collect()
            })
            .collect();
        let mut best: HashMap<usize, (String, Approx)> = HashMap::new();
        for (i, rel, a) in per_doc.into_iter().flatten() {
            if a.similarity < self.similarity {
                continue;
            }
            if best.get(&i).is_none_or(|(_, b)| a.similarity > b.similarity) {
                best.insert(i, (rel, a));
            }
        }
        best
    }

    /// Findings on a quote that stands in its cited source.
    fn found(&mut self, c: &Cited, w: &Work, hit: &Hit, files: &mut Files) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if w.parsed.words < quote_too_short::MIN_WORDS && hit.repeated {
            let p = self.passage(&w.rel, hit.range(), files);
            out.push(quote_too_short::diagnostic(c, w.parsed.words, &p));
        }
        let Some(reading) = (hit.reading == 1).then_some(w.parsed.marked.as_ref()).flatten() else {
            return out;
        };
        for (k, piece) in reading.pieces.iter().enumerate().skip(1) {
            if piece.gap_before != Gap::Elision {
                continue;
            }
            let omitted = trim_range(&self.doc(&w.rel).norm.text, hit.pieces[k - 1].end..hit.pieces[k].start);
            let text = &self.doc(&w.rel).norm.text[omitted.clone()];
            let Some(neg) = elision_drops_negation::negation_in(text) else {
                continue;
            };
            let mark = piece.markup_before.clone().unwrap_or(piece.quote_range());
            let elision = quote_span(w, mark);
            let p = self.passage(&w.rel, omitted, files);
            out.push(elision_drops_negation::diagnostic(c, elision, &p, &neg));
        }
        out
    }

    /// A passage of a source, registering the source with the run's files.
    fn passage(&mut self, rel: &str, range: Range<usize>, files: &mut Files) -> Passage {
        let doc = Arc::clone(self.docs[rel].as_ref().expect("only readable documents have passages"));
        let file = *self
            .doc_files
            .entry(rel.to_owned())
            .or_insert_with(|| files.add(&doc.path, Arc::clone(&doc.text)));
        let span = doc.norm.original_span(&doc.text, range);
        let pos = files.get(file).position(span.start);
        Passage {
            file,
            rel: rel.to_owned(),
            span,
            line: pos.line,
            column: pos.column,
        }
    }

    fn near(&mut self, w: &Work, rel: &str, a: &Approx, files: &mut Files) -> Near {
        let doc = Arc::clone(self.docs[rel].as_ref().expect("near matches are in readable documents"));
        let whole = a.pieces[0].start..a.pieces[a.pieces.len() - 1].end;
        let passage = self.passage(rel, whole, files);
        let original = |r: &Range<usize>| doc.text[doc.norm.original_span(&doc.text, r.clone()).range()].to_owned();
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
        let replacement = format!(
            "{}{replacement}{}",
            value[..inner.start].trim_start(),
            value[inner.end..].trim_end()
        );
        Near {
            passage,
            similarity: a.similarity,
            diff,
            replacement,
        }
    }
}

/// A range without the white space at its ends.
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    start..(start + s.trim().len())
}

/// The claim-file span of a range of the normalised quote.
fn quote_span(w: &Work, r: Range<usize>) -> Span {
    let value = w.qn.original_span(&w.citation.quote.value, r);
    w.citation.quote.span_of(value.range())
}

/// Near matches of the given quotes in one document: the literal reading
/// aligned whole, and a reading with markup aligned piece by piece (pieces in
/// order, in one paragraph when elided); the better of the two.
fn near_in(doc: &Document, work: &[Work], idx: &[usize]) -> Vec<(usize, Approx)> {
    let mut patterns: Vec<&str> = Vec::new();
    let mut slots: Vec<(usize, usize, usize)> = Vec::new(); // (work, reading, first pattern)
    for &i in idx {
        for (ri, r) in work[i].parsed.readings().enumerate() {
            slots.push((i, ri, patterns.len()));
            patterns.extend(r.pieces.iter().map(|p| p.text.as_str()));
        }
    }
    let nears = approx::best_matches(&doc.norm.text, &patterns);
    let mut best: BTreeMap<usize, Approx> = BTreeMap::new();
    for (i, ri, first) in slots {
        let reading = work[i].parsed.readings().nth(ri).expect("slot names a reading");
        let Some(a) = combine(doc, reading, ri, &nears[first..first + reading.pieces.len()]) else {
            continue;
        };
        if best.get(&i).is_none_or(|b| a.similarity > b.similarity) {
            best.insert(i, a);
        }
    }
    best.into_iter().collect()
}

/// Joins the near matches of a reading's pieces, if they stand in order.
fn combine(doc: &Document, reading: &Reading, ri: usize, nears: &[Option<approx::Near>]) -> Option<Approx> {
    let nears: Vec<approx::Near> = nears.iter().copied().collect::<Option<_>>()?;
    let paragraph = doc.norm.paragraph_of(nears[0].start);
    let mut distance = 0;
    let mut longest = 0;
    for (k, n) in nears.iter().enumerate() {
        if k > 0 && n.start < nears[k - 1].end {
            return None;
        }
        if reading.pieces.len() > 1 && n.end > paragraph.end {
            return None;
        }
        distance += n.distance;
        longest += reading.pieces[k].text.len().max(n.end - n.start);
    }
    let similarity = 1.0 - distance as f64 / longest.max(1) as f64;
    Some(Approx {
        pieces: nears.iter().map(|n| n.start..n.end).collect(),
        reading: ri,
        similarity,
    })
}
