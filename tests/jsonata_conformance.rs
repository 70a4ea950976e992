//! The JSONata engine against expected outcomes, in the format of the JSONata 2.0.6 test suite
//! as data (one JSON object per line: `id`, `expr`, optional `input` and `bindings`, and
//! `expect`: `{"result": …}`, `{"undefined": true}` or `{"error": "CODE"}`).
//!
//! `regression_cases_agree` runs our own cases in `tests/jsonata/regression.jsonl`, one or more
//! per concern of the evaluator (paths, grouping, sorting, operators, function application,
//! transforms) and per family of built-ins, on every `cargo test`.
//!
//! The full suite (1,641 cases from jsonata-js's test suite and Step Functions' functions) is
//! not part of the repository. Point `JSONATA_CASES` at its `cases.jsonl` (with
//! `aws-extensions.jsonl` and `datasets/` next to it) and run the ignored tests:
//!
//! ```text
//! JSONATA_CASES=/path/to/jsonata/cases.jsonl cargo test --test jsonata_conformance -- --ignored --nocapture
//! ```
//!
//! (`JSONATA_FILTER=function-string/` limits the evaluator run to matching ids). A case
//! expecting a result, `undefined`, or an evaluation error (`T…`, `D…`, `U…`) must parse; a
//! case expecting a syntax error `S0…` must fail with that code. The figures are printed; those
//! tests fail only if the corpus cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use aslkit::expr::jsonata::{evaluate, parse, Bindings};

/// The full suite's `cases.jsonl`, from `JSONATA_CASES`.
fn corpus() -> PathBuf {
    std::env::var_os("JSONATA_CASES").map(PathBuf::from).unwrap_or_else(|| {
        panic!("set JSONATA_CASES to the path of the JSONata suite's cases.jsonl (see this file's docs)")
    })
}

/// Whether `got` is the outcome `expect` describes.
fn agrees(
    got: &Result<Option<serde_json::Value>, aslkit::expr::jsonata::JsonataError>,
    expect: &serde_json::Value,
    unordered: bool,
) -> bool {
    if let Some(code) = expect["error"].as_str() {
        matches!(got, Err(e) if code == "*" || e.code == code)
    } else if expect["undefined"].as_bool() == Some(true) {
        matches!(got, Ok(None))
    } else {
        match got {
            Ok(Some(v)) if unordered => same_unordered(v, &expect["result"]),
            Ok(Some(v)) => same(v, &expect["result"]),
            _ => false,
        }
    }
}

#[test]
fn regression_cases_agree() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jsonata/regression.jsonl");
    let text = std::fs::read_to_string(path).expect("regression cases readable");
    let mut mismatches = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        let id = case["id"].as_str().expect("id");
        let expr = case["expr"].as_str().expect("expr");
        let input = case.get("input");
        let mut bindings = Bindings::default();
        if let Some(vars) = case["bindings"].as_object() {
            bindings.variables = vars.clone();
        }
        let got = parse(expr).and_then(|ast| evaluate(&ast, input, &bindings));
        if !agrees(&got, &case["expect"], false) {
            mismatches.push(format!(
                "{id}: expected {}, got {}\n    {expr}",
                case["expect"],
                outcome(&got)
            ));
        }
        count += 1;
    }
    assert!(count >= 50, "only {count} regression cases read from {path}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
#[ignore = "needs the JSONata suite (JSONATA_CASES); run by hand"]
fn parser_agrees_with_jsonata_js() {
    let cases = corpus();
    let mut files = vec![cases.clone()];
    files.push(cases.with_file_name("aws-extensions.jsonl"));
    let (mut ok_total, mut ok_agree, mut err_total, mut err_agree, mut skipped) = (0, 0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for file in files.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(file).expect("corpus readable");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            // The two `lone-surrogate` cases hold text a Rust string cannot: skipped, as the
            // corpus's own scorer does.
            let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
                skipped += 1;
                continue;
            };
            let id = case["id"].as_str().unwrap_or("?");
            let expr = case["expr"].as_str().unwrap_or("");
            let expected_code = case["expect"]["error"].as_str();
            let got = parse(expr);
            match expected_code {
                Some(code) if code.starts_with("S0") => {
                    err_total += 1;
                    match &got {
                        Err(e) if e.code == code => err_agree += 1,
                        Err(e) => mismatches.push(format!("{id}: expected {code}, got {} ({})", e.code, e.message)),
                        Ok(_) => mismatches.push(format!("{id}: expected {code}, parsed OK: {expr:?}")),
                    }
                }
                _ => {
                    ok_total += 1;
                    match &got {
                        Ok(_) => ok_agree += 1,
                        Err(e) => mismatches.push(format!(
                            "{id}: expected to parse, got {} at {} ({}): {expr:?}",
                            e.code, e.position, e.message
                        )),
                    }
                }
            }
        }
    }
    assert!(ok_total + err_total > 0, "no cases read from {}", cases.display());
    for m in &mismatches {
        println!("MISMATCH {m}");
    }
    println!("parse OK where jsonata-js parses: {ok_agree}/{ok_total}");
    println!("same S0 code where jsonata-js rejects: {err_agree}/{err_total}");
    println!("skipped (not representable): {skipped}");
}

