use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a literal value written in a state — a Pass state's `Result`, a `Parameters`,
    /// `Arguments`, `Output` or `ItemSelector` — that is larger than 256 KiB (262,144 bytes)
    /// as compact JSON.
    ///
    /// It does not fire on values computed at run time (their size is only known then), nor
    /// on literals below the limit that the input could push over it.
    ///
    /// ## Why it matters
    /// Step Functions limits every state's input and output to 256 KiB. A state that builds a
    /// larger payload fails with `States.DataLimitExceeded` every time it runs. Large static
    /// data belongs in S3 (read it with an `ItemReader` or an S3 task) or in the task's code.
    ///
    /// ## Example
    /// A Pass state whose `Result` holds 300 KiB of reference data (too large to show here).
    ///
    /// ```json
    /// {"StartAt": "Load", "States": {"Load": {"Type": "Pass", "Result": {"rates": "…300 KiB…"}, "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Load", "States": {"Load": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///   "Parameters": {"Bucket": "reference-data", "Key": "rates.json"}, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html> (256 KiB payload)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#avoid-exec-failures>
    pub struct PayloadTooLarge {
        code: "ASL318",
        name: "payload-too-large",
        summary: "A literal payload in a state is larger than the 256 KiB Step Functions allows",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// The largest state input or output, in bytes.
pub const PAYLOAD_LIMIT_BYTES: usize = 256 * 1024;

impl PayloadTooLarge {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for field in ["Result", "Parameters", "Arguments", "Output", "ItemSelector"] {
                let Some(value) = state.get(field) else { continue };
                let size = serde_json::to_string(value).map_or(0, |s| s.len());
                if size <= PAYLOAD_LIMIT_BYTES {
                    continue;
                }
                let d = ctx
                    .diagnostic(format!(
                        "`{field}` of \"{}\" is {} KiB, over the 256 KiB payload limit",
                        state.name,
                        size / 1024
                    ))
                    .at_key(state.field_pointer(field))
                    .label("fails with States.DataLimitExceeded")
                    .help("keep large data in S3 and pass its location instead");
                ctx.report(d);
            }
        }
    }
}
