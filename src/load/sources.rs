//! Source documents: resolving a claim's `source` under the sources root,
//! reading it in its format (`format`: text in any encoding, HTML, PDF),
//! and normalising it once however many quotes cite it. Only regular files
//! are listed or opened: a FIFO, a socket or a device under the root is
//! never read.
//!
//! A source's original text is kept from the first reading only within a
//! budget (the first few megabytes read): holding every source beside its
//! normalised form would double what a large corpus costs. The findings in
//! a source not kept read it again to place their labels, and a stamp taken
//! at the first reading tells whether it is still the same text.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub use crate::load::format::SourceError;
use crate::load::format::text::line_col;
use crate::load::format::{self, EXTENSIONS, Format, How, Limits};
use crate::quote::normalize::{Normalized, OffsetMap, normalize};

/// A source read and normalised, for the search.
#[derive(Debug)]
pub struct Document {
    /// The path relative to the root, with `/` separators, as claims cite it.
    pub rel: String,
    pub norm: Normalized,
    pub origin: Origin,
}

/// Where a source is, what it was when it was read, and how it was read.
#[derive(Debug)]
pub struct Origin {
    pub path: PathBuf,
    stamp: Stamp,
    /// The text labels are drawn on, when it was kept from the first reading.
    kept: Option<Arc<String>>,
    pub how: How,
    limits: Limits,
    text_cache: Option<PathBuf>,
}

/// What a file was when it was read: its length, and its stamp
/// ([`crate::load::stamp`]), which moves whenever its bytes change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    full: Vec<u8>,
}

impl Stamp {
    fn of(file: &std::fs::File) -> std::io::Result<Stamp> {
        let meta = file.metadata()?;
        Ok(Stamp { len: meta.len(), full: crate::load::stamp::of(&meta) })
    }
}

impl Document {
    /// Bytes of memory the document holds: its normalised text, its map,
    /// and its original text when kept.
    pub fn held_bytes(&self) -> usize {
        self.norm.text.capacity() + self.norm.map.held_bytes() + self.origin.kept.as_ref().map_or(0, |t| t.capacity())
    }

    /// The document with its normalised text let go: its map and origin.
    pub fn into_map(self) -> (OffsetMap, Origin) {
        (self.norm.into_map(), self.origin)
    }
}

impl Origin {
    /// The file's stamp when it was read: the bytes read are the bytes of
    /// any later reading under the same stamp.
    pub fn stamp(&self) -> &[u8] {
        &self.stamp.full
    }

    /// The original text as it was searched: the one kept from the first
    /// reading, or else the file read again if it still holds that text;
    /// `None` when it changed since (or can no longer be read).
    pub fn text(&self) -> Option<Arc<String>> {
        if let Some(kept) = &self.kept {
            return Some(Arc::clone(kept));
        }
        let (bytes, stamp) = read_stamped(&self.path).ok()?;
        // Stamped before the first reading, so a change made during it shows here.
        if stamp != self.stamp {
            return None;
        }
        format::file_text(bytes, self.how, self.limits, self.text_cache.as_deref()).map(Arc::new)
    }
}

/// A file's bytes and its stamp, taken from the open file before reading.
fn read_stamped(path: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    let mut bytes = Vec::new();
    let stamp = read_stamped_into(path, &mut bytes)?;
    Ok((bytes, stamp))
}

/// Reads a file into `bytes` (emptied first, its memory kept) and stamps it.
/// Only a regular file is read: anything else is refused without waiting
/// on it (a FIFO with no writer would block an open for ever).
fn read_stamped_into(path: &Path, bytes: &mut Vec<u8>) -> std::io::Result<Stamp> {
    let mut file = open_regular(path)?;
    let stamp = Stamp::of(&file)?;
    bytes.clear();
    // Exactly the size: `read_to_end` probes for the end without growing.
    bytes.reserve_exact(usize::try_from(stamp.len).unwrap_or(0));
    file.read_to_end(bytes)?;
    Ok(stamp)
}

