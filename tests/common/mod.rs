//! Helpers shared by the end-to-end tests: the binary with a stable environment, and its JSON
//! report.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The built `aslkit`, without colour and with the default width, whatever the caller's terminal.
pub fn aslkit() -> Command {
    let mut cmd = Command::cargo_bin("aslkit").expect("binary built");
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

/// `aslkit validate --format json ARGS`: the exit code and the parsed report.
pub fn json_report(args: &[&str]) -> (i32, Value) {
    let out = aslkit()
        .args(["validate", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is a JSON report");
    (out.status.code().expect("exit code"), report)
}

/// `aslkit validate --format json -` on `text`: the exit code and the parsed report.
pub fn json_report_stdin(text: &str) -> (i32, Value) {
    let out = aslkit()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is a JSON report");
    (out.status.code().expect("exit code"), report)
}

/// The `path` of every file in a report, in order.
pub fn report_paths(report: &Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect()
}
