//! A definition file named by a template (`DefinitionUri`, Serverless `${file(…)}`), read the
//! way CloudFormation reads a definition from S3: text with substitutions first.
//!
//! CloudFormation replaces each `${Name}` of `DefinitionSubstitutions` in the *text*, then parses
//! JSON, and when that fails parses YAML and converts it to JSON. So in such a file
//!
//! - an unquoted placeholder (`"TimeoutSeconds": ${Timeout}`) is a value of whatever type it is
//!   filled with: it is read as an unknown of the right type ([`crate::unknown`]), located at the
//!   placeholder, while the document's value keeps the placeholder text (so `ASL005` can still
//!   check its key);
//! - text that is not JSON but is YAML (a trailing comma) deploys; it is reported as a warning
//!   (`ASL007`), because the Step Functions API and console do not accept it.
//!
//! Placeholders are masked before parsing with a number of the same length (`0` and spaces),
//! so every offset the parsers report is an offset of the text as written.

use std::ops::Range;

use serde_json::Value;

use super::json::{self, Parsed, SyntaxError};
use super::yaml;

/// A definition file read with its substitutions.
#[derive(Debug)]
pub struct Read {
    /// The value with each unquoted placeholder as its text (`"${Timeout}"`).
    pub parsed: Parsed,
    /// The value to check: each unquoted placeholder an unknown; `None` when there is none.
    pub view: Option<Value>,
    /// Why the text is not JSON, when it was read through the YAML fallback.
    pub not_json: Option<SyntaxError>,
}

/// Reads JSON text as CloudFormation does (see the module docs); the JSON error when neither
/// reading succeeds.
pub fn parse_json(text: &str) -> Result<Read, SyntaxError> {
    let (masked, placeholders) = mask(text);
    let (mut parsed, not_json) = match json::parse(&masked) {
        Ok(parsed) => (parsed, None),
        Err(json_error) => match yaml::parse(&masked) {
            Ok(parsed) if parsed.value.is_object() => (parsed, Some(json_error)),
            _ => return Err(json_error),
        },
    };
    let view = unmask(text, &mut parsed, &placeholders);
    Ok(Read { parsed, view, not_json })
}

/// The text with every `${…}` outside a JSON string replaced by `0` and spaces, and the byte
/// ranges replaced.
fn mask(text: &str) -> (String, Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut masked = Vec::with_capacity(bytes.len());
    let mut ranges = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !in_string && bytes[i..].starts_with(b"${") {
            let close = bytes[i..]
                .iter()
                .position(|&c| matches!(c, b'}' | b'"' | b'\n'))
                .filter(|&at| bytes[i + at] == b'}');
            if let Some(close) = close {
                masked.push(b'0');
                masked.extend(std::iter::repeat_n(b' ', close));
                ranges.push(i..i + close + 1);
                i += close + 1;
                continue;
            }
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        }
        masked.push(b);
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    (String::from_utf8(masked).unwrap_or_else(|_| text.to_string()), ranges)
}

/// Puts each placeholder's text back where its mask was parsed as a number, and builds the view
/// with unknowns in those places.
fn unmask(text: &str, parsed: &mut Parsed, placeholders: &[Range<usize>]) -> Option<Value> {
    if placeholders.is_empty() {
        return None;
    }
    let masked: Vec<(String, Range<usize>)> = parsed
        .spans
        .iter()
        .filter_map(|(pointer, span)| {
            let range = placeholders.iter().find(|r| r.start == span.value.start)?;
            Some((pointer.clone(), range.clone()))
        })
        .collect();
    let mut view = parsed.value.clone();
    for (pointer, range) in masked {
        let placeholder = &text[range.clone()];
        if let Some(node) = parsed.value.pointer_mut(&pointer) {
            *node = Value::String(placeholder.to_string());
        }
        if let Some(node) = view.pointer_mut(&pointer) {
            *node = crate::unknown::stand_in(placeholder);
        }
        if let Some(span) = parsed.spans.get(&pointer).cloned() {
            parsed.spans.insert(
                pointer,
                json::NodeSpan {
                    key: span.key,
                    value: range,
                },
            );
        }
    }
    Some(view)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn unquoted_placeholders_are_unknowns_located_at_the_placeholder() {
        let text = r#"{"TimeoutSeconds": ${Timeout}, "Comment": "${Kept} as text", "N": [${A}]}"#;
        let read = parse_json(text).unwrap();
        assert!(read.not_json.is_none());
        assert_eq!(
            read.parsed.value,
            json!({"TimeoutSeconds": "${Timeout}", "Comment": "${Kept} as text", "N": ["${A}"]})
        );
        assert_eq!(
            read.view.unwrap(),
            json!({"TimeoutSeconds": {"Fn::Sub": "${Timeout}"}, "Comment": "${Kept} as text", "N": [{"Fn::Sub": "${A}"}]})
        );
        let span = read.parsed.spans.get("/TimeoutSeconds").unwrap();
        assert_eq!(&text[span.value.clone()], "${Timeout}");
    }

    #[test]
    fn a_trailing_comma_is_read_through_the_yaml_fallback() {
        let text = "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": ${S},}}}";
        let read = parse_json(text).unwrap();
        let error = read.not_json.unwrap();
        assert_eq!(&text[error.offset..error.offset + 1], "}");
        assert_eq!(read.parsed.value["States"]["A"]["Seconds"], json!("${S}"));
        let span = read.parsed.spans.get("/States/A/Seconds").unwrap();
        assert_eq!(&text[span.value.clone()], "${S}");
    }

    #[test]
    fn text_that_is_neither_stays_a_json_error() {
        assert!(parse_json("{\"a\": [}").is_err());
        assert!(parse_json("just text").is_err());
    }
}
