use serde_json::Value;

use crate::check::expressions::{catchers, choice_rules, query_language_reason};
use crate::check::Context;
use crate::declare_rule;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::model::choice::is_jsonpath_rule_key;
use crate::model::{child, QueryLanguage, State, StateType};

declare_rule! {
    /// ## What it does
    /// Checks that each state only uses the fields of the query language in force for it: its
    /// own `QueryLanguage`, else the top-level `QueryLanguage`, else JSONPath.
    ///
    /// - JSONata states cannot use the JSONPath fields `InputPath`, `OutputPath`, `Parameters`,
    ///   `ResultSelector`, `ResultPath`, `Result`, `ItemsPath`, the `…Path` settings
    ///   (`SecondsPath`, `TimestampPath`, `TimeoutSecondsPath`, `HeartbeatSecondsPath`,
    ///   `MaxConcurrencyPath`, `ToleratedFailure…Path`, `ErrorPath`, `CausePath`,
    ///   `ItemReader.ReaderConfig.MaxItemsPath`, `ItemBatcher.…Path`), `ItemReader.Parameters`,
    ///   `ResultWriter.Parameters`, a catcher's `ResultPath`, nor Choice rules written with
    ///   `Variable` and comparison operators.
    /// - JSONPath states cannot use the JSONata fields `Arguments`, `Output`, `Items`,
    ///   `ItemReader.Arguments`, `ResultWriter.Arguments`, a catcher's `Output`, nor a Choice
    ///   rule's `Condition`; and their numeric settings and `Timestamp` cannot hold a
    ///   `{% … %}` expression.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`). The two languages
    /// process input and output differently: JSONata replaces the five JSONPath fields with
    /// `Arguments` and `Output`.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "OutputPath": "$.result", "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Output": "{% $states.input.result %}", "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html>
    pub struct FieldWrongQueryLanguage {
        code: "ASL210",
        name: "field-wrong-query-language",
        summary: "A state uses a field or expression of the other query language",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

/// A field found where its query language is not in force.
struct Misplaced {
    /// The field as users know it: `Catch[0].ResultPath`.
    label: String,
    pointer: String,
    /// What to write instead.
    help: String,
    /// A `{% … %}` value rather than a field.
    expression: bool,
}

impl FieldWrongQueryLanguage {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut found = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            let misplaced = match state.query_language {
                QueryLanguage::Jsonata => jsonpath_in_jsonata(state),
                QueryLanguage::JsonPath => jsonata_in_jsonpath(state),
            };
            if misplaced.is_empty() {
                continue;
            }
            let (reason, declared) = query_language_reason(ctx.machine, state);
            for m in misplaced {
                found.push((state.name, state.query_language, reason.clone(), declared.clone(), m));
            }
        }
        for (name, language, reason, declared, m) in found {
            let (other, own) = match language {
                QueryLanguage::Jsonata => ("JSONPath", "JSONata"),
                QueryLanguage::JsonPath => ("JSONata", "JSONPath"),
            };
            let mut d = if m.expression {
                ctx.diagnostic(format!(
                    "`{}` holds a JSONata expression; state \"{name}\" uses JSONPath ({reason})",
                    m.label
                ))
                .at_value(m.pointer)
                .label("JSONata expression")
            } else {
                ctx.diagnostic(format!(
                    "`{}` is a {other} field; state \"{name}\" uses {own} ({reason})",
                    m.label
                ))
                .at_key(m.pointer)
                .label(format!("{other} only"))
            };
            if let Some(location) = declared {
                d = d.with_label(location, format!("{own} chosen here"));
            }
            d = d.help(m.help);
            ctx.report(d);
        }
    }
}

