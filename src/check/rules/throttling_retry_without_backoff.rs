use serde_json::Value;

use crate::check::handlers::handlers;
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a retrier whose `ErrorEquals` names a throttling error (a name containing
    /// `Throttl`, `TooManyRequests`, `ProvisionedThroughputExceeded`, `RequestLimitExceeded`
    /// or `SlowDown`) and whose `BackoffRate` is 1, so every retry comes after the same
    /// interval.
    ///
    /// It does not fire without an explicit `BackoffRate` (the default is 2.0), nor on
    /// retriers that only name wildcards (`States.ALL`, `States.TaskFailed`).
    ///
    /// ## Why it matters
    /// A throttled service asks its callers to slow down. Retrying at a fixed pace — from every
    /// execution at once — keeps the pressure on, and the retries fail for the same reason.
    /// Exponential back-off with jitter spreads them out.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Put", "States": {"Put": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::dynamodb:putItem",
    ///   "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
    ///   "Retry": [{"ErrorEquals": ["DynamoDB.ThrottlingException"], "IntervalSeconds": 1,
    ///              "MaxAttempts": 5, "BackoffRate": 1}], "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Put", "States": {"Put": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::dynamodb:putItem",
    ///   "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
    ///   "Retry": [{"ErrorEquals": ["DynamoDB.ThrottlingException"], "IntervalSeconds": 1,
    ///              "MaxAttempts": 5, "BackoffRate": 2, "JitterStrategy": "FULL"}], "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error>
    /// - <https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/>
    pub struct ThrottlingRetryWithoutBackoff {
        code: "ASL307",
        name: "throttling-retry-without-backoff",
        summary: "A retrier for throttling errors retries at a fixed pace (`BackoffRate: 1`)",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

const THROTTLING: [&str; 5] = [
    "Throttl",
    "TooManyRequests",
    "ProvisionedThroughputExceeded",
    "RequestLimitExceeded",
    "SlowDown",
];

impl ThrottlingRetryWithoutBackoff {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for handler in handlers(state, "Retry") {
                let Some(rate) = handler.value.get("BackoffRate").and_then(Value::as_f64) else {
                    continue;
                };
                if rate > 1.0 {
                    continue;
                }
                let Some(name) = handler.errors.iter().find(|e| THROTTLING.iter().any(|t| e.contains(t))) else {
                    continue;
                };
                let d = ctx
                    .diagnostic(format!(
                        "retrier for `{name}` retries at a fixed pace, without back-off"
                    ))
                    .at_value(handler.field_pointer("BackoffRate"))
                    .label("each retry waits the same interval")
                    .help("set `BackoffRate` above 1 (e.g. 2) and `JitterStrategy: \"FULL\"` so retries spread out");
                ctx.report(d);
            }
        }
    }
}
