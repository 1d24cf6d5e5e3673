//! A claim of each kind shows a diagnostic whose labels land on the right
//! characters in both files: the claim file and the source document.

mod common;

use citelint::check::Report;
use citelint::diagnostic::Diagnostic;

fn check(yaml: &str) -> (tempfile::TempDir, Report) {
    common::at_root();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.yaml");
    std::fs::write(&file, yaml).unwrap();
    let report = common::check_file(&file, &common::seeds());
    (dir, report)
}

fn only(report: &Report, rule: &str) -> Diagnostic {
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.rule.name == rule).collect();
    assert_eq!(found.len(), 1, "expected one {rule}:\n{}", common::human(report));
    found[0].clone()
}

/// The text under the main label and under the source passage.
fn labelled(report: &Report, d: &Diagnostic) -> (String, Option<String>) {
    let claim = report.files.get(d.file).slice(d.span).to_owned();
    let source = d.source_passage().map(|r| report.files.get(r.file).slice(r.span).to_owned());
    (claim, source)
}

#[test]
fn plain_scalar_misquote() {
    let (_d, r) =
        check("claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n");
    let d = only(&r, "quote-mismatch");
    assert_eq!(
        labelled(&r, &d),
        ("48 other stations, 12 of which are in Italy".into(), Some("48 other stations, 11 of which are in Italy".into()))
    );
    assert_eq!(d.replacement.as_deref(), Some("48 other stations, 11 of which are in Italy"));
}

#[test]
fn double_quoted_scalar_with_escapes() {
    let yaml = "claims:\n  - id: a\n    source: 001_02bec644949d209f.txt\n    quote: \"\\\"We have seen no indication that there is a will from various EU governments to co\\u00f6rdinate\\\"\"\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "quote-mismatch");
    let (claim, source) = labelled(&r, &d);
    assert_eq!(claim, "\\\"We have seen no indication that there is a will from various EU governments to co\\u00f6rdinate\\\"");
    assert_eq!(source.unwrap(), "We have seen no indication that there is a will from various EU governments to coordinate");
}

#[test]
fn single_quoted_scalar_with_doubled_quote() {
    let yaml = "claims:\n  - id: a\n    source: 001_02bec644949d209f.txt\n    quote: 'The NGO sees the stations as an extension of Beijing''s effort to pressure some Chinese expats'\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "quote-mismatch");
    let (claim, source) = labelled(&r, &d);
    assert_eq!(claim, "The NGO sees the stations as an extension of Beijing''s effort to pressure some Chinese expats");
    assert_eq!(source.unwrap(), "The NGO sees the stations as an extension of Beijing's efforts to pressure some Chinese expats");
}

#[test]
fn block_scalar_misquote_spans_its_lines() {
    let yaml = "claims:\n  - id: a\n    source: 001_02bec644949d209f.txt\n    quote: >-\n      EU countries are failing to provide a united front against the threat\n      posed by secret Chinese \"service stations\" on their soil\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "quote-mismatch");
    let (claim, source) = labelled(&r, &d);
    assert_eq!(
        claim,
        "EU countries are failing to provide a united front against the threat\n      posed by secret Chinese \"service stations\" on their soil"
    );
    assert_eq!(
        source.unwrap(),
        "EU countries are failing to provide a united front against the threat posed by dozens of secret Chinese \"service stations\" on their soil"
    );
}

#[test]
fn literal_block_scalar_found_across_a_paragraph_line() {
    let yaml = "claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: |\n      The new data put the number\n      of such stations at over 100.\n";
    let (_d, r) = check(yaml);
    assert!(r.diagnostics.is_empty(), "{}", common::human(&r));
}

#[test]
fn elision_dropping_a_negation() {
    let yaml = "claims:\n  - id: a\n    source: 002_e782db431b287446.txt\n    quote: the Italian government is among the very few European countries that has … publicly announced an investigation\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "elision-drops-negation");
    assert_eq!(labelled(&r, &d), ("…".into(), Some("not yet".into())));
}

#[test]
fn bracketed_insertion_with_a_misquote() {
    let yaml = "claims:\n  - id: a\n    source: 001_02bec644949d209f.txt\n    quote: '[Safeguard Defenders] says China has run \"service centers\" since 2016'\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "quote-mismatch");
    let (claim, source) = labelled(&r, &d);
    assert_eq!(claim, "[Safeguard Defenders] says China has run \"service centers\" since 2016");
    assert_eq!(source.unwrap(), "says China has run \"service centres\" since 2016");
}

#[test]
fn wrong_source_labels_the_source_value_and_the_real_passage() {
    let yaml = "claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: All that we have found is based on what can be found online\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "quote-wrong-source");
    assert_eq!(
        labelled(&r, &d),
        ("000_cb1738fc2468f046.txt".into(), Some("All that we have found is based on what can be found online".into()))
    );
    assert!(d.message.contains("`001_02bec644949d209f.txt` at line 19, column 141"), "{}", d.message);
}

#[test]
fn path_escape_labels_the_path() {
    let yaml = "claims:\n  - id: a\n    source: \"../README.md\"\n    quote: citelint\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "source-outside-root");
    assert_eq!(labelled(&r, &d), ("../README.md".into(), None));
}

#[test]
fn bad_yaml_labels_where_the_parser_stopped() {
    let yaml = "claims:\n  - id: a\n    quote: \"unclosed\n    source: x\n";
    let (_d, r) = check(yaml);
    let d = only(&r, "yaml-syntax");
    let pos = r.files.get(d.file).position(d.span.start);
    assert!(pos.line >= 3, "{pos:?}");
}

