use crate::check::Context;
use crate::declare_rule;
use crate::graph::Loop;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Finds loops that contain neither a Choice nor a Wait state, but can be left (through a
    /// catcher): every pass goes round again at once unless a state fails.
    ///
    /// It does not fire on polling loops with a Wait, on loops decided by a Choice (pagination,
    /// "until done"), nor on loops with no way out at all (ASL311 reports those).
    ///
    /// ## Why it matters
    /// Such a loop usually retries through a Catch edge (`Task → Catch → Fix → Task`): on a
    /// persistent error it spins as fast as Step Functions can transition, with no back-off and
    /// no limit, burning state transitions (billed per transition in Standard workflows) until
    /// the 25,000-event history limit fails the execution. `Retry` with `BackoffRate` and
    /// `MaxAttempts` does the same job with a bound.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Call", "States": {
    ///   "Call": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
    ///     "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Again"}], "Next": "Done"},
    ///   "Again": {"Type": "Pass", "Next": "Call"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Call", "States": {
    ///   "Call": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
    ///     "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "m"},
    ///     "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 5, "BackoffRate": 2}], "Next": "Done"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html> (25,000 history events)
    pub struct BusyLoop {
        code: "ASL312",
        name: "busy-loop",
        summary: "A loop has no Choice and no Wait: it goes round again at once, without a bound",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl BusyLoop {
    fn check(ctx: &mut Context<'_, '_>) {
        let analysis = ctx.facts;
        for facts in analysis.scopes() {
            let scope = facts.scope;
            for Loop {
                states: cycle,
                can_exit,
            } in facts.loops()
            {
                let paced = cycle
                    .iter()
                    .any(|&i| matches!(scope.states[i].kind, Some(StateType::Choice | StateType::Wait)));
                if paced || !*can_exit {
                    continue;
                }
                let first = &scope.states[cycle[0]];
                let names: Vec<String> = cycle.iter().map(|&i| format!("\"{}\"", scope.states[i].name)).collect();
                let d = ctx
                    .diagnostic(format!(
                        "the loop {} has no Choice and no Wait: it repeats at once, without a bound",
                        names.join(" → ")
                    ))
                    .at_key(first.pointer.clone())
                    .label("loops straight back")
                    .help("use `Retry` (with `MaxAttempts` and `BackoffRate`) instead, or put a Wait and a Choice that counts attempts in the loop");
                ctx.report(d);
            }
        }
    }
}
