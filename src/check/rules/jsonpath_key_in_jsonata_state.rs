use crate::check::expressions::{for_each_member, jsonata_templates};
use crate::check::Context;
use crate::declare_rule;
use crate::model::QueryLanguage;

declare_rule! {
    /// ## What it does
    /// Checks that the templates of JSONata states (`Arguments`, `Output`, `Assign`,
    /// `ItemSelector`, `Credentials`, `ItemReader.Arguments`, `ItemBatcher.BatchInput`,
    /// `ResultWriter.Arguments`, and the `Output` and `Assign` of catchers and Choice rules) have
    /// no keys ending in `.$`.
    ///
    /// ## Why it matters
    /// `.$` keys are how JSONPath marks a value to evaluate; JSONata has no such keys — any string
    /// written `{% … %}` is evaluated. Step Functions accepts the definition, but keeps the key
    /// as written, `.$` included, and the value as a literal string: the state outputs
    /// `{"Payload.$": "$.order"}`, not the order.
    ///
    /// ## Example
    /// ```json
    /// "Arguments": {"FunctionName": "process", "Payload.$": "$.order"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Arguments": {"FunctionName": "process", "Payload": "{% $states.input.order %}"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
    pub struct JsonpathKeyInJsonataState {
        code: "ASL213",
        name: "jsonpath-key-in-jsonata-state",
        summary: "A JSONata state has a key ending in `.$`, which only JSONPath understands",
        severity: Warning,
        aws_code: None,
    }
}

impl JsonpathKeyInJsonataState {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut found = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if state.query_language != QueryLanguage::Jsonata {
                continue;
            }
            for template in jsonata_templates(state) {
                for_each_member(template.value, &template.pointer, &mut |_, key, _, pointer| {
                    if key.ends_with(".$") {
                        found.push((key, pointer.to_string(), state.name));
                    }
                });
            }
        }
        for (key, pointer, name) in found {
            let d = ctx
                .diagnostic(format!(
                    "`{key}` is taken literally: state \"{name}\" uses JSONata, where `.$` keys mean nothing"
                ))
                .at_key(pointer)
                .label("JSONPath syntax")
                .help(format!(
                    "name the field \"{}\" and write its value as a JSONata expression, \"{{% … %}}\"",
                    key.trim_end_matches(".$")
                ));
            ctx.report(d);
        }
    }
}
