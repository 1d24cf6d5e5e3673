//! Stage 1, the inputs: which claim files a run reads (the named ones and
//! the configured ones) and every file a run may read, for the run cache's
//! key. Reads folder listings only, never file contents.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::options::{CheckOptions, RunError};
use crate::config::Config;
use crate::load::sources::Corpus;

/// Every file a run may read: the claim files and every source under the
/// root (for the run cache's key), in a stable order.
pub fn inputs(config: &Config, opts: &CheckOptions) -> Result<Vec<PathBuf>, RunError> {
    let configured = config.claims();
    let mut files = expand(if opts.paths.is_empty() { &configured } else { &opts.paths }, true)?;
    files.extend(expand(&configured, false)?);
    files.sort();
    files.dedup();
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    if root.is_dir() {
        files.extend(Corpus::open(&root).listing.iter().map(|rel| root.join(rel)));
    }
    // The lock decides `source-changed` and which URLs resolve.
    files.extend(Some(config.lock()).filter(|l| l.is_file()));
    Ok(files)
}

/// The order claim files are read in: by path, folder by folder.
pub(super) fn files_order(canonical: &Path) -> Vec<String> {
    canonical.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
}

/// Claim files under the given paths (files as given, folders searched for
/// `.yaml` and `.yml`), sorted within each folder.
pub(super) fn expand(paths: &[PathBuf], must_exist: bool) -> Result<Vec<PathBuf>, RunError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk_yaml(p, &mut found);
            found.sort();
            out.extend(found);
        } else if must_exist {
            return Err(RunError::PathNotFound(p.clone()));
        }
    }
    let mut seen = HashSet::new();
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    Ok(out)
}

pub(super) fn walk_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk_yaml(&path, out);
        } else if path.is_file() && path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            // Only a regular file is a claim file: a FIFO named `x.yaml` would block the read.
            out.push(path);
        }
    }
}
