use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::integrations::{self, UNJUDGED_SERVICES};
use crate::model::resource::{IntegrationRef, Part, Pattern, TaskResource};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks a Task `Resource` of the form `arn:<partition>:states:::<service>:<action>` against
    /// the table of optimized integrations: the service must exist (`sqs`, `dynamodb`, `ecs`,
    /// `states`, `http`, …), the action must be one that service's optimized integration offers
    /// (DynamoDB has `getItem`, `putItem`, `updateItem` and `deleteItem`, not `query`), and the
    /// suffix must be a pattern that action supports (`.sync`, `.sync:2`,
    /// `.waitForTaskToken`). For AWS SDK integrations (`arn:<partition>:states:::aws-sdk:<service>:<action>`)
    /// it checks that the action is camelCase and that the suffix is not `.sync`, which SDK
    /// integrations do not support.
    ///
    /// Resources holding a `${…}` substitution and `s3` resources are not judged, and a service
    /// missing from the table is reported only when it is a near miss of a known one
    /// (`dynamdb`), since AWS adds integrations over time; the table
    /// (`src/model/integrations.rs`) is generous where the AWS pages are vague.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `SCHEMA_VALIDATION_FAILED`: "The resource
    /// provided … is not recognized. The value is not a valid resource ARN, or the resource is
    /// not available in this region."
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:query", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html>
    pub struct UnknownServiceIntegration {
        code: "ASL112",
        name: "unknown-service-integration",
        summary: "A Task resource naming an integration, action or pattern that does not exist",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl UnknownServiceIntegration {
    fn check(ctx: &mut Context<'_, '_>) {
        for (state, resource) in ctx.machine.task_resources() {
            let TaskResource::Integration(i) = state.task_resource() else {
                continue;
            };
            // Empty parts are `malformed-resource-arn`'s.
            if i.service.text.is_empty() || i.action.text.is_empty() {
                continue;
            }
            let at = |part: Part<'_>| Location::in_string(state.field_pointer("Resource"), part.start, part.end);
            if let Some(d) = judge(ctx, resource, &i, at) {
                ctx.report(d);
            }
        }
    }
}

const SDK_HELP: &str =
    "any other API action is available as an AWS SDK integration: arn:aws:states:::aws-sdk:<service>:<action>";

fn judge<'p>(
    ctx: &Context<'_, '_>,
    resource: &str,
    i: &IntegrationRef<'_>,
    at: impl Fn(Part<'_>) -> Location + 'p,
) -> Option<crate::diagnostic::Diagnostic> {
    let pattern = match (i.pattern, i.suffix) {
        (Some(p), _) => p,
        (None, Some(suffix)) => {
            return Some(
                ctx.diagnostic(format!("`.{}` is not an integration pattern", suffix.text))
                    .at(at(suffix))
                    .label("unknown suffix")
                    .maybe_help(did_you_mean(suffix.text, ["sync", "sync:2", "waitForTaskToken"]))
                    .note("the patterns are none (Request Response), `.sync`, `.sync:2` and `.waitForTaskToken`"),
            );
        }
        (None, None) => Pattern::RequestResponse,
    };
    if i.sdk {
        if matches!(pattern, Pattern::Sync | Pattern::Sync2) {
            return Some(
                ctx.diagnostic(format!(
                    "AWS SDK integrations do not support `{}`",
                    pattern.suffix()
                ))
                .at(at(i.suffix?))
                .label("not supported by aws-sdk integrations")
                .help("use the service's optimized integration if it offers `.sync`, or poll for completion in a loop")
                .note("AWS SDK integrations support Request Response and `.waitForTaskToken`"),
            );
        }
        let first = i.action.text.chars().next()?;
        if first.is_ascii_uppercase() {
            let camel: String = first.to_lowercase().chain(i.action.text.chars().skip(1)).collect();
            return Some(
                ctx.diagnostic(format!(
                    "AWS SDK action `{}` must be written in camelCase",
                    i.action.text
                ))
                .at(at(i.action))
                .label("starts with an uppercase letter")
                .help(format!("did you mean \"{camel}\"?")),
            );
        }
        return None;
    }
    let service = i.service.text;
    if UNJUDGED_SERVICES.contains(&service) {
        return None;
    }
    // The table is read row by row only when the action is not in it.
    let found = integrations::find(service, i.action.text);
    let rows = if found.is_some() {
        Vec::new()
    } else {
        integrations::service(service)
    };
    if found.is_none() && rows.is_empty() {
        // A service absent from the table may be an integration AWS added after it was
        // written: only a near miss of a known one (`dynamdb`) is reported.
        let suggestion = did_you_mean(service, integrations::services())?;
        return Some(
            ctx.diagnostic(format!("`{service}` is not an optimized service integration"))
                .at(at(i.service))
                .label("unknown service")
                .help(suggestion)
                .note(SDK_HELP),
        );
    }
    let Some(row) = found else {
        let actions: Vec<&str> = rows.iter().map(|r| r.action).collect();
        return Some(
            ctx.diagnostic(format!("`{service}:{}` is not an optimized integration", i.action.text))
                .at(at(i.action))
                .label(format!("not an action of the optimized `{service}` integration"))
                .help(
                    did_you_mean(i.action.text, actions.iter().copied())
                        .or_else(|| sdk_equivalent(resource, i))
                        .unwrap_or_else(|| SDK_HELP.to_string()),
                )
                .note(format!(
                    "the optimized `{service}` integration offers {}",
                    actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                )),
        );
    };
    if !row.supports(pattern) {
        return Some(
            ctx.diagnostic(format!(
                "`{service}:{}` does not support `{}`",
                row.action,
                pattern.suffix()
            ))
            .at(at(i.suffix?))
            .label("unsupported integration pattern")
            .help(format!(
                "`{service}:{}` accepts {}",
                row.action,
                row.describe_patterns()
            )),
        );
    }
    None
}

/// The AWS SDK integration calling the same API, for an action the optimized integration lacks:
/// `arn:aws:states:::dynamodb:query` → `arn:aws:states:::aws-sdk:dynamodb:query`.
fn sdk_equivalent(resource: &str, i: &IntegrationRef<'_>) -> Option<String> {
    // SDK service names differ from a few optimized prefixes; `http` has no SDK counterpart.
    let sdk_service = match i.service.text {
        "http" => return None,
        "elasticmapreduce" => "emr",
        "states" => "sfn",
        "events" => "eventbridge",
        "emr-containers" => "emrcontainers",
        "emr-serverless" => "emrserverless",
        other => other,
    };
    let prefix: String = resource.chars().take(i.service.start).collect();
    Some(format!(
        "for other actions use the AWS SDK integration: {prefix}aws-sdk:{sdk_service}:{}",
        i.action.text
    ))
}
