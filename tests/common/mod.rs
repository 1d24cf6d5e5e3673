//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use citelint::check::{CheckOptions, Report, check};
use citelint::config::Config;
use citelint::emit::{self, Format, Style};

/// The bundled seeds, which double as the test corpus.
pub fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// Checks one claim file against a sources root, with default settings
/// (no `citelint.toml`; the claims folder is the file's own, so no other
/// claim file is read).
pub fn check_file(file: &Path, sources: &Path) -> Report {
    let config = Config::defaults(file.parent().unwrap());
    let opts =
        CheckOptions { paths: vec![file.to_path_buf()], sources: Some(sources.to_path_buf()), similarity: None, ..Default::default() };
    check(&config, &opts).expect("the check runs")
}

pub fn human(report: &Report) -> String {
    emit::render(report, Format::Human, Style { color: false, width: 100 })
}

pub fn json(report: &Report) -> String {
    emit::render(report, Format::Json, Style { color: false, width: 100 })
}

/// Runs `f` with the working directory at the crate root, so that file names
/// in outputs are stable.
pub fn at_root() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
}

/// A project whose `sources/` holds copies of the seeds (a test may change
/// them), with a `citelint.toml` naming `claims` and `sources`, and these
/// claim files under `claims/`.
pub fn seeded_project(claim_files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    std::fs::create_dir_all(dir.path().join("claims")).unwrap();
    for e in std::fs::read_dir(seeds()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("sources").join(e.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("citelint.toml"), "claims = [\"claims\"]\nsources = \"sources\"\n").unwrap();
    for (name, text) in claim_files {
        std::fs::write(dir.path().join("claims").join(name), text).unwrap();
    }
    dir
}
