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

/// Stores an entry; a cache that cannot be written is no reason to fail a run.
pub fn put(dir: &Path, key: &str, entry: &Entry) {
    crate::load::format::store(dir, key, format!("{}\n{}", entry.code, entry.output).as_bytes());
    // Keep git and other tools out of it.
    let _ = std::fs::write(dir.join(".gitignore"), "*\n");
}
