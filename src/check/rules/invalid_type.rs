use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a field whose value has the wrong JSON type: a string where a number is expected
    /// (`"Seconds": "10"`), a fraction where a whole number is expected
    /// (`"TimeoutSeconds": 2.5`), a string where an array is expected (`"ErrorEquals":
    /// "States.ALL"`), a state that is not an object. The diagnostic points at the value and
    /// says what was expected.
    ///
    /// Two forms are accepted in place of the plain type. In JSONata, numeric fields
    /// (`Seconds`, `TimeoutSeconds`, `HeartbeatSeconds`, `MaxConcurrency`, `ToleratedFailure…`,
    /// `MaxItems`, `MaxItemsPerBatch`, …) and `Items` may be a string holding one whole
    /// expression, `"{% … %}"`. Inside a CloudFormation template, `Resource` may be an
    /// intrinsic function such as `{"Fn::GetAtt": ["MyFunction", "Arn"]}`, and any value may
    /// be one in a definition nested in a template, since CloudFormation resolves it first.
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
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html> (JSONata expressions)
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
