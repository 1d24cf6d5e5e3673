//! Scale benchmark: a generated corpus of sources and claims, checked once,
//! with wall time, throughput and peak memory, and every verdict verified.
//!
//! ```text
//! cargo bench --bench scale -- --sources 1000 --size 50000 --quotes 20000 --altered 0.1
//! ```
//!
//! The generator writes Markov text over the seeds' word pairs (fixed seed,
//! so every run checks the same corpus), samples quotes from it, and alters
//! the requested share of them with one to three letter substitutions. The
//! check must find every verbatim quote and report every altered one as a
//! `quote-mismatch` at the optimal distance: that of an exhaustive
//! alignment of the quote against its whole cited source (equally close
//! passages are equally right, so the passage itself is not compared); the
//! bench fails otherwise. Peak memory is the process's high-water mark, reset after
//! generation, so it measures the check alone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use citelint::check::{CheckOptions, check};
use citelint::config::Config;
use citelint::figures::grammar::parse_located;
use citelint::quote::compared_text;
use citelint::quote::myers::semi_global;
use citelint::quote::normalize::normalize;
use rayon::prelude::*;

// The allocator the binary uses (see src/main.rs), so that time and memory are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    sources: usize,
    size: usize,
    quotes: usize,
    altered: f64,
    keep: Option<PathBuf>,
}

fn args() -> Args {
    // `cargo bench` passes `--bench`; without it (under `cargo test`) a small
    // corpus keeps the generator and the verdict check tested, quickly.
    let benching = std::env::args().any(|a| a == "--bench");
    if !benching {
        // The arguments are libtest's (`cargo test -- FILTER --skip X`), not ours.
        return Args { sources: 20, size: 20_000, quotes: 400, altered: 0.1, keep: None };
    }
    let mut a = Args { sources: 1000, size: 50_000, quotes: 20_000, altered: 0.1, keep: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--sources" => a.sources = value().parse().expect("--sources N"),
            "--size" => a.size = value().parse().expect("--size BYTES"),
            "--quotes" => a.quotes = value().parse().expect("--quotes N"),
            "--altered" => a.altered = value().parse().expect("--altered RATIO"),
            "--keep" => a.keep = Some(PathBuf::from(value())),
            // cargo bench passes --bench; nothing else is expected.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// Word pairs of the seeds, for text that reads like news.
fn markov() -> (Vec<String>, HashMap<usize, Vec<usize>>) {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut words: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut next: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut files: Vec<_> = std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut prev: Option<usize> = None;
        for w in text.split_whitespace() {
            let id = *index.entry(w.to_owned()).or_insert_with(|| {
                words.push(w.to_owned());
                words.len() - 1
            });
            if let Some(p) = prev {
                next.entry(p).or_default().push(id);
            }
            prev = Some(id);
        }
    }
    (words, next)
}

fn generate_source(rng: &mut Rng, size: usize, words: &[String], next: &HashMap<usize, Vec<usize>>) -> String {
    let mut s = String::with_capacity(size + 64);
    let mut w = rng.below(words.len());
    let mut in_para = 0;
    while s.len() < size {
        s.push_str(&words[w]);
        in_para += 1;
        if in_para > 60 && words[w].ends_with('.') && rng.below(4) == 0 {
            s.push_str("\n\n");
            in_para = 0;
        } else {
            s.push(' ');
        }
        w = match next.get(&w) {
            Some(n) if !n.is_empty() && rng.below(8) != 0 => n[rng.below(n.len())],
            _ => rng.below(words.len()),
        };
    }
    s
}

/// The paragraphs of a text long enough to quote from.
fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n").filter(|p| p.split_whitespace().count() > 12).collect()
}

/// A quote of 8 to 30 words from one of the paragraphs, as written.
fn sample_quote<'a>(rng: &mut Rng, paras: &[&'a str]) -> &'a str {
    let para = paras[rng.below(paras.len())];
    let tokens: Vec<&str> = para.split(' ').filter(|t| !t.is_empty()).collect();
    let len = 8 + rng.below(23).min(tokens.len() - 8);
    let start = rng.below(tokens.len() - len + 1);
    let first = tokens[start].as_ptr() as usize - para.as_ptr() as usize;
    let last = tokens[start + len - 1];
    let end = last.as_ptr() as usize - para.as_ptr() as usize + last.len();
    &para[first..end]
}

/// One to three letters replaced, each inside a word, never the first character.
fn alter(rng: &mut Rng, quote: &str) -> String {
    let mut chars: Vec<char> = quote.chars().collect();
    let letters: Vec<usize> = (1..chars.len()).filter(|&i| chars[i].is_ascii_lowercase() && chars[i - 1].is_alphabetic()).collect();
    for _ in 0..1 + rng.below(3) {
        let i = letters[rng.below(letters.len())];
        let c = chars[i];
        chars[i] = if c == 'x' { 'q' } else { 'x' };
    }
    chars.into_iter().collect()
}

/// The reference: the least edit distance between the quote, as the check
/// compares it (normalised, end marks aside), and any substring of its
/// normalised cited source, by aligning it against the whole text.
fn optimal_distance(dir: &Path, source: &str, quote: &str) -> usize {
    let text = normalize(&std::fs::read_to_string(dir.join(source)).unwrap()).text;
    semi_global(compared_text(quote).as_bytes(), text.as_bytes()).0
}

