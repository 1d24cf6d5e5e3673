//! What a command-line run keeps on disk for the next one (in the run
//! cache's folder), so that a run after a small change redoes only what
//! the change touched:
//!
//! - `claims/`: each claim file's parsed claims and problems, by the hash
//!   of its text: an unchanged file is not parsed again.
//! - `quotes/`: per claim file, what the search found for each of its
//!   quotes, with the hash of what that outcome depended on: the cited
//!   source's bytes when the quote stood there (it was looked for nowhere
//!   else), the whole corpus otherwise. An outcome is used again only
//!   while that hash holds.
//! - `sources`: each source's content hash with the stamp it had when
//!   hashed, so that a source is hashed again only once its stamp moves
//!   (as git's index does).
//!
//! Every entry starts with the hash of the rest: a corrupt or truncated
//! entry is ignored, never trusted. Entries are written atomically, so two
//! runs at once (two hooks) each read whole entries; the last to write
//! wins, and either's entries are right for what they name.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::search::{Memo, MemoKey, Outcome, Quotes, Search, memo_key};
use crate::load::claims::Loaded;
use crate::load::format::{Limits, store};
use crate::load::sources::Corpus;
use crate::load::stamp;
use crate::model::FileId;

/// A run's store: the folder, and what every entry is keyed under besides
/// its own inputs (the build, and the settings that shape outcomes).
pub(super) struct Store {
    dir: PathBuf,
    build: blake3::Hash,
    settings: blake3::Hash,
}

/// A quote's outcome as stored: its key, and the hash of what it depended on.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredOutcome {
    rel: String,
    quote: String,
    depends: [u8; 32],
    outcome: Outcome,
}

/// A source's stamp and the content hash taken under it.
type Hashed = (Vec<u8>, [u8; 32]);

/// Each source's content hash, by path under the root.
type Hashes = BTreeMap<String, Hashed>;

impl Store {
    pub(super) fn new(dir: &Path, similarity: f64, limits: Limits) -> Store {
        let build = blake3::hash(crate::model::build::identity().as_bytes());
        let settings = blake3::hash(format!("{build}\0{similarity}\0{limits:?}").as_bytes());
        Store { dir: dir.to_path_buf(), build, settings }
    }

    /// A claim file's claims as an earlier run parsed them from this very
    /// text; else parsed now by `parse`, and kept for the next run.
    pub(super) fn parsed_or(&self, text: &str, parse: impl FnOnce() -> Loaded) -> Loaded {
        let (dir, name) = (self.dir.join("claims"), self.parsed_name(text));
        if let Some(stored) = read(&dir.join(&name)) {
            return stored;
        }
        let loaded = parse();
        write(&dir, &name, &loaded);
        loaded
    }

    fn parsed_name(&self, text: &str) -> String {
        let mut h = blake3::Hasher::new();
        h.update(self.build.as_bytes());
        h.update(text.as_bytes());
        h.finalize().to_hex().to_string()
    }

    /// Lends a run the stored outcomes of its reported files' quotes that
    /// still hold; what they were checked against is kept for [`Store::keep`].
    pub(super) fn lend(&self, q: &mut Quotes, reported: &HashMap<FileId, PathBuf>) -> Depends {
        let hashes = read(&self.dir.join("sources")).unwrap_or_default();
        let mut deps = Depends { corpus: Arc::clone(&q.corpus), hashes, changed: false, digest: [0; 32], lent: HashMap::new() };
        // Taken before the search: a source changed during it leaves what
        // is stored under this digest stale, never wrong.
        deps.digest = deps.corpus_digest();
        let stored: Vec<StoredOutcome> = reported
            .values()
            .par_bridge()
            .flat_map_iter(|f| read::<Vec<StoredOutcome>>(&self.quotes_dir().join(self.quotes_name(f))).unwrap_or_default())
            .collect();
        let rels: Vec<&str> = stored.iter().filter(|s| s.outcome.cited_only()).map(|s| s.rel.as_str()).collect();
        deps.hash_sources(&rels);
        let mut memo = Memo::default();
        for s in stored {
            if deps.of(&s.rel, &s.outcome) == Some(s.depends) {
                let key = MemoKey { rel: s.rel, quote: s.quote };
                deps.lent.insert(key.clone(), s.depends);
                memo.outcomes.insert(key, s.outcome);
            }
        }
        q.memo = Some(memo);
        deps
    }

    /// Keeps what the search found for each reported file's quotes, under
    /// what each depended on.
    pub(super) fn keep(&self, q: &Quotes, search: &Search, reported: &HashMap<FileId, PathBuf>, deps: &mut Depends) {
        let outcomes: Vec<(usize, MemoKey, Outcome)> = (0..search.work.len())
            .filter(|&i| reported.contains_key(&search.work[i].claim.file))
            .map(|i| (i, memo_key(&search.work[i]), search.outcome(i)))
            .collect();
        let fresh: Vec<&str> =
            outcomes.iter().filter(|(_, k, o)| o.cited_only() && !deps.lent.contains_key(k)).map(|(_, k, _)| k.rel.as_str()).collect();
        deps.hash_sources(&fresh);
        let mut by_file: BTreeMap<&PathBuf, Vec<StoredOutcome>> = reported.values().map(|k| (k, Vec::new())).collect();
        for (i, key, outcome) in outcomes {
            let depends = match deps.lent.get(&key) {
                Some(d) => Some(*d),
                None => deps.fresh(q, &key.rel, &outcome),
            };
            let (Some(depends), Some(list)) = (depends, by_file.get_mut(&reported[&search.work[i].claim.file])) else {
                continue;
            };
            list.push(StoredOutcome { rel: key.rel, quote: key.quote, depends, outcome });
        }
        for (file, stored) in &by_file {
            write(&self.quotes_dir(), &self.quotes_name(file), stored);
        }
        deps.save(&self.dir);
    }

