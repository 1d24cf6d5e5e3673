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
//!
//! The search sees only normalised texts. Once it is done (and the figure
//! checks have read what they need), those are let go and the sources that
//! findings name are read again, against the stamp of the first reading, to
//! place labels: a large corpus is never held twice.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CLOSEST_SIMILARITY, Config};
use crate::diagnostic::{Diagnostic, Related, RelatedKind, Severity};
use crate::figures::corpus::{self, SourceValue};
use crate::figures::{Figure, grammar};
use crate::files::Files;
use crate::fix;
use crate::load::claims;
use crate::load::sources::{Corpus, Document, Origin, SourceError, decode};
use crate::model::{Citation, Claim, FigureEntry, FileId, Span, Text};
use crate::quote::approx;
use crate::quote::diff::word_diff;
use crate::quote::exact::{self, Hit};
use crate::quote::markup::{self, Gap, Parsed, Reading};
use crate::quote::normalize::{Normalized, OffsetMap, normalize};
use crate::rules::{
    self, claim_schema, duplicate_id, elision_drops_negation, figure_conflict, figure_unsupported, quote_mismatch, quote_not_found,
    quote_too_short, quote_wrong_source, source_not_found, source_outside_root, source_unreadable, unused_allow, yaml_syntax,
};

/// Bytes of sources' original text kept from their first reading by
/// default: a source a hook or an editor checks is placed without being
/// read twice, and a large corpus costs only this much more.
pub const KEPT_SOURCES: usize = 16 << 20;

/// What to check, beyond the configuration.
#[derive(Debug, Default, Clone)]
pub struct CheckOptions {
    /// Claim files or folders to report on; empty means the configured ones.
    pub paths: Vec<PathBuf>,
    /// Overrides the configured sources root.
    pub sources: Option<PathBuf>,
    /// Overrides the configured similarity threshold.
    pub similarity: Option<f64>,
    /// Claim files whose text is given rather than read (an editor's unsaved buffers).
    pub overlays: Vec<(PathBuf, String)>,
    /// Told what the run is doing, phase by phase (a progress display).
    pub progress: Progress,
    /// Record where every quote stands, found or not ([`Report::quotes`]),
    /// for editors. Off, only findings are placed, and a source none of
    /// them names is not read again.
    pub passages: bool,
    /// Bytes of sources' original text kept from their first reading, for
    /// placing findings; a source beyond is read again. `None` is
    /// [`KEPT_SOURCES`].
    pub kept_sources: Option<usize>,
}

/// A receiver of phase names; the check calls it and never prints.
#[derive(Clone, Default)]
pub struct Progress(Option<PhaseFn>);

type PhaseFn = Arc<dyn Fn(&str) + Send + Sync>;

impl Progress {
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(f)))
    }
    pub fn phase(&self, what: &str) {
        if let Some(f) = &self.0 {
            f(what);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Progress(on)" } else { "Progress(off)" })
    }
}

/// Why a check could not run at all (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error("`{0}` does not exist")]
    #[diagnostic(code(citelint::run), help("check the paths given on the command line and in citelint.toml"))]
    PathNotFound(PathBuf),
    #[error("the sources root `{0}` does not exist")]
    #[diagnostic(code(citelint::run), help("check the paths given on the command line and in citelint.toml"))]
    NoSourcesRoot(PathBuf),
    #[error("`--similarity` must be above 0 and at most 1, found {0}")]
    #[diagnostic(code(citelint::run), help("give a similarity such as 0.85"))]
    BadSimilarity(f64),
    /// Findings place their labels by reading a source again; one that
    /// changed since it was searched would get labels in the wrong places.
    #[error("the source `{0}` changed while citelint was checking it")]
    #[diagnostic(code(citelint::run), help("check again once the source is saved"))]
    SourceChanged(PathBuf),
}

/// The outcome of a check.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// The claims checked (in the reported files), in file order.
    pub claims: Vec<ClaimRef>,
    /// Where each checked quote stands (exactly, or its closest passage). A
    /// quote found in its cited source has its passage only when
    /// [`CheckOptions::passages`] asks for it.
    pub quotes: Vec<QuoteRef>,
}

