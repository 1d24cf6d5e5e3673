//! The binary as users run it: exit codes, config layering, explicit paths,
//! output formats. CLI runs that users read are insta-cmd snapshots.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::assert_cmd_snapshot;

fn citelint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citelint"));
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    citelint().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap()
}

/// The rules of a JSON report's diagnostics, in order.
fn rules_of(json: &serde_json::Value) -> Vec<&str> {
    json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect()
}

/// A throwaway claims repository with the seeds as its sources.
fn repo(claims: &[(&str, &str)], config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(common::seeds()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
    }
    for (name, text) in claims {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    if let Some(c) = config {
        std::fs::write(dir.path().join("citelint.toml"), c).unwrap();
    }
    dir
}

const GOOD: &str = "claims:\n  - id: good\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n";
const MISQUOTE: &str =
    "claims:\n  - id: bad\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n";
const SHORT: &str = "claims:\n  - id: short\n    source: 002_e782db431b287446.txt\n    quote: police stations\n";

#[test]
fn bundled_claims_are_clean() {
    let o = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.ends_with("0 errors, 0 warnings\n"), "{out}");
    let claims: usize = out.split_whitespace().next().unwrap().parse().unwrap();
    assert!(claims >= 25, "{out}");
    assert!(out.contains("against 5 sources"), "every seed is cited: {out}");
}

#[test]
fn timings_name_each_phase_on_stderr_and_leave_the_output_whole() {
    let dir = repo(&[("claims/a.yaml", GOOD), ("claims/b.yaml", MISQUOTE)], None);
    let searched = [
        "exact search of 2 quotes in their cited sources",
        "exact search of 1 missed quote in the other sources",
        "near matches in the cited sources",
    ];
    // Twice: a run with timings is never served from the run cache, but
    // the second finds each quote's outcome stored by the first.
    for (run, searched) in [(1, &searched[..]), (2, &["exact search of 0 quotes in their cited sources"][..])] {
        let o = run_in(dir.path(), &["check", "--format", "json", "--timings"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_eq!(rules_of(&json_of(&o)), ["quote-mismatch"]);
        let err = stderr(&o);
        let mut lines = err.lines();
        assert_eq!(lines.next(), Some("timings (wall clock):"), "{err}");
        let phases: Vec<&str> = lines
            .map(|l| {
                let (ms, phase) = l.trim_start().split_once(" ms  ").unwrap_or_else(|| panic!("{l:?}"));
                assert!(ms.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{l:?}");
                phase
            })
            .collect();
        let mut expected = vec!["reading claim files", "normalising the quotes of 2 claims"];
        expected.extend(searched);
        expected.extend([
            "reading the figures of the quotes' passages",
            "placing the findings",
            "checking figures",
            "writing the output",
            "in all",
        ]);
        assert_eq!(phases, expected, "run {run}: {err}");
    }
}

#[test]
fn exit_codes() {
    let dir = repo(&[("claims/a.yaml", GOOD)], None);
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0));
    let dir = repo(&[("claims/a.yaml", MISQUOTE)], None);
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(1));
    let dir = repo(&[("claims/a.yaml", SHORT)], None);
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0), "a warning alone passes");
    assert_eq!(run_in(dir.path(), &["check", "--deny-warnings"]).status.code(), Some(1));
    let o = run_in(dir.path(), &["check", "no/such/path.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`no/such/path.yaml` does not exist"), "{}", stderr(&o));
    assert_eq!(run_in(dir.path(), &["check", "--format", "xml"]).status.code(), Some(2));
}

#[test]
fn invalid_config_stops_the_run_with_its_location() {
    let dir = repo(&[("claims/a.yaml", GOOD)], Some("similarity = 0.9\nsourcse = \"seeds\"\n"));
    let o = run_in(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("sourcse") && err.contains("citelint.toml:2:1"), "{err}");
    // --no-config ignores it.
    assert_eq!(run_in(dir.path(), &["--no-config", "check"]).status.code(), Some(0));
}

