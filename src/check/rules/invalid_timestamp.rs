use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::choice::{self, Operand};
use crate::model::{timestamp, QueryLanguage, StateType};

declare_rule! {
    /// ## What it does
    /// Checks that a Wait state's `Timestamp` and the operand of every Choice `Timestamp…`
    /// comparison (`TimestampEquals`, `TimestampLessThan`, …) is a date-time Step Functions
    /// can read: `2024-05-01T12:30:00Z`, with optional fraction of a second and either `Z` or
    /// an offset such as `+02:00`. A date alone, a missing time zone, a space instead of `T`
    /// or a day that does not exist (30 February) are reported. The check is deliberately
    /// lenient where the service is (lowercase `t`/`z`, seconds omitted), and skips JSONata
    /// expressions and `${…}` template substitutions.
    ///
    /// ## Why it matters
    /// Step Functions rejects a definition whose literal timestamps it cannot parse with
    /// `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Wait", "Timestamp": "2024-05-01 12:30:00", "Next": "Go"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Wait", "Timestamp": "2024-05-01T12:30:00Z", "Next": "Go"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html> ("Timestamps must conform to the RFC3339 profile of ISO 8601")
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#amazon-states-language-choice-state-rules>
    pub struct InvalidTimestamp {
        code: "ASL111",
        name: "invalid-timestamp",
        summary: "A literal timestamp that Step Functions cannot parse",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl InvalidTimestamp {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut found: Vec<(String, &str)> = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if state.kind == Some(StateType::Wait) {
                if let Some(Value::String(s)) = state.get("Timestamp") {
                    found.push((state.field_pointer("Timestamp"), s.as_str()));
                }
            }
            for rule in state.choice_rules() {
                if rule.query_language != QueryLanguage::JsonPath {
                    continue;
                }
                let Some(object) = rule.object() else {
                    continue;
                };
                for (key, value) in object {
                    let is_timestamp = choice::operator(key).is_some_and(|o| o.operand == Operand::Timestamp);
                    if let (true, Value::String(s)) = (is_timestamp, value) {
                        found.push((rule.field_pointer(key), s.as_str()));
                    }
                }
            }
        }
        for (pointer, text) in found {
            if is_expression(text) {
                continue;
            }
            let Err(e) = timestamp::parse(text) else {
                continue;
            };
            let len = text.chars().count();
            let location = if e.at < len {
                Location::in_string(pointer, e.at, len)
            } else {
                Location::value(pointer)
            };
            let d = ctx
                .diagnostic(format!("\"{text}\" is not a timestamp Step Functions can read"))
                .at(location)
                .label(e.message)
                .help("write an RFC 3339 date-time with a time zone, such as \"2024-05-01T12:30:00Z\"");
            ctx.report(d);
        }
    }
}

/// A JSONata expression or a template substitution: its value is only known later.
fn is_expression(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("{%") && t.ends_with("%}")) || text.contains("${")
}
