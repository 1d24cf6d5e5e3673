//! The editor workload (issue 18): `citelint lsp` with a claim file open,
//! timed from each one-character edit of a quote to the diagnostics
//! published for that version. A real client's messages over stdio.
//!
//! ```text
//! cargo bench --bench scale -- --sources 1000 --size 100000 --quotes 10000 --altered 0.1 --keep DIR
//! printf 'claims = ["claims"]\nsources = "sources"\n' > DIR/citelint.toml
//! cargo build --release
//! cargo bench --bench editor -- --citelint target/release/citelint --project DIR --file claims/c000.yaml --edits 60
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Args {
    citelint: PathBuf,
    project: PathBuf,
    file: String,
    edits: usize,
}

fn args() -> Option<Args> {
    let mut a = Args { citelint: PathBuf::from("target/release/citelint"), project: PathBuf::new(), file: String::new(), edits: 60 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--citelint" => a.citelint = PathBuf::from(value()),
            "--project" => a.project = PathBuf::from(value()),
            "--file" => a.file = value(),
            "--edits" => a.edits = value().parse().expect("--edits N"),
            // `cargo test --all-targets` runs benches as tests: nothing to measure.
            "--bench" | "--test" => {}
            _ => {}
        }
    }
    (!a.file.is_empty()).then_some(a)
}

struct Lsp {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Lsp {
    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Waits for the diagnostics of `version`; returns how many findings.
    fn published(&mut self, version: i64) -> usize {
        loop {
            let m = self.read();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].as_i64() == Some(version) {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
            if m["method"] == "window/showMessage" {
                panic!("the server failed: {m}");
            }
        }
    }
}

/// The text with one letter of the `n`th quote changed.
fn edit(text: &str, n: usize) -> String {
    let quotes: Vec<usize> = text.match_indices("quote: ").map(|(i, _)| i + "quote: ".len()).collect();
    let at = quotes[n % quotes.len()];
    let rest = &text[at..];
    let k = at + rest.find(|c: char| c.is_ascii_lowercase()).unwrap_or(0);
    let c = text.as_bytes()[k];
    let to = if c == b'x' { 'y' } else { 'x' };
    format!("{}{to}{}", &text[..k], &text[k + 1..])
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let Some(a) = args() else {
        eprintln!("editor bench: give --project DIR --file CLAIMS.yaml (see the module doc); nothing measured");
        return;
    };
    let path = a.project.join(&a.file).canonicalize().unwrap();
    let uri = format!("file://{}", path.display());
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut child = Command::new(a.citelint.canonicalize().expect("the citelint binary"))
        .arg("lsp")
        .current_dir(&a.project)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (input, output) = (child.stdin.take().unwrap(), BufReader::new(child.stdout.take().unwrap()));
    let mut lsp = Lsp { child, input, output };
    lsp.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
    while lsp.read()["id"] != 1 {}
    lsp.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let claims = text.matches("- id:").count();
    let started = Instant::now();
    lsp.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } } }));
    let findings = lsp.published(1);
    let open = started.elapsed();
    let mut times = Vec::with_capacity(a.edits);
    for v in 0..a.edits {
        text = edit(&text, v * 7);
        let version = v as i64 + 2;
        let started = Instant::now();
        lsp.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] } }));
        lsp.published(version);
        times.push(started.elapsed());
    }
    lsp.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    lsp.send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
    let _ = lsp.child.wait();
    times.sort();
    println!("editor: {} ({claims} claims), first open {:.0} ms ({findings} findings)", a.file, open.as_secs_f64() * 1e3);
    println!(
        "change to publish over {} one-character edits: median {:.0} ms, p99 {:.0} ms, max {:.0} ms (debounce 25 ms included)",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}
