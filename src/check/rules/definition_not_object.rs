use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a definition whose root is not a JSON object (an array, a string, a number…).
    ///
    /// ## Why it matters
    /// Step Functions answers `Definition must be a valid JSON object`; the rest of the file
    /// cannot be read as a state machine.
    ///
    /// ## Example
    /// ```json
    /// [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html#toplevelfields>
    pub struct DefinitionNotObject {
        code: crate::source::codes::NOT_AN_OBJECT,
        name: "definition-not-object",
        summary: "The definition's root is not a JSON object",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "loader",
    }
}
