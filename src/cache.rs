//! The run cache, `.citelint_cache/` beside the config file (or in the working
//! directory): a re-run on an unchanged repository only reads and hashes.
//!
//! The key is a BLAKE3 hash over the tool version and the running build
//! (its executable's size and modification time), the settings that shape
//! the output, and the stamp of every input: the config file, the lock,
//! every claim file and every source under the root (a quote that fails is
//! searched in all of them). A stamp is what the file system says of a
//! file (device, inode, size, and the modification and status-change times
//! to the nanosecond), not its bytes: reading a 1 GB corpus to find it
//! unchanged cost more than a run saves. Any write to a file changes its
//! status-change time, which no tool sets back. A hit replays the rendered
//! output and exit code byte for byte; any change to any input is a miss.
//! Entries are written atomically.
//!
//! A miss still uses what earlier runs stored beside these entries (claim
//! files' parses, quotes' outcomes, sources' hashes: see
//! `check::stored`), so a run after a small change redoes only what it
//! touched. [`prune`] keeps the whole folder within its size.

use std::path::{Path, PathBuf};

/// A cached run: what was printed and the exit code.
pub struct Entry {
    pub output: String,
    pub code: i32,
}

/// The cache folder.
pub fn dir(base: &Path) -> PathBuf {
    base.join(".citelint_cache")
}

/// The key of a run over these inputs.
pub fn key(settings: &str, inputs: &[PathBuf]) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    // Regression: a rebuild of the same version replayed the old build's
    // output (a snapshot test passed on a stale cache, and failed on a
    // fresh clone). The build's executable tells builds apart cheaply.
    h.update(crate::model::build::identity().as_bytes());
    h.update(&[0]);
    h.update(settings.as_bytes());
    for p in inputs {
        h.update(&[0]);
        h.update(p.to_string_lossy().as_bytes());
        h.update(&[0]);
        h.update(&crate::load::stamp::of(&std::fs::metadata(p)?));
    }
    Ok(h.finalize().to_hex().to_string())
}

pub fn get(dir: &Path, key: &str) -> Option<Entry> {
    let text = std::fs::read_to_string(dir.join(key)).ok()?;
    let (code, output) = text.split_once('\n')?;
    Some(Entry { output: output.to_owned(), code: code.parse().ok()? })
}

/// Removes the oldest entries (by when they were written) until the cache
/// takes at most three quarters of `limit` bytes, once it takes more than
/// `limit`. An entry another run is reading stays readable to it (a
/// removed file's open handle holds); that run's next look misses.
pub fn prune(dir: &Path, limit: u64) {
    let mut entries = Vec::new();
    collect(dir, 2, &mut entries);
    let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
    if total <= limit {
        return;
    }
    entries.sort_by_key(|(written, _, _)| *written);
    for (_, len, path) in entries {
        if total <= limit / 4 * 3 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

/// The cache's files (down to `depth` folders), with when each was written and its size.
fn collect(dir: &Path, depth: usize, out: &mut Vec<(std::time::SystemTime, u64, PathBuf)>) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() && depth > 0 {
            collect(&entry.path(), depth - 1, out);
        } else if meta.is_file() && entry.file_name() != ".gitignore" {
            out.push((meta.modified().unwrap_or(std::time::UNIX_EPOCH), meta.len(), entry.path()));
        }
    }
}

/// Stores an entry; a cache that cannot be written is no reason to fail a run.
pub fn put(dir: &Path, key: &str, entry: &Entry) {
    crate::load::format::store(dir, key, format!("{}\n{}", entry.code, entry.output).as_bytes());
    // Keep git and other tools out of it.
    let _ = std::fs::write(dir.join(".gitignore"), "*\n");
}
