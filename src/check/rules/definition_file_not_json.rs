use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Warns when a definition file a template names (SAM `DefinitionUri`, Serverless
    /// `${file(…)}`) is not JSON, but CloudFormation still reads it: most often a trailing comma.
    ///
    /// ## Why it matters
    /// CloudFormation fills in `DefinitionSubstitutions` in the text, parses JSON, and when that
    /// fails parses YAML (of which JSON with trailing commas is a part), so the stack deploys.
    /// The Step Functions API, the console, Workflow Studio and most JSON tools refuse the same
    /// text, so the file works in one place only.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": true,}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html> (`DefinitionS3Location`, `DefinitionSubstitutions`)
    /// - <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html> (`DefinitionUri`)
    pub struct DefinitionFileNotJson {
        code: crate::source::codes::NOT_JSON,
        name: "definition-file-not-json",
        summary: "A definition file a template names is not JSON; only CloudFormation's YAML fallback reads it",
        severity: Warning,
        aws_code: None,
        emitted_by: "loader",
    }
}