/// A path under the sources root as a `source:` value names it.
pub fn rel_name(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Opens a regular file for reading, and nothing else.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = || std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::File::options();
    options.read(true);
    // Should the path be swapped for a FIFO in between, the open must not block.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The sources root and every text file under it.
#[derive(Debug)]
pub struct Corpus {
    pub root: PathBuf,
    root_canon: Option<PathBuf>,
    /// Every `.txt` and `.md` file under the root, relative, sorted.
    pub listing: Vec<String>,
    /// Bytes of original text that may still be kept (see the module docs).
    keep: AtomicUsize,
    /// What one source may become.
    pub limits: Limits,
    /// Where the text of PDFs is cached by their hash, if anywhere.
    pub text_cache: Option<PathBuf>,
}

impl Corpus {
    pub fn open(root: &Path) -> Corpus {
        let root_canon = root.canonicalize().ok();
        let mut listing = Vec::new();
        list_dir(root, root, root_canon.as_deref(), &mut listing);
        listing.sort();
        Corpus { root: root.to_path_buf(), root_canon, listing, keep: AtomicUsize::new(0), limits: Limits::default(), text_cache: None }
    }

    /// The corpus, keeping the original text of the sources it reads while
    /// they total at most `bytes`.
    pub fn keeping(self, bytes: usize) -> Corpus {
        Corpus { keep: AtomicUsize::new(bytes), ..self }
    }

    /// The corpus, its sources read within `limits`.
    pub fn limited(self, limits: Limits) -> Corpus {
        Corpus { limits, ..self }
    }

    /// The corpus, the text of its PDFs cached in `dir` by their hash.
    pub fn caching_text_in(self, dir: Option<PathBuf>) -> Corpus {
        Corpus { text_cache: dir, ..self }
    }

    /// Whether the sources listed measure at most `bytes` together (and
    /// each can be measured). A large corpus is measured only until it
    /// passes `bytes`, not file by file to its end.
    pub fn fits_in(&self, bytes: u64) -> bool {
        let mut total = 0u64;
        for rel in &self.listing {
            let Ok(meta) = std::fs::metadata(self.root.join(rel)) else { return false };
            total += meta.len();
            if total > bytes {
                return false;
            }
        }
        true
    }

    /// Takes `len` bytes from what may still be kept, if there are that many.
    fn may_keep(&self, len: usize) -> bool {
        self.keep.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(len)).is_ok()
    }

    /// The relative path a `source` value names, if it stays inside the root.
    pub fn resolve(&self, source: &str) -> Result<String, SourceError> {
        let p = Path::new(source);
        if p.is_absolute() || source.starts_with('/') || source.starts_with('\\') {
            return Err(SourceError::Outside("an absolute path".into()));
        }
        let mut parts: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::ParentDir => {
                    if parts.pop().is_none() {
                        return Err(SourceError::Outside("`..` climbs out of the root".into()));
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(SourceError::Outside("an absolute path".into())),
            }
        }
        let rel = parts.join("/");
        let full = self.root.join(&rel);
        if full.exists() && !full.is_file() {
            let what = if full.is_dir() { "a folder" } else { "not a regular file (a FIFO, socket or device is never read)" };
            return Err(SourceError::Unreadable(format!("it is {what}")));
        }
        if !full.is_file() {
            let suggestion = crate::suggest::closest(&rel, self.listing.iter().map(String::as_str)).map(str::to_owned);
            return Err(SourceError::NotFound { suggestion });
        }
        // A symbolic link may lead out of the root; the real path decides.
        let canon = full.canonicalize().map_err(|e| SourceError::Unreadable(e.to_string()))?;
        if let Some(root) = &self.root_canon
            && !canon.starts_with(root)
        {
            return Err(SourceError::Outside(format!("it resolves through a symbolic link to `{}`", canon.display())));
        }
        Ok(rel)
    }

    /// Reads and normalises the given relative paths, in parallel.
    pub fn read_all(&self, rels: &[String]) -> BTreeMap<String, Result<Document, SourceError>> {
        // One read buffer serves many sources: its text is let go once
        // normalised, and fresh memory for each would cost a page fault per
        // 4 KiB read.
        rels.par_iter().map_init(Vec::new, |buffer, rel| (rel.clone(), self.read(rel, buffer))).collect()
    }

    fn read(&self, rel: &str, buffer: &mut Vec<u8>) -> Result<Document, SourceError> {
        let path = self.root.join(rel);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let stamp = read_stamped_into(&path, buffer).map_err(|e| SourceError::Unreadable(e.to_string()))?;
        let cache = self.text_cache.clone();
        let origin =
            |how, kept| Origin { path: path.clone(), stamp: stamp.clone(), kept, how, limits: self.limits, text_cache: cache.clone() };
        let plain = Format::of(&ext, buffer) == Format::Text && memchr::memchr(0, buffer).is_none();
        // The common case, UTF-8 text, is checked as UTF-8 once: kept, the
        // buffer becomes the text (the next source gets a new one); not
        // kept, it is normalised where it is and serves the next source.
        let how = How { format: Format::Text, encoding: encoding_rs::UTF_8 };
        if plain && self.may_keep(buffer.len()) {
            let len = buffer.len();
            match String::from_utf8(std::mem::take(buffer)) {
                Ok(mut text) => {
                    if text.starts_with('\u{FEFF}') {
                        text.drain(..'\u{FEFF}'.len_utf8());
                    }
                    let text = Arc::new(text);
                    return Ok(Document { rel: rel.to_owned(), norm: normalize(&text), origin: origin(how, Some(text)) });
                }
                Err(e) => {
                    // Not UTF-8: read in its encoding below, kept or not as its text decides.
                    *buffer = e.into_bytes();
                    self.keep.fetch_add(len, Ordering::Relaxed);
                }
            }
        } else if plain && let Ok(text) = std::str::from_utf8(buffer) {
            let norm = normalize(text.strip_prefix('\u{FEFF}').unwrap_or(text));
            return Ok(Document { rel: rel.to_owned(), norm, origin: origin(how, None) });
        }
        let read = format::read_cached(&ext, std::mem::take(buffer), self.limits, self.text_cache.as_deref())?;
        // A PDF's text is always kept: reading it again would mean parsing
        // the PDF again, and its text is a small part of its bytes.
        let keep = read.how.format == Format::Pdf || self.may_keep(read.file_text.len());
        let kept = keep.then(|| Arc::new(read.file_text));
        Ok(Document { rel: rel.to_owned(), norm: read.norm, origin: origin(read.how, kept) })
    }
}

