//! What the path, intrinsic and query-language rules share about the expressions of a state:
//! where they are (from the field catalogue, `model::fields`), why a state uses its query
//! language, where inside a string a problem is, and walks over the members and strings of a
//! template.

use serde_json::{Map, Value};

use crate::diagnostic::Location;
use crate::expr::Span;
use crate::model::{get_field, QueryLanguage, State, StateMachine};

pub use crate::analysis::jsonata::{jsonata_expressions, JsonataExpr, ParsedJsonata, Place};
pub use crate::analysis::IntrinsicUse;
pub use crate::model::choice::{rules as choice_rules, ChoiceRule};
pub use crate::model::fields::{
    catchers, jsonata_templates, path_fields, payload_templates, PathField, PathKind, Template,
};
pub use crate::pointer::{for_each_member, for_each_string};

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
