//! End-to-end tests of the binary: exit codes, output formats, inputs (files, directories,
//! standard input) and hostile input.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const MISSPELT_NEXT: &str = "fixtures/rules/ASL104/invalid-misspelt-next.asl.json";

#[test]
fn valid_file_exits_0() {
    aslkit()
        .args(["validate", "fixtures/rules/ASL104/valid-choice-and-catch.asl.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 file checked: no problems found."));
}

#[test]
fn invalid_file_exits_1_and_points_at_the_value_with_a_suggestion() {
    aslkit()
        .args(["validate", MISSPELT_NEXT])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ASL104"))
        .stdout(predicate::str::contains(format!("[{MISSPELT_NEXT}:7:15]")))
        .stdout(predicate::str::contains("help: did you mean \"Ship\"?"))
        .stdout(predicate::str::contains("───┬───"));
}

#[test]
fn json_report_has_pointer_and_the_same_location() {
    let (code, report) = json_report(&[MISSPELT_NEXT]);
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    let file = &report["files"][0];
    assert_eq!(file["path"], MISSPELT_NEXT);
    assert_eq!(
        file["machines"],
        serde_json::json!([{"name": "invalid-misspelt-next", "pointer": ""}])
    );
    let d = &file["diagnostics"][0];
    assert_eq!(d["code"], "ASL104");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["pointer"], "/States/Charge/Next");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(7), Some(15)));
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(7), Some(22)));
    assert_eq!(d["help"], "did you mean \"Ship\"?");
    assert_eq!(d["aws_code"], "MISSING_TRANSITION_TARGET");
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn every_named_file_appears_in_the_report_even_when_clean() {
    let (_, report) = json_report(&["fixtures/rules/ASL101/valid-start-at.asl.json", MISSPELT_NEXT]);
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["diagnostics"], serde_json::json!([]));
}

#[test]
fn missing_file_exits_2_and_other_files_are_still_reported() {
    let (code, report) = json_report(&["does/not/exist.json", MISSPELT_NEXT]);
    assert_eq!(code, 2);
    let files = report["files"].as_array().expect("files");
    assert_eq!(files[0]["diagnostics"][0]["code"], "ASL000");
    assert_eq!(files[0]["diagnostics"][0]["pointer"], Value::Null);
    assert_eq!(files[1]["diagnostics"][0]["code"], "ASL104");
}

#[test]
fn unparsable_file_exits_2_with_line_and_column() {
    let (code, report) = json_report(&["fixtures/rules/ASL001/invalid-trailing-comma.asl.json"]);
    assert_eq!(code, 2);
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ASL001");
    assert_eq!(d["pointer"], Value::Null);
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(39)));
    assert!(d["message"]
        .as_str()
        .expect("message")
        .contains("expected a string key"));
}

#[test]
fn hostile_inputs_exit_2_without_panicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, Vec<u8>); 5] = [
        ("empty.json", Vec::new()),
        (
            "garbage.bin",
            (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect(),
        ),
        ("latin1.json", b"{\"Comment\": \"caf\xe9\"}".to_vec()),
        ("deep.json", "[".repeat(200_000).into_bytes()),
        ("truncated.json", b"{\"StartAt\": \"A\", \"States\": {".to_vec()),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in &cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        paths.push(p.display().to_string());
    }
    let good = "fixtures/rules/ASL101/valid-start-at.asl.json".to_string();
    paths.push(good);
    let out = aslkit()
        .args(["validate", "--format", "json"])
        .args(&paths)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 6, "every file is reported");
    for f in &files[..5] {
        assert_eq!(f["diagnostics"][0]["code"], "ASL001", "{f}");
    }
    assert_eq!(files[5]["diagnostics"], serde_json::json!([]));
    // Human output for the same run does not panic either.
    aslkit()
        .arg("validate")
        .args(&paths)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn an_empty_directory_is_clean_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    aslkit()
        .arg("validate")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("0 files checked: no problems found.\n")
        .stderr(predicate::str::contains("no state machine definitions found"));
}

