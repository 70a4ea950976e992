//! How a simulated execution is shown: the `--format json` contract of DESIGN.md, and a human
//! view — the path taken, one line per state entered (indented for nested states) with its
//! input → output, then the final status and output or error and cause.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::excerpt::{escape_controls, escape_controls_keep_lines};
use crate::simulate::{Execution, Status};

/// The document of `aslkit simulate --format json` (DESIGN.md, version 1). `render::trace` reads
/// it back: what a trace needs (`states[].name`) is required, the rest defaults when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimulationOutput {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub output: Option<Value>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub cause: Option<String>,
    pub states: Vec<StateEntered>,
    /// `--stats`: counts, durations and cost (`simulate::stats`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Value>,
}

/// A state entered, in the order entered (nested ones included).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StateEntered {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub pointer: Option<String>,
    #[serde(default)]
    pub input: Value,
    /// `null` when the state failed.
    #[serde(default)]
    pub output: Option<Value>,
    #[serde(default)]
    pub attempts: u32,
}

impl SimulationOutput {
    pub fn new(execution: &Execution) -> Self {
        SimulationOutput {
            status: Some(execution.status.as_str().to_string()),
            output: execution.output.clone(),
            error: execution.error.clone().filter(|e| !e.is_empty()),
            cause: execution.cause.clone(),
            states: execution
                .states
                .iter()
                .map(|s| StateEntered {
                    name: s.name.clone(),
                    kind: s.kind.clone(),
                    pointer: Some(s.pointer.clone()),
                    input: Value::clone(&s.input),
                    output: s.output.as_deref().cloned(),
                    attempts: s.attempts,
                })
                .collect(),
            stats: None,
        }
    }
}

/// The JSON document of `aslkit simulate --format json`.
pub fn to_json(execution: &Execution) -> Value {
    serde_json::to_value(SimulationOutput::new(execution)).unwrap_or_default()
}

/// Writes the document of `aslkit simulate --format json` (with `stats`, from `--stats`) to
/// `out` as it serialises: the same bytes as [`SimulationOutput`] serialised, without copying
/// every state's input and output into it first.
pub fn write_json(execution: &Execution, stats: Option<&Value>, out: impl std::io::Write) -> std::io::Result<()> {
    let document = Document {
        status: execution.status.as_str(),
        output: execution.output.as_ref(),
        error: execution.error.as_deref().filter(|e| !e.is_empty()),
        cause: execution.cause.as_deref(),
        states: States(execution),
        stats,
    };
    serde_json::to_writer(out, &document).map_err(std::io::Error::from)
}

/// [`SimulationOutput`], borrowed from the execution (the same fields in the same order).
#[derive(Serialize)]
struct Document<'a> {
    status: &'a str,
    output: Option<&'a Value>,
    error: Option<&'a str>,
    cause: Option<&'a str>,
    states: States<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a Value>,
}

/// The states entered, each as [`StateEntered`] serialises.
struct States<'a>(&'a Execution);

impl Serialize for States<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.states.iter().map(|s| StateRef {
            name: &s.name,
            kind: &s.kind,
            pointer: &s.pointer,
            input: &s.input,
            output: s.output.as_deref(),
            attempts: s.attempts,
        }))
    }
}

#[derive(Serialize)]
struct StateRef<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    pointer: &'a str,
    input: &'a Value,
    output: Option<&'a Value>,
    attempts: u32,
}

/// The document of `aslkit simulate --format history`: `{"events": [...]}`, each event as
/// `GetExecutionHistory` returns it.
pub fn history_json(execution: &Execution) -> Value {
    json!({"events": execution.history.iter().map(|e| e.to_json()).collect::<Vec<_>>()})
}

/// Writes [`history_json`] to `out`, an event at a time.
pub fn write_history(execution: &Execution, mut out: impl std::io::Write) -> std::io::Result<()> {
    out.write_all(b"{\"events\":[")?;
    for (i, event) in execution.history.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut out, &event.to_json())?;
    }
    out.write_all(b"]}")
}

/// Values longer than this are cut in the human view.
const SHOWN_CHARS: usize = 96;

/// The human view: each state entered (nested ones indented) with its input and output, then
/// the outcome.
pub fn to_human(execution: &Execution) -> String {
    let mut out = String::new();
    for s in &execution.states {
        let indent = "  ".repeat(s.depth);
        let retries = if s.attempts > 1 {
            format!("  ({} attempts)", s.attempts)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{indent}▸ {} ({}){retries}\n",
            escape_controls(&s.name),
            escape_controls(&s.kind)
        ));
        out.push_str(&format!("{indent}    in   {}\n", short(&s.input)));
        let output = match s.output.as_deref() {
            Some(v) => describe_output(&s.input, v),
            None => "✗ failed".to_string(),
        };
        out.push_str(&format!("{indent}    out  {output}\n"));
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
                escape_controls(execution.error.as_deref().filter(|e| !e.is_empty()).unwrap_or("null"))
            ));
            if let Some(cause) = &execution.cause {
                out.push_str(&format!("cause: {}\n", escape_controls_keep_lines(cause)));
            }
        }
    }
    out
}

/// The output, said relative to the input when that is shorter: most states add a field
/// (`ResultPath`) or drop a few, and the full object would be cut before the change shows.
fn describe_output(input: &Value, output: &Value) -> String {
    if input == output {
        return "(the input, unchanged)".to_string();
    }
    if let (Value::Object(before), Value::Object(after)) = (input, output) {
        let changed: serde_json::Map<String, Value> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
        let kept = after.len() - changed.len();
        if kept > 0 && removed.len() <= 3 {
            let mut text = String::from("the input");
            if !changed.is_empty() {
                text.push_str(" with ");
                text.push_str(&short(&Value::Object(changed)));
            }
            if !removed.is_empty() {
                let names: Vec<String> = removed.iter().map(|k| format!("\"{k}\"")).collect();
                text.push_str(&format!(" without {}", names.join(", ")));
            }
            return text;
        }
    }
    short(output)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outputs_are_told_relative_to_the_input() {
        let input = json!({"order": 1, "customer": "c"});
        assert_eq!(describe_output(&input, &input), "(the input, unchanged)");
        assert_eq!(
            describe_output(&input, &json!({"order": 1, "customer": "c", "charge": {"ok": true}})),
            r#"the input with {"charge":{"ok":true}}"#
        );
        assert_eq!(
            describe_output(&input, &json!({"order": 1})),
            r#"the input without "customer""#
        );
        assert_eq!(describe_output(&input, &json!({"total": 3})), r#"{"total":3}"#);
        assert_eq!(describe_output(&input, &json!([1, 2])), "[1,2]");
    }
}
