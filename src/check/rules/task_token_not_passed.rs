use serde_json::Value;

use crate::check::expressions::for_each_string;
use crate::check::handlers::TaskKind;
use crate::check::Context;
use crate::declare_rule;
use crate::model::QueryLanguage;

declare_rule! {
    /// ## What it does
    /// Reports a `.waitForTaskToken` Task whose `Parameters` (JSONPath) or `Arguments`
    /// (JSONata) never pass the task token: no value mentions `$$.Task.Token` or
    /// `$states.context.Task.Token`.
    ///
    /// It does not fire when any value passes the token, or the whole context object (`"$$"`,
    /// `$states.context`), from which the receiver can read it; nor on other integration
    /// patterns.
    ///
    /// ## Why it matters
    /// A callback task pauses until someone calls `SendTaskSuccess` or `SendTaskFailure` with
    /// its token. If the token is never sent, nobody can answer: the execution waits until the
    /// task's timeout (by default 99,999,999 seconds, about three years).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///   "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
    ///                  "MessageBody": {"order.$": "$.order"}},
    ///   "TimeoutSeconds": 3600, "HeartbeatSeconds": 600, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///   "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
    ///                  "MessageBody": {"order.$": "$.order", "taskToken.$": "$$.Task.Token"}},
    ///   "TimeoutSeconds": 3600, "HeartbeatSeconds": 600, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token>
    pub struct TaskTokenNotPassed {
        code: "ASL301",
        name: "task-token-not-passed",
        summary: "A `.waitForTaskToken` task never passes `$$.Task.Token`, so no one can answer it",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// Whether a string hands the task token (or the context holding it) to the service.
fn passes_token(text: &str, language: QueryLanguage) -> bool {
    if text.contains("Task.Token") {
        return true;
    }
    match language {
        QueryLanguage::JsonPath => text.trim() == "$$",
        QueryLanguage::Jsonata => text
            .match_indices("$states.context")
            .any(|(i, m)| !text[i + m.len()..].starts_with('.')),
    }
}

impl TaskTokenNotPassed {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            let Some(kind) = TaskKind::of(state) else { continue };
            if kind.pattern != Some(crate::model::resource::Pattern::WaitForTaskToken) {
                continue;
            }
            let field = match state.query_language {
                QueryLanguage::JsonPath => "Parameters",
                QueryLanguage::Jsonata => "Arguments",
            };
            let mut passed = false;
            if let Some(payload) = state.get(field) {
                for_each_string(payload, "", &mut |text, _| {
                    passed |= passes_token(text, state.query_language)
                });
            }
            if passed {
                continue;
            }
            let token = match state.query_language {
                QueryLanguage::JsonPath => "\"taskToken.$\": \"$$.Task.Token\"",
                QueryLanguage::Jsonata => "\"taskToken\": \"{% $states.context.Task.Token %}\"",
            };
            let at = if state.get(field).is_some_and(Value::is_object) {
                state.field_pointer(field)
            } else {
                state.field_pointer("Resource")
            };
            let d = ctx
                .diagnostic(format!(
                    "task \"{}\" waits for a task token that its `{field}` never sends",
                    state.name
                ))
                .at_value(at)
                .label("no value here passes the task token")
                .help(format!("send the token to whoever completes the task, e.g. {token}"))
                .note("without the token nobody can call SendTaskSuccess, so the task can only time out");
            ctx.report(d);
        }
    }
}
