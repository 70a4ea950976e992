use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a number below its minimum or above its maximum (`BackoffRate` below 1, `Seconds` above 99999999), a string that is too long (a state name over 80 characters), or a list that must not be empty (`Choices`, `Branches`, `ErrorEquals`).
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
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct ValueOutOfRange {
        code: "ASL014",
        name: "value-out-of-range",
        summary: "A number, string or list is outside its allowed range",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
