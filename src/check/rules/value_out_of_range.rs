use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a number outside its range, a string that is too long, or a list that must not
    /// be empty. The ranges are those Step Functions enforces: `Seconds` 0 to 99999999, Task
    /// `TimeoutSeconds` and `HeartbeatSeconds` 1 to 99999999, retrier `IntervalSeconds` 1 to
    /// 99999999, `MaxAttempts` 0 to 99999999, `BackoffRate` at least 1.0, `MaxDelaySeconds` 1
    /// to 31622400, `ToleratedFailurePercentage` 0 to 100, `MaxInputBytesPerBatch` up to
    /// 262144 (256 KiB), a Map `Label` of at most 40 characters, and non-empty `Choices`,
    /// `Branches` and `ErrorEquals`. The message names the bounds.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"ErrorEquals": ["States.ALL"], "BackoffRate": 2}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html> (retriers)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html> (batches)
    pub struct ValueOutOfRange {
        code: "ASL014",
        name: "value-out-of-range",
        summary: "A number, string or list is outside its allowed range",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
