//! Output that CI systems accept (issue 8): SARIF that Microsoft's validator passes, with
//! locations relative to `%SRCROOT%` or absolute `file://` URIs and fingerprints that survive
//! moved lines; JUnit XML and JSON Lines for `validate` and `lint`.
//!
//! The SARIF validator (`sarif-multitool`, npm `@microsoft/sarif-multitool`) runs when it is
//! installed: on `PATH`, at `$SARIF_MULTITOOL`, or under `$PEERS_DIR`/`~/asl-peers/sarif`.
//! Without it that check is skipped with a message.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const INVALID: &str = "fixtures/rules/ASL104/invalid-misspelt-next.asl.json";
const LINTED: &str = "fixtures/repos/definition-uri/template.yaml";

fn run(args: &[&str]) -> (i32, String) {
    let out = aslkit().args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// A copy of the invalid fixture under an absolute temporary path, with `blank_lines` empty
/// lines above it.
fn absolute_copy(dir: &Path, blank_lines: usize) -> PathBuf {
    let text = std::fs::read_to_string(INVALID).unwrap();
    let path = dir.join("moved lines.asl.json");
    std::fs::write(&path, format!("{}{text}", "\n".repeat(blank_lines))).unwrap();
    path
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

fn artifact(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["artifactLocation"]
}

#[test]
fn sarif_locations_are_relative_to_the_root_or_absolute_file_uris() {
    let dir = tempfile::tempdir().unwrap();
    let absolute = absolute_copy(dir.path(), 0);
    let (exit, text) = run(&["lint", "--format", "sarif", INVALID, LINTED, absolute.to_str().unwrap()]);
    assert_eq!(exit, 1);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let root = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let cwd = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    assert_eq!(root, format!("file://{}/", cwd.display()));
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let mut uris: Vec<(String, Option<String>)> = results(&sarif)
        .iter()
        .map(|r| {
            let a = artifact(r);
            (
                a["uri"].as_str().unwrap().to_string(),
                a["uriBaseId"].as_str().map(String::from),
            )
        })
        .collect();
    uris.dedup();
    let absolute_uri = format!(
        "file://{}/moved%20lines.asl.json",
        dir.path().display().to_string().replace(' ', "%20")
    );
    assert!(
        uris.contains(&(INVALID.to_string(), Some("%SRCROOT%".into()))),
        "{uris:?}"
    );
    assert!(
        uris.contains(&(
            "fixtures/repos/definition-uri/statemachine/tuner.asl.json".to_string(),
            Some("%SRCROOT%".into())
        )),
        "a file named by a template is located too: {uris:?}"
    );
    assert!(uris.contains(&(absolute_uri, None)), "{uris:?}");
    for r in results(&sarif) {
        let fingerprint = r["partialFingerprints"]["aslkit/v1"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 64, "{r}");
        assert!(r["ruleIndex"].is_u64(), "{r}");
    }
    validate_with_multitool(&text);

    // With --sarif-root, relative and absolute paths inside it are relative to it.
    let (_, text) = run(&[
        "validate",
        "--format",
        "sarif",
        "--sarif-root",
        dir.path().to_str().unwrap(),
        absolute.to_str().unwrap(),
        INVALID,
    ]);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let artifacts: Vec<&Value> = results(&sarif).iter().map(artifact).collect();
    assert_eq!(artifacts[0]["uri"], "moved%20lines.asl.json");
    assert_eq!(artifacts[0]["uriBaseId"], "%SRCROOT%");
    assert!(
        artifacts.last().unwrap()["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///"),
        "outside the root: {artifacts:?}"
    );
    validate_with_multitool(&text);
}

#[test]
fn sarif_fingerprints_follow_a_finding_when_lines_move() {
    let fingerprints = |blank_lines: usize| {
        let dir = tempfile::tempdir().unwrap();
        let path = absolute_copy(dir.path(), blank_lines);
        let (_, text) = run(&[
            "validate",
            "--format",
            "sarif",
            "--sarif-root",
            dir.path().to_str().unwrap(),
            path.to_str().unwrap(),
        ]);
        let sarif: Value = serde_json::from_str(&text).unwrap();
        results(&sarif)
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["aslkit/v1"].as_str().unwrap().to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(0);
    let after = fingerprints(3);
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for ((a, line_a), (b, line_b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "the same finding keeps its fingerprint");
        assert_eq!(line_a + 3, *line_b, "while its line moves");
    }
}

/// Runs Microsoft's SARIF validator on `sarif` when it is installed: no error and no warning.
fn validate_with_multitool(sarif: &str) {
    let Some(tool) = multitool() else {
        eprintln!("skipped: sarif-multitool is not installed (npm install @microsoft/sarif-multitool)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("aslkit.sarif");
    let output = dir.path().join("validation.sarif");
    std::fs::write(&input, sarif).unwrap();
    let run = std::process::Command::new(&tool)
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{console}");
    let validation: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let problems = results(&validation);
    assert!(
        problems.is_empty(),
        "sarif-multitool reports errors or warnings:\n{console}"
    );
}

fn multitool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("sarif-multitool"));
    let peers = std::env::var_os("PEERS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join("asl-peers")))
        .map(|p| p.join("sarif/node_modules/.bin/sarif-multitool"));
    on_path.chain(peers).find(|p| p.is_file())
}

#[test]
fn json_lines_is_one_finding_per_line() {
    let (exit, text) = run(&["lint", "--format", "json-lines", INVALID, LINTED]);
    assert_eq!(exit, 1);
    let findings: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(findings.len() >= 2, "{text}");
    for f in &findings {
        for field in ["path", "code", "severity", "message", "pointer", "line", "column"] {
            assert!(f.get(field).is_some(), "{field} missing in {f}");
        }
    }
    assert!(findings.iter().any(|f| f["path"] == INVALID));
    assert!(findings
        .iter()
        .any(|f| f["path"] == "fixtures/repos/definition-uri/statemachine/tuner.asl.json"));
    let (exit, text) = run(&[
        "validate",
        "--format",
        "json-lines",
        "fixtures/rules/ASL104/valid-choice-and-catch.asl.json",
    ]);
    assert_eq!((exit, text.as_str()), (0, ""), "a clean run prints nothing");
}

#[test]
fn junit_is_a_testcase_per_file_and_a_failure_per_error() {
    let clean = "fixtures/rules/ASL104/valid-choice-and-catch.asl.json";
    let (exit, text) = run(&["validate", "--format", "junit", INVALID, clean]);
    assert_eq!(exit, 1);
    let doc = roxmltree::Document::parse(&text).expect("JUnit output parses as XML");
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].attribute("name"), Some(INVALID));
    assert_eq!(cases[0].attribute("classname"), Some("aslkit validate"));
    let failures: Vec<_> = cases[0].children().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].attribute("type"), Some("ASL104"));
    assert!(failures[0].text().unwrap().starts_with(&format!("{INVALID}:")));
    assert_eq!(cases[1].children().filter(|n| n.is_element()).count(), 0);

    // lint --fail-on warning: warnings fail too; otherwise they are only listed.
    let lint = |fail_on: &str| {
        let (_, text) = run(&["lint", "--format", "junit", "--fail-on", fail_on, LINTED]);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("name"), Some("aslkit lint"));
        (
            doc.descendants().filter(|n| n.has_tag_name("failure")).count(),
            doc.descendants().filter(|n| n.has_tag_name("system-out")).count(),
        )
    };
    let (errors_only, listed) = lint("error");
    let (with_warnings, _) = lint("warning");
    assert!(with_warnings > errors_only, "{with_warnings} > {errors_only}");
    assert!(listed > 0);

    // A file that cannot be read is an error, not a failure.
    let (exit, text) = run(&["validate", "--format", "junit", "fixtures/does-not-exist.asl.json"]);
    assert_eq!(exit, 2);
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().attribute("errors"), Some("1"));
}
