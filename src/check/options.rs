//! What a run is asked to do beyond the configuration ([`CheckOptions`]),
//! and why it may not run at all ([`RunError`], exit code 2).

use std::path::PathBuf;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::progress::Progress;
use super::warm::Warm;

/// Bytes of sources' original text kept from their first reading by
/// default: a source a hook or an editor checks is placed without being
/// read twice, and a large corpus costs only this much more.
pub const KEPT_SOURCES: usize = 16 << 20;

/// What to check, beyond the configuration.
#[derive(Debug, Default, Clone)]
pub struct CheckOptions {
    /// Claim files or folders to report on; empty means the configured ones.
    pub paths: Vec<PathBuf>,
    /// Overrides the configured sources root.
    pub sources: Option<PathBuf>,
    /// Overrides the configured similarity threshold.
    pub similarity: Option<f64>,
    /// Claim files whose text is given rather than read (an editor's unsaved buffers).
    pub overlays: Vec<(PathBuf, String)>,
    /// Told what the run is doing, phase by phase (a progress display).
    pub progress: Progress,
    /// Record where every quote stands, found or not ([`Report::quotes`](super::Report::quotes)),
    /// for editors. Off, only findings are placed, and a source none of
    /// them names is not read again.
    pub passages: bool,
    /// Bytes of sources' original text kept from their first reading, for
    /// placing findings; a source beyond is read again. `None` is
    /// [`KEPT_SOURCES`].
    pub kept_sources: Option<usize>,
    /// A folder where the text of PDFs is cached by their hash, so that an
    /// unchanged PDF is not parsed again; `None` parses every time.
    pub text_cache: Option<PathBuf>,
    /// A folder where claim files' parses and quotes' outcomes are kept for
    /// the next run, each with what it depended on; `None` keeps nothing.
    /// A warm session keeps them in memory instead.
    pub store: Option<PathBuf>,
    /// Build the lock as `citelint lock` would write it ([`Report::lock`](super::Report::lock)).
    pub lock: bool,
    /// A warm session (an editor's) whose sources, outcomes and parsed
    /// claim files this run uses and adds to; `None` runs cold.
    pub warm: Option<Arc<Mutex<Warm>>>,
    /// Set by the caller when the result is no longer wanted (an editor's
    /// newer change): the run stops at its next stage with
    /// [`RunError::Cancelled`].
    pub cancel: Option<Arc<AtomicBool>>,
}

impl CheckOptions {
    /// Stops the run if its caller no longer wants the result.
    pub(super) fn go_on(&self) -> Result<(), RunError> {
        match &self.cancel {
            Some(c) if c.load(Ordering::Relaxed) => Err(RunError::Cancelled),
            _ => Ok(()),
        }
    }
}

/// Why a check could not run at all (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error("`{0}` does not exist")]
    #[diagnostic(code(citelint::run), help("check the paths given on the command line and in citelint.toml"))]
    PathNotFound(PathBuf),
    #[error("the sources root `{0}` does not exist")]
    #[diagnostic(code(citelint::run), help("check the paths given on the command line and in citelint.toml"))]
    NoSourcesRoot(PathBuf),
    #[error("`--similarity` must be above 0 and at most 1, found {0}")]
    #[diagnostic(code(citelint::run), help("give a similarity such as 0.85"))]
    BadSimilarity(f64),
    /// Findings place their labels by reading a source again; one that
    /// changed since it was searched would get labels in the wrong places.
    #[error("the source `{0}` changed while citelint was checking it")]
    #[diagnostic(code(citelint::run), help("check again once the source is saved"))]
    SourceChanged(PathBuf),
    #[error(transparent)]
    #[diagnostic(code(citelint::lock), help("fix or delete citelint.lock, then run `citelint lock` to write it again"))]
    Lock(#[from] crate::load::lock::LockError),
    /// The caller cancelled the run (an editor's check of a version since replaced).
    #[error("the check was cancelled")]
    #[diagnostic(code(citelint::run))]
    Cancelled,
}
