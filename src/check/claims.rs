//! Stage 2, the claims: every claim file read and parsed in parallel (an
//! editor's unsaved text in place of the file), its problems turned into
//! `yaml-syntax` and `claim-schema` findings, and ids checked across files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::{expand, files_order};
use super::options::{CheckOptions, RunError};
use super::stored::Store;
use super::warm::ParsedFile;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::claims::{self, Problem};
use crate::load::reparse;
use crate::load::sources::{decode, rel_name};
use crate::model::files::{File, Files};
use crate::model::{Claim, FileId, Span};
use crate::rules::{self, claim_schema, duplicate_id, yaml_syntax};

/// The claim files of a run, read and validated.
pub(super) struct ClaimSet {
    pub(super) files: Files,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Each file's parse (shared with a warm session, which keeps it).
    pub(super) parsed: Vec<Arc<claims::Loaded>>,
    /// The files whose findings are reported.
    pub(super) reported: HashSet<FileId>,
}

/// Every claim of these parses, file by file.
pub(super) fn all(parsed: &[Arc<claims::Loaded>]) -> Vec<&Claim> {
    parsed.iter().flat_map(|l| l.claims.iter()).collect()
}

/// Reads every claim file: the named ones (reported) and the configured ones
/// (seen by checks that span files).
pub(super) fn load_claims(
    config: &Config,
    opts: &CheckOptions,
    mut cache: Option<&mut ClaimCache>,
    store: Option<&Store>,
) -> Result<ClaimSet, RunError> {
    let explicit = !opts.paths.is_empty();
    let configured = config.claims();
    let key = |p: &PathBuf| self::key(p);
    // Named files under the sources root that are not YAML are sources (a
    // commit that edits one): the claims citing them are reported.
    let root = key(&opts.sources.clone().unwrap_or_else(|| config.sources()));
    let yaml = |p: &PathBuf| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let (named_sources, named_claims): (Vec<PathBuf>, Vec<PathBuf>) =
        opts.paths.iter().cloned().partition(|p| p.is_file() && !yaml(p) && key(p).starts_with(&root));
    let reported_paths = expand(if explicit { &named_claims } else { &configured }, true)?;
    let reported_keys: HashSet<PathBuf> = reported_paths.iter().map(key).collect();
    // Checks that span files (duplicate ids) see the whole repository, in one
    // order whichever files are named, so "first" and "later" do not depend
    // on the command line.
    let mut all_paths = reported_paths.clone();
    if explicit {
        all_paths.extend(expand(&configured, false)?.into_iter().filter(|p| !reported_keys.contains(&key(p))));
    }
    all_paths.sort_by_key(|p| files_order(&key(p)));
    all_paths.dedup_by_key(|p| key(p));

    let mut files = Files::default();
    let mut diagnostics = Vec::new();
    let rule_names: Vec<&'static str> = rules::ALL.iter().map(|r| r.name).collect();
    let texts: Vec<Read> = all_paths.par_iter().map(|p| read(p, opts, cache.as_deref(), &rule_names)).collect();
    let mut ids = Vec::new();
    let mut reported = HashSet::new();
    for r in texts {
        let (text, unreadable) = match r.text {
            Ok(text) => (text, None),
            Err(why) => (Arc::default(), Some(why)),
        };
        let id = files.add(&r.path, text);
        if reported_keys.contains(&r.key) {
            reported.insert(id);
        }
        if let Some(why) = unreadable {
            let d = Diagnostic::new(&yaml_syntax::YAML_SYNTAX, id, Span::default(), format!("cannot read the claim file: {why}"))
                .label("unreadable")
                .help("save the claim file as UTF-8 text");
            diagnostics.push(d);
            continue;
        }
        ids.push((id, r.key, r.parsed, r.stamp));
    }
    let loaded: Vec<_> = ids
        .into_par_iter()
        .map(|(id, key, parsed, stamp)| match parsed {
            Some(l) => (id, key, l, stamp),
            None => (id, key, Arc::new(parse(id, files.get(id), &rule_names, store)), stamp),
        })
        .collect();
    let mut parsed = Vec::with_capacity(loaded.len());
    for (id, key, l, stamp) in loaded {
        let l = with_file(l, id);
        diagnostics.extend(l.problems.iter().map(|p| problem(id, files.get(id), p)));
        if let (Some(cache), Some(stamp)) = (cache.as_deref_mut(), stamp) {
            cache.insert(key, ParsedFile { stamp: stamp.0, text: Arc::clone(&files.get(id).text), loaded: Arc::clone(&l) });
        }
        parsed.push(l);
    }
    let all_claims = all(&parsed);
    let cited: HashSet<String> = named_sources.iter().filter_map(|p| key(p).strip_prefix(&root).ok().map(rel_name)).collect();
    for c in all_claims.iter().filter(|c| c.citations.iter().any(|s| cited.contains(s.source.value.trim_start_matches("./")))) {
        reported.insert(c.file);
    }
    diagnostics.extend(duplicate_ids(&all_claims, &reported));

    Ok(ClaimSet { files, diagnostics, parsed, reported })
}

