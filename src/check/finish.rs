//! The last stage: `allow` lists applied (and the entries that suppress
//! nothing reported), configured severities set, only the reported files'
//! findings kept, in order of place.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::files::Files;
use crate::model::{Claim, FileId};
use crate::rules::{self, unused_allow};

/// Applies `allow` lists (reporting the entries that suppress nothing) and
/// configured severities, keeps the findings of the reported files, and
/// sorts them by place.
pub(super) fn finish(
    config: &Config,
    diagnostics: Vec<Diagnostic>,
    claims: &[&Claim],
    reported: &HashSet<FileId>,
    files: &Files,
) -> Vec<Diagnostic> {
    // Only the reported files' findings are kept: only their claims are looked up.
    let by_id: HashMap<(FileId, &str), &Claim> =
        claims.iter().filter(|c| reported.contains(&c.file)).map(|&c| ((c.file, c.id.value.as_str()), c)).collect();
    let mut used: HashSet<(FileId, String, &'static str)> = HashSet::new();
    let mut kept: Vec<Diagnostic> = Vec::new();
    for d in diagnostics.into_iter().filter(|d| reported.contains(&d.file)) {
        let claim = d.claim.as_deref().and_then(|id| by_id.get(&(d.file, id)));
        if let Some(c) = claim.filter(|c| c.allows(d.rule.name)) {
            used.insert((c.file, c.id.value.clone(), d.rule.name));
            continue;
        }
        kept.push(d);
    }
    for c in claims.iter().filter(|c| reported.contains(&c.file)) {
        for entry in &c.allow {
            let rule = rules::by_name(&entry.value).expect("allow entries name rules");
            // A rule turned off in the config has nothing to suppress by design.
            if config.severity(rule) == Severity::Off || used.contains(&(c.file, c.id.value.clone(), rule.name)) {
                continue;
            }
            kept.push(unused_allow::diagnostic(c, entry));
        }
    }
    let mut out: Vec<Diagnostic> = kept
        .into_iter()
        .filter_map(|mut d| {
            // A configured severity rules; otherwise the finding's own (a
            // rule may report at a lower level than its default, as
            // `source-changed` does when the passage still stands).
            if let Some(s) = config.configured(d.rule) {
                d.severity = s;
            }
            (d.severity != Severity::Off).then_some(d)
        })
        .collect();
    out.sort_by(|a, b| {
        (files.get(a.file).name.as_str(), a.span.start, a.rule.name).cmp(&(files.get(b.file).name.as_str(), b.span.start, b.rule.name))
    });
    out
}
