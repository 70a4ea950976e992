use std::collections::hash_map::Entry;

use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::FastMap;

declare_rule! {
    /// ## What it does
    /// Reports a state name used twice anywhere in one state machine, including inside Parallel
    /// branches and Map processors.
    ///
    /// ## Why it matters
    /// State names must be unique across the whole machine, nested scopes included: Step Functions
    /// rejects the definition with `DUPLICATE_STATE_NAME`, and execution history, metrics and
    /// Catch/Retry diagnostics would be ambiguous.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Work", "States": {"Work": {"Type": "Parallel", "End": true, "Branches": [
    ///   {"StartAt": "Work", "States": {"Work": {"Type": "Succeed"}}}]}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Work", "States": {"Work": {"Type": "Parallel", "End": true, "Branches": [
    ///   {"StartAt": "WorkItem", "States": {"WorkItem": {"Type": "Succeed"}}}]}}}
    /// ```
    ///
    /// ## References
    /// - <https://states-language.net/spec.html#states-fields> ("state names MUST be unique within the scope of the whole state machine")
    pub struct DuplicateStateName {
        code: "ASL102",
        name: "duplicate-state-name",
        summary: "Two states share a name in one machine (nested scopes included)",
        severity: Error,
        aws_code: Some("DUPLICATE_STATE_NAME"),
    }
}

impl DuplicateStateName {
    fn check(ctx: &mut Context<'_, '_>) {
        let all = ctx.machine.all_states();
        let mut first: FastMap<&str, &str> = FastMap::with_capacity_and_hasher(all.len(), Default::default());
        for (_, state) in all {
            match first.entry(state.name) {
                Entry::Vacant(slot) => {
                    slot.insert(&state.pointer);
                }
                Entry::Occupied(earlier) => {
                    let earlier = *earlier.get();
                    let d = ctx
                        .diagnostic(format!("state name \"{}\" is used more than once", state.name))
                        .at_key(state.pointer.clone())
                        .label("used again here")
                        .with_label(Location::key(earlier), "first used here")
                        .help("state names must be unique across the whole machine, nested branches and processors included");
                    ctx.report(d);
                }
            }
        }
    }
}
