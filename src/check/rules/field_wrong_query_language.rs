use serde_json::Value;

use crate::check::expressions::query_language_reason;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::model::choice::is_jsonpath_rule_key;
use crate::model::fields::{foreign_fields, settings, top_level_rules, Foreign};
use crate::model::{QueryLanguage, State};
use crate::pointer::child;

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

fn field(foreign: Foreign) -> Misplaced {
    Misplaced {
        label: foreign.label,
        pointer: foreign.pointer,
        help: foreign.field.instead.to_string(),
        expression: false,
    }
}

fn jsonpath_in_jsonata(state: &State) -> Vec<Misplaced> {
    let mut out: Vec<Misplaced> = foreign_fields(state).into_iter().map(field).collect();
    for rule in top_level_rules(state) {
        if let Some(key) = rule.members().map(|(k, _)| k).find(|k| is_jsonpath_rule_key(k)) {
            out.push(Misplaced {
                label: format!("{}.{key}", rule.label),
                pointer: child(&rule.pointer, key),
                help: "write the rule as `\"Condition\": \"{% … %}\"`, a JSONata expression that is true or false"
                    .to_string(),
                expression: false,
            });
        }
    }
    out
}

fn jsonata_in_jsonpath(state: &State) -> Vec<Misplaced> {
    let mut out: Vec<Misplaced> = foreign_fields(state).into_iter().map(field).collect();
    // Only a `{% … %}` string is reported ([`expression`]).
    let is_expression = |value: &Value| {
        value
            .as_str()
            .is_some_and(|text| classify(text) != JsonataString::Literal)
    };
    for (label, pointer, value, path_twin) in settings(state, is_expression) {
        expression(value, label, pointer, path_twin, &mut out);
    }
    out
}

/// Records `value` if it is a `{% … %}` string.
fn expression(value: &Value, label: String, pointer: String, path_twin: &str, out: &mut Vec<Misplaced>) {
    let Some(text) = value.as_str() else {
        return;
    };
    if classify(text) != JsonataString::Literal {
        out.push(Misplaced {
            label,
            pointer,
            help: format!(
                "in JSONPath, read the value from the input with `{path_twin}`, or set \
                 `\"QueryLanguage\": \"JSONata\"` on the state"
            ),
            expression: true,
        });
    }
}
