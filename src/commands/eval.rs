//! `aslkit eval`: one expression, evaluated as a state would (see `crate::eval`).

use super::{print, read_json, usage_error};
use crate::cli::{EvalArgs, ListFormat};
use crate::eval::Outcome;

pub fn run(args: EvalArgs) -> u8 {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input,
        Err(message) => return usage_error(&message),
    };
    let bindings = match args.bindings.as_deref().map(read_json).transpose() {
        Ok(None) => serde_json::Map::new(),
        Ok(Some(serde_json::Value::Object(map))) => map,
        Ok(Some(_)) => return usage_error("--bindings must be a JSON object: {\"name\": value, …}"),
        Err(message) => return usage_error(&message),
    };
    let outcome = crate::eval::evaluate(args.query_language, &args.expression, input.as_ref(), &bindings);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match (args.format, outcome) {
        (ListFormat::Json, Outcome::Value(value)) => print(&format!("{}\n", serde_json::json!({ "value": value }))),
        (ListFormat::Json, Outcome::Undefined) => print("{\"undefined\":true}\n"),
        (ListFormat::Json, Outcome::Error { code, message }) => {
            print(&format!(
                "{}\n",
                serde_json::json!({"error": {"code": code, "message": message}})
            ));
            return 1;
        }
        (ListFormat::Human, Outcome::Value(value)) => print(&format!("{}\n", pretty(&value))),
        (ListFormat::Human, Outcome::Undefined) => print("undefined\n"),
        (ListFormat::Human, Outcome::Error { code, message }) => {
            eprintln!("error[{code}]: {message}");
            return 1;
        }
    }
    0
}
