use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::get_field;
use crate::pointer::child;

declare_rule! {
    /// ## What it does
    /// Checks that no object of a JSONPath payload template has both a key and the same key with
    /// `.$` (`"id"` and `"id.$"`): both produce the field `id`.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`); which value was meant
    /// is anyone's guess.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"id": "fixed", "id.$": "$.order.id"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Parameters": {"id.$": "$.order.id"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters>
    pub struct DuplicatePayloadKey {
        code: "ASL207",
        name: "duplicate-payload-key",
        summary: "A payload template has both `key` and `key.$`, which produce the same field",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl DuplicatePayloadKey {
    fn check(ctx: &mut Context<'_, '_>) {
        let mut found = Vec::new();
        // `Credentials` allows `RoleArn` or `RoleArn.$` only; the schema reports both (ASL015).
        for member in ctx.facts.payload_members().iter().filter(|m| !m.in_credentials) {
            let Some(plain) = member.key.strip_suffix(".$") else {
                continue;
            };
            if get_field(member.object, plain).is_some() {
                // The member's pointer minus its last token; keys escape `/` as `~1`.
                let pointer = member.pointer();
                let parent = pointer.rfind('/').map_or("", |i| &pointer[..i]);
                let other = child(parent, plain);
                found.push((member.key.to_string(), plain.to_string(), pointer, other));
            }
        }
        for (key, plain, pointer, other) in found {
            let d = ctx
                .diagnostic(format!("`{key}` and `{plain}` both set the field \"{plain}\""))
                .at_key(pointer)
                .label("evaluated")
                .with_label(Location::key(other), "constant")
                .help("keep one of the two");
            ctx.report(d);
        }
    }
}