/// A file's parse with its claims told they are in file `id` (a parse kept
/// from an earlier run may have had another); copied only then, and only
/// when it is shared.
fn with_file(l: Arc<claims::Loaded>, id: FileId) -> Arc<claims::Loaded> {
    if l.claims.iter().all(|c| c.file == id) {
        return l;
    }
    let mut l = Arc::unwrap_or_clone(l);
    for c in &mut l.claims {
        c.file = id;
    }
    Arc::new(l)
}

/// Claim files parsed by earlier runs of a warm session, by canonical path.
pub(super) type ClaimCache = HashMap<PathBuf, ParsedFile>;

/// A claim file's text, and its claims when a warm session parsed this
/// very file before (or the text it was edited from); with what a warm
/// session keeps it by.
struct Read {
    path: PathBuf,
    /// The path made canonical: what files are told apart by.
    key: PathBuf,
    text: Result<Arc<String>, String>,
    parsed: Option<Arc<claims::Loaded>>,
    stamp: Option<Keep>,
}

/// What a warm session keeps a parsed file by: its stamp, or `None` for an editor's text.
struct Keep(Option<Vec<u8>>);

/// Reads a claim file: an editor's unsaved text, the text parsed before
/// when the file is unchanged since, or the file.
fn read(p: &PathBuf, opts: &CheckOptions, cache: Option<&ClaimCache>, rule_names: &[&'static str]) -> Read {
    let key = key(p);
    if let Some((_, t)) = opts.overlays.iter().find(|(o, _)| self::key(o) == key) {
        // An edit inside one claim of the text parsed last: that claim is parsed again.
        let before = cache.and_then(|c| c.get(&key)).filter(|f| f.stamp.is_none());
        let parsed = before.and_then(|f| reparse::edited(&f.text, &f.loaded, t, rule_names)).map(Arc::new);
        let stamp = cache.map(|_| Keep(None));
        return Read { path: p.clone(), key, text: Ok(Arc::new(t.clone())), parsed, stamp };
    }
    // Stamped before reading, so that a change made meanwhile shows next time.
    let stamp = cache.and_then(|_| std::fs::metadata(p).ok()).map(|m| crate::load::stamp::of(&m));
    if let Some(hit) = cache.and_then(|c| c.get(&key)).filter(|f| f.stamp.is_some() && f.stamp == stamp) {
        return Read { path: p.clone(), text: Ok(Arc::clone(&hit.text)), parsed: Some(Arc::clone(&hit.loaded)), stamp: None, key };
    }
    let text = std::fs::read(p).map_err(|e| e.to_string()).and_then(|b| decode(b).map_err(|e| e.to_string())).map(Arc::new);
    Read { path: p.clone(), key, text, parsed: None, stamp: stamp.map(|s| Keep(Some(s))) }
}

/// A claim file parsed, or its parse from an earlier run of the same text.
fn parse(id: FileId, file: &File, rule_names: &[&'static str], store: Option<&Store>) -> claims::Loaded {
    let parse = || claims::load(id, file, rule_names);
    match store {
        Some(s) => s.parsed_or(&file.text, parse),
        None => parse(),
    }
}

/// The reported files by their canonical paths, which outcomes are kept under.
pub(super) fn keys(files: &Files, reported: &HashSet<FileId>) -> HashMap<FileId, PathBuf> {
    reported.iter().map(|&id| (id, key(&files.get(id).path))).collect()
}

/// A path made canonical where it can be: two names of one file are one key.
fn key(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// The finding for a problem of a claim file.
fn problem(id: FileId, file: &File, p: &Problem) -> Diagnostic {
    match p {
        Problem::Syntax(e) => yaml_syntax::diagnostic(id, file, e),
        Problem::Schema(s) => claim_schema::diagnostic(id, s.span, s.message.clone(), &s.label, s.help.clone()).claim(s.claim.as_deref()),
    }
}

/// `duplicate-id` on each later use of an id. When only some files are
/// reported (a pre-commit run), a clash between a reported file and another
/// is reported on the reported side, whichever comes first: the change that
/// introduced it is the one to hear about it.
pub(super) fn duplicate_ids(claims: &[&Claim], reported: &HashSet<FileId>) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Claim> = HashMap::new();
    let mut out = Vec::new();
    for c in claims {
        match first.get(c.id.value.as_str()) {
            Some(f) if !reported.contains(&c.file) && reported.contains(&f.file) => out.push(duplicate_id::diagnostic(f, c)),
            Some(f) => out.push(duplicate_id::diagnostic(c, f)),
            None => {
                first.insert(&c.id.value, c);
            }
        }
    }
    out
}
