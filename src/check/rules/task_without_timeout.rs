use crate::check::handlers::TaskKind;
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Task that waits on another party — an activity, a `.waitForTaskToken`
    /// callback or a `.sync` job — with neither `TimeoutSeconds` nor `TimeoutSecondsPath`,
    /// in a state machine without a top-level `TimeoutSeconds`.
    ///
    /// It does not fire on request-response calls (the service call itself is bounded, and a
    /// Lambda function by its own timeout), nor when the task or the machine sets a timeout.
    ///
    /// ## Why it matters
    /// A Task's default timeout is 99,999,999 seconds, about three years. If the worker dies,
    /// the callback is lost or the job hangs, the execution stays open — and is billed, and
    /// counts against the open-executions quota — until someone notices.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Review", "States": {"Review": {"Type": "Task",
    ///   "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///   "HeartbeatSeconds": 60, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Review", "States": {"Review": {"Type": "Task",
    ///   "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
    ///   "TimeoutSeconds": 3600, "HeartbeatSeconds": 60, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#use-timeouts-to-avoid-stuck-executions>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html>
    pub struct TaskWithoutTimeout {
        code: "ASL302",
        name: "task-without-timeout",
        summary: "A callback, activity or `.sync` task can wait three years: no `TimeoutSeconds`",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl TaskWithoutTimeout {
    fn check(ctx: &mut Context<'_, '_>) {
        if ctx.machine.object.is_some_and(|o| o.contains_key("TimeoutSeconds")) {
            return;
        }
        for (_, state) in ctx.machine.all_states() {
            let Some(kind) = TaskKind::of(state) else { continue };
            if !kind.can_wait_long() || state.has("TimeoutSeconds") || state.has("TimeoutSecondsPath") {
                continue;
            }
            let what = if kind.activity {
                "an activity"
            } else if kind.is_callback() {
                "a callback"
            } else {
                "a `.sync` job"
            };
            let d = ctx
                .diagnostic(format!(
                    "task \"{}\" waits for {what} with no timeout (the default is about three years)",
                    state.name
                ))
                .at_value(state.field_pointer("Resource"))
                .label("can wait 99,999,999 seconds")
                .help("set `TimeoutSeconds` on the task (or a `TimeoutSeconds` for the whole state machine)");
            ctx.report(d);
        }
    }
}
