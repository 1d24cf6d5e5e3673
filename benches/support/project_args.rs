//! The arguments of the benches that time a project's claim file being
//! edited (the editor and the hook): `--citelint BIN --project DIR --file
//! CLAIMS.yaml --edits N`.

use std::path::PathBuf;

pub struct Args {
    pub citelint: PathBuf,
    pub project: PathBuf,
    pub file: String,
    pub edits: usize,
}

/// The arguments, or `None` without `--file` (as `cargo test --all-targets`
/// runs benches: nothing to measure).
pub fn args(edits: usize) -> Option<Args> {
    let mut a = Args { citelint: PathBuf::from("target/release/citelint"), project: PathBuf::new(), file: String::new(), edits };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match flag.as_str() {
            "--citelint" => a.citelint = PathBuf::from(value()),
            "--project" => a.project = PathBuf::from(value()),
            "--file" => a.file = value(),
            "--edits" => a.edits = value().parse().expect("--edits N"),
            // Cargo's own flags (`--bench`, `--test`) and anything else.
            _ => {}
        }
    }
    (!a.file.is_empty()).then_some(a)
}
