//! Emitters: one file per output format, all rendering the one diagnostic
//! model. Emitters never decide what is a finding; they only render.

pub mod concise;
pub mod context;
mod evidence;
pub mod figures;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::check::Report;
pub use human::{Style, summary_line};

/// The output formats of `citelint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable diagnostics with snippets of both files.
    Human,
    /// One line a finding: `path:line:col: severity[rule] message (claim)`.
    Concise,
    /// One JSON document (see the README for its fields).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report (JSON), for merge requests.
    Gitlab,
    /// JUnit XML, one test case per claim.
    Junit,
    /// The evidence report: one self-contained HTML page for editors.
    Html,
}

/// Renders a report in the given format.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Concise => concise::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report),
        Format::Html => html::render(report, None),
    }
}
