use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports fields that may not be used together, and states that need exactly one of a set
    /// and have none. A state other than Choice, Succeed and Fail has exactly one of `Next` and
    /// `End`; a Wait state exactly one of `Seconds`, `SecondsPath`, `Timestamp` and
    /// `TimestampPath`; a Map state exactly one of `ItemProcessor` and `Iterator`. A fixed value
    /// and its `…Path` form exclude each other (`TimeoutSeconds`/`TimeoutSecondsPath`,
    /// `HeartbeatSeconds`, `MaxConcurrency`, `ToleratedFailurePercentage`,
    /// `ToleratedFailureCount`, `MaxItems`, `MaxItemsPerBatch`, `MaxInputBytesPerBatch`,
    /// Fail `Error`/`ErrorPath` and `Cause`/`CausePath`, `RoleArn`/`RoleArn.$`), and so do a
    /// Map's `ItemSelector` and its deprecated `Parameters`. The diagnostic points at the second
    /// of the conflicting fields and marks the first.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// Which of two conflicting values would win is not defined, so the definition is refused.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Pass", "Next": "Done", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Pass", "Next": "Done"}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html>
    pub struct ConflictingFields {
        code: "ASL015",
        name: "conflicting-fields",
        summary: "Fields that exclude each other appear together, or none of a required set appears",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
