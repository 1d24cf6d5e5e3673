//! Human output: miette's graphical reports. The claim file carries the main
//! label; each related location (the source passage, or a claim elsewhere) is
//! a related diagnostic with its own snippet and `file:line:col`.
//!
//! miette's built-in sources rescan the text from byte 0 for every span;
//! [`FileSource`] answers from the run's precomputed line index instead.

use std::fmt;

use miette::{
    Diagnostic as _, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::check::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::files::File;

/// A file as miette reads it, through the run's line index.
#[derive(Debug, Clone, Copy)]
pub struct FileSource<'a>(pub &'a File);

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = self.0;
        let text = f.text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let starts = f.line_starts();
        let first = f.line_index(start);
        let last = f.line_index(end.saturating_sub(1).max(start));
        // In a PDF, context stops at the page's edge.
        let page_first = f.pages.as_ref().and_then(|pages| f.position(start).page.map(|p| f.line_index(pages[p - 1])));
        let from = first.saturating_sub(before).max(page_first.unwrap_or(0));
        let to = (last + after).min(starts.len() - 1);
        // As miette's own sources do: without context lines, the snippet starts at the span.
        let (data_start, line, column) = if before == 0 { (start, first, start - starts[first]) } else { (starts[from], from, 0) };
        let data_end = starts.get(to + 1).copied().unwrap_or(text.len()).max(data_start);
        // A PDF's text is shown by page: `report.pdf, page 2:5:1`.
        let (name, line) = match f.position(start).page.zip(f.pages.as_ref()) {
            Some((page, pages)) => (format!("{}, page {page}", f.name), line.saturating_sub(f.line_index(pages[page - 1]))),
            None => (f.name.clone(), line),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            &text[data_start..data_end],
            (data_start, data_end - data_start).into(),
            line,
            column,
            to + 1,
        )))
    }
}

/// One diagnostic as miette renders it.
struct Rendered<'a> {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error | Severity::Off => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn build<'a>(report: &'a Report, d: &Diagnostic) -> Rendered<'a> {
    let related = d
        .related
        .iter()
        .map(|r| Rendered {
            message: r.message.clone(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: FileSource(report.files.get(r.file)),
            labels: vec![LabeledSpan::new_primary_with_span(Some(r.label.clone()), r.span.range())],
            related: Vec::new(),
        })
        .collect();
    Rendered {
        message: d.message.clone(),
        code: Some(d.rule.name.to_owned()),
        severity: severity(d.severity),
        help: d.help.clone(),
        source: FileSource(report.files.get(d.file)),
        labels: vec![LabeledSpan::new_primary_with_span(Some(d.label.clone()), d.span.range())],
        related,
    }
}

/// How to render human output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
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

/// Renders every diagnostic and the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = String::new();
    for d in &report.diagnostics {
        let r = build(report, d);
        debug_assert!(r.source_code().is_some());
        if handler.render_report(&mut out, &r).is_err() {
            // Rendering into a String only fails on a span outside its file;
            // fall back to a plain line rather than lose the finding.
            out.push_str(&format!("{}: {} [{}]\n", report.files.get(d.file).name, d.message, d.rule.name));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}
