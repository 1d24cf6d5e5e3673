//! For writers at their desk: `check --watch` and the progress display.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::os::unix::fs::symlink(common::seeds(), dir.path().join("seeds")).unwrap();
    std::fs::write(dir.path().join("citelint.toml"), "similarity = 0.8\n").unwrap();
    std::fs::write(
        dir.path().join("claims/a.yaml"),
        "claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n",
    )
    .unwrap();
    dir
}

/// Reads the child's output until a line contains `want`, or gives up.
fn until(rx: &mpsc::Receiver<String>, want: &str, seen: &mut Vec<String>) -> bool {
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        let hit = line.contains(want);
        seen.push(line);
        if hit {
            return true;
        }
    }
    false
}

#[test]
fn watch_rechecks_on_every_change_and_survives_a_bad_config() {
    let dir = repo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_citelint"))
        .current_dir(dir.path())
        .args(["check", "--watch", "--no-cache"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let step = |rx: &mpsc::Receiver<String>, seen: &mut Vec<String>, want: &str| {
        let ok = until(rx, want, seen);
        assert!(ok, "never saw {want:?}:\n{}", seen.join("\n"));
        // Let the watcher take its snapshot before the next change.
        std::thread::sleep(Duration::from_millis(600));
    };
    step(&rx, &mut seen, "0 errors");
    step(&rx, &mut seen, "watching");
    let claims = dir.path().join("claims/a.yaml");
    std::fs::write(&claims, std::fs::read_to_string(&claims).unwrap().replace("11 of which", "12 of which")).unwrap();
    step(&rx, &mut seen, "1 error");
    std::fs::write(dir.path().join("citelint.toml"), "similarity = 0.8\nnot_a_key = 1\n").unwrap();
    step(&rx, &mut seen, "invalid `citelint.toml`");
    step(&rx, &mut seen, "watching");
    std::fs::write(dir.path().join("citelint.toml"), "similarity = 0.8\n").unwrap();
    step(&rx, &mut seen, "1 error");
    // A new claim file is picked up.
    std::fs::create_dir(dir.path().join("claims/more")).unwrap();
    std::fs::write(
        dir.path().join("claims/more/b.yaml"),
        "claims:\n  - id: b\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 13 of which are in Italy\n",
    )
    .unwrap();
    step(&rx, &mut seen, "2 claims in 2 files checked against 1 source: 2 errors");
    let _ = child.kill();
    let _ = child.wait();
}

/// A run slow enough for the spinner: misquotes searched in a large source.
fn slow_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("claims")).unwrap();
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    let mut big = String::new();
    for e in std::fs::read_dir(common::seeds()).unwrap() {
        big.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    std::fs::write(dir.path().join("seeds/big.txt"), big.repeat(150)).unwrap();
    let mut claims = String::from("claims:\n");
    for i in 0..60 {
        claims.push_str(&format!("  - id: c{i}\n    source: big.txt\n    quote: Safeguard Defenders said Monday it had identified {i} other stations, 11 of which are in Italy\n"));
    }
    std::fs::write(dir.path().join("claims/a.yaml"), claims).unwrap();
    dir
}

fn under_a_terminal_with(dir: &Path, env: &str, args: &str) -> String {
    let cmd = format!("{env} {} {args} 2>&1 >/dev/null", env!("CARGO_BIN_EXE_citelint"));
    let o = Command::new("script").current_dir(dir).args(["-qec", &cmd, "/dev/null"]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_corpus_read_after_the_claims_reports_its_reading_as_phases_of_their_own() {
    use std::sync::{Arc, Mutex};

    use citelint::check::{CheckOptions, Progress, check};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "The council voted to close 48 stations.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "Nothing here is quoted.\n").unwrap();
    std::fs::write(dir.path().join("c.txt"), "Nor here.\n").unwrap();
    let claims = dir.path().join("claims.yaml");
    std::fs::write(&claims, "claims:\n  - id: a\n    source: a.txt\n    quote: voted to close 49 stations\n").unwrap();
    let phases: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = phases.clone();
    let opts = CheckOptions {
        paths: vec![claims],
        sources: Some(dir.path().to_path_buf()),
        progress: Progress::new(move |phase| seen.lock().unwrap().push(phase.to_owned())),
        // Nothing kept: the corpus counts as large, read once the claims are.
        kept_sources: Some(0),
        ..Default::default()
    };
    let report = check(&citelint::config::Config::defaults(dir.path()), &opts).unwrap();
    assert_eq!(report.diagnostics.iter().map(|d| d.rule.name).collect::<Vec<_>>(), ["quote-mismatch"]);
    assert_eq!(
        *phases.lock().unwrap(),
        [
            "reading claim files",
            "normalising the quotes of 1 claim",
            "reading and normalising 1 source",
            "exact search of 1 quote in their cited sources",
            "reading and normalising 2 sources no quote cites",
            "exact search of 1 missed quote in the other sources",
            "near matches in the cited sources",
            "reading the figures of the quotes' passages",
            "placing the findings",
            "checking figures",
        ]
    );
}

#[test]
fn progress_only_for_slow_human_runs_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = slow_repo();
    // The spinner waits a second before it shows; the tests do not depend
    // on a run being that slow (it got faster, and this test broke).
    // Which phase a tick shows depends on the machine; each names its work.
    let shows_a_phase = |s: &str| ["claim files", "quotes", "sources", "near matches", "findings", "figures"].iter().any(|p| s.contains(p));
    let stderr = under_a_terminal_with(dir.path(), "CITELINT_PROGRESS_DELAY_MS=0", "check --no-cache");
    assert!(shows_a_phase(&stderr), "no progress on a terminal: {stderr:?}");
    // A run faster than the delay shows nothing.
    let quick = under_a_terminal_with(dir.path(), "CITELINT_PROGRESS_DELAY_MS=60000", "check --no-cache");
    assert!(!shows_a_phase(&quick), "{quick:?}");
    // Never in machine formats, never when stderr is not a terminal.
    let json = under_a_terminal_with(dir.path(), "CITELINT_PROGRESS_DELAY_MS=0", "check --no-cache --format json");
    assert!(!shows_a_phase(&json), "{json:?}");
    let piped = Command::new(env!("CARGO_BIN_EXE_citelint"))
        .current_dir(dir.path())
        .env("CITELINT_PROGRESS_DELAY_MS", "0")
        .args(["check", "--no-cache"])
        .output()
        .unwrap();
    assert!(piped.stderr.is_empty(), "{}", String::from_utf8_lossy(&piped.stderr));
}
