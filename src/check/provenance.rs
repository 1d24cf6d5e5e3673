//! Stage 3b, provenance: each cited source against its entry in
//! `citelint.lock`, and the lock as it would be written now. Read while the
//! normalised texts are held (the verified passages are their text); the
//! `source-changed` findings are placed with the others.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use memchr::memmem;

use super::place::Labels;
use super::search::{Quotes, Search};
use crate::diagnostic::Diagnostic;
use crate::load::lock::{Lock, LockedPassage, LockedSource, sha256};
use crate::model::files::Files;
use crate::quote::diff::word_diff;
use crate::rules::source_changed::{self, Change};

/// What the lock stage read: the current state of every cited source, and
/// the quotes whose source changed under them.
pub(super) struct Provenance {
    /// The lock as `citelint lock` would write it now.
    pub(super) fresh: Lock,
    changed: Vec<Changed>,
}

/// A quote whose cited source differs from its lock entry.
struct Changed {
    /// Index of the quote's work item.
    i: usize,
    old: String,
    retrieved: Option<String>,
    /// The old passage where it stands now, or else the closest passage now (normalised ranges).
    still: Option<Range<usize>>,
    closest: Option<Range<usize>>,
    /// The closest passage's text now, for the word diff.
    closest_text: Option<String>,
}

impl Quotes {
    /// Hashes every cited source, finds the quotes whose verified passage a
    /// change may have taken away, and builds the fresh lock.
    pub(super) fn provenance(&self, search: &Search, locked: Option<&Lock>) -> Provenance {
        let mut now: BTreeMap<String, LockedSource> = BTreeMap::new();
        for w in &search.work {
            if now.contains_key(&w.rel) {
                continue;
            }
            let Ok(bytes) = std::fs::read(self.corpus.root.join(&w.rel)) else { continue };
            // Where it came from does not change with its bytes; its passages are found again.
            let mut entry = locked.and_then(|l| l.entry(&w.rel)).cloned().unwrap_or_default();
            entry.path = w.rel.clone();
            entry.sha256 = sha256(&bytes);
            entry.size = bytes.len() as u64;
            entry.passages.clear();
            now.insert(w.rel.clone(), entry);
        }
        let mut changed = Vec::new();
        for (i, w) in search.work.iter().enumerate() {
            let Some(entry) = now.get_mut(&w.rel) else { continue };
            let text = &self.doc(&w.rel).norm.text;
            let (id, quote) = (&w.claim.id.value, &w.citation.quote.value);
            if let Some(hit) = &search.exact_cited[i] {
                let passage = LockedPassage { claim: id.clone(), quote: quote.clone(), text: text[hit.range()].to_owned() };
                entry.passages.push(passage);
            }
            let Some(old) = locked.and_then(|l| l.entry(&w.rel)).filter(|o| o.sha256 != entry.sha256) else { continue };
            let Some(was) = old.passages.iter().find(|p| &p.claim == id && &p.quote == quote) else { continue };
            let still = memmem::find(text.as_bytes(), was.text.as_bytes()).map(|at| at..at + was.text.len());
            let closest = search.near_cited.get(&i).map(|a| a.pieces[0].start..a.pieces[a.pieces.len() - 1].end);
            let closest_text = closest.clone().filter(|_| still.is_none()).map(|r| text[r].to_owned());
            changed.push(Changed { i, old: was.text.clone(), retrieved: old.retrieved.clone(), still, closest, closest_text });
        }
        let mut fresh = Lock::new();
        fresh.sources = now.into_values().collect();
        // A fetched source no claim cites yet stays locked.
        let cited: HashSet<&str> = fresh.sources.iter().map(|s| s.path.as_str()).collect();
        let fetched: Vec<LockedSource> = locked
            .map(|l| l.sources.iter().filter(|s| s.url.is_some() && !cited.contains(s.path.as_str())).cloned().collect())
            .unwrap_or_default();
        fresh.sources.extend(fetched);
        Provenance { fresh, changed }
    }
}

impl Provenance {
    /// `source-changed` for each quote whose source changed since it was locked.
    pub(super) fn findings(&self, search: &Search, labels: &mut Labels, files: &mut Files) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in &self.changed {
            let w = &search.work[c.i];
            let at = c.still.clone().or_else(|| c.closest.clone());
            let now = at.map(|r| {
                let p = labels.passage(&w.rel, r, files);
                let text = files.get(p.file).slice(p.span).to_owned();
                (p.file, p.span, text)
            });
            let diff = c.closest_text.as_deref().map(|n| word_diff(&c.old, n));
            let change =
                Change { source: &w.citation.source, retrieved: c.retrieved.as_deref(), old: &c.old, now, still_stands: c.still.is_some() };
            out.push(source_changed::diagnostic(w.claim, change, diff));
        }
        out
    }
}
