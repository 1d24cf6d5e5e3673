//! Telling a caller what the run is doing, phase by phase (the spinner and
//! `--timings` listen). The check calls it and never prints.

use std::sync::Arc;

/// A receiver of phase names; the check calls it and never prints.
#[derive(Clone, Default)]
pub struct Progress(Option<PhaseFn>);

type PhaseFn = Arc<dyn Fn(&str) + Send + Sync>;

impl Progress {
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(f)))
    }
    pub fn phase(&self, what: &str) {
        if let Some(f) = &self.0 {
            f(what);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Progress(on)" } else { "Progress(off)" })
    }
}

/// `n` and a noun, in the plural unless `n` is one: for phase names.
pub(super) fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
