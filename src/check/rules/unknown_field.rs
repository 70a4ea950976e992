use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a field that is not allowed where it appears: a typo (`Nxt`), a field of another
    /// state type (`TimeoutSeconds` on a Pass state, `Next` on a Choice state), or a field that
    /// does not exist. Every object of the language is checked: the top level, states, Parallel
    /// branches, Map `ItemProcessor`, retriers, catchers, `Credentials`, `ItemReader` and its
    /// `ReaderConfig`, `ItemBatcher`, `ResultWriter` and its `WriterConfig`, `ProcessorConfig`.
    /// The diagnostic points at the key, suggests the field you probably meant and lists the
    /// fields allowed there. Payload templates (`Parameters`, `Arguments`, `ResultSelector`,
    /// `ItemSelector`, `Output`, `Assign`, `Result`) hold your own data and are not checked.
    ///
    /// Which fields are allowed does not depend on the query language here: a JSONPath-only
    /// field in a JSONata state is reported by a rule of its own.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects unknown fields with
    /// `SCHEMA_VALIDATION_FAILED`. A misspelt optional field reads as if it worked
    /// (`"MaxRetries": 5` in a retrier looks like a retry policy) until the deployment fails.
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
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html>
    pub struct UnknownField {
        code: "ASL010",
        name: "unknown-field",
        summary: "A field that this object does not allow",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
