//! How a simulated execution is shown: the `--format json` contract of DESIGN.md, and a human
//! view — the path taken, one line per state entered (indented for nested states) with its
//! input → output, then the final status and output or error and cause.

use serde_json::{json, Value};

use crate::simulate::{Execution, Status};

/// The JSON document of `aslkit simulate --format json`.
pub fn to_json(execution: &Execution) -> Value {
    let states: Vec<Value> = execution
        .states
        .iter()
        .map(|s| {
            json!({
                "name": s.name, "type": s.kind, "pointer": s.pointer,
                "input": s.input, "output": s.output, "attempts": s.attempts,
            })
        })
        .collect();
    json!({
        "status": execution.status.as_str(),
        "output": execution.output,
        "error": execution.error.as_ref().filter(|e| !e.is_empty()),
        "cause": execution.cause,
        "states": states,
    })
}

/// Values longer than this are cut in the human view.
const SHOWN_CHARS: usize = 60;

/// The human view.
pub fn to_human(execution: &Execution) -> String {
    let mut out = String::new();
    for s in &execution.states {
        let indent = "  ".repeat(s.depth);
        let output = match &s.output {
            Some(v) => short(v),
            None => "✗".to_string(),
        };
        let retries = if s.attempts > 1 {
            format!("  ({} attempts)", s.attempts)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{indent}{} ({}): {} → {output}{retries}\n",
            s.name,
            s.kind,
            short(&s.input)
        ));
    }
    out.push('\n');
    match execution.status {
        Status::Succeeded => {
            let output = execution.output.as_ref().map(pretty).unwrap_or_default();
            out.push_str(&format!("SUCCEEDED\n{output}\n"));
        }
        status => {
            out.push_str(&format!(
                "{}  error: {}\n",
                status.as_str(),
                execution.error.as_deref().filter(|e| !e.is_empty()).unwrap_or("null")
            ));
            if let Some(cause) = &execution.cause {
                out.push_str(&format!("cause: {cause}\n"));
            }
        }
    }
    out
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SHOWN_CHARS - 1).collect();
    format!("{cut}…")
}
