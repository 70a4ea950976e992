use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::integrations;
use crate::model::resource::{Pattern, TaskResource};
use crate::model::MachineType;

declare_rule! {
    /// ## What it does
    /// When checking an EXPRESS state machine (`--type express`), reports Task resources that
    /// wait: the Run a Job (`.sync`, `.sync:2`) and Wait for Callback (`.waitForTaskToken`)
    /// integration patterns, and activities.
    ///
    /// ## Why it matters
    /// Express workflows run for at most five minutes and support only the Request Response
    /// pattern. Step Functions rejects the definition with `SCHEMA_VALIDATION_FAILED`
    /// ("Express state machine does not support '.waitForTaskToken' service integration").
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// A STANDARD state machine, or the Request Response form in an EXPRESS one:
    /// ```json
    /// {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html> ("Express Workflows only support Request Response integrations")
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html>
    pub struct UnsupportedInExpress {
        code: "ASL114",
        name: "unsupported-in-express",
        summary: "An EXPRESS machine uses `.sync`, `.waitForTaskToken` or an activity",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl UnsupportedInExpress {
    fn check(ctx: &mut Context<'_, '_>) {
        if ctx.options.machine_type != MachineType::Express {
            return;
        }
        for (state, resource) in ctx.machine.task_resources() {
            let pointer = state.field_pointer("Resource");
            let d = match TaskResource::parse(resource) {
                TaskResource::Activity { .. } => ctx
                    .diagnostic("EXPRESS state machines do not support activities")
                    .at_value(pointer)
                    .label("an activity")
                    .help("use a STANDARD state machine, or call the worker through a service integration"),
                TaskResource::Integration(i) => {
                    let (Some(pattern), Some(suffix)) = (i.pattern, i.suffix) else {
                        continue;
                    };
                    // A pattern the integration lacks altogether is `unknown-service-integration`'s.
                    let exists = i.sdk && pattern == Pattern::WaitForTaskToken
                        || integrations::find(i.service.text, i.action.text).is_some_and(|row| row.supports(pattern));
                    if !exists {
                        continue;
                    }
                    ctx.diagnostic(format!("EXPRESS state machines do not support `{}`", pattern.suffix()))
                        .at(Location::in_string(pointer, suffix.start - 1, suffix.end))
                        .label("waits for the task")
                        .help(format!(
                            "use a STANDARD state machine, or drop `{}` to call with Request Response",
                            pattern.suffix()
                        ))
                }
                _ => continue,
            };
            ctx.report(d);
        }
    }
}
