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
