use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Finds an `Assign` inside a Parallel branch or an inline Map iteration that sets a
    /// variable of the same name as one the enclosing scope may already hold when the
    /// Parallel or Map state runs.
    ///
    /// It does not fire inside a Distributed Map (its iterations see no outer variable, so
    /// nothing is hidden), nor for a name the enclosing scope only assigns after the Parallel
    /// or Map state.
    ///
    /// ## Why it matters
    /// What a branch or an iteration assigns is gone when it ends: the outer `$name` keeps its
    /// value, while the assignment reads as if it updated it. A running total or a "found" flag
    /// set inside a Map is the classic case. Return the value in the branch's output and assign
    /// it in the Parallel or Map state's own `Assign`.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
    ///   "Start": {"Type": "Pass", "Assign": {"total": 0}, "Next": "Each"},
    ///   "Each": {"Type": "Map", "Items": "{% [1, 2, 3] %}", "MaxConcurrency": 1,
    ///     "Output": {"total": "{% $total %}"}, "End": true,
    ///     "ItemProcessor": {"StartAt": "Add", "States": {
    ///       "Add": {"Type": "Pass", "Assign": {"total": "{% $total + $states.input %}"},
    ///               "Output": "{% $total %}", "Next": "Done"},
    ///       "Done": {"Type": "Pass", "Output": "{% $total %}", "End": true}}}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
    ///   "Start": {"Type": "Pass", "Assign": {"total": 0}, "Next": "Each"},
    ///   "Each": {"Type": "Map", "Items": "{% [1, 2, 3] %}", "MaxConcurrency": 1,
    ///     "Output": {"total": "{% $total + $sum($states.result) %}"}, "End": true,
    ///     "ItemProcessor": {"StartAt": "Add", "States": {
    ///       "Add": {"Type": "Pass", "Output": "{% $states.input %}", "End": true}}}}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html> (variable scope)
    pub struct ShadowedVariable {
        code: "ASL242",
        name: "shadowed-variable",
        summary: "A Parallel branch or Map iteration assigns a variable that exists in the enclosing scope",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl ShadowedVariable {
    fn check(ctx: &mut Context<'_, '_>) {
        let vars = ctx.facts.variables();
        for scope in vars.scopes.iter().filter(|s| !s.distributed) {
            let Some((p, i)) = scope.parent else {
                continue;
            };
            let owner = vars.scopes[p].state_names[i];
            for flow in scope.states.iter().filter(|f| f.reachable) {
                for assignment in flow.sites.iter().flat_map(|s| &s.assignments) {
                    if !scope.inherited.contains(assignment.name) {
                        continue;
                    }
                    let d = ctx
                        .diagnostic(format!(
                            "`{}` already exists outside \"{owner}\"; assigning it in {} does not change it",
                            assignment.name, scope.describe
                        ))
                        .at_key(assignment.pointer.clone())
                        .label("a separate variable of the same name")
                        .note(format!(
                            "what {} assigns is gone when it ends: after \"{owner}\", `${}` still holds the outer value",
                            scope.describe, assignment.name
                        ))
                        .help(format!(
                            "use another name, or return the value in the output and assign it in \"{owner}\"'s `Assign`"
                        ));
                    ctx.report(d);
                }
            }
        }
    }
}
