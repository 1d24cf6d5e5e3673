//! The claim model: what a claim file says, with every value tied to the exact
//! bytes it came from, so that any diagnostic can point at the real text.

use std::ops::Range;

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end: end.max(start) }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The span moved by `by` bytes (a text before it grew or shrank).
    pub fn shifted(self, by: isize) -> Span {
        Span { start: self.start.saturating_add_signed(by), end: self.end.saturating_add_signed(by) }
    }
}

/// Index of a file in [`crate::model::files::Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct FileId(pub u32);

/// A run of a [`Text`]'s bytes with one rule back to the file: `raw_len`
/// 0 means the bytes stand one for one; otherwise each byte of the run maps
/// to the same `raw_len` file bytes (an escape, a doubled quote, a folded line
/// break).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct TextSeg {
    at: usize,
    file: usize,
    raw_len: usize,
}

/// A string value from a claim file, with a map from each of its bytes back to
/// the bytes in the file that produced it (escapes, quotes and folded line
/// breaks make the two differ). The map is run-length.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub value: String,
    segs: Vec<TextSeg>,
    /// The whole scalar in the file, quotes included; used for empty values.
    pub raw: Span,
}

impl Text {
    /// A value whose bytes stand one for one in the file from `start` on.
    pub fn verbatim(value: &str, start: usize) -> Self {
        let segs = vec![TextSeg { at: 0, file: start, raw_len: 0 }];
        Text { value: value.to_owned(), segs, raw: Span::new(start, start + value.len()) }
    }

    /// Starts building a value whose characters are added with [`Text::push`].
    pub fn builder(raw: Span) -> Self {
        Text { value: String::new(), segs: Vec::new(), raw }
    }

    /// Appends a character that the file bytes `file` produced.
    pub fn push(&mut self, c: char, file: Range<usize>) {
        let at = self.value.len();
        let one_for_one = file.len() == c.len_utf8();
        let continues = self.segs.last().is_some_and(|s| s.raw_len == 0 && one_for_one && s.file + (at - s.at) == file.start);
        if !continues {
            self.segs.push(TextSeg { at, file: file.start, raw_len: if one_for_one { 0 } else { file.len().max(1) } });
        }
        self.value.push(c);
    }

    /// Moves the value's place in the file by `by` bytes.
    pub fn shift(&mut self, by: isize) {
        for s in &mut self.segs {
            s.file = s.file.saturating_add_signed(by);
        }
        self.raw = self.raw.shifted(by);
    }

    fn seg(&self, i: usize) -> &TextSeg {
        &self.segs[self.segs.partition_point(|s| s.at <= i).saturating_sub(1)]
    }

    fn start_of(&self, i: usize) -> usize {
        let s = self.seg(i);
        if s.raw_len == 0 { s.file + (i - s.at) } else { s.file }
    }

    fn end_of(&self, i: usize) -> usize {
        let s = self.seg(i);
        if s.raw_len == 0 { s.file + (i - s.at) + 1 } else { s.file + s.raw_len }
    }

    /// The whole value's span in the file (without the quotes of a quoted scalar).
    pub fn span(&self) -> Span {
        self.span_of(0..self.value.len())
    }

    /// The file span of a byte range of the value. An empty range maps to the
    /// position where it stands.
    pub fn span_of(&self, r: Range<usize>) -> Span {
        if self.value.is_empty() || self.segs.is_empty() {
            return self.raw;
        }
        let len = self.value.len();
        let (s, e) = (r.start.min(len), r.end.min(len));
        if e <= s {
            let at = if s < len { self.start_of(s) } else { self.end_of(len - 1) };
            return Span::new(at, at);
        }
        Span::new(self.start_of(s), self.end_of(e - 1))
    }
}

/// One quote and the document it is said to come from.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Citation {
    pub source: Text,
    pub quote: Text,
}

/// A `figures:` entry: a key the writer chose and the value they state.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FigureEntry {
    pub key: Text,
    pub value: Text,
}

/// A claim as written in a claim file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    pub file: FileId,
    pub id: Text,
    pub statement: Option<Text>,
    pub citations: Vec<Citation>,
    pub figures: Vec<FigureEntry>,
    pub allow: Vec<Text>,
    /// Where the claim's mapping starts, for diagnostics about the claim as a whole.
    pub span: Span,
}

impl Claim {
    pub fn allows(&self, rule: &str) -> bool {
        self.allow.iter().any(|a| a.value == rule)
    }

    /// Moves the claim's place in its file by `by` bytes (a text before it grew or shrank).
    pub fn shift(&mut self, by: isize) {
        self.span = self.span.shifted(by);
        let citations = self.citations.iter_mut().flat_map(|c| [&mut c.source, &mut c.quote]);
        let figures = self.figures.iter_mut().flat_map(|f| [&mut f.key, &mut f.value]);
        for t in self.statement.iter_mut().chain([&mut self.id]).chain(citations).chain(figures).chain(self.allow.iter_mut()) {
            t.shift(by);
        }
    }
}