/// A quote and the passage it was found at, for editors (hover, go to definition).
#[derive(Debug, Clone)]
pub struct QuoteRef {
    pub file: FileId,
    /// The quote's value and the `source` value in the claim file.
    pub quote: Span,
    pub source: Span,
    /// The passage: the source document (registered in the report's files) and the span.
    pub passage: Option<(FileId, Span)>,
}

impl Report {
    /// Counts the findings by severity again (after a baseline or fixes removed some).
    pub fn recount(&mut self) {
        let s = &mut self.summary;
        (s.errors, s.warnings, s.infos) = (0, 0, 0);
        for d in &self.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
                Severity::Off => {}
            }
        }
    }
}

/// A checked claim, for outputs that list claims (JUnit).
#[derive(Debug, Clone)]
pub struct ClaimRef {
    pub file: FileId,
    pub id: String,
    pub start: usize,
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
    /// With a baseline: findings it covered, and its entries that matched nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_baseline: Option<usize>,
    /// With `--fix`: findings fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
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
    /// The least edit distance between the quote and the source around the passage.
    pub distance: usize,
    pub diff: String,
    pub replacement: String,
}

/// One quote under verification.
struct Work<'a> {
    /// Index of the claim among those checked, and of the citation in it.
    ci: usize,
    k: usize,
    claim: &'a Claim,
    citation: &'a Citation,
    rel: String,
    qn: Normalized,
    parsed: Parsed,
}

/// Where each checked claim's quotes stand exactly in their cited sources:
/// the source and the normalised range, by claim and citation.
type Passages = Vec<Vec<Option<(String, Range<usize>)>>>;

/// A placement found by the approximate search.
#[derive(Clone, Debug)]
struct Approx {
    pieces: Vec<Range<usize>>,
    reading: usize,
    similarity: f64,
    /// The sum of the pieces' optimal distances.
    optimal: usize,
}

/// Runs a check.
pub fn check(config: &Config, opts: &CheckOptions) -> Result<Report, RunError> {
    let similarity = opts.similarity.unwrap_or_else(|| config.similarity());
    if !(similarity > 0.0 && similarity <= 1.0) {
        return Err(RunError::BadSimilarity(similarity));
    }
    opts.progress.phase("reading claim files");
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    let kept = opts.kept_sources.unwrap_or(KEPT_SOURCES);
    let (claim_set, sources) = rayon::join(|| load_claims(config, opts), || open_sources(&root, kept, similarity));
    let ClaimSet { mut files, mut diagnostics, claims: all_claims, reported } = claim_set?;
    let checked: Vec<&Claim> = all_claims.iter().filter(|c| reported.contains(&c.file)).collect();
    let keyed = !config.figures().is_empty() && all_claims.iter().any(|c| !c.figures.is_empty());
    let mut quotes = Vec::new();
    let cited_sources = if checked.iter().any(|c| !c.citations.is_empty()) || keyed {
        let Some(mut q) = sources else {
            return Err(RunError::NoSourcesRoot(root));
        };
        let mut search = q.search(&checked, &opts.progress);
        // What the figure checks read in the sources is read now: the
        // normalised texts are let go before findings are placed.
        opts.progress.phase("reading the figures of the quotes' passages");
        let claim_figures = q.claim_figures(&checked, &search.passages);
        let corpus = if keyed { q.corpus_values(config, &opts.progress) } else { Vec::new() };
        let mut labels = q.into_labels();
        opts.progress.phase("placing the findings");
        let (d, found) = labels.assemble(&search, similarity, opts.passages, &mut files);
        diagnostics.append(&mut search.problems);
        diagnostics.extend(d);
        quotes = found;
        opts.progress.phase("checking figures");
        let mut figures = FigurePhase { labels: &mut labels, files: &mut files };
        diagnostics.extend(figures.unsupported(&checked, &claim_figures));
        diagnostics.extend(figures.conflicts(&all_claims, &corpus));
        if let Some(path) = labels.changed {
            return Err(RunError::SourceChanged(path));
        }
        search.cited_ok
    } else {
        0
    };

    let diagnostics = finish(config, diagnostics, &all_claims, &reported, &files);
    let summary = Summary { claims: checked.len(), files: reported.len(), sources: cited_sources, ..Summary::default() };
    let claims = checked.iter().map(|c| ClaimRef { file: c.file, id: c.id.value.clone(), start: c.span.start }).collect();
    let mut report = Report { files, diagnostics, summary, claims, quotes };
    report.recount();
    Ok(report)
}