/// (field, state types that have it, what JSONata uses instead).
const JSONPATH_FIELDS: &[(&str, &[StateType], &str)] = {
    use StateType::*;
    &[
        (
            "InputPath",
            &[Task, Pass, Choice, Wait, Succeed, Parallel, Map],
            "read the input as `$states.input` inside `Arguments` or `Output`",
        ),
        (
            "OutputPath",
            &[Task, Pass, Choice, Wait, Succeed, Parallel, Map],
            "shape the output with `Output`",
        ),
        ("Parameters", &[Task, Pass, Parallel], "use `Arguments`"),
        ("Parameters", &[Map], "use `ItemSelector`"),
        (
            "ResultSelector",
            &[Task, Parallel, Map],
            "use `Output`, which sees the result as `$states.result`",
        ),
        (
            "ResultPath",
            &[Task, Pass, Parallel, Map],
            "use `Output` (with `$states.result`) or `Assign`",
        ),
        ("Result", &[Pass], "use `Output`"),
        ("ItemsPath", &[Map], "use `Items` with a `{% … %}` expression"),
        (
            "MaxConcurrencyPath",
            &[Map],
            "use `MaxConcurrency` with a `{% … %}` expression",
        ),
        (
            "ToleratedFailureCountPath",
            &[Map],
            "use `ToleratedFailureCount` with a `{% … %}` expression",
        ),
        (
            "ToleratedFailurePercentagePath",
            &[Map],
            "use `ToleratedFailurePercentage` with a `{% … %}` expression",
        ),
        ("SecondsPath", &[Wait], "use `Seconds` with a `{% … %}` expression"),
        ("TimestampPath", &[Wait], "use `Timestamp` with a `{% … %}` expression"),
        (
            "TimeoutSecondsPath",
            &[Task],
            "use `TimeoutSeconds` with a `{% … %}` expression",
        ),
        (
            "HeartbeatSecondsPath",
            &[Task],
            "use `HeartbeatSeconds` with a `{% … %}` expression",
        ),
        ("ErrorPath", &[Fail], "use `Error` with a `{% … %}` expression"),
        ("CausePath", &[Fail], "use `Cause` with a `{% … %}` expression"),
    ]
};

