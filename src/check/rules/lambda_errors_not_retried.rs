use crate::check::handlers::{error_matches, handlers, retries, TaskKind};
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Lambda Task (`arn:aws:states:::lambda:invoke`, with any pattern, or a Lambda
    /// function ARN) with no retrier for `Lambda.ServiceException`, the transient Lambda
    /// service error AWS recommends retrying. A retrier counts when it names the error, or
    /// `States.TaskFailed` or `States.ALL`, and does not set `MaxAttempts` to 0.
    ///
    /// It does not fire on tasks that call other services.
    ///
    /// ## Why it matters
    /// The Lambda service occasionally fails an invocation with `Lambda.ServiceException`,
    /// `Lambda.AWSLambdaException`, `Lambda.SdkClientException` or
    /// `Lambda.TooManyRequestsException` although the function is fine. Without a retrier one
    /// such blip fails the whole execution.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge", "Payload.$": "$"},
    ///   "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge", "Payload.$": "$"},
    ///   "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
    ///                              "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
    ///              "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"}],
    ///   "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#bp-lambda-serviceexception>
    pub struct LambdaErrorsNotRetried {
        code: "ASL304",
        name: "lambda-errors-not-retried",
        summary: "A Lambda task does not retry the transient Lambda service errors",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// The errors AWS's best-practice retrier for Lambda lists.
const TRANSIENT: [&str; 4] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

impl LambdaErrorsNotRetried {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if !TaskKind::of(state).is_some_and(|k| k.lambda) {
                continue;
            }
            let retried = handlers(state, "Retry")
                .iter()
                .filter(|h| retries(h))
                .any(|h| error_matches(&h.errors, TRANSIENT[0]));
            if retried {
                continue;
            }
            let at = if state.has("Retry") {
                state.field_pointer("Retry")
            } else {
                state.field_pointer("Resource")
            };
            let d = ctx
                .diagnostic(format!(
                    "Lambda task \"{}\" does not retry transient Lambda service errors",
                    state.name
                ))
                .at_value(at)
                .label("no retrier for Lambda.ServiceException")
                .help(format!(
                    "add a retrier: {{\"ErrorEquals\": [{}], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2, \"JitterStrategy\": \"FULL\"}}",
                    TRANSIENT.map(|e| format!("\"{e}\"")).join(", ")
                ));
            ctx.report(d);
        }
    }
}
