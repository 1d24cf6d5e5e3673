//! The near-match guarantee, held to a brute-force reference: thousands of
//! random quotes (2 to 300 words) cut from real text, with 0 to 20% random
//! edits at character and word level, in sources of 1 KB to 5 MB. For each,
//! the reference aligns the quote (as the check compares it: normalised,
//! end marks aside) against the whole of every source that matters, and
//! derives the verdict the README promises; the check must give that verdict
//! at that distance.
//!
//! The seeds are always used; BBC news (the 5 MB source) and a PDNC novel
//! (the 1 MB one) join when `../shared/corpora` is beside the project.

use std::collections::HashMap;
use std::path::Path;

use citelint::check::{CheckOptions, check};
use citelint::config::Config;
use citelint::quote::approx::max_edits;
use citelint::quote::compared_text;
use citelint::quote::myers::semi_global;
use citelint::quote::normalize::normalize;
use rayon::prelude::*;

const THRESHOLD: f64 = 0.8;

/// xorshift64*: the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}

fn read_tree(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_tree(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned());
        }
    }
}

/// The sources: name and text, 1 KB to 5 MB, cut from different texts so
/// that no source copies another.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    read_tree(&root.join("seeds"), &mut seeds);
    let seeds = seeds.join("\n\n");
    let cut = |s: &str, n: usize| {
        let mut end = n.min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_owned()
    };
    let mut out = vec![("tiny.txt".to_owned(), cut(&seeds, 1000))];
    let rest = seeds[out[0].1.len()..].to_owned();
    out.push(("seeds.txt".to_owned(), rest));
    let shared = root.join("../shared/corpora");
    if shared.is_dir() {
        let mut bbc = Vec::new();
        read_tree(&shared.join("bbc"), &mut bbc);
        out.push(("news.txt".to_owned(), bbc.join("\n\n")));
        let novel = std::fs::read_to_string(shared.join("pdnc/Emma/novel_text.txt")).unwrap();
        out.push(("novel.txt".to_owned(), cut(&novel, 1_000_000)));
    } else {
        eprintln!("../shared/corpora is not beside the project (CI has it): the 1 MB and 5 MB sources are left out");
    }
    out
}

/// A run of 2 to 300 words of `text`, starting and ending on a word, free
/// of what the check reads as markup.
fn cut_quote(rng: &mut Rng, text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    // Mostly short quotes, the hard case; some long ones.
    let len = match rng.below(4) {
        0 => 2 + rng.below(4),
        1 => 6 + rng.below(20),
        2 => 26 + rng.below(75),
        _ => 101 + rng.below(200),
    };
    if words.len() <= len {
        return None;
    }
    let at = rng.below(words.len() - len);
    let q = words[at..at + len].join(" ");
    let clean = !q.contains(['[', ']', '\u{2026}', '"']) && !q.contains("..") && q.chars().filter(|c| c.is_alphabetic()).count() >= 4;
    clean.then_some(q)
}

