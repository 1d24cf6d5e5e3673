//! What the search found for a quote, as the rules see it: the citation
//! being verified, a passage of a source document, and a near match ready
//! to show. The check builds these; the quote rules turn them into
//! diagnostics.

use super::claim::{Citation, Claim, FileId, Span};
use super::files::Position;

/// A citation being verified, as the rules see it.
pub struct Cited<'a> {
    pub claim: &'a Claim,
    pub citation: &'a Citation,
    /// The cited source, relative to the root.
    pub rel: &'a str,
}

/// A passage of a source document.
#[derive(Clone, Debug)]
pub struct Passage {
    pub file: FileId,
    pub rel: String,
    pub span: Span,
    pub line: usize,
    pub column: usize,
    /// The page, in a source read page by page (a PDF).
    pub page: Option<usize>,
}

impl Passage {
    /// Where the passage starts, in words: `line 3, column 5`, with its page first in a PDF.
    pub fn place(&self) -> String {
        Position { line: self.line, column: self.column, page: self.page }.describe()
    }
}

/// A near match, ready to show.
#[derive(Clone, Debug)]
pub struct Near {
    pub passage: Passage,
    pub similarity: f64,
    /// The least edit distance between the quote and the source around the passage.
    pub distance: usize,
    pub diff: String,
    pub replacement: String,
}
