//! Peer benchmark: citelint side by side with the tools users would otherwise
//! pick, on real corpora, with every verdict verified.
//!
//! ```text
//! bench/run.sh        # installs the peers, builds, runs this, writes BENCHMARKS.md
//! cargo bench --bench peers -- --citelint target/release/citelint --python bench/.venv/bin/python --out BENCHMARKS.md
//! ```
//!
//! Workloads (the issue's numbering):
//! 1. news: every BBC article as one source; 100 quotes (40 verbatim, 10
//!    typographic, 40 with 1 to 5% random edits, 10 absent), fixed seed;
//!    citelint against fuzzysearch, edlib, rapidfuzz, quotecheck and `rg -F`.
//!    1b. short: 1,000 quotes of 3 to 6 words from the same source, half
//!    with one letter edit, each edited one's distance held to an
//!    exhaustive alignment.
//! 2. pdnc: every PDNC quotation against its own novel; against `rg -F -f`.
//! 3. growth: 10 MB, 100 MB and 1 GB built from the real corpora, every word
//!    perturbed with a small probability so no document copies another;
//!    1k, 10k and 100k quotes, 10% altered.
//! 4. start-up: `citelint check` on the bundled claims, as the hook runs it.
//!
//! citelint is timed as users run it: the release binary, a whole process,
//! wall clock, peak RSS from `wait4`. Any wrong verdict fails the run; a
//! missed speed target is reported, not hidden. Under `cargo test` (no
//! `--bench` argument) a small news workload built from the bundled seeds
//! keeps the generator and the verdict check tested without `../shared`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

struct Args {
    work: PathBuf,
    out: Option<PathBuf>,
    python: PathBuf,
    citelint: PathBuf,
    /// Growth corpus sizes, in MB.
    sizes: Vec<usize>,
    /// Each peer's time budget on the news workload.
    budget: Duration,
    only: Option<Vec<String>>,
    smoke: bool,
}

fn args() -> Args {
    let root = Path::new(MANIFEST);
    let mut a = Args {
        work: root.join("target/bench-work"),
        out: None,
        python: root.join("bench/.venv/bin/python"),
        citelint: PathBuf::from(env!("CARGO_BIN_EXE_citelint")),
        sizes: vec![10, 100, 1000],
        budget: Duration::from_secs(120),
        only: None,
        smoke: !std::env::args().any(|a| a == "--bench"),
    };
    if a.smoke {
        // Under cargo test the arguments are libtest's, not ours.
        return a;
    }
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--work" => a.work = PathBuf::from(value()),
            "--out" => a.out = Some(PathBuf::from(value())),
            "--python" => a.python = PathBuf::from(value()),
            "--citelint" => a.citelint = PathBuf::from(value()),
            "--sizes" => a.sizes = value().split(',').map(|s| s.parse().expect("--sizes MB,MB,...")).collect(),
            "--budget" => a.budget = Duration::from_secs(value().parse().expect("--budget SECONDS")),
            "--only" => a.only = Some(value().split(',').map(str::to_owned).collect()),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    // Processes run in the workloads' folders.
    a.citelint = std::path::absolute(&a.citelint).expect("an absolute path");
    a.python = std::path::absolute(&a.python).expect("an absolute path");
    a.work = std::path::absolute(&a.work).expect("an absolute path");
    a
}

#[path = "support/rng.rs"]
mod rng;
#[path = "peers/short.rs"]
mod short;
use rng::Rng;

// ---------------------------------------------------------------- processes

/// A finished (or stopped) child process.
struct Run {
    wall: Duration,
    code: Option<i32>,
    timed_out: bool,
}

/// Runs `cmd` with stdout to `out`, timing it and reading its peak RSS.
fn run(cmd: &mut Command, out: &Path, budget: Option<Duration>) -> Run {
    let stdout = File::create(out).expect("create the output file");
    let started = Instant::now();
    let child = cmd.stdout(stdout).stderr(Stdio::null()).spawn().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    if let Some(budget) = budget {
        let (done, killed) = (Arc::clone(&done), Arc::clone(&killed));
        std::thread::spawn(move || {
            let step = Duration::from_millis(50);
            let mut waited = Duration::ZERO;
            while waited < budget {
                std::thread::sleep(step);
                waited += step;
                if done.load(Ordering::SeqCst) {
                    return;
                }
            }
            if !done.load(Ordering::SeqCst) {
                killed.store(true, Ordering::SeqCst);
                // SAFETY: kill(2) on a child we have not reaped yet.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
    }
    let mut status = 0;
    // (wait4's rusage would also give a peak RSS, but it counts the memory
    // of this process that the child shared before exec: see `peak_kib`.)
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; the pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    done.store(true, Ordering::SeqCst);
    std::mem::forget(child); // reaped by wait4 above
    assert_eq!(r, pid, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run { wall, code, timed_out: killed.load(Ordering::SeqCst) }
}

fn capture(program: &str, args: &[&str]) -> String {
    Command::new(program).args(args).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.1 { format!("{:.1} ms", s * 1e3) } else { format!("{s:.2} s") }
}

// ---------------------------------------------------------------- corpora

fn shared() -> Option<PathBuf> {
    let p = Path::new(MANIFEST).join("../shared/corpora");
    p.is_dir().then_some(p)
}

fn read_lossy(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).expect("read a corpus file")).into_owned()
}

/// Every `.txt` under `dir`, sorted.
fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list a corpus folder") {
            let p = e.expect("a folder entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") && p.file_name().is_some_and(|n| n != "README.TXT") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Sentences of a text that make good quotes: 10 to 40 words, ASCII, with
/// nothing citelint would read as markup (`[`, `]`, `...`).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let b = line.as_bytes();
        for i in 0..b.len() {
            let end_of_sentence = matches!(b[i], b'.' | b'!' | b'?')
                && (i + 1 == b.len() || (b[i + 1] == b' ' && b.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())));
            if !end_of_sentence {
                continue;
            }
            let s = line[start..=i].trim();
            start = i + 1;
            let words = s.split_whitespace().count();
            if (10..=40).contains(&words) && s.is_ascii() && !s.contains(['[', ']']) && !s.contains("..") && !s.contains("  ") {
                out.push(s);
            }
        }
    }
    out
}

/// `n` random letter edits (substitution, deletion, insertion), never on the
/// first character (whose case a writer may change).
fn edit(rng: &mut Rng, s: &str, n: usize) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..n {
        let at = 1 + rng.below(chars.len() - 1);
        match rng.below(3) {
            0 => {
                let c = loop {
                    let c = rng.letter();
                    if c != chars[at] {
                        break c;
                    }
                };
                chars[at] = c;
            }
            1 => {
                chars.remove(at);
            }
            _ => chars.insert(at, rng.letter()),
        }
    }
    chars.into_iter().collect()
}

