//! The evidence report (`--format html`, issue 16): everything a writer
//! gives is escaped, the page needs nothing from the network, a real browser
//! (Debian's chromium, which `.ci/run` installs) draws every finding with its
//! passage and highlight and runs the filter script, and the Nu HTML Checker
//! (npm's `vnu-jar`, also installed by `.ci/run`) finds no error in it. The
//! browser and validator tests skip, saying why, when their tool is missing,
//! except under CI, where that is a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use citelint::check::{CheckOptions, Report, check};
use citelint::config::Config;
use citelint::diagnostic::Diagnostic;
use citelint::emit::context::passage_in_context;
use citelint::emit::html;

/// The report of one claim file (or the project's claims), every quote's passage read.
fn report(root: &Path, paths: Vec<PathBuf>, sources: &Path) -> Report {
    let config = Config::defaults(root);
    let opts = CheckOptions { paths, sources: Some(sources.to_path_buf()), passages: true, ..Default::default() };
    check(&config, &opts).expect("the check runs")
}

fn fixture_reports() -> Vec<(String, Report)> {
    common::at_root();
    let mut out = Vec::new();
    for rule in citelint::rules::ALL {
        let dir = Path::new("tests/fixtures/rules").join(rule.name);
        let own = dir.join("sources");
        let sources = if own.is_dir() { own } else { PathBuf::from("seeds") };
        out.push((rule.name.to_owned(), report(&dir, vec![dir.join("fail.yaml")], &sources)));
    }
    out
}

/// The bundled claims, with a misquote and an unsupported figure added.
fn bundled_with_errors(dir: &Path) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.join("claims")).unwrap();
    for e in std::fs::read_dir(root.join("claims")).unwrap().flatten() {
        std::fs::copy(e.path(), dir.join("claims").join(e.file_name())).unwrap();
    }
    let extra = "claims:\n  - id: harth-misquoted\n    statement: Harth said the findings rest on open sources.\n    source: 001_02bec644949d209f.txt\n    quote: All that we have found was based on what could be found online\n  - id: twelve-stations\n    statement: Safeguard Defenders counts 12 stations in Italy.\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n";
    std::fs::write(dir.join("claims/added.yaml"), extra).unwrap();
    report(dir, Vec::new(), &root.join("seeds"))
}

#[test]
fn every_value_a_writer_gives_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = r#"the <script>alert(1)</script> & "tag" </textarea> text"#;
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    std::fs::write(dir.path().join("sources/a&b.txt"), format!("Before it. {hostile}. After it.\n")).unwrap();
    let claims = format!(
        "claims:\n  - id: \"<b>bold</b>\"\n    statement: 'Says <script>alert(2)</script> & \"more\" </textarea>'\n    source: a&b.txt\n    quote: '{hostile}'\n  - id: near\n    source: a&b.txt\n    quote: 'the <script>alert(1)</script> & \"tog\" </textarea> text'\n"
    );
    std::fs::write(dir.path().join("c.yaml"), claims).unwrap();
    let r = report(dir.path(), vec![dir.path().join("c.yaml")], &dir.path().join("sources"));
    assert_eq!(r.summary.claims, 2);
    let page = html::render(&r, None);
    assert!(!page.contains("<script>alert") && !page.contains("</textarea>") && !page.contains("<b>bold"), "{page}");
    assert_eq!(page.matches("<script").count(), 1, "the report's own script only");
    assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt; &amp; &quot;more&quot; &lt;/textarea&gt;"));
    assert!(page.contains("<mark>the &lt;script&gt;alert(1)&lt;/script&gt;"), "the passage, escaped, marked");
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"), "the id");
    assert!(page.contains("/sources/a%26b.txt\""), "the link to the source, encoded");
}

#[test]
fn the_report_needs_nothing_from_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let page = html::render(&bundled_with_errors(dir.path()), None);
    assert!(!page.contains("://"), "no URL: no fetched asset, no remote link");
    assert!(!page.contains("<link") && !page.contains(" src="), "style and script are inline");
}

