//! Issue 18: the command line's finer cache (claim files parsed, by their
//! text; each quote's outcome, by what it depended on) gives exactly what a
//! cold run gives, through a claim edited, its cited source rewritten,
//! another source where a missing quote now stands, the config changed, a
//! source removed, a new build, corrupt entries and two runs at once; it
//! searches again only what changed; and it stays within its size.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use citelint::check::{CheckOptions, Progress, check};
use citelint::config::Config;

const STATIONS: &str = "000_cb1738fc2468f046.txt";
const OTHER: &str = "001_02bec644949d209f.txt";

/// A project with the seeds copied in (the test changes them) and two claim files.
fn project() -> tempfile::TempDir {
    let dir = common::seeded_project(&[]);
    write_claims(dir.path(), "other.yaml", &[("other", STATIONS, "48 other stations, 11 of which are in Italy")]);
    write_mine(dir.path(), "stations");
    dir
}

fn write_claims(dir: &Path, name: &str, claims: &[(&str, &str, &str)]) {
    let mut s = String::from("claims:\n");
    for (id, source, quote) in claims {
        s.push_str(&format!("  - id: {id}\n    source: {source}\n    quote: \"{quote}\"\n"));
    }
    std::fs::write(dir.join("claims").join(name), s).unwrap();
}

/// The checked file's claims: found, a misquote, one from another source,
/// one nowhere, and one that elides a negation.
fn mine(edit: &str) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("found", STATIONS, "Italy is home to the largest number of unofficial Chinese".into()),
        ("misquote", STATIONS, format!("Safeguard Defenders said Monday it had identified 48 other {edit}")),
        ("elsewhere", OTHER, "the largest number of unofficial Chinese".into()),
        ("nowhere", STATIONS, "a sentence that no source has ever held, not once".into()),
    ]
}

fn write_mine(dir: &Path, edit: &str) {
    let claims = mine(edit);
    let claims: Vec<(&str, &str, &str)> = claims.iter().map(|(i, s, q)| (*i, *s, q.as_str())).collect();
    write_claims(dir, "mine.yaml", &claims);
}

/// A check of `claims/mine.yaml` (as a hook runs it), in JSON, with the
/// store or cold; and the phases it went through.
fn run(dir: &Path, store: Option<&Path>) -> (String, Vec<String>) {
    let config = Config::discover(dir).unwrap();
    let phases = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&phases);
    let opts = CheckOptions {
        paths: vec![dir.join("claims/mine.yaml")],
        store: store.map(Path::to_path_buf),
        progress: Progress::new(move |p| seen.lock().unwrap().push(p.to_owned())),
        ..CheckOptions::default()
    };
    let json = common::json(&check(&config, &opts).expect("the check runs"));
    let phases = phases.lock().unwrap().clone();
    (json, phases)
}

/// Runs with the store twice (filling it, then served by it) and cold, and
/// holds the three equal; the phases of the first stored run.
fn step(dir: &Path, what: &str) -> Vec<String> {
    let store = dir.join(".citelint_cache");
    let (cold, _) = run(dir, None);
    let (first, phases) = run(dir, Some(&store));
    assert_eq!(first, cold, "stored and cold differ: {what}");
    let (second, _) = run(dir, Some(&store));
    assert_eq!(second, cold, "stored and cold differ the second time: {what}");
    phases
}

/// How many quotes a run searched in their cited sources.
fn searched(phases: &[String]) -> usize {
    phases.iter().filter_map(|p| p.strip_prefix("exact search of ")?.split(' ').next()?.parse().ok()).next().unwrap_or(0)
}

#[test]
fn stored_runs_equal_cold_ones_and_search_only_what_changed() {
    let dir = project();
    let d = dir.path();
    let phases = step(d, "first run");
    assert_eq!(searched(&phases), 4, "a first run searches every quote: {phases:?}");
    // Served by the store: nothing searched, nothing read but the sources placed in.
    let (_, again) = run(d, Some(&d.join(".citelint_cache")));
    assert_eq!(searched(&again), 0, "an unchanged run searches nothing: {again:?}");

    write_mine(d, "police stations");
    let phases = step(d, "a quote edited");
    assert_eq!(searched(&phases), 1, "only the edited quote is searched: {phases:?}");

    // The cited source rewritten: the quote found there is no longer.
    let path = d.join("sources").join(STATIONS);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Italy is home to the largest", "Italy holds the largest")).unwrap();
    step(d, "the cited source rewritten");

    // A new source holds the quote that stood nowhere.
    std::fs::write(d.join("sources/new.txt"), "As he said, a sentence that no source has ever held, not once, until now.\n").unwrap();
    let (out, _) = run(d, None);
    assert!(out.contains("quote-wrong-source") && out.contains("new.txt"), "the new source is named: {out}");
    step(d, "a source added");

    // The config: a lower threshold makes a near match a misquote.
    std::fs::write(d.join("citelint.toml"), "claims = [\"claims\"]\nsources = \"sources\"\nsimilarity = 0.5\n").unwrap();
    step(d, "the similarity changed");

    std::fs::remove_file(d.join("sources").join(OTHER)).unwrap();
    step(d, "a source removed");
}

