//! The `source-changed` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::{Diagnostic, Related, RelatedKind, Severity};
use crate::model::{Claim, FileId, Span, Text};

declare_rule! {
    /// ## What it does
    /// Reports each claim citing a source whose bytes differ from its entry
    /// in `citelint.lock`: a warning when the passage that verified the
    /// quote still stands in the source (with where it is now), an error
    /// when it does not, with the passage as it was beside the closest
    /// passage now, as a word diff.
    ///
    /// ## Why it matters
    /// News pages are edited after publication, often silently, and reports
    /// are re-issued with corrected figures. A claim verified against one
    /// version of a source can be wrong against the next although nobody
    /// touched the claims.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: council-libraries
    ///     source: council.html        # edited by the council since `citelint lock`
    ///     quote: the council had opened 48 new libraries
    /// ```
    ///
    /// ## How to fix
    /// Read what changed (the word diff shows it). If the claim still holds,
    /// run `citelint lock` to accept the new version; if not, correct the
    /// claim, or cite the archived version you verified.
    pub static SOURCE_CHANGED = ("source-changed", Error, "A cited source changed since it was locked");
}

/// What changed under one quote.
pub struct Change<'a> {
    pub source: &'a Text,
    /// When the source was fetched, if the lock says.
    pub retrieved: Option<&'a str>,
    /// The passage that verified the quote, as locked (normalised text).
    pub old: &'a str,
    /// Where the passage stands now (it still does), or the closest passage now, with its text.
    pub now: Option<(FileId, Span, String)>,
    pub still_stands: bool,
}

pub fn diagnostic(claim: &Claim, c: Change, diff: Option<String>) -> Diagnostic {
    let when = c.retrieved.map(|r| format!(" (retrieved {r})")).unwrap_or_default();
    let name = &c.source.value;
    let (message, severity, help) = if c.still_stands {
        (
            format!("`{name}` changed since it was locked{when}; the passage that verified this quote still stands"),
            Severity::Warning,
            "review the change, then run `citelint lock` to accept it".to_owned(),
        )
    } else {
        let shown = diff.map(|d| format!("; the passage then and the closest now: {d}")).unwrap_or_default();
        (
            format!("`{name}` changed since it was locked{when}, and the passage that verified this quote no longer stands"),
            Severity::Error,
            format!(
                "correct the claim, or cite the version you verified; if it still holds, run `citelint lock` to accept the change{shown}"
            ),
        )
    };
    let mut d = Diagnostic::new(&SOURCE_CHANGED, claim.file, c.source.span(), message)
        .claim(Some(&claim.id.value))
        .subject(c.old)
        .label(if c.still_stands { "changed since locked" } else { "changed under this claim" })
        .help(help);
    d.severity = severity;
    if let Some((file, span, text)) = c.now {
        let message = if c.still_stands { "the passage, where it stands now" } else { "the closest passage now" };
        d = d.related(Related { kind: RelatedKind::Source, file, span, message: message.into(), label: text });
    }
    d
}
