//! How a simulated execution is shown: the `--format json` contract of DESIGN.md, and a human
//! view — the path taken, one line per state entered (indented for nested states) with its
//! input → output, then the final status and output or error and cause.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use std::io::{self, Write};

use super::excerpt::{escape_controls, escape_controls_keep_lines};
use crate::simulate::{Execution, Payload, Status};

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
                    name: s.name.to_string(),
                    kind: s.kind.to_string(),
                    pointer: Some(s.pointer.to_string()),
                    input: s.input.value().into_owned(),
                    output: s.output.as_ref().map(|o| o.value().into_owned()),
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
/// `out` as it goes: the same bytes as [`SimulationOutput`] serialised, without copying every
/// state's input and output into it first, and with payloads kept as JSON text written as they
/// are.
pub fn write_json(execution: &Execution, stats: Option<&Value>, mut out: impl Write) -> io::Result<()> {
    out.write_all(b"{\"status\":")?;
    serde_json::to_writer(&mut out, execution.status.as_str())?;
    out.write_all(b",\"output\":")?;
    serde_json::to_writer(&mut out, &execution.output)?;
    out.write_all(b",\"error\":")?;
    serde_json::to_writer(&mut out, &execution.error.as_deref().filter(|e| !e.is_empty()))?;
    out.write_all(b",\"cause\":")?;
    serde_json::to_writer(&mut out, &execution.cause)?;
    out.write_all(b",\"states\":[")?;
    for (i, s) in execution.states.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"name\":")?;
        serde_json::to_writer(&mut out, &*s.name)?;
        out.write_all(b",\"type\":")?;
        serde_json::to_writer(&mut out, s.kind)?;
        out.write_all(b",\"pointer\":")?;
        serde_json::to_writer(&mut out, &*s.pointer)?;
        out.write_all(b",\"input\":")?;
        write_payload(&mut out, Some(&s.input))?;
        out.write_all(b",\"output\":")?;
        write_payload(&mut out, s.output.as_ref())?;
        write!(out, ",\"attempts\":{}}}", s.attempts)?;
    }
    out.write_all(b"]")?;
    if let Some(stats) = stats {
        out.write_all(b",\"stats\":")?;
        serde_json::to_writer(&mut out, stats)?;
    }
    out.write_all(b"}")
}

fn write_payload(out: &mut impl Write, payload: Option<&Payload>) -> io::Result<()> {
    match payload {
        Some(Payload::Json(text)) => out.write_all(text.as_bytes()),
        Some(Payload::Value(value)) => serde_json::to_writer(out, &**value).map_err(io::Error::from),
        Some(Payload::Omitted) | None => out.write_all(b"null"),
    }
}

/// The document of `aslkit simulate --format history`: `{"events": [...]}`, each event as
/// `GetExecutionHistory` returns it.
pub fn history_json(execution: &Execution) -> Value {
    json!({"events": execution.history.iter().map(|e| e.to_json()).collect::<Vec<_>>()})
}

/// Writes [`history_json`] to `out`, an event at a time.
pub fn write_history(execution: &Execution, mut out: impl Write) -> io::Result<()> {
    out.write_all(b"{\"events\":[")?;
    for (i, event) in execution.history.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        event.write_json(&mut out)?;
    }
    out.write_all(b"]}")
}

/// Values longer than this are cut in the human view.
const SHOWN_CHARS: usize = 96;

/// The human view: each state entered (nested ones indented) with its input and output, then
/// the outcome.
pub fn to_human(execution: &Execution) -> String {
    let mut out = Vec::new();
    // Writing to a vector cannot fail, and only UTF-8 text is written.
    let _ = write_human(execution, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`to_human`] to `out` a state at a time, instead of building the whole text first.
pub fn write_human(execution: &Execution, mut out: impl Write) -> io::Result<()> {
    for s in &execution.states {
        let indent = "  ".repeat(s.depth);
        let retries = if s.attempts > 1 {
            format!("  ({} attempts)", s.attempts)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{indent}▸ {} ({}){retries}",
            escape_controls(&s.name),
            escape_controls(s.kind)
        )?;
        let input = s.input.value();
        writeln!(out, "{indent}    in   {}", short(&input))?;
        let output = match &s.output {
            Some(v) => describe_output(&input, &v.value()),
            None => "✗ failed".to_string(),
        };
        writeln!(out, "{indent}    out  {output}")?;
    }
    writeln!(out)?;
    match execution.status {
        Status::Succeeded => {
            let output = execution.output.as_ref().map(pretty).unwrap_or_default();
            writeln!(out, "SUCCEEDED\n{output}")?;
        }
        status => {
            writeln!(
                out,
                "{}  error: {}",
                status.as_str(),
                escape_controls(execution.error.as_deref().filter(|e| !e.is_empty()).unwrap_or("null"))
            )?;
            if let Some(cause) = &execution.cause {
                writeln!(out, "cause: {}", escape_controls_keep_lines(cause))?;
            }
        }
    }
    Ok(())
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

    /// The JSON view written as it goes is the [`SimulationOutput`] document, byte for byte,
    /// whichever way the run kept its payloads.
    #[test]
    fn the_written_document_is_the_serialised_one() {
        use crate::simulate::{self, Options, Payloads, Record};
        let machine = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "M", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"é\"\n": 1.5}, "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "End": true}}}]},
            "M": {"Type": "Map", "Next": "F", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "End": true}}}},
            "F": {"Type": "Fail", "Error": "Boom", "Cause": "line\nbreak"}
        }});
        for payloads in [Payloads::Values, Payloads::Json, Payloads::Omitted] {
            let options = Options {
                record: Record {
                    payloads,
                    history_details: false,
                },
                ..Options::default()
            };
            let execution = simulate::run(&machine, "", json!([{"a": [1, -2, 3.25e-7]}, null]), &options).unwrap();
            assert_eq!(execution.states.len(), 7);
            for stats in [None, Some(json!({"transitions": 7}))] {
                let mut document = SimulationOutput::new(&execution);
                document.stats = stats.clone();
                let mut written = Vec::new();
                write_json(&execution, stats.as_ref(), &mut written).unwrap();
                assert_eq!(
                    String::from_utf8(written).unwrap(),
                    serde_json::to_string(&document).unwrap()
                );
            }
        }
        // The history, with its details: written as it goes, the same bytes as built.
        let execution = simulate::run(&machine, "", json!([{"a": "\u{1}é"}, 2]), &Options::default()).unwrap();
        assert!(execution.history.len() > 20);
        let mut written = Vec::new();
        write_history(&execution, &mut written).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            history_json(&execution).to_string()
        );
    }
}
