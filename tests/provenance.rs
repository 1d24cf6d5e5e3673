//! Provenance (issue 19): `citelint fetch` against an HTTP server inside the
//! test, on the loopback address only (a page, a PDF, a redirect chain, a
//! slow answer, an oversized one, a truncated one); `citelint lock` and
//! `check --locked`; `source-changed` when a locked source is edited; and a
//! bad lock refused with its place.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn citelint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citelint")).current_dir(dir).env("NO_COLOR", "1").args(args).output().unwrap()
}

/// Both streams, with miette's wrapping undone (its margins and line breaks).
fn text(o: &Output) -> String {
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    all.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

const PAGE: &str = "<!doctype html><html><head><title>Libraries</title></head><body><p>The council said it had opened 48 new libraries this year.</p></body></html>";

/// An HTTP server on a loopback port, answering each path as the test needs,
/// for as long as the test runs. Returns its base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let pdf = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources/report.pdf")).unwrap();
    let own = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (pdf, own) = (pdf.clone(), own.clone());
            std::thread::spawn(move || answer(stream, &pdf, &own));
        }
    });
    base
}

fn answer(mut s: std::net::TcpStream, pdf: &[u8], base: &str) {
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut req = Vec::new();
    let mut buf = [0u8; 1024];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let path = String::from_utf8_lossy(&req).split_whitespace().nth(1).unwrap_or("/").to_owned();
    let ok = |kind: &str, body: &[u8]| {
        let mut r =
            format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
        r.extend_from_slice(body);
        r
    };
    let moved = |to: &str| format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes();
    let reply = match path.as_str() {
        "/page" => ok("text/html; charset=utf-8", PAGE.as_bytes()),
        "/report" => ok("application/pdf", pdf),
        "/r1" => moved("/r2"),
        "/r2" => moved(&format!("{base}/page")),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            ok("text/plain", b"late")
        }
        "/big" => ok("text/plain", &vec![b'x'; 3 << 20]),
        // Promises 1,000 bytes and sends 10: a fetch cut off in the middle.
        "/short" => b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n0123456789".to_vec(),
        _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    };
    let _ = s.write_all(&reply);
}

/// A project with a config, a claims folder and an empty sources root.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("citelint.toml"), "claims = [\"claims\"]\nsources = \"sources\"\n").unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    dir
}

fn lock_of(dir: &Path) -> toml::Value {
    toml::from_str(&std::fs::read_to_string(dir.join("citelint.lock")).unwrap()).unwrap()
}

