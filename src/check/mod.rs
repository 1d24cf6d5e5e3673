//! The check as a pipeline. A run is these stages, in this order, each in
//! its own file:
//!
//! 1. [`inputs`]: which claim files to read (and every file a run may read);
//! 2. [`claims`]: the claim files parsed, their problems and duplicate ids
//!    reported (while a small corpus is read on the other core);
//! 3. [`search`]: every quote looked for, exactly and approximately, in its
//!    cited source and the others; then [`provenance`]: each cited source
//!    against `citelint.lock`;
//! 4. [`figures`]: the figures of the quotes' passages and of every source
//!    read, while the normalised texts are still held;
//! 5. [`place`]: what was found put in the sources' original texts, as the
//!    quote rules' findings; then the provenance and figure findings;
//! 6. [`finish`]: `allow` lists, severities, order.
//!
//! The check is pure: it reads files and never prints. It tells what it is
//! doing through [`Progress`] only, and returns a [`Report`] (or a
//! [`RunError`] when it cannot run at all).
//!
//! The search sees only normalised texts. Once it is done (and the figure
//! stage has read what it needs), those are let go and the sources that
//! findings name are read again, against the stamp of the first reading, to
//! place labels: a large corpus is never held twice.
//!
//! A long-lived caller (the language server) passes a [`Warm`] session:
//! the sources it holds stand in for stage 3's reading, what it remembers
//! of each quote for that quote's search, and its parsed claim files for
//! stage 2's parsing of unchanged files. A command-line run passes a
//! folder instead ([`CheckOptions::store`]), where [`stored`] keeps the
//! same on disk: claim files' parses by their text, and each quote's
//! outcome with the hash of what it depended on. A quote known either way
//! is not searched, and its source is read only if a finding is placed in
//! it. A run can be cancelled between stages ([`CheckOptions::cancel`]).

mod claims;
mod figures;
mod finish;
mod inputs;
mod options;
mod place;
mod progress;
mod provenance;
mod report;
mod search;
mod stored;
mod table;
mod warm;

pub use inputs::inputs;
pub use options::{CheckOptions, KEPT_SOURCES, RunError};
pub use progress::Progress;
pub use report::{ClaimRef, QuoteRef, Report, Summary};
pub use table::{FigureTable, KeyTable, ValueRow, figure_table};
pub use warm::Warm;

use crate::config::Config;
use crate::model::Claim;
use figures::FigurePhase;

