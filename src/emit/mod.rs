//! Emitters: one file per output format, all rendering the one diagnostic
//! model. Emitters never decide what is a finding; they only render.

pub mod figures;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::check::Report;

/// The output formats of `citelint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable diagnostics with snippets of both files.
    Human,
    /// One JSON document (see the README for its fields).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, one test case per claim.
    Junit,
}

/// How to render human output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// Renders a report in the given format.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Junit => junit::render(report),
    }
}

/// The one-line summary that ends human output.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "{} in {} checked against {}: {}, {}",
        plural(s.claims, "claim", "claims"),
        plural(s.files, "file", "files"),
        plural(s.sources, "source", "sources"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
    );
    if s.infos > 0 {
        line.push_str(&format!(", {}", plural(s.infos, "note", "notes")));
    }
    if let Some(n) = s.fixed {
        line.push_str(&format!("; {} fixed", plural(n, "finding", "findings")));
    }
    if let (Some(b), Some(stale)) = (s.baselined, s.stale_baseline) {
        line.push_str(&format!("; {b} baselined, {} no longer matching", plural(stale, "baseline entry", "baseline entries")));
    }
    line
}
