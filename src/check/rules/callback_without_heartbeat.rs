use crate::check::handlers::TaskKind;
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an activity or `.waitForTaskToken` Task without `HeartbeatSeconds` (or
    /// `HeartbeatSecondsPath`) whose timeout is longer than five minutes or unset.
    ///
    /// It does not fire on other tasks, nor when the task's literal `TimeoutSeconds` is five
    /// minutes or less (the timeout already notices a lost worker quickly).
    ///
    /// ## Why it matters
    /// Without a heartbeat, a worker that crashed after taking the task is only noticed when the
    /// whole timeout runs out, often hours later. With `HeartbeatSeconds` the task fails with
    /// `States.HeartbeatTimeout` as soon as the worker goes quiet, and a retrier can hand the
    /// work to another one.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Review", "States": {"Review": {"Type": "Task",
    ///   "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///   "TimeoutSeconds": 86400, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Review", "States": {"Review": {"Type": "Task",
    ///   "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///   "TimeoutSeconds": 86400, "HeartbeatSeconds": 300, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields> (`HeartbeatSeconds`)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#use-timeouts-to-avoid-stuck-executions>
    pub struct CallbackWithoutHeartbeat {
        code: "ASL303",
        name: "callback-without-heartbeat",
        summary: "A callback or activity task has no `HeartbeatSeconds`: a lost worker goes unnoticed until the timeout",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// Timeouts up to this many seconds notice a lost worker soon enough without a heartbeat.
const SHORT_TIMEOUT_SECONDS: u64 = 300;

impl CallbackWithoutHeartbeat {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            let Some(kind) = TaskKind::of(state) else { continue };
            if !kind.is_callback() || state.has("HeartbeatSeconds") || state.has("HeartbeatSecondsPath") {
                continue;
            }
            let timeout = state.get("TimeoutSeconds").and_then(serde_json::Value::as_u64);
            if timeout.is_some_and(|t| t <= SHORT_TIMEOUT_SECONDS) {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "task \"{}\" waits for a worker or callback without `HeartbeatSeconds`",
                    state.name
                ))
                .at_value(state.field_pointer("Resource"))
                .label("a crashed worker is only noticed at the timeout")
                .help("set `HeartbeatSeconds` and have the worker call SendTaskHeartbeat more often than that");
            ctx.report(d);
        }
    }
}
