use crate::check::Context;
use crate::declare_rule;
use crate::model::TransitionKind;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that every `Next`, `Default`, Choice rule `Next` and Catcher `Next` names a state of
    /// the same scope. A state inside a Parallel branch or Map processor can only move to states of
    /// that branch or processor, and the states outside cannot move into it.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `MISSING_TRANSITION_TARGET`. A misspelt target is
    /// the most common cause; the diagnostic suggests the closest existing name.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Charge", "States": {
    ///   "Charge": {"Type": "Pass", "Next": "Shipp"},
    ///   "Ship": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Charge", "States": {
    ///   "Charge": {"Type": "Pass", "Next": "Ship"},
    ///   "Ship": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html#transitions>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html> (branches are self-contained)
    pub struct UnknownTransitionTarget {
        code: "ASL104",
        name: "unknown-transition-target",
        summary: "A transition names a state that does not exist in its scope",
        severity: Error,
        aws_code: Some("MISSING_TRANSITION_TARGET"),
    }
}

impl UnknownTransitionTarget {
    fn check(ctx: &mut Context<'_, '_>) {
        let analysis = ctx.facts;
        // Most machines have no unknown target: then there is nothing to index.
        if analysis.scopes().all(|facts| facts.graph.unresolved.is_empty()) {
            return;
        }
        let all = ctx.machine.all_states();
        // Name → where states of that name are: one lookup per unknown target, not a scan.
        let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (i, (_, s)) in all.iter().enumerate() {
            by_name.entry(s.name).or_default().push(i);
        }
        // A machine with thousands of unknown targets is generated, not misspelt: suggestions
        // (a comparison with every name) are made for the first few only.
        let mut suggestions_left = crate::suggest::MAX_SUGGESTED_TARGETS;
        for facts in analysis.scopes() {
            let scope = facts.scope;
            for t in &facts.graph.unresolved {
                let field = match t.kind {
                    TransitionKind::Next | TransitionKind::Choice(_) | TransitionKind::Catch(_) => "Next",
                    TransitionKind::Default => "Default",
                };
                let elsewhere = by_name
                    .get(t.target)
                    .into_iter()
                    .flatten()
                    .map(|&i| &all[i])
                    .find(|(other, _)| other.pointer != scope.pointer);
                let mut d = ctx
                    .diagnostic(format!("`{field}` names state \"{}\", which does not exist", t.target))
                    .at_value(t.pointer.clone());
                if let Some((other, s)) = elsewhere {
                    d = d
                        .label(format!("not a state of {}", scope.describe()))
                        .with_label(
                            crate::diagnostic::Location::key(s.pointer.clone()),
                            format!("\"{}\" is in {}", s.name, other.describe()),
                        )
                        .note("transitions cannot cross into or out of a Parallel branch or a Map processor");
                } else {
                    d = d.label("no state of this name").maybe_help(if suggestions_left > 0 {
                        suggestions_left -= 1;
                        did_you_mean(t.target, scope.states.iter().map(|s| s.name))
                    } else {
                        None
                    });
                }
                ctx.report(d);
            }
        }
    }
}
