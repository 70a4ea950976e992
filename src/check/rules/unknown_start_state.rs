use crate::check::Context;
use crate::declare_rule;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that `StartAt` names a state of its own scope, in the top-level machine and in every
    /// Parallel branch and Map processor.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `MISSING_TRANSITION_TARGET`: execution would have
    /// nowhere to begin.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Validate", "States": {"ValidateOrder": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "ValidateOrder", "States": {"ValidateOrder": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html#toplevelfields>
    pub struct UnknownStartState {
        code: "ASL101",
        name: "unknown-start-state",
        summary: "`StartAt` names a state that does not exist in its scope",
        severity: Error,
        aws_code: Some("MISSING_TRANSITION_TARGET"),
    }
}

impl UnknownStartState {
    fn check(ctx: &mut Context<'_, '_>) {
        for scope in ctx.machine.scopes() {
            let Some(start) = scope.start_at else {
                continue;
            };
            if scope.state(start).is_some()
                || scope.states.is_empty() && scope.object.and_then(|o| o.get("States")).is_none()
            {
                continue;
            }
            let names = scope.states.iter().map(|s| s.name);
            let d = ctx
                .diagnostic(format!(
                    "`StartAt` names state \"{start}\", which does not exist in {}",
                    scope.describe()
                ))
                .at_value(scope.field_pointer("StartAt"))
                .label("no state of this name")
                .maybe_help(did_you_mean(start, names));
            ctx.report(d);
        }
    }
}