/// Typography a writer's editor adds: curly quotes and apostrophes, a spaced
/// en dash for a spaced hyphen, and a doubled space.
fn typographic(rng: &mut Rng, s: &str) -> String {
    let mut out = String::new();
    let mut open = true;
    for c in s.chars() {
        match c {
            '"' => {
                out.push(if open { '\u{201C}' } else { '\u{201D}' });
                open = !open;
            }
            '\'' => out.push('\u{2019}'),
            c => out.push(c),
        }
    }
    let out = out.replace(" - ", " \u{2013} ");
    let gaps: Vec<usize> = out.match_indices(' ').map(|(i, _)| i).collect();
    let at = gaps[rng.below(gaps.len())];
    format!("{}  {}", &out[..at], &out[at + 1..])
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// One claim of a workload and the verdict it must get.
#[derive(Clone)]
struct Quote {
    id: String,
    kind: &'static str,
    source: String,
    quote: String,
}

/// Writes claims, 1,000 to a file; returns each quote scalar's (file, byte offset).
fn write_claims(dir: &Path, quotes: &[Quote]) -> HashMap<(String, usize), usize> {
    std::fs::create_dir_all(dir).unwrap();
    let mut at = HashMap::new();
    for (f, chunk) in quotes.chunks(1000).enumerate() {
        let name = format!("c{f:03}.yaml");
        let mut yaml = String::from("claims:\n");
        for (k, q) in chunk.iter().enumerate() {
            write!(yaml, "  - id: {}\n    statement: A quotation from the corpus.\n    source: {}\n    quote: ", q.id, q.source).unwrap();
            at.insert((name.clone(), yaml.len()), f * 1000 + k);
            yaml.push_str(&json_string(&q.quote));
            yaml.push('\n');
        }
        std::fs::write(dir.join(&name), yaml).unwrap();
    }
    at
}

/// citelint's findings by claim id: (rule, distance).
fn findings(json_path: &Path) -> HashMap<String, Vec<(String, Option<u64>)>> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(json_path).unwrap()).expect("citelint's JSON output");
    let mut out: HashMap<String, Vec<(String, Option<u64>)>> = HashMap::new();
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        let id = d["claim"].as_str().unwrap_or("").to_owned();
        out.entry(id).or_default().push((d["rule"].as_str().unwrap().to_owned(), d["distance"].as_u64()));
    }
    out
}

/// citelint's peak RSS on the workload in `dir`, from GNU time: a small
/// parent, so that nothing of this benchmark's own memory is counted.
fn peak_kib(a: &Args, dir: &Path) -> u64 {
    let rss = dir.join("rss.txt");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.current_dir(dir).arg("-f").arg("%M").arg("-o").arg(&rss).arg(&a.citelint);
    cmd.args(["--no-config", "check", "--sources", "sources", "--format", "json", "--no-cache", "claims"]);
    run(&mut cmd, &dir.join("rss-run.json"), None);
    std::fs::read_to_string(&rss)
        .ok()
        .and_then(|s| s.trim().lines().last()?.parse().ok())
        .expect("GNU time (Debian package time) reports the peak RSS")
}

/// citelint's own account of where its time went on the workload in `dir`
/// (`--timings`, one more run): each phase and its wall time in ms.
fn citelint_phases(a: &Args, dir: &Path) -> Vec<(String, f64)> {
    let o = Command::new(&a.citelint)
        .current_dir(dir)
        .args(["--no-config", "check", "--sources", "sources", "--format", "json", "--no-cache", "--timings", "claims"])
        .stdout(Stdio::null())
        .output()
        .expect("citelint runs");
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter_map(|l| {
            let (ms, phase) = l.trim_start().split_once(" ms  ")?;
            Some((phase.to_owned(), ms.parse().ok()?))
        })
        .collect()
}

fn citelint_check(a: &Args, dir: &Path, out: &Path) -> Run {
    let mut cmd = Command::new(&a.citelint);
    cmd.current_dir(dir).args(["--no-config", "check", "--sources", "sources", "--format", "json", "--no-cache", "claims"]);
    let r = run(&mut cmd, out, None);
    assert!(matches!(r.code, Some(0 | 1)), "citelint could not run in {}", dir.display());
    r
}

// ---------------------------------------------------------------- report

#[derive(Default)]
struct Report {
    md: String,
    targets: Vec<(String, bool, String)>,
    wrong: usize,
}

impl Report {
    fn target(&mut self, what: &str, met: bool, detail: String) {
        println!("target {}: {what}: {detail}", if met { "met" } else { "MISSED" });
        self.targets.push((what.to_owned(), met, detail));
    }
}

// ---------------------------------------------------------------- workload 1

