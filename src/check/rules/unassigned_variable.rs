use std::collections::HashSet;

use crate::check::Context;
use crate::declare_rule;
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Finds reads of a workflow variable (`$name` in a `{% … %}` expression, in a JSONPath
    /// path such as `"order.$": "$order"` or a Choice rule's `Variable`, in an intrinsic
    /// function's arguments) at a state that no path from the start reaches with the variable
    /// assigned. It follows every transition — `Next`, Choice rules and `Default`, Catch edges
    /// — around loops, and through scopes:
    ///
    /// - a catcher's `Assign` happens on its catch edge; the failed state's own `Assign` does
    ///   not happen;
    /// - a Parallel branch or an inline Map iteration sees the variables assigned before its
    ///   Parallel or Map state; what it assigns is gone when it ends, and sibling branches do not
    ///   see each other's;
    /// - a Distributed Map's iterations see no variable of the outer scopes (its `ItemSelector`
    ///   and `ItemBatcher`, evaluated outside, do).
    ///
    /// It reports a read only when the variable is unassigned on *every* path to the state:
    /// whichever way the execution came, the variable holds nothing there. A read that is
    /// assigned on some paths and not others (one Choice branch assigns it) is not reported, nor
    /// are reads in states that cannot be reached (ASL103), nor names a JSONata expression binds
    /// itself (`$v :=`, lambda parameters) or built-in functions (`$sum`). A call of a name that
    /// is neither a built-in function nor a variable (`$randomSeeded(…)`) is reported as such.
    ///
    /// ## Why it matters
    /// In a JSONPath state the read fails the state with `States.Runtime` ("The variable … is
    /// not defined"), even in an `IsPresent` test. In JSONata the variable is undefined: a field
    /// whose expression then yields nothing fails with `States.QueryEvaluationError`, and a guard
    /// such as `$exists($x)` is always false. Typos in variable names and values assigned inside
    /// a branch and read after it are the usual causes.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Remember", "States": {
    ///   "Remember": {"Type": "Pass", "Assign": {"orderId": "{% $states.input.id %}"}, "Next": "Report"},
    ///   "Report": {"Type": "Pass", "Output": {"id": "{% $orderID %}"}, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Remember", "States": {
    ///   "Remember": {"Type": "Pass", "Assign": {"orderId": "{% $states.input.id %}"}, "Next": "Report"},
    ///   "Report": {"Type": "Pass", "Output": {"id": "{% $orderId %}"}, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html> (variable scope)
    pub struct UnassignedVariable {
        code: "ASL240",
        name: "unassigned-variable",
        summary: "A variable is read where no path from the start has assigned it",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl UnassignedVariable {
    fn check(ctx: &mut Context<'_, '_>) {
        let vars = ctx.facts.variables();
        let assigned = vars.assigned_names();
        for scope in &vars.scopes {
            let in_scope: HashSet<&str> = scope
                .states
                .iter()
                .flat_map(|s| &s.sites)
                .flat_map(|site| site.assignments.iter().map(|a| a.name))
                .collect();
            // The Map state of a Distributed Map's iterations, and what is visible where it runs.
            let outer = scope
                .parent
                .filter(|_| scope.distributed)
                .map(|(p, i)| (vars.scopes[p].state_names[i], &vars.scopes[p].states[i].entry));
            for (i, flow) in scope.states.iter().enumerate() {
                if !flow.reachable {
                    continue;
                }
                let mut reported = HashSet::new();
                for read in &flow.reads {
                    let name = read.name.as_str();
                    if flow.entry.contains(name) || !reported.insert(name) {
                        continue;
                    }
                    let state = scope.state_names[i];
                    let d = match outer {
                        Some((map, visible)) if visible.contains(name) => ctx
                            .diagnostic(format!(
                                "`${name}` is not visible in the iterations of the Distributed Map \"{map}\""
                            ))
                            .at(read.location.clone())
                            .label("assigned outside the Distributed Map")
                            .help(format!(
                                "a Distributed Map's iterations see no outer variables: pass `${name}` in \
                                 with \"{map}\"'s `ItemSelector` (or `ItemBatcher.BatchInput`) and read \
                                 it from the input"
                            )),
                        _ if in_scope.contains(name) => ctx
                            .diagnostic(format!("`${name}` is read before any state assigns it"))
                            .at(read.location.clone())
                            .label("unassigned on every path to here")
                            .note(format!(
                                "no path from the start of {} to \"{state}\" passes a state that assigns it",
                                scope.describe
                            )),
                        _ if assigned.contains(name) => ctx
                            .diagnostic(format!("`${name}` is not assigned in any scope visible here"))
                            .at(read.location.clone())
                            .label("assigned only in another scope")
                            .note(
                                "what a Parallel branch or a Map iteration assigns is gone when it ends, \
                                 and sibling branches do not share variables: return the value in the \
                                 branch's output and assign it in the Parallel or Map state's `Assign`",
                            ),
                        _ if read.called => ctx
                            .diagnostic(format!("`${name}(…)` calls a function that does not exist"))
                            .at(read.location.clone())
                            .label("no built-in function and no variable of this name")
                            .note(
                                "Step Functions offers the JSONata 2.0.6 functions (but `$eval`) and \
                                 `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`",
                            ),
                        _ => {
                            let suggestion = suggest::closest(name, assigned.iter().copied());
                            ctx.diagnostic(format!("`${name}` is never assigned"))
                                .at(read.location.clone())
                                .label("no state assigns this variable")
                                .help(match suggestion {
                                    Some(s) => format!("did you mean `${s}`?"),
                                    None => {
                                        format!("assign `{name}` with `Assign` in a state that runs before \"{state}\"")
                                    }
                                })
                        }
                    };
                    ctx.report(d);
                }
            }
        }
    }
}
