//! JSON output: one document, `{"version": 1, "summary": {...}, "diagnostics": [...]}`.
//! Lines and columns are 1-based and count characters; `end_line` and
//! `end_column` point just past the last character (as SARIF's do).

use serde::Serialize;

use crate::check::{Report, Summary};
use crate::diagnostic::{Diagnostic, RelatedKind};
use crate::model::files::Files;
use crate::model::{FileId, Span};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: &'a Summary,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    /// In a PDF: the page (1-based); line and column count within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    line: usize,
    column: usize,
    /// Where the passage ends, when on another page.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_page: Option<usize>,
    end_line: usize,
    end_column: usize,
    /// The encoding a source was read in, where it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
}

#[derive(Serialize)]
struct Related<'a> {
    kind: &'static str,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    claim: Option<&'a str>,
    #[serde(flatten)]
    location: Location<'a>,
    source: Option<Location<'a>>,
    replacement: Option<&'a str>,
    /// For a near match: the least edit distance between quote and source.
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<usize>,
    related: Vec<Related<'a>>,
}

fn location(files: &Files, file: FileId, span: Span) -> Location<'_> {
    let f = files.get(file);
    let (s, e) = (f.position(span.start), f.position(span.end));
    let end_page = e.page.filter(|p| Some(*p) != s.page);
    Location {
        file: &f.name,
        page: s.page,
        line: s.line,
        column: s.column,
        end_page,
        end_line: e.line,
        end_column: e.column,
        encoding: f.encoding,
    }
}

fn entry<'a>(files: &'a Files, d: &'a Diagnostic) -> Entry<'a> {
    Entry {
        rule: d.rule.name,
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        claim: d.claim.as_deref(),
        location: location(files, d.file, d.span),
        source: d.source_passage().map(|r| location(files, r.file, r.span)),
        replacement: d.replacement.as_deref(),
        distance: d.distance,
        related: d
            .related
            .iter()
            .map(|r| Related {
                kind: match r.kind {
                    RelatedKind::Claim => "claim",
                    RelatedKind::Source => "source",
                },
                message: &r.message,
                location: location(files, r.file, r.span),
            })
            .collect(),
    }
}

pub fn render(report: &Report) -> String {
    let doc = Document {
        version: 1,
        summary: &report.summary,
        diagnostics: report.diagnostics.iter().map(|d| entry(&report.files, d)).collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the report serialises");
    s.push('\n');
    s
}
