//! Every file a run reads (claim files, sources, config), with line counts
//! built once, so that positions and snippets cost a lookup rather than a
//! rescan from byte 0.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::model::{FileId, Span};

/// Bytes per block of [`File::position`]'s line counts.
const BLOCK: usize = 4096;

/// A file's text, its lazily built line index, and line counts by block.
#[derive(Debug)]
pub struct File {
    /// The path as shown to users (relative to the working directory when possible).
    pub name: String,
    pub path: PathBuf,
    /// Shared, not copied: a source may be large, and fixes keep the text they edit.
    pub text: Arc<String>,
    lines: OnceLock<Vec<usize>>,
    /// The line breaks before each block of `BLOCK` bytes. A corpus's
    /// sources are each named by a finding or two: a line index per source
    /// would cost a pass and fresh memory for every line of the corpus,
    /// where these cost one counting pass and a number per block.
    breaks: OnceLock<Vec<usize>>,
    /// The encoding a source was read in, where it is not UTF-8.
    pub encoding: Option<&'static str>,
    /// Where each page starts, for a source read page by page (a PDF's
    /// text, whose pages end with a form feed and a line break); positions
    /// then count lines within the page.
    pub pages: Option<Vec<usize>>,
    /// The text is markup (HTML): what a reader sees is not the text itself.
    pub markup: bool,
}

/// A 1-based line and column (in characters), and the page where the file
/// has pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

impl Position {
    /// Where it is, in words: `line 3, column 5`, or `page 2, line 3, column 5`.
    pub fn describe(&self) -> String {
        match self.page {
            Some(p) => format!("page {p}, line {}, column {}", self.line, self.column),
            None => format!("line {}, column {}", self.line, self.column),
        }
    }
}

impl File {
    pub fn new(name: String, path: PathBuf, text: Arc<String>) -> Self {
        File { name, path, text, lines: OnceLock::new(), breaks: OnceLock::new(), encoding: None, pages: None, markup: false }
    }

    /// Byte offsets where each line starts.
    pub fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_boundary(offset.min(self.text.len()));
        let bytes = self.text.as_bytes();
        let breaks = self.breaks.get_or_init(|| {
            let mut before = 0;
            let mut out = Vec::with_capacity(bytes.len() / BLOCK + 1);
            for block in bytes.chunks(BLOCK) {
                out.push(before);
                before += memchr::memchr_iter(b'\n', block).count();
            }
            out.push(before);
            out
        });
        let block = offset / BLOCK;
        let line = breaks[block] + memchr::memchr_iter(b'\n', &bytes[block * BLOCK..offset]).count();
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let column = self.text[start..offset].chars().count() + 1;
        let Some(pages) = &self.pages else {
            return Position { line: line + 1, column, page: None };
        };
        let page = pages.partition_point(|&p| p <= offset).max(1);
        let first_line = self.line_index(pages[page - 1]);
        Position { line: line - first_line + 1, column, page: Some(page) }
    }

    /// Byte offset of a 1-based line and character column (clamped to the file).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let in_line = rest.find('\n').map_or(rest.len(), |e| e);
        rest[..in_line].char_indices().nth(column.saturating_sub(1)).map_or(start + in_line, |(i, _)| start + i)
    }

    /// The text of a span, clamped to char boundaries.
    pub fn slice(&self, span: Span) -> &str {
        let s = self.floor_boundary(span.start.min(self.text.len()));
        let e = self.floor_boundary(span.end.min(self.text.len())).max(s);
        &self.text[s..e]
    }

    /// The start of the character that holds byte `i`.
    pub fn floor_boundary(&self, mut i: usize) -> usize {
        while i > 0 && !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// All files of a run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<File>,
}

impl Files {
    pub fn add(&mut self, path: &Path, text: Arc<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(File::new(display_name(path), path.to_path_buf(), text));
        id
    }

    /// Adds a source: its encoding where not UTF-8, whether its text is
    /// pages ending in form feeds (a PDF's), and whether it is markup.
    pub fn add_source(&mut self, path: &Path, text: Arc<String>, encoding: Option<&'static str>, paged: bool, markup: bool) -> FileId {
        // A page starts after the form feed and line break that end the one before.
        let after = |i: usize| if text.as_bytes().get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
        let pages = paged.then(|| std::iter::once(0).chain(memchr::memchr_iter(0x0C, text.as_bytes()).map(after)).collect());
        let id = self.add(path, text);
        let f = &mut self.files[id.0 as usize];
        (f.encoding, f.pages, f.markup) = (encoding, pages, markup);
        id
    }

    pub fn get(&self, id: FileId) -> &File {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &File)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }
}

/// A path as users should see it: relative to the working directory when it is
/// below it, with `/` separators.
pub fn display_name(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> File {
        File::new("t".into(), "t".into(), Arc::new(text.to_owned()))
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let f = file("ab\n“é” x\n");
        let x = f.text.find('x').unwrap();
        assert_eq!(f.position(x), Position { line: 2, column: 5, page: None });
        assert_eq!(f.offset_of(2, 5), x);
        assert_eq!(f.position(0), Position { line: 1, column: 1, page: None });
    }

    #[test]
    fn positions_counted_by_block_agree_with_the_line_index() {
        // Line breaks on both sides of block boundaries, and characters of
        // several bytes across them.
        let text: String = (0..3 * BLOCK / 7).map(|k| if k % 5 == 0 { "\n“é”\n" } else { "ab\ncd " }).collect();
        let f = file(&text);
        let starts = f.line_starts();
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line = f.line_index(offset);
            let column = text[starts[line]..offset].chars().count() + 1;
            assert_eq!(f.position(offset), Position { line: line + 1, column, page: None }, "at {offset}");
        }
        assert!(text.len() > 2 * BLOCK);
    }

    #[test]
    fn position_at_end_of_file() {
        let f = file("a\nb");
        assert_eq!(f.position(3), Position { line: 2, column: 2, page: None });
    }
}
