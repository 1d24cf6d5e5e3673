//! Why a source cannot be used: what every reader, and the corpus, report.

/// Why a cited source cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Outside(String),
    #[error("not found")]
    NotFound { suggestion: Option<String> },
    #[error("{0}")]
    Unreadable(String),
    /// A URL that `citelint.lock` does not name.
    #[error("not archived")]
    NotArchived,
}
