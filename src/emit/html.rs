//! `--format html`: the evidence report, for the editors who sign a story
//! off. One self-contained page (its style and script inline, nothing
//! fetched), built with maud, which escapes every value it is given: a
//! summary, then each claim with its statement, verdict, quotes beside their
//! passages in context (the passage marked, a misquote's word diff), its
//! findings, and the figures table. Filters and a search box work with
//! JavaScript; without it, the page is the whole report.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::evidence::{ClaimView, PassageView, QuoteView, gather};
use crate::check::FigureTable;
use crate::check::Report;
use crate::diagnostic::{Diagnostic, RelatedKind, Severity};
use crate::quote::diff::Change;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The evidence report of `report`, with the figures table where keys are described.
pub fn render(report: &Report, figures: Option<&FigureTable>) -> String {
    let (claims, loose) = gather(report);
    let s = &report.summary;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "citelint " (env!("CARGO_PKG_VERSION")) };
                title { "Evidence report: " (s.claims) " claims, " (s.errors) " errors" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#claims" { "Skip to the claims" }
                header {
                    h1 { "Evidence report" }
                    p { "Every claim with the passages its quotes stand in, as citelint " (env!("CARGO_PKG_VERSION")) " found them." }
                }
                main {
                    (summary(report, &claims))
                    (filters(report))
                    section #claims aria-labelledby="claims-heading" {
                        h2 #claims-heading { "Claims" }
                        p #shown role="status" aria-live="polite" {}
                        @for (n, c) in claims.iter().enumerate() { (claim(n, c)) }
                    }
                    @if !loose.is_empty() {
                        section aria-labelledby="other-heading" {
                            h2 #other-heading { "Other findings" }
                            ul.findings { @for d in &loose { (finding(d, Some(place(report, d)))) } }
                        }
                    }
                    @if let Some(t) = figures { (figure_table(t)) }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

fn verdict_word(v: Option<Severity>) -> &'static str {
    match v {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Info) => "info",
        _ => "ok",
    }
}

fn summary(report: &Report, claims: &[ClaimView]) -> Markup {
    let s = &report.summary;
    let clean = claims.iter().filter(|c| c.verdict.is_none()).count();
    let mut by_rule: Vec<(&str, &str, usize)> = Vec::new();
    for d in &report.diagnostics {
        match by_rule.iter_mut().find(|(r, _, _)| *r == d.rule.name) {
            Some(row) => row.2 += 1,
            None => by_rule.push((d.rule.name, d.severity.as_str(), 1)),
        }
    }
    by_rule.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    html! {
        section aria-labelledby="summary-heading" {
            h2 #summary-heading { "Summary" }
            dl.counts {
                div { dt { "Claims" } dd { (s.claims) } }
                div { dt { "Sources cited" } dd { (s.sources) } }
                div { dt { "Claims without findings" } dd { (clean) } }
                div.error { dt { "Errors" } dd { (s.errors) } }
                div.warning { dt { "Warnings" } dd { (s.warnings) } }
            }
            @if !by_rule.is_empty() {
                table {
                    caption { "Findings by rule" }
                    thead { tr { th scope="col" { "Rule" } th scope="col" { "Severity" } th scope="col" { "Findings" } } }
                    tbody {
                        @for (rule, severity, n) in &by_rule {
                            tr { td { code { (rule) } } td { (severity) } td { (n) } }
                        }
                    }
                }
            }
        }
    }
}

/// The filter controls: hidden until the script shows them, so that a page
/// read without JavaScript has no controls that do nothing.
fn filters(report: &Report) -> Markup {
    let mut rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.name).collect();
    rules.sort_unstable();
    rules.dedup();
    html! {
        form #filters hidden aria-label="Filter the claims" {
            label for="verdict" { "Verdict " }
            select #verdict {
                option value="" { "all" }
                option value="error" { "errors" }
                option value="warning" { "warnings" }
                option value="ok" { "no findings" }
            }
            label for="rule" { " Rule " }
            select #rule {
                option value="" { "all" }
                @for r in &rules { option value=(r) { (r) } }
            }
            label for="search" { " Search " }
            input #search type="search" placeholder="words in a claim, quote or source";
        }
    }
}

