use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::expr::payload::looks_like_expression;
use crate::model::{QueryLanguage, StateType};
use crate::pointer::child;

declare_rule! {
    /// ## What it does
    /// Warns when a field that takes a literal value holds what looks like a path, and a
    /// sibling field ending in `Path` exists to read that value from the input: a Choice
    /// comparison such as `StringEquals` (→ `StringEqualsPath`), a Fail state's `Error` or `Cause`
    /// (→ `ErrorPath`, `CausePath`), a Wait state's `Timestamp` (→ `TimestampPath`). Only JSONPath
    /// states are checked.
    ///
    /// ## Why it matters
    /// `"StringEquals": "$.expected"` compares with the text `$.expected`, not with the value at
    /// that path. Step Functions accepts the definition but warns (`NO_PATH`).
    ///
    /// ## Example
    /// ```json
    /// {"Variable": "$.status", "StringEquals": "$.expected", "Next": "Match"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Variable": "$.status", "StringEqualsPath": "$.expected", "Next": "Match"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>
    pub struct PathInNonPathField {
        code: "ASL221",
        name: "path-in-non-path-field",
        summary: "A literal field holds what looks like a path; the `…Path` field was probably meant",
        severity: Warning,
        aws_code: Some("NO_PATH"),
    }
}

/// Literal fields with a `…Path` twin, per state type.
const FIELDS: [(StateType, &str); 3] = [
    (StateType::Fail, "Error"),
    (StateType::Fail, "Cause"),
    (StateType::Wait, "Timestamp"),
];

impl PathInNonPathField {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut found = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if state.query_language != QueryLanguage::JsonPath {
                continue;
            }
            for (kind, field) in FIELDS {
                if state.kind == Some(kind) {
                    if let Some(Value::String(text)) = state.get(field) {
                        found.push((field.to_string(), text.as_str(), state.field_pointer(field)));
                    }
                }
            }
            for rule in state.choice_rules() {
                for (key, value) in rule.members() {
                    let literal_comparison = (key.starts_with("String")
                        || key.starts_with("Numeric")
                        || key.starts_with("Boolean")
                        || key.starts_with("Timestamp"))
                        && !key.ends_with("Path");
                    if let (true, Value::String(text)) = (literal_comparison, value) {
                        found.push((key.clone(), text.as_str(), child(&rule.pointer, key)));
                    }
                }
            }
        }
        for (field, text, pointer) in found {
            if !text.starts_with('$') || !looks_like_expression(text) {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "`{field}` holds \"{text}\", which looks like a path but is taken literally"
                ))
                .at_value(pointer)
                .label("a literal string")
                .help(format!("to read the value at this path, use `{field}Path`"));
            ctx.report(d);
        }
    }
}
