//! Where the expressions of a state are: the catalogue of path fields, payload templates and
//! Choice rules that the path, intrinsic and query-language rules walk.
//!
//! Rules ask "which of this state's fields hold a path, and of what kind?" or "which objects are
//! payload templates?" rather than each knowing the layout of every state type; so a new field
//! is added once, here. Everything is found by JSON Pointer from the state, also inside
//! `Catch`, `Choices`, `ItemReader`, `ItemBatcher` and `ResultWriter`.

use serde_json::{Map, Value};

use crate::diagnostic::Location;
use crate::expr::intrinsics::Call;
use crate::expr::jsonata::{Ast, JsonataError};
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::expr::payload::{parse_payload_value, PayloadExpr};
use crate::expr::reference_path::Roots;
use crate::expr::Span;
use crate::model::{get_field, get_member, QueryLanguage, State, StateMachine, StateType};
use crate::pointer::child;

/// What a path field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// Any JSONPath (`InputPath`, `OutputPath`, Choice `Variable`).
    Path,
    /// A Reference Path: one node only.
    Reference(Roots),
    /// A Reference Path, or an intrinsic call that returns a string (`ErrorPath`, `CausePath`).
    ReferenceOrStringIntrinsic,
}

/// A field whose value is a path.
#[derive(Debug, Clone)]
pub struct PathField<'a> {
    /// The field's name as users know it: `ResultPath`, `Catch[0].ResultPath`, ….
    pub label: String,
    pub pointer: String,
    pub value: &'a Value,
    pub kind: PathKind,
}

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

/// Every path field of a state (JSONPath states use them; in JSONata states they are errors of
/// their own).
pub fn path_fields<'a>(state: &State<'a>) -> Vec<PathField<'a>> {
    let mut out = Vec::new();
    let Some(object) = state.object else {
        return out;
    };
    // Labels and pointers are only built for the fields that are there.
    let mut add = |value: Option<&'a Value>, kind, describe: &dyn Fn() -> (String, String)| {
        if let Some(value) = value {
            let (label, pointer) = describe();
            out.push(PathField {
                label,
                pointer,
                value,
                kind,
            });
        }
    };
    let own = |field: &str| (field.to_string(), state.field_pointer(field));
    let reference = PathKind::Reference(Roots::Any);
    for field in ["InputPath", "OutputPath"] {
        add(get_field(object, field), PathKind::Path, &|| own(field));
    }
    // The spec: "a reference path identifying where in the effective input the array field is".
    add(get_field(object, "ItemsPath"), reference, &|| own("ItemsPath"));
    add(
        get_field(object, "ResultPath"),
        PathKind::Reference(Roots::Input),
        &|| own("ResultPath"),
    );
    for field in [
        "SecondsPath",
        "TimestampPath",
        "TimeoutSecondsPath",
        "HeartbeatSecondsPath",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
    ] {
        add(get_field(object, field), reference, &|| own(field));
    }
    if state.kind == Some(StateType::Fail) {
        for field in ["ErrorPath", "CausePath"] {
            add(get_field(object, field), PathKind::ReferenceOrStringIntrinsic, &|| {
                own(field)
            });
        }
    }
    if let Some(config) = get_field(object, "ItemReader")
        .and_then(|r| get_member(r, "ReaderConfig"))
        .and_then(Value::as_object)
    {
        add(get_field(config, "MaxItemsPath"), reference, &|| {
            (
                "ItemReader.ReaderConfig.MaxItemsPath".to_string(),
                child(
                    &child(&state.field_pointer("ItemReader"), "ReaderConfig"),
                    "MaxItemsPath",
                ),
            )
        });
    }
    if let Some(batcher) = get_field(object, "ItemBatcher").and_then(Value::as_object) {
        for field in ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"] {
            add(get_field(batcher, field), reference, &|| {
                (
                    format!("ItemBatcher.{field}"),
                    child(&state.field_pointer("ItemBatcher"), field),
                )
            });
        }
    }
    for (i, catcher) in catchers(state) {
        add(
            get_field(catcher, "ResultPath"),
            PathKind::Reference(Roots::Input),
            &|| {
                (
                    format!("Catch[{i}].ResultPath"),
                    child(&child(&state.field_pointer("Catch"), &i.to_string()), "ResultPath"),
                )
            },
        );
    }
    for rule in choice_rules(state) {
        for (key, value) in rule.members() {
            // `Variable` is any path; the `…Path` operands name the one value to compare with.
            let kind = if key == "Variable" {
                PathKind::Path
            } else if key.ends_with("Path") {
                reference
            } else {
                continue;
            };
            {
                add(Some(value), kind, &|| {
                    (format!("{}.{key}", rule.label), child(&rule.pointer, key))
                });
            }
        }
    }
    out
}