fn claim(n: usize, c: &ClaimView) -> Markup {
    let verdict = verdict_word(c.verdict);
    let mut rules: Vec<&str> = c.quotes.iter().flat_map(|q| q.findings.iter()).chain(&c.findings).map(|d| d.rule.name).collect();
    rules.sort_unstable();
    rules.dedup();
    html! {
        article.claim id={ "claim-" (n + 1) } data-verdict=(verdict) data-rules=(rules.join(" ")) aria-labelledby={ "claim-" (n + 1) "-id" } {
            h3 id={ "claim-" (n + 1) "-id" } {
                span.verdict.(verdict) { (verdict) }
                " " code { (c.id) }
            }
            @if let Some(s) = c.statement { p.statement { (s) } }
            p.where { (c.file) ", line " (c.line) }
            @for q in &c.quotes { (quote(q)) }
            @if !c.findings.is_empty() {
                ul.findings { @for d in &c.findings { (finding(d, None)) } }
            }
        }
    }
}

fn quote(q: &QuoteView) -> Markup {
    html! {
        div.evidence {
            figure.quote {
                figcaption { "Quoted" }
                blockquote { (q.quote) }
            }
            @match &q.passage {
                Some(p) => (passage(p, q.source)),
                None => figure.passage.missing {
                    figcaption { "Source " code { (q.source) } }
                    p { "No passage of this source holds the quote." }
                },
            }
            @if let Some(diff) = &q.diff {
                p.diff {
                    span.label { "Word diff (quote → source): " }
                    @for (change, run) in diff {
                        @match change {
                            Change::Same => (run),
                            Change::Removed => del { (run) },
                            Change::Added => ins { (run) },
                        }
                    }
                }
            }
            @if !q.findings.is_empty() {
                ul.findings { @for d in &q.findings { (finding(d, None)) } }
            }
        }
    }
}

fn passage(p: &PassageView, cited: &str) -> Markup {
    let t = &p.text;
    html! {
        figure.passage {
            figcaption {
                "Source " a href=(href(p.file)) { code { (p.file) } } ", " (p.place)
                @if !p.file.ends_with(cited) { " (cited: " code { (cited) } ")" }
            }
            blockquote {
                @if t.cut_before { "… " }
                (t.before) mark { (t.passage) } (t.after)
                @if t.cut_after { " …" }
            }
        }
    }
}

/// A finding: rule, message, help, and the related places (a figure
/// finding's values side by side); `place` for one outside any claim (its
/// file and position).
fn finding(d: &Diagnostic, place: Option<String>) -> Markup {
    html! {
        li.finding.(d.severity.as_str()) data-rule=(d.rule.name) {
            span.severity { (d.severity.as_str()) } " "
            code.rule { (d.rule.name) } ": " (d.message)
            @if let Some(p) = place { " (" (p) ")" }
            @if let Some(h) = &d.help { p.help { "Help: " (h) } }
            @if !d.related.is_empty() {
                table.related {
                    thead { tr { th scope="col" { "Where" } th scope="col" { "What it says" } } }
                    tbody {
                        @for r in &d.related {
                            tr {
                                td { (if r.kind == RelatedKind::Source { "source: " } else { "claim: " }) (r.message) }
                                td { (r.label) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a finding outside any claim stands: its file and position.
fn place(report: &Report, d: &Diagnostic) -> String {
    let f = report.files.get(d.file);
    format!("{}, {}", f.name, f.position(d.span.start).describe())
}

fn figure_table(t: &FigureTable) -> Markup {
    html! {
        section aria-labelledby="figures-heading" {
            h2 #figures-heading { "Figures" }
            @for k in &t.keys {
                table.figures.conflict[k.conflict] {
                    caption {
                        code { (k.key) }
                        @if let Some(c) = &k.counts { " (counts " (c) ")" }
                        @if k.conflict { " " strong.error { "conflict" } }
                    }
                    thead { tr { th scope="col" { "Value" } th scope="col" { "Sources" } th scope="col" { "Claims" } } }
                    tbody {
                        @for v in &k.values {
                            tr { td { (v.value) } td { (v.sources.join(", ")) } td { (v.claims.join(", ")) } }
                        }
                    }
                }
            }
        }
    }
}

/// A relative link to a file, its path percent-encoded where a URL needs it.
fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