/// The sources root opened (`None` if it is not a folder), with its
/// sources read and normalised already when they total at most `kept`
/// bytes, all of which are then kept: a small corpus (a hook's, an
/// editor's) is read while the claim files are parsed.
fn open_sources(root: &Path, kept: usize, similarity: f64) -> Option<Quotes> {
    if !root.is_dir() {
        return None;
    }
    let corpus = Corpus::open(root).keeping(kept);
    let docs = if corpus.fits_in(kept as u64) { corpus.read_all(&corpus.listing) } else { BTreeMap::new() };
    Some(Quotes { corpus, docs, similarity })
}

/// Every file a run may read: the claim files and every source under the
/// root (for the run cache's key), in a stable order.
pub fn inputs(config: &Config, opts: &CheckOptions) -> Result<Vec<PathBuf>, RunError> {
    let configured = config.claims();
    let mut files = expand(if opts.paths.is_empty() { &configured } else { &opts.paths }, true)?;
    files.extend(expand(&configured, false)?);
    files.sort();
    files.dedup();
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    if root.is_dir() {
        files.extend(Corpus::open(&root).listing.iter().map(|rel| root.join(rel)));
    }
    Ok(files)
}

/// The claim files of a run, read and validated.
struct ClaimSet {
    files: Files,
    diagnostics: Vec<Diagnostic>,
    claims: Vec<Claim>,
    /// The files whose findings are reported.
    reported: HashSet<FileId>,
}

/// Reads every claim file: the named ones (reported) and the configured ones
/// (seen by checks that span files).
fn load_claims(config: &Config, opts: &CheckOptions) -> Result<ClaimSet, RunError> {
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
            let overlay = opts.overlays.iter().find(|(o, _)| key(o) == key(p)).map(|(_, t)| Ok(t.clone()));
            let text =
                overlay.unwrap_or_else(|| std::fs::read(p).map_err(|e| e.to_string()).and_then(|b| decode(b).map_err(|e| e.to_string())));
            (p.clone(), text)
        })
        .collect();
    let mut ids = Vec::new();
    let mut reported = HashSet::new();
    for (path, text) in texts {
        let (text, unreadable) = match text {
            Ok(text) => (text, None),
            Err(why) => (String::new(), Some(why)),
        };
        let id = files.add(&path, Arc::new(text));
        if reported_keys.contains(&key(&path)) {
            reported.insert(id);
        }
        if let Some(why) = unreadable {
            let d = Diagnostic::new(&yaml_syntax::YAML_SYNTAX, id, Span::default(), format!("cannot read the claim file: {why}"))
                .label("unreadable")
                .help("save the claim file as UTF-8 text");
            diagnostics.push(d);
            continue;
        }
        ids.push(id);
    }
    let loaded: Vec<claims::Loaded> = ids.par_iter().map(|&id| claims::load(id, files.get(id))).collect();
    let mut all_claims = Vec::with_capacity(loaded.iter().map(|l| l.claims.len()).sum());
    for l in loaded {
        diagnostics.extend(l.diagnostics);
        all_claims.extend(l.claims);
    }
    diagnostics.extend(duplicate_ids(&all_claims, &reported));

    Ok(ClaimSet { files, diagnostics, claims: all_claims, reported })
}