/// (field, state types that have it, what JSONPath uses instead).
const JSONATA_FIELDS: &[(&str, &[StateType], &str)] = {
    use StateType::*;
    &[
        (
            "Arguments",
            &[Task, Parallel],
            "use `Parameters`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        (
            "Output",
            &[Task, Pass, Choice, Wait, Succeed, Parallel, Map],
            "use `OutputPath`, `ResultSelector` or `ResultPath`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        (
            "Items",
            &[Map],
            "use `ItemsPath`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
    ]
};

/// Numeric (and timestamp) settings that take a `{% … %}` expression in JSONata only, with the
/// JSONPath field that reads the value from the input instead.
const EXPRESSION_FIELDS: &[(&str, StateType, &str)] = &[
    ("TimeoutSeconds", StateType::Task, "TimeoutSecondsPath"),
    ("HeartbeatSeconds", StateType::Task, "HeartbeatSecondsPath"),
    ("Seconds", StateType::Wait, "SecondsPath"),
    ("Timestamp", StateType::Wait, "TimestampPath"),
    ("MaxConcurrency", StateType::Map, "MaxConcurrencyPath"),
    ("ToleratedFailureCount", StateType::Map, "ToleratedFailureCountPath"),
    (
        "ToleratedFailurePercentage",
        StateType::Map,
        "ToleratedFailurePercentagePath",
    ),
];

fn field(label: &str, pointer: String, help: &str) -> Misplaced {
    Misplaced {
        label: label.to_string(),
        pointer,
        help: help.to_string(),
        expression: false,
    }
}

fn jsonpath_in_jsonata(state: &State) -> Vec<Misplaced> {
    let mut out = Vec::new();
    let Some(kind) = state.kind else {
        return out;
    };
    for (name, types, help) in JSONPATH_FIELDS {
        if types.contains(&kind) && state.has(name) {
            out.push(field(name, state.field_pointer(name), help));
        }
    }
    for (parent, name, help) in [
        ("ItemReader", "Parameters", "use `Arguments`"),
        ("ResultWriter", "Parameters", "use `Arguments`"),
        (
            "ItemBatcher",
            "MaxItemsPerBatchPath",
            "use `MaxItemsPerBatch` with a `{% … %}` expression",
        ),
        (
            "ItemBatcher",
            "MaxInputBytesPerBatchPath",
            "use `MaxInputBytesPerBatch` with a `{% … %}` expression",
        ),
    ] {
        if state.get(parent).is_some_and(|p| p.get(name).is_some()) {
            out.push(field(
                &format!("{parent}.{name}"),
                child(&state.field_pointer(parent), name),
                help,
            ));
        }
    }
    if let Some(config) = state.get("ItemReader").and_then(|r| r.get("ReaderConfig")) {
        if config.get("MaxItemsPath").is_some() {
            out.push(field(
                "ItemReader.ReaderConfig.MaxItemsPath",
                child(
                    &child(&state.field_pointer("ItemReader"), "ReaderConfig"),
                    "MaxItemsPath",
                ),
                "use `MaxItems` with a `{% … %}` expression",
            ));
        }
    }
    for (i, catcher) in catchers(state) {
        if catcher.contains_key("ResultPath") {
            out.push(field(
                &format!("Catch[{i}].ResultPath"),
                child(&child(&state.field_pointer("Catch"), &i.to_string()), "ResultPath"),
                "use `Output` (with `$states.errorOutput`) or `Assign`",
            ));
        }
    }
    for rule in choice_rules(state).into_iter().filter(|r| r.top_level) {
        if let Some(key) = rule.members().map(|(k, _)| k).find(|k| is_jsonpath_rule_key(k)) {
            out.push(field(
                &format!("{}.{key}", rule.label),
                child(&rule.pointer, key),
                "write the rule as `\"Condition\": \"{% … %}\"`, a JSONata expression that is true or false",
            ));
        }
    }
    out
}

fn jsonata_in_jsonpath(state: &State) -> Vec<Misplaced> {
    let mut out = Vec::new();
    let Some(kind) = state.kind else {
        return out;
    };
    for (name, types, help) in JSONATA_FIELDS {
        if types.contains(&kind) && state.has(name) {
            out.push(field(name, state.field_pointer(name), help));
        }
    }
    for parent in ["ItemReader", "ResultWriter"] {
        if state.get(parent).is_some_and(|p| p.get("Arguments").is_some()) {
            out.push(field(
                &format!("{parent}.Arguments"),
                child(&state.field_pointer(parent), "Arguments"),
                "use `Parameters`",
            ));
        }
    }
    for (i, catcher) in catchers(state) {
        if catcher.contains_key("Output") {
            out.push(field(
                &format!("Catch[{i}].Output"),
                child(&child(&state.field_pointer("Catch"), &i.to_string()), "Output"),
                "use `ResultPath`",
            ));
        }
    }
    for rule in choice_rules(state).into_iter().filter(|r| r.top_level) {
        if rule.get("Condition").is_some() {
            out.push(field(
                &format!("{}.Condition", rule.label),
                child(&rule.pointer, "Condition"),
                "write the rule with `Variable` and a comparison such as `StringEquals`, or set \
                 `\"QueryLanguage\": \"JSONata\"` on the state",
            ));
        }
    }
    for (name, on, path_field) in EXPRESSION_FIELDS {
        if kind == *on {
            expression(
                state.get(name),
                name,
                || state.field_pointer(name),
                path_field,
                &mut out,
            );
        }
    }
    expression(
        state
            .get("ItemReader")
            .and_then(|r| r.get("ReaderConfig"))
            .and_then(|c| c.get("MaxItems")),
        "ItemReader.ReaderConfig.MaxItems",
        || child(&child(&state.field_pointer("ItemReader"), "ReaderConfig"), "MaxItems"),
        "MaxItemsPath",
        &mut out,
    );
    for (name, path_field) in [
        ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
        ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
    ] {
        expression(
            state.get("ItemBatcher").and_then(|b| b.get(name)),
            &format!("ItemBatcher.{name}"),
            || child(&state.field_pointer("ItemBatcher"), name),
            path_field,
            &mut out,
        );
    }
    out
}

/// Records `value` if it is a `{% … %}` string.
/// `pointer` is only built when there is something to report.
fn expression(
    value: Option<&Value>,
    label: &str,
    pointer: impl FnOnce() -> String,
    path_field: &str,
    out: &mut Vec<Misplaced>,
) {
    let Some(text) = value.and_then(Value::as_str) else {
        return;
    };
    if classify(text) != JsonataString::Literal {
        out.push(Misplaced {
            label: label.to_string(),
            pointer: pointer(),
            help: format!(
                "in JSONPath, read the value from the input with `{path_field}`, or set \
                 `\"QueryLanguage\": \"JSONata\"` on the state"
            ),
            expression: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_tables_name_distinct_fields_per_type() {
        for table in [JSONPATH_FIELDS, JSONATA_FIELDS] {
            for (i, (a, types_a, _)) in table.iter().enumerate() {
                for (b, types_b, _) in &table[i + 1..] {
                    if a == b {
                        assert!(types_a.iter().all(|t| !types_b.contains(t)), "{a}");
                    }
                }
            }
        }
    }
}
