use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an object that lacks a field the language requires: `StartAt` or `States` at the top, `Type` on a state, `Resource` on a Task, `ErrorEquals` on a retrier…
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct MissingRequiredField {
        code: "ASL011",
        name: "missing-required-field",
        summary: "A required field is missing",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
