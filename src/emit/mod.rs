//! Emitters: one file per output format, all rendering the one diagnostic
//! model. Emitters never decide what is a finding; they only render.

pub mod figures;
pub mod human;
pub mod json;

use crate::check::Report;

/// The output formats of `citelint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable diagnostics with snippets of both files.
    Human,
    /// One JSON document (see the README for its fields).
    Json,
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
    line
}
