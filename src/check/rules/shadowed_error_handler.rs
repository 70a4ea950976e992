use crate::check::handlers::{handlers, shadows};
use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;

declare_rule! {
    /// ## What it does
    /// Reports a retrier or catcher that can never be used because earlier entries of the same
    /// `Retry` or `Catch` list already match every error it names: the same name, or a wildcard
    /// that covers it (`States.ALL` matches everything but `States.Runtime`; `States.TaskFailed`
    /// everything but `States.Timeout` and `States.HeartbeatTimeout`).
    ///
    /// It does not fire when the later entry names at least one error the earlier ones miss
    /// (a later `States.ALL` after `States.TaskFailed` still handles timeouts).
    ///
    /// ## Why it matters
    /// Step Functions uses the first entry whose `ErrorEquals` matches, so a shadowed entry is
    /// dead configuration: its back-off, attempts or handler never apply, usually because
    /// entries were written in the wrong order (specific errors must come before wildcards).
    ///
    /// `aslkit lint --fix` removes a retrier whose `ErrorEquals` repeats an earlier one
    /// exactly; other shadowed entries need a human to reorder them.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///   "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2},
    ///             {"ErrorEquals": ["SNS.ThrottledException"], "MaxAttempts": 6}],
    ///   "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::sns:publish",
    ///   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///   "Retry": [{"ErrorEquals": ["SNS.ThrottledException"], "MaxAttempts": 6},
    ///             {"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
    ///   "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html> (error names, retriers, catchers)
    /// - <https://states-language.net/spec.html#retrying-after-error>
    pub struct ShadowedErrorHandler {
        code: "ASL305",
        name: "shadowed-error-handler",
        summary: "A retrier or catcher never applies: earlier entries already match all its errors",
        severity: Warning,
        aws_code: None,
        group: Lint,
        fixable: true,
    }
}

impl ShadowedErrorHandler {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for (field, what) in [("Retry", "retrier"), ("Catch", "catcher")] {
                let list = handlers(state, field);
                for (i, later) in list.iter().enumerate() {
                    if later.errors.is_empty() {
                        continue;
                    }
                    let earlier = &list[..i];
                    let names: Vec<&str> = earlier.iter().flat_map(|h| h.errors.iter().copied()).collect();
                    if !later.errors.iter().all(|name| shadows(&names, name)) {
                        continue;
                    }
                    // Point at the first earlier entry that covers the later one's first error.
                    let first = later.errors[0];
                    let Some(cover) = earlier.iter().find(|h| shadows(&h.errors, first)) else {
                        continue;
                    };
                    let duplicate = earlier.iter().any(|h| same_names(&h.errors, &later.errors));
                    let d = ctx
                        .diagnostic(format!(
                            "{what} {} of \"{}\" never applies: earlier entries already match {}",
                            later.index,
                            state.name,
                            if later.errors.len() == 1 {
                                "its error"
                            } else {
                                "all its errors"
                            }
                        ))
                        .at_value(later.field_pointer("ErrorEquals"))
                        .label("shadowed")
                        .with_label(
                            Location::value(cover.field_pointer("ErrorEquals")),
                            format!("{what} {} matches first", cover.index),
                        )
                        .help(if duplicate && field == "Retry" {
                            "remove the duplicate retrier (`aslkit lint --fix` does)".to_string()
                        } else if cover.errors.iter().any(|e| e.starts_with("States.") && *e != first) {
                            format!("move the specific {what} before the wildcard, or remove it")
                        } else {
                            format!("remove the names earlier entries already handle, or the whole {what}")
                        });
                    ctx.report(d);
                }
            }
        }
    }
}

/// The same error names, in any order.
pub fn same_names(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().all(|n| b.contains(n)) && b.iter().all(|n| a.contains(n))
}
