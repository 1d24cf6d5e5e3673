//! The claim model: what a claim file says, with every value tied to the exact
//! bytes it came from, so that any diagnostic can point at the real text.

use std::ops::Range;

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
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
}

/// Index of a file in [`crate::files::Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A string value from a claim file, with a map from each of its bytes back to
/// the bytes in the file that produced it (escapes, quotes and folded line
/// breaks make the two differ).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    /// `starts[i]` and `ends[i]`: the file bytes that produced value byte `i`
    /// (every byte of a multi-byte character maps to the whole character).
    pub starts: Vec<usize>,
    pub ends: Vec<usize>,
    /// The whole scalar in the file, quotes included; used for empty values.
    pub raw: Span,
}

impl Text {
    /// A value whose bytes stand one for one in the file from `start` on.
    pub fn verbatim(value: &str, start: usize) -> Self {
        let starts: Vec<usize> = (start..start + value.len()).collect();
        let ends = starts.iter().map(|s| s + 1).collect();
        Text {
            value: value.to_owned(),
            starts,
            ends,
            raw: Span::new(start, start + value.len()),
        }
    }

    /// The whole value's span in the file (without the quotes of a quoted scalar).
    pub fn span(&self) -> Span {
        self.span_of(0..self.value.len())
    }

    /// The file span of a byte range of the value. An empty range maps to the
    /// position where it stands.
    pub fn span_of(&self, r: Range<usize>) -> Span {
        if self.value.is_empty() {
            return self.raw;
        }
        let len = self.value.len();
        let (s, e) = (r.start.min(len), r.end.min(len));
        if e <= s {
            let at = if s < len { self.starts[s] } else { self.ends[len - 1] };
            return Span::new(at, at);
        }
        Span::new(self.starts[s], self.ends[e - 1])
    }
}

/// One quote and the document it is said to come from.
#[derive(Clone, Debug)]
pub struct Citation {
    pub source: Text,
    pub quote: Text,
}

/// A `figures:` entry: a key the writer chose and the value they state.
#[derive(Clone, Debug)]
pub struct FigureEntry {
    pub key: Text,
    pub value: Text,
}

/// A claim as written in a claim file.
#[derive(Clone, Debug)]
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
}
