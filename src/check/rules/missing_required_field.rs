use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an object that lacks a field the language requires: `StartAt` or `States` at the
    /// top or in a Parallel branch or Map `ItemProcessor`, `Type` on a state, `Resource` on a
    /// Task, `Choices` on a Choice state, `Branches` on a Parallel state, `ErrorEquals` on a
    /// retrier or catcher and `Next` on a catcher, `Resource` on an `ItemReader`, `OutputType`
    /// in a `WriterConfig`. It also reports fields required by another one: `ExecutionType`
    /// when `ProcessorConfig` has `"Mode": "DISTRIBUTED"`, `RoleArn` (or `RoleArn.$`) in
    /// `Credentials`, and a `ResultWriter` with neither `Resource` nor `WriterConfig`. The
    /// diagnostic points at the object and says what the missing field is for; when a
    /// misspelt field is the cause (`Resorce`), only the misspelling is reported (ASL010).
    ///
    /// ## Why it matters
    /// Step Functions validates every definition against the Amazon States Language before it
    /// creates or updates a state machine, and rejects it with `SCHEMA_VALIDATION_FAILED`
    /// (`These fields are required: [StartAt]`, `The field 'RoleArn' is required but was
    /// missing`). aslkit checks the same constraints with its JSON Schema
    /// (`schemas/asl.schema.json`).
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html>
    pub struct MissingRequiredField {
        code: "ASL011",
        name: "missing-required-field",
        summary: "A required field is missing",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "schema",
    }
}