/// Applies `allow` lists (reporting the entries that suppress nothing) and
/// configured severities, keeps the findings of the reported files, and
/// sorts them by place.
fn finish(config: &Config, diagnostics: Vec<Diagnostic>, claims: &[Claim], reported: &HashSet<FileId>, files: &Files) -> Vec<Diagnostic> {
    let by_id: HashMap<(FileId, &str), &Claim> = claims.iter().map(|c| ((c.file, c.id.value.as_str()), c)).collect();
    let mut used: HashSet<(FileId, String, &'static str)> = HashSet::new();
    let mut kept: Vec<Diagnostic> = Vec::new();
    for d in diagnostics.into_iter().filter(|d| reported.contains(&d.file)) {
        let claim = d.claim.as_deref().and_then(|id| by_id.get(&(d.file, id)));
        if let Some(c) = claim.filter(|c| c.allows(d.rule.name)) {
            used.insert((c.file, c.id.value.clone(), d.rule.name));
            continue;
        }
        kept.push(d);
    }
    for c in claims.iter().filter(|c| reported.contains(&c.file)) {
        for entry in &c.allow {
            let rule = rules::by_name(&entry.value).expect("allow entries name rules");
            // A rule turned off in the config has nothing to suppress by design.
            if config.severity(rule) == Severity::Off || used.contains(&(c.file, c.id.value.clone(), rule.name)) {
                continue;
            }
            kept.push(unused_allow::diagnostic(c, entry));
        }
    }
    let mut out: Vec<Diagnostic> = kept
        .into_iter()
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
    canonical.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
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

/// `duplicate-id` on each later use of an id. When only some files are
/// reported (a pre-commit run), a clash between a reported file and another
/// is reported on the reported side, whichever comes first: the change that
/// introduced it is the one to hear about it.
fn duplicate_ids(claims: &[Claim], reported: &HashSet<FileId>) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Claim> = HashMap::new();
    let mut out = Vec::new();
    for c in claims {
        match first.get(c.id.value.as_str()) {
            Some(f) if !reported.contains(&c.file) && reported.contains(&f.file) => out.push(duplicate_id::diagnostic(f, c)),
            Some(f) => out.push(duplicate_id::diagnostic(c, f)),
            None => {
                first.insert(&c.id.value, c);
            }
        }
    }
    out
}

/// The search of one run: the sources, read and normalised.
struct Quotes {
    corpus: Corpus,
    docs: BTreeMap<String, Result<Document, SourceError>>,
    similarity: f64,
}

/// What the search found for each quote, in normalised offsets: placed in
/// the original texts once the normalised ones are let go.
struct Search<'a> {
    work: Vec<Work<'a>>,
    /// Findings on citations whose source cannot be used.
    problems: Vec<Diagnostic>,
    /// How many distinct readable sources the quotes cite.
    cited_ok: usize,
    exact_cited: Vec<Option<Hit>>,
    exact_elsewhere: HashMap<usize, (String, Hit)>,
    near_cited: HashMap<usize, Approx>,
    near_elsewhere: HashMap<usize, (String, Approx)>,
    /// For quotes found in their cited source, the negations their elisions
    /// leave out: the piece after the elision, the omitted range, the negation.
    negations: HashMap<usize, Vec<(usize, Range<usize>, String)>>,
    passages: Passages,
}

