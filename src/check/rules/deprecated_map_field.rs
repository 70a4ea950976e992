use crate::check::Context;
use crate::declare_rule;
use crate::model::{QueryLanguage, StateType};

declare_rule! {
    /// ## What it does
    /// Reports the Map state fields AWS has replaced: `Iterator` (now `ItemProcessor`) and, in
    /// JSONPath states, `Parameters` (now `ItemSelector`).
    ///
    /// It does not fire on `ItemProcessor` or `ItemSelector`, nor on `Parameters` of other
    /// state types. `aslkit lint --fix` renames the key in place when the new name is not
    /// already used in the state; the value, its formatting and the key order stay as they are.
    ///
    /// ## Why it matters
    /// The old names still work, but the documentation, the console's Workflow Studio and newer
    /// features (Distributed mode's `ProcessorConfig`, `ItemReader`, `ItemBatcher`) are written
    /// for the new ones; mixing both in one code base makes definitions harder to read and to
    /// review.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 5,
    ///   "Parameters": {"item.$": "$$.Map.Item.Value"},
    ///   "Iterator": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 5,
    ///   "ItemSelector": {"item.$": "$$.Map.Item.Value"},
    ///   "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html> ("`Iterator` … deprecated", "`Parameters` … replaced by `ItemSelector`")
    pub struct DeprecatedMapField {
        code: "ASL310",
        name: "deprecated-map-field",
        summary: "A Map state uses `Iterator` or `Parameters`, replaced by `ItemProcessor` and `ItemSelector`",
        severity: Warning,
        aws_code: None,
        group: Lint,
        fixable: true,
    }
}

/// The deprecated Map fields and their replacements.
pub const RENAMES: [(&str, &str); 2] = [("Iterator", "ItemProcessor"), ("Parameters", "ItemSelector")];

impl DeprecatedMapField {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Map) {
                continue;
            }
            for (old, new) in RENAMES {
                if !state.has(old) || (old == "Parameters" && state.query_language != QueryLanguage::JsonPath) {
                    continue;
                }
                let d = ctx
                    .diagnostic(format!("`{old}` is deprecated in Map states: use `{new}`"))
                    .at_key(state.field_pointer(old))
                    .label("deprecated")
                    .help(if state.has(new) {
                        format!("the state also has `{new}`: keep one of them")
                    } else {
                        format!("rename the key to `{new}` (`aslkit lint --fix` does)")
                    });
                ctx.report(d);
            }
        }
    }
}
