use serde_json::Value;

use crate::check::{describe_type, Context};
use crate::declare_rule;
use crate::model::choice::{self, Operand};
use crate::model::QueryLanguage;

declare_rule! {
    /// ## What it does
    /// Checks the JSON type of every comparison in a JSONPath Choice rule: `String…` and
    /// `StringMatches` take a string, `Numeric…` a number, `BooleanEquals` a boolean,
    /// `Timestamp…` a timestamp string, the type tests (`IsNull`, `IsPresent`, `IsNumeric`,
    /// `IsString`, `IsBoolean`, `IsTimestamp`) a boolean, and every `…Path` operator and
    /// `Variable` a path string. The syntax of paths and the format of timestamps are checked
    /// by their own rules.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `SCHEMA_VALIDATION_FAILED`. A quoted number
    /// (`"NumericEquals": "1"`) or a literal given to a `…Path` operator are the usual causes.
    ///
    /// ## Example
    /// ```json
    /// {"Variable": "$.count", "NumericGreaterThan": "10", "Next": "Many"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Variable": "$.count", "NumericGreaterThan": 10, "Next": "Many"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#state-choice-rules>
    /// - <https://states-language.net/spec.html#choice-state>
    pub struct ChoiceOperandTypeMismatch {
        code: "ASL110",
        name: "choice-operand-type-mismatch",
        summary: "A Choice comparison operand of the wrong JSON type",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl ChoiceOperandTypeMismatch {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for rule in state.choice_rules() {
                if rule.query_language != QueryLanguage::JsonPath {
                    continue;
                }
                let Some(object) = rule.object() else {
                    continue;
                };
                for (key, value) in object {
                    let operand = if key == "Variable" {
                        Operand::Path
                    } else if let Some(op) = choice::operator(key) {
                        op.operand
                    } else {
                        continue;
                    };
                    if operand.accepts(value) {
                        continue;
                    }
                    let d = ctx
                        .diagnostic(format!(
                            "`{key}` takes {}, not {}",
                            operand.describe(),
                            describe_type(value)
                        ))
                        .at_value(rule.field_pointer(key))
                        .label(format!("expected {}", operand.describe()))
                        .maybe_help(help(key, operand, value));
                    ctx.report(d);
                }
            }
        }
    }
}

fn help(key: &str, operand: Operand, value: &Value) -> Option<String> {
    match (operand, value) {
        (Operand::Number, Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            Some(format!("write the number without quotes: {}", s.trim()))
        }
        (Operand::Boolean | Operand::TypeTest, Value::String(s))
            if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
        {
            Some(format!("write the boolean without quotes: {}", s.to_ascii_lowercase()))
        }
        (Operand::Path, _) if key != "Variable" => Some(format!(
            "`{key}` compares with the value at a path such as \"$.limit\"; to compare with a literal use `{}`",
            key.trim_end_matches("Path")
        )),
        (Operand::String | Operand::Pattern | Operand::Timestamp, Value::Number(n)) => {
            Some(format!("quote the value: \"{n}\""))
        }
        _ => None,
    }
}