#[test]
fn config_layers_defaults_file_and_flags() {
    let dir = repo(&[("notes/a.yaml", SHORT)], Some("claims = \"notes\"\nsources = \"seeds\"\n[rules]\nquote-too-short = \"error\"\n"));
    std::fs::rename(dir.path().join("seeds"), dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("citelint.toml"), "claims = \"notes\"\nsources = \"docs\"\n[rules]\nquote-too-short = \"error\"\n")
        .unwrap();
    let o = run_in(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1), "the file raises the rule to an error: {}", stdout(&o));
    assert!(stdout(&o).contains("1 error"), "{}", stdout(&o));
    // A flag beats the file: an empty sources root makes every source missing.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let o = run_in(dir.path(), &["check", "--sources", "empty"]);
    assert!(stdout(&o).contains("source-not-found"), "{}", stdout(&o));
    // The config is found from a subfolder.
    let o = run_in(&dir.path().join("notes"), &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn named_files_are_reported_but_the_whole_repository_is_seen() {
    let a = "claims:\n  - id: shared-id\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n";
    let b = "claims:\n  - id: shared-id\n    source: 001_02bec644949d209f.txt\n    quote: 102 overseas police stations in 53 countries\n";
    let dir = repo(&[("claims/a.yaml", a), ("claims/b.yaml", b)], None);
    // a.yaml's misquote is not reported when only b.yaml is named ...
    let json = json_of(&run_in(dir.path(), &["check", "--format", "json", "claims/b.yaml"]));
    // ... but the duplicate id in b.yaml is, with a's claim as the first use.
    assert_eq!(rules_of(&json), ["duplicate-id"]);
    assert_eq!(json["diagnostics"][0]["related"][0]["file"], "claims/a.yaml");
    assert_eq!(json["summary"]["files"], 1);
    // Naming only a.yaml reports its misquote, and the clash with b.yaml too:
    // in a subset run the named side hears about it, whichever comes first.
    let json = json_of(&run_in(dir.path(), &["check", "--format", "json", "claims/a.yaml"]));
    assert_eq!(rules_of(&json), ["duplicate-id", "quote-mismatch"]);
    assert_eq!(json["diagnostics"][0]["related"][0]["file"], "claims/b.yaml");
    // A full run reports it once, on the later use.
    let json = json_of(&run_in(dir.path(), &["check", "--format", "json"]));
    assert_eq!(rules_of(&json).iter().filter(|r| **r == "duplicate-id").count(), 1);
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_root_is_never_opened() {
    let dir = repo(&[("claims/a.yaml", "claims:\n  - id: link\n    source: secret.txt\n    quote: top secret words here\n")], None);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret words here").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("seeds/secret.txt")).unwrap();
    let o = run_in(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("source-outside-root"), "{}", stdout(&o));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = repo(&[("claims/a.yaml", MISQUOTE)], None);
    let piped = run_in(dir.path(), &["check"]);
    assert!(!stdout(&piped).contains('\u{1b}'), "no colour when piped");
    let mut c = citelint();
    c.env_remove("NO_COLOR");
    let forced = c.current_dir(dir.path()).args(["--color", "always", "check"]).output().unwrap();
    assert!(stdout(&forced).contains('\u{1b}'), "colour when forced");
}

#[test]
fn json_document_shape() {
    let dir = repo(&[("claims/a.yaml", MISQUOTE)], None);
    let o = run_in(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["errors"], 1);
    let d = &json["diagnostics"][0];
    for key in ["rule", "severity", "message", "file", "claim", "line", "column", "end_line", "end_column", "source", "replacement"] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["replacement"], "48 other stations, 11 of which are in Italy");
    assert_eq!(d["source"]["file"], "seeds/000_cb1738fc2468f046.txt");
}

#[test]
fn rules_and_rule_docs() {
    common::at_root();
    assert_cmd_snapshot!(citelint().arg("rules"));
    assert_cmd_snapshot!(citelint().args(["rule", "quote-mismatch"]));
    let o = citelint().args(["rule", "quote-mismatc"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `quote-mismatch`?"), "{}", stderr(&o));
}

#[test]
fn check_run_as_users_see_it() {
    common::at_root();
    assert_cmd_snapshot!(citelint().args(["check", "--sources", "seeds", "tests/fixtures/rules/quote-wrong-source/fail.yaml"]));
}

/// The one-line format: a line a finding (claim ids included, a schema
/// finding's too), the summary last, no colour when piped.
#[test]
fn concise_output_is_one_line_a_finding() {
    common::at_root();
    assert_cmd_snapshot!(citelint().args([
        "check",
        "--format",
        "concise",
        "--sources",
        "seeds",
        "tests/fixtures/rules/quote-mismatch/fail.yaml",
        "tests/fixtures/rules/claim-schema/fail.yaml",
    ]));
}

/// `--statistics`: the count of each rule's findings, most first.
#[test]
fn statistics_count_findings_by_rule() {
    common::at_root();
    assert_cmd_snapshot!(citelint().args([
        "check",
        "--statistics",
        "--sources",
        "seeds",
        "tests/fixtures/rules/quote-mismatch/fail.yaml",
        "tests/fixtures/rules/claim-schema/fail.yaml",
        "tests/fixtures/rules/quote-not-found/fail.yaml",
    ]));
}

/// `--format gitlab`: every issue has the fields GitLab's Code Quality
/// documentation requires, of their types; fingerprints are unique; paths
/// are the files, relative.
#[test]
fn gitlab_code_quality_report_has_every_required_field() {
    common::at_root();
    let o = citelint()
        .args(["check", "--format", "gitlab", "--no-cache", "--sources", "seeds"])
        .args([
            "tests/fixtures/rules/quote-mismatch/fail.yaml",
            "tests/fixtures/rules/claim-schema/fail.yaml",
            "tests/fixtures/rules/duplicate-id/fail.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let issues: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("a JSON array");
    assert!(issues.len() >= 10, "{} issues", issues.len());
    let mut fingerprints = std::collections::HashSet::new();
    for i in &issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[field].as_str().is_some_and(|s| !s.is_empty()), "{field} in {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&i["severity"].as_str().unwrap()), "{i}");
        let path = i["location"]["path"].as_str().unwrap();
        assert!(!path.starts_with('/') && Path::new(env!("CARGO_MANIFEST_DIR")).join(path).is_file(), "{path}");
        let (begin, end) = (i["location"]["lines"]["begin"].as_u64().unwrap(), i["location"]["lines"]["end"].as_u64().unwrap());
        assert!(begin >= 1 && end >= begin, "{i}");
        assert!(fingerprints.insert(i["fingerprint"].as_str().unwrap().to_owned()), "a repeated fingerprint: {i}");
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for rule in citelint::rules::ALL {
        let row = format!("| `{}` | {} |", rule.name, rule.default_severity.as_str());
        assert!(readme.contains(&row), "README's rules table lacks {row}");
    }
}

#[test]
fn bash_completes_subcommands_and_flags() {
    let bin = env!("CARGO_BIN_EXE_citelint");
    let script = format!(
        "source <({bin} completions bash) && COMP_WORDS=(citelint ch) COMP_CWORD=1 && _citelint citelint ch citelint && echo \"${{COMPREPLY[@]}}\" && COMP_WORDS=(citelint check --fo) COMP_CWORD=2 && _citelint citelint --fo check && echo \"${{COMPREPLY[@]}}\""
    );
    let o = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert!(lines[0].split_whitespace().any(|w| w == "check"), "{lines:?}");
    assert!(lines[1].split_whitespace().any(|w| w == "--format"), "{lines:?}");
}

#[test]
fn man_page_renders() {
    let Ok(man) = Command::new("man").arg("--version").output() else {
        eprintln!("skipped: `man` is not installed");
        return;
    };
    assert!(man.status.success());
    let page = citelint().arg("man").output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let roff = dir.path().join("citelint.1");
    std::fs::write(&roff, &page.stdout).unwrap();
    let o = Command::new("man").arg("-l").arg(&roff).env("MANPAGER", "cat").env("MANWIDTH", "80").output().unwrap();
    let text = stdout(&o);
    assert!(text.contains("NAME") && text.contains("citelint") && text.contains("check"), "{text}");
}

#[test]
fn the_cache_replays_unchanged_runs_and_any_input_change_misses() {
    let dir = repo(&[("claims/a.yaml", MISQUOTE)], Some("similarity = 0.8\n"));
    let first = run_in(dir.path(), &["check"]);
    let cache = dir.path().join(".citelint_cache");
    let entries = || {
        std::fs::read_dir(&cache)
            .unwrap()
            .filter_map(|e| e.ok())
            // The run entries: not the finer stores beside them.
            .filter(|e| e.path().is_file() && e.file_name() != ".gitignore" && e.file_name() != "sources")
            .map(|e| e.path())
            .collect::<Vec<_>>()
    };
    assert_eq!(entries().len(), 1);
    // A hit reproduces the run byte for byte (and the exit code).
    let second = run_in(dir.path(), &["check"]);
    assert_eq!((stdout(&first), first.status.code()), (stdout(&second), second.status.code()));
    // Prove it is the cache speaking: mark the entry and see the mark.
    let entry = entries().pop().unwrap();
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, format!("{text}MARK\n")).unwrap();
    assert!(stdout(&run_in(dir.path(), &["check"])).ends_with("MARK\n"));
    assert!(!stdout(&run_in(dir.path(), &["check", "--no-cache"])).contains("MARK"));
    // Any change to a claim file, a source or the config is a miss.
    type Change<'a> = (&'a str, &'a dyn Fn(&Path));
    // The key stamps files rather than reading them: a source rewritten
    // with its size and modification time kept must still miss.
    let same_size_old_time = |d: &Path| {
        let p = d.join("seeds/extra.txt");
        let (len, modified) = (std::fs::metadata(&p).unwrap().len(), std::fs::metadata(&p).unwrap().modified().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&p, "A NEW source document.").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), len);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(modified).unwrap();
    };
    let changes: [Change; 5] = [
        ("claim", &|d: &Path| std::fs::write(d.join("claims/a.yaml"), MISQUOTE.replace("bad", "worse")).unwrap()),
        ("source", &|d: &Path| std::fs::write(d.join("seeds/extra.txt"), "A new source document.").unwrap()),
        ("source rewritten, same size and mtime", &same_size_old_time),
        ("config", &|d: &Path| std::fs::write(d.join("citelint.toml"), "similarity = 0.85\n").unwrap()),
        ("lock", &|d: &Path| std::fs::write(d.join("citelint.lock"), "version = 1\n").unwrap()),
    ];
    for (what, change) in changes {
        for e in entries() {
            let t = std::fs::read_to_string(&e).unwrap();
            if !t.ends_with("MARK\n") {
                std::fs::write(&e, format!("{t}MARK\n")).unwrap();
            }
        }
        change(dir.path());
        assert!(!stdout(&run_in(dir.path(), &["check"])).contains("MARK"), "a changed {what} still hit the cache");
    }
}
