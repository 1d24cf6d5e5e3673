//! What a finished check hands to its consumers (the emitters, fixes,
//! baselines, the cache and the language server): the findings, the files
//! they point into, the counts, and where each quote stands.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::files::Files;
use crate::model::{FileId, Span};

/// The outcome of a check.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// The claims checked (in the reported files), in file order.
    pub claims: Vec<ClaimRef>,
    /// Where each checked quote stands (exactly, or its closest passage). A
    /// quote found in its cited source has its passage only when
    /// [`CheckOptions::passages`] asks for it.
    pub quotes: Vec<QuoteRef>,
    /// The lock as `citelint lock` would write it now, when asked for
    /// ([`CheckOptions::lock`](super::CheckOptions::lock)) or when a lock exists.
    pub lock: Option<crate::load::lock::Lock>,
}

/// A quote and the passage it was found at, for editors (hover, go to definition).
#[derive(Debug, Clone)]
pub struct QuoteRef {
    pub file: FileId,
    /// The quote's value and the `source` value in the claim file.
    pub quote: Span,
    pub source: Span,
    /// The passage: the source document (registered in the report's files) and the span.
    pub passage: Option<(FileId, Span)>,
}

impl Report {
    /// Counts the findings by severity again (after a baseline or fixes removed some).
    pub fn recount(&mut self) {
        let s = &mut self.summary;
        (s.errors, s.warnings, s.infos) = (0, 0, 0);
        for d in &self.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
                Severity::Off => {}
            }
        }
    }
}

/// A checked claim, for outputs that list claims (JUnit, the evidence report).
#[derive(Debug, Clone)]
pub struct ClaimRef {
    pub file: FileId,
    pub id: String,
    pub start: usize,
    /// The statement's value in the claim file, where the claim has one.
    pub statement: Option<Span>,
}

/// Counts for the last line of the output.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub claims: usize,
    pub files: usize,
    pub sources: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// With a baseline: findings it covered, and its entries that matched nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_baseline: Option<usize>,
    /// With `--fix`: findings fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}
