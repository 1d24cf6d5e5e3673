//! `citelint lsp`: a language server over stdio for claim files.
//!
//! Every open claim file is checked on open, change and save, from the
//! editor's unsaved text, by the same engine as `citelint check`. The server
//! offers the fixes as quick-fix code actions, shows the source passage
//! around a quote on hover, and goes from a quote (or its `source:`) to the
//! passage in the source document. Positions are UTF-8 when the client offers
//! it, otherwise UTF-16, converted exactly.
//!
//! Edits are debounced, and stale checks cancelled and dropped: a change
//! waits [`DEBOUNCE`] for the next one, the check runs off the server's
//! thread (so that a newer change is taken while it runs), a newer change
//! cancels it at its next stage, and a result is published only if no
//! newer version of the document came in meanwhile, tagged with its
//! version: diagnostics of an old version never cover a newer one.
//!
//! Checks are warm ([`Warm`]): the sources stay read and normalised
//! between edits, a quote searched before is not searched again, and the
//! claim files not open are parsed once. Sources changed on disk are seen
//! through the system's file events and the editor's
//! `workspace/didChangeWatchedFiles` (registered for when the editor
//! offers it), and only what depended on them is forgotten.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::check::{CheckOptions, Report, RunError, Warm, check};
use crate::config::Config;
use crate::diagnostic::Severity as Sev;
use crate::model::files::File;
use crate::model::{FileId, Span};

/// Runs the server on stdin and stdout until the client exits.
pub fn serve(config: Config) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let warm = Arc::new(Mutex::new(Warm::new(config.editor_memory())));
        // Sources changed on disk, seen by the system's file events whether
        // or not the editor tells of them: what depended on them is forgotten.
        let watcher = watch_sources(&config.sources(), Arc::clone(&warm));
        let config = Arc::new(config);
        let (service, socket) =
            LspService::new(|client| Backend { client, config, state: Mutex::new(State::default()), warm, _watcher: watcher });
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}

/// How long a change waits for the next before it is checked: long enough
/// to gather the changes an editor sent together (one keystroke can be two
/// changes, a typed quote and its closing pair). A change that comes later
/// cancels the check at its next stage, so waiting longer would only delay
/// every keystroke's diagnostics.
pub const DEBOUNCE: Duration = Duration::from_millis(2);

#[derive(Default)]
struct State {
    utf8: bool,
    /// The editor registers file watchers on the server's request.
    watched: bool,
    /// Each open document's unsaved text and the version the editor gave it.
    docs: HashMap<String, (String, i32)>,
    /// The last check of each open document.
    results: HashMap<String, Checked>,
    /// The check under way of each open document, to cancel when a newer
    /// version comes in.
    running: HashMap<String, Arc<AtomicBool>>,
}

impl State {
    /// Takes a new version of a document, cancelling the check of the old one.
    fn update(&mut self, key: String, text: String, version: i32) {
        if let Some(old) = self.running.remove(&key) {
            old.store(true, Ordering::Relaxed);
        }
        self.docs.insert(key, (text, version));
    }
}

impl State {
    /// The quote under the cursor (or, with `or_source`, the quote whose
    /// `source:` is under it), with the check it comes from.
    fn quote_at(&self, at: &TextDocumentPositionParams, or_source: bool) -> Option<(&Checked, &crate::check::QuoteRef)> {
        let checked = self.results.get(&at.text_document.uri.to_string())?;
        let offset = offset(checked.report.files.get(checked.file), at.position, self.utf8);
        let inside = |s: Span| s.start <= offset && offset <= s.end;
        let q = checked.report.quotes.iter().find(|q| q.file == checked.file && (inside(q.quote) || (or_source && inside(q.source))))?;
        Some((checked, q))
    }
}

/// What a check found in one document, in editor terms.
struct Checked {
    report: Report,
    file: FileId,
}

struct Backend {
    client: Client,
    config: Arc<Config>,
    state: Mutex<State>,
    /// What checks keep between edits: sources, outcomes, parsed claim files.
    warm: Arc<Mutex<Warm>>,
    _watcher: Option<notify::RecommendedWatcher>,
}

