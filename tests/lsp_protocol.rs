//! The language server at the protocol level, with a minimal JSON-RPC client:
//! position encoding negotiation (UTF-8 when offered, UTF-16 otherwise, on a
//! line where the two differ), diagnostics from unsaved text, the quick fix,
//! hover and go-to-definition. The end-to-end test with a real editor is in
//! `tests/editor.rs`.

mod common;

#[path = "support/lsp_client.rs"]
mod lsp_client;

use std::time::Duration;

use serde_json::{Value, json};

use lsp_client::Client;

/// The server under test, started in `dir` without a config file.
fn start(dir: &std::path::Path) -> Client {
    // A message that never comes fails the test in a minute, not never.
    Client::start(std::path::Path::new(env!("CARGO_BIN_EXE_citelint")), dir, &["--no-config", "lsp"]).within(Duration::from_secs(60))
}

/// The unsaved text: a misquote on a line with curly quotes and an astral
/// character before it, so that UTF-8 and UTF-16 columns differ.
const TEXT: &str = "claims:\n  - id: wide\n    source: 000_cb1738fc2468f046.txt\n    quote: \"“𝄞” Safeguard Defenders said Monday it had identified 48 other stations, 12 of which\"\n";

fn session(utf8: bool) -> (Value, Value, Value, Value, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::os::unix::fs::symlink(common::seeds(), dir.path().join("seeds")).unwrap();
    let path = dir.path().join("claims/c.yaml");
    std::fs::write(&path, "claims: []\n").unwrap(); // on disk: not what the editor holds
    let uri = format!("file://{}", path.display());
    let mut c = start(dir.path());
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    let init = c.request("initialize", json!({ "capabilities": { "general": { "positionEncodings": encodings } } }));
    c.notify("initialized", json!({}));
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": TEXT } }));
    let diags = c.diagnostics();
    let range = diags[0]["range"].clone();
    let actions = c
        .request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": diags } }));
    let hover = c.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": range["end"] }));
    let def = c.request("textDocument/definition", json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 14 } }));
    c.stop();
    (init, diags, actions, hover, def)
}

#[test]
fn utf8_when_offered() {
    let (init, diags, actions, hover, def) = session(true);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(diags[0]["code"], "quote-mismatch");
    // The quote's content starts after `    quote: "` (12 bytes).
    assert_eq!(diags[0]["range"]["start"], json!({ "line": 3, "character": 12 }));
    let edit = &actions[0]["edit"]["changes"].as_object().unwrap().values().next().unwrap()[0];
    // The writer's opening mark is kept; the rest is the source's text.
    assert_eq!(edit["newText"], "\"“Safeguard Defenders said Monday it had identified 48 other stations, 11 of which\"");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**Safeguard Defenders said Monday it had identified 48 other stations, 11 of which**"),
        "{hover:#}"
    );
    assert!(def["uri"].as_str().unwrap().ends_with("seeds/000_cb1738fc2468f046.txt"), "{def:#}");
    assert_eq!(def["range"]["start"], json!({ "line": 4, "character": 0 }));
}

#[test]
fn utf16_otherwise() {
    let (init, diags, _, _, _) = session(false);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let utf8_end = diags[0]["range"]["end"]["character"].as_u64().unwrap();
    // “𝄞” is 3 + 4 + 3 = 10 bytes but 1 + 2 + 1 = 4 UTF-16 units: the end column differs by 6.
    let (_, diags8, _, _, _) = session(true);
    assert_eq!(diags8[0]["range"]["end"]["character"].as_u64().unwrap() - utf8_end, 6);
}

/// Issue 19: a source changed since it was locked is a diagnostic in the
/// editor, and the hover shows the passage as it was.
#[test]
fn a_changed_source_shows_the_locked_passage_on_hover() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    let page = "Updated on Friday.\n\nThe mayor called the programme a success.\n";
    std::fs::write(dir.path().join("seeds/council.txt"), page).unwrap();
    let lock = "version = 1\n\n[[source]]\npath = \"council.txt\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\nsize = 42\n\n[[source.passage]]\nclaim = \"mayor\"\nquote = \"The mayor called the programme a success.\"\ntext = \"The mayor called the programme a success\"\n";
    std::fs::write(dir.path().join("citelint.lock"), lock).unwrap();
    let text = "claims:\n  - id: mayor\n    source: council.txt\n    quote: The mayor called the programme a success.\n";
    let path = dir.path().join("claims/c.yaml");
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = start(dir.path());
    c.request("initialize", json!({ "capabilities": {} }));
    c.notify("initialized", json!({}));
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }));
    let diags = c.diagnostics();
    assert_eq!(diags[0]["code"], "source-changed", "{diags:#}");
    assert_eq!(diags[0]["severity"], 2, "a warning: the passage still stands");
    let hover = c.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 14 } }));
    c.stop();
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("Changed since locked") && value.contains("The passage then: The mayor called the programme a success"),
        "{hover:#}"
    );
}

