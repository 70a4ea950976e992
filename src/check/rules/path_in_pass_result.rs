use serde_json::Value;

use crate::check::expressions::{for_each_member, for_each_string};
use crate::check::Context;
use crate::declare_rule;
use crate::expr::payload::looks_like_expression;
use crate::model::{QueryLanguage, StateType};

declare_rule! {
    /// ## What it does
    /// Warns when the `Result` of a Pass state contains a key ending in `.$` or a string that
    /// looks like a path or an intrinsic call. `Result` is static: nothing in it is evaluated.
    ///
    /// ## Why it matters
    /// The state outputs the text `"$.order.id"`, or a field literally named `id.$`, not the
    /// value the author had in mind. Step Functions accepts the definition but warns
    /// (`PASS_RESULT_IS_STATIC`).
    ///
    /// ## Example
    /// ```json
    /// "Shape": {"Type": "Pass", "Result": {"id.$": "$.order.id"}, "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.order.id"}, "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html>
    pub struct PathInPassResult {
        code: "ASL222",
        name: "path-in-pass-result",
        summary: "A Pass state's `Result` contains a path, which is never evaluated there",
        severity: Warning,
        aws_code: Some("PASS_RESULT_IS_STATIC"),
    }
}

impl PathInPassResult {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut keys = Vec::new();
        let mut strings = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if state.query_language != QueryLanguage::JsonPath || state.kind != Some(StateType::Pass) {
                continue;
            }
            let Some(result) = state.get("Result") else {
                continue;
            };
            if !reports_anything(result) {
                continue;
            }
            let pointer = state.field_pointer("Result");
            for_each_member(result, &pointer, &mut |_, key: &str, _: &Value, p: &str| {
                if key.ends_with(".$") {
                    keys.push((key.to_string(), p.to_string()));
                }
            });
            for_each_string(result, &pointer, &mut |text, p| {
                // A value under a `.$` key is already reported with its key.
                let under_dollar_key = keys.iter().any(|(_, k)| k == p);
                if !under_dollar_key && looks_like_expression(text) {
                    strings.push((text.to_string(), p.to_string()));
                }
            });
        }
        for (key, pointer) in keys {
            let d = ctx
                .diagnostic(format!(
                    "`{key}` in a Pass state's `Result` is not evaluated: `Result` is static"
                ))
                .at_key(pointer)
                .label("taken literally")
                .help("to build the output from the input, use `Parameters` instead of `Result`");
            ctx.report(d);
        }
        for (text, pointer) in strings {
            let d = ctx
                .diagnostic(format!(
                    "\"{text}\" in a Pass state's `Result` is not evaluated: `Result` is static"
                ))
                .at_value(pointer)
                .label("taken literally")
                .help("to build the output from the input, use `Parameters` with keys ending in `.$`");
            ctx.report(d);
        }
    }
}
/// Whether `result` has a key ending in `.$` or a string that looks like an expression: what
/// the walk with pointers above reports. Most `Result`s have neither, and are checked without
/// building a pointer for each of their members.
fn reports_anything(result: &Value) -> bool {
    match result {
        Value::String(text) => looks_like_expression(text),
        Value::Object(object) => object
            .iter()
            .any(|(key, value)| key.ends_with(".$") || reports_anything(value)),
        Value::Array(items) => items.iter().any(reports_anything),
        _ => false,
    }
}
