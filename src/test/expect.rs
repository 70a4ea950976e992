//! Checking a run against a test's expectations: each expectation that does not hold becomes
//! a [`Mismatch`] holding the expected and the actual value, for the reports to show as a diff.
//!
//! Numbers compare by value (`120` equals `120.0`). `…_contains` is a subset match: an
//! object expects its keys (others may be present), an array expects its elements in order
//! (others may be between them), and anything else must be equal.

use serde_json::{json, Value};

use super::adapter::{Run, Visit};
use super::suite::{Expect, Expected, StateExpect};

/// One expectation that does not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The expectation, as written: `output`, `states.Charge.input_contains`.
    pub what: String,
    /// Where the suite wrote it (JSON Pointer into the suite file).
    pub pointer: String,
    /// One line saying what went wrong.
    pub message: String,
    pub expected: Value,
    /// For `_contains` checks, the actual value cut down to the keys the expectation names,
    /// so that the diff shows only what matters.
    pub actual: Value,
    /// 1-based line and column of the expectation in the suite file, once located.
    pub location: Option<(usize, usize)>,
}

/// Checks `run` against `expect`; an empty list means the test passed.
pub fn check(expect: &Expect, run: &Run) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let failure_expected = expect.error.is_some() || expect.cause.is_some() || expect.cause_contains.is_some();
    match &expect.status {
        Some(status) if status.value != run.status => out.push(mismatch(
            "status",
            &status.pointer,
            format!("the execution ended {}, not {}", run.status, status.value),
            json!(status.value),
            json!(run.status),
        )),
        None if !failure_expected && run.status != "SUCCEEDED" => out.push(mismatch(
            "status",
            "",
            format!(
                "the execution ended {} ({}), and the test expects SUCCEEDED (add `expect.status`)",
                run.status,
                run.error.as_deref().unwrap_or("no error")
            ),
            json!("SUCCEEDED"),
            json!(run.status),
        )),
        _ => {}
    }
    let output = run.output.clone().unwrap_or(Value::Null);
    if let Some(e) = &expect.output {
        if !equal(&e.value, &output) {
            out.push(mismatch(
                "output",
                &e.pointer,
                "the output differs".into(),
                e.value.clone(),
                output.clone(),
            ));
        }
    }
    if let Some(e) = &expect.output_contains {
        if !contains(&output, &e.value) {
            out.push(mismatch(
                "output_contains",
                &e.pointer,
                "the output does not contain what is expected".into(),
                e.value.clone(),
                project(&e.value, &output),
            ));
        }
    }
    if let Some(e) = &expect.path {
        let taken = top_level_path(run);
        if e.value != taken {
            out.push(mismatch(
                "path",
                &e.pointer,
                "the execution took another path".into(),
                json!(e.value),
                json!(taken),
            ));
        }
    }
    if let Some(e) = &expect.entered {
        let all: Vec<&str> = run.visits.iter().map(|v| v.name.as_str()).collect();
        if !subsequence(&e.value, &all) {
            out.push(mismatch(
                "entered",
                &e.pointer,
                "these states were not all entered in this order".into(),
                json!(e.value),
                json!(all),
            ));
        }
    }
    if let Some(e) = &expect.not_entered {
        let hit: Vec<&String> = e
            .value
            .iter()
            .filter(|n| run.visits.iter().any(|v| &v.name == *n))
            .collect();
        if !hit.is_empty() {
            out.push(mismatch(
                "not_entered",
                &e.pointer,
                format!(
                    "{} entered",
                    hit.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                        + if hit.len() == 1 { " was" } else { " were" }
                ),
                json!([]),
                json!(hit),
            ));
        }
    }
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    if let Some(e) = &expect.error {
        if run.error.as_deref() != Some(e.value.as_str()) {
            out.push(mismatch(
                "error",
                &e.pointer,
                "another error".into(),
                json!(e.value),
                text(&run.error),
            ));
        }
    }
    if let Some(e) = &expect.cause {
        if run.cause.as_deref() != Some(e.value.as_str()) {
            out.push(mismatch(
                "cause",
                &e.pointer,
                "another cause".into(),
                json!(e.value),
                text(&run.cause),
            ));
        }
    }
    if let Some(e) = &expect.cause_contains {
        if !run.cause.as_deref().is_some_and(|c| c.contains(&e.value)) {
            out.push(mismatch(
                "cause_contains",
                &e.pointer,
                "the cause does not contain the expected text".into(),
                json!(e.value),
                text(&run.cause),
            ));
        }
    }
    if let Some(e) = &expect.variables {
        let last = run
            .visits
            .iter()
            .rev()
            .find(|v| v.depth == 0 && v.variables.is_some())
            .and_then(|v| v.variables.clone());
        let actual = last.map_or(Value::Null, Value::Object);
        if !contains(&actual, &e.value) {
            out.push(mismatch(
                "variables",
                &e.pointer,
                "the workflow variables do not contain what is expected".into(),
                e.value.clone(),
                project(&e.value, &actual),
            ));
        }
    }
    for state in &expect.states {
        check_state(state, run, &mut out);
    }
    out
}

