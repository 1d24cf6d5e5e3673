//! Source formats: one reader per format, behind one interface. A reader
//! turns a file's bytes into the text a reader of the document sees, plus
//! what places that text back in the file:
//!
//! - text (`.txt`, `.md`, and any file that is text): the file itself, in
//!   whatever encoding it is ([`text`]);
//! - HTML (`.html`, `.htm`, `.xhtml`): the visible text, mapped back to the
//!   characters of the HTML ([`html`]);
//! - PDF (`.pdf`): the text layer, page by page ([`pdf`]).
//!
//! The format is chosen by extension first, then by content: a `.txt` that
//! is really HTML stays text (the writer chose to cite its markup), a file
//! of another extension that starts with `%PDF-` is a PDF, and one that
//! starts like an HTML document is HTML.

mod error;
pub mod html;
pub mod pdf;
pub mod text;

use std::path::Path;

use encoding_rs::Encoding;

pub use error::SourceError;

use crate::quote::normalize::{Normalized, normalize};

/// Extensions of the files the sources root is searched for.
pub const EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "xhtml", "pdf"];

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
}

impl Format {
    /// The format of a file, from its extension and its first bytes.
    pub fn of(ext: &str, bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(1024)];
        if head.starts_with(b"%PDF-") {
            return Format::Pdf;
        }
        match ext {
            "html" | "htm" | "xhtml" => Format::Html,
            "txt" | "md" => Format::Text,
            _ if looks_like_html(head) => Format::Html,
            _ => Format::Text,
        }
    }
}

/// Whether the first bytes read as the start of an HTML document.
fn looks_like_html(head: &[u8]) -> bool {
    let lower = head.to_ascii_lowercase();
    let start = lower.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF).unwrap_or(0);
    let t = &lower[start..];
    t.starts_with(b"<!doctype html") || t.starts_with(b"<html")
}

/// A source as read: the text its labels are drawn on (the file's own
/// text, or for a PDF the text of its pages, each after a form feed but the
/// first), and the normalised text the search sees, mapped to it.
#[derive(Debug)]
pub struct Read {
    /// What the labels are drawn on.
    pub file_text: String,
    pub norm: Normalized,
    pub how: How,
}

/// How a source was read, so that it can be read again the same way, and
/// said in the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct How {
    pub format: Format,
    pub encoding: &'static Encoding,
}

impl How {
    /// The encoding's name where it is not UTF-8.
    pub fn legacy_encoding(&self) -> Option<&'static str> {
        (self.encoding != encoding_rs::UTF_8 && self.format != Format::Pdf).then(|| self.encoding.name())
    }
}

/// Limits on what one source may become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of decompressed streams a PDF may expand to.
    pub pdf_expanded: usize,
    /// Seconds one PDF may take to read.
    pub pdf_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { pdf_expanded: pdf::DEFAULT_EXPANDED, pdf_seconds: pdf::DEFAULT_SECONDS }
    }
}

/// Reads a source's bytes.
pub fn read(ext: &str, bytes: Vec<u8>, limits: Limits) -> Result<Read, SourceError> {
    match Format::of(ext, &bytes) {
        Format::Pdf => {
            let pages = pdf::extract(&bytes, limits.pdf_expanded, limits.pdf_seconds)?;
            let norm = normalize(&pages);
            Ok(Read { file_text: pages, norm, how: How { format: Format::Pdf, encoding: encoding_rs::UTF_8 } })
        }
        Format::Html => {
            let decoded = text::decode(bytes, true)?;
            let page = html::extract(&decoded.text)?;
            let n = normalize(&page.text);
            let norm = Normalized { map: n.map.through(&page.origins), text: n.text };
            Ok(Read { file_text: decoded.text, norm, how: How { format: Format::Html, encoding: decoded.encoding } })
        }
        Format::Text => {
            let decoded = text::decode(bytes, false)?;
            let norm = normalize(&decoded.text);
            Ok(Read { file_text: decoded.text, norm, how: How { format: Format::Text, encoding: decoded.encoding } })
        }
    }
}

/// What a reader sees of a passage of the text labels are drawn on: for
/// HTML, the visible text of the markup (references decoded, tags gone,
/// white space as a browser collapses it); for a PDF, its lines run
/// together as the prose they are (a word hyphenated at a line end
/// joined); for text, the passage.
pub fn visible_text(how: How, passage: &str) -> String {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    match how.format {
        Format::Text => passage.to_owned(),
        Format::Html => html::extract(passage).map_or_else(|_| passage.to_owned(), |p| collapse(&p.text.replace('\u{A0}', " "))),
        Format::Pdf => collapse(&join_broken_words(passage)),
    }
}

/// `ex-` at a line end and `pansion` on the next line as `expansion`.
fn join_broken_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end_matches(['\u{c}', ' ']);
        let next_lower = lines.peek().and_then(|n| n.trim_start().chars().next()).is_some_and(char::is_lowercase);
        match line.strip_suffix('-') {
            Some(stem) if next_lower && stem.chars().next_back().is_some_and(char::is_alphabetic) => out.push_str(stem),
            _ => {
                out.push_str(line);
                out.push(' ');
            }
        }
    }
    out
}

/// What a PDF's text is cached under: the build reading it and the hash of
/// the PDF's bytes. Another build (another reader) makes every entry a miss.
pub fn pdf_cache_key(bytes: &[u8]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"pdf-text\0");
    h.update(crate::model::build::identity().as_bytes());
    h.update(b"\0");
    h.update(bytes);
    h.finalize().to_hex().to_string()
}

/// Reads a source as [`read`] does; a PDF's text comes from `cache` (a
/// folder of texts by [`pdf_cache_key`]) when it is there, and is put there
/// when it is not, so that an unchanged PDF is not parsed again. HTML is
/// not cached: its extraction runs about as fast as a cached text is read.
pub fn read_cached(ext: &str, bytes: Vec<u8>, limits: Limits, cache: Option<&Path>) -> Result<Read, SourceError> {
    let Some(dir) = cache.filter(|_| Format::of(ext, &bytes) == Format::Pdf) else {
        return read(ext, bytes, limits);
    };
    let key = pdf_cache_key(&bytes);
    let how = How { format: Format::Pdf, encoding: encoding_rs::UTF_8 };
    if let Ok(pages) = std::fs::read_to_string(dir.join(&key)) {
        let norm = normalize(&pages);
        return Ok(Read { file_text: pages, norm, how });
    }
    let read = read(ext, bytes, limits)?;
    store(dir, &key, read.file_text.as_bytes());
    Ok(read)
}

/// Writes a cache entry atomically (a temporary file, then a rename), the
/// folder made if need be; a cache that cannot be written is no reason to
/// fail a run. The run cache stores its entries with it too.
pub fn store(dir: &Path, key: &str, bytes: &[u8]) {
    let _ = std::fs::create_dir_all(dir);
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else { return };
    if std::io::Write::write_all(&mut tmp, bytes).is_ok() {
        let _ = tmp.persist(dir.join(key));
    }
}

/// The text labels are drawn on, read again as `how` read it first.
pub fn file_text(bytes: Vec<u8>, how: How, limits: Limits, cache: Option<&Path>) -> Option<String> {
    match how.format {
        Format::Pdf => read_cached("pdf", bytes, limits, cache).ok().map(|r| r.file_text),
        Format::Html | Format::Text => text::decode_as(&bytes, how.encoding),
    }
}
