//! GitLab Code Quality: the JSON array GitLab shows in a merge request,
//! one issue a finding with `description`, `check_name`, `fingerprint`,
//! `severity` (`info`, `minor`, `major`, `critical`, `blocker`) and
//! `location` (`path`, `lines.begin`, `lines.end`). Fingerprints are
//! SARIF's (claim id, rule and subject, never a line number), so a finding
//! keeps its identity when lines move; a repeat gets a counter.

use std::collections::HashMap;

use serde_json::json;

use crate::check::Report;
use crate::diagnostic::Severity;

pub fn render(report: &Report) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let f = report.files.get(d.file);
            let (s, e) = (f.position(d.span.start), f.position(d.span.end));
            let base = d.fingerprint(&f.name);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let fingerprint = if *n == 1 { base } else { format!("{base}-{n}") };
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info | Severity::Off => "info",
            };
            let description = match &d.claim {
                Some(c) => format!("{} (claim `{c}`)", d.message),
                None => d.message.clone(),
            };
            json!({
                "description": description,
                "check_name": d.rule.name,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": { "path": f.name, "lines": { "begin": s.line, "end": e.line } },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("issues serialise") + "\n"
}