#[test]
fn json_columns_count_characters() {
    // Line 46 of the source starts with a curly quote (3 bytes, 1 character).
    let yaml = "claims:\n  - id: a\n    source: 002_e782db431b287446.txt\n    quote: To date, despite having the largest number of liaison outposts on its soil, the Italian government is among the very few European countries that has not yet publicly announced a investigation\n";
    let (_d, r) = check(yaml);
    let json: serde_json::Value = serde_json::from_str(&common::json(&r)).unwrap();
    let src = &json["diagnostics"][0]["source"];
    assert_eq!((src["line"].as_u64(), src["column"].as_u64()), (Some(46), Some(2)));
    let d = &json["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(12)));
}

/// A source and a misquote of it, whose finding is placed in the source.
struct Misquoted {
    dir: tempfile::TempDir,
    source: std::path::PathBuf,
    claims: std::path::PathBuf,
}

impl Misquoted {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.txt");
        std::fs::write(&source, "The council voted to close 48 stations.\n").unwrap();
        let claims = dir.path().join("claims.yaml");
        std::fs::write(&claims, "claims:\n  - id: a\n    source: a.txt\n    quote: voted to close 49 stations\n").unwrap();
        Misquoted { dir, source, claims }
    }

    /// Checks the claim, the source edited as the findings are placed when `edit` says so.
    fn check(&self, kept_sources: Option<usize>, edit: bool) -> Result<Report, citelint::check::RunError> {
        use citelint::check::{CheckOptions, Progress, check};
        let edited = self.source.clone();
        let progress = if edit {
            Progress::new(move |phase| {
                if phase == "placing the findings" {
                    std::fs::write(&edited, "Last night the council voted to close 48 stations.\n").unwrap();
                }
            })
        } else {
            Progress::default()
        };
        let opts = CheckOptions {
            paths: vec![self.claims.clone()],
            sources: Some(self.dir.path().to_path_buf()),
            progress,
            kept_sources,
            ..Default::default()
        };
        check(&citelint::config::Config::defaults(self.dir.path()), &opts)
    }
}

#[test]
fn a_source_that_changes_during_the_check_fails_the_run() {
    // Sources beyond the kept budget (here, all) are read again to place
    // labels; one edited in between would get labels in the wrong places,
    // so the run stops instead.
    let m = Misquoted::new();
    assert_eq!(m.check(Some(0), false).expect("an unchanged source checks").summary.errors, 1);
    match m.check(Some(0), true) {
        Err(citelint::check::RunError::SourceChanged(path)) => assert_eq!(path, m.source),
        other => panic!("expected the run to fail on the changed source, got {other:?}"),
    }
}

#[test]
fn found_quotes_are_placed_only_when_editors_ask() {
    // Placing a found quote reads its source again; a check run from the
    // command line has no use for it, an editor's hover has.
    use citelint::check::{CheckOptions, check};
    common::at_root();
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("claims.yaml");
    let quote = "48 other stations, 11 of which are in Italy";
    std::fs::write(&claims, format!("claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: {quote}\n")).unwrap();
    let config = citelint::config::Config::defaults(dir.path());
    let run = |passages: bool| {
        let opts = CheckOptions { paths: vec![claims.clone()], sources: Some(common::seeds()), passages, ..Default::default() };
        check(&config, &opts).expect("the check runs")
    };
    let plain = run(false);
    assert_eq!((plain.summary.errors, plain.quotes.len()), (0, 1));
    assert_eq!(plain.quotes[0].passage, None);
    let editor = run(true);
    let (file, span) = editor.quotes[0].passage.expect("the found quote is placed");
    assert_eq!(editor.files.get(file).slice(span), quote);
}

#[test]
fn a_kept_source_edited_during_the_check_is_placed_in_the_text_searched() {
    // A small source's text is kept from its first reading: its labels land
    // in the words that were searched, whatever happens to the file.
    let report = Misquoted::new().check(None, true).expect("a kept source is placed in what was searched");
    let d = &report.diagnostics[0];
    let source_label = d.related.iter().find(|r| r.kind == citelint::diagnostic::RelatedKind::Source).expect("a label in the source");
    assert_eq!(report.files.get(source_label.file).slice(source_label.span), "voted to close 48 stations");
}

#[test]
fn a_small_corpus_read_with_the_claims_checks_as_one_read_after_them() {
    // A corpus within the kept budget is read while the claim files are
    // parsed, every source of it; one over the budget (here, any) is read
    // source by source as the quotes need. The findings are the same, and
    // an unreadable source that no claim cites is reported by neither.
    use citelint::check::{CheckOptions, check};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "The council voted to close 48 stations.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Binary\0data").unwrap();
    std::fs::write(dir.path().join("c.txt"), "Officials said the stations were closed last year.\n").unwrap();
    let claims = dir.path().join("claims.yaml");
    std::fs::write(
        &claims,
        "claims:\n  - id: a\n    source: a.txt\n    quote: voted to close 49 stations\n  - id: b\n    source: a.txt\n    quote: the stations were closed last year\n",
    )
    .unwrap();
    let config = citelint::config::Config::defaults(dir.path());
    let run = |kept_sources: Option<usize>| {
        let opts =
            CheckOptions { paths: vec![claims.clone()], sources: Some(dir.path().to_path_buf()), kept_sources, ..Default::default() };
        let report = check(&config, &opts).expect("the check runs");
        report.diagnostics.iter().map(|d| (d.rule.name, d.message.clone())).collect::<Vec<_>>()
    };
    let early = run(None);
    assert_eq!(early.iter().map(|d| d.0).collect::<Vec<_>>(), ["quote-mismatch", "quote-wrong-source"], "{early:?}");
    assert_eq!(early, run(Some(0)));
}
