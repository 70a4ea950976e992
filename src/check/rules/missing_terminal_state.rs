use crate::check::Context;
use crate::declare_rule;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Checks that the top-level machine and every Parallel branch and Map processor have at least
    /// one state that ends it: a Succeed or Fail state, or a state with `"End": true`.
    ///
    /// ## Why it matters
    /// Step Functions rejects a machine without a terminal state (`MISSING_END_STATE`): its
    /// executions could never finish.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B"},
    ///   "B": {"Type": "Pass", "Next": "A"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B"},
    ///   "B": {"Type": "Pass", "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html#terminal-state>
    pub struct MissingTerminalState {
        code: "ASL105",
        name: "missing-terminal-state",
        summary: "A machine, branch or processor has no state that ends it",
        severity: Error,
        aws_code: Some("MISSING_END_STATE"),
    }
}

impl MissingTerminalState {
    fn check(ctx: &mut Context<'_, '_>) {
        for scope in ctx.machine.scopes() {
            if scope.states.is_empty() || scope.states.iter().any(|s| s.is_terminal()) {
                continue;
            }
            // A state that is not an object, has no known type, or has neither `Next` nor `End`
            // is already reported by the schema; it is usually the would-be terminal state.
            let incomplete = scope.states.iter().any(|s| match s.kind {
                None => true,
                Some(kind) => {
                    !matches!(kind, StateType::Choice | StateType::Succeed | StateType::Fail)
                        && !s.has("Next")
                        && !s.has("End")
                }
            });
            if incomplete {
                continue;
            }
            let d = ctx
                .diagnostic(format!("{} has no terminal state", capitalize(&scope.describe())))
                .at_key(scope.field_pointer("States"))
                .label("none of these states ends the execution")
                .help("give the last state `\"End\": true`, or add a Succeed or Fail state");
            ctx.report(d);
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