#[test]
fn warnings_alone_exit_0() {
    // AWS accepts a definition whose only findings are warnings (NO_DOLLAR here).
    let (code, report) = json_report(&["fixtures/rules/ASL220/invalid-path-without-dollar-key.asl.json"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["warnings"], 1);
    assert_eq!(report["files"][0]["diagnostics"][0]["severity"], "warning");
    assert_eq!(report["files"][0]["diagnostics"][0]["aws_code"], "NO_DOLLAR");
}

#[test]
fn express_type_is_an_option() {
    let file = "fixtures/rules/ASL114/invalid-wait-for-task-token-express.asl.json";
    let (code, _) = json_report(&[file]);
    assert_eq!(code, 0, "valid for a STANDARD machine");
    let (code, report) = json_report(&["--type", "express", file]);
    assert_eq!(code, 1);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ASL114");
}

#[test]
fn deeply_nested_definitions_do_not_crash() {
    // 500 levels of payload objects and arrays, and 150 Parallel states nested in each other:
    // every stage walks these recursively, on worker threads.
    let mut payload = serde_json::json!({"a.$": "$.x"});
    for _ in 0..500 {
        payload = serde_json::json!({ "a": payload });
    }
    let result = format!("{}{}", "[".repeat(500), "]".repeat(500));
    let deep = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Parameters": {payload}, "Result": {result}, "End": true}}}}}}"#
    );
    let mut machine = serde_json::json!({"StartAt": "L", "States": {"L": {"Type": "Pass", "End": true}}});
    for i in 0..150 {
        machine = serde_json::json!({"StartAt": format!("P{i}"), "States": {
            format!("P{i}"): {"Type": "Parallel", "Branches": [machine], "End": true}}});
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("deep.asl.json"), dir.path().join("parallel.asl.json"));
    std::fs::write(&a, deep).expect("write");
    std::fs::write(&b, machine.to_string()).expect("write");
    let out = aslkit()
        .args(["validate", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("runs");
    assert!(
        out.status.code().is_some(),
        "killed by a signal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["files"].as_array().expect("files").len(), 2);
}

#[test]
fn array_root_is_a_located_finding() {
    let (code, report) = json_report(&["fixtures/rules/ASL004/invalid-array-root.asl.json"]);
    assert_eq!(code, 1);
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ASL004");
    assert_eq!(d["pointer"], "");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn over_one_mebibyte_is_reported_and_a_50_mb_file_is_handled() {
    let (code, report) = json_report(&["fixtures/rules/ASL003/invalid-over-1mib.asl.json"]);
    assert_eq!(code, 1);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ASL003");

    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.asl.json");
    let mut text = String::from("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": \"");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\", \"End\": true}}}");
    std::fs::write(&big, text).expect("write");
    let (code, report) = json_report(&[&big.display().to_string(), MISSPELT_NEXT]);
    assert_eq!(code, 1);
    let message = report["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(message.contains("50.0 MiB") && message.contains("1 MiB"), "{message}");
    assert_eq!(report["files"][1]["diagnostics"][0]["code"], "ASL104");
}

#[test]
fn directory_scan_skips_non_machines_and_ignored_files() {
    let (code, report) = json_report(&["fixtures/cli/scan"]);
    assert_eq!(code, 1);
    let paths = report_paths(&report);
    assert_eq!(
        paths,
        [
            "fixtures/cli/scan/good.asl.json",
            "fixtures/cli/scan/nested/broken-next.asl.json",
            "fixtures/cli/scan/nested/pipeline.asl.yml"
        ]
    );
    let codes: Vec<&str> = report["files"][1]["diagnostics"]
        .as_array()
        .expect("diags")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"ASL104"), "{codes:?}");
}

#[test]
fn explicitly_named_non_machine_is_checked() {
    let (code, report) = json_report(&["fixtures/cli/scan/package.json"]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .expect("diags")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(!codes.is_empty());
}

#[test]
fn stdin_is_read_with_dash() {
    let text = std::fs::read_to_string(MISSPELT_NEXT).expect("fixture");
    let out = aslkit()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["files"][0]["path"], "<stdin>");
    assert_eq!(report["files"][0]["diagnostics"][0]["line"], 7);

    aslkit()
        .args(["validate", "-"])
        .write_stdin("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}")
        .assert()
        .code(0);
}

#[test]
fn sarif_and_github_formats() {
    let out = aslkit()
        .args(["validate", "--format", "sarif", MISSPELT_NEXT])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "ASL104");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 7);

    aslkit()
        .args(["validate", "--format", "github", MISSPELT_NEXT])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(format!(
            "::error file={MISSPELT_NEXT},line=7,col=15,endLine=7,endColumn=22,title=ASL104 unknown-transition-target::"
        )));
}

#[test]
fn no_color_means_no_escape_codes() {
    let out = aslkit()
        .args(["validate", "--color", "always", MISSPELT_NEXT])
        .output()
        .expect("runs");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'),
        "NO_COLOR wins over --color always"
    );
    let out = Command::cargo_bin("aslkit")
        .expect("binary")
        .env_remove("NO_COLOR")
        .args(["validate", "--color", "always", MISSPELT_NEXT])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn usage_errors_exit_2() {
    aslkit().args(["validate", "--format", "xml"]).assert().code(2);
    aslkit().arg("frobnicate").assert().code(2);
    aslkit()
        .args(["explain", "ASL999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aslkit rules"));
}

#[test]
fn rules_and_explain() {
    aslkit()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ASL104  unknown-transition-target"));
    aslkit()
        .args(["explain", "asl104"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it does"))
        .stdout(predicate::str::contains("## References"));
    aslkit()
        .args(["explain", "unreachable-state"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# ASL103"));
    let out = aslkit().args(["rules", "--format", "json"]).output().expect("runs");
    let rules: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(rules.as_array().expect("array").iter().any(|r| r["code"] == "ASL104"));
}
