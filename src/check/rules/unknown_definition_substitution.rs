use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::source::templates::{self, Substitutions, TemplateKind};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// In a state machine defined in a CloudFormation or SAM template, reports a `${key}`
    /// placeholder whose key is not in the machine's `DefinitionSubstitutions`. Without
    /// `DefinitionSubstitutions`, it reports placeholders in `Resource` fields only: elsewhere
    /// (a `Comment`, a message text) `${…}` may be meant literally.
    ///
    /// Inside `Fn::Sub`, `${Name}` is resolved by `Fn::Sub` itself (parameters, resources,
    /// pseudo parameters such as `${AWS::Region}`) and is not reported; `${!key}`, which
    /// `Fn::Sub` turns into `${key}`, is a `DefinitionSubstitutions` placeholder again. In a
    /// Serverless Framework file, the framework's own variables (`${self:custom.arn}`) are not
    /// placeholders either.
    ///
    /// ## Why it matters
    /// CloudFormation replaces only the placeholders listed in `DefinitionSubstitutions` and
    /// leaves any other `${…}` in the definition as written. A misspelt key therefore deploys a
    /// Task whose `Resource` is the text `${ChargeFunctionArnn}`: Step Functions rejects it as an
    /// invalid ARN, or the state fails when it runs.
    ///
    /// ## Example
    /// ```yaml
    /// OrderStateMachine:
    ///   Type: AWS::Serverless::StateMachine
    ///   Properties:
    ///     DefinitionUri: statemachine/order.asl.json   # "Resource": "${ChargeFunctionArnn}"
    ///     DefinitionSubstitutions:
    ///       ChargeFunctionArn: !GetAtt ChargeFunction.Arn
    /// ```
    ///
    /// ## Use instead
    /// Spell the key as `DefinitionSubstitutions` does (`${ChargeFunctionArn}`), or add the
    /// missing key to `DefinitionSubstitutions`.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions>
    /// - <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html#sam-statemachine-definitionsubstitutions>
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html> (`${!Literal}`)
    pub struct UnknownDefinitionSubstitution {
        code: "ASL005",
        name: "unknown-definition-substitution",
        summary: "A `${key}` placeholder in a template's state machine has no DefinitionSubstitutions entry",
        severity: Error,
        aws_code: None,
    }
}

impl UnknownDefinitionSubstitution {
    fn check(ctx: &mut Context<'_, '_>) {
        let Some(machine) = ctx.doc.machines.iter().find(|m| m.pointer == ctx.machine.pointer) else {
            return;
        };
        let Some(template) = &machine.template else {
            return;
        };
        // The Serverless Framework and Terraform resolve their own `${…}`.
        if matches!(template.kind, TemplateKind::Serverless | TemplateKind::Terraform) {
            return;
        }
        let keys = match &template.substitutions {
            Substitutions::Unknown => return,
            Substitutions::Absent => None,
            Substitutions::Keys(keys) => Some(keys),
        };
        // The DefinitionSubstitutions member, when it is in this file.
        let listed_at = match template.form {
            templates::DefinitionForm::File => None,
            _ => machine
                .pointer
                .rsplit_once('/')
                .map(|(properties, _)| format!("{properties}/DefinitionSubstitutions")),
        };
        for p in templates::placeholders(&ctx.doc.value, machine) {
            // `${self:custom.arn}`, `${file(x.json)}`: the Serverless Framework's to resolve.
            if template.framework_variables && p.key.contains([':', '(']) {
                continue;
            }
            let diagnostic = match keys {
                Some(keys) if keys.contains(&p.key) => continue,
                Some(keys) => {
                    // A file of its own does not show which template it belongs to: say it.
                    let owner = match listed_at {
                        Some(_) => String::new(),
                        None => format!(" of {}", machine.name),
                    };
                    let d = ctx
                        .diagnostic(format!(
                            "`${{{}}}` is not a key of `DefinitionSubstitutions`{owner}",
                            p.key
                        ))
                        .at(Location::in_string(&p.pointer, p.chars.start, p.chars.end))
                        .label("CloudFormation leaves this placeholder as written")
                        .maybe_help(did_you_mean(&p.key, keys.iter().map(String::as_str)));
                    match &listed_at {
                        Some(at) => d.with_label(Location::key(at.clone()), "the keys it substitutes"),
                        None => d,
                    }
                }
                None if !p.in_resource => continue,
                None => ctx
                    .diagnostic(format!(
                        "`${{{}}}` in a `Resource`, but the state machine has no `DefinitionSubstitutions`",
                        p.key
                    ))
                    .at(Location::in_string(&p.pointer, p.chars.start, p.chars.end))
                    .label("reaches Step Functions as written")
                    .help(format!(
                        "add `DefinitionSubstitutions` with a `{}` key to the state machine's properties",
                        p.key
                    )),
            };
            ctx.report(diagnostic.note(
                "CloudFormation fills in only the placeholders listed in DefinitionSubstitutions; any other `${…}` stays in the definition",
            ));
        }
    }
}
