use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an object key that appears twice in the same object.
    ///
    /// ## Why it matters
    /// JSON parsers, including the one Step Functions uses, silently keep the *last* value, so
    /// the first one is dead text that readers believe is in force: two `"Next"` keys, or two
    /// states with the same name in `States`, where only one survives.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Pass", "Next": "Charge", "Next": "Ship"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Pass", "Next": "Ship"}
    /// ```
    ///
    /// ## References
    /// - <https://www.rfc-editor.org/rfc/rfc8259#section-4> ("names within an object SHOULD be unique")
    pub struct DuplicateKey {
        code: crate::source::codes::DUPLICATE_KEY,
        name: "duplicate-key",
        summary: "A key appears twice in one object; only the last value is kept",
        severity: Error,
        aws_code: None,
        emitted_by: "loader",
    }
}