/// One case's outcome, as the corpus states it.
fn outcome(result: &Result<Option<serde_json::Value>, aslkit::expr::jsonata::JsonataError>) -> String {
    match result {
        Ok(Some(v)) => format!("result {v}"),
        Ok(None) => "undefined".into(),
        Err(e) => format!("error {} ({})", e.code, e.message),
    }
}

/// Numbers compare as numbers and object key order is ignored.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

fn same_unordered(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let (Some(x), Some(y)) = (a.as_array(), b.as_array()) else {
        return same(a, b);
    };
    let mut left: Vec<&serde_json::Value> = y.iter().collect();
    x.len() == y.len()
        && x.iter().all(|item| match left.iter().position(|o| same(item, o)) {
            Some(p) => {
                left.remove(p);
                true
            }
            None => false,
        })
}

#[test]
#[ignore = "needs the JSONata suite (JSONATA_CASES); run by hand"]
fn evaluator_agrees_with_jsonata_js() {
    use aslkit::expr::jsonata::eval::evaluate_here;
    use std::collections::BTreeMap;
    use std::sync::mpsc;
    use std::time::Duration;

    let cases = corpus();
    let filter = std::env::var("JSONATA_FILTER").unwrap_or_default();
    let datasets = cases.with_file_name("datasets");
    let files = [cases.clone(), cases.with_file_name("aws-extensions.jsonl")];
    // group -> (agree, total)
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut skipped = 0;
    for file in files.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(file).expect("corpus readable");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
                skipped += 1;
                continue;
            };
            let id = case["id"].as_str().unwrap_or("?").to_string();
            if !id.contains(&filter) {
                continue;
            }
            let expr = case["expr"].as_str().unwrap_or("").to_string();
            let input = match case["input"].as_str() {
                Some("data") => Some(case["data"].clone()),
                Some("dataset") => {
                    let name = case["dataset"].as_str().unwrap_or("");
                    let text = std::fs::read_to_string(datasets.join(format!("{name}.json"))).expect("dataset");
                    Some(serde_json::from_str(&text).expect("dataset JSON"))
                }
                _ => None,
            };
            let mut bindings = Bindings::default();
            if let Some(vars) = case["bindings"].as_object() {
                bindings.variables = vars.clone();
            }
            let (tx, rx) = mpsc::channel();
            let worker = std::thread::Builder::new()
                .stack_size(512 * 1024 * 1024)
                .spawn(move || {
                    let got = parse(&expr).and_then(|ast| evaluate_here(&ast, input.as_ref(), &bindings));
                    let _ = tx.send(got);
                });
            let got = match worker {
                Ok(_) => rx.recv_timeout(Duration::from_secs(10)),
                Err(_) => continue,
            };
            let expect = &case["expect"];
            let agree = match &got {
                Err(_) => false,
                Ok(got) => agrees(got, expect, case["unordered"].as_bool() == Some(true)),
            };
            let group = id.split('/').next().unwrap_or("?").to_string();
            let entry = groups.entry(group).or_default();
            entry.1 += 1;
            if agree {
                entry.0 += 1;
            } else {
                let got = match &got {
                    Ok(g) => outcome(g),
                    Err(_) => "timeout".into(),
                };
                mismatches.push(format!("{id}: expected {expect}, got {got}\n    {}", case["expr"]));
            }
        }
    }
    for m in &mismatches {
        println!("MISMATCH {m}");
    }
    let (mut agree, mut total) = (0, 0);
    for (group, (a, t)) in &groups {
        println!("{group:40} {a:4}/{t:<4}");
        agree += a;
        total += t;
    }
    println!("evaluation agrees with jsonata-js: {agree}/{total}; skipped (not representable): {skipped}");
}
