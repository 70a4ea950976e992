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
