//! Cropped snippets: a source line longer than the width is shown as a
//! window around its label, with `…` where it is cut, and the header's
//! `file:line:col` still the label's own. Held on a 5,000-character line,
//! with labels at its start, middle and end and one longer than the width,
//! at widths 80 and 200. A label longer than the window keeps its whole
//! line for now (miette draws a label cut at the window's edge as a
//! dangling multi-line marker and loses its text).

mod common;

use std::path::Path;

use citelint::check::{CheckOptions, check};
use citelint::config::Config;
use citelint::emit::{self, Format, Style};

/// Words, numbered, to 5,000 characters on one line.
fn long_line() -> String {
    let mut line = String::new();
    let mut k = 0;
    while line.len() < 5000 {
        line.push_str(&format!("word{k} "));
        k += 1;
    }
    line.trim_end().to_owned()
}

fn render(width: usize) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("snippets-{width}"));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let line = long_line();
    std::fs::write(src.join("long.txt"), format!("A short first line.\n{line}\nA short last line.\n")).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    let n = words.len();
    // A misquote of a few words at the start, the middle and the end, and one longer than any width.
    let misquote = |from: usize, len: usize| {
        let mut w: Vec<String> = words[from..from + len].iter().map(|s| s.to_string()).collect();
        w[len / 2] = "changed".into();
        w.join(" ")
    };
    let claims = format!(
        "claims:\n  - id: start\n    source: long.txt\n    quote: {}\n  - id: middle\n    source: long.txt\n    quote: {}\n  - id: end\n    source: long.txt\n    quote: {}\n  - id: long\n    source: long.txt\n    quote: {}\n",
        misquote(0, 5),
        misquote(n / 2, 5),
        misquote(n - 5, 5),
        misquote(n / 3, 40)
    );
    let file = dir.join("claims.yaml");
    std::fs::write(&file, claims).unwrap();
    std::env::set_current_dir(&dir).unwrap();
    let config = Config::defaults(&dir);
    let opts = CheckOptions { paths: vec![file], sources: Some(src), ..Default::default() };
    let report = check(&config, &opts).expect("the check runs");
    emit::render(&report, Format::Human, Style { color: false, width })
}

#[test]
fn a_long_line_is_shown_as_a_window_around_its_label() {
    for width in [80, 200] {
        let out = render(width);
        // Every cropped source line fits the width, gutter included.
        for l in out.lines().filter(|l| l.contains('…')) {
            assert!(l.chars().count() <= width, "{} characters at width {width}: {l}", l.chars().count());
        }
        insta::assert_snapshot!(format!("long-line-width-{width}"), out);
    }
}
