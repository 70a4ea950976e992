use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Finds `Assign` entries whose value can never be read: no state that the execution can
    /// reach after the assignment takes effect — following the transitions it takes effect on,
    /// around loops — reads the variable, neither in its own fields nor in the Parallel branches
    /// and inline Map iterations it starts (which see the variable). A Distributed Map's
    /// iterations do not count (they see no outer variable), but the Map state's own
    /// `ItemSelector` and `ItemBatcher` do.
    ///
    /// A read counts generously: any `$name` in any expression of such a state, whatever the
    /// path that leads there, even where a JSONata expression binds `$name` itself. So it only
    /// fires when the value is certainly dead: assigned by the last state of a scope, assigned
    /// inside a branch or iteration and never read in it, or assigned after its last read.
    /// Showing a value in the console's variables view is not a read.
    ///
    /// ## Why it matters
    /// Each assignment costs payload size (variables share the 256 KiB limit) and reviewer
    /// attention; an unread one is usually a typo in the reader, a value meant to leave a
    /// branch (it cannot: use the branch's output), or a leftover.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
    ///   "Fan": {"Type": "Parallel", "End": true, "Branches": [
    ///     {"StartAt": "Price", "States": {
    ///       "Price": {"Type": "Pass", "Assign": {"price": 42}, "Output": {"price": 42}, "End": true}}}]}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
    ///   "Fan": {"Type": "Parallel", "End": true,
    ///     "Output": {"price": "{% $states.result[0].price %}"}, "Branches": [
    ///     {"StartAt": "Price", "States": {
    ///       "Price": {"Type": "Pass", "Output": {"price": 42}, "End": true}}}]}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html> (variable scope, size limits)
    pub struct UnusedVariable {
        code: "ASL241",
        name: "unused-variable",
        summary: "A variable is assigned but no state that runs afterwards reads it",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl UnusedVariable {
    fn check(ctx: &mut Context<'_, '_>) {
        let vars = ctx.facts.variables();
        for scope in &vars.scopes {
            for flow in scope.states.iter().filter(|f| f.reachable) {
                for site in &flow.sites {
                    // The states the execution can reach once the assignment has taken effect.
                    let mut seen = vec![false; scope.states.len()];
                    let mut stack: Vec<usize> = site.targets.clone();
                    while let Some(i) = stack.pop() {
                        if !std::mem::replace(&mut seen[i], true) {
                            stack.extend(scope.successors[i].iter().copied());
                        }
                    }
                    for assignment in &site.assignments {
                        let read = seen
                            .iter()
                            .enumerate()
                            .any(|(i, &s)| s && scope.states[i].names.contains(assignment.name));
                        if read {
                            continue;
                        }
                        let d = ctx
                            .diagnostic(format!(
                                "`{}` is assigned here, but no state that runs afterwards reads it",
                                assignment.name
                            ))
                            .at_key(assignment.pointer.clone())
                            .label("never read")
                            .help(if site.targets.is_empty() {
                                format!(
                                    "this is the last state of {}: nothing runs after it to read the variable",
                                    scope.describe
                                )
                            } else {
                                format!(
                                    "remove the assignment, or read `${}` where it is needed",
                                    assignment.name
                                )
                            });
                        ctx.report(d);
                    }
                }
            }
        }
    }
}