fn yaml_single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn reset_peak_rss() {
    // Writing 5 to clear_refs resets the high-water mark (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let a = args();
    let started = Instant::now();
    let tmp;
    let root = match &a.keep {
        Some(p) => {
            std::fs::create_dir_all(p).unwrap();
            p.clone()
        }
        None => {
            tmp = tempfile::tempdir().unwrap();
            tmp.path().to_path_buf()
        }
    };
    let (sources_dir, claims_dir) = (root.join("sources"), root.join("claims"));
    std::fs::create_dir_all(&sources_dir).unwrap();
    std::fs::create_dir_all(&claims_dir).unwrap();

    let (words, next) = markov();
    let mut rng = Rng(0x5EED_C17E_0001);
    let mut texts = Vec::with_capacity(a.sources);
    let mut total = 0usize;
    for i in 0..a.sources {
        let t = generate_source(&mut rng, a.size, &words, &next);
        total += t.len();
        std::fs::write(sources_dir.join(format!("s{i:05}.txt")), &t).unwrap();
        texts.push(t);
    }
    // Each claim: its cited source and quote when altered.
    let mut expected: HashMap<String, Option<(String, String)>> = HashMap::new();
    let paras: Vec<Vec<&str>> = texts.iter().map(|t| paragraphs(t)).collect();
    let per_file = 1000;
    let mut yaml = String::new();
    for q in 0..a.quotes {
        let s = rng.below(a.sources);
        let original = sample_quote(&mut rng, &paras[s]);
        let altered = (rng.below(10_000) as f64) < a.altered * 10_000.0;
        let quote = if altered { alter(&mut rng, original) } else { original.to_owned() };
        let id = format!("q{q:06}");
        expected.insert(id.clone(), altered.then(|| (format!("s{s:05}.txt"), quote.clone())));
        if q % per_file == 0 {
            yaml.push_str("claims:\n");
        }
        writeln!(yaml, "  - id: {id}\n    source: s{s:05}.txt\n    quote: {}", yaml_single_quoted(&quote)).unwrap();
        if q % per_file == per_file - 1 || q == a.quotes - 1 {
            std::fs::write(claims_dir.join(format!("c{:03}.yaml", q / per_file)), &yaml).unwrap();
            yaml.clear();
        }
    }
    drop(paras);
    drop(texts);
    let generated = started.elapsed();

    reset_peak_rss();
    let config = Config::defaults(&root);
    let opts = CheckOptions { paths: vec![claims_dir.clone()], sources: Some(sources_dir.clone()), similarity: None, ..Default::default() };
    let t = Instant::now();
    let report = check(&config, &opts).expect("the check runs");
    let wall = t.elapsed();
    let peak = peak_rss_kib();

    // Every verdict must be right, and every near match at the optimal distance.
    let mut flagged: HashMap<&str, (&str, Option<usize>)> = HashMap::new();
    for d in &report.diagnostics {
        flagged.insert(d.claim.as_deref().unwrap_or(""), (d.rule.name, d.distance));
    }
    let judged: Vec<(&String, bool)> = expected
        .par_iter()
        .map(|(id, altered)| {
            let ok = match (altered, flagged.get(id.as_str())) {
                (None, None) => true,
                (Some((source, quote)), Some(("quote-mismatch", Some(d)))) => *d == optimal_distance(&sources_dir, source, quote),
                _ => false,
            };
            (id, ok)
        })
        .collect();
    let mut wrong = 0;
    for (id, ok) in judged {
        if ok {
            continue;
        }
        if wrong < 5 {
            let want = expected[id].as_ref().map(|(s, q)| optimal_distance(&sources_dir, s, q));
            eprintln!("wrong verdict for {id}: expected a distance of {want:?}, got {:?}", flagged.get(id.as_str()));
        }
        wrong += 1;
    }
    let mb = total as f64 / 1e6;

    // The figures of every source: what `[figures.*]` keys add to a run. The
    // check has normalised every source already, so only parsing is timed.
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&sources_dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let normalised: Vec<_> = paths.par_iter().map(|p| normalize(&std::fs::read_to_string(p).unwrap())).collect();
    let t = Instant::now();
    let figures: usize = normalised.par_iter().map(|n| parse_located(&n.text, &n.map.paragraphs).len()).sum();
    let parse = t.elapsed();

    println!(
        "corpus: {} sources, {:.1} MB, {} quotes ({}% altered); generated in {:.2} s",
        a.sources,
        mb,
        a.quotes,
        a.altered * 100.0,
        generated.as_secs_f64()
    );
    println!(
        "check: {:.3} s wall, {:.1} MB/s, peak RSS {} MB",
        wall.as_secs_f64(),
        mb / wall.as_secs_f64(),
        peak.map_or("?".into(), |k| (k / 1024).to_string())
    );
    println!("verdicts: {} of {} right", expected.len() - wrong, expected.len());
    println!("figures: {figures} in every source, parsed in {:.3} s ({:.1} MB/s)", parse.as_secs_f64(), mb / parse.as_secs_f64());
    if wrong > 0 {
        std::process::exit(1);
    }
}
