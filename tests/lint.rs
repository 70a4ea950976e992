//! `aslkit lint` end to end: the lint rules on top of validate, `--fail-on`, `--exit-zero`,
//! `--select` / `--ignore`, the examples staying clean, and the README's lint demo.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

const DEMO: &str = "fixtures/lint/order.asl.json";

fn lint_json(args: &[&str]) -> (i32, Value) {
    let out = aslkit().args(["lint", "--format", "json"]).args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is a JSON report");
    (out.status.code().unwrap(), report)
}

fn codes(report: &Value) -> Vec<String> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lint_adds_warnings_that_validate_does_not_report() {
    let (code, report) = lint_json(&[DEMO]);
    assert_eq!(code, 0, "warnings do not fail by default");
    assert_eq!(codes(&report), ["ASL304", "ASL309", "ASL302", "ASL303", "ASL301"]);
    assert_eq!(report["summary"]["warnings"], 5);
    let (code, report) = json_report(&[DEMO]);
    assert_eq!(code, 0);
    assert!(codes(&report).is_empty(), "validate runs no lint rule");
}

#[test]
fn fail_on_warning_and_exit_zero() {
    aslkit().args(["lint", "--fail-on", "warning", DEMO]).assert().code(1);
    aslkit()
        .args(["lint", "--fail-on", "warning", "--exit-zero", DEMO])
        .assert()
        .code(0);
    // Errors fail by default; --exit-zero silences them too, but not unreadable input.
    aslkit().args(["lint", "fixtures/cli/demo.asl.json"]).assert().code(1);
    aslkit()
        .args(["lint", "--exit-zero", "fixtures/cli/demo.asl.json"])
        .assert()
        .code(0);
    aslkit()
        .args(["lint", "--exit-zero", "no/such/file.json"])
        .assert()
        .code(2);
}

#[test]
fn select_and_ignore() {
    let (_, report) = lint_json(&["--select", "ASL301,choice-without-default", DEMO]);
    assert_eq!(codes(&report), ["ASL309", "ASL301"]);
    let (_, report) = lint_json(&["--ignore", "ASL30", DEMO]);
    assert!(codes(&report).is_empty());
    let (_, report) = lint_json(&["--select", "ASL3", "--ignore", "ASL302,ASL303", DEMO]);
    assert_eq!(codes(&report), ["ASL304", "ASL309", "ASL301"]);
}

#[test]
fn unknown_selector_is_a_usage_error() {
    aslkit()
        .args(["lint", "--select", "ASL999", DEMO])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule matches `ASL999`"));
}

#[test]
fn examples_are_lint_clean() {
    aslkit()
        .args(["lint", "--fail-on", "warning", "examples/"])
        .assert()
        .code(0)
        .stdout("3 files checked: no problems found.\n");
}

#[test]
fn rules_lists_group_and_fix() {
    aslkit()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ASL305  shadowed-error-handler           warning  lint     fix  ",
        ))
        .stdout(predicate::str::contains(
            "ASL104  unknown-transition-target        error    validate      ",
        ));
    let out = aslkit().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let choice = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ASL309")
        .unwrap();
    assert_eq!(choice["group"], "lint");
    assert_eq!(choice["fixable"], false);
    assert_eq!(choice["severity"], "warning");
}

#[test]
fn lint_output_matches_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let open = "<!-- lint-output -->\n";
    let start = readme.find(open).expect("README has a lint-output block") + open.len();
    let end = readme.find("<!-- /lint-output -->").unwrap();
    let out = aslkit()
        .args(["lint", "--select", "ASL301,ASL309", DEMO])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        &readme[start..end],
        "README.md's lint-output block is stale"
    );
}
