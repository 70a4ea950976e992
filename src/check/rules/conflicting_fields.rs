use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports fields that may not be used together (`Next` and `End`, `TimeoutSeconds` and `TimeoutSecondsPath`, `Iterator` and `ItemProcessor`), and states that need exactly one of a set and have none (a Wait without `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`).
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
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
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct ConflictingFields {
        code: "ASL015",
        name: "conflicting-fields",
        summary: "Fields that exclude each other appear together, or none of a required set appears",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
