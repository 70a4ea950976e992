use crate::check::Context;
use crate::declare_rule;
use crate::expr::payload::looks_like_expression;

declare_rule! {
    /// ## What it does
    /// Warns about a string in a JSONPath payload template (`Parameters`, `ResultSelector`,
    /// `ItemSelector`, `Assign`, …) that looks like a path (`$.order.id`, `$$.Task.Token`) or an
    /// intrinsic call (`States.Format(…)`) but whose key does not end in `.$`, so that it is
    /// passed on as a literal string.
    ///
    /// ## Why it matters
    /// Forgetting the `.$` is the classic Step Functions mistake: the task receives the text
    /// `"$.order.id"` instead of the order id. Step Functions accepts the definition but warns
    /// (`NO_DOLLAR`).
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"orderId": "$.order.id"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Parameters": {"orderId.$": "$.order.id"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters>
    pub struct MissingDollarSuffix {
        code: "ASL220",
        name: "missing-dollar-suffix",
        summary: "A payload template value looks like a path, but its key does not end in `.$`",
        severity: Warning,
        aws_code: Some("NO_DOLLAR"),
        fixable: true,
    }
}

impl MissingDollarSuffix {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        let found = facts.payload_members().iter().filter_map(|m| {
            let text = m
                .value
                .as_str()
                .filter(|t| !m.key.ends_with(".$") && looks_like_expression(t))?;
            Some((m.key, text, m.pointer()))
        });
        for (key, text, pointer) in found {
            let what = if text.starts_with('$') {
                "the path"
            } else {
                "the intrinsic function call"
            };
            let d = ctx
                .diagnostic(format!(
                    "{what} \"{text}\" is passed as a plain string: `{key}` does not end in `.$`"
                ))
                .at_key(pointer)
                .label("no `.$`")
                .help(format!("to evaluate it, name the key \"{key}.$\""));
            ctx.report(d);
        }
    }
}
