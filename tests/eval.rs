//! `aslkit eval` end to end: the JSON contract of DESIGN.md (`{"value"}`, `{"undefined"}`,
//! `{"error": {"code", "message"}}`) and its exit codes, in both query languages.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};

fn eval(args: &[&str], stdin: Option<&str>) -> (i32, Value) {
    let mut cmd = aslkit();
    cmd.args(["eval", "--format", "json"]).args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let out = cmd.output().unwrap();
    let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), value)
}

#[test]
fn jsonata_value_undefined_and_error() {
    let input = r#"{"order": {"items": [{"price": 20, "qty": 2}, {"price": 5, "qty": 1}]}}"#;
    let (code, out) = eval(&["--input", "-", "--", "$sum(order.items.(price * qty))"], Some(input));
    assert_eq!((code, out), (0, json!({"value": 45})));
    let (code, out) = eval(&["--input", "-", "--", "order.missing"], Some(input));
    assert_eq!((code, out), (0, json!({"undefined": true})));
    let (code, out) = eval(&["--", "1 + 'a'"], None);
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "T2002");
    let (code, out) = eval(&["--", "$sum(1, "], None);
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "S0203");
}

#[test]
fn without_input_the_input_is_undefined() {
    let (code, out) = eval(&["--", "$"], None);
    assert_eq!((code, out), (0, json!({"undefined": true})));
    let (code, out) = eval(&["--", "-42"], None);
    assert_eq!((code, out), (0, json!({"value": -42})));
}

#[test]
fn bindings_become_variables_and_step_functions_functions_exist() {
    let dir = tempfile::tempdir().unwrap();
    let bindings = dir.path().join("bindings.json");
    std::fs::write(&bindings, r#"{"rate": 0.5, "items": [1, 2, 3, 4, 5]}"#).unwrap();
    let b = bindings.to_str().unwrap();
    let (code, out) = eval(&["--bindings", b, "--", "{% 10 * $rate %}"], None);
    assert_eq!((code, out), (0, json!({"value": 5})));
    let (code, out) = eval(&["--bindings", b, "--", "$partition($items, 2)"], None);
    assert_eq!((code, out), (0, json!({"value": [[1, 2], [3, 4], [5]]})));
    let (code, out) = eval(&["--", "$eval('1')"], None);
    assert_eq!(code, 1, "Step Functions has no $eval: {out}");
}

#[test]
fn jsonpath_and_intrinsics() {
    let input = r#"{"name": "World", "list": [1, 2, 3]}"#;
    let jp = ["--query-language", "jsonpath", "--input", "-"];
    let (code, out) = eval(&[&jp[..], &["$.list[-1:]"]].concat(), Some(input));
    assert_eq!((code, out), (0, json!({"value": [3]})));
    let (code, out) = eval(
        &[&jp[..], &["States.Format('Hello, {}!', $.name)"]].concat(),
        Some(input),
    );
    assert_eq!((code, out), (0, json!({"value": "Hello, World!"})));
    let (code, out) = eval(&[&jp[..], &["$.missing"]].concat(), Some(input));
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "States.Runtime");
    let (code, out) = eval(&[&jp[..], &["States.ArrayGetItem($.list, 7)"]].concat(), Some(input));
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "States.IntrinsicFailure");
}

#[test]
fn human_output_and_unreadable_files() {
    aslkit()
        .args(["eval", "--", "[1, 2].($ * 10)"])
        .assert()
        .code(0)
        .stdout("[\n  10,\n  20\n]\n");
    aslkit()
        .args(["eval", "--", "1 +"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with("error[S0207]"));
    aslkit()
        .args(["eval", "--input", "does/not/exist.json", "--", "$"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read"));
    aslkit()
        .args(["eval", "--bindings", "-", "--", "$"])
        .write_stdin("[1]")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("JSON object"));
}
