//! Words for messages: types and values in English, lists joined with "or", suggestions.

use serde_json::Value;

use super::{AWS_CODE, JSONATA_PATTERN};
use crate::check::registry::RuleMeta;
use crate::diagnostic::Diagnostic;
use crate::suggest;

pub(super) const JSONATA_HELP: &str =
    "in a JSONata state a string is accepted here only as a whole expression: \"{% … %}\"";
pub(super) const INTRINSIC_HELP: &str = "an object is accepted here only as a CloudFormation intrinsic function with one key, such as {\"Fn::GetAtt\": [\"MyFunction\", \"Arn\"]} or {\"Ref\": \"MyActivity\"}";

/// The allowed field an unknown one probably meant: a close spelling, or the only field it is
/// the beginning of (`Timeout` for `TimeoutSeconds`).
pub(super) fn suggestion<'f>(key: &str, allowed: &'f [String]) -> Option<&'f str> {
    suggest::closest(key, allowed.iter().map(String::as_str)).or_else(|| {
        let lower = key.to_lowercase();
        let mut longer = allowed
            .iter()
            .filter(|f| key.len() >= 4 && f.to_lowercase().starts_with(&lower));
        match (longer.next(), longer.next()) {
            (Some(only), None) => Some(only.as_str()),
            _ => None,
        }
    })
}

/// How to resolve two fields that exclude each other.
pub(super) fn conflict_help(first: &str, second: &str) -> String {
    let pair = |fixed: &str, path: &str| path.strip_suffix("Path") == Some(fixed);
    let fixed = if pair(first, second) {
        Some(first)
    } else if pair(second, first) {
        Some(second)
    } else {
        None
    };
    match fixed {
        Some(f) => format!("use `{f}` for a fixed value, or `{f}Path` to read the value from the state input"),
        None => "keep only one of them".to_string(),
    }
}

/// `Pass` for `/$defs/PassState`, the schema of one state type.
pub(super) fn state_def_type(location: &str) -> Option<&str> {
    let name = location.strip_prefix("/$defs/")?;
    if name.contains('/') {
        return None;
    }
    name.strip_suffix("State").filter(|t| !t.is_empty())
}

pub(super) fn node_has_jsonata(node: Option<&Value>) -> bool {
    node.and_then(|n| n.get("pattern"))
        .and_then(Value::as_str)
        .is_some_and(|p| p == JSONATA_PATTERN)
}

pub(super) fn types_of(node: Option<&Value>) -> Vec<&str> {
    match node.and_then(|n| n.get("type")) {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

pub(super) fn describe_types(types: &[&str]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| {
            match *t {
                "integer" => "an integer",
                "number" => "a number",
                "string" => "a string",
                "object" => "an object",
                "array" => "an array",
                "boolean" => "true or false",
                "null" => "null",
                other => other,
            }
            .to_string()
        })
        .collect();
    if names.is_empty() {
        "a value of another type".to_string()
    } else {
        join_or(&names, "or")
    }
}

/// A value's type in words; numbers are shown, since `1.5` says more than "a number".
pub(super) fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "a number",
        other => crate::check::describe_type(other),
    }
}

/// A value as it appears in JSON, shortened when long.
pub(super) fn show_value(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}…")
    } else {
        text
    }
}

/// "a", "a or b", "a, b or c".
pub(super) fn join_or(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

pub(super) fn plural_fields(names: &[String]) -> String {
    if names.len() == 1 {
        format!("field {}", names[0])
    } else {
        format!("fields {}", join_or(names, "and"))
    }
}

pub(super) fn finish(d: Diagnostic, meta: &RuleMeta) -> Diagnostic {
    d.severity(meta.severity).aws_code(AWS_CODE)
}

pub(super) fn parent(location: &str) -> &str {
    location.rfind('/').map_or("", |i| &location[..i])
}