/// 0 to 20% random edits: letters substituted, inserted or dropped, and
/// words dropped, doubled or swapped for another. Never the first character.
fn alter(rng: &mut Rng, q: &str, vocabulary: &[&str]) -> String {
    let rate = rng.below(21) as f64 / 100.0;
    let edits = (q.chars().count() as f64 * rate).round() as usize;
    let mut chars: Vec<char> = q.chars().collect();
    // A word-level edit spends as many edits as the characters it changes.
    let mut spent = 0;
    while spent < edits {
        spent += 1;
        if chars.len() < 3 {
            break;
        }
        let at = 1 + rng.below(chars.len() - 1);
        let letter = (b'a' + rng.below(26) as u8) as char;
        match rng.below(8) {
            0..=2 => chars[at] = letter,
            3 | 4 => chars.insert(at, letter),
            5 => {
                chars.remove(at);
            }
            _ => {
                // A word-level edit at the next word boundary.
                let Some(space) = (at..chars.len()).find(|&i| chars[i] == ' ') else { continue };
                let end = (space + 1..chars.len()).find(|&i| chars[i] == ' ').unwrap_or(chars.len());
                let word: Vec<char> = chars[space..end].to_vec();
                spent += word.len().saturating_sub(1);
                match rng.below(3) {
                    0 => {
                        chars.drain(space..end);
                    }
                    1 => {
                        chars.splice(end..end, word);
                    }
                    _ => {
                        let other = vocabulary[rng.below(vocabulary.len())];
                        chars.splice(space + 1..end, other.chars());
                    }
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// The verdict the README promises, and the distance it must carry.
#[derive(Debug, PartialEq)]
enum Want {
    /// Exact in the cited source (or at no edit, inside a longer word).
    Found,
    Mismatch(usize),
    WrongSource(usize),
    NotFound,
}

#[test]
fn every_near_match_within_the_threshold_is_found_at_its_optimal_distance() {
    let sources = sources();
    let dir = tempfile::tempdir().unwrap();
    let dir = match std::env::var_os("GUARANTEE_KEEP") {
        Some(keep) => tempfile::Builder::new().tempdir_in(keep).unwrap(),
        None => dir,
    };
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    for (name, text) in &sources {
        std::fs::write(dir.path().join("sources").join(name), text).unwrap();
    }
    let normalised: Vec<String> = sources.iter().map(|(_, t)| normalize(t).text).collect();
    let seeds_words: Vec<&str> = sources[1].1.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic)).collect();

    // Quotes per source: the small ones many, the large ones fewer (each
    // costs the reference a pass over its source).
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let per_source = |name: &str| match name {
        "tiny.txt" => 300,
        "seeds.txt" => 1500,
        "novel.txt" => 150,
        _ => 60,
    };
    let mut claims: Vec<(String, usize, String)> = Vec::new(); // (id, cited source, quote)
    for (s, (name, text)) in sources.iter().enumerate() {
        let mut made = 0;
        while made < per_source(name) {
            let Some(q) = cut_quote(&mut rng, text) else { continue };
            let q = alter(&mut rng, &q, &seeds_words);
            // One in ten cites another source than the one it comes from.
            let cited = if rng.below(10) == 0 { (s + 1 + rng.below(sources.len() - 1)) % sources.len() } else { s };
            claims.push((format!("q{:05}", claims.len()), cited, q));
            made += 1;
        }
    }
    // Some quotes stand nowhere: seed words in random order.
    for _ in 0..40 {
        let n = 2 + rng.below(40);
        let q: Vec<&str> = (0..n).map(|_| seeds_words[rng.below(seeds_words.len())]).collect();
        let cited = rng.below(sources.len());
        claims.push((format!("q{:05}", claims.len()), cited, q.join(" ")));
    }

    let mut yaml = String::from("claims:\n");
    for (id, cited, q) in &claims {
        yaml.push_str(&format!("  - id: {id}\n    source: {}\n    quote: {}\n", sources[*cited].0, serde_json::to_string(q).unwrap()));
    }
    std::fs::write(dir.path().join("claims.yaml"), yaml).unwrap();
    let config = Config::defaults(dir.path());
    let opts =
        CheckOptions { paths: vec![dir.path().join("claims.yaml")], sources: Some(dir.path().join("sources")), ..Default::default() };
    let started = std::time::Instant::now();
    if std::env::var_os("GUARANTEE_KEEP").is_some() {
        eprintln!("kept in {}", dir.keep().display());
        return;
    }
    let report = check(&config, &opts).expect("the check runs");
    eprintln!("checked in {:.1} s", started.elapsed().as_secs_f64());
    let mut got: HashMap<String, Vec<(&str, Option<usize>)>> = HashMap::new();
    for d in &report.diagnostics {
        if d.rule.name != "quote-too-short" {
            got.entry(d.claim.clone().unwrap_or_default()).or_default().push((d.rule.name, d.distance));
        }
    }

    // The reference, on every core.
    let wants: Vec<Option<Want>> = claims
        .par_iter()
        .map(|(_, cited, q)| {
            let p = compared_text(q);
            let k = max_edits(p.len(), THRESHOLD);
            let distance_in = |s: usize| semi_global(p.as_bytes(), normalised[s].as_bytes()).0;
            // A quote standing exactly in another source is reported there,
            // before any near match: the exact search is tested elsewhere.
            if (0..sources.len()).any(|s| s != *cited && normalised[s].contains(p.as_str())) {
                return None;
            }
            let in_cited = distance_in(*cited);
            Some(if in_cited == 0 {
                Want::Found
            } else if in_cited <= k {
                Want::Mismatch(in_cited)
            } else {
                let elsewhere = (0..sources.len()).filter(|&s| s != *cited).map(distance_in).min().unwrap_or(usize::MAX);
                if elsewhere <= k { Want::WrongSource(elsewhere) } else { Want::NotFound }
            })
        })
        .collect();
    let mut wrong = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for ((id, cited, q), want) in claims.iter().zip(wants) {
        let Some(want) = want else { continue };
        let findings = got.get(id).cloned().unwrap_or_default();
        let ok = match (&want, findings.as_slice()) {
            (Want::Found, []) | (Want::Found, [("quote-mismatch", Some(0))]) => true,
            (Want::Mismatch(d), [("quote-mismatch", Some(g))]) => g == d,
            (Want::WrongSource(d), [("quote-wrong-source", Some(g))]) => g == d,
            (Want::NotFound, [("quote-not-found", _)]) => true,
            _ => false,
        };
        *counts
            .entry(match want {
                Want::Found => "found",
                Want::Mismatch(_) => "mismatch",
                Want::WrongSource(_) => "wrong source",
                Want::NotFound => "not found",
            })
            .or_default() += 1;
        if !ok {
            wrong.push(format!(
                "{id} ({} words, cites {}): want {want:?}, got {findings:?}: {q:?}",
                q.split(' ').count(),
                sources[*cited].0
            ));
        }
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort();
    eprintln!("{} quotes in {} sources checked against the reference: {counts:?}", claims.len(), sources.len());
    assert!(wrong.is_empty(), "{} verdicts differ from the reference:\n{}", wrong.len(), wrong.join("\n"));
    // Every verdict is exercised.
    assert!(counts.len() == 4, "some verdict never came up: {counts:?}");
}

/// Regression (issue 15): a quote of four words with one character dropped,
/// `she said "We do` against `she said: "We do`, in a large source whose
/// common grams stop voting, came out `quote-not-found` naming an unrelated
/// passage.
#[test]
fn a_short_misquote_in_a_large_source_is_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for k in 0..40_000 {
        text.push_str(&format!("The minister said the figures were {k} and we do not know what we do. "));
    }
    text.push_str("At last the minister said: \"We do apply the rules,\" and left.\n");
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    std::fs::write(dir.path().join("sources/long.txt"), &text).unwrap();
    std::fs::write(
        dir.path().join("claims.yaml"),
        "claims:\n  - id: short\n    source: long.txt\n    quote: 'the minister said \"We do'\n",
    )
    .unwrap();
    let config = Config::defaults(dir.path());
    let opts =
        CheckOptions { paths: vec![dir.path().join("claims.yaml")], sources: Some(dir.path().join("sources")), ..Default::default() };
    let report = check(&config, &opts).expect("the check runs");
    let found: Vec<(&str, Option<usize>, Option<&str>)> =
        report.diagnostics.iter().map(|d| (d.rule.name, d.distance, d.replacement.as_deref())).collect();
    assert_eq!(found, [("quote-mismatch", Some(1), Some("the minister said: \"We do"))]);
}
