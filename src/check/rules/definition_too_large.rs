use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a definition larger than 1 MiB, the maximum size Step Functions accepts.
    ///
    /// ## Why it matters
    /// CreateStateMachine and UpdateStateMachine refuse it outright. Nothing else in such a file is
    /// checked (a 50 MB file is rejected without being parsed).
    ///
    /// ## Example
    /// A definition that embeds a large lookup table in a Pass state's `Result`.
    ///
    /// ## Use instead
    /// Keep large data outside the definition: in S3 (read with a Distributed Map `ItemReader` or
    /// a task), or in the execution input.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html> ("Maximum request size: 1 MB")
    pub struct DefinitionTooLarge {
        code: crate::source::codes::TOO_LARGE,
        name: "definition-too-large",
        summary: "The definition exceeds AWS's 1 MiB limit",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
        emitted_by: "loader",
    }
}
