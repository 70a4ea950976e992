use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes a template machine whose definition is in S3 (`DefinitionS3Location`, a
    /// `DefinitionUri` given as `s3://…` or as `{Bucket, Key}`), which aslkit does not read, or
    /// a Terraform `aws_sfn_state_machine` whose `definition` only Terraform can compute
    /// (`data.template_file.x.rendered`, a variable).
    ///
    /// ## Why it matters
    /// aslkit never touches the network, so such a machine is not checked at all; the note
    /// says so instead of leaving the template silently clean.
    ///
    /// ## Example
    /// ```yaml
    /// OrderStateMachine:
    ///   Type: AWS::Serverless::StateMachine
    ///   Properties:
    ///     DefinitionUri: s3://my-bucket/order.asl.json
    /// ```
    ///
    /// ## Use instead
    /// Keep the definition in the repository and name the local file; `sam package` uploads it.
    /// ```yaml
    ///     DefinitionUri: statemachine/order.asl.json
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html> (`DefinitionUri`)
    pub struct DefinitionNotChecked {
        code: crate::source::codes::NOT_CHECKED,
        name: "definition-not-checked",
        summary: "A template machine's definition is in S3 (or computed by Terraform) and was not checked",
        severity: Info,
        aws_code: None,
        emitted_by: "loader",
    }
}