/// Watches the sources root, telling the warm session of every file
/// created, written or removed under it; `None` where the system has no
/// file events (the editor's `workspace/didChangeWatchedFiles` still tells).
fn watch_sources(root: &Path, warm: Arc<Mutex<Warm>>) -> Option<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        let Ok(e) = e else { return };
        // Reading a source is not changing it.
        let read =
            matches!(e.kind, notify::EventKind::Access(a) if a != notify::event::AccessKind::Close(notify::event::AccessMode::Write));
        if read {
            return;
        }
        let mut w = warm.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for p in &e.paths {
            w.changed(p);
        }
    })
    .ok()?;
    notify::Watcher::watch(&mut watcher, root, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = rest.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// The `file:` URI of a path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let encoded: String = abs
        .to_string_lossy()
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    Uri::from_str(&format!("file://{encoded}")).ok()
}

/// An LSP position of a byte offset: UTF-8 or UTF-16 code units into the line.
pub fn position(file: &File, offset: usize, utf8: bool) -> Position {
    let offset = offset.min(file.text.len());
    let line = file.line_index(offset);
    let start = file.line_starts()[line];
    let prefix = &file.text[start..offset];
    let character = if utf8 { prefix.len() } else { prefix.encode_utf16().count() };
    Position { line: line as u32, character: character as u32 }
}

/// The byte offset of an LSP position (clamped to its line).
pub fn offset(file: &File, pos: Position, utf8: bool) -> usize {
    let starts = file.line_starts();
    let Some(&start) = starts.get(pos.line as usize) else { return file.text.len() };
    let end = starts.get(pos.line as usize + 1).copied().unwrap_or(file.text.len());
    let line = &file.text[start..end];
    let mut units = 0usize;
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    end
}

fn range(file: &File, span: Span, utf8: bool) -> Range {
    Range { start: position(file, span.start, utf8), end: position(file, span.end, utf8) }
}

impl Backend {
    /// The version of a document the editor holds now.
    fn version(&self, key: &str) -> Option<i32> {
        self.state.lock().expect("state lock").docs.get(key).map(|(_, v)| *v)
    }

