//! `aslkit eval`: one expression, evaluated as a state would (see `crate::eval`).

use std::io::Write;

use super::{read_json, usage_error, write, EvalArgs, ExitStatus, ListFormat};
use crate::eval::Outcome;

pub fn run(args: EvalArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    // With `--format json` a usage error (exit 2) is also a JSON error object on standard
    // output, so a script always reads one document.
    let refuse = |stdout: &mut dyn Write, stderr: &mut dyn Write, code: &str, message: &str| {
        let status = usage_error(stderr, message);
        if args.format == ListFormat::Json {
            write(stdout, &super::json_error(code, &format!("error: {message}")));
        }
        status
    };
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input,
        Err(message) => return refuse(stdout, stderr, "aslkit.Input", &message),
    };
    let bindings = match args.bindings.as_deref().map(read_json).transpose() {
        Ok(None) => serde_json::Map::new(),
        Ok(Some(serde_json::Value::Object(map))) => map,
        Ok(Some(_)) => {
            return refuse(
                stdout,
                stderr,
                "aslkit.Bindings",
                "--bindings must be a JSON object: {\"name\": value, …}",
            )
        }
        Err(message) => return refuse(stdout, stderr, "aslkit.Bindings", &message),
    };
    let outcome = crate::eval::evaluate(args.query_language.into(), &args.expression, input.as_ref(), &bindings);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match (args.format, outcome) {
        (ListFormat::Json, Outcome::Value(value)) => {
            write(stdout, &format!("{}\n", serde_json::json!({ "value": value })))
        }
        (ListFormat::Json, Outcome::Undefined) => write(stdout, "{\"undefined\":true}\n"),
        (ListFormat::Json, Outcome::Error { code, message }) => {
            write(
                stdout,
                &format!("{}\n", serde_json::json!({"error": {"code": code, "message": message}})),
            );
            return ExitStatus::Findings;
        }
        (ListFormat::Human, Outcome::Value(value)) => write(stdout, &format!("{}\n", pretty(&value))),
        (ListFormat::Human, Outcome::Undefined) => write(stdout, "undefined\n"),
        (ListFormat::Human, Outcome::Error { code, message }) => {
            write(stderr, &format!("error[{code}]: {message}\n"));
            return ExitStatus::Findings;
        }
    }
    ExitStatus::Success
}