/// Runs a check.
pub fn check(config: &Config, opts: &CheckOptions) -> Result<Report, RunError> {
    let similarity = opts.similarity.unwrap_or_else(|| config.similarity());
    if !(similarity > 0.0 && similarity <= 1.0) {
        return Err(RunError::BadSimilarity(similarity));
    }
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    // A warm session's, if any: held for the run (another check waits).
    let mut warm = opts.warm.as_ref().map(|w| w.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let want = warm::Want { root: &root, limits: config.source_limits(), similarity, text_cache: opts.text_cache.as_deref() };
    let kept = opts.kept_sources.or(warm.as_ref().map(|w| w.kept_sources())).unwrap_or(KEPT_SOURCES);
    let held = warm.as_deref_mut().and_then(|w| w.take(&want));
    // A command-line run's store on disk: what earlier runs parsed and found.
    let store = opts.store.as_deref().filter(|_| warm.is_none()).map(|d| stored::Store::new(d, similarity, want.limits));
    let claim_cache = warm.as_deref_mut().map(|w| &mut w.claims);

    // 1 and 2: the claims, while a small corpus is read on the other core.
    opts.progress.phase("reading claim files");
    let (claim_set, sources) = rayon::join(
        || claims::load_claims(config, opts, claim_cache, store.as_ref()),
        || held.or_else(|| search::open_sources(&root, kept, want.limits, opts.text_cache.clone(), similarity)),
    );
    let mut sources = sources;
    let read = claim_set.and_then(|set| opts.go_on().map(|()| set)).and_then(|set| Ok((set, crate::load::lock::read(&config.lock())?)));
    let (claims::ClaimSet { mut files, mut diagnostics, parsed, reported }, locked) = match read {
        Ok(read) => read,
        Err(e) => {
            // A run that stops here gives back what the warm session lent it.
            if let (Some(w), Some(q)) = (warm.as_deref_mut(), sources.as_mut()) {
                w.keep(q, &want);
            }
            return Err(e);
        }
    };
    let all_claims = claims::all(&parsed);
    let checked: Vec<&Claim> = all_claims.iter().copied().filter(|c| reported.contains(&c.file)).collect();
    let keyed = !config.figures().is_empty() && all_claims.iter().any(|c| !c.figures.is_empty());
    let mut quotes = Vec::new();
    let mut fresh_lock = None;
    let mut cited_sources = 0;
    if checked.iter().any(|c| !c.citations.is_empty()) || keyed {
        let Some(mut q) = sources else {
            return Err(RunError::NoSourcesRoot(root));
        };
        if warm.is_some() {
            q.memo.get_or_insert_default();
        }
        // 3: the search, URLs read through their archived copies.
        q.urls = locked.iter().flat_map(|l| l.urls()).map(|(u, p)| (u.to_owned(), p.to_owned())).collect();
        let keys = store.as_ref().map(|_| claims::keys(&files, &reported)).unwrap_or_default();
        let mut depends = store.as_ref().map(|s| s.lend(&mut q, &keys));
        let mut search = q.search(&checked, &opts.progress);
        if let (Some(s), Some(d)) = (&store, depends.as_mut()) {
            s.keep(&q, &search, &keys, d);
        }
        // The sources the later stages read or place in that the search
        // did not need (its outcomes were stored): every cited one for the lock.
        let proving = locked.is_some() || opts.lock;
        let mut needed = search.placed_in(opts.passages);
        needed.extend(search.work.iter().filter(|_| proving).map(|w| w.rel.clone()));
        let figures = opts.go_on().and_then(|()| {
            q.need(needed, &opts.progress).map_err(RunError::SourceChanged)?;
            // 4: what the figure checks read in the sources is read now: the
            // normalised texts are let go before findings are placed.
            opts.progress.phase("reading the figures of the quotes' passages");
            q.claim_figures(&checked, &search.passages, &opts.progress).map_err(RunError::SourceChanged)
        });
        let claim_figures = match figures {
            Ok(f) => f,
            Err(e) => {
                // What was read and found stays for the next check.
                if let Some(w) = warm.as_deref_mut() {
                    w.keep(&mut q, &want);
                }
                return Err(e);
            }
        };
        let provenance = proving.then(|| q.provenance(&search, locked.as_ref()));
        let corpus = if keyed { q.corpus_values(config, &opts.progress) } else { Vec::new() };
        if let Some(w) = warm.as_deref_mut() {
            w.keep(&mut q, &want);
        }
        // 5: placing the findings, then the figure checks on them.
        let mut labels = q.into_labels();
        opts.progress.phase("placing the findings");
        let (d, found) = labels.assemble(&search, similarity, opts.passages, &mut files);
        diagnostics.append(&mut search.problems);
        diagnostics.extend(d);
        quotes = found;
        if let Some(p) = provenance {
            diagnostics.extend(p.findings(&search, &mut labels, &mut files));
            fresh_lock = Some(p.fresh);
        }
        opts.progress.phase("checking figures");
        let mut figures = FigurePhase { labels: &mut labels, files: &mut files };
        diagnostics.extend(figures.unsupported(&checked, &claim_figures));
        diagnostics.extend(figures.conflicts(&all_claims, &corpus));
        if let Some(path) = labels.changed {
            if let Some(w) = warm.as_deref_mut() {
                w.changed(&path);
            }
            return Err(RunError::SourceChanged(path));
        }
        cited_sources = search.cited_ok;
    } else if let (Some(w), Some(q)) = (warm.as_deref_mut(), sources.as_mut()) {
        // Nothing to search: what the session lent is given back as it was.
        w.keep(q, &want);
    }

    // 6: allow lists, severities, order.
    let diagnostics = finish::finish(config, diagnostics, &all_claims, &reported, &files);
    let summary = Summary { claims: checked.len(), files: reported.len(), sources: cited_sources, ..Summary::default() };
    let claims = checked
        .iter()
        .map(|c| ClaimRef { file: c.file, id: c.id.value.clone(), start: c.span.start, statement: c.statement.as_ref().map(|s| s.span()) })
        .collect();
    let mut report = Report { files, diagnostics, summary, claims, quotes, lock: fresh_lock };
    report.recount();
    Ok(report)
}
