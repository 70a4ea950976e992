//! Diagnostics about a value: of the wrong type, not one of the allowed values, out of range.

use serde_json::Value;

use super::errors::{Kind, Raw};
use super::words::{
    describe_types, describe_value, finish, join_or, node_has_jsonata, parent, show_value, types_of, INTRINSIC_HELP,
    JSONATA_HELP,
};
use super::{Translator, JSONATA_PATTERN};
use crate::check::registry::RuleMeta;
use crate::check::rules::{
    conflicting_fields::ConflictingFields, invalid_type::InvalidType, invalid_value::InvalidValue,
    value_out_of_range::ValueOutOfRange,
};
use crate::diagnostic::Diagnostic;
use crate::pointer::lookup;
use crate::suggest;

/// The value an error is about, and what the schema says of it.
struct Found<'a> {
    /// The value as the subject of a sentence: `` `Seconds` ``, `state "A"`.
    subject: String,
    /// The schema node that failed.
    node: Option<&'a Value>,
    value: Option<&'a Value>,
    /// The value as JSON, shortened.
    shown: String,
}

impl Translator<'_> {
    pub(super) fn value_error(&self, e: &Raw) -> Diagnostic {
        let value = lookup(self.machine, &e.path);
        let found = Found {
            subject: self.subject(&e.path),
            node: self.node(parent(&e.schema_path)),
            value,
            shown: value.map(show_value).unwrap_or_default(),
        };
        let description = found.node.and_then(|n| n.get("description")).and_then(Value::as_str);
        let at = self.absolute(&e.path);
        let (meta, d) = match &e.kind {
            Kind::Type(expected) => wrong_type(&found, expected),
            Kind::Pattern(pattern) if pattern == JSONATA_PATTERN => string_for_jsonata(&found),
            Kind::NotIntrinsic => (
                &InvalidType::META,
                Diagnostic::new(
                    InvalidType::META.code,
                    format!("{} must be a string, not an object", found.subject),
                )
                .label("not a CloudFormation intrinsic function")
                .help(INTRINSIC_HELP),
            ),
            Kind::Enum(options) if e.schema_path == "/$defs/StateType/enum" => {
                return finish(unknown_state_type(&found, options).at_value(at), &InvalidValue::META);
            }
            Kind::Enum(options) => (&InvalidValue::META, not_allowed(&found, options)),
            Kind::Const(expected) => (
                &InvalidValue::META,
                Diagnostic::new(
                    InvalidValue::META.code,
                    format!("{} must be {}", found.subject, show_value(expected)),
                )
                .label(format!("expected {}", show_value(expected))),
            ),
            Kind::Bound => (&ValueOutOfRange::META, out_of_range(&found)),
            Kind::Count(keyword, limit) => (&ValueOutOfRange::META, wrong_count(&found, keyword, *limit)),
            Kind::Excludes(fields) => {
                let present: Vec<&String> = match value {
                    Some(Value::Object(o)) => o.keys().filter(|k| fields.contains(k)).collect(),
                    _ => fields.iter().collect(),
                };
                return finish(self.conflict(&e.path, &present, None), &ConflictingFields::META);
            }
            Kind::Pattern(_) | Kind::Other(_) | Kind::Unknown(_) | Kind::Required(_) | Kind::OneOf(_) | Kind::AnyOf => {
                (
                    &InvalidValue::META,
                    Diagnostic::new(
                        InvalidValue::META.code,
                        format!("{} does not have an allowed form", found.subject),
                    )
                    .label("not allowed here"),
                )
            }
        };
        let d = match description {
            Some(text) if !matches!(e.kind, Kind::NotIntrinsic) => d.note(text),
            _ => d,
        };
        finish(d.at_value(at), meta)
    }
}