/// The catchers of a state that are objects, with their index.
pub fn catchers<'a>(state: &State<'a>) -> Vec<(usize, &'a Map<String, Value>)> {
    state
        .get("Catch")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(i, c)| c.as_object().map(|o| (i, o)))
                .collect()
        })
        .unwrap_or_default()
}

/// Every Choice rule of a Choice state (the model's walk, shared with the Choice rules).
pub use crate::model::choice::{rules as choice_rules, ChoiceRule};

/// An object (or other value) that is evaluated as a template: JSONPath payload templates with
/// `….$` keys, or JSONata values with `{% … %}` strings.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    /// `Parameters`, `ItemReader.Parameters`, `Catch[0].Assign`, ….
    pub label: String,
    pub pointer: String,
    pub value: &'a Value,
}

/// The JSONPath payload templates of a state: `Parameters`, `ResultSelector`, `ItemSelector`,
/// `ItemReader.Parameters`, `ItemBatcher.BatchInput`, `ResultWriter.Parameters`, `Credentials`
/// and every `Assign`.
pub fn payload_templates<'a>(state: &State<'a>) -> Vec<Template<'a>> {
    templates(
        state,
        &["Parameters", "ResultSelector", "ItemSelector", "Credentials", "Assign"],
        "Parameters",
        &["Assign"],
    )
}

/// The JSONata-evaluated values of a state: `Arguments`, `Output`, `Assign`, `ItemSelector`,
/// `Credentials`, `ItemReader.Arguments`, `ItemBatcher.BatchInput`, `ResultWriter.Arguments`,
/// and the `Output` and `Assign` of catchers and Choice rules.
pub fn jsonata_templates<'a>(state: &State<'a>) -> Vec<Template<'a>> {
    templates(
        state,
        &["Arguments", "Output", "Assign", "ItemSelector", "Credentials"],
        "Arguments",
        &["Assign", "Output"],
    )
}

fn templates<'a>(
    state: &State<'a>,
    own: &[&str],
    nested_argument_field: &str,
    catcher_fields: &[&str],
) -> Vec<Template<'a>> {
    let mut out = Vec::new();
    let Some(object) = state.object else {
        return out;
    };
    for field in own {
        if let Some(value) = get_field(object, field) {
            out.push(Template {
                label: (*field).to_string(),
                pointer: state.field_pointer(field),
                value,
            });
        }
    }
    for (parent, field) in [
        ("ItemReader", nested_argument_field),
        ("ItemBatcher", "BatchInput"),
        ("ResultWriter", nested_argument_field),
    ] {
        if let Some(value) = get_field(object, parent).and_then(|p| get_member(p, field)) {
            out.push(Template {
                label: format!("{parent}.{field}"),
                pointer: child(&state.field_pointer(parent), field),
                value,
            });
        }
    }
    for (i, catcher) in catchers(state) {
        for field in catcher_fields {
            if let Some(value) = get_field(catcher, field) {
                out.push(Template {
                    label: format!("Catch[{i}].{field}"),
                    pointer: child(&child(&state.field_pointer("Catch"), &i.to_string()), field),
                    value,
                });
            }
        }
    }
    for rule in choice_rules(state).into_iter().filter(|r| r.top_level) {
        for field in catcher_fields {
            if let Some(value) = rule.get(field) {
                out.push(Template {
                    label: format!("{}.{field}", rule.label),
                    pointer: child(&rule.pointer, field),
                    value,
                });
            }
        }
    }
    out
}