fn news(a: &Args, rep: &mut Report) {
    let dir = a.work.join("news");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let seeds: Vec<String> = text_files(&Path::new(MANIFEST).join("seeds")).iter().map(|p| read_lossy(p)).collect();
    let (corpus, absent_pool): (String, Vec<String>) = if a.smoke {
        // The seeds are the corpus; absent quotes are corpus sentences with
        // their words reversed, which stand nowhere near any passage.
        let text = seeds.join("\n\n");
        let absent = sentences(&text).iter().map(|s| s.split(' ').rev().collect::<Vec<_>>().join(" ")).collect();
        (text, absent)
    } else {
        let bbc = shared().expect("../shared/corpora is needed for the news workload").join("bbc");
        let text: Vec<String> = text_files(&bbc).iter().map(|p| read_lossy(p)).collect();
        // Real news sentences that are not in the BBC corpus: the seeds'.
        (text.join("\n\n"), seeds.iter().flat_map(|s| sentences(s)).map(str::to_owned).collect())
    };
    std::fs::write(dir.join("sources/news.txt"), &corpus).unwrap();
    let mut rng = Rng::new(1);
    let pool = sentences(&corpus);
    let (verbatim, typo, edited, absent) = if a.smoke { (8, 2, 8, 2) } else { (40, 10, 40, 10) };
    let mut quotes = Vec::new();
    let mut used = HashSet::new();
    let mut pick = |rng: &mut Rng, want: &dyn Fn(&str) -> bool| loop {
        let s = pool[rng.below(pool.len())];
        if want(s) && used.insert(s) {
            break s;
        }
    };
    let q = |k: usize, kind: &'static str, quote: String| Quote { id: format!("news-{k:03}"), kind, source: "news.txt".into(), quote };
    for _ in 0..verbatim {
        let s = pick(&mut rng, &|_| true);
        quotes.push(q(quotes.len(), "verbatim", s.to_owned()));
    }
    for _ in 0..typo {
        let s = pick(&mut rng, &|s| s.contains(['"', '\'']) || s.contains(" - "));
        let t = typographic(&mut rng, s);
        quotes.push(q(quotes.len(), "typographic", t));
    }
    while quotes.len() < verbatim + typo + edited {
        let s = pick(&mut rng, &|_| true);
        let share = 0.01 + 0.04 * (rng.below(1001) as f64 / 1000.0);
        let n = ((s.chars().count() as f64 * share).round() as usize).max(1);
        let e = edit(&mut rng, s, n);
        if verbatim_core(&corpus, &e) {
            continue;
        }
        quotes.push(q(quotes.len(), "edited", e));
    }
    let mut absent_used = HashSet::new();
    while quotes.iter().filter(|q| q.kind == "absent").count() < absent {
        let s = &absent_pool[rng.below(absent_pool.len())];
        if absent_used.insert(s.clone()) && !corpus.contains(s.as_str()) {
            quotes.push(q(quotes.len(), "absent", s.clone()));
        }
    }
    write_claims(&dir.join("claims"), &quotes);
    let peer_quotes: Vec<Value> = quotes.iter().map(|q| serde_json::json!({"id": q.id, "quote": q.quote, "kind": q.kind})).collect();
    std::fs::write(dir.join("quotes.json"), serde_json::to_string(&peer_quotes).unwrap()).unwrap();

    // citelint: the median of whole-process runs after a warm-up.
    let out = dir.join("citelint.json");
    let runs: Vec<Run> = if a.smoke { vec![citelint_check(a, &dir, &out)] } else { after_warm_up(RUNS, || citelint_check(a, &dir, &out)) };
    let wall = median(runs.iter().map(|r| r.wall).collect());
    let peak = peak_kib(a, &dir);
    let found = findings(&out);

    // Peers (not under cargo test: they are installed by bench/run.sh).
    let mut peers: BTreeMap<String, PeerRun> = BTreeMap::new();
    if !a.smoke {
        for peer in ["edlib", "fuzzysearch", "rapidfuzz", "quotecheck"] {
            let r = run_peer(a, &dir, peer, quotes.len());
            println!("news: {peer}: {} of {} quotes in {:.2} s", r.results.len(), quotes.len(), r.search.as_secs_f64());
            peers.insert(peer.to_owned(), r);
        }
        peers.insert("rg -F -f".into(), rg_news(&dir, &quotes));
    }
    let oracle = if a.smoke { HashMap::new() } else { oracle(a, &dir, &corpus, &quotes) };
    let raw_edlib: HashMap<String, u64> =
        peers.get("edlib").map(|p| p.results.iter().filter_map(|(id, r)| Some((id.clone(), r.distance?))).collect()).unwrap_or_default();
    let raw_differs = quotes
        .iter()
        .filter(|q| q.kind == "edited")
        .filter(|q| {
            let d = found.get(&q.id).and_then(|v| v.first()).and_then(|(_, d)| *d);
            d.is_some() && raw_edlib.get(&q.id).copied() != d
        })
        .count();

    // Verdicts, and near-match distances against edlib's optimum.
    let mut wrong = Vec::new();
    let mut distance_checked = 0;
    for q in &quotes {
        let got = found.get(&q.id).cloned().unwrap_or_default();
        let rules: Vec<&str> = got.iter().map(|(r, _)| r.as_str()).collect();
        let expected: &[&str] = match q.kind {
            "verbatim" | "typographic" => &[],
            "edited" => &["quote-mismatch"],
            _ => &["quote-not-found"],
        };
        if rules != expected {
            wrong.push(format!("{} ({}): expected {expected:?}, got {rules:?}", q.id, q.kind));
        }
        if let (Some((_, Some(d))), Some(&best)) = (got.first(), oracle.get(&q.id)) {
            distance_checked += 1;
            if *d != best {
                wrong.push(format!("{} ({}): distance {d}, edlib's optimum {best}", q.id, q.kind));
            }
        }
    }
    for w in &wrong {
        eprintln!("news: WRONG {w}");
    }
    rep.wrong += wrong.len();
    let right = quotes.len() - wrong.iter().map(|w| w.split(' ').next().unwrap()).collect::<HashSet<_>>().len();
    println!("news: citelint {} (median of {}), {right} of {} verdicts right", secs(wall), runs.len(), quotes.len());
    if a.smoke {
        assert!(wrong.is_empty(), "wrong verdicts: {wrong:#?}");
        return;
    }

    let mb = corpus.len() as f64 / 1e6;
    let md = &mut rep.md;
    writeln!(md, "## 1. News misquotes\n").unwrap();
    writeln!(
        md,
        "One source made of all {} BBC articles ({mb:.1} MB); 100 quotes drawn with a fixed seed: {verbatim} verbatim, {typo} typographic (curly quotes, a spaced en dash, a doubled space), {edited} with 1 to 5% random letter edits, {absent} absent (sentences of the bundled seeds, which are not BBC articles).\n",
        text_files(&shared().unwrap().join("bbc")).len()
    )
    .unwrap();
    writeln!(md, "citelint: {right} of 100 verdicts right. Its edit distance for each of the {distance_checked} near matches was compared with edlib's optimal infix distance (`align(mode='HW')`) for the same strings citelint compares, the normalised quote without its end marks against the normalised source: {}. Against the raw bytes, {raw_differs} of the 40 differ by one or two edits: an edit that doubled a space (normalisation makes it one), or one next to the quote's final full stop (end marks are the writer's and are not compared).\n", if wrong.is_empty() { "all equal" } else { "SOME DIFFER: see the run's log" }).unwrap();
    writeln!(md, "| tool | time for 100 quotes | found verbatim of 50 | near of 40 edited | notes |").unwrap();
    writeln!(md, "|---|---:|---:|---:|---|").unwrap();
    writeln!(
        md,
        "| citelint {} | **{}** (whole process, median of {} after a warm-up run) | 50 | 40 | peak RSS {} MB; also the verdict, passage and diff |",
        capture(a.citelint.to_str().unwrap(), &["--version"]).trim_start_matches("citelint "),
        secs(wall),
        runs.len(),
        peak / 1024
    )
    .unwrap();
    for (name, p) in &peers {
        let of =
            |kinds: &[&str]| quotes.iter().filter(|q| kinds.contains(&q.kind) && p.results.get(&q.id).is_some_and(|r| r.found)).count();
        let near = quotes
            .iter()
            .filter(|q| q.kind == "edited" && p.results.get(&q.id).is_some_and(|r| r.distance.is_some_and(|d| d > 0) || r.found))
            .count();
        let time = if p.results.len() < quotes.len() {
            format!("stopped after {} of {} quotes ({} budget)", p.results.len(), quotes.len(), secs(a.budget))
        } else {
            secs(p.search)
        };
        writeln!(
            md,
            "| {name} {} | {time} | {} | {} | {} |",
            p.version,
            of(&["verbatim", "typographic"]),
            if p.approximate { near.to_string() } else { "-".into() },
            p.note
        )
        .unwrap();
    }
    writeln!(md).unwrap();
    if let Some(fz) = peers.get("fuzzysearch") {
        let ratio = fz.search.as_secs_f64() / wall.as_secs_f64();
        let complete = fz.results.len() == quotes.len();
        rep.target(
            "news: at least 100x faster than fuzzysearch",
            complete && ratio >= 100.0,
            format!(
                "{ratio:.0}x ({} against {}{})",
                secs(fz.search),
                secs(wall),
                if complete { "" } else { ", fuzzysearch stopped at its budget" }
            ),
        );
    }
    rep.target(
        "news: all 100 verdicts right, near-match distances equal edlib's",
        wrong.is_empty(),
        format!("{right} of 100 right, {distance_checked} distances compared"),
    );
}

