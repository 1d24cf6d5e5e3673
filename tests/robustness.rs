//! Bad input never panics: generated claim files (broken YAML, odd types,
//! hostile quotes with markup, Unicode, combining marks, control characters,
//! files cut mid-token) go through the whole check, and every run ends in a
//! report or a clean error.

mod common;

use citelint::check::{CheckOptions, check};
use citelint::config::Config;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "48 other stations",
    ", 11 of which",
    " are in Italy",
    "...",
    " … ",
    "[...]",
    "[sic]",
    "[T]he",
    "[",
    "]",
    "[[",
    "\"",
    "'",
    "“",
    "”",
    "’",
    "\u{301}",
    "\u{200B}",
    "\u{AD}",
    "-\n",
    " — ",
    "\t",
    "\u{0}",
    "\u{7}",
    "é",
    "𝄞",
    "ﬁ",
    "12",
    "230.000",
    "at least",
    "COVID-19",
    " ",
    "\\",
    "#",
    ": ",
    "- ",
    "{",
    "}",
    "&a",
    "*a",
    "!!str",
    "%",
    "@",
    "`",
    "|",
    ">",
    "\r\n",
];

fn quote(rng: &mut Rng) -> String {
    (0..1 + rng.next() % 12).map(|_| rng.pick(PIECES)).collect()
}

fn scalar(rng: &mut Rng, s: &str) -> String {
    match rng.next() % 5 {
        0 => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")),
        1 => format!("'{}'", s.replace('\'', "''").replace('\n', " ")),
        2 => format!("|\n      {}", s.replace('\n', "\n      ")),
        3 => format!(">-\n      {}", s.replace('\n', " ")),
        _ => s.replace('\n', " "),
    }
}

fn claim_file(rng: &mut Rng) -> String {
    let mut s = String::from("claims:\n");
    for i in 0..1 + rng.next() % 6 {
        let q = quote(rng);
        let source =
            rng.pick(&["000_cb1738fc2468f046.txt", "002_e782db431b287446.txt", "../x.txt", "/etc/passwd", "missing.txt", "", "seeds"]);
        let q = scalar(rng, &q);
        s.push_str(&format!("  - id: c{i}\n    source: {source}\n    quote: {q}\n"));
        if rng.next().is_multiple_of(3) {
            let (st, fv) = (quote(rng), quote(rng));
            let (st, fv) = (scalar(rng, &st), scalar(rng, &fv));
            s.push_str(&format!("    statement: {st}\n    figures:\n      k: {fv}\n"));
        }
        if rng.next().is_multiple_of(4) {
            s.push_str(&format!("    allow: [{}]\n", rng.pick(&["quote-mismatch", "nope", "", "[", "figure-conflict"])));
        }
    }
    // Sometimes cut the file mid-token, or splice in garbage.
    match rng.next() % 4 {
        0 => {
            let mut cut = (rng.next() % s.len() as u64) as usize;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
        }
        1 => {
            let at = s.char_indices().nth((rng.next() % s.chars().count() as u64) as usize).map_or(0, |(i, _)| i);
            s.insert_str(at, rng.pick(PIECES));
        }
        _ => {}
    }
    s
}

#[test]
fn generated_claim_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.yaml");
    let config = Config::defaults(dir.path());
    let seed = std::env::var("CITELINT_ROBUSTNESS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let mut diagnostics = 0;
    // CITELINT_ROBUSTNESS_ROUNDS runs longer, e.g. before a release.
    let rounds: usize = std::env::var("CITELINT_ROBUSTNESS_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    for round in 0..rounds {
        let text = claim_file(&mut rng);
        std::fs::write(&file, &text).unwrap();
        let opts = CheckOptions { paths: vec![file.clone()], sources: Some(common::seeds()), ..CheckOptions::default() };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let report = check(&config, &opts).expect("the check runs");
            // Every output format renders every report.
            for format in [
                citelint::emit::Format::Human,
                citelint::emit::Format::Json,
                citelint::emit::Format::Sarif,
                citelint::emit::Format::Github,
                citelint::emit::Format::Junit,
            ] {
                citelint::emit::render(&report, format, citelint::emit::Style { color: false, width: 80 });
            }
            let _ = citelint::fix::planned(&report);
            report.diagnostics.len()
        }));
        match outcome {
            Ok(n) => diagnostics += n,
            Err(_) => panic!("round {round} panicked on:\n{text}"),
        }
    }
    assert!(diagnostics > 600, "the generated files should raise findings: {diagnostics}");
}

#[test]
fn arbitrary_text_never_panics_the_normaliser_or_the_figure_grammar() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    const EXTRA: &[&str] =
        &["1,500", "2.5bn", "$", "€40m", "between", "and", "to", "of which", "the 5th of", "July", "May 2016", "a dozen", "tens of", "%"];
    for _ in 0..3000 {
        let text: String =
            (0..(rng.next() % 40)).map(|_| if rng.next().is_multiple_of(2) { rng.pick(PIECES) } else { rng.pick(EXTRA) }).collect();
        let norm = citelint::quote::normalize::normalize(&text);
        // Every normalised range maps back inside the original, on character boundaries.
        let n = norm.text.len();
        for _ in 0..8 {
            let (mut a, mut b) = ((rng.next() as usize) % (n + 1), (rng.next() as usize) % (n + 1));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            while !norm.text.is_char_boundary(a) {
                a -= 1;
            }
            while !norm.text.is_char_boundary(b) {
                b -= 1;
            }
            let span = norm.original_span(&text, a..b);
            assert!(
                span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{text:?} {a}..{b} -> {span:?}"
            );
        }
        for f in citelint::figures::grammar::parse_located(&norm.text, &norm.map.paragraphs) {
            assert!(f.figure.span.end <= norm.text.len());
        }
        let _ = citelint::quote::markup::parse(&norm.text);
    }
}
