//! `aslkit test --update`: the actual outputs of failing `output` expectations (the
//! execution's, and a state's `states.<Name>.output`) written back into the suite file.
//!
//! Each edit replaces exactly the bytes of the expected value (located through the suite's
//! span index) and nothing else, so comments, key order and formatting elsewhere stay as they
//! are. JSON suites get pretty JSON indented like the line it starts on; YAML suites get JSON
//! on one line, which is YAML's flow style. A second run finds the expectations holding and
//! changes nothing.

use std::ops::Range;

use serde_json::Value;

use super::suite::Suite;
use super::{SuiteResult, Verdict};
use crate::source::Syntax;

/// One replacement in a suite's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// The edits that make the failing `output` expectations of `results` hold.
pub fn edits(suite: &Suite, results: &SuiteResult) -> Vec<Edit> {
    let mut out = Vec::new();
    for test in &results.tests {
        let Verdict::Failed(mismatches) = &test.verdict else {
            continue;
        };
        for m in mismatches {
            if !updatable(m) {
                continue;
            }
            let Some(span) = suite.spans.get(&m.pointer) else {
                continue;
            };
            let range = span.value.clone();
            out.push(Edit {
                text: render(&suite.text, range.start, suite.syntax, &m.actual),
                range,
            });
        }
    }
    out.sort_by_key(|e| e.range.start);
    out.dedup_by(|a, b| a.range.start < b.range.end);
    out
}

/// Whether `--update` rewrites this expectation: an exact `output`, of the execution or of a
/// state.
pub fn updatable(m: &super::expect::Mismatch) -> bool {
    m.what == "output" || (m.what.starts_with("states.") && m.what.ends_with(".output"))
}

/// `text` with `edits` (sorted, not overlapping) made.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn render(text: &str, start: usize, syntax: Syntax, value: &Value) -> String {
    match syntax {
        Syntax::Yaml | Syntax::Terraform => flow(value),
        Syntax::Json => {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..start]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let pretty = super::diff::pretty(value);
            pretty.replace('\n', &format!("\n{indent}"))
        }
    }
}

/// JSON on one line with a space after `:` and `,`: valid YAML flow style as well as JSON.
fn flow(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::Object(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flow_style_is_yaml_and_json() {
        let v = json!({"a": [1, "x"], "b": {"c": null}});
        let text = flow(&v);
        assert_eq!(text, r#"{"a": [1, "x"], "b": {"c": null}}"#);
        let back = crate::source::yaml::parse(&text).unwrap().value;
        assert_eq!(back, v);
    }

    #[test]
    fn edits_replace_only_their_bytes() {
        let text = "a: 1 # keep\nb: 2\n";
        let edits = [Edit {
            range: 3..4,
            text: "{\"x\": 1}".into(),
        }];
        assert_eq!(apply(text, &edits), "a: {\"x\": 1} # keep\nb: 2\n");
    }
}
