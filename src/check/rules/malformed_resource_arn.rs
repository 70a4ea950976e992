use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::resource::{Part, TaskResource};

declare_rule! {
    /// ## What it does
    /// Checks the shape of a Task `Resource` that names a Lambda function, an activity or a
    /// service integration:
    ///
    /// - `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`: the name
    ///   uses letters, digits, `-` and `_`; the optional qualifier is `$LATEST`, a version number
    ///   or an alias of the same characters, and nothing follows it;
    /// - `arn:<partition>:states:<region>:<account>:activity:<name>`: the name is not empty;
    /// - `arn:<partition>:states:::<service>:<action>`: neither part is empty.
    ///
    /// It also reports a resource that is not even a URI (`ChargeCustomer`) and a `${…}`
    /// substitution that is never closed. Region and account are not judged (placeholders such
    /// as `REGION` are common in templates), nor is any value holding a `${…}` substitution, nor
    /// other URIs (`foo:bar`), which the language specification allows.
    ///
    /// ## Why it matters
    /// Step Functions rejects a resource it cannot parse (`INVALID_RESOURCE`). A trailing `:`
    /// left by string concatenation of an empty alias is a typical cause.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge:", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge:live", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-types>
    /// - <https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html> (function name and qualifier syntax)
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html> (`INVALID_RESOURCE`)
    pub struct MalformedResourceArn {
        code: "ASL113",
        name: "malformed-resource-arn",
        summary: "A Task resource ARN that is not well-formed",
        severity: Error,
        aws_code: Some("INVALID_RESOURCE"),
    }
}

/// The first `${` with no `}` after it (character offsets, as diagnostics count them).
fn unclosed_placeholder(resource: &str) -> Option<Part<'_>> {
    let at = resource.find("${")?;
    if resource[at..].contains('}') {
        return None;
    }
    let start = resource[..at].chars().count();
    Some(Part {
        text: &resource[at..at + 2],
        start,
        end: start + 2,
    })
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl MalformedResourceArn {
    fn check(ctx: &mut Context<'_, '_>) {
        for (state, resource) in ctx.machine.task_resources() {
            let problem: Option<(Part<'_>, String, &str)> = if let Some(open) = unclosed_placeholder(resource) {
                Some((
                    open,
                    "the `${` substitution is never closed".to_string(),
                    "write a placeholder as `${Name}`: CloudFormation DefinitionSubstitutions and SAM replace it before deployment",
                ))
            } else if !resource.contains(':') && !resource.contains("${") {
                // Not even a URI (the spec's minimum); AWS accepts only ARNs.
                let end = resource.chars().count();
                Some((
                    Part { text: resource, start: 0, end },
                    format!("`{resource}` is not an ARN"),
                    "a Task resource is an ARN, e.g. arn:aws:states:::lambda:invoke or arn:aws:lambda:us-east-1:123456789012:function:Name",
                ))
            } else {
                match state.task_resource() {
                    TaskResource::LambdaFunction { name, qualifier, extra } => {
                        if !is_name(name.text) {
                            Some((
                                name,
                                if name.text.is_empty() {
                                    "the function name is empty".to_string()
                                } else {
                                    format!("`{}` is not a Lambda function name", name.text)
                                },
                                "function names use letters, digits, `-` and `_`",
                            ))
                        } else if let Some(extra) = extra {
                            Some((
                                extra,
                                "unexpected text after the function qualifier".to_string(),
                                "the form is …:function:<name>[:<version or alias>]",
                            ))
                        } else if let Some(q) = qualifier.filter(|q| q.text != "$LATEST" && !is_name(q.text)) {
                            Some(if q.text.is_empty() {
                                (
                                q,
                                "the function qualifier after `:` is empty".to_string(),
                                "drop the trailing `:` to call the unqualified function, or name a version or alias",
                            )
                            } else {
                                (
                                q,
                                format!("`{}` is not a Lambda version or alias", q.text),
                                "a qualifier is `$LATEST`, a version number or an alias name (letters, digits, `-`, `_`)",
                            )
                            })
                        } else {
                            None
                        }
                    }
                    TaskResource::Activity { name } if name.text.is_empty() => Some((
                        name,
                        "the activity name is empty".to_string(),
                        "the form is arn:aws:states:<region>:<account>:activity:<name>",
                    )),
                    TaskResource::Integration(i) if i.service.text.is_empty() => Some((
                        i.service,
                        "the integration names no service".to_string(),
                        "the form is arn:aws:states:::<service>:<action>, e.g. arn:aws:states:::lambda:invoke",
                    )),
                    TaskResource::Integration(i) if i.action.text.is_empty() => Some((
                        i.action,
                        format!("the `{}` integration names no action", i.service.text),
                        "the form is arn:aws:states:::<service>:<action>, e.g. arn:aws:states:::lambda:invoke",
                    )),
                    _ => None,
                }
            };
            let Some((part, message, help)) = problem else {
                continue;
            };
            let pointer = state.field_pointer("Resource");
            // An empty part has no characters to underline: point at the `:` before it.
            let location = if part.start < part.end {
                Location::in_string(pointer, part.start, part.end)
            } else if part.start > 0 {
                Location::in_string(pointer, part.start - 1, part.start)
            } else {
                Location::value(pointer)
            };
            let d = ctx
                .diagnostic(message)
                .at(location)
                .label("malformed resource")
                .help(help);
            ctx.report(d);
        }
    }
}
