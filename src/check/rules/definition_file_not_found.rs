use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a template machine whose `DefinitionUri` (SAM), `${file(…)}` (Serverless
    /// Framework) or `file(…)` / `templatefile(…)` (Terraform) names a local file that does not
    /// exist, with the name of an existing file
    /// that differs only in the case of its letters or by a typo.
    ///
    /// ## Why it matters
    /// `sam package`, `sam deploy`, `serverless deploy` and `terraform plan` fail on it. A case mismatch is the
    /// usual cause: it works on macOS and Windows, whose file systems ignore case, and fails in
    /// CI on Linux. Without this finding the machine would not be checked at all.
    ///
    /// ## Example
    /// ```yaml
    /// OrderStateMachine:
    ///   Type: AWS::Serverless::StateMachine
    ///   Properties:
    ///     DefinitionUri: statemachine/Order.asl.json   # the file is statemachine/order.asl.json
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     DefinitionUri: statemachine/order.asl.json
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html> (`DefinitionUri`)
    pub struct DefinitionFileNotFound {
        code: crate::source::codes::FILE_NOT_FOUND,
        name: "definition-file-not-found",
        summary: "A template names a definition file that does not exist",
        severity: Error,
        aws_code: None,
        emitted_by: "loader",
    }
}
