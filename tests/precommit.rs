//! The pre-commit hook, end to end with the real `pre-commit` (PyPI): it is
//! installed from this checkout into a throwaway repository, rejects a commit
//! with a misquote (showing the diagnostic), accepts a clean one, reports
//! only the changed files, and still sees duplicate ids across files.
//! `.ci/run` installs pre-commit; without it this test says why it skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

const GOOD: &str = "claims:\n  - id: good\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n";
const MISQUOTE: &str =
    "claims:\n  - id: bad\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n";

#[test]
fn hook_rejects_misquotes_and_accepts_clean_commits() {
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if Command::new("pre-commit").arg("--version").output().is_err() {
        eprintln!("skipped: `pre-commit` is not on PATH (run .ci/run, which installs it from PyPI)");
        return;
    }
    let head = git(&checkout, &["rev-parse", "HEAD"]);
    let committed = git(&checkout, &["cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"]);
    if !head.status.success() || !committed.status.success() {
        eprintln!("skipped: this checkout has no commit with .pre-commit-hooks.yaml to install the hook from");
        return;
    }
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    assert!(git(r, &["init", "-q", "-b", "main"]).status.success());
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    for e in std::fs::read_dir(checkout.join("seeds")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), r.join("seeds").join(e.file_name())).unwrap();
    }
    std::fs::create_dir_all(r.join("claims")).unwrap();
    std::fs::write(
        r.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: citelint\n", checkout.display()),
    )
    .unwrap();
    // The hook's build is cached between runs of this test.
    let home = checkout.join("target/pre-commit-home");
    let pre_commit = |args: &[&str]| Command::new("pre-commit").current_dir(r).env("PRE_COMMIT_HOME", &home).args(args).output().unwrap();
    assert!(pre_commit(&["install"]).status.success());
    let commit = |msg: &str| {
        let o = Command::new("git")
            .current_dir(r)
            .env("PRE_COMMIT_HOME", &home)
            // pre-commit builds the hook with `cargo install` (release); the
            // test checks the hook's wiring, not its speed, so the build is
            // unoptimised: a third of the time on CI's two cores.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .args(["commit", "-q", "-m", msg])
            .output()
            .unwrap();
        (o.status.success(), text(&o))
    };

    // A clean claim file is accepted.
    std::fs::write(r.join("claims/good.yaml"), GOOD).unwrap();
    git(r, &["add", "-A"]);
    let (ok, out) = commit("good claims");
    assert!(ok, "a clean commit was rejected:\n{out}");

    // A misquote is rejected, with the diagnostic.
    std::fs::write(r.join("claims/bad.yaml"), MISQUOTE).unwrap();
    git(r, &["add", "-A"]);
    let (ok, out) = commit("a misquote");
    assert!(!ok, "a misquote was accepted:\n{out}");
    assert!(out.contains("quote-mismatch") && out.contains("12 of which"), "{out}");

    // Committed anyway, it is not reported when another file changes ...
    assert!(git(r, &["commit", "-q", "--no-verify", "-m", "forced"]).status.success());
    std::fs::write(r.join("claims/more.yaml"), GOOD.replace("id: good", "id: more")).unwrap();
    git(r, &["add", "-A"]);
    let (ok, out) = commit("another clean file");
    assert!(ok, "an unchanged file's misquote was reported:\n{out}");

    // ... but a duplicate id across files is still found.
    std::fs::write(r.join("claims/dup.yaml"), GOOD).unwrap();
    git(r, &["add", "-A"]);
    let (ok, out) = commit("a duplicate id");
    assert!(!ok && out.contains("duplicate-id"), "{out}");
}