/// edlib's optimal distance for each quote citelint aligns, on citelint's normalised strings.
fn oracle(a: &Args, dir: &Path, corpus: &str, quotes: &[Quote]) -> HashMap<String, u64> {
    use citelint::quote::{markup, normalize::normalize};
    std::fs::write(dir.join("news.norm.txt"), normalize(corpus).text).unwrap();
    let patterns: Vec<Value> = quotes
        .iter()
        .map(|q| serde_json::json!({"id": q.id, "pattern": markup::parse(&normalize(&q.quote).text).literal.pieces[0].text}))
        .collect();
    std::fs::write(dir.join("patterns.json"), serde_json::to_string(&patterns).unwrap()).unwrap();
    let out = dir.join("oracle.jsonl");
    let mut cmd = Command::new(&a.python);
    cmd.arg(Path::new(MANIFEST).join("bench/peers.py")).arg("oracle").arg(dir.join("patterns.json")).arg(dir.join("news.norm.txt"));
    let r = run(&mut cmd, &out, None);
    assert_eq!(r.code, Some(0), "the edlib oracle runs");
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_owned(), v["distance"].as_u64().unwrap())
        })
        .collect()
}

struct PeerResult {
    found: bool,
    distance: Option<u64>,
}

struct PeerRun {
    version: String,
    /// The sum of the per-quote search times the peer measured itself
    /// (interpreter start and reading the source are left out, in the peer's favour).
    search: Duration,
    results: HashMap<String, PeerResult>,
    approximate: bool,
    note: String,
}

fn run_peer(a: &Args, dir: &Path, peer: &str, expected: usize) -> PeerRun {
    let out = dir.join(format!("{peer}.jsonl"));
    let mut cmd = Command::new(&a.python);
    cmd.arg(Path::new(MANIFEST).join("bench/peers.py")).arg(peer).arg(dir.join("quotes.json")).arg(dir.join("sources/news.txt"));
    let r = run(&mut cmd, &out, Some(a.budget));
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let mut lines = text.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok());
    let version = lines.next().and_then(|v| v["version"].as_str().map(str::to_owned)).unwrap_or_else(|| "(did not start)".into());
    let mut search = Duration::ZERO;
    let mut results = HashMap::new();
    let mut errors = 0;
    for v in lines {
        search += Duration::from_secs_f64(v["seconds"].as_f64().unwrap_or(0.0));
        if v["status"].as_str() != Some("ok") {
            errors += 1;
        }
        results.insert(
            v["id"].as_str().unwrap().to_owned(),
            PeerResult { found: v["found"].as_bool().unwrap_or(false), distance: v["distance"].as_u64() },
        );
    }
    let mut note = match peer {
        "edlib" => "optimal distance only (the oracle); no folding".to_owned(),
        "fuzzysearch" => "max_l_dist = 5% of the quote; no folding".to_owned(),
        "rapidfuzz" => "a score and a window, no distance; no folding".to_owned(),
        _ => "folds case and typography; verdict only".to_owned(),
    };
    if r.timed_out {
        write!(note, "; stopped at its {} budget", secs(a.budget)).unwrap();
    } else if r.code != Some(0) {
        write!(note, "; exited with {:?} after {} of {expected} quotes", r.code, results.len()).unwrap();
    }
    if errors > 0 {
        write!(note, "; failed on {errors} quotes").unwrap();
    }
    PeerRun { version, search, results, approximate: peer != "quotecheck", note }
}

/// Whole-process runs of the news workload whose median is reported.
const RUNS: usize = 21;

/// `n` runs of `once`, after one whose time is thrown away: the first run
/// after the corpus is written pays for what the others find ready (the
/// binary and the source in the page cache), as hyperfine's `--warmup` does.
fn after_warm_up<T>(n: usize, mut once: impl FnMut() -> T) -> Vec<T> {
    once();
    (0..n).map(|_| once()).collect()
}

/// `rg -F -o -f` over the source: which quotes stand verbatim (no folding).
fn rg_news(dir: &Path, quotes: &[Quote]) -> PeerRun {
    let patterns: String = quotes.iter().map(|q| format!("{}\n", q.quote)).collect();
    std::fs::write(dir.join("patterns.txt"), patterns).unwrap();
    let out = dir.join("rg.txt");
    let walls: Vec<Duration> = after_warm_up(RUNS, || {
        let mut cmd = Command::new("rg");
        cmd.current_dir(dir).args(["-F", "-o", "-N", "--no-filename", "-f", "patterns.txt", "sources/news.txt"]);
        run(&mut cmd, &out, None).wall
    });
    let matched: HashSet<String> = std::fs::read_to_string(&out).unwrap().lines().map(str::to_owned).collect();
    let results = quotes.iter().map(|q| (q.id.clone(), PeerResult { found: matched.contains(&q.quote), distance: None })).collect();
    PeerRun {
        version: rg_version(),
        search: median(walls),
        results,
        approximate: false,
        note: format!("exact bytes only, yes or no; whole process, median of {RUNS} after a warm-up run"),
    }
}

fn rg_version() -> String {
    capture("rg", &["--version"]).lines().next().unwrap_or("").trim_start_matches("ripgrep ").to_owned()
}

// ---------------------------------------------------------------- workload 2

#[path = "../tests/support/pdnc_csv.rs"]
mod pdnc_csv;
use pdnc_csv::{byte_spans, python_strings};

