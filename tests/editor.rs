//! The language server end to end with a real editor: headless Neovim (from
//! Debian's packages; `.ci/run` installs it) opens a claim file with a
//! misquote, reads the diagnostic back, applies the code action and saves;
//! the file then holds the source's exact words. Skips, saying why, without
//! Neovim.

mod common;

use std::process::Command;

#[test]
fn neovim_shows_the_diagnostic_and_applies_the_fix() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: Neovim is not installed (run .ci/run, which installs Debian's neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::os::unix::fs::symlink(common::seeds(), dir.path().join("seeds")).unwrap();
    let file = dir.path().join("claims/italy.yaml");
    // A comment and a second claim that must survive the fix untouched.
    std::fs::write(
        &file,
        "# Italy\nclaims:\n  - id: italy-stations\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 12 of which are in Italy\n  - id: citizens\n    source: 000_cb1738fc2468f046.txt\n    quote: Italy is home to 330,000 Chinese citizens\n",
    )
    .unwrap();
    let out = dir.path().join("out.txt");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor/drive.lua");
    let o = Command::new("nvim")
        .current_dir(dir.path())
        .args(["--headless", "-n", "-i", "NONE", "--clean", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("CITELINT", env!("CARGO_BIN_EXE_citelint"))
        .env("CLAIM_FILE", &file)
        .env("OUT", &out)
        .output()
        .unwrap();
    let log = std::fs::read_to_string(&out).unwrap_or_else(|_| format!("no output; nvim said: {}", String::from_utf8_lossy(&o.stderr)));
    eprintln!("{log}");
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("diagnostic|quote-mismatch|4|11|the quote differs")), "{log}");
    assert!(lines.iter().any(|l| l.starts_with("applied|citelint: use the source's exact words")), "{log}");
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        fixed,
        "# Italy\nclaims:\n  - id: italy-stations\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n  - id: citizens\n    source: 000_cb1738fc2468f046.txt\n    quote: Italy is home to 330,000 Chinese citizens\n"
    );
}
