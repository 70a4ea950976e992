use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::StateType;

/// The longest Map `Label`, in characters.
const MAX: usize = 40;

/// Characters a label cannot contain besides whitespace and control characters.
const FORBIDDEN: &str = "?*<>{}[]\"#%\\^|~`$&,;:/";

declare_rule! {
    /// ## What it does
    /// Checks a Map state's `Label`: at most 40 characters, and none of whitespace, wildcards
    /// (`? *`), brackets (`< > { } [ ]`), the special characters `" # % \ ^ | ~ `` ` `` $ & , ; : /`
    /// or control characters. Non-ASCII letters are allowed.
    ///
    /// ## Why it matters
    /// The label becomes part of the Map Run ARN and of child execution names, which have
    /// these restrictions; Step Functions rejects the definition with `INVALID_LABEL_NAME`.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Map", "Label": "process orders", "ItemProcessor": {…}, "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Map", "Label": "ProcessOrders", "ItemProcessor": {…}, "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#map-state-distributed-additional-fields> (`Label`)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html> (naming restrictions)
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html> (`INVALID_LABEL_NAME`)
    pub struct InvalidMapLabel {
        code: "ASL118",
        name: "invalid-map-label",
        summary: "A Map `Label` that is too long or has forbidden characters",
        severity: Error,
        aws_code: Some("INVALID_LABEL_NAME"),
    }
}

impl InvalidMapLabel {
    fn check(ctx: &mut Context<'_, '_>) {
        for (state, label) in ctx.machine.string_fields(StateType::Map, "Label") {
            let pointer = state.field_pointer("Label");
            let length = label.chars().count();
            let bad = label
                .chars()
                .enumerate()
                .find(|(_, c)| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(*c));
            let d = if let Some((at, c)) = bad {
                let what = if c.is_whitespace() {
                    "whitespace".to_string()
                } else if c.is_control() {
                    format!("control character U+{:04X}", u32::from(c))
                } else {
                    format!("`{c}`")
                };
                ctx.diagnostic(format!("a Map label cannot contain {what}"))
                    .at(Location::in_string(pointer, at, at + 1))
                    .label("forbidden character")
                    .help("use letters, digits, `-` and `_`")
            } else if length > MAX {
                ctx.diagnostic(format!(
                    "Map label is {length} characters long; Step Functions allows at most {MAX}"
                ))
                .at_value(pointer)
                .label("too long")
            } else {
                continue;
            };
            ctx.report(d);
        }
    }
}
