//! Helpers for the evaluator's unit tests: run an expression, get its outcome as one string.

use serde_json::Value;

use super::{evaluate, parse, Bindings};

/// The outcome of `expr` on `input` (a JSON text): the compact JSON of the result,
/// `undefined`, or `error CODE`. The clock is fixed at 2024-01-02T03:04:05.678Z and the
/// random source seeded, so outcomes are reproducible.
pub(crate) fn run(expr: &str, input: Option<&str>) -> String {
    let input: Option<Value> = input.map(|i| serde_json::from_str(i).unwrap_or(Value::Null));
    let bindings = Bindings {
        now_millis: Some(1_704_164_645_678),
        random_seed: Some(7),
        ..Bindings::default()
    };
    match parse(expr).and_then(|ast| evaluate(&ast, input.as_ref(), &bindings)) {
        Ok(Some(v)) => v.to_string(),
        Ok(None) => "undefined".into(),
        Err(e) => format!("error {}", e.code),
    }
}
