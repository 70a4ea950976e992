use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::model::{QueryLanguage, StateType};

declare_rule! {
    /// ## What it does
    /// Reports a JSONPath Task that spells out `"ResultPath": "$"`: the task's result replaces
    /// the state's whole input.
    ///
    /// It does not fire when `ResultPath` is left out (the same behaviour, but the documented
    /// default that readers expect), nor on other `ResultPath` values or `null`. It is
    /// information, not a warning: replacing the input is often what is meant.
    ///
    /// ## Why it matters
    /// Writing `"ResultPath": "$"` is frequently a misunderstanding of `ResultPath`: the author
    /// wanted to *add* the result to the input (`"$.result"`) and the next states then fail
    /// on fields of the input that no longer exist (`States.Runtime`, "Invalid path").
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.text"},
    ///   "ResultPath": "$", "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.text"},
    ///   "ResultPath": "$.publish", "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html>
    pub struct ResultPathReplacesInput {
        code: "ASL317",
        name: "result-path-replaces-input",
        summary: "A Task's `\"ResultPath\": \"$\"` replaces its whole input with the result",
        severity: Info,
        aws_code: None,
        group: Lint,
    }
}

impl ResultPathReplacesInput {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Task)
                || state.query_language != QueryLanguage::JsonPath
                || state.get("ResultPath").and_then(Value::as_str) != Some("$")
            {
                continue;
            }
            let d = ctx
                .diagnostic(format!("task \"{}\" replaces its whole input with its result", state.name))
                .at_value(state.field_pointer("ResultPath"))
                .label("the input is discarded")
                .help("to keep the input, put the result under a field (`\"ResultPath\": \"$.result\"`); to drop it on purpose, leave `ResultPath` out");
            ctx.report(d);
        }
    }
}
