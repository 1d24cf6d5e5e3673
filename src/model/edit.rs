//! An edit to a file: what a finding proposes as its fix.

use super::claim::Span;

/// Replace `span` of a file with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}