/// Fields of a JSONata state whose strings Step Functions evaluates, at any depth.
const JSONATA_EVALUATED_FIELDS: &[&str] = &[
    "Arguments",
    "Output",
    "Assign",
    "Items",
    "ItemSelector",
    "ItemBatcher",
    "Credentials",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "Seconds",
    "Timestamp",
    "Error",
    "Cause",
    "MaxConcurrency",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
];

/// Fields whose members are evaluated, except their `Resource` (an ARN, never a template).
const JSONATA_RESOURCE_CONFIG_FIELDS: &[&str] = &["ItemReader", "ResultWriter"];

/// Evaluated fields of a Choice rule and of a Catcher.
const JSONATA_RULE_FIELDS: &[&str] = &["Condition", "Output", "Assign"];

/// Where in its state a JSONata expression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In a field of the state itself.
    State,
    /// In `Catch[i]`.
    Catcher(usize),
    /// In `Choices[i]`.
    ChoiceRule(usize),
}

/// A `{% … %}` string of a JSONata state, where Step Functions evaluates it.
#[derive(Debug, Clone)]
pub struct JsonataExpr<'a> {
    /// The field of the state, catcher or Choice rule it is in: `Output`, `Assign`,
    /// `Arguments`, `Condition`, `ItemReader`, ….
    pub field: &'a str,
    pub place: Place,
    /// Pointer of the string.
    pub pointer: String,
    /// The text between `{%` and `%}`, untrimmed.
    pub body: &'a str,
}

/// Every `{% … %}` string of a JSONata state that Step Functions evaluates, at any depth inside
/// `Arguments`, `Output`, `Assign`, `Items`, `ItemSelector`, `ItemReader`, `ItemBatcher`,
/// `ResultWriter`, `Credentials`, the numbers and timestamps that take an expression, `Error`,
/// `Cause`, and the `Condition`, `Output` and `Assign` of Choice rules and catchers. Empty for
/// a JSONPath state.
pub fn jsonata_expressions<'a>(state: &State<'a>) -> Vec<JsonataExpr<'a>> {
    let mut out = Vec::new();
    let Some(object) = state.object.filter(|_| state.query_language == QueryLanguage::Jsonata) else {
        return out;
    };
    let mut add = |field: &'a str, value: &'a Value, pointer: &str, place: Place| {
        for_each_string(value, pointer, &mut |text, pointer| {
            if let JsonataString::Expression { body } = classify(text) {
                out.push(JsonataExpr {
                    field,
                    place,
                    pointer: pointer.to_string(),
                    body,
                });
            }
        });
    };
    for (key, value) in object {
        let pointer = state.field_pointer(key);
        let field = key.as_str();
        if JSONATA_EVALUATED_FIELDS.contains(&field) {
            add(field, value, &pointer, Place::State);
        } else if JSONATA_RESOURCE_CONFIG_FIELDS.contains(&field) {
            for (k, v) in value.as_object().into_iter().flatten() {
                if k != "Resource" {
                    add(field, v, &child(&pointer, k), Place::State);
                }
            }
        } else if field == "Choices" || field == "Catch" {
            for (i, rule) in value.as_array().into_iter().flatten().enumerate() {
                let rule_pointer = child(&pointer, &i.to_string());
                let place = if field == "Catch" {
                    Place::Catcher(i)
                } else {
                    Place::ChoiceRule(i)
                };
                for (k, v) in rule.as_object().into_iter().flatten() {
                    if JSONATA_RULE_FIELDS.contains(&k.as_str()) {
                        add(k.as_str(), v, &child(&rule_pointer, k), place);
                    }
                }
            }
        }
    }
    out
}

/// A `{% … %}` expression of a JSONata state, parsed.
#[derive(Debug, Clone)]
pub struct ParsedJsonata<'a> {
    /// Pointer of the state it belongs to.
    pub state: String,
    pub expr: JsonataExpr<'a>,
    pub ast: Result<Ast, JsonataError>,
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

