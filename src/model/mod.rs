//! What the layers share, and nothing else: claims and the spans that tie
//! every value to its file ([`claim`]), the files a run reads with their
//! positions ([`files`]), and what the search found for a quote ([`found`]).
//!
//! The model holds data and the small methods that read it; it imports no
//! other module of the crate, so every layer may use it.

pub mod build;
pub mod claim;
pub mod edit;
pub mod files;
pub mod found;

pub use claim::{Citation, Claim, FigureEntry, FileId, Span, Text};
pub use edit::Edit;
