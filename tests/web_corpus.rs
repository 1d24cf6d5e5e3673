//! Real data: saved web pages (../shared/corpora/web: 106 pages as saved
//! from the web, several languages and charsets). Every `with` string of
//! every page, cited as a quote of its page, must be found there, but for
//! the few listed below that a careful reading shows the page does not hold
//! as a reader sees it. Skips, saying why, when the corpus is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citelint::check::{CheckOptions, check};
use citelint::config::Config;
use citelint::load::format::html::extract;
use citelint::quote::normalize::normalize;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/web");
    p.join("cases.json").is_file().then_some(p)
}

/// `with` strings that the page does not hold as text a reader sees, and why.
const NOT_IN_THE_PAGE: &[(&str, &str, &str)] = &[
    ("scmp.com.playbook.html", "almost insulting to Hongkongers", SCRIPT_ONLY),
    ("scmp.com.playbook.html", "a sign she was working hard for the", SCRIPT_ONLY),
    ("scmp.com.playbook.html", "using political shrewdness", SCRIPT_ONLY),
];

const SCRIPT_ONLY: &str = "only inside <script> (the page's JSON-LD and its app state): the article body is drawn by JavaScript, and the saved HTML shows none of it";

/// A YAML double-quoted scalar: JSON's string syntax is one.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn every_main_content_string_of_the_saved_pages_is_found() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpora/web is not beside the project (CI has it)");
        return;
    };
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(root.join("cases.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("claims:\n");
    let mut quoted: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let file = case["file"].as_str().unwrap();
        for (k, with) in case["with"].as_array().unwrap().iter().enumerate() {
            let with = with.as_str().unwrap();
            let id = format!("p{i}-w{k}");
            yaml.push_str(&format!("  - id: {id}\n    source: {}\n    quote: {}\n", yaml_string(file), yaml_string(with)));
            order.push((id.clone(), with.to_owned()));
            quoted.insert(id, (file.to_owned(), with.to_owned()));
        }
    }
    let claims = dir.path().join("web.yaml");
    std::fs::write(&claims, yaml).unwrap();
    let config = Config::defaults(dir.path());
    let opts = CheckOptions { paths: vec![claims], sources: Some(root.join("pages")), passages: true, ..Default::default() };
    let report = check(&config, &opts).expect("the check runs");
    let mut missed = Vec::new();
    for d in &report.diagnostics {
        // A short quote found more than once is found.
        if d.rule.name == "quote-too-short" {
            continue;
        }
        let id = d.claim.clone().unwrap_or_default();
        let (file, with) = &quoted[&id];
        if NOT_IN_THE_PAGE.iter().any(|(f, w, _)| f == file && w == with) {
            continue;
        }
        missed.push(format!("{file}: {with:?}: {} {}", d.rule.name, d.message));
    }
    // Each found quote's label lands on its words in the HTML: the marked
    // span, read as a page, is the quote.
    let mut misplaced = Vec::new();
    // Quotes are reported in claim order, which is the order written.
    for (q, (id, with)) in report.quotes.iter().zip(&order) {
        let Some((file, span)) = q.passage else { continue };
        // A string not in the page has no place; its closest passage is another text.
        if NOT_IN_THE_PAGE.iter().any(|(_, w, _)| w == with) {
            continue;
        }
        let html = &report.files.get(file).text[span.range()];
        let shown = normalize(&extract(html).unwrap().text).text;
        let want = normalize(with).text;
        let strip = |s: &str| s.trim_matches(|c: char| c.is_ascii_punctuation() || c == ' ').to_lowercase();
        if strip(&shown) != strip(&want) {
            misplaced.push(format!("{id}: {with:?} labelled {html:?}"));
        }
    }
    assert!(misplaced.is_empty(), "{} labels off their quote:\n{}", misplaced.len(), misplaced.join("\n"));
    let total = quoted.len();
    let excused = NOT_IN_THE_PAGE.len();
    eprintln!(
        "web corpus: {} of {total} main-content strings found in {} pages; {excused} listed as not in the page; {} missed",
        total - missed.len() - excused,
        cases.len(),
        missed.len()
    );
    assert!(missed.is_empty(), "{} missed:\n{}", missed.len(), missed.join("\n"));
    assert!(total > 200, "only {total} strings read from cases.json");
}
