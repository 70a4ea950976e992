use crate::check::handlers::handlers;
use crate::check::Context;
use crate::declare_rule;
use crate::pointer::child;
use crate::simulate::errors::names;

declare_rule! {
    /// ## What it does
    /// Reports `States.Runtime` in the `ErrorEquals` of a retrier or catcher.
    ///
    /// It does not fire on `States.ALL` or `States.TaskFailed` entries, which are fine for every
    /// other error, nor on `States.DataLimitExceeded` (executions recorded on AWS show a catcher
    /// handling it).
    ///
    /// ## Why it matters
    /// Runtime errors (an invalid path, a JSONata evaluation error, an intrinsic failing) can
    /// never be retried or caught: they always fail the execution. An entry written for them
    /// gives a false sense of safety; the fix is in the data or the expression.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.text"},
    ///   "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "Failed"}], "End": true},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.text"},
    ///   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "End": true},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#states-runtime-error>
    pub struct UnhandleableError {
        code: "ASL306",
        name: "unhandleable-error",
        summary: "A retrier or catcher names `States.Runtime`, which can never be retried or caught",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl UnhandleableError {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for (field, verb) in [("Retry", "retried"), ("Catch", "caught")] {
                for handler in handlers(state, field) {
                    let Some(position) = handler.errors.iter().position(|e| *e == names::RUNTIME) else {
                        continue;
                    };
                    let d = ctx
                        .diagnostic(format!(
                            "`States.Runtime` errors are never {verb}; this entry does nothing for them"
                        ))
                        .at_value(child(&handler.field_pointer("ErrorEquals"), &position.to_string()))
                        .label("always fails the execution")
                        .help("runtime errors come from paths and expressions: fix the data or the expression instead");
                    ctx.report(d);
                }
            }
        }
    }
}
