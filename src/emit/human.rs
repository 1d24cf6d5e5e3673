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
use crate::model::Span;
use crate::model::files::File;

/// A file as miette reads it, through the run's line index; a line too
/// long for the width is shown as a window around the label, with `…` where
/// it is cut.
#[derive(Debug, Clone)]
pub struct FileSource<'a> {
    pub file: &'a File,
    crop: Option<Crop>,
}

/// The window of a long line that a snippet shows: the line's bytes from
/// `start` to `end`, with `…` written over the first and last few bytes
/// where the line goes on (the same number of bytes, so that every offset
/// still lands where miette expects it).
#[derive(Debug, Clone)]
struct Crop {
    line: usize,
    start: usize,
    end: usize,
    data: Vec<u8>,
}

/// Columns the snippet's gutter and margins take.
const GUTTER: usize = 12;

impl<'a> FileSource<'a> {
    /// The file, its line cropped around `label` when longer than `width` allows.
    pub fn new(file: &'a File, label: Span, width: usize) -> Self {
        FileSource { file, crop: crop(file, label, width.saturating_sub(GUTTER).max(40)) }
    }

    /// The name shown in the snippet's header, and the line number of a
    /// line index as shown (a PDF's text is shown by page).
    fn name_and_line(&self, offset: usize, line: usize) -> (String, usize) {
        let f = self.file;
        match f.position(offset).page.zip(f.pages.as_ref()) {
            Some((page, pages)) => (format!("{}, page {page}", f.name), line.saturating_sub(f.line_index(pages[page - 1]))),
            None => (f.name.clone(), line),
        }
    }
}

/// A window of at most `budget` characters around a one-line label, when
/// its line is longer than that; the label whole (one longer than the
/// window leaves the line whole).
fn crop(f: &File, label: Span, budget: usize) -> Option<Crop> {
    let text = f.text.as_str();
    let line = f.line_index(label.start);
    let starts = f.line_starts();
    let line_start = starts[line];
    let line_end = starts.get(line + 1).map_or(text.len(), |&e| e - 1).max(line_start);
    if f.line_index(label.end.saturating_sub(1).max(label.start)) != line || text[line_start..line_end].chars().count() <= budget {
        return None;
    }
    let label_chars = text[label.range()].chars().count();
    if label_chars + 8 > budget {
        return None;
    }
    // As much before the label as after it, within the line: what one side
    // lacks, the other side gets.
    let room = budget - label_chars;
    let (before_avail, after_avail) = (text[line_start..label.start].chars().count(), text[label.end..line_end].chars().count());
    let before = before_avail.min((room / 2).max(room.saturating_sub(after_avail)));
    let start = match before {
        0 => label.start,
        k => text[line_start..label.start].char_indices().rev().nth(k - 1).map_or(line_start, |(i, _)| line_start + i),
    };
    let shown_before = text[start..label.start].chars().count();
    let after = budget.saturating_sub(label_chars + shown_before);
    let end = text[label.end..line_end].char_indices().nth(after).map_or(line_end, |(i, _)| label.end + i);
    let mut data = text.as_bytes()[start..end].to_vec();
    // `…` over the first characters where the line goes on before, and the
    // last where it goes on after: never over the label.
    if start > line_start && !ellipsis(&mut data, 0, label.start - start) {
        return None;
    }
    if end < line_end {
        let (from, len) = (label.end - start, data.len());
        let tail = text[label.end..end].char_indices().rev().find(|(i, _)| end - (label.end + i) >= 3).map(|(i, _)| label.end + i - start);
        match tail {
            Some(at) if at >= from && ellipsis(&mut data, at, len - at) => {}
            _ => return None,
        }
    }
    Some(Crop { line, start, end, data })
}

/// Writes `…` and spaces over `len` bytes of `data` from `at` (at least 3,
/// whole characters): the same length, still UTF-8.
fn ellipsis(data: &mut [u8], at: usize, room: usize) -> bool {
    let Ok(s) = std::str::from_utf8(&data[at..at + room]) else { return false };
    let Some(len) = s.char_indices().map(|(i, c)| i + c.len_utf8()).find(|&l| l >= 3) else { return false };
    data[at..at + 3].copy_from_slice("…".as_bytes());
    data[at + 3..at + len].fill(b' ');
    true
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = self.file;
        let text = f.text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // The snippet of a cropped line is its window (the header's place,
        // asked with no context, is still the label's own).
        if let Some(c) = self.crop.as_ref().filter(|c| before + after > 0 && start >= c.start && end <= c.end) {
            let column = f.text[f.line_starts()[c.line]..c.start].chars().count();
            let (name, line) = self.name_and_line(c.start, c.line);
            return Ok(Box::new(MietteSpanContents::new_named(name, &c.data, (c.start, c.end - c.start).into(), line, column, 1)));
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
        let (name, line) = self.name_and_line(start, line);
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

fn build<'a>(report: &'a Report, d: &Diagnostic, width: usize) -> Rendered<'a> {
    let related = d
        .related
        .iter()
        .map(|r| Rendered {
            message: r.message.clone(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: FileSource::new(report.files.get(r.file), r.span, width),
            labels: vec![LabeledSpan::new_primary_with_span(Some(r.label.clone()), r.span.range())],
            related: Vec::new(),
        })
        .collect();
    Rendered {
        message: d.message.clone(),
        code: Some(d.rule.name.to_owned()),
        severity: severity(d.severity),
        help: d.help.clone(),
        source: FileSource::new(report.files.get(d.file), d.span, width),
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
        let r = build(report, d, style.width);
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