/// The bytes as UTF-8 text, or why not (with where).
/// The bytes are taken, not copied: a source may be large.
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    refuse_binary(&bytes)?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{FEFF}') {
                s.drain(..'\u{FEFF}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => Err(not_utf8(e.as_bytes(), e.utf8_error())),
    }
}

fn refuse_binary(bytes: &[u8]) -> Result<(), SourceError> {
    let Some(nul) = memchr::memchr(0, bytes) else { return Ok(()) };
    let (line, col) = line_col(bytes, nul);
    Err(SourceError::Unreadable(format!("it is binary (a NUL byte at byte {nul}, line {line}, column {col})")))
}

fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> SourceError {
    let at = e.valid_up_to();
    let (line, col) = line_col(bytes, at);
    SourceError::Unreadable(format!("it is not valid UTF-8 (byte 0x{:02X} at byte {at}, line {line}, column {col})", bytes[at]))
}

/// Lists the source files under `dir` (regular files only). A symbolic link is followed only when it
/// leads inside the root: a document outside it is never read, whether cited
/// or searched for a quote cited elsewhere.
fn list_dir(root: &Path, dir: &Path, root_canon: Option<&Path>, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        // Hidden folders (.git, caches) hold no sources.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        let Ok(mut ft) = e.file_type() else { continue };
        if ft.is_symlink() {
            let inside = path.canonicalize().ok().zip(root_canon).is_some_and(|(real, root)| real.starts_with(root));
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            // A link to a folder inside the root could loop back into it; links to folders are not followed.
            if !inside || meta.is_dir() {
                continue;
            }
            ft = meta.file_type();
        }
        if ft.is_dir() {
            list_dir(root, &path, root_canon, out);
        } else if ft.is_file()
            && path.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escapes_lexically() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let c = Corpus::open(dir.path());
        assert_eq!(c.resolve("a.txt"), Ok("a.txt".into()));
        assert_eq!(c.resolve("./sub/../a.txt"), Ok("a.txt".into()));
        assert!(matches!(c.resolve("../a.txt"), Err(SourceError::Outside(_))));
        assert!(matches!(c.resolve("/etc/passwd"), Err(SourceError::Outside(_))));
        assert_eq!(c.resolve("report.txt"), Err(SourceError::NotFound { suggestion: None }));
        assert_eq!(c.resolve("a.tx"), Err(SourceError::NotFound { suggestion: Some("a.txt".into()) }));
    }

    #[cfg(unix)]
    #[test]
    fn the_listing_never_includes_a_link_out_of_the_root() {
        // Regression: a link to an outside file was listed, and so read by the
        // search for quotes cited to other sources.
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("alias.txt")).unwrap();
        assert_eq!(Corpus::open(dir.path()).listing, ["a.txt", "alias.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn rejects_symlinks_out_of_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("link.txt")).unwrap();
        let c = Corpus::open(dir.path());
        assert!(matches!(c.resolve("link.txt"), Err(SourceError::Outside(m)) if m.contains("symbolic link")));
    }

    #[test]
    fn reading_again_tells_a_changed_file_by_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{FEFF}first text").unwrap();
        let doc = Corpus::open(dir.path()).read_all(&["a.txt".into()]).remove("a.txt").unwrap().unwrap();
        assert_eq!(doc.origin.text().as_deref().map(String::as_str), Some("first text"));
        // Same length, other words: the modification time tells.
        std::fs::write(&path, "\u{FEFF}other text").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000)).unwrap();
        assert_eq!(doc.origin.text(), None);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(doc.origin.text(), None);
    }

    #[test]
    fn a_kept_text_is_the_one_searched_and_only_as_much_is_kept_as_allowed() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(dir.path().join(name), "ten bytes.").unwrap();
        }
        let rels: Vec<String> = ["a.txt", "b.txt", "c.txt"].map(String::from).to_vec();
        let corpus = Corpus::open(dir.path()).keeping(25);
        assert!((corpus.fits_in(30), corpus.fits_in(29)) == (true, false), "three 10-byte sources");
        let docs = corpus.read_all(&rels);
        let kept: Vec<&Document> = docs.values().map(|d| d.as_ref().unwrap()).filter(|d| d.origin.kept.is_some()).collect();
        assert_eq!(kept.len(), 2, "25 bytes keep two 10-byte sources");
        // Edited after the reading, a kept source still gives what was searched.
        let path = &kept[0].origin.path;
        std::fs::write(path, "other text").unwrap();
        assert_eq!(kept[0].origin.text().as_deref().map(String::as_str), Some("ten bytes."));
    }

    #[test]
    fn a_byte_order_mark_is_no_text_whether_the_source_is_kept_or_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "\u{FEFF}Marked text.").unwrap();
        for keep in [0, 1 << 20] {
            let doc = Corpus::open(dir.path()).keeping(keep).read_all(&["a.txt".into()]).remove("a.txt").unwrap().unwrap();
            assert_eq!(doc.norm.text, "Marked text.");
            assert_eq!(doc.origin.kept.is_some(), keep > 0);
            assert_eq!(doc.origin.text().as_deref().map(String::as_str), Some("Marked text."));
        }
    }

    #[test]
    fn says_why_and_where_a_file_is_unreadable() {
        let e = decode(b"ok\nab\xFFcd".to_vec()).unwrap_err();
        assert_eq!(e, SourceError::Unreadable("it is not valid UTF-8 (byte 0xFF at byte 5, line 2, column 3)".into()));
        let e = decode(b"a\x00b".to_vec()).unwrap_err();
        assert!(e.to_string().contains("binary (a NUL byte at byte 1, line 1, column 2)"));
    }
}
