use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::expr::jsonata_refs::{top_level_references, TopLevel};

declare_rule! {
    /// ## What it does
    /// Finds JSONata expressions that read the top-level context: a field name as the first step
    /// of a path (`{% phone %}`, `{% order.id %}`), `$` (`{% $ %}`, `{% $.order.id %}`) or `$$`
    /// (`{% $$.Execution.Id %}`). Step Functions evaluates an expression with no context item:
    /// the state input is `$states.input`, the context object `$states.context`, and workflow
    /// variables are `$name`.
    ///
    /// Only what is read from the top level counts. A name after the first step of a path, in a
    /// predicate, a sort or a group-by reads the value before it and is fine
    /// (`$states.input.items[price > 10].name`). A name in the body of a lambda
    /// (`function($v) { total }`) is read from the top level and reported, as Step Functions
    /// does. A name inside a string literal is not an expression at all. A bare `states`
    /// (`{% states.input.x %}`, the `$` forgotten) is not reported: no AWS record says whether
    /// Step Functions accepts it.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `UNSUPPORTED_JSONATA_EXPRESSION` ("Reference
    /// to 'phone' at the top level is not supported"). It is the most common slip when moving a
    /// state from JSONPath, where `$.phone` meant the input.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Notify", "States": {
    ///   "Notify": {"Type": "Pass", "Output": {"to": "{% $.customer.phone %}"}, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Notify", "States": {
    ///   "Notify": {"Type": "Pass", "Output": {"to": "{% $states.input.customer.phone %}"}, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html> (`$states`, the reserved variable)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>
    pub struct JsonataTopLevelReference {
        code: "ASL231",
        name: "jsonata-top-level-reference",
        summary: "A JSONata expression reads the top-level context instead of `$states.input`",
        severity: Error,
        aws_code: Some("UNSUPPORTED_JSONATA_EXPRESSION"),
    }
}

/// Characters before the expression in the string: `{%`.
const OPENER: usize = 2;

impl JsonataTopLevelReference {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for parsed in facts.jsonata() {
            let Ok(ast) = &parsed.ast else {
                continue;
            };
            for (reference, span) in top_level_references(ast) {
                // `states.input.x` (the `$` forgotten) is left alone: a peer validator's test
                // calls it valid and no AWS record says otherwise, so it is not certain enough
                // to be an error.
                if reference == TopLevel::Name("states".to_string()) {
                    continue;
                }
                let at = Location::in_string(
                    parsed.expr.pointer.clone(),
                    OPENER + span.start,
                    OPENER + span.end.max(span.start + 1),
                );
                let written = reference.as_written();
                let (label, help) = match &reference {
                    TopLevel::Name(name) => (
                        "read from the top-level context",
                        format!("the state input is `$states.input`: write `$states.input.{name}`"),
                    ),
                    TopLevel::Context => (
                        "the context item",
                        "the state input is `$states.input`: write `$states.input` where `$` was".to_string(),
                    ),
                    TopLevel::Root => (
                        "the JSONPath context object",
                        "the context object is `$states.context`: write `$states.context` where `$$` was".to_string(),
                    ),
                };
                let d = ctx
                    .diagnostic(format!("reference to `{written}` at the top level is not supported"))
                    .at(at)
                    .label(label)
                    .help(help);
                ctx.report(d);
            }
        }
    }
}
