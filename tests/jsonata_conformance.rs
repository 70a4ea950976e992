//! How closely the JSONata parser agrees with jsonata-js on the official test suite.
//!
//! Dev-only and `#[ignore]`d: the corpus is shared data outside the repository, which tests must
//! not depend on. Run it with
//!
//! ```text
//! cargo test --test jsonata_conformance -- --ignored --nocapture
//! ```
//!
//! (`JSONATA_CASES` overrides the default path of `cases.jsonl`; `aws-extensions.jsonl` next to
//! it is read too). A case expecting a result, `undefined`, or an evaluation error (`T…`, `D…`,
//! `U…`) must parse; a case expecting a syntax error `S0…` must fail with that code. The figures
//! are printed; the test fails only if the corpus cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use aslkit::expr::jsonata::parse;

#[test]
#[ignore = "needs the shared JSONata corpus; run by hand"]
fn parser_agrees_with_jsonata_js() {
    let cases = std::env::var_os("JSONATA_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/conformance/jsonata/cases.jsonl"));
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
