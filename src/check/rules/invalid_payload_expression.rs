use crate::check::describe_type;
use crate::check::expressions::in_string;
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks the value of every key ending in `.$` in the payload templates of JSONPath states
    /// (`Parameters`, `ResultSelector`, `ItemSelector`, `ItemReader.Parameters`,
    /// `ItemBatcher.BatchInput`, `ResultWriter.Parameters`, `Credentials` and `Assign`, at any
    /// depth, inside arrays too): it must be a string holding a path (`$.field`,
    /// `$$.Execution.Id`, `$variable`) or an intrinsic function call (`States.Format(…)`). The
    /// diagnostic points at the character where the expression stops making sense.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`: "The value for the
    /// field '….$' must be a valid JSONPath or a valid intrinsic function call").
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"id.$": "$.order.id", "lorem.$": "ipsum", "count.$": 3}
    /// ```
    ///
    /// ## Use instead
    /// Drop the `.$` from keys whose value is a constant:
    /// ```json
    /// "Parameters": {"id.$": "$.order.id", "lorem": "ipsum", "count": 3}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>
    pub struct InvalidPayloadExpression {
        code: "ASL203",
        name: "invalid-payload-expression",
        summary: "The value of a key ending in `.$` is not a path or an intrinsic function call",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl InvalidPayloadExpression {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for member in facts.payload_members().iter().filter(|m| m.key.ends_with(".$")) {
            let (key, value) = (member.key, member.value);
            let d = match value.as_str() {
                None => ctx
                    .diagnostic(format!(
                        "`{key}` must be a string holding a path or an intrinsic function call, \
                         not {}",
                        describe_type(value)
                    ))
                    .at_value(member.pointer())
                    .help(format!(
                        "for a constant value, drop `.$` from the key: \"{}\"",
                        key.trim_end_matches(".$")
                    )),
                Some(text) => match &member.parsed {
                    Some(Ok(_)) | None => continue,
                    Some(Err(error)) => {
                        let pointer = member.pointer();
                        // The detail goes in the message too: JSON output has no labels.
                        let d = ctx
                            .diagnostic(format!(
                                "the value of `{key}` is not a valid path or intrinsic function \
                                 call: {}",
                                error.message
                            ))
                            .at(in_string(&pointer, text, error.span))
                            .label("here");
                        if text.starts_with('$') || text.contains('(') {
                            d
                        } else {
                            d.help(format!(
                                "for a constant string, drop `.$` from the key: \"{}\"",
                                key.trim_end_matches(".$")
                            ))
                        }
                    }
                },
            };
            ctx.report(d);
        }
    }
}