#[test]
fn a_source_touched_but_unchanged_keeps_its_outcomes() {
    let dir = project();
    let d = dir.path();
    step(d, "first run");
    // Written again with the same bytes: its stamp moves, its hash does not.
    let path = d.join("sources").join(STATIONS);
    std::fs::write(&path, std::fs::read(&path).unwrap()).unwrap();
    let (out, phases) = run(d, Some(&d.join(".citelint_cache")));
    assert_eq!(out, run(d, None).0);
    // The quotes found in it hold; the others looked at every source.
    assert_eq!(searched(&phases), 2, "only the quotes that looked beyond their source: {phases:?}");
}

#[test]
fn corrupt_entries_are_ignored() {
    let dir = project();
    let d = dir.path();
    step(d, "first run");
    let store = d.join(".citelint_cache");
    let entries = files_under(&store);
    assert!(entries.iter().any(|p| p.starts_with(store.join("quotes"))), "outcomes are stored: {entries:?}");
    assert!(entries.iter().any(|p| p.starts_with(store.join("claims"))), "parses are stored: {entries:?}");
    for (i, p) in entries.iter().enumerate() {
        let mut bytes = std::fs::read(p).unwrap();
        // Every other entry truncated, the rest with one byte flipped near the end.
        if i % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else if let Some(b) = bytes.last_mut() {
            *b ^= 0x5a;
        }
        std::fs::write(p, bytes).unwrap();
    }
    let (out, phases) = run(d, Some(&store));
    assert_eq!(out, run(d, None).0, "a corrupt store changes nothing");
    assert_eq!(searched(&phases), 4, "no corrupt outcome is trusted: {phases:?}");
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if p.file_name().is_some_and(|n| n != ".gitignore") {
            out.push(p);
        }
    }
    out
}

/// The command line: a copy of the binary, so that a new build can be made by touching it.
fn cli(bin: &Path, dir: &Path) -> Command {
    let mut c = Command::new(bin);
    c.current_dir(dir).args(["check", "--format", "json", "claims/mine.yaml"]).stdout(std::process::Stdio::piped());
    c
}

#[test]
fn two_runs_at_once_and_a_new_build_each_give_the_cold_answer() {
    let dir = project();
    let d = dir.path();
    let bin = d.join("citelint-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_citelint"), &bin).unwrap();
    for round in 0..3 {
        write_mine(d, &format!("stations {round}"));
        let cold = cli(&bin, d).arg("--no-cache").output().unwrap();
        let (a, b) = (cli(&bin, d).spawn().unwrap(), cli(&bin, d).spawn().unwrap());
        for run in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            assert_eq!(String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&cold.stdout), "round {round}");
            assert_eq!(run.status.code(), cold.status.code());
        }
    }
    // A new build (the same version rebuilt) reads none of the old build's entries.
    let before: Vec<PathBuf> = files_under(&d.join(".citelint_cache/quotes"));
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&bin).unwrap().set_modified(later).unwrap();
    let run = cli(&bin, d).output().unwrap();
    let fresh = cli(&bin, d).arg("--no-cache").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&fresh.stdout));
    assert_eq!(run.status.code(), fresh.status.code());
    let after = files_under(&d.join(".citelint_cache/quotes"));
    assert!(after.iter().any(|p| !before.contains(p)), "the new build keeps its outcomes apart: {before:?} {after:?}");
}

#[test]
fn the_cache_stays_within_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".citelint_cache");
    std::fs::create_dir_all(cache.join("quotes")).unwrap();
    let start = std::time::SystemTime::now() - std::time::Duration::from_secs(100);
    for i in 0..10u64 {
        let p = if i % 2 == 0 { cache.join(format!("run{i}")) } else { cache.join("quotes").join(format!("q{i}")) };
        std::fs::write(&p, vec![b'x'; 100_000]).unwrap();
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(start + std::time::Duration::from_secs(i)).unwrap();
    }
    citelint::cache::prune(&cache, 1_000_000);
    assert_eq!(files_under(&cache).len(), 10, "within the limit, nothing goes");
    citelint::cache::prune(&cache, 500_000);
    let left = files_under(&cache);
    assert!(left.len() * 100_000 <= 375_000, "pruned to three quarters of the limit: {left:?}");
    // The newest stay.
    for i in 7..10u64 {
        let p = if i % 2 == 0 { cache.join(format!("run{i}")) } else { cache.join("quotes").join(format!("q{i}")) };
        assert!(left.contains(&p), "{p:?} is among the newest: {left:?}");
    }
}