impl Quotes {
    /// Searches for every quote of `claims`: exactly in its cited source,
    /// then, for those not there, exactly elsewhere and approximately.
    fn search<'a>(&mut self, claims: &[&'a Claim], progress: &Progress) -> Search<'a> {
        progress.phase(&format!("normalising the quotes of {}", counted(claims.len(), "claim")));
        let mut problems = Vec::new();
        let mut work: Vec<Work> = Vec::new();
        // Many quotes cite one source: each name is resolved (a `realpath`
        // call) once.
        let mut resolved: HashMap<&str, Result<String, SourceError>> = HashMap::new();
        for (ci, claim) in claims.iter().enumerate() {
            for (k, citation) in claim.citations.iter().enumerate() {
                let source = citation.source.value.as_str();
                match resolved.entry(source).or_insert_with(|| self.corpus.resolve(source)).clone() {
                    Ok(rel) => {
                        let qn = normalize(&citation.quote.value);
                        let parsed = markup::parse(&qn.text);
                        work.push(Work { ci, k, claim, citation, rel, qn, parsed });
                    }
                    Err(e) => problems.push(self.source_problem(claim, citation, &e)),
                }
            }
        }
        let cited: Vec<String> = work.iter().map(|w| w.rel.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let unread: Vec<String> = cited.iter().filter(|r| !self.docs.contains_key(*r)).cloned().collect();
        if !unread.is_empty() {
            progress.phase(&format!("reading and normalising {}", counted(unread.len(), "source")));
        }
        let more = self.corpus.read_all(&unread);
        self.docs.extend(more);
        work.retain(|w| match &self.docs[&w.rel] {
            Ok(_) => true,
            Err(e) => {
                problems.push(self.source_problem(w.claim, w.citation, e));
                false
            }
        });
        let cited_ok = cited.iter().filter(|r| self.docs[*r].is_ok()).count();

        // 1. Exact, in the cited source.
        progress.phase(&format!("exact search of {} in their cited sources", counted(work.len(), "quote")));
        let exact_cited = self.exact_in_cited(&work);
        let missing: Vec<usize> = (0..work.len()).filter(|&i| exact_cited[i].is_none()).collect();
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
                still.iter().copied().filter(|i| near_cited.get(i).is_none_or(|a: &Approx| a.similarity < self.similarity)).collect();
            if !weak.is_empty() {
                progress.phase("near matches in the other sources");
            }
            near_elsewhere = self.near_elsewhere(&work, &weak);
        }
        let negations = self.negations(&work, &exact_cited);
        let mut passages: Passages = claims.iter().map(|c| vec![None; c.citations.len()]).collect();
        for (w, hit) in work.iter().zip(&exact_cited) {
            passages[w.ci][w.k] = hit.as_ref().map(|h| (w.rel.clone(), h.range()));
        }
        Search { work, problems, cited_ok, exact_cited, exact_elsewhere, near_cited, near_elsewhere, negations, passages }
    }

    fn source_problem(&self, claim: &Claim, citation: &Citation, e: &SourceError) -> Diagnostic {
        let root = crate::files::display_name(&self.corpus.root);
        match e {
            SourceError::Outside(why) => source_outside_root::diagnostic(claim, &citation.source, why, &root),
            SourceError::NotFound { suggestion } => source_not_found::diagnostic(claim, &citation.source, &root, suggestion.as_deref()),
            SourceError::Unreadable(why) => source_unreadable::diagnostic(claim, &citation.source, why),
        }
    }

    /// Reads every source under the root that is not read yet.
    fn read_everything(&mut self, progress: &Progress) {
        let others: Vec<String> = self.corpus.listing.iter().filter(|r| !self.docs.contains_key(*r)).cloned().collect();
        if !others.is_empty() {
            progress.phase(&format!("reading and normalising {} no quote cites", counted(others.len(), "source")));
        }
        let more = self.corpus.read_all(&others);
        self.docs.extend(more);
    }

    fn doc(&self, rel: &str) -> &Document {
        self.docs[rel].as_ref().expect("only readable documents are searched")
    }

    fn readable(&self) -> Vec<&Document> {
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

    fn near_in_cited(&self, work: &[Work], idx: &[usize]) -> HashMap<usize, Approx> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in idx {
            groups.entry(&work[i].rel).or_default().push(i);
        }
        groups.into_par_iter().flat_map_iter(|(rel, idx)| near_in(self.doc(rel), work, &idx)).collect()
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
                near_in(doc, work, &mine).into_iter().map(|(i, a)| (i, doc.rel.clone(), a)).collect()
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

    /// The negations left out by the elisions of quotes found in their cited source.
    fn negations(&self, work: &[Work], exact_cited: &[Option<Hit>]) -> HashMap<usize, Vec<(usize, Range<usize>, String)>> {
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

    /// The sources' maps and origins, their normalised texts let go.
    fn into_labels(self) -> Labels {
        let placed = self.docs.into_iter().filter_map(|(rel, d)| Some((rel, d.ok()?.into_map()))).collect();
        Labels { placed, doc_files: HashMap::new(), changed: None }
    }
}

/// Places findings in the original texts of the sources: the text kept from
/// the first reading, or else the source read again (once) when a finding
/// first needs it.
struct Labels {
    placed: BTreeMap<String, (OffsetMap, Origin)>,
    /// The sources registered with the run's files.
    doc_files: HashMap<String, FileId>,
    /// The first source found changed since it was searched: its labels
    /// would be wrong, so the run fails.
    changed: Option<PathBuf>,
}

impl Labels {
    /// Findings for every searched quote; where each quote stands, for
    /// editors (every found quote's place only when `passages` asks).
    fn assemble(&mut self, s: &Search, similarity: f64, passages: bool, files: &mut Files) -> (Vec<Diagnostic>, Vec<QuoteRef>) {
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
                d.edits = vec![fix::scalar_edit(text, &w.citation.source, rel)];
                out.push(d);
            } else if let Some(a) = s.near_cited.get(&i).filter(|a| a.similarity >= similarity) {
                let near = self.near(w, &w.rel, a, files);
                quote_ref.passage = at(&near.passage);
                let text = &files.get(w.claim.file).text;
                let mut d = quote_mismatch::diagnostic(&c, &near);
                d.distance = Some(near.distance);
                d.edits = vec![fix::scalar_edit(text, &w.citation.quote, &near.replacement)];
                out.push(d);
            } else if let Some((rel, a)) = s.near_elsewhere.get(&i) {
                let near = self.near(w, rel, a, files);
                quote_ref.passage = at(&near.passage);
                let text = &files.get(w.claim.file).text;
                let mut d = quote_wrong_source::near(&c, &near);
                d.distance = Some(near.distance);
                d.edits =
                    vec![fix::scalar_edit(text, &w.citation.source, rel), fix::scalar_edit(text, &w.citation.quote, &near.replacement)];
                out.push(d);
            } else {
                let closest = s.near_cited.get(&i).filter(|a| a.similarity >= CLOSEST_SIMILARITY).map(|a| self.near(w, &w.rel, a, files));
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
    fn read_again(&mut self, s: &Search, passages: bool, files: &mut Files) {
        let mut rels: BTreeSet<&str> = BTreeSet::new();
        for (i, w) in s.work.iter().enumerate() {
            let found_with_finding = s.exact_cited[i].as_ref().is_some_and(|h| passages || too_short(w, h) || s.negations.contains_key(&i));
            if found_with_finding || (s.exact_cited[i].is_none() && s.near_cited.contains_key(&i)) {
                rels.insert(&w.rel);
            }
        }
        rels.extend(s.exact_elsewhere.values().map(|(rel, _)| rel.as_str()));
        rels.extend(s.near_elsewhere.values().map(|(rel, _)| rel.as_str()));
        let rels: Vec<&str> = rels.into_iter().filter(|r| !self.doc_files.contains_key(*r)).collect();
        let texts: Vec<Option<Arc<String>>> = rels.par_iter().map(|rel| self.placed[*rel].1.text()).collect();
        for (rel, text) in rels.into_iter().zip(texts) {
            self.register(rel, text, files);
        }
    }

    /// The source's file in the run's files, read again when not there yet.
    fn file(&mut self, rel: &str, files: &mut Files) -> FileId {
        if let Some(&id) = self.doc_files.get(rel) {
            return id;
        }
        let text = self.placed[rel].1.text();
        self.register(rel, text, files)
    }

    /// Registers a source's original text; one that is no longer what was
    /// searched fails the run (and stands empty, so that no label falls
    /// outside it).
    fn register(&mut self, rel: &str, text: Option<Arc<String>>, files: &mut Files) -> FileId {
        let (map, origin) = &self.placed[rel];
        let text = text.filter(|t| t.len() == map.orig_len()).unwrap_or_else(|| {
            self.changed.get_or_insert_with(|| origin.path.clone());
            Arc::default()
        });
        let id = files.add(&origin.path, text);
        self.doc_files.insert(rel.to_owned(), id);
        id
    }

    /// Findings on a quote that stands in its cited source.
    fn found(&mut self, c: &Cited, w: &Work, hit: &Hit, negations: &[(usize, Range<usize>, String)], files: &mut Files) -> Vec<Diagnostic> {
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
    fn passage(&mut self, rel: &str, range: Range<usize>, files: &mut Files) -> Passage {
        let (file, span) = self.locate(rel, range, files);
        let pos = files.get(file).position(span.start);
        Passage { file, rel: rel.to_owned(), span, line: pos.line, column: pos.column }
    }

    /// Where a normalised range of a source stands in the original (no line
    /// and column: a found quote's place is recorded for every quote, and only
    /// messages need positions).
    fn locate(&mut self, rel: &str, range: Range<usize>, files: &mut Files) -> (FileId, Span) {
        let file = self.file(rel, files);
        let text = &files.get(file).text;
        let map = &self.placed[rel].0;
        // A source that changed stands empty; the run fails anyway.
        let span = if text.len() == map.orig_len() { map.original_span(text, range) } else { Span::default() };
        (file, span)
    }

    fn near(&mut self, w: &Work, rel: &str, a: &Approx, files: &mut Files) -> Near {
        let whole = a.pieces[0].start..a.pieces[a.pieces.len() - 1].end;
        let passage = self.passage(rel, whole, files);
        let mut original = |r: &Range<usize>| {
            let (file, span) = self.locate(rel, r.clone(), files);
            files.get(file).text[span.range()].to_owned()
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
        Near { passage, similarity: a.similarity, distance: a.optimal, diff, replacement }
    }
}

/// `n` and a noun, in the plural unless `n` is one: for phase names.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Whether a quote found in its cited source is too short to tell where
/// it comes from: few words, and found more than once.
fn too_short(w: &Work, hit: &Hit) -> bool {
    w.parsed.words < quote_too_short::MIN_WORDS && hit.repeated
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
    let mut optimal = 0;
    let mut longest = 0;
    for (k, n) in nears.iter().enumerate() {
        if k > 0 && n.start < nears[k - 1].end {
            return None;
        }
        if reading.pieces.len() > 1 && n.end > paragraph.end {
            return None;
        }
        distance += n.distance;
        optimal += n.optimal;
        longest += reading.pieces[k].text.len().max(n.end - n.start);
    }
    let similarity = 1.0 - distance as f64 / longest.max(1) as f64;
    Some(Approx { pieces: nears.iter().map(|n| n.start..n.end).collect(), reading: ri, similarity, optimal })
}

/// What `figure-unsupported` compares for a claim: the figures it states
/// (with their spans in the claim file) and those of its quotes' passages.
struct ClaimFigures {
    stated: Vec<(Figure, Span)>,
    quoted: Vec<Figure>,
    /// The first quote's passage, where the label in the source goes.
    first: (String, Range<usize>),
}

impl Quotes {
    /// The figures of each checked claim that states some and whose quotes
    /// all stand in their sources (a quote that does not stand is reported
    /// already; its figures prove nothing).
    fn claim_figures(&self, checked: &[&Claim], passages: &Passages) -> Vec<Option<ClaimFigures>> {
        // Each claim's statement is parsed for figures: many claims, on every core.
        checked
            .par_iter()
            .zip(passages)
            .map(|(claim, found)| {
                let found = found.iter().cloned().collect::<Option<Vec<_>>>()?;
                let stated: Vec<(Figure, Span)> = claim.statement.as_ref().map(text_figures).unwrap_or_default();
                // Most claims state no figure: their passages need no reading.
                if stated.is_empty() && claim.figures.is_empty() {
                    return None;
                }
                let quoted = found.iter().flat_map(|(rel, r)| self.figures_in(rel, r.clone())).collect();
                Some(ClaimFigures { stated, quoted, first: found.into_iter().next()? })
            })
            .collect()
    }

    /// The figures of a source passage, read in their paragraph so that a
    /// count can take its noun from its sentence.
    fn figures_in(&self, rel: &str, range: Range<usize>) -> Vec<Figure> {
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
    fn corpus_values(&mut self, config: &Config, progress: &Progress) -> Vec<(String, SourceValue)> {
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
struct FigurePhase<'r> {
    labels: &'r mut Labels,
    files: &'r mut Files,
}

/// A claim's value for a figure key.
struct KeyValue<'c> {
    claim: &'c Claim,
    entry: &'c FigureEntry,
    figure: Figure,
    sources: Vec<String>,
}

impl FigurePhase<'_> {
    /// `figure-unsupported` for each checked claim whose quotes all stand in their sources.
    fn unsupported(&mut self, checked: &[&Claim], figures: &[Option<ClaimFigures>]) -> Vec<Diagnostic> {
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
    fn conflicts(&mut self, claims: &[Claim], corpus: &[(String, SourceValue)]) -> Vec<Diagnostic> {
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
                        message: format!("`{rel}` at line {}", p.line),
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
fn text_figures(t: &Text) -> Vec<(Figure, Span)> {
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
fn value_figure(t: &Text) -> Option<Figure> {
    grammar::parse(&normalize(&t.value).text).into_iter().next()
}

fn unreadable_value(claim: &Claim, entry: &FigureEntry) -> Diagnostic {
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
fn keyed_values(claims: &[Claim]) -> Vec<KeyValue<'_>> {
    let mut out = Vec::new();
    for claim in claims {
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

/// The figure table of `citelint figures`: for each key, every value with the
/// sources and claims that give it.
#[derive(Debug, serde::Serialize)]
pub struct FigureTable {
    pub keys: Vec<KeyTable>,
}

#[derive(Debug, serde::Serialize)]
pub struct KeyTable {
    pub key: String,
    pub counts: Option<String>,
    pub near: Vec<String>,
    pub values: Vec<ValueRow>,
    pub conflict: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct ValueRow {
    pub value: String,
    pub sources: Vec<String>,
    pub claims: Vec<String>,
    #[serde(skip)]
    figure: Figure,
}

/// Builds the figure table: claims' keyed values and every source's values
/// for the keys described in the config.
pub fn figure_table(config: &Config, opts: &CheckOptions) -> Result<FigureTable, RunError> {
    let set = load_claims(config, &CheckOptions { paths: Vec::new(), ..opts.clone() })?;
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    if !root.is_dir() {
        return Err(RunError::NoSourcesRoot(root));
    }
    let mut q = Quotes { corpus: Corpus::open(&root), docs: BTreeMap::new(), similarity: config.similarity() };
    let corpus = q.corpus_values(config, &opts.progress);
    let values = keyed_values(&set.claims);
    let mut keys: BTreeMap<String, Vec<ValueRow>> = BTreeMap::new();
    let mut add = |key: &str, figure: &Figure, source: Option<&str>, claim: Option<&str>| {
        let rows = keys.entry(key.to_owned()).or_default();
        let row = match rows.iter_mut().position(|r| r.figure.value == figure.value && r.figure.kind == figure.kind) {
            Some(i) => &mut rows[i],
            None => {
                rows.push(ValueRow { value: figure.text.clone(), sources: Vec::new(), claims: Vec::new(), figure: figure.clone() });
                rows.last_mut().expect("just pushed")
            }
        };
        if let Some(s) = source
            && !row.sources.iter().any(|x| x == s)
        {
            row.sources.push(s.to_owned());
        }
        if let Some(c) = claim
            && !row.claims.iter().any(|x| x == c)
        {
            row.claims.push(c.to_owned());
        }
    };
    for v in &values {
        for s in &v.sources {
            add(&v.entry.key.value, &v.figure, Some(s), Some(&v.claim.id.value));
        }
    }
    for (rel, v) in &corpus {
        add(&v.key, &v.figure, Some(rel), None);
    }
    for key in config.figures().keys() {
        keys.entry(key.clone()).or_default();
    }
    let keys = keys
        .into_iter()
        .map(|(key, mut values)| {
            values.iter_mut().for_each(|r| r.sources.sort());
            let conflict = values.iter().enumerate().any(|(i, a)| values[i + 1..].iter().any(|b| a.figure.conflicts(&b.figure)));
            let spec = config.figures().get(&key);
            KeyTable {
                counts: spec.map(|s| s.counts.clone()),
                near: spec.map(|s| s.near.clone()).unwrap_or_default(),
                key,
                values,
                conflict,
            }
        })
        .collect();
    Ok(FigureTable { keys })
}
