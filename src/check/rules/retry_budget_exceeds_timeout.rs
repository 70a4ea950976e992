use crate::check::handlers::{handlers, retries, retry_budget_seconds};
use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;

declare_rule! {
    /// ## What it does
    /// Adds up the waits of a retrier — `IntervalSeconds × BackoffRate^n` for each of its
    /// `MaxAttempts` retries, each capped by `MaxDelaySeconds` — and reports it when that alone
    /// is longer than the state machine's `TimeoutSeconds`.
    ///
    /// It does not fire without a literal top-level `TimeoutSeconds`. A Task's own
    /// `TimeoutSeconds` is not compared: it bounds each attempt, not the retries.
    ///
    /// ## Why it matters
    /// The execution times out before the retrier has used its attempts, so the later retries
    /// (and any Catch after them) never happen: the run ends `TIMED_OUT` instead of reaching
    /// the error handling that was written for it.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Call", "TimeoutSeconds": 60, "States": {"Call": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///   "Retry": [{"ErrorEquals": ["SNS.ThrottledException"], "IntervalSeconds": 10,
    ///              "MaxAttempts": 5, "BackoffRate": 2}], "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Call", "TimeoutSeconds": 60, "States": {"Call": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///   "Retry": [{"ErrorEquals": ["SNS.ThrottledException"], "IntervalSeconds": 1,
    ///              "MaxAttempts": 5, "BackoffRate": 2, "MaxDelaySeconds": 8}], "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error>
    /// - <https://states-language.net/spec.html#toplevelfields> (`TimeoutSeconds`)
    pub struct RetryBudgetExceedsTimeout {
        code: "ASL308",
        name: "retry-budget-exceeds-timeout",
        summary: "A retrier's total back-off is longer than the state machine's `TimeoutSeconds`",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl RetryBudgetExceedsTimeout {
    fn check(ctx: &mut Context<'_, '_>) {
        let Some(timeout) = ctx
            .machine
            .object
            .and_then(|o| o.get("TimeoutSeconds"))
            .and_then(serde_json::Value::as_u64)
        else {
            return;
        };
        for (_, state) in ctx.machine.all_states() {
            for handler in handlers(state, "Retry") {
                if !retries(&handler) {
                    continue;
                }
                let budget = retry_budget_seconds(&handler);
                if budget <= timeout as f64 {
                    continue;
                }
                let d = ctx
                    .diagnostic(format!(
                        "retrier {} of \"{}\" waits {} in total, longer than the state machine's timeout of {timeout} s",
                        handler.index,
                        state.name,
                        describe_seconds(budget)
                    ))
                    .at_value(handler.pointer.clone())
                    .label("retries outlast the execution")
                    .with_label(Location::value(ctx.machine.field_pointer("TimeoutSeconds")), "the execution times out here")
                    .help("lower `IntervalSeconds`, `BackoffRate` or `MaxAttempts`, or cap each wait with `MaxDelaySeconds`");
                ctx.report(d);
            }
        }
    }
}

fn describe_seconds(seconds: f64) -> String {
    if seconds >= 1e7 {
        "more than 10,000,000 s".to_string()
    } else {
        format!("{} s", (seconds * 10.0).round() / 10.0)
    }
}
