//! SARIF 2.1.0: the rules from their documentation, one result per finding
//! with a repository-relative location, the source passage as a related
//! location, fingerprints from claim, rule and quote (never line numbers),
//! and the fix as SARIF `fixes`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::check::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::files::Files;
use crate::model::{FileId, Span};
use crate::rules::{ALL, Rule};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "note",
    }
}

/// The repository a run is in: the nearest folder with `.git` above the
/// working directory, or the working directory.
fn repository_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors().find(|d| d.join(".git").exists()).map_or(cwd.clone(), Path::to_path_buf)
}

/// A file's artifact location: relative to the repository root where it is
/// below it (lexically: a symbolic link's own path counts), else absolute.
fn artifact(files: &Files, file: FileId, root: &Path) -> Value {
    let f = files.get(file);
    let abs = if f.path.is_absolute() { f.path.clone() } else { std::env::current_dir().unwrap_or_default().join(&f.path) };
    let abs: PathBuf = abs.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    let encode = |p: &Path| p.to_string_lossy().replace('\\', "/").split('/').map(percent).collect::<Vec<_>>().join("/");
    match abs.strip_prefix(root) {
        Ok(rel) => json!({ "uri": encode(rel), "uriBaseId": "SRCROOT" }),
        Err(_) => json!({ "uri": format!("file://{}", encode(&abs)) }),
    }
}

/// Percent-encodes what a URI path segment cannot hold.
fn percent(seg: &str) -> String {
    seg.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn region(files: &Files, file: FileId, span: Span) -> Value {
    let f = files.get(file);
    let (s, e) = (f.position(span.start), f.position(span.end));
    json!({ "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column })
}

fn location(files: &Files, file: FileId, span: Span, root: &Path) -> Value {
    // A PDF's lines are lines of its extracted text, not of the file: SARIF
    // regions would point into the PDF's bytes, so the page goes in properties.
    if let Some(page) = files.get(file).position(span.start).page {
        let p = files.get(file).position(span.start);
        return json!({
            "physicalLocation": { "artifactLocation": artifact(files, file, root) },
            "properties": { "page": page, "line": p.line, "column": p.column }
        });
    }
    json!({ "physicalLocation": { "artifactLocation": artifact(files, file, root), "region": region(files, file, span) } })
}

fn rule(r: &Rule) -> Value {
    let what = r.doc.split("## Why it matters").next().unwrap_or(r.doc).replace("## What it does", "");
    json!({
        "id": r.name,
        // SARIF wants a readable name distinct from the stable id.
        "name": r.name.split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<String>(),
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": what.trim() },
        "help": { "text": r.doc.trim(), "markdown": r.doc.trim() },
        "defaultConfiguration": { "level": level(r.default_severity) },
    })
}

fn result(report: &Report, d: &Diagnostic, root: &Path) -> Value {
    let files = &report.files;
    let index = ALL.iter().position(|r| r.name == d.rule.name).unwrap_or(0);
    let text = match &d.help {
        Some(h) => format!("{}\n{h}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut l = location(files, r.file, r.span, root);
            l["id"] = json!(i);
            l["message"] = json!({ "text": format!("{}: {}", r.message, r.label) });
            l
        })
        .collect();
    let mut out = json!({
        "ruleId": d.rule.name,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [location(files, d.file, d.span, root)],
        "partialFingerprints": { "citelint/v1": d.fingerprint(&files.get(d.file).name) },
    });
    if !related.is_empty() {
        out["relatedLocations"] = json!(related);
    }
    if !d.edits.is_empty() {
        let replacements: Vec<Value> = d
            .edits
            .iter()
            .map(|e| json!({ "deletedRegion": region(files, d.file, e.span), "insertedContent": { "text": e.text } }))
            .collect();
        out["fixes"] = json!([{
            "description": { "text": "use the source's exact words" },
            "artifactChanges": [{ "artifactLocation": artifact(files, d.file, root), "replacements": replacements }],
        }]);
    }
    out
}

pub fn render(report: &Report) -> String {
    let root = repository_root();
    let root_uri = format!("file://{}/", root.to_string_lossy().replace('\\', "/").trim_end_matches('/'));
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "citelint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/citelint/citelint",
                "rules": ALL.iter().map(|r| rule(r)).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": { "SRCROOT": { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "results": report.diagnostics.iter().map(|d| result(report, d, &root)).collect::<Vec<_>>(),
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF serialises");
    s.push('\n');
    s
}