fn pdnc(a: &Args, rep: &mut Report) {
    let Some(root) = shared().map(|s| s.join("pdnc")) else {
        println!("pdnc: skipped, ../shared/corpora/pdnc is not beside the project");
        return;
    };
    let dir = a.work.join("pdnc");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let mut novels: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("quotation_info.csv").is_file()).collect();
    novels.sort();
    let mut quotes: Vec<Quote> = Vec::new();
    let mut annotated: Vec<(String, usize, usize)> = Vec::new(); // (novel file, start, end) by quote
    let mut texts: HashMap<String, String> = HashMap::new();
    let (mut quotations, mut not_verbatim, mut no_words) = (0usize, Vec::new(), 0usize);
    for novel in &novels {
        let name = format!("{}.txt", novel.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(novel.join("novel_text.txt")).unwrap();
        std::fs::write(dir.join("sources").join(&name), &text).unwrap();
        let mut rdr = csv::Reader::from_path(novel.join("quotation_info.csv")).unwrap();
        for row in rdr.records() {
            let row = row.unwrap();
            quotations += 1;
            for (k, (sub, (s, e))) in python_strings(&row[2]).into_iter().zip(byte_spans(&row[3])).enumerate() {
                if text.get(s..e) != Some(sub.as_str()) {
                    not_verbatim.push(format!(
                        "{name} {} part {k}: annotated text {:?}, the novel has {:?}",
                        &row[0],
                        sub,
                        text.get(s..e).unwrap_or("(out of range)")
                    ));
                    continue;
                }
                if !sub.chars().any(char::is_alphanumeric) {
                    no_words += 1;
                    continue;
                }
                quotes.push(Quote {
                    id: format!("{}-{}-{k}", name.trim_end_matches(".txt"), &row[0]),
                    kind: "verbatim",
                    source: name.clone(),
                    quote: sub,
                });
                annotated.push((name.clone(), s, e));
            }
        }
        texts.insert(name, text);
    }
    let offsets = write_claims(&dir.join("claims"), &quotes);
    let mb = texts.values().map(String::len).sum::<usize>() as f64 / 1e6;

    // Timed: the CLI, as users run it.
    let out = dir.join("citelint.json");
    let runs: Vec<Run> = (0..3).map(|_| citelint_check(a, &dir, &out)).collect();
    let wall = median(runs.iter().map(|r| r.wall).collect());
    let peak = peak_kib(a, &dir);
    let flagged = findings(&out);

    // Untimed: where each quote was found, through the library.
    let config = citelint::config::Config::defaults(&dir);
    let opts = citelint::check::CheckOptions {
        paths: vec![dir.join("claims")],
        sources: Some(dir.join("sources")),
        passages: true,
        ..Default::default()
    };
    let report = citelint::check::check(&config, &opts).expect("the check runs");
    let (mut at_span, mut earlier, mut missed) = (0usize, 0usize, Vec::new());
    let mut seen = 0;
    for qr in &report.quotes {
        let f = report.files.get(qr.file);
        let name = f.name.rsplit('/').next().unwrap().to_owned();
        let Some(&i) = offsets.get(&(name.clone(), qr.quote.start)).or_else(|| offsets.get(&(name, qr.quote.start - 1))) else {
            panic!("a quote at {}:{} that the benchmark did not write", f.name, qr.quote.start);
        };
        seen += 1;
        let (novel, s, e) = &annotated[i];
        let text = &texts[novel];
        let q = &quotes[i];
        if flagged.get(&q.id).is_some_and(|v| v.iter().any(|(r, _)| r.starts_with("quote-") && r != "quote-too-short")) {
            missed.push(format!("{}: {:?} reported as {:?}", q.id, q.quote, flagged[&q.id]));
            continue;
        }
        let Some((_, span)) = qr.passage else {
            missed.push(format!("{}: {:?} has no passage", q.id, q.quote));
            continue;
        };
        // The passage leaves out the quote's end marks; skip them at the annotation too.
        let lead = q.quote.len() - q.quote.trim_start_matches(|c: char| "\"'.,;:!?".contains(c) || c.is_whitespace()).len();
        let found = &text[span.start..span.end];
        if span.start == s + lead {
            at_span += 1;
        } else if span.start < s + lead && same_words(found, &text[s + lead..*e]) {
            earlier += 1;
        } else {
            missed.push(format!("{}: {:?} annotated at {s}, found at {}", q.id, q.quote, span.start));
        }
    }
    assert_eq!(seen, quotes.len(), "every written quote is checked");
    for m in missed.iter().take(20) {
        eprintln!("pdnc: MISSED {m}");
    }
    rep.wrong += missed.len();

    // rg -F -f: each novel against its own quotes, two at a time (citelint uses both cores too).
    let mut per_novel: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for q in &quotes {
        per_novel.entry(&q.source).or_default().push(&q.quote);
    }
    for (novel, qs) in &per_novel {
        let pats: String = qs.iter().map(|q| format!("{}\n", q.replace('\n', " "))).collect();
        std::fs::write(dir.join(format!("{novel}.patterns")), pats).unwrap();
    }
    let rg_walls: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let names: Vec<&&str> = per_novel.keys().collect();
            names.par_iter().with_max_len(1).for_each(|novel| {
                let mut cmd = Command::new("rg");
                cmd.current_dir(&dir).args(["-F", "-c", "-j1", "-f", &format!("{novel}.patterns"), &format!("sources/{novel}")]);
                run(&mut cmd, &dir.join(format!("{novel}.rg")), None);
            });
            started.elapsed()
        })
        .collect();
    let rg_wall = median(rg_walls);
    let ratio = wall.as_secs_f64() / rg_wall.as_secs_f64();
    println!("pdnc: citelint {}, rg {}, {at_span} at span, {earlier} earlier, {} missed", secs(wall), secs(rg_wall), missed.len());

    let md = &mut rep.md;
    writeln!(md, "## 2. Novels at scale\n").unwrap();
    writeln!(md, "Every PDNC quotation against its own novel: {} novels, {mb:.1} MB, {quotations} quotations in {} sub-quotations, each a citation.\n", novels.len(), quotes.len() + not_verbatim.len() + no_words).unwrap();
    writeln!(md, "| tool | wall (median of 3) | answers |").unwrap();
    writeln!(md, "|---|---:|---|").unwrap();
    writeln!(md, "| citelint | **{}** (peak RSS {} MB) | {at_span} found at their annotated span, {earlier} at an earlier identical passage (citelint names the first), {} missed |", secs(wall), peak / 1024, missed.len()).unwrap();
    writeln!(md, "| rg -F -c -f {} (one process per novel, two at a time) | {} | lines that contain a quote: yes or no, no place, no folding; a quote broken across lines is never found |\n", rg_version(), secs(rg_wall)).unwrap();
    writeln!(md, "Not checked, because they are not verbatim at their annotated span: {} sub-quotations whose annotated text differs from the novel's bytes at that span (the annotation's own discrepancies; the first five are listed below), and {no_words} that are only punctuation.\n", not_verbatim.len()).unwrap();
    for m in not_verbatim.iter().take(5) {
        writeln!(md, "- {}", m.replace('\n', "\\n").replace('|', "\\|")).unwrap();
    }
    writeln!(md).unwrap();
    if !missed.is_empty() {
        writeln!(md, "Missed ({}), the first ten:\n", missed.len()).unwrap();
        for m in missed.iter().take(10) {
            writeln!(md, "- {}", m.replace('\n', "\\n")).unwrap();
        }
        writeln!(md).unwrap();
    }
    rep.target(
        "pdnc: every verbatim quotation found at its span",
        missed.is_empty(),
        format!("{at_span} at span, {earlier} at an earlier identical passage, {} missed", missed.len()),
    );
    rep.target("pdnc: wall within 2x of rg -F -f", ratio <= 2.0, format!("{ratio:.2}x ({} against {})", secs(wall), secs(rg_wall)));
}

