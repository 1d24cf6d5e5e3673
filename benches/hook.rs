//! The hook workload (issue 18): `citelint check FILE` as a pre-commit hook
//! runs it, after one claim of FILE changed, with the previous run cached.
//! Two kinds of change to quotes that stand in their cited sources, timed
//! apart: a quote shortened by its last word (it still stands there), and
//! a quote with one letter changed (it no longer does, so the whole corpus
//! is searched for it). Each run's output is compared with a `--no-cache` run's: the
//! cache must give exactly the cold findings. FILE is restored at the end.
//!
//! ```text
//! cargo bench --bench scale -- --sources 1000 --size 100000 --quotes 10000 --altered 0.1 --keep DIR
//! printf 'claims = ["claims"]\nsources = "sources"\n' > DIR/citelint.toml
//! cargo build --release
//! cargo bench --bench hook -- --citelint target/release/citelint --project DIR --file claims/c005.yaml --edits 10
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/project_args.rs"]
mod project_args;

use project_args::Args;

/// One run of the hook's command: its output and how long it took.
fn run(a: &Args, cold: bool) -> (Vec<u8>, Duration) {
    let mut c = Command::new(std::fs::canonicalize(&a.citelint).expect("the citelint binary"));
    c.current_dir(&a.project).args(["check", "--format", "json", &a.file]);
    if cold {
        c.arg("--no-cache");
    }
    let start = Instant::now();
    let out = c.output().expect("citelint runs");
    let took = start.elapsed();
    assert!(matches!(out.status.code(), Some(0 | 1)), "citelint failed: {}", String::from_utf8_lossy(&out.stderr));
    (out.stdout, took)
}

/// The byte range of the value of the `n`th single-quoted `quote:` in `text`.
fn quote_at(text: &str, n: usize) -> std::ops::Range<usize> {
    let at = text.match_indices("quote: '").nth(n).expect("the file has that many quotes").0 + "quote: '".len();
    let end = at + text[at..].find("'\n").expect("a quote ends its line");
    at..end
}

/// The text with quote `n` shortened by its last word, or one letter of it changed.
fn edited(text: &str, n: usize, misquote: bool) -> String {
    let r = quote_at(text, n);
    let quote = &text[r.clone()];
    let new = if misquote {
        let i = quote.char_indices().find(|(_, c)| c.is_ascii_lowercase()).map_or(0, |(i, _)| i);
        let c = if &quote[i..i + 1] == "e" { "a" } else { "e" };
        format!("{}{c}{}", &quote[..i], &quote[i + 1..])
    } else {
        quote.rsplit_once(' ').map_or(quote, |(head, _)| head).to_owned()
    };
    format!("{}{new}{}", &text[..r.start], &text[r.end..])
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(a) = project_args::args(10) else {
        println!("hook bench: nothing to do without --project and --file (see the module docs)");
        return;
    };
    let path: PathBuf = a.project.join(&a.file);
    let original = std::fs::read_to_string(&path).expect("the claim file");
    let quotes = original.matches("quote: '").count();
    // The previous run, cached (as a hook finds it after the last commit).
    let (out, first) = run(&a, false);
    // Only quotes that stand in their sources are edited: shortened, they still do.
    let report: serde_json::Value = serde_json::from_slice(&out).expect("JSON output");
    let flagged: std::collections::HashSet<u64> =
        report["diagnostics"].as_array().into_iter().flatten().filter_map(|d| d["line"].as_u64()).collect();
    let line_of = |n: usize| original[..quote_at(&original, n).start].matches('\n').count() as u64 + 1;
    let standing: Vec<usize> = (0..quotes).filter(|&n| !flagged.contains(&line_of(n))).collect();
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut text = original.clone();
    for e in 0..a.edits * 2 {
        let misquote = e % 2 == 1;
        // Quotes spread over the file, each edited once.
        text = edited(&text, standing[(e * 97 + 13) % standing.len()], misquote);
        std::fs::write(&path, &text).expect("the claim file is written");
        let (out, took) = run(&a, false);
        let (cold, _) = run(&a, true);
        assert!(out == cold, "edit {e}: the cached run differs from a cold one");
        times[usize::from(misquote)].push(took);
    }
    std::fs::write(&path, &original).expect("the claim file is restored");
    let sources_mb = size(&a.project.join("sources")) as f64 / 1e6;
    println!("project: {} ({sources_mb:.0} MB of sources), file {} ({quotes} quotes)", a.project.display(), a.file);
    println!("first run, cache empty or stale: {}", ms(first));
    let [mut kept, mut moved] = times;
    for (kind, t) in [("quote still in its source", &mut kept), ("quote no longer in its source", &mut moved)] {
        t.sort();
        println!(
            "{kind}: {} edits, median {}, max {} (wall, each equal to a --no-cache run)",
            t.len(),
            ms(percentile(t, 0.5)),
            ms(percentile(t, 1.0))
        );
    }
}

/// Bytes of the files under a folder.
fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
