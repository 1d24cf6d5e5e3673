//! Every rule has a fixture folder under `tests/fixtures/rules/<rule>/` with a
//! `fail.yaml` that must trigger it and a `pass.yaml` that must be clean. The
//! human and JSON outputs of each failing fixture are snapshots.

mod common;

use std::path::{Path, PathBuf};

use citelint::rules;

fn fixture(rule: &str) -> PathBuf {
    Path::new("tests/fixtures/rules").join(rule)
}

fn sources_for(dir: &Path) -> PathBuf {
    let own = dir.join("sources");
    if own.is_dir() { own } else { PathBuf::from("seeds") }
}

#[test]
fn every_rule_has_fixtures() {
    common::at_root();
    for rule in rules::ALL {
        let dir = fixture(rule.name);
        assert!(dir.join("fail.yaml").is_file(), "{} has no fail.yaml", rule.name);
        assert!(dir.join("pass.yaml").is_file(), "{} has no pass.yaml", rule.name);
    }
}

#[test]
fn pass_fixtures_are_clean() {
    common::at_root();
    for rule in rules::ALL {
        let dir = fixture(rule.name);
        let report = common::check_file(&dir.join("pass.yaml"), &sources_for(&dir));
        assert!(report.diagnostics.is_empty(), "{}/pass.yaml:\n{}", rule.name, common::human(&report));
        assert!(report.summary.claims > 0, "{}/pass.yaml checks nothing", rule.name);
    }
}

#[test]
fn fail_fixtures_trigger_their_rule() {
    common::at_root();
    for rule in rules::ALL {
        let dir = fixture(rule.name);
        let report = common::check_file(&dir.join("fail.yaml"), &sources_for(&dir));
        let hits = report.diagnostics.iter().filter(|d| d.rule.name == rule.name).count();
        assert!(hits > 0, "{}/fail.yaml does not trigger it:\n{}", rule.name, common::human(&report));
        // Every claim of a failing fixture must fail, or the fixture tests less than it says.
        if !["yaml-syntax", "claim-schema"].contains(&rule.name) {
            let text = std::fs::read_to_string(dir.join("fail.yaml")).unwrap();
            for id in text.lines().filter_map(|l| l.trim().strip_prefix("- id: ")) {
                assert!(
                    report.diagnostics.iter().any(|d| d.claim.as_deref() == Some(id)),
                    "{}/fail.yaml: claim `{id}` raises nothing:\n{}",
                    rule.name,
                    common::human(&report)
                );
            }
        }
        insta::assert_snapshot!(format!("{}-human", rule.name), common::human(&report));
        insta::assert_snapshot!(format!("{}-json", rule.name), common::json(&report));
    }
}
