use serde_json::Value;

use crate::check::describe_type;
use crate::check::expressions::{for_each_string, jsonata_templates};
use crate::check::Context;
use crate::declare_rule;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::model::fields::{self, Kind, Place};
use crate::model::{QueryLanguage, State};
use crate::pointer::child;

declare_rule! {
    /// ## What it does
    /// Checks the JSONata templates of JSONata states:
    /// - a string that starts with `{%` must end with `%}` (in `Arguments`, `Output`, `Assign`,
    ///   `ItemSelector`, `Items`, `Credentials`, the numeric settings, `Timestamp`, `Error`,
    ///   `Cause`, a Choice rule's `Condition`, …);
    /// - a Choice rule's `Condition` is a `{% … %}` expression or a boolean, not a plain string;
    /// - `Arguments` is an object or a `{% … %}` expression (a Map's `Items`, an array or an
    ///   expression, is checked by the schema: ASL012).
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`). A string is only
    /// evaluated when it is written `{% expression %}`; an unclosed template is almost always a
    /// typo, and a plain string would be taken literally.
    ///
    /// ## Example
    /// ```json
    /// "Check": {"Type": "Choice", "QueryLanguage": "JSONata",
    ///           "Choices": [{"Condition": "{% $states.input.ok ", "Next": "Done"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Check": {"Type": "Choice", "QueryLanguage": "JSONata",
    ///           "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "Done"}]}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>
    pub struct MalformedJsonataTemplate {
        code: "ASL212",
        name: "malformed-jsonata-template",
        summary: "A JSONata template is not closed, or a JSONata field is not an expression",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl MalformedJsonataTemplate {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut unterminated = Vec::new();
        let mut not_expression = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if state.query_language != QueryLanguage::Jsonata {
                continue;
            }
            for (value, pointer) in evaluated_values(state) {
                for_each_string(value, &pointer, &mut |text, p| {
                    if classify(text) == JsonataString::Unterminated {
                        unterminated.push((text.chars().count(), p.to_string()));
                    }
                });
            }
            for rule in state.choice_rules().iter().filter(|r| r.top_level) {
                if let Some(Value::String(text)) = rule.get("Condition") {
                    if classify(text) == JsonataString::Literal {
                        not_expression.push((
                            format!("{}.Condition", rule.label),
                            child(&rule.pointer, "Condition"),
                            "a `{% … %}` expression or a boolean",
                            "a plain string",
                        ));
                    }
                }
            }
            // (`Items` has the same constraint, expressed in the schema and reported as ASL012.)
            for (field, wanted) in [("Arguments", "an object or a `{% … %}` expression")] {
                let Some(value) = state.get(field) else {
                    continue;
                };
                let fits = match value {
                    Value::String(text) => classify(text) != JsonataString::Literal,
                    Value::Object(_) => field == "Arguments",
                    Value::Array(_) => field == "Items",
                    _ => false,
                };
                if !fits {
                    let found = match value {
                        Value::String(_) => "a plain string",
                        other => describe_type(other),
                    };
                    not_expression.push((field.to_string(), state.field_pointer(field), wanted, found));
                }
            }
        }
        for (length, pointer) in unterminated {
            let d = ctx
                .diagnostic("this JSONata template opens with `{%` but never closes with `%}`")
                .at(crate::diagnostic::Location::in_string(pointer, 0, length.min(2)))
                .label("opened here")
                .help("end the string with `%}`, as in \"{% $states.input.value %}\"");
            ctx.report(d);
        }
        for (label, pointer, wanted, found) in not_expression {
            let d = ctx
                .diagnostic(format!("`{label}` must be {wanted}, not {found}"))
                .at_value(pointer)
                .help("a JSONata expression is written \"{% expression %}\"");
            ctx.report(d);
        }
    }
}

/// The values of a JSONata state that Step Functions evaluates, with their pointers.
fn evaluated_values<'a>(state: &State<'a>) -> Vec<(&'a Value, String)> {
    let mut out: Vec<(&'a Value, String)> = jsonata_templates(state)
        .into_iter()
        .map(|t| (t.value, t.pointer))
        .collect();
    // Settings, texts and single values of the state and its rules (`TimeoutSeconds`, `Error`,
    // `Items`, a rule's `Condition` …), and those of the nested objects, whose settings objects
    // (`ItemReader.ReaderConfig`) are walked whole.
    let single = |kind: Kind| matches!(kind, Kind::Setting { .. } | Kind::Text { .. } | Kind::JsonataValue);
    for field in fields::state_fields().iter().filter(|f| single(f.kind)) {
        if let Some(v) = state.get(field.name) {
            out.push((v, state.field_pointer(field.name)));
        }
    }
    for rule in fields::top_level_rules(state) {
        for field in fields::at(Place::ChoiceRule).filter(|f| single(f.kind)) {
            if let Some(v) = rule.get(field.name) {
                out.push((v, child(&rule.pointer, field.name)));
            }
        }
    }
    for &path in fields::nested_objects().iter().filter(|p| p.len() == 1) {
        let Some(object) = fields::nested(state, path) else {
            continue;
        };
        for field in fields::at(Place::In(path)).filter(|f| single(f.kind) || f.kind == Kind::Config) {
            if let Some(v) = object.get(field.name) {
                out.push((v, fields::nested_field(state, path, field.name).1));
            }
        }
    }
    out
}