    fn quotes_dir(&self) -> PathBuf {
        self.dir.join("quotes")
    }

    /// A claim file's entry of outcomes: by its canonical path and the settings.
    fn quotes_name(&self, file: &Path) -> String {
        let mut h = blake3::Hasher::new();
        h.update(self.settings.as_bytes());
        h.update(file.as_os_str().as_encoded_bytes());
        h.finalize().to_hex().to_string()
    }
}

/// What outcomes depend on, found as they are asked for: each cited
/// source's content hash, and a digest of the whole corpus.
pub(super) struct Depends {
    corpus: Arc<Corpus>,
    hashes: Hashes,
    changed: bool,
    /// The whole corpus's digest, taken before the search.
    digest: [u8; 32],
    /// The outcomes lent to the run, with what they depend on.
    lent: HashMap<MemoKey, [u8; 32]>,
}

impl Depends {
    /// Makes sure each of these sources has a content hash for its current
    /// stamp: sources whose stamp moved are hashed again, in parallel.
    fn hash_sources(&mut self, rels: &[&str]) {
        let mut todo: Vec<&str> = rels.to_vec();
        todo.sort_unstable();
        todo.dedup();
        let root = &self.corpus.root;
        let fresh: Vec<(String, Option<Hashed>)> = todo
            .par_iter()
            .filter_map(|rel| {
                let path = root.join(rel);
                // Stamped before reading, so that a change made meanwhile shows next time.
                let now = std::fs::metadata(&path).ok().filter(std::fs::Metadata::is_file).map(|m| stamp::of(&m));
                let known = self.hashes.get(*rel).filter(|(s, _)| Some(s) == now.as_ref());
                if known.is_some() {
                    return None;
                }
                let hashed = now.and_then(|s| Some((s, *blake3::hash(&std::fs::read(&path).ok()?).as_bytes())));
                Some(((*rel).to_owned(), hashed))
            })
            .collect();
        for (rel, hashed) in fresh {
            self.changed = true;
            match hashed {
                Some(h) => self.hashes.insert(rel, h),
                None => self.hashes.remove(&rel),
            };
        }
    }

    /// The hash an outcome depends on now, if it can be told: its cited
    /// source's content when it was found there, else the whole corpus.
    fn of(&self, rel: &str, outcome: &Outcome) -> Option<[u8; 32]> {
        let mut h = blake3::Hasher::new();
        if outcome.cited_only() {
            let (_, content) = self.hashes.get(rel)?;
            h.update(b"cited\0");
            h.update(content);
        } else {
            h.update(b"corpus\0");
            h.update(&self.digest);
        }
        Some(*h.finalize().as_bytes())
    }

    /// Every source's path and stamp: an outcome that looked beyond its
    /// cited source holds only while no source was added, removed or
    /// written.
    fn corpus_digest(&self) -> [u8; 32] {
        let root = &self.corpus.root;
        let stamps: Vec<Vec<u8>> = self
            .corpus
            .listing
            .par_iter()
            .map(|rel| std::fs::metadata(root.join(rel)).map(|m| stamp::of(&m)).unwrap_or_default())
            .collect();
        let mut h = blake3::Hasher::new();
        for (rel, s) in self.corpus.listing.iter().zip(&stamps) {
            h.update(rel.as_bytes());
            h.update(&[0]);
            h.update(s);
        }
        *h.finalize().as_bytes()
    }

    /// What an outcome this run found depends on, if it can be told for
    /// sure: one found in its cited source, only when the hash was taken
    /// under the stamp the search read the source under (a source written
    /// between the two is not kept, rather than kept under the wrong hash).
    fn fresh(&self, q: &Quotes, rel: &str, outcome: &Outcome) -> Option<[u8; 32]> {
        if outcome.cited_only() {
            let doc = q.docs.get(rel)?.as_ref().ok()?;
            let (stamp, _) = self.hashes.get(rel)?;
            if stamp.as_slice() != doc.origin.stamp() {
                return None;
            }
        }
        self.of(rel, outcome)
    }

    fn save(&self, dir: &Path) {
        if self.changed {
            write(dir, "sources", &self.hashes);
        }
    }
}

/// An entry: the hash of its payload, then the payload.
fn write<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T) {
    let Ok(payload) = postcard::to_stdvec(value) else { return };
    let mut bytes = blake3::hash(&payload).as_bytes().to_vec();
    bytes.extend_from_slice(&payload);
    store(dir, name, &bytes);
}

/// An entry, if it is whole: a corrupt or truncated one is no entry.
fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let (sum, payload) = bytes.split_at_checked(32)?;
    if blake3::hash(payload).as_bytes() != sum {
        return None;
    }
    postcard::from_bytes(payload).ok()
}