/// Every well-formed intrinsic call of a state (the malformed ones are syntax errors).
pub fn intrinsic_calls<'a>(state: &State<'a>) -> Vec<IntrinsicUse<'a>> {
    let mut out = Vec::new();
    for template in payload_templates(state) {
        for_each_member(template.value, &template.pointer, &mut |_, key, value, pointer| {
            if !key.ends_with(".$") {
                return;
            }
            if let Some(text) = value.as_str() {
                if let Ok(PayloadExpr::Intrinsic(call)) = parse_payload_value(text) {
                    out.push(IntrinsicUse {
                        label: key.to_string(),
                        pointer: pointer.to_string(),
                        text,
                        call,
                        in_fail_path: false,
                    });
                }
            }
        });
    }
    // Only a Fail state's `ErrorPath` and `CausePath` take an intrinsic call.
    let fail_paths = if state.kind == Some(StateType::Fail) {
        path_fields(state)
    } else {
        Vec::new()
    };
    for field in fail_paths {
        if field.kind != PathKind::ReferenceOrStringIntrinsic {
            continue;
        }
        if let Some(text) = field.value.as_str() {
            if let Ok(PayloadExpr::Intrinsic(call)) = parse_payload_value(text) {
                out.push(IntrinsicUse {
                    label: field.label,
                    pointer: field.pointer,
                    text,
                    call,
                    in_fail_path: true,
                });
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{QueryLanguage, StateMachine};
    use serde_json::json;

    fn with_state<T>(state: Value, f: impl FnOnce(&State) -> T) -> T {
        let v = json!({"StartAt": "S", "States": {"S": state}});
        let m = StateMachine::build(&v, "");
        let s = &m.states[0];
        assert_eq!(s.query_language, QueryLanguage::JsonPath);
        f(s)
    }

    #[test]
    fn finds_path_fields_everywhere() {
        let labels = with_state(
            json!({"Type": "Map", "InputPath": "$", "ResultPath": "$.r",
                   "ItemReader": {"ReaderConfig": {"MaxItemsPath": "$.m"}},
                   "Catch": [{"ResultPath": "$.e"}]}),
            |s| {
                path_fields(s)
                    .into_iter()
                    .map(|f| (f.label, f.pointer))
                    .collect::<Vec<_>>()
            },
        );
        assert_eq!(
            labels,
            [
                ("InputPath".to_string(), "/States/S/InputPath".to_string()),
                ("ResultPath".into(), "/States/S/ResultPath".into()),
                (
                    "ItemReader.ReaderConfig.MaxItemsPath".into(),
                    "/States/S/ItemReader/ReaderConfig/MaxItemsPath".into()
                ),
                ("Catch[0].ResultPath".into(), "/States/S/Catch/0/ResultPath".into()),
            ]
        );
    }

    #[test]
    fn finds_nested_choice_rules() {
        let labels = with_state(
            json!({"Type": "Choice", "Choices": [
                {"Not": {"Variable": "$.a", "IsPresent": true}, "Next": "X"},
                {"And": [{"Variable": "$.b", "StringEqualsPath": "$.c"}], "Next": "X"}]}),
            |s| path_fields(s).into_iter().map(|f| f.label).collect::<Vec<_>>(),
        );
        assert_eq!(
            labels,
            [
                "Choices[0].Not.Variable",
                "Choices[1].And[0].Variable",
                "Choices[1].And[0].StringEqualsPath"
            ]
        );
    }

    #[test]
    fn finds_payload_templates() {
        let labels = with_state(
            json!({"Type": "Map", "Parameters": {}, "ItemReader": {"Parameters": {}},
                   "ItemBatcher": {"BatchInput": {}}, "Catch": [{"Assign": {}}]}),
            |s| payload_templates(s).into_iter().map(|t| t.label).collect::<Vec<_>>(),
        );
        assert_eq!(
            labels,
            [
                "Parameters",
                "ItemReader.Parameters",
                "ItemBatcher.BatchInput",
                "Catch[0].Assign"
            ]
        );
    }
}