/// The two passages read the same, but for the first letter's case.
fn same_words(a: &str, b: &str) -> bool {
    let na = citelint::quote::normalize::normalize(a).text;
    let nb = citelint::quote::normalize::normalize(b).text;
    let lower_first = |s: &str| {
        let mut c = s.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    lower_first(&nb).starts_with(&lower_first(&na))
}

// ---------------------------------------------------------------- workload 3

/// Pieces of real text, 2 KB (a BBC article) to 20 KB (a run of a novel's paragraphs).
fn base_pieces(corpora: &Path) -> Vec<String> {
    let mut pieces: Vec<String> = text_files(&corpora.join("bbc")).iter().map(|p| read_lossy(p)).collect();
    let mut novels: Vec<PathBuf> = std::fs::read_dir(corpora.join("pdnc"))
        .unwrap()
        .map(|e| e.unwrap().path().join("novel_text.txt"))
        .filter(|p| p.is_file())
        .collect();
    novels.sort();
    for n in novels {
        let text = read_lossy(&n);
        let mut cur = String::new();
        for para in text.split("\n\n") {
            cur.push_str(para);
            cur.push_str("\n\n");
            if cur.len() >= 20_000 {
                pieces.push(std::mem::take(&mut cur));
            }
        }
        pieces.push(cur);
    }
    pieces
}

/// A document of about `size` bytes: random real pieces, each word replaced
/// by a random corpus word with probability 3%, so no document copies another.
fn growth_document(seed: u64, size: usize, pieces: &[String], vocabulary: &[&str]) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 25_000);
    while out.len() < size {
        let piece = &pieces[rng.below(pieces.len())];
        for (k, word) in piece.split(' ').enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let plain = !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic());
            if plain && rng.chance(0.03) {
                out.push_str(vocabulary[rng.below(vocabulary.len())]);
            } else {
                out.push_str(word);
            }
        }
        out.push_str("\n\n");
    }
    out
}

/// A quote of 8 to 25 whole words from one line of `doc`, or none there.
fn growth_quote(rng: &mut Rng, doc: &str) -> Option<String> {
    let mut at = rng.below(doc.len());
    while !doc.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = doc[at..].find('\n').map_or(doc.len(), |i| at + i);
    let words: Vec<&str> = doc[line_start..line_end].split(' ').collect();
    if words.len() < 12 {
        return None;
    }
    let n = 8 + rng.below(18).min(words.len() - 9);
    let first = rng.below(words.len() - n);
    let q = words[first..first + n].join(" ");
    let ok =
        q.is_ascii() && !q.contains(['[', ']']) && !q.contains("..") && q.chars().any(|c| c.is_ascii_alphabetic()) && !q.contains("  ");
    (ok && q.trim() == q && !q.is_empty()).then_some(q)
}

/// Whether `quote`, without the marks at its ends and with its white space
/// runs as one space, stands verbatim in `doc` (then citelint rightly finds it).
fn verbatim_core(doc: &str, quote: &str) -> bool {
    let core = quote.trim_matches(|c: char| !c.is_alphanumeric());
    let core = core.split_whitespace().collect::<Vec<_>>().join(" ");
    core.is_empty() || doc.contains(core.as_str())
}

struct GrowthRow {
    mb: f64,
    quotes: usize,
    wall: Duration,
    peak_kib: u64,
    rg: Duration,
}

