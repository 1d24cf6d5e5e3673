//! Issue 18: a warm session (the language server's) gives exactly what a
//! cold check gives, through edits of a claim, sources changed, added and
//! removed on disk, another claim file changed, and a budget too small to
//! hold anything; and a cancelled check stops.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use citelint::check::{CheckOptions, RunError, Warm, check};
use citelint::config::Config;

const STATIONS: &str = "000_cb1738fc2468f046.txt";

/// A project with the seeds copied in (the test changes them) and two claim files.
fn project() -> tempfile::TempDir {
    common::seeded_project(&[
        ("other.yaml", claim_file(&[("other", STATIONS, "48 other stations, 11 of which are in Italy")])),
        ("open.yaml", open_text("stations")),
    ])
}

fn claim_file(claims: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("claims:\n");
    for (id, source, quote) in claims {
        s.push_str(&format!("  - id: {id}\n    source: {source}\n    quote: \"{quote}\"\n"));
    }
    s
}

/// The open file's claims: found, a misquote, one from another source,
/// one nowhere, and one that elides a negation.
fn open_text(edit: &str) -> String {
    claim_file(&[
        ("found", STATIONS, "Italy is home to the largest number of unofficial Chinese"),
        ("misquote", STATIONS, &format!("Safeguard Defenders said Monday it had identified 48 other {edit}")),
        ("elsewhere", "001_02bec644949d209f.txt", "the largest number of unofficial Chinese"),
        ("nowhere", STATIONS, "a sentence that no source has ever held, not once"),
        ("other", STATIONS, "POLITICO has asked the Italian government for a statement"),
    ])
}

/// The check of the open file, in JSON, warm or cold.
fn run(dir: &Path, text: &str, warm: Option<&Arc<Mutex<Warm>>>) -> String {
    let config = Config::discover(dir).unwrap();
    let path = dir.join("claims/open.yaml");
    let opts = CheckOptions {
        paths: vec![path.clone()],
        overlays: vec![(path, text.to_owned())],
        passages: true,
        warm: warm.cloned(),
        ..CheckOptions::default()
    };
    common::json(&check(&config, &opts).expect("the check runs"))
}

fn step(dir: &Path, text: &str, warm: &Arc<Mutex<Warm>>, what: &str) -> String {
    let cold = run(dir, text, None);
    assert_eq!(run(dir, text, Some(warm)), cold, "warm and cold differ: {what}");
    // Twice: the second warm check is served by what the first kept.
    assert_eq!(run(dir, text, Some(warm)), cold, "warm and cold differ the second time: {what}");
    cold
}

fn told(warm: &Arc<Mutex<Warm>>, path: PathBuf) {
    warm.lock().unwrap().changed(&path);
}

#[test]
fn warm_checks_equal_cold_ones_through_edits_and_changes_on_disk() {
    let dir = project();
    let root = dir.path().to_path_buf();
    let warm = Arc::new(Mutex::new(Warm::new(64 << 20)));

    let first = step(&root, &open_text("stations"), &warm, "the first check");
    assert!(first.contains("quote-wrong-source") && first.contains("quote-not-found") && first.contains("duplicate-id"), "{first}");
    assert!(warm.lock().unwrap().holds() > 0 && warm.lock().unwrap().remembered() > 0, "the session keeps nothing");

    // An edit of one quote, in the unsaved text.
    step(&root, &open_text("stattions"), &warm, "a quote edited");
    let text = open_text("stattions");

    // The cited source changed under a found quote.
    let stations = root.join("sources").join(STATIONS);
    let original = std::fs::read_to_string(&stations).unwrap();
    std::fs::write(&stations, original.replace("unofficial Chinese", "unofficial Chinese-run")).unwrap();
    told(&warm, stations.clone());
    let changed = step(&root, &text, &warm, "the cited source changed");
    assert_ne!(changed, first);

    // A new source holds the quote that stood nowhere.
    let added = root.join("sources/new.txt");
    std::fs::write(&added, "It said: a sentence that no source has ever held, not once. Then it stopped.\n").unwrap();
    told(&warm, added.clone());
    let found_elsewhere = step(&root, &text, &warm, "a source added");
    assert!(found_elsewhere.contains("new.txt"), "{found_elsewhere}");

    // Another claim file changed on disk, untold: its stamp tells.
    std::fs::write(root.join("claims/other.yaml"), claim_file(&[("renamed", STATIONS, "48 other stations")])).unwrap();
    let no_clash = step(&root, &text, &warm, "another claim file changed");
    assert!(!no_clash.contains("duplicate-id"), "{no_clash}");

    // The source removed again.
    std::fs::remove_file(&added).unwrap();
    told(&warm, added);
    step(&root, &text, &warm, "a source removed");
}

#[test]
fn a_budget_too_small_holds_nothing_and_changes_nothing() {
    let dir = project();
    let root = dir.path().to_path_buf();
    let warm = Arc::new(Mutex::new(Warm::new(1024)));
    step(&root, &open_text("stations"), &warm, "over the budget");
    assert_eq!(warm.lock().unwrap().holds(), 0, "a session over its budget holds sources");
}

#[test]
fn a_cancelled_check_stops_keeps_what_the_session_held_and_the_next_one_runs() {
    let dir = project();
    let root = dir.path().to_path_buf();
    let config = Config::discover(&root).unwrap();
    let path = root.join("claims/open.yaml");
    let warm = Arc::new(Mutex::new(Warm::new(64 << 20)));
    let opts = CheckOptions {
        paths: vec![path.clone()],
        overlays: vec![(path, open_text("stations"))],
        warm: Some(Arc::clone(&warm)),
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..CheckOptions::default()
    };
    let again = CheckOptions { cancel: None, ..opts.clone() };
    assert!(check(&config, &again).is_ok());
    let remembered = warm.lock().unwrap().remembered();
    assert!(remembered > 0);
    assert!(matches!(check(&config, &opts), Err(RunError::Cancelled)));
    // Regression: a cancelled check dropped what the session had lent it,
    // and the next edit searched every quote again.
    assert_eq!(warm.lock().unwrap().remembered(), remembered, "a cancelled check lost the session's memo");
    assert!(check(&config, &again).is_ok());
}
