//! The one-line format, as ruff's and Vale's: `path:line:col: severity[rule]
//! message (claim id)`, one finding a line, then the summary line. For
//! large runs, and for tools that read lines (an editor's quickfix list,
//! `grep`). Colour (severity and rule) only when the style asks for it.

use crate::check::Report;
use crate::diagnostic::Severity;
use crate::emit::human::{Style, summary_line};

/// ANSI colours, only where the style asks for them.
fn paint(style: Style, code: &str, text: &str) -> String {
    if style.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
}

pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let f = report.files.get(d.file);
        let p = f.position(d.span.start);
        let (word, colour) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info | Severity::Off => ("info", "1;36"),
        };
        // One line a finding: a message never breaks it.
        let message = d.message.replace(['\n', '\r'], " ");
        let claim = d.claim.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let rule = paint(style, "2", &format!("[{}]", d.rule.name));
        out.push_str(&format!("{}:{}:{}: {}{rule} {message}{claim}\n", f.name, p.line, p.column, paint(style, colour, word)));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}