fn growth(a: &Args, rep: &mut Report) -> Vec<GrowthRow> {
    let Some(corpora) = shared() else {
        println!("growth: skipped, ../shared/corpora is not beside the project");
        return Vec::new();
    };
    let pieces = base_pieces(&corpora);
    let joined: String = pieces.iter().take(3000).map(String::as_str).collect::<Vec<_>>().join(" ");
    let mut vocabulary: Vec<&str> = joined.split(' ').filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase())).collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut rows = Vec::new();
    let mut largest_phases = Vec::new();
    for &size_mb in &a.sizes {
        let dir = a.work.join(format!("growth-{size_mb}mb"));
        let docs = size_mb * 10; // 100 KB each
        let n_quotes = size_mb * 100;
        let stamp = dir.join("generated");
        let started = Instant::now();
        let quotes_path = dir.join("quotes.json");
        if !stamp.is_file() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("sources")).unwrap();
            let per_doc = n_quotes / docs;
            let made: Vec<Vec<Quote>> = (0..docs)
                .into_par_iter()
                .map(|d| {
                    let doc = growth_document(size_mb as u64 * 1_000_003 + d as u64, 100_000, &pieces, &vocabulary);
                    let name = format!("d{d:05}.txt");
                    std::fs::write(dir.join("sources").join(&name), &doc).unwrap();
                    let mut rng = Rng::new(d as u64 ^ 0xA17E);
                    let mut qs = Vec::new();
                    while qs.len() < per_doc {
                        let Some(q) = growth_quote(&mut rng, &doc) else { continue };
                        let k = d * per_doc + qs.len();
                        let (kind, quote) = if k % 10 == 9 {
                            let n = ((q.len() as f64 * (0.01 + 0.04 * rng.below(1001) as f64 / 1000.0)).round() as usize).max(1);
                            let e = edit(&mut rng, &q, n);
                            // An edit can turn the words into another passage of
                            // the document (the same piece perturbed otherwise),
                            // or leave them verbatim once the marks at the ends,
                            // which are the writer's, are set aside.
                            if verbatim_core(&doc, &e) {
                                continue;
                            }
                            ("edited", e)
                        } else {
                            ("verbatim", q)
                        };
                        qs.push(Quote { id: format!("g{k:06}"), kind, source: name.clone(), quote });
                    }
                    qs
                })
                .collect();
            let quotes: Vec<Quote> = made.into_iter().flatten().collect();
            write_claims(&dir.join("claims"), &quotes);
            let list: Vec<Value> = quotes.iter().map(|q| serde_json::json!([q.id, q.kind, q.quote])).collect();
            std::fs::write(&quotes_path, serde_json::to_string(&list).unwrap()).unwrap();
            let pats: String = quotes.iter().map(|q| format!("{}\n", q.quote)).collect();
            std::fs::write(dir.join("patterns.txt"), pats).unwrap();
            std::fs::write(&stamp, "").unwrap();
            println!("growth: generated {size_mb} MB in {:.1} s", started.elapsed().as_secs_f64());
        }
        let list: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&quotes_path).unwrap()).unwrap();
        let bytes: u64 = std::fs::read_dir(dir.join("sources")).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
        let mb = bytes as f64 / 1e6;

        // rg first: it also warms the page cache for both.
        let mut rg = Command::new("rg");
        rg.current_dir(&dir).args(["-F", "-c", "-f", "patterns.txt", "sources"]);
        let repeats = if size_mb >= 1000 { 1 } else { 3 };
        let rg_runs: Vec<Duration> = (0..repeats).map(|_| run(&mut rg, &dir.join("rg.txt"), None).wall).collect();
        let out = dir.join("citelint.json");
        let repeats = if size_mb >= 1000 { 3 } else { 5 };
        let runs: Vec<Run> = (0..repeats).map(|_| citelint_check(a, &dir, &out)).collect();
        let wall = median(runs.iter().map(|r| r.wall).collect());
        let peak = peak_kib(a, &dir);
        largest_phases = citelint_phases(a, &dir);
        let flagged = findings(&out);
        let mut wrong = 0;
        for q in &list {
            let (id, kind) = (q[0].as_str().unwrap(), q[1].as_str().unwrap());
            let got: Vec<&str> = flagged.get(id).map(|v| v.iter().map(|(r, _)| r.as_str()).collect()).unwrap_or_default();
            let ok = if kind == "edited" { got == ["quote-mismatch"] } else { got.is_empty() };
            if !ok {
                if wrong < 5 {
                    eprintln!("growth {size_mb} MB: WRONG {id} ({kind}): {got:?}");
                }
                wrong += 1;
            }
        }
        rep.wrong += wrong;
        println!(
            "growth {size_mb} MB: citelint {} ({:.0} MB/s, peak {} MB), rg {}, {} of {} verdicts right",
            secs(wall),
            mb / wall.as_secs_f64(),
            peak / 1024,
            secs(median(rg_runs.clone())),
            list.len() - wrong,
            list.len()
        );
        rows.push(GrowthRow { mb, quotes: list.len(), wall, peak_kib: peak, rg: median(rg_runs) });
    }
    let md = &mut rep.md;
    writeln!(md, "## 3. Growth\n").unwrap();
    writeln!(md, "Documents of 100 KB made of random real pieces (BBC articles, runs of PDNC novels), every plain word replaced by a random corpus word with probability 3%, so that no document copies another. Quotes: 8 to 25 words of a document, one in ten with 1 to 5% random letter edits; each cites its document. The page cache is warm (rg runs first). citelint's wall is the median of 5 runs (3 at 1 GB).\n").unwrap();
    writeln!(md, "| corpus | quotes | citelint wall | throughput | peak RSS | peak / corpus | rg -F -c -f (exact only, all files) |")
        .unwrap();
    writeln!(md, "|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for r in &rows {
        writeln!(
            md,
            "| {:.0} MB | {} | {} | {:.0} MB/s | {} MB | {:.2} | {} |",
            r.mb,
            r.quotes,
            secs(r.wall),
            r.mb / r.wall.as_secs_f64(),
            r.peak_kib / 1024,
            r.peak_kib as f64 * 1024.0 / (r.mb * 1e6),
            secs(r.rg)
        )
        .unwrap();
    }
    writeln!(md, "\n![Wall time against corpus size](bench/growth.svg)\n").unwrap();
    if let Some(largest) = rows.last().filter(|_| !largest_phases.is_empty()) {
        writeln!(md, "Where the time goes on the {:.0} MB corpus, by citelint's own `--timings` (one more run):\n", largest.mb).unwrap();
        writeln!(md, "| phase | wall |\n|---|---:|").unwrap();
        for (phase, ms) in &largest_phases {
            writeln!(md, "| {phase} | {ms:.0} ms |").unwrap();
        }
        writeln!(md).unwrap();
    }
    if rows.len() >= 2 {
        let (f, l) = (&rows[0], &rows[rows.len() - 1]);
        let growth = (l.wall.as_secs_f64() / f.wall.as_secs_f64()) / (l.mb / f.mb);
        writeln!(
            md,
            "From the smallest to the largest corpus the size grows {:.0}x and the wall time {:.0}x: {:.2} times linear.\n",
            l.mb / f.mb,
            l.wall.as_secs_f64() / f.wall.as_secs_f64(),
            growth
        )
        .unwrap();
        rep.target("growth: linear", growth <= 1.25, format!("time grows {growth:.2}x as fast as size"));
    }
    if let Some(big) = rows.iter().find(|r| r.mb >= 900.0) {
        let gbs = big.mb / 1000.0 / big.wall.as_secs_f64();
        rep.target("growth: at least 1 GB/s at 1 GB", gbs >= 1.0, format!("{:.0} MB/s", gbs * 1000.0));
        let ratio = big.peak_kib as f64 * 1024.0 / (big.mb * 1e6);
        rep.target(
            "growth: peak memory under twice the corpus at 1 GB",
            ratio < 2.0,
            format!("{:.2}x ({} MB for {:.0} MB)", ratio, big.peak_kib / 1024, big.mb),
        );
    }
    rows
}