#[test]
fn fetch_archives_pages_and_documents_and_locks_them() {
    let (base, dir) = (serve(), project());
    let (page, report) = (format!("{base}/page"), format!("{base}/report"));
    let o = citelint(dir.path(), &["fetch", "--allow-private", &page, &report]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("source: page.html") && text(&o).contains("source: report.pdf"), "{}", text(&o));
    let o = citelint(dir.path(), &["fetch", "--allow-private", "--as", "news/redirected.html", &format!("{base}/r1")]);
    assert!(o.status.success(), "{}", text(&o));
    let lock = lock_of(dir.path());
    let sources = lock["source"].as_array().unwrap();
    let entry = |p: &str| sources.iter().find(|s| s["path"].as_str() == Some(p)).unwrap_or_else(|| panic!("{p} not locked"));
    let html = entry("page.html");
    assert_eq!(html["url"].as_str(), Some(page.as_str()));
    assert_eq!(html["media_type"].as_str(), Some("text/html"));
    let bytes = std::fs::read(dir.path().join("sources/page.html")).unwrap();
    assert_eq!(bytes, PAGE.as_bytes());
    assert_eq!(html["size"].as_integer(), Some(PAGE.len() as i64));
    assert_eq!(html["sha256"].as_str().unwrap().len(), 64);
    let retrieved = html["retrieved"].as_str().unwrap();
    assert!(retrieved.len() == 20 && retrieved.ends_with('Z') && retrieved.as_bytes()[10] == b'T', "{retrieved}");
    assert_eq!(entry("report.pdf")["media_type"].as_str(), Some("application/pdf"));
    let redirected = entry("news/redirected.html");
    assert_eq!(redirected["final_url"].as_str(), Some(page.as_str()), "the redirect chain's end is recorded");

    // A claim cites the URL, read through its archived copy; `check` stays off the network.
    let claims = format!("claims:\n  - id: libraries\n    source: {page}\n    quote: it had opened 48 new libraries this year\n");
    std::fs::write(dir.path().join("claims/c.yaml"), claims).unwrap();
    let o = citelint(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let claims = format!("claims:\n  - id: budget\n    source: {base}/budget\n    quote: the budget rose\n");
    std::fs::write(dir.path().join("claims/c.yaml"), claims).unwrap();
    let o = citelint(dir.path(), &["check", "--format", "concise"]);
    assert!(text(&o).contains("error[source-not-archived]"), "{}", text(&o));
}

#[test]
fn fetch_refuses_what_it_must_and_leaves_nothing_half_written() {
    let (base, dir) = (serve(), project());
    let refused = |args: &[&str], why: &str| {
        let o = citelint(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(why), "{args:?}: {}", text(&o));
    };
    refused(&["fetch", &format!("{base}/page")], "loopback or private address");
    refused(&["fetch", "--allow-private", "ftp://127.0.0.1/x"], "not an http or https URL");
    refused(&["fetch", "--allow-private", "file:///etc/passwd"], "not an http or https URL");
    refused(&["fetch", "--allow-private", "--max-size", "1", &format!("{base}/big")], "larger than the cap");
    refused(&["fetch", "--allow-private", &format!("{base}/short")], "failed");
    refused(&["fetch", "--allow-private", &format!("{base}/missing")], "answered 404");
    refused(&["fetch", "--allow-private", "--as", "../outside.html", &format!("{base}/page")], "not a path inside the sources root");
    // A folder under the root that links out of it.
    let away = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(away.path(), dir.path().join("sources/away")).unwrap();
    refused(&["fetch", "--allow-private", "--as", "away/page.html", &format!("{base}/page")], "not a path inside the sources root");
    assert!(std::fs::read_dir(away.path()).unwrap().next().is_none(), "nothing written through the link");
    std::fs::remove_file(dir.path().join("sources/away")).unwrap();
    let started = Instant::now();
    refused(&["fetch", "--allow-private", "--timeout", "1", &format!("{base}/slow")], "failed");
    assert!(started.elapsed() < Duration::from_secs(3), "the timeout holds: {:?}", started.elapsed());
    let left: Vec<_> = std::fs::read_dir(dir.path().join("sources")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "nothing written: {left:?}");
    assert!(!dir.path().join("outside.html").exists() && !dir.path().join("citelint.lock").exists());
}

/// A project with two sources and claims on them, locked.
fn locked_project() -> tempfile::TempDir {
    let dir = project();
    let p = dir.path();
    std::fs::write(
        p.join("sources/council.txt"),
        "The council said on Monday that it had opened 52 new libraries this year.\n\nThe mayor called the programme a success.\n",
    )
    .unwrap();
    std::fs::write(p.join("sources/rail.txt"), "Rail passengers made 1.7 billion journeys last year, the regulator said.\n").unwrap();
    let claims = "claims:\n  - id: libraries\n    source: council.txt\n    quote: it had opened 52 new libraries this year\n  - id: mayor\n    source: council.txt\n    quote: The mayor called the programme a success.\n  - id: rail\n    source: rail.txt\n    quote: Rail passengers made 1.7 billion journeys last year\n";
    std::fs::write(p.join("claims/c.yaml"), claims).unwrap();
    let o = citelint(p, &["lock"]);
    assert!(o.status.success() && text(&o).contains("2 sources, 3 verified passages"), "{}", text(&o));
    dir
}

fn findings(dir: &Path) -> Vec<serde_json::Value> {
    let o = citelint(dir, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    json["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn the_lock_is_stable_and_check_locked_holds_to_it() {
    let dir = locked_project();
    let p = dir.path();
    let first = std::fs::read(p.join("citelint.lock")).unwrap();
    let o = citelint(p, &["lock"]);
    assert!(text(&o).contains("up to date"), "{}", text(&o));
    assert_eq!(std::fs::read(p.join("citelint.lock")).unwrap(), first, "no reordering, no spurious change");
    assert_eq!(citelint(p, &["check", "--locked"]).status.code(), Some(0));
    std::fs::write(p.join("sources/rail.txt"), "Rail passengers made 1.7 billion journeys last year, the regulator said on Friday.\n")
        .unwrap();
    let o = citelint(p, &["check", "--locked"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("`rail.txt` changed since it was locked"), "{}", text(&o));
    std::fs::remove_file(p.join("citelint.lock")).unwrap();
    let o = citelint(p, &["check", "--locked"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("citelint.lock is missing"), "{}", text(&o));
}

/// Regression: `check --locked` on one named claim file held the whole
/// lock to that file's claims, and failed on every other file's passages.
#[test]
fn check_locked_on_named_files_holds_only_their_claims_to_the_lock() {
    let dir = locked_project();
    let p = dir.path();
    std::fs::write(p.join("claims/other.yaml"), "claims:\n  - id: rail-again\n    source: rail.txt\n    quote: 1.7 billion journeys\n")
        .unwrap();
    assert!(citelint(p, &["lock"]).status.success());
    let o = citelint(p, &["check", "--locked", "claims/other.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::write(p.join("claims/other.yaml"), "claims:\n  - id: rail-again\n    source: rail.txt\n    quote: 1.7 billion\n").unwrap();
    let o = citelint(p, &["check", "--locked", "claims/other.yaml"]);
    assert_eq!(o.status.code(), Some(2), "a changed quote of a named file is out of date: {}", text(&o));
}

#[test]
fn a_source_edited_after_locking_is_reported_under_each_claim() {
    let dir = locked_project();
    let p = dir.path();
    assert!(findings(p).is_empty());
    // A paragraph added before the passage: it still stands, further down.
    std::fs::write(
        p.join("sources/rail.txt"),
        "Updated on Friday.\n\nRail passengers made 1.7 billion journeys last year, the regulator said.\n",
    )
    .unwrap();
    let f = findings(p);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0]["rule"].as_str(), f[0]["severity"].as_str(), f[0]["claim"].as_str()),
        (Some("source-changed"), Some("warning"), Some("rail"))
    );
    assert_eq!(f[0]["related"][0]["line"], 3, "where the passage stands now");
    // The figure changed: an error, with the old passage beside the new one.
    std::fs::write(
        p.join("sources/council.txt"),
        "The council said on Monday that it had opened 48 new libraries this year.\n\nThe mayor called the programme a success.\n",
    )
    .unwrap();
    let f = findings(p);
    let changed: Vec<&serde_json::Value> = f.iter().filter(|d| d["rule"] == "source-changed").collect();
    let libraries = changed.iter().find(|d| d["claim"] == "libraries").expect("the claim on the changed passage");
    assert_eq!(libraries["severity"], "error");
    assert!(libraries["help"].as_str().unwrap().contains("[-52-]{+48+}"), "{libraries:#}");
    let mayor = changed.iter().find(|d| d["claim"] == "mayor").expect("the claim whose passage stands");
    assert_eq!(mayor["severity"], "warning");
    // Removed: not found, as ever.
    std::fs::remove_file(p.join("sources/council.txt")).unwrap();
    let f = findings(p);
    assert!(f.iter().filter(|d| d["claim"] == "libraries").all(|d| d["rule"] == "source-not-found"), "{f:#?}");
    // Accepting the change: after `citelint lock`, the edited rail page is clean.
    let o = citelint(p, &["lock"]);
    assert!(o.status.success());
    assert!(findings(p).iter().all(|d| d["rule"] == "source-not-found"));
}

#[test]
fn a_bad_lock_stops_the_run_with_its_place() {
    let dir = locked_project();
    let p = dir.path();
    std::fs::write(p.join("citelint.lock"), "version = 1\n\n[[source]]\npath = \"rail.txt\"\nsha256 = 5\nsize = 1\n").unwrap();
    let o = citelint(p, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("citelint.lock:5:") && text(&o).contains("not a valid lock file"), "{}", text(&o));
    assert!(!text(&o).contains("Error {") && !text(&o).contains("panicked"), "words, not a debug print: {}", text(&o));
    std::fs::write(p.join("citelint.lock"), "version = 1\n\n[[source]]\npath = \"../../etc/passwd\"\nsha256 = \"00\"\nsize = 1\n").unwrap();
    let o = citelint(p, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("not a path inside the sources root"), "{}", text(&o));
}

#[test]
fn the_bundled_claims_are_locked() {
    let o = citelint(Path::new(env!("CARGO_MANIFEST_DIR")), &["check", "--locked"]);
    assert_eq!(o.status.code(), Some(0), "run `citelint lock` after changing the bundled claims or seeds: {}", text(&o));
}

/// Issue 19: a commit that edits a source (the hook passes its path) has
/// the claims citing it checked against the lock.
#[test]
fn a_source_named_on_the_command_line_reports_the_claims_citing_it() {
    let dir = locked_project();
    let p = dir.path();
    std::fs::write(p.join("claims/other.yaml"), "claims:\n  - id: rail-again\n    source: rail.txt\n    quote: 1.7 billion journeys\n")
        .unwrap();
    std::fs::write(
        p.join("sources/council.txt"),
        "The council said on Monday that it had opened 48 new libraries this year.\n\nThe mayor called the programme a success.\n",
    )
    .unwrap();
    let o = citelint(p, &["check", "--format", "json", "sources/council.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut changed: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "source-changed")
        .filter_map(|d| d["claim"].as_str())
        .collect();
    changed.sort_unstable();
    assert_eq!(changed, ["libraries", "mayor"]);
    assert_eq!(json["summary"]["files"], 1, "only the claim file citing the source is reported");
    // Both claim files cite rail.txt: both are reported, whole.
    let o = citelint(p, &["check", "--format", "json", "sources/rail.txt"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 2, "{}", text(&o));
}
