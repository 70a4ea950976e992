use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a field whose value has the wrong JSON type: a number where a string is expected, a string where an array is expected, and so on. The diagnostic points at the value and says what was expected.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Wait", "Seconds": "10", "Next": "Done"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Wait", "Seconds": 10, "Next": "Done"}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct InvalidType {
        code: "ASL012",
        name: "invalid-type",
        summary: "A field has a value of the wrong JSON type",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