fn check_state(expect: &StateExpect, run: &Run, out: &mut Vec<Mismatch>) {
    let visits: Vec<&Visit> = run.visits.iter().filter(|v| v.name == expect.name).collect();
    let what = |field: &str| format!("states.{}.{field}", expect.name);
    let counts = [
        (&expect.entered, visits.len() as u64, "entered", "times entered"),
        (
            &expect.invocations,
            visits.iter().map(|v| u64::from(v.attempts)).sum(),
            "invocations",
            "invocations",
        ),
        (
            &expect.retries,
            visits.iter().map(|v| u64::from(v.attempts.saturating_sub(1))).sum(),
            "retries",
            "retries",
        ),
    ];
    for (expected, actual, field, noun) in counts {
        if let Some(e) = expected {
            if e.value != actual {
                out.push(mismatch(
                    &what(field),
                    &e.pointer,
                    format!("\"{}\": {actual} {noun}, not {}", expect.name, e.value),
                    json!(e.value),
                    json!(actual),
                ));
            }
        }
    }
    let values: [(&Option<Expected<Value>>, &str, bool); 4] = [
        (&expect.input, "input", false),
        (&expect.input_contains, "input_contains", true),
        (&expect.output, "output", false),
        (&expect.output_contains, "output_contains", true),
    ];
    if values.iter().all(|(e, _, _)| e.is_none()) && expect.variables.is_none() {
        return;
    }
    let entry = expect.entry.as_ref().map_or(1, |e| e.value.max(1));
    let Some(visit) = visits.get(entry as usize - 1) else {
        let pointer = expect
            .entry
            .as_ref()
            .map_or(expect.pointer.clone(), |e| e.pointer.clone());
        out.push(mismatch(
            &what("entry"),
            &pointer,
            format!(
                "\"{}\" was entered {} time(s), so its entry {entry} cannot be checked",
                expect.name,
                visits.len()
            ),
            json!(entry),
            json!(visits.len()),
        ));
        return;
    };
    if let Some(e) = &expect.variables {
        let actual = visit.variables.clone().map_or(Value::Null, Value::Object);
        if !contains(&actual, &e.value) {
            let message = match visit.variables {
                Some(_) => format!(
                    "the variables after \"{}\" do not contain what is expected",
                    expect.name
                ),
                None => format!("\"{}\" has no variables to check: it failed", expect.name),
            };
            out.push(mismatch(
                &what("variables"),
                &e.pointer,
                message,
                e.value.clone(),
                project(&e.value, &actual),
            ));
        }
    }
    for (expected, field, subset) in values {
        let Some(e) = expected else { continue };
        let actual = if field.starts_with("input") {
            visit.input.clone()
        } else {
            visit.output.clone().unwrap_or(Value::Null)
        };
        let holds = if subset {
            contains(&actual, &e.value)
        } else {
            equal(&e.value, &actual)
        };
        if !holds {
            let side = if field.starts_with("input") { "input" } else { "output" };
            let message = if side == "output" && visit.output.is_none() {
                format!("\"{}\" has no output: it failed", expect.name)
            } else {
                format!("the {side} of \"{}\" differs", expect.name)
            };
            let shown = if subset { project(&e.value, &actual) } else { actual };
            out.push(mismatch(&what(field), &e.pointer, message, e.value.clone(), shown));
        }
    }
}

fn mismatch(what: &str, pointer: &str, message: String, expected: Value, actual: Value) -> Mismatch {
    Mismatch {
        what: what.to_string(),
        pointer: pointer.to_string(),
        message,
        expected,
        actual,
        location: None,
    }
}

/// The top-level states entered, in order.
pub fn top_level_path(run: &Run) -> Vec<String> {
    run.visits
        .iter()
        .filter(|v| v.depth == 0)
        .map(|v| v.name.clone())
        .collect()
}

fn subsequence<T: PartialEq<U>, U>(wanted: &[T], within: &[U]) -> bool {
    let mut rest = within.iter();
    wanted.iter().all(|w| rest.any(|x| w == x))
}

/// JSON equality with numbers compared by value.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// Whether `actual` contains `expected` (see the module documentation).
pub fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|w| contains(w, v))),
        (Value::Array(a), Value::Array(e)) => {
            let mut rest = a.iter();
            e.iter().all(|wanted| rest.any(|x| contains(x, wanted)))
        }
        _ => equal(expected, actual),
    }
}

/// `actual` cut down to the shape of `expected`: an object keeps only the keys `expected`
/// names (in `expected`'s order).
pub fn project(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => Value::Object(
            e.iter()
                .filter_map(|(k, v)| a.get(k).map(|w| (k.clone(), project(v, w))))
                .collect(),
        ),
        _ => actual.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_matching() {
        let actual = json!({"a": 1, "b": {"c": [1, 2, 3], "d": "x"}});
        assert!(contains(&actual, &json!({"b": {"c": [1, 3]}})));
        assert!(contains(&actual, &json!({"a": 1.0})));
        assert!(!contains(&actual, &json!({"b": {"c": [3, 1]}})));
        assert!(!contains(&actual, &json!({"e": null})));
        assert_eq!(
            project(&json!({"b": {"d": 1}, "z": 0}), &actual),
            json!({"b": {"d": "x"}})
        );
    }

    #[test]
    fn numbers_by_value() {
        assert!(equal(&json!({"n": 120}), &json!({"n": 120.0})));
        assert!(!equal(&json!([1, 2]), &json!([1, 2, 3])));
    }
}
