//! What the path, intrinsic and query-language rules share about the expressions of a state:
//! where they are (from the field catalogue, `model::fields`), why a state uses its query
//! language, where inside a string a problem is, and walks over the members and strings of a
//! template.

use serde_json::{Map, Value};

use crate::diagnostic::Location;
use crate::expr::intrinsics::Call;
use crate::expr::Span;
use crate::model::{get_field, QueryLanguage, State, StateMachine};
use crate::pointer::child;

pub use crate::model::choice::{rules as choice_rules, ChoiceRule};
pub use crate::model::fields::{
    catchers, jsonata_templates, path_fields, payload_templates, PathField, PathKind, Template,
};

/// The intrinsic functions whose result `ErrorPath` and `CausePath` may use: those that return a
/// string (Fail state docs).
pub const STRING_INTRINSICS: [&str; 7] = [
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

/// The place of `span` inside the string `text` found at `pointer`. An empty span (an error "at
/// the end") is widened to the character before it, so that there is something to underline.
pub fn in_string(pointer: &str, text: &str, span: Span) -> Location {
    let len = text.chars().count();
    let (start, end) = if span.start < span.end {
        (span.start, span.end.min(len.max(span.start + 1)))
    } else if span.start < len {
        (span.start, span.start + 1)
    } else {
        (len.saturating_sub(1), len)
    };
    Location::in_string(pointer, start, end)
}

/// Why a state uses the query language it does, for messages ("declared on the state",
/// "inherited from the top level", "the default"), and where it is declared, if anywhere.
pub fn query_language_reason(machine: &StateMachine, state: &State) -> (String, Option<Location>) {
    let declared = |object: Option<&Map<String, Value>>| {
        object
            .and_then(|o| get_field(o, "QueryLanguage"))
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse)
    };
    if declared(state.object).is_some() {
        (
            "declared on the state".to_string(),
            Some(Location::value(state.field_pointer("QueryLanguage"))),
        )
    } else if declared(machine.object).is_some() {
        (
            "inherited from the top level".to_string(),
            Some(Location::value(machine.field_pointer("QueryLanguage"))),
        )
    } else {
        ("the default".to_string(), None)
    }
}

/// An intrinsic call written in a JSONPath state: in a `….$` value or in `ErrorPath`/`CausePath`.
#[derive(Debug, Clone)]
pub struct IntrinsicUse<'a> {
    /// The key or field it is written in: `message.$`, `CausePath`.
    pub label: String,
    pub pointer: String,
    pub text: &'a str,
    pub call: Call,
    /// True for `ErrorPath` and `CausePath`, which need a string.
    pub in_fail_path: bool,
}

/// Calls `f(object, key, value, pointer)` for every member of every object in `value`, at any
/// depth, arrays included.
pub fn for_each_member<'a>(
    value: &'a Value,
    pointer: &str,
    f: &mut impl FnMut(&'a Map<String, Value>, &'a str, &'a Value, &str),
) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                let p = child(pointer, key);
                f(object, key, v, &p);
                for_each_member(v, &p, f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for_each_member(v, &child(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

/// Calls `f(string, pointer)` for every string in `value`, at any depth (keys excluded).
pub fn for_each_string<'a>(value: &'a Value, pointer: &str, f: &mut impl FnMut(&'a str, &str)) {
    match value {
        Value::String(s) => f(s, pointer),
        Value::Object(object) => {
            for (key, v) in object {
                for_each_string(v, &child(pointer, key), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for_each_string(v, &child(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}