    /// Checks one document from its unsaved text and publishes the
    /// diagnostics, unless a newer version came in meanwhile.
    async fn refresh(&self, uri: Uri) {
        let key = uri.to_string();
        let Some(version) = self.version(&key) else { return };
        tokio::time::sleep(DEBOUNCE).await;
        // A newer change came in: its own refresh checks it.
        if self.version(&key) != Some(version) {
            return;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (text, utf8) = {
            let mut st = self.state.lock().expect("state lock");
            st.running.insert(key.clone(), Arc::clone(&cancel));
            (st.docs.get(&key).map(|(t, _)| t.clone()), st.utf8)
        };
        let (Some(text), Some(path)) = (text, uri_to_path(&key)) else { return };
        let opts = CheckOptions {
            paths: vec![path.clone()],
            overlays: vec![(path.clone(), text)],
            passages: true,
            warm: Some(Arc::clone(&self.warm)),
            cancel: Some(cancel),
            ..CheckOptions::default()
        };
        let config = self.config.clone();
        // Off the server's thread, so that newer changes are taken meanwhile.
        let Ok(result) = tokio::task::spawn_blocking(move || check_again_if_changed(&config, &opts)).await else { return };
        if self.version(&key) != Some(version) {
            return;
        }
        let report = match result {
            Ok(r) => r,
            // A newer version's check publishes instead.
            Err(RunError::Cancelled) => return,
            Err(e) => {
                self.client.show_message(MessageType::ERROR, format!("citelint: {e}")).await;
                return;
            }
        };
        let Some((file, _)) = report.files.iter().find(|(_, f)| same_file(&f.path, &path)) else { return };
        let f = report.files.get(file);
        let diagnostics: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .map(|d| Diagnostic {
                range: range(f, d.span, utf8),
                severity: Some(match d.severity {
                    Sev::Error | Sev::Off => DiagnosticSeverity::ERROR,
                    Sev::Warning => DiagnosticSeverity::WARNING,
                    Sev::Info => DiagnosticSeverity::INFORMATION,
                }),
                code: Some(NumberOrString::String(d.rule.name.to_owned())),
                source: Some("citelint".into()),
                message: match &d.help {
                    Some(h) => format!("{}\nhelp: {h}", d.message),
                    None => d.message.clone(),
                },
                related_information: Some(
                    d.related
                        .iter()
                        .filter_map(|r| {
                            let rf = report.files.get(r.file);
                            Some(DiagnosticRelatedInformation {
                                location: Location { uri: path_to_uri(&rf.path)?, range: range(rf, r.span, utf8) },
                                message: format!("{}: {}", r.message, r.label),
                            })
                        })
                        .collect(),
                ),
                ..Diagnostic::default()
            })
            .collect();
        self.state.lock().expect("state lock").results.insert(key, Checked { report, file });
        self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
    }
}

/// A check; again once if a source changed under it (the warm session has
/// forgotten that source by then, so the second check reads it anew).
fn check_again_if_changed(config: &Config, opts: &CheckOptions) -> std::result::Result<Report, RunError> {
    match check(config, opts) {
        Err(RunError::SourceChanged(_)) => check(config, opts),
        other => other,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let watched = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files).and_then(|d| d.dynamic_registration);
        let offered = params.capabilities.general.and_then(|g| g.position_encodings).unwrap_or_default();
        let utf8 = offered.contains(&PositionEncodingKind::UTF8);
        let mut st = self.state.lock().expect("state lock");
        st.utf8 = utf8;
        st.watched = watched == Some(true);
        drop(st);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(if utf8 { PositionEncodingKind::UTF8 } else { PositionEncodingKind::UTF16 }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(true) })),
                    ..TextDocumentSyncOptions::default()
                })),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo { name: "citelint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if !self.state.lock().expect("state lock").watched {
            return;
        }
        // Sources and other claim files changed on disk: told by the editor.
        let watchers = vec![FileSystemWatcher { glob_pattern: GlobPattern::String("**/*".into()), kind: None }];
        let Ok(options) = serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }) else { return };
        let registration = Registration {
            id: "citelint-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: Some(options),
        };
        let _ = self.client.register_capability(vec![registration]).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut warm = self.warm.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for p in params.changes.iter().filter_map(|c| uri_to_path(c.uri.as_str())) {
                warm.changed(&p);
            }
        }
        // What the open documents found may have changed with the files.
        let open: Vec<String> = self.state.lock().expect("state lock").docs.keys().cloned().collect();
        for uri in open.iter().filter_map(|u| Uri::from_str(u).ok()) {
            self.refresh(uri).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.lock().expect("state lock").update(uri.to_string(), params.text_document.text, params.text_document.version);
        self.refresh(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Full sync: the last change holds the whole text.
        if let Some(change) = params.content_changes.into_iter().last() {
            self.state.lock().expect("state lock").update(uri.to_string(), change.text, params.text_document.version);
        }
        self.refresh(uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(text) = params.text {
            let mut st = self.state.lock().expect("state lock");
            let version = st.docs.get(uri.as_str()).map_or(0, |(_, v)| *v);
            st.update(uri.to_string(), text, version);
        }
        self.refresh(uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let key = params.text_document.uri.to_string();
        let mut st = self.state.lock().expect("state lock");
        st.docs.remove(&key);
        st.results.remove(&key);
        if let Some(c) = st.running.remove(&key) {
            c.store(true, Ordering::Relaxed);
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let st = self.state.lock().expect("state lock");
        let Some(checked) = st.results.get(&params.text_document.uri.to_string()) else { return Ok(None) };
        let f = checked.report.files.get(checked.file);
        let want = params.range;
        let mut actions = Vec::new();
        for d in checked.report.diagnostics.iter().filter(|d| d.file == checked.file && !d.edits.is_empty()) {
            let r = range(f, d.span, st.utf8);
            let overlaps = r.start <= want.end && want.start <= r.end;
            if !overlaps {
                continue;
            }
            let edits: Vec<TextEdit> =
                d.edits.iter().map(|e| TextEdit { range: range(f, e.span, st.utf8), new_text: e.text.clone() }).collect();
            let title = match &d.replacement {
                Some(rep) => format!("citelint: use the source's exact words \"{rep}\""),
                None => "citelint: cite the source the quote stands in".to_owned(),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(params.text_document.uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let st = self.state.lock().expect("state lock");
        let Some((checked, q)) = st.quote_at(&params.text_document_position_params, false) else { return Ok(None) };
        let f = checked.report.files.get(checked.file);
        // A source that changed since it was locked: the passage as it was.
        let changed = checked.report.diagnostics.iter().find(|d| d.rule.name == "source-changed" && d.span == q.source);
        let was =
            changed.map(|d| format!("**Changed since locked.** {}\n\nThe passage then: {}", d.message, d.subject.as_deref().unwrap_or("")));
        let now = q.passage.map(|(src, span)| {
            let sf = checked.report.files.get(src);
            format!("`{}` {}\n\n{}", sf.name, sf.position(span.start).describe(), passage_in_context(sf, span))
        });
        let value = match (now, was) {
            (Some(now), Some(was)) => format!("{now}\n\n{was}"),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => return Ok(None),
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: Some(range(f, q.quote, st.utf8)),
        }))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let st = self.state.lock().expect("state lock");
        let Some((checked, q)) = st.quote_at(&params.text_document_position_params, true) else { return Ok(None) };
        let Some((src, span)) = q.passage else { return Ok(None) };
        let sf = checked.report.files.get(src);
        // A PDF's text positions are not places in the PDF file an editor
        // opens; the hover shows the passage with its page instead.
        if sf.pages.is_some() {
            return Ok(None);
        }
        let Some(uri) = path_to_uri(&sf.path) else { return Ok(None) };
        Ok(Some(GotoDefinitionResponse::Scalar(Location { uri, range: range(sf, span, st.utf8) })))
    }
}

/// The paragraph around a passage, the passage in bold, as a reader sees
/// it: for an HTML source, its visible text, not its markup.
fn passage_in_context(sf: &File, span: Span) -> String {
    let c = crate::emit::context::passage_in_context(sf, span, 600);
    let (open, close) = (if c.cut_before { "…" } else { "" }, if c.cut_after { "…" } else { "" });
    // Visible text comes trimmed: a space goes back between words.
    let gap_before = if c.before.is_empty() || c.before.ends_with(char::is_whitespace) { "" } else { " " };
    let gap_after =
        if c.after.is_empty() || c.after.starts_with(char::is_whitespace) || c.after.starts_with(|ch: char| ch.is_ascii_punctuation()) {
            ""
        } else {
            " "
        };
    format!("{open}{}{gap_before}**{}**{gap_after}{}{close}", c.before, c.passage, c.after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn an_html_passage_is_shown_as_text_not_markup() {
        let html = "<div class=\"story\"><p>The council said it had <b>opened</b> 48&nbsp;new libraries, officials said.</p></div>";
        let mut files = crate::model::files::Files::default();
        let id = files.add_source(std::path::Path::new("p.html"), Arc::new(html.to_owned()), None, false, true);
        let start = html.find("opened").unwrap();
        let end = html.find(" libraries").unwrap();
        let shown = passage_in_context(files.get(id), Span::new(start, end));
        assert_eq!(shown, "…The council said it had **opened 48 new** libraries, officials said.…");
    }

    #[test]
    fn positions_in_both_encodings() {
        let f = File::new("t".into(), "t".into(), Arc::new("ab\n“é” 𝄞x\n".to_owned()));
        let x = f.text.find('x').unwrap();
        assert_eq!(position(&f, x, true), Position { line: 1, character: 13 });
        assert_eq!(position(&f, x, false), Position { line: 1, character: 6 });
        assert_eq!(offset(&f, Position { line: 1, character: 6 }, false), x);
        assert_eq!(offset(&f, Position { line: 1, character: 13 }, true), x);
    }

    #[test]
    fn uris_round_trip() {
        let p = PathBuf::from("/tmp/a dir/claims é.yaml");
        let uri = path_to_uri(&p).unwrap();
        assert_eq!(uri_to_path(uri.as_str()).unwrap(), p);
    }
}
