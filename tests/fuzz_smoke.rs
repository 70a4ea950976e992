//! The fuzz targets' seed corpus, run on stable with every `cargo test` (issue 12).
//!
//! `fuzz/seed.py` seeds the cargo-fuzz corpora from our fixtures; this test feeds the same
//! fixtures through the same entry points (`aslkit::fuzzing`), plus every input a fuzzing
//! session found to crash (`fuzz/regressions/<target>/`, kept as regression tests). A panic
//! anywhere fails the test with the file that caused it.
// A panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Seeds larger than this are left out, as `fuzz/seed.py` leaves them out.
const MAX_SEED_BYTES: u64 = 64 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if path.metadata().is_ok_and(|m| m.len() <= MAX_SEED_BYTES) {
            out.push(path);
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_under(&root().join("fixtures"), &mut files);
    files_under(&root().join("examples"), &mut files);
    files
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A fuzzing entry point.
type Target = fn(&[u8]);

/// Runs `target` on `bytes`, naming `what` when it panics.
fn feed(target: Target, what: &str, bytes: &[u8]) {
    let outcome = std::panic::catch_unwind(|| target(bytes));
    assert!(outcome.is_ok(), "{what} panicked");
}

/// Every string of a JSON value with the key it sits under.
fn strings<'v>(value: &'v Value, key: &'v str, out: &mut Vec<(&'v str, &'v str)>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        Value::String(s) => out.push((key, s)),
        _ => {}
    }
}

#[test]
fn loaders_read_every_fixture() {
    let files = fixtures();
    assert!(files.len() > 100, "fixtures found: {}", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let what = path.display().to_string();
        match extension(&path).as_str() {
            "json" => {
                feed(aslkit::fuzzing::json_loader, &what, &bytes);
                if what.contains("template") {
                    feed(aslkit::fuzzing::template_reader, &what, &bytes);
                }
            }
            "yaml" | "yml" => {
                feed(aslkit::fuzzing::yaml_loader, &what, &bytes);
                feed(aslkit::fuzzing::template_reader, &what, &bytes);
            }
            _ => {}
        }
    }
}

#[test]
fn every_fixture_machine_is_simulated() {
    let mut simulated = 0;
    for path in fixtures().into_iter().filter(|p| extension(p) == "json") {
        let bytes = std::fs::read(&path).unwrap();
        let is_machine = serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| v.get("StartAt").is_some());
        if is_machine {
            feed(aslkit::fuzzing::simulate, &path.display().to_string(), &bytes);
            simulated += 1;
        }
    }
    assert!(simulated > 50, "machines simulated: {simulated}");
}

#[test]
fn expressions_of_the_fixtures_are_parsed_and_evaluated() {
    let mut paths = 0;
    let mut jsonata = 0;
    for path in fixtures().into_iter().filter(|p| extension(p) == "json") {
        let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        let mut found = Vec::new();
        strings(&value, "", &mut found);
        for (key, text) in found {
            let what = format!("{} ({key}: {text})", path.display());
            if key.ends_with(".$") || key.ends_with("Path") || key == "Variable" || text.starts_with('$') {
                feed(aslkit::fuzzing::path_expressions, &what, text.as_bytes());
                paths += 1;
            }
            if let Some(body) = text.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")) {
                feed(aslkit::fuzzing::jsonata, &what, body.trim().as_bytes());
                jsonata += 1;
            }
        }
    }
    let cases = std::fs::read_to_string(root().join("tests/jsonata/regression.jsonl")).unwrap();
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let expr = case["expr"].as_str().unwrap();
        feed(aslkit::fuzzing::jsonata, expr, expr.as_bytes());
        jsonata += 1;
    }
    assert!(paths > 100 && jsonata > 100, "paths {paths}, jsonata {jsonata}");
}

/// Inputs that crashed a fuzzing session once: `fuzz/regressions/<target>/<file>`.
#[test]
fn crashes_found_by_fuzzing_stay_fixed() {
    let targets: [(&str, Target); 6] = [
        ("json_loader", aslkit::fuzzing::json_loader),
        ("yaml_loader", aslkit::fuzzing::yaml_loader),
        ("template_reader", aslkit::fuzzing::template_reader),
        ("path_expressions", aslkit::fuzzing::path_expressions),
        ("jsonata", aslkit::fuzzing::jsonata),
        ("simulate", aslkit::fuzzing::simulate),
    ];
    for (name, target) in targets {
        let mut files = Vec::new();
        files_under(&root().join("fuzz/regressions").join(name), &mut files);
        for path in files {
            feed(target, &path.display().to_string(), &std::fs::read(&path).unwrap());
        }
    }
}
