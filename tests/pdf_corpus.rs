//! Real data: PDFs from four real producers (../shared/corpora/pdf: pdfTeX,
//! groff, LibreOffice Writer, Chromium; two columns, hyphenation, ligatures,
//! running heads and feet, page breaks). Every case's quote, cited against
//! its PDF, should get the verdict the case gives: no finding for a quote
//! the article holds, `quote-mismatch` for one with a word changed. The
//! test prints the count and every case still wrong, and fails below the
//! count reached (255 of 264). The PDFs
//! are checked alone (their article texts are not in the root), so a quote
//! the PDF reader loses cannot be found elsewhere. Skips, saying why, when
//! the corpus is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citelint::check::{CheckOptions, check};
use citelint::config::Config;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/pdf");
    p.join("cases.json").is_file().then_some(p)
}

#[test]
fn every_pdf_case_gets_its_verdict() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpora/pdf is not beside the project (CI has it)");
        return;
    };
    let cases: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root.join("cases.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("pdfs");
    std::fs::create_dir(&sources).unwrap();
    for doc in cases["documents"].as_array().unwrap() {
        let name = doc["pdf"].as_str().unwrap();
        std::fs::copy(root.join(name), sources.join(name)).unwrap();
    }
    let mut yaml = String::from("claims:\n");
    let mut expected: BTreeMap<String, (String, String)> = BTreeMap::new();
    for case in cases["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let (source, quote) = (case["source"].as_str().unwrap(), case["quote"].as_str().unwrap());
        let q = serde_json::to_string(quote).unwrap();
        yaml.push_str(&format!("  - id: {id}\n    source: {source}\n    quote: {q}\n"));
        expected.insert(id.to_owned(), (case["expected"].as_str().unwrap().to_owned(), source.to_owned()));
    }
    let claims = dir.path().join("cases.yaml");
    std::fs::write(&claims, yaml).unwrap();
    let config = Config::defaults(dir.path());
    let opts = CheckOptions { paths: vec![claims], sources: Some(sources), ..Default::default() };
    let report = check(&config, &opts).expect("the check runs");
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &report.diagnostics {
        got.entry(d.claim.clone().unwrap_or_default()).or_default().push(format!("{}: {}", d.rule.name, d.message));
    }
    let mut wrong = Vec::new();
    let mut by_producer: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (id, (want, source)) in &expected {
        let findings = got.get(id).cloned().unwrap_or_default();
        let right = match want.as_str() {
            "found" => findings.is_empty(),
            rule => findings.len() == 1 && findings[0].starts_with(&format!("{rule}:")),
        };
        let producer = source.split('-').next().unwrap().to_owned();
        let tally = by_producer.entry(producer).or_default();
        tally.1 += 1;
        if right {
            tally.0 += 1;
        } else {
            wrong.push(format!("{id} (expected {want}): {findings:?}"));
        }
    }
    let right: usize = by_producer.values().map(|t| t.0).sum();
    let per: Vec<String> = by_producer.iter().map(|(p, (r, n))| format!("{p} {r}/{n}")).collect();
    eprintln!("PDF corpus: {right} of {} cases right ({})", expected.len(), per.join(", "));
    // Not yet every case: groff's PDFs (glyph advances as pdf-extract
    // measures them run the second column into the first) and compound
    // words hyphenated at a line end (`knowledge-|based` reads as one broken
    // word) are the known misses, listed here; the floor holds what is read.
    for w in &wrong {
        eprintln!("  wrong: {w}");
    }
    assert!(right >= 255, "{right} of {} right, below the 255 reached: {} wrong:\n{}", expected.len(), wrong.len(), wrong.join("\n"));
    assert!(expected.len() >= 200, "only {} cases read", expected.len());
}
