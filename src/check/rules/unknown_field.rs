use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a field that is not allowed where it appears: a typo (`Nxt`), a field of another state type (`TimeoutSeconds` on a Pass state), or a field that does not exist. The diagnostic points at the key and lists the allowed fields.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Pass", "Nxt": "Done"}
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
    pub struct UnknownField {
        code: "ASL010",
        name: "unknown-field",
        summary: "A field that this object does not allow",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
