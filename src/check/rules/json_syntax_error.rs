use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports text that is not a single valid JSON value: a syntax error (shown with a caret at
    /// the place parsing stopped), an empty file, binary data, or bytes that are not UTF-8.
    ///
    /// ## Why it matters
    /// Step Functions rejects such a definition with `INVALID_JSON_DESCRIPTION` before looking at
    /// anything else, and nothing else in the file can be checked.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Succeed"},}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://www.rfc-editor.org/rfc/rfc8259>
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>
    pub struct JsonSyntaxError {
        code: crate::source::codes::SYNTAX_ERROR,
        name: "invalid-json",
        summary: "The file is not valid JSON",
        severity: Error,
        aws_code: Some("INVALID_JSON_DESCRIPTION"),
        emitted_by: "loader",
    }
}
