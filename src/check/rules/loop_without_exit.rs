use crate::check::Context;
use crate::declare_rule;
use crate::graph::Loop;

declare_rule! {
    /// ## What it does
    /// Finds loops in each scope (the machine, a Parallel branch, a Map processor) from which
    /// no state that ends the scope — a Succeed, a Fail or `End: true` — can be reached, by any
    /// transition (`Next`, Choice rules, `Default`, Catch).
    ///
    /// It does not fire on loops that have a way out, however unlikely (a Choice rule, a
    /// catcher), nor on unreachable states (ASL103 reports those).
    ///
    /// ## Why it matters
    /// An execution that enters such a loop can only end by failing or timing out — or by
    /// reaching the 25,000-event history limit of a Standard execution, which fails it. It
    /// usually means a Choice lost its exit rule or a `Next` points back by mistake.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Start", "States": {
    ///   "Start": {"Type": "Choice", "Choices": [
    ///     {"Variable": "$.skip", "BooleanEquals": true, "Next": "Done"}], "Default": "Poll"},
    ///   "Poll": {"Type": "Wait", "Seconds": 60, "Next": "Check"},
    ///   "Check": {"Type": "Pass", "Next": "Poll"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Poll", "States": {
    ///   "Poll": {"Type": "Wait", "Seconds": 60, "Next": "Check"},
    ///   "Check": {"Type": "Choice", "Choices": [
    ///     {"Variable": "$.done", "BooleanEquals": true, "Next": "Done"}], "Default": "Poll"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html> (25,000 history events)
    /// - <https://states-language.net/spec.html#transition>
    pub struct LoopWithoutExit {
        code: "ASL311",
        name: "loop-without-exit",
        summary: "A loop has no path to a state that ends the execution",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl LoopWithoutExit {
    fn check(ctx: &mut Context<'_, '_>) {
        let analysis = ctx.facts;
        for facts in analysis.scopes() {
            let scope = facts.scope;
            for Loop {
                states: cycle,
                can_exit,
            } in facts.loops()
            {
                if *can_exit {
                    continue;
                }
                let first = &scope.states[cycle[0]];
                let names: Vec<String> = cycle.iter().map(|&i| format!("\"{}\"", scope.states[i].name)).collect();
                let d = ctx
                    .diagnostic(format!(
                        "once entered, the loop {} never ends: no state after it ends {}",
                        names.join(" → "),
                        scope.describe()
                    ))
                    .at_key(first.pointer.clone())
                    .label("this loop has no way out")
                    .help("give the loop an exit: a Choice rule that leads to a Succeed, Fail or `End: true` state")
                    .note("the execution can only fail, time out or hit the 25,000-event history limit");
                ctx.report(d);
            }
        }
    }
}
