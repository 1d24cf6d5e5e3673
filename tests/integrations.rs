//! CI and fixes, tested with the real programs users run: SARIF validated by
//! the SARIF Multitool (npm), JUnit read back by junitparser (PyPI), GitLab's
//! Code Quality report validated by jsonschema (PyPI) against the schema of
//! GitLab's documented fields (`tests/fixtures/schemas`). `.ci/run` installs
//! them; without them these tests say why they skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn citelint(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citelint"));
    c.current_dir(dir).env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The SARIF Multitool that `.ci/run` installs.
fn multitool() -> Option<PathBuf> {
    let p = root().join(".ci/node/node_modules/.bin/sarif-multitool");
    p.is_file().then_some(p)
}

/// The Python of `.ci/run`'s virtualenv, when it has jsonschema.
fn jsonschema_python() -> Option<PathBuf> {
    let p = root().join(".ci/venv/bin/python3");
    let ok = p.is_file() && Command::new(&p).args(["-c", "import jsonschema"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(p)
}

#[test]
fn gitlab_report_of_every_failing_fixture_matches_gitlabs_schema() {
    let Some(python) = jsonschema_python() else {
        eprintln!("skipped: jsonschema is not installed (run .ci/run, which installs it with pip into .ci/venv)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for rule in citelint::rules::ALL {
        let dir = root().join("tests/fixtures/rules").join(rule.name);
        let sources = if dir.join("sources").is_dir() { dir.join("sources") } else { root().join("seeds") };
        let o = citelint(root())
            .args(["--no-config", "check", "--format", "gitlab", "--sources"])
            .arg(&sources)
            .arg(dir.join("fail.yaml"))
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(doc.as_array().is_some_and(|a| !a.is_empty()), "{}: no issues", rule.name);
        let path = out.path().join(format!("{}.json", rule.name));
        std::fs::write(&path, &o.stdout).unwrap();
        reports.push(path);
    }
    let check = "import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\nfor p in sys.argv[2:]:\n    jsonschema.validate(json.load(open(p)), schema)\nprint(len(sys.argv) - 2)";
    let o = Command::new(python)
        .args(["-c", check])
        .arg(root().join("tests/fixtures/schemas/gitlab-code-quality.json"))
        .args(&reports)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout(&o).trim(), citelint::rules::ALL.len().to_string());
}

#[test]
fn sarif_of_every_failing_fixture_passes_the_multitool() {
    let Some(tool) = multitool() else {
        eprintln!("skipped: the SARIF Multitool is not installed (run .ci/run, which installs it with npm)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for rule in citelint::rules::ALL {
        let dir = root().join("tests/fixtures/rules").join(rule.name);
        let sources = if dir.join("sources").is_dir() { dir.join("sources") } else { root().join("seeds") };
        let o = citelint(root())
            .args(["--no-config", "check", "--format", "sarif", "--sources"])
            .arg(&sources)
            .arg(dir.join("fail.yaml"))
            .output()
            .unwrap();
        let sarif = out.path().join(format!("{}.sarif", rule.name));
        std::fs::write(&sarif, &o.stdout).unwrap();
        let log = out.path().join(format!("{}.validation.sarif", rule.name));
        let v = Command::new(&tool).arg("validate").arg("--output").arg(&log).arg(&sarif).output().unwrap();
        assert!(v.status.success(), "{}: {}", rule.name, String::from_utf8_lossy(&v.stdout));
        let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
        let results = report["runs"][0]["results"].as_array().cloned().unwrap_or_default();
        assert!(results.is_empty(), "{}: the validator reports {:#}", rule.name, serde_json::Value::Array(results));
        // And it says what it must: one result per finding, with fingerprints, and fixes where there is one.
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{}: no results", rule.name);
        assert!(results.iter().all(|r| r["partialFingerprints"]["citelint/v1"].is_string()));
        checked += 1;
    }
    let doc: serde_json::Value = serde_json::from_slice(
        &citelint(root())
            .args(["--no-config", "check", "--format", "sarif", "--sources", "seeds", "tests/fixtures/rules/quote-mismatch/fail.yaml"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let r = &doc["runs"][0]["results"][0];
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "tests/fixtures/rules/quote-mismatch/fail.yaml");
    assert_eq!(r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "seeds/000_cb1738fc2468f046.txt");
    assert_eq!(
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "Safeguard Defenders said Monday it had identified 48 other stations, 11 of which are in Italy"
    );
    assert!(checked >= 14);
}

#[test]
fn fingerprints_ignore_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let claim = "  - id: moved\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n";
    let fp = |text: &str| {
        std::fs::write(dir.path().join("c.yaml"), text).unwrap();
        let o = citelint(dir.path())
            .args(["--no-config", "check", "--format", "sarif", "--sources"])
            .arg(common::seeds())
            .arg("c.yaml")
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        doc["runs"][0]["results"][0]["partialFingerprints"]["citelint/v1"].as_str().unwrap().to_owned()
    };
    let before = fp(&format!("claims:\n{claim}"));
    let after =
        fp(&format!("# a comment\n\nclaims:\n  - id: other\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations\n{claim}"));
    assert_eq!(before, after);
}

#[test]
fn junit_reads_back_with_junitparser() {
    let probe = Command::new("python3").args(["-c", "import junitparser"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with junitparser is not installed (run .ci/run, which installs it with pip)");
        return;
    }
    let o = citelint(root())
        .args([
            "--no-config",
            "check",
            "--format",
            "junit",
            "--sources",
            "seeds",
            "tests/fixtures/rules/quote-mismatch/fail.yaml",
            "tests/fixtures/rules/quote-mismatch/pass.yaml",
        ])
        .output()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("report.xml");
    std::fs::write(&xml, &o.stdout).unwrap();
    let script = r#"
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        failed = any(isinstance(r, Failure) for r in case.result)
        print(f"{case.classname}|{case.name}|{'FAIL' if failed else 'ok'}")
"#;
    let r = Command::new("python3").args(["-c", script]).arg(&xml).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let lines: Vec<String> = stdout(&r).lines().map(str::to_owned).collect();
    let fail = "tests/fixtures/rules/quote-mismatch/fail.yaml";
    let pass = "tests/fixtures/rules/quote-mismatch/pass.yaml";
    assert!(lines.contains(&format!("{fail}|changed-figure|FAIL")), "{lines:?}");
    assert!(lines.contains(&format!("{pass}|first-letter-case|ok")), "{lines:?}");
    assert_eq!(lines.len(), 10, "one test case per claim: {lines:?}");
}

#[test]
fn github_annotations() {
    common::at_root();
    insta_cmd::assert_cmd_snapshot!(citelint(root()).args([
        "--no-config",
        "check",
        "--format",
        "github",
        "--sources",
        "seeds",
        "tests/fixtures/rules/quote-wrong-source/fail.yaml"
    ]));
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let old = "claims:\n  - id: old-misquote\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n  - id: gone-misquote\n    source: 001_02bec644949d209f.txt\n    quote: All that we have found is based on what may be found online\n";
    std::fs::write(dir.path().join("c.yaml"), old).unwrap();
    let run = |args: &[&str]| {
        citelint(dir.path()).args(["--no-config", "check", "--sources"]).arg(common::seeds()).args(args).arg("c.yaml").output().unwrap()
    };
    assert_eq!(run(&["--write-baseline", "baseline.json"]).status.code(), Some(1));
    // The old misquote moves down a few lines, the second one is fixed, a new one arrives.
    let new = "# moved down\n\nclaims:\n  - id: new-misquote\n    source: 002_e782db431b287446.txt\n    quote: Safeguard Defenders posited that Italy hosts 12 Chinese police stations\n  - id: old-misquote\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n";
    std::fs::write(dir.path().join("c.yaml"), new).unwrap();
    let o = run(&["--baseline", "baseline.json", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let claims: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().map(|d| d["claim"].as_str().unwrap()).collect();
    assert_eq!(claims, ["new-misquote"]);
    assert_eq!((json["summary"]["baselined"].as_u64(), json["summary"]["stale_baseline"].as_u64()), (Some(1), Some(1)));
    assert!(stdout(&run(&["--baseline", "baseline.json"])).contains("1 baselined, 1 baseline entry no longer matching"));
}

const MESSY: &str = "# Claims kept by hand; comments and order must survive a fix.
claims:
  - id: plain   # trailing comment
    source: 000_cb1738fc2468f046.txt
    quote: 48 other stations, 12 of which are in Italy
  - quote: 'The new data put the number of such stations at over 200.'
    source: 000_cb1738fc2468f046.txt
    id: single-quoted-first
  - id: block
    source: 001_02bec644949d209f.txt
    quote: >-
      EU countries are failing to provide a united front against the threat
      posed by secret Chinese \"service stations\" on their soil
  - id: wrong-source
    source: 000_cb1738fc2468f046.txt   # should be Reuters
    quote: All that we have found is based on what can be found online
  - id: untouched
    source: 000_cb1738fc2468f046.txt
    quote: \"Italy is home to 330,000 Chinese citizens\"
";

const FIXED: &str = "# Claims kept by hand; comments and order must survive a fix.
claims:
  - id: plain   # trailing comment
    source: 000_cb1738fc2468f046.txt
    quote: 48 other stations, 11 of which are in Italy
  - quote: 'The new data put the number of such stations at over 100.'
    source: 000_cb1738fc2468f046.txt
    id: single-quoted-first
  - id: block
    source: 001_02bec644949d209f.txt
    quote: >-
      EU countries are failing to provide a united front against the threat posed by dozens of secret Chinese \"service stations\" on their soil
  - id: wrong-source
    source: 001_02bec644949d209f.txt   # should be Reuters
    quote: All that we have found is based on what can be found online
  - id: untouched
    source: 000_cb1738fc2468f046.txt
    quote: \"Italy is home to 330,000 Chinese citizens\"
";

#[test]
fn fix_changes_only_the_misquotes_and_diff_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.yaml");
    std::fs::write(&file, MESSY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let run = |args: &[&str]| {
        citelint(dir.path()).args(["--no-config", "check", "--sources"]).arg(common::seeds()).args(args).arg("c.yaml").output().unwrap()
    };
    let diff = run(&["--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(stdout(&diff).contains("+    quote: 48 other stations, 11 of which are in Italy"), "{}", stdout(&diff));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), MESSY, "--diff changes nothing");
    let fixed = run(&["--fix"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXED);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
    assert!(stdout(&fixed).contains("4 findings fixed"), "{}", stdout(&fixed));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640, "permissions kept");
    }
    // Nothing left to fix.
    assert_eq!(run(&[]).status.code(), Some(0));
}

/// Whether `strace` is here and may trace (a container may forbid ptrace).
#[cfg(target_os = "linux")]
fn strace_works() -> bool {
    Command::new("strace").args(["-f", "-qq", "-o", "/dev/null", "true"]).output().is_ok_and(|o| o.status.success())
}

/// The calls a write to a file may go through, and those around it: a kill on entering any
/// of them stops the fix between two steps of its write.
#[cfg(target_os = "linux")]
const WRITE_SYSCALLS: &[&str] = &[
    "openat",
    "creat",
    "write",
    "writev",
    "pwrite64",
    "ftruncate",
    "fsync",
    "fdatasync",
    "chmod",
    "fchmod",
    "fchmodat",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "unlink",
    "unlinkat",
    "close",
    "fcntl",
    "statx",
    "newfstatat",
    "read",
    "getcwd",
];

#[cfg(target_os = "linux")]
#[test]
fn a_killed_fix_leaves_the_old_file_or_the_new_one() {
    // Regression: this test once killed the fix after sleeping fixed fractions of one timed run
    // and required kills on both sides of the write; on a loaded CI machine every kill landed
    // before it, and a write that was not atomic passed anyway (its window is microseconds).
    // strace now delivers the kill on entering the n-th call of each kind, for every n, so
    // the fix is stopped between every two steps of its write, whatever the machine's speed.
    if !strace_works() {
        eprintln!("skipped: strace is missing or may not trace here (.ci/run installs it)");
        return;
    }
    let mut old = String::from("claims:\n");
    for i in 0..30 {
        old.push_str(&format!(
            "  - id: c{i}\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n"
        ));
    }
    let new = old.replace("12 of which", "11 of which");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.yaml");
    let (mut kills, mut inside_the_write) = (0, 0);
    for syscall in WRITE_SYSCALLS {
        for n in 1.. {
            std::fs::write(&file, &old).unwrap();
            let run = Command::new("strace")
                .args(["-f", "-qq", "-o", "/dev/null", "-e"])
                .arg(format!("inject={syscall}:signal=KILL:when={n}"))
                .arg(env!("CARGO_BIN_EXE_citelint"))
                // No cache: every write the kills land in is the fix's.
                .args(["--no-config", "check", "--fix", "--no-cache", "--format", "json", "--sources"])
                .arg(common::seeds())
                .arg("c.yaml")
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let now = std::fs::read_to_string(&file).unwrap();
            assert!(now == old || now == new, "a mix after a kill on entering {syscall} #{n}: {} bytes", now.len());
            for entry in std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()) {
                let name = entry.file_name();
                if name == "c.yaml" {
                    continue;
                }
                // A killed write may leave its temporary file; never the claim file half-written.
                assert!(name.to_string_lossy().starts_with(".citelint-"), "{name:?}");
                std::fs::remove_file(entry.path()).unwrap();
                inside_the_write += 1;
            }
            let killed = std::os::unix::process::ExitStatusExt::signal(&run.status) == Some(9);
            if !killed {
                // The fix made fewer than n such calls: it ran to its end.
                assert_eq!(run.status.code(), Some(0), "{syscall} #{n}: {}", String::from_utf8_lossy(&run.stderr));
                assert!(now == new, "the fix that ran to its end left the old file");
                break;
            }
            kills += 1;
        }
    }
    eprintln!("{kills} kills, {inside_the_write} of them inside the write; each left the old file or the new one");
    assert!(inside_the_write > 0, "no kill landed while the new file was being written");
}
