//! A warm session: what a long-lived process (the language server) keeps
//! between checks so that an edit costs only what it changed.
//!
//! - The sources, read and normalised, with their original texts: a check
//!   neither reads nor normalises a source again until it changes on disk.
//! - What the search found for each quote, by its cited source and its
//!   words ([`Memo`]): a quote searched before is not searched again. A
//!   quote found in its cited source depends on that source alone; any
//!   other outcome (found elsewhere, a near match, not found) depends on
//!   the whole corpus, and is forgotten when any source changes.
//! - Each claim file read from disk, parsed, by its stamp: the claim files
//!   an editor does not hold open are parsed once, not at every keystroke.
//!   And the last text of each file an editor holds open, parsed: an edit
//!   inside one claim parses only that claim again
//!   ([`crate::load::reparse`]).
//!
//! Memory is bounded: when the sources held pass the budget, the session
//! keeps nothing of them and each check runs cold. A file changed on disk
//! is told with [`Warm::changed`]; a source found changed while labels are
//! placed is forgotten by the check itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::search::{Docs, Memo, Quotes};
use crate::load::claims::Loaded;
use crate::load::format::Limits;
use crate::load::sources::{Corpus, rel_name};

/// Quotes remembered at most; past this the memo starts again.
const MEMO_ENTRIES: usize = 1 << 20;

/// What a warm session keeps between checks.
pub struct Warm {
    /// Bytes the sources held may take.
    budget: usize,
    sources: Option<Held>,
    /// Claim files parsed, by their canonical path.
    pub(super) claims: HashMap<PathBuf, ParsedFile>,
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warm").field("budget", &self.budget).field("holds", &self.holds()).finish()
    }
}

/// The sources of one root, as the checks that read them left them.
struct Held {
    root: PathBuf,
    root_canon: Option<PathBuf>,
    limits: Limits,
    similarity: f64,
    text_cache: Option<PathBuf>,
    corpus: Arc<Corpus>,
    docs: Docs,
    memo: Memo,
    bytes: usize,
    /// Whether the listing of the root may be out of date.
    relist: bool,
}

/// A claim file as read and parsed.
pub(super) struct ParsedFile {
    /// The file's stamp when read from disk; `None` for an editor's text.
    pub(super) stamp: Option<Vec<u8>>,
    pub(super) text: Arc<String>,
    pub(super) loaded: Arc<Loaded>,
}

/// What a run needs to know to open the sources as a warm session would.
pub(super) struct Want<'a> {
    pub(super) root: &'a Path,
    pub(super) limits: Limits,
    pub(super) similarity: f64,
    pub(super) text_cache: Option<&'a Path>,
}

impl Held {
    fn serves(&self, want: &Want) -> bool {
        self.root == want.root
            && self.similarity == want.similarity
            && self.limits == want.limits
            && self.text_cache.as_deref() == want.text_cache
    }
}

impl Warm {
    /// A session that holds at most `budget` bytes of sources.
    pub fn new(budget: usize) -> Warm {
        Warm { budget, sources: None, claims: HashMap::new() }
    }

    /// Bytes of sources held now.
    pub fn holds(&self) -> usize {
        self.sources.as_ref().map_or(0, |h| h.bytes)
    }

    /// How many quotes' outcomes are remembered.
    pub fn remembered(&self) -> usize {
        self.sources.as_ref().map_or(0, |h| h.memo.outcomes.len())
    }

    /// The original text of a source is kept this far from its first
    /// reading, so that placing a finding reads nothing again.
    pub(super) fn kept_sources(&self) -> usize {
        self.budget
    }

    /// Forgets what depends on a file changed (created, written or removed)
    /// on disk: the claim file, or the source and every outcome that
    /// depended on it.
    pub fn changed(&mut self, path: &Path) {
        let canon = canonical(path);
        self.claims.remove(&canon);
        let Some(held) = self.sources.as_mut() else { return };
        let Some(rel) = held.root_canon.as_deref().and_then(|root| canon.strip_prefix(root).ok()).map(rel_name) else {
            return;
        };
        if let Some(Ok(doc)) = held.docs.remove(&rel) {
            held.bytes = held.bytes.saturating_sub(doc.held_bytes());
        }
        held.memo.outcomes.retain(|k, o| o.cited_only() && k.rel != rel);
        held.memo.resolved.clear();
        // A source may have come or gone: the next run lists the root again
        // (once, however many files a checkout touched).
        held.relist = true;
    }

    /// The sources held for a run that wants these, with what was found
    /// before; `None` when nothing is held for them.
    pub(super) fn take(&mut self, want: &Want) -> Option<Quotes> {
        let mut held = self.sources.take().filter(|h| h.serves(want))?;
        // A source came or went since the last run: the root is listed again.
        if held.relist {
            let keep = self.budget.saturating_sub(held.bytes);
            held.corpus = Arc::new(Corpus::open(&held.root).keeping(keep).limited(held.limits).caching_text_in(held.text_cache.clone()));
            held.relist = false;
        }
        // Lent to the run, which gives them back through `keep`.
        let docs = std::mem::take(&mut held.docs);
        let memo = Some(std::mem::take(&mut held.memo));
        let quotes = Quotes { corpus: Arc::clone(&held.corpus), urls: HashMap::new(), docs, similarity: held.similarity, memo };
        self.sources = Some(held);
        Some(quotes)
    }

    /// Keeps what a run read and found for the next, within the budget.
    pub(super) fn keep(&mut self, q: &mut Quotes, want: &Want) {
        let bytes: usize = q.docs.values().filter_map(|d| d.as_ref().ok()).map(|d| d.held_bytes()).sum();
        let mut memo = q.memo.take().unwrap_or_default();
        // Each edit adds what it searched: the memo is bounded too.
        if memo.outcomes.len() > MEMO_ENTRIES || memo.prepared.len() > MEMO_ENTRIES {
            memo = Memo::default();
        }
        if bytes > self.budget {
            // Over the budget: checks run cold rather than hold too much.
            self.sources = None;
            return;
        }
        self.sources = Some(Held {
            root: want.root.to_path_buf(),
            root_canon: want.root.canonicalize().ok(),
            limits: want.limits,
            similarity: want.similarity,
            text_cache: want.text_cache.map(Path::to_path_buf),
            corpus: Arc::clone(&q.corpus),
            docs: q.docs.clone(),
            memo,
            bytes,
            relist: false,
        });
    }
}

/// A path made canonical; a removed file's through its folder.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    match (path.parent().and_then(|p| p.canonicalize().ok()), path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}
