//! `--statistics`, as ruff's: in place of the findings, how many each rule
//! raised (most first), with its severity, then the summary line.

use std::collections::BTreeMap;

use crate::check::Report;
use crate::emit::human::summary_line;

pub fn render(report: &Report) -> String {
    let mut counts: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for d in &report.diagnostics {
        counts.entry(d.rule.name).or_insert((0, d.severity.as_str())).0 += 1;
    }
    let mut rows: Vec<(&str, usize, &str)> = counts.into_iter().map(|(rule, (n, sev))| (rule, n, sev)).collect();
    // Most first; a tie in rule order, so the output is stable.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.1.to_string().len()).max().unwrap_or(1);
    let name_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, n, sev) in rows {
        out.push_str(&format!("{n:>width$}  {rule:<name_width$}  {sev}\n"));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}
