use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose `HeartbeatSeconds` is not smaller than its `TimeoutSeconds`,
    /// when both are literal integers.
    ///
    /// ## Why it matters
    /// The heartbeat interval must be shorter than the task's whole timeout, otherwise it can
    /// never fire: the ASL specification requires `HeartbeatSeconds` to be smaller than
    /// `TimeoutSeconds` and Step Functions rejects the definition with
    /// `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///  "TimeoutSeconds": 300, "HeartbeatSeconds": 300, "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///  "TimeoutSeconds": 300, "HeartbeatSeconds": 60, "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html>
    /// - <https://states-language.net/spec.html#task-state> ("the HeartbeatSeconds interval MUST be smaller than the TimeoutSeconds value")
    pub struct HeartbeatNotBelowTimeout {
        code: "ASL115",
        name: "heartbeat-not-below-timeout",
        summary: "`HeartbeatSeconds` is not smaller than `TimeoutSeconds`",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl HeartbeatNotBelowTimeout {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Task) {
                continue;
            }
            let heartbeat = state.get("HeartbeatSeconds").and_then(|v| v.as_u64());
            let timeout = state.get("TimeoutSeconds").and_then(|v| v.as_u64());
            let (Some(heartbeat), Some(timeout)) = (heartbeat, timeout) else {
                continue;
            };
            if heartbeat < timeout {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "`HeartbeatSeconds` ({heartbeat}) must be smaller than `TimeoutSeconds` ({timeout})"
                ))
                .at_value(state.field_pointer("HeartbeatSeconds"))
                .label("not below the timeout")
                .with_label(
                    Location::value(state.field_pointer("TimeoutSeconds")),
                    "the task's whole timeout",
                )
                .help("the heartbeat is the longest silence allowed between two heartbeats; make it shorter than the timeout");
            ctx.report(d);
        }
    }
}