/// Issue 18: a burst of edits is debounced, and the diagnostics of an old
/// version never arrive after those of a newer one: the last published are
/// the last version's, tagged with it.
#[test]
fn a_burst_of_edits_ends_with_the_last_versions_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::os::unix::fs::symlink(common::seeds(), dir.path().join("seeds")).unwrap();
    let path = dir.path().join("claims/c.yaml");
    std::fs::write(&path, "claims: []\n").unwrap();
    let uri = format!("file://{}", path.display());
    let claim = |quote: &str| format!("claims:\n  - id: a\n    source: 000_cb1738fc2468f046.txt\n    quote: {quote}\n");
    let mut c = start(dir.path());
    c.request("initialize", json!({ "capabilities": {} }));
    c.notify("initialized", json!({}));
    let doc = |v: i32, text: String| json!({ "textDocument": { "uri": uri, "version": v }, "contentChanges": [{ "text": text }] });
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": claim("48 other stations, 12 of which") } }),
    );
    for v in 2..=5 {
        c.notify("textDocument/didChange", doc(v, claim(&format!("48 other stations, 1{v} of which"))));
    }
    c.notify("textDocument/didChange", doc(6, claim("48 other stations, 11 of which")));
    let mut versions = Vec::new();
    loop {
        let m = c.read();
        if m["method"] == "textDocument/publishDiagnostics" {
            versions.push(m["params"]["version"].as_i64().expect("diagnostics carry their version"));
            if versions.last() == Some(&6) {
                assert_eq!(m["params"]["diagnostics"], json!([]), "the last version quotes its source exactly");
                break;
            }
        }
    }
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "an old version's diagnostics after a newer one's: {versions:?}");
    // Nothing stale arrives after the last version's diagnostics.
    c.send(json!({ "jsonrpc": "2.0", "id": 999, "method": "shutdown", "params": null }));
    loop {
        let m = c.read();
        if m["id"] == 999 {
            break;
        }
        assert_ne!(m["method"], "textDocument/publishDiagnostics", "published after the last version: {m:#}");
    }
    c.notify("exit", serde_json::Value::Null);
}

/// Issue 18: the server keeps sources warm between checks, and asks the
/// editor to tell it of files changed on disk: a source edited under an
/// open claim file is read again, and the open file checked again.
#[test]
fn a_source_changed_on_disk_is_read_again_and_the_open_file_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("claims")).unwrap();
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    let source = dir.path().join("seeds/s.txt");
    std::fs::write(&source, "The mayor said the programme was a great success for the city.\n").unwrap();
    let path = dir.path().join("claims/c.yaml");
    let text = "claims:\n  - id: a\n    source: s.txt\n    quote: the programme was a great success\n";
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = start(dir.path());
    c.request("initialize", json!({ "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } } }));
    c.notify("initialized", json!({}));
    let asked = loop {
        let m = c.read();
        if m["method"] == "client/registerCapability" {
            break m;
        }
    };
    assert_eq!(asked["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles", "{asked:#}");
    c.send(json!({ "jsonrpc": "2.0", "id": asked["id"], "result": null }));
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }));
    assert_eq!(c.diagnostics(), json!([]), "the quote stands in its source");

    std::fs::write(&source, "The mayor said the programme was a modest success for the city.\n").unwrap();
    let changed = format!("file://{}", source.display());
    c.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": changed, "type": 2 }] }));
    let diags = c.diagnostics();
    c.stop();
    assert_eq!(diags[0]["code"], "quote-mismatch", "{diags:#}");
    assert!(diags[0]["message"].as_str().unwrap_or_default().contains("differs"), "{diags:#}");
}
