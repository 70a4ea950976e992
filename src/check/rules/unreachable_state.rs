use crate::check::Context;
use crate::declare_rule;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Walks the transitions from `StartAt` in each scope and reports the states it never
    /// reaches, including islands of states that only point at each other.
    ///
    /// ## Why it matters
    /// Step Functions rejects definitions with unreachable states
    /// (`MISSING_TRANSITION_TARGET: State "B" is not reachable.`). They are usually a forgotten
    /// `Next` or a renamed state.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Succeed"},
    ///   "B": {"Type": "Pass", "End": true}}}
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
    /// - <https://states-language.net/spec.html#states-fields> ("every state must be reachable")
    pub struct UnreachableState {
        code: "ASL103",
        name: "unreachable-state",
        summary: "A state cannot be reached from `StartAt`",
        severity: Error,
        aws_code: Some("MISSING_TRANSITION_TARGET"),
    }
}

impl UnreachableState {
    fn check(ctx: &mut Context<'_, '_>) {
        let analysis = ctx.facts;
        for facts in analysis.scopes() {
            let scope = facts.scope;
            // Without a valid StartAt everything would be "unreachable": ASL101 says it once.
            let Some(start) = scope.start_at else {
                continue;
            };
            if scope.state(start).is_none() {
                continue;
            }
            let graph = facts.graph;
            let reachable = facts.reachable();
            if reachable.iter().all(|r| *r) {
                continue;
            }
            // A state that a misspelt transition was evidently meant to name is reported once,
            // by ASL104 with its "did you mean", not again here.
            let mut meant: Vec<&str> = graph
                .unresolved
                .iter()
                // As many as ASL104 suggests for (a generated machine has thousands).
                .take(crate::suggest::MAX_SUGGESTED_TARGETS)
                .filter_map(|t| closest(t.target, scope.states.iter().map(|s| s.name)))
                .collect();
            // Likewise a state named by a misspelt `Next` or `Default` key (`"Nxt": "Ship"`),
            // which the schema reports as an unknown field with a "did you mean".
            for state in &scope.states {
                for (key, value) in state.object.into_iter().flatten() {
                    let Some(target) = value.as_str() else { continue };
                    if key != "Next" && key != "Default" && closest(key, ["Next", "Default"]).is_some() {
                        meant.push(target);
                    }
                }
            }
            for (state, reached) in scope.states.iter().zip(reachable) {
                if !reached && !meant.contains(&state.name) {
                    let d = ctx
                        .diagnostic(format!(
                            "state \"{}\" is unreachable from `StartAt` (\"{start}\")",
                            state.name
                        ))
                        .at_key(state.pointer.clone())
                        .label("no transition leads here")
                        .help("add a `Next`, `Default` or Catcher `Next` that names it, or remove the state");
                    ctx.report(d);
                }
            }
        }
    }
}
