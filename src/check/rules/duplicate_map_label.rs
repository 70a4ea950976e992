use std::collections::HashMap;

use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Reports two Map states with the same `Label` in one state machine, nested scopes
    /// included.
    ///
    /// ## Why it matters
    /// The label identifies the Map Run of a Distributed Map; Step Functions requires it to be
    /// unique within the definition and rejects duplicates with `DUPLICATE_LABEL_NAME`.
    ///
    /// ## Example
    /// ```json
    /// "Orders": {"Type": "Map", "Label": "Process", …},
    /// "Refunds": {"Type": "Map", "Label": "Process", …}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Orders": {"Type": "Map", "Label": "ProcessOrders", …},
    /// "Refunds": {"Type": "Map", "Label": "ProcessRefunds", …}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#map-state-distributed-additional-fields> (`Label` "must be unique within a state machine definition")
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html> (`DUPLICATE_LABEL_NAME`)
    pub struct DuplicateMapLabel {
        code: "ASL119",
        name: "duplicate-map-label",
        summary: "Two Map states share a `Label`",
        severity: Error,
        aws_code: Some("DUPLICATE_LABEL_NAME"),
    }
}

impl DuplicateMapLabel {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut first: HashMap<&str, String> = HashMap::new();
        for (state, label) in ctx.machine.string_fields(StateType::Map, "Label") {
            let pointer = state.field_pointer("Label");
            match first.get(label) {
                None => {
                    first.insert(label, pointer);
                }
                Some(earlier) => {
                    let d = ctx
                        .diagnostic(format!("Map label \"{label}\" is used more than once"))
                        .at_value(pointer)
                        .label("used again here")
                        .with_label(Location::value(earlier.clone()), "first used here")
                        .help("give each Map state its own label");
                    ctx.report(d);
                }
            }
        }
    }
}
