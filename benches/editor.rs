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

use std::time::{Duration, Instant};

use serde_json::json;

#[path = "support/project_args.rs"]
mod project_args;

#[path = "../tests/support/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;

/// Waits for the diagnostics of `version`; returns how many findings.
fn published(lsp: &mut Client, version: i64) -> usize {
    loop {
        let m = lsp.read();
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].as_i64() == Some(version) {
            return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        }
        if m["method"] == "window/showMessage" {
            panic!("the server failed: {m}");
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
    let Some(a) = project_args::args(60) else {
        eprintln!("editor bench: give --project DIR --file CLAIMS.yaml (see the module doc); nothing measured");
        return;
    };
    let path = a.project.join(&a.file).canonicalize().unwrap();
    let uri = format!("file://{}", path.display());
    let mut text = std::fs::read_to_string(&path).unwrap();
    // A server that stops answering fails the run rather than hang it.
    let mut lsp =
        Client::start(&a.citelint.canonicalize().expect("the citelint binary"), &a.project, &["lsp"]).within(Duration::from_secs(1800));
    lsp.request("initialize", json!({ "capabilities": {} }));
    lsp.notify("initialized", json!({}));
    let claims = text.matches("- id:").count();
    let started = Instant::now();
    lsp.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }));
    let findings = published(&mut lsp, 1);
    let open = started.elapsed();
    let mut times = Vec::with_capacity(a.edits);
    for v in 0..a.edits {
        text = edit(&text, v * 7);
        let version = v as i64 + 2;
        let started = Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        published(&mut lsp, version);
        times.push(started.elapsed());
    }
    let memory = lsp.memory_mb();
    lsp.stop();
    times.sort();
    println!("editor: {} ({claims} claims), first open {:.0} ms ({findings} findings)", a.file, open.as_secs_f64() * 1e3);
    println!(
        "change to publish over {} one-character edits: median {:.0} ms, p99 {:.0} ms, max {:.0} ms (debounce {} ms included)",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        citelint::lsp::DEBOUNCE.as_millis()
    );
    if let Some((now, peak)) = memory {
        println!("server memory after the edits: {now} MB resident, {peak} MB at its peak");
    }
}