/// A log-log plot of wall time against corpus size, hand-written SVG.
fn plot(rows: &[GrowthRow]) -> String {
    let (w, h, left, bottom, top, right) = (640.0, 400.0, 70.0, 50.0, 30.0, 160.0);
    let (x0, x1) = (1.0f64, 4.0f64); // log10 MB: 10 MB .. 10 GB
    let (y0, y1) = (-2.0f64, 2.0f64); // log10 s: 10 ms .. 100 s
    let x = |mb: f64| left + (mb.log10() - x0) / (x1 - x0) * (w - left - right);
    let y = |s: f64| h - bottom - (s.max(0.01).log10() - y0) / (y1 - y0) * (h - bottom - top);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for e in 1..=4 {
        let xv = x(10f64.powi(e));
        let label = ["", "10 MB", "100 MB", "1 GB", "10 GB"][e as usize];
        writeln!(s, "<line x1=\"{xv:.1}\" y1=\"{top}\" x2=\"{xv:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{xv:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>", h - bottom, h - bottom + 18.0).unwrap();
    }
    for e in -2..=2 {
        let yv = y(10f64.powi(e));
        let label = ["10 ms", "100 ms", "1 s", "10 s", "100 s"][(e + 2) as usize];
        writeln!(s, "<line x1=\"{left}\" y1=\"{yv:.1}\" x2=\"{:.1}\" y2=\"{yv:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>", w - right, left - 6.0, yv + 4.0).unwrap();
    }
    writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">corpus size (log scale)</text>", (left + w - right) / 2.0, h - 10.0)
        .unwrap();
    writeln!(
        s,
        "<text x=\"16\" y=\"{:.1}\" transform=\"rotate(-90 16 {:.1})\" text-anchor=\"middle\">wall time (log scale)</text>",
        h / 2.0,
        h / 2.0
    )
    .unwrap();
    // The 1 GB/s target: time = size / (1000 MB/s).
    writeln!(
        s,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>",
        x(10.0),
        y(0.01),
        x(10_000.0),
        y(10.0)
    )
    .unwrap();
    let series = |s: &mut String, pts: Vec<(f64, f64)>, colour: &str, name: &str, ly: f64| {
        let path: Vec<String> = pts.iter().map(|&(mb, t)| format!("{:.1},{:.1}", x(mb), y(t))).collect();
        writeln!(s, "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>", path.join(" ")).unwrap();
        for &(mb, t) in &pts {
            writeln!(s, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\"/>", x(mb), y(t)).unwrap();
        }
        writeln!(s, "<line x1=\"{:.1}\" y1=\"{ly}\" x2=\"{:.1}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\">{name}</text>", w - right + 10.0, w - right + 30.0, w - right + 36.0, ly + 4.0).unwrap();
    };
    series(&mut s, rows.iter().map(|r| (r.mb, r.wall.as_secs_f64())).collect(), "#c0392b", "citelint check", top + 20.0);
    series(&mut s, rows.iter().map(|r| (r.mb, r.rg.as_secs_f64())).collect(), "#2471a3", "rg -F -c -f", top + 40.0);
    writeln!(s, "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/><text x=\"{:.1}\" y=\"{:.1}\">1 GB/s</text>", w - right + 10.0, top + 60.0, w - right + 30.0, top + 60.0, w - right + 36.0, top + 64.0).unwrap();
    s.push_str("</svg>\n");
    s
}

// ---------------------------------------------------------------- workload 4

fn startup(a: &Args, rep: &mut Report) {
    let root = Path::new(MANIFEST);
    let time = |extra: &[&str]| {
        let walls: Vec<Duration> = (0..31)
            .map(|_| {
                let mut cmd = Command::new(&a.citelint);
                cmd.current_dir(root).arg("check").args(extra);
                let r = run(&mut cmd, &a.work.join("startup.txt"), None);
                assert_eq!(r.code, Some(0), "the bundled claims check clean");
                r.wall
            })
            .collect();
        median(walls)
    };
    let cold = time(&["--no-cache"]);
    let warm = time(&[]);
    println!("startup: {} without the cache, {} with it", secs(cold), secs(warm));
    let md = &mut rep.md;
    writeln!(md, "## 4. Start-up\n").unwrap();
    writeln!(
        md,
        "`citelint check` in the project root (the bundled claims and seeds), as the pre-commit hook runs it; median of 31 runs.\n"
    )
    .unwrap();
    writeln!(
        md,
        "| run | wall |\n|---|---:|\n| without the run cache (`--no-cache`) | {} |\n| with the run cache, warm | {} |\n",
        secs(cold),
        secs(warm)
    )
    .unwrap();
    rep.target(
        "start-up under 20 ms",
        cold < Duration::from_millis(20),
        format!("{} without the cache, {} with it", secs(cold), secs(warm)),
    );
}

// ---------------------------------------------------------------- main

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).unwrap_or("?").trim().to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()).unwrap_or(0);
    format!(
        "{model}, {} cores, {} GiB RAM, Linux {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        mem_kb / 1024 / 1024,
        capture("uname", &["-r"])
    )
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.work).unwrap();
    let mut rep = Report::default();
    let wants = |w: &str| a.only.as_ref().is_none_or(|o| o.iter().any(|x| x == w));
    if a.smoke {
        let tmp = tempfile::tempdir().unwrap();
        let a = Args { work: tmp.path().to_path_buf(), ..a };
        news(&a, &mut rep);
        short::short(&a, &mut rep);
        return;
    }
    if wants("news") {
        news(&a, &mut rep);
    }
    if wants("short") {
        short::short(&a, &mut rep);
    }
    if wants("pdnc") {
        pdnc(&a, &mut rep);
    }
    let rows = if wants("growth") { growth(&a, &mut rep) } else { Vec::new() };
    if wants("startup") {
        startup(&a, &mut rep);
    }
    if let Some(out) = &a.out {
        let mut md = String::from("# Benchmarks\n\n");
        writeln!(md, "Written by `bench/run.sh` (which installs the peers, builds citelint in release mode and runs `cargo bench --bench peers`); rerun it to reproduce every figure here. Corpora: `../shared/corpora/` (BBC news, PDNC novels); quotes are drawn with fixed seeds.\n").unwrap();
        writeln!(md, "- Machine: {}", machine()).unwrap();
        writeln!(
            md,
            "- citelint {} (commit {}), {}",
            env!("CARGO_PKG_VERSION"),
            capture("git", &["-C", MANIFEST, "rev-parse", "--short", "HEAD"]),
            capture("rustc", &["--version"])
        )
        .unwrap();
        writeln!(md, "- Python peers: {}; ripgrep {}\n", capture(a.python.to_str().unwrap(), &["--version"]), rg_version()).unwrap();
        writeln!(md, "## Targets\n\n| target | met | measured |\n|---|---|---|").unwrap();
        for (what, met, detail) in &rep.targets {
            writeln!(md, "| {what} | {} | {detail} |", if *met { "yes" } else { "**no**" }).unwrap();
        }
        md.push('\n');
        md.push_str(&rep.md);
        std::fs::write(out, md).unwrap();
        if !rows.is_empty() {
            std::fs::write(Path::new(MANIFEST).join("bench/growth.svg"), plot(&rows)).unwrap();
        }
        println!("wrote {}", out.display());
    }
    if rep.wrong > 0 {
        eprintln!("{} wrong verdicts", rep.wrong);
        std::process::exit(1);
    }
}