#[test]
fn the_report_of_a_misquote() {
    common::at_root();
    let dir = Path::new("tests/fixtures/rules/quote-mismatch");
    let page = html::render(&report(dir, vec![dir.join("fail.yaml")], Path::new("seeds")), None);
    // The style and script are the same on every page; a line a tag keeps the snapshot's diffs readable.
    let inline = |page: &str, tag: &str| {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let (a, b) = (page.find(&open).unwrap() + open.len(), page.find(&close).unwrap());
        format!("{}…{}", &page[..a], &page[b..])
    };
    let page = inline(&inline(&page, "style"), "script");
    insta::assert_snapshot!(page.replace('>', ">\n"));
}

/// What a browser's DOM serialisation writes for a text node.
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\u{a0}', "&nbsp;")
}

/// A tool the test needs, or why it skips (a failure under CI, whose `.ci/run` installs it).
fn needed(tool: &Path, why: &str) -> bool {
    if tool.exists() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing under CI: {why}", tool.display());
    eprintln!("skipping: {} not found ({why})", tool.display());
    false
}

fn chromium(args: &[&str], page: &Path, profile: &Path) -> std::process::Output {
    Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Every finding of `report` in the DOM the browser built: its message, and
/// where it is about a quote that stands somewhere, the passage marked.
fn assert_drawn(name: &str, report: &Report, dom: &str) {
    assert!(dom.contains("<form id=\"filters\" aria-label"), "{name}: the filter script ran and showed the filters");
    for d in &report.diagnostics {
        assert!(dom.contains(&dom_text(&d.message)), "{name}: {} missing from the page", d.message);
    }
    for q in &report.quotes {
        let Some((file, span)) = q.passage else { continue };
        let passage = passage_in_context(report.files.get(file), span, 360).passage;
        assert!(dom.contains(&format!("<mark>{}</mark>", dom_text(&passage))), "{name}: passage {passage:?} not marked");
    }
    let findings: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    assert_eq!(dom.matches("class=\"finding ").count(), findings.len(), "{name}: one item per finding");
}

#[test]
fn a_real_browser_draws_every_finding() {
    if !needed(Path::new("/usr/bin/chromium"), ".ci/run installs Debian's chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut reports = fixture_reports();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    reports.push(("bundled claims with errors".into(), bundled_with_errors(&project)));
    for (k, (name, r)) in reports.iter().enumerate() {
        let page = dir.path().join(format!("report-{k}.html"));
        std::fs::write(&page, html::render(r, None)).unwrap();
        let o = chromium(&["--dump-dom"], &page, &dir.path().join("profile"));
        assert!(o.status.success(), "{name}: chromium failed: {}", String::from_utf8_lossy(&o.stderr));
        assert_drawn(name, r, &String::from_utf8_lossy(&o.stdout));
    }
    // The last page, drawn: a screenshot that is not blank.
    let page = dir.path().join(format!("report-{}.html", reports.len() - 1));
    let shot = dir.path().join("shot.png");
    let o = chromium(&["--window-size=1280,1600", &format!("--screenshot={}", shot.display())], &page, &dir.path().join("profile"));
    assert!(o.status.success() && shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&o.stderr));
    let inked = inked_share(&shot);
    assert!(inked > 0.02, "the screenshot is blank or nearly ({:.2}% of pixels differ from the background)", inked * 100.0);
}

/// The share of a PNG's pixels that differ from its most common colour.
fn inked_share(png_path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bpp = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(bpp).collect();
    let mut counts = std::collections::HashMap::new();
    for p in &pixels {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let background = counts.values().max().copied().unwrap_or(0);
    1.0 - background as f64 / pixels.len() as f64
}

#[test]
fn the_nu_html_checker_finds_no_error() {
    let vnu = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node/node_modules/vnu-jar/build/dist/vnu.jar");
    if !needed(&vnu, ".ci/run installs npm's vnu-jar, which runs on the machine's Java") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let mut pages = vec![("bundled claims with errors".to_owned(), bundled_with_errors(&project))];
    pages.extend(fixture_reports());
    let mut files = Vec::new();
    for (k, (_, r)) in pages.iter().enumerate() {
        let page = dir.path().join(format!("report-{k}.html"));
        std::fs::write(&page, html::render(r, None)).unwrap();
        files.push(page);
    }
    let o = Command::new("java").arg("-jar").arg(&vnu).arg("--errors-only").args(&files).output().expect("java runs");
    assert!(o.status.success(), "the Nu HTML Checker found errors:\n{}", String::from_utf8_lossy(&o.stderr));
}
