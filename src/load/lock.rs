//! `citelint.lock`: what each cited source was when its claims were verified.
//! One entry per source (its path under the sources root, the SHA-256 of its
//! bytes, its size, and where it was fetched from), with the passage that
//! verified each quote citing it. TOML, in a stable order, so that a change
//! of a source is one small diff.

use std::io::Write;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The lock file's name, beside `citelint.toml`.
pub const FILE_NAME: &str = "citelint.lock";
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "source")]
    pub sources: Vec<LockedSource>,
}

/// A source as it was when locked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedSource {
    /// Relative to the sources root, with `/`.
    pub path: String,
    pub sha256: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where the URL led, after redirects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// When it was fetched (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, rename = "passage", skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<LockedPassage>,
}

/// The passage that verified one quote: its normalised text.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedPassage {
    pub claim: String,
    pub quote: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}:{line}:{column}: not a valid lock file: {message}")]
    Invalid { path: String, message: String, line: usize, column: usize },
    #[error("{path} names `{entry}`, which is not a path inside the sources root")]
    Outside { path: String, entry: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

impl Lock {
    pub fn new() -> Lock {
        Lock { version: VERSION, sources: Vec::new() }
    }

    pub fn entry(&self, path: &str) -> Option<&LockedSource> {
        self.sources.iter().find(|s| s.path == path)
    }

    /// Each URL an archived source was fetched from (its `url` and where it
    /// led), with the source's path.
    pub fn urls(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().flat_map(|s| [&s.url, &s.final_url].into_iter().flatten().map(|u| (u.as_str(), s.path.as_str())))
    }

    /// The lock as written: sources by path, passages by claim and quote.
    pub fn render(&self) -> String {
        let mut lock = self.clone();
        lock.version = VERSION;
        lock.sources.sort_by(|a, b| a.path.cmp(&b.path));
        for s in &mut lock.sources {
            s.passages.sort();
            s.passages.dedup();
        }
        let body = toml::to_string(&lock).expect("a lock serialises");
        format!(
            "# citelint.lock: what each cited source was when its claims were verified.\n# Written by `citelint lock` and `citelint fetch`; commit it.\n\n{body}"
        )
    }
}

/// The lock at `path`; `None` when there is none.
pub fn read(path: &Path) -> Result<Option<Lock>, LockError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(LockError::Read { path: shown, source }),
    };
    let lock: Lock = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let line = text[..at].matches('\n').count() + 1;
        let column = text[..at].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LockError::Invalid { path: shown.clone(), message: e.message().trim().to_owned(), line, column }
    })?;
    if lock.version != VERSION {
        let message = format!("version {} is not one this citelint reads (it writes version {VERSION})", lock.version);
        return Err(LockError::Invalid { path: shown, message, line: 1, column: 1 });
    }
    if let Some(bad) = lock.sources.iter().find(|s| !inside(&s.path)) {
        return Err(LockError::Outside { path: shown, entry: bad.path.clone() });
    }
    Ok(Some(lock))
}

/// A relative path that stays inside the folder it is relative to.
pub fn inside(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Writes `text` to `path` through a temporary file in its folder and a
/// rename: a reader sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, text: &[u8]) -> Result<(), LockError> {
    let err = |source| LockError::Write { path: path.display().to_string(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(text).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lock {
        let passage = |claim: &str| LockedPassage { claim: claim.into(), quote: "q".into(), text: "t".into() };
        Lock {
            version: VERSION,
            sources: vec![
                LockedSource {
                    path: "b.txt".into(),
                    sha256: sha256(b"b"),
                    size: 1,
                    passages: vec![passage("z"), passage("a")],
                    ..Default::default()
                },
                LockedSource {
                    path: "a.html".into(),
                    sha256: sha256(b"a"),
                    size: 1,
                    url: Some("https://example.org/a".into()),
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn a_lock_renders_in_a_stable_order_and_reads_back() {
        let text = sample().render();
        assert!(text.find("a.html").unwrap() < text.find("b.txt").unwrap());
        assert!(text.find("claim = \"a\"").unwrap() < text.find("claim = \"z\"").unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        write_atomically(&path, text.as_bytes()).unwrap();
        let back = read(&path).unwrap().unwrap();
        assert_eq!(back.render(), text, "rendering is a fixed point");
    }

    #[test]
    fn a_bad_lock_is_refused_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "version = 1\n\n[[source]]\npath = \"a.txt\"\nsha256 = 5\n").unwrap();
        let e = read(&path).unwrap_err();
        assert!(matches!(e, LockError::Invalid { line: 5, .. }), "{e:?}");
        std::fs::write(&path, "version = 1\n[[source]]\npath = \"../etc/passwd\"\nsha256 = \"x\"\nsize = 1\n").unwrap();
        assert!(matches!(read(&path).unwrap_err(), LockError::Outside { .. }));
        assert!(read(&dir.path().join("none.lock")).unwrap().is_none());
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(inside("a/b.txt") && inside("./a.txt"));
        assert!(!inside("../a.txt") && !inside("/etc/passwd") && !inside("a/../../b") && !inside(""));
    }
}
