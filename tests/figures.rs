//! Figures across the corpus: `citelint figures` on the bundled seeds shows
//! their real disagreements, and `check` reports a corpus-wide conflict on
//! the claims that use a described key.

mod common;

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

fn citelint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citelint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

#[test]
fn figures_table_on_the_bundled_seeds() {
    assert_cmd_snapshot!(citelint().arg("figures"));
}

#[test]
fn figures_json_shows_the_three_real_disagreements() {
    let o = citelint().args(["figures", "--format", "json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let conflicting: Vec<&str> =
        json["keys"].as_array().unwrap().iter().filter(|k| k["conflict"] == true).map(|k| k["key"].as_str().unwrap()).collect();
    assert_eq!(conflicting, ["countries_in_september_report", "joint_patrol_years", "stations_in_italy"]);
    // The corpus scan finds 003's four and 004's "at least 11" in sources no keyed claim cites for them.
    let italy = json["keys"].as_array().unwrap().iter().find(|k| k["key"] == "stations_in_italy").unwrap();
    let values: Vec<&str> = italy["values"].as_array().unwrap().iter().map(|v| v["value"].as_str().unwrap()).collect();
    assert!(values.contains(&"11") && values.contains(&"4") && values.iter().any(|v| v.eq_ignore_ascii_case("at least 11")), "{values:?}");
}

#[test]
fn check_reports_a_corpus_wide_conflict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("claims")).unwrap();
    std::fs::write(
        dir.path().join("claims/a.yaml"),
        "claims:\n  - id: eleven\n    source: 000_cb1738fc2468f046.txt\n    quote: 48 other stations, 11 of which are in Italy\n    figures:\n      stations_in_italy: 11\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("citelint.toml"),
        format!(
            "sources = {:?}\n[figures.stations_in_italy]\ncounts = \"stations\"\nnear = [\"Italy\"]\n",
            common::seeds().display().to_string()
        ),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_citelint")).current_dir(dir.path()).args(["check", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "figure-conflict", "{json:#}");
    assert_eq!(d["severity"], "warning");
    assert_eq!(o.status.code(), Some(0), "a warning alone passes");
    // The related passage is 003's "four in Italy" (or its "4 of whom"), found though no claim cites 003.
    let related: Vec<&str> = d["related"].as_array().unwrap().iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert!(related.iter().all(|f| f.ends_with("003_af07019968d859db.txt")), "{related:?}");
    assert!(!related.is_empty());
}
