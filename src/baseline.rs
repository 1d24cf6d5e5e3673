//! Baselines, for adopting citelint on an existing claims repository:
//! today's findings are recorded by fingerprint (claim id, rule and quote
//! content, never line numbers); later runs report only new findings, and
//! say how many were baselined and how many entries no longer match.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::Report;

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub claim: Option<String>,
    pub file: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline `{0}`: {1}")]
    Read(String, std::io::Error),
    #[error("the baseline `{0}` is not a citelint baseline: {1}")]
    Invalid(String, serde_json::Error),
}

/// The findings of a report, as a baseline.
pub fn of(report: &Report) -> Baseline {
    let findings = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = report.files.get(d.file).name.clone();
            Entry { fingerprint: d.fingerprint(&file), rule: d.rule.name.to_owned(), claim: d.claim.clone(), file }
        })
        .collect();
    Baseline { version: 1, findings }
}

pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
    let name = crate::model::files::display_name(path);
    let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read(name.clone(), e))?;
    serde_json::from_str(&text).map_err(|e| BaselineError::Invalid(name, e))
}

/// Drops the report's baselined findings; records how many were dropped and
/// how many baseline entries matched nothing.
pub fn apply(report: &mut Report, baseline: &Baseline) {
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for e in &baseline.findings {
        *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let files = &report.files;
    let before = report.diagnostics.len();
    report.diagnostics.retain(|d| {
        let fp = d.fingerprint(&files.get(d.file).name);
        match remaining.get_mut(fp.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    report.summary.baselined = Some(before - report.diagnostics.len());
    report.summary.stale_baseline = Some(remaining.values().sum());
    report.recount();
}