/// A value of a JSON type the schema does not allow here.
fn wrong_type(found: &Found, expected: &[&str]) -> (&'static RuleMeta, Diagnostic) {
    let jsonata = node_has_jsonata(found.node);
    let intrinsic = found
        .node
        .is_some_and(|n| n.get("$ref").is_some() && expected.contains(&"object"));
    // The string a JSONata expression takes and the object of a CloudFormation intrinsic are not
    // what the user is asked for.
    let wanted: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|t| !(jsonata && *t == "string" || intrinsic && *t == "object"))
        .collect();
    let wanted = describe_types(&wanted);
    let actual = found.value.map(describe_value).unwrap_or("missing");
    let mut d = Diagnostic::new(
        InvalidType::META.code,
        format!("{} must be {wanted}, not {actual}", found.subject),
    )
    .label(format!("expected {wanted}"));
    if intrinsic {
        d = d.help(INTRINSIC_HELP);
    }
    if wanted == "an array" && found.value.is_some_and(|v| !v.is_object()) {
        d = d.help(format!("write it as an array: [{}]", found.shown));
    }
    (&InvalidType::META, d)
}

/// A string where a number or an array is wanted, which would be accepted only as a whole
/// JSONata expression.
fn string_for_jsonata(found: &Found) -> (&'static RuleMeta, Diagnostic) {
    let expected: Vec<&str> = types_of(found.node).into_iter().filter(|t| *t != "string").collect();
    let wanted = describe_types(&expected);
    // `"10"` for `10`: the number was quoted.
    let unquoted = found
        .value
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s.trim()).ok())
        .filter(|v| v.is_number() && (expected.contains(&"number") || v.as_i64().is_some() || v.as_u64().is_some()));
    let help = match unquoted {
        Some(number) => format!("write the number without quotes: {number}"),
        None => JSONATA_HELP.to_string(),
    };
    let d = Diagnostic::new(
        InvalidType::META.code,
        format!("{} must be {wanted}, not a string", found.subject),
    )
    .label(format!("expected {wanted}"))
    .help(help);
    (&InvalidType::META, d)
}

/// A `Type` that is not one of the eight state types.
fn unknown_state_type(found: &Found, options: &[Value]) -> Diagnostic {
    let names: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
    Diagnostic::new(InvalidValue::META.code, format!("unknown state type {}", found.shown))
        .label("not a state type")
        .maybe_help(
            found
                .value
                .and_then(Value::as_str)
                .and_then(|v| suggest::did_you_mean(v, names.iter().copied())),
        )
        .note(format!("state types: {}", names.join(", ")))
}

/// A value that is not one of an enumeration's.
fn not_allowed(found: &Found, options: &[Value]) -> Diagnostic {
    let names: Vec<String> = options.iter().map(show_value).collect();
    let wanted = if names.len() > 2 {
        format!("one of {}", names.join(", "))
    } else {
        join_or(&names, "or")
    };
    let candidates: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
    Diagnostic::new(
        InvalidValue::META.code,
        format!("{} must be {wanted}, not {}", found.subject, found.shown),
    )
    .label("not an allowed value")
    .maybe_help(
        found
            .value
            .and_then(Value::as_str)
            .and_then(|v| suggest::did_you_mean(v, candidates.iter().copied())),
    )
}

/// A number below `minimum` or above `maximum`.
fn out_of_range(found: &Found) -> Diagnostic {
    let min = found.node.and_then(|n| n.get("minimum"));
    let max = found.node.and_then(|n| n.get("maximum"));
    let range = match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "within its allowed range".to_string(),
    };
    Diagnostic::new(
        ValueOutOfRange::META.code,
        format!("{} must be {range}, not {}", found.subject, found.shown),
    )
    .label("out of range")
}

/// An array with too few or too many entries, a string too short or too long.
fn wrong_count(found: &Found, keyword: &str, limit: u64) -> Diagnostic {
    let subject = &found.subject;
    let count = match found.value {
        Some(Value::Array(a)) => a.len(),
        Some(Value::String(s)) => s.chars().count(),
        _ => 0,
    };
    let (message, label) = match (keyword, limit) {
        ("minItems", 1) => (format!("{subject} must not be empty"), "empty".to_string()),
        ("minItems", n) => (
            format!("{subject} must have at least {n} entries, not {count}"),
            "too few entries".to_string(),
        ),
        ("maxItems", n) => (
            format!("{subject} must have at most {n} entries, not {count}"),
            "too many entries".to_string(),
        ),
        ("minLength", n) => (
            format!("{subject} must be at least {n} characters long, not {count}"),
            "too short".to_string(),
        ),
        (_, n) => (
            format!("{subject} must be at most {n} characters long, not {count}"),
            format!("{count} characters"),
        ),
    };
    Diagnostic::new(ValueOutOfRange::META.code, message).label(label)
}
