use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a value that has the right type but is not one of the allowed values: an unknown
    /// state `Type`, `"End": false`, a `QueryLanguage` other than `JSONPath` or `JSONata`, a
    /// `JitterStrategy` other than `FULL` or `NONE`, and the enumerations of Distributed Map:
    /// `ProcessorConfig` `Mode` and `ExecutionType`, `ReaderConfig` `InputType`,
    /// `CSVHeaderLocation` and `CSVDelimiter`, `WriterConfig` `OutputType` and
    /// `Transformation`. Values are case-sensitive; the diagnostic suggests the closest
    /// allowed value.
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`.
    /// aslkit checks the same constraints with its JSON Schema (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Pass", "End": false}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Pass", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html> (`JitterStrategy`)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html> (`ReaderConfig`)
    pub struct InvalidValue {
        code: "ASL013",
        name: "invalid-value",
        summary: "A field has a value the language does not allow",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
