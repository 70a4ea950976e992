use crate::check::expressions::{in_string, STRING_INTRINSICS};
use crate::check::Context;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that an intrinsic function in a Fail state's `ErrorPath` or `CausePath` is one that
    /// returns a string: `States.Format`, `States.JsonToString`, `States.ArrayGetItem`,
    /// `States.Base64Encode`, `States.Base64Decode`, `States.Hash` or `States.UUID`.
    ///
    /// ## Why it matters
    /// The error name and cause of a failed execution are strings; Step Functions rejects the
    /// definition when another function is used (`SCHEMA_VALIDATION_FAILED`).
    ///
    /// ## Example
    /// ```json
    /// "Fail": {"Type": "Fail", "CausePath": "States.MathAdd($.a, $.b)"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Fail": {"Type": "Fail", "CausePath": "States.Format('total: {}', States.MathAdd($.a, $.b))"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html>
    pub struct FailPathIntrinsicNotString {
        code: "ASL208",
        name: "fail-path-intrinsic-not-string",
        summary: "`ErrorPath` or `CausePath` calls an intrinsic function that does not return a string",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl FailPathIntrinsicNotString {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (usage, _) in facts.intrinsic_calls() {
            let Some(function) = usage.call().function() else {
                continue;
            };
            if !usage.in_fail_path || STRING_INTRINSICS.contains(&function.name) {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "`{}` cannot use `{}`, which does not return a string",
                    usage.label, function.name
                ))
                .at(in_string(&usage.pointer(), usage.text, usage.call().name_span))
                .label(format!("returns {}", function.returns.describe()))
                .help(format!(
                    "use one of {}, or wrap the value in `States.Format('{{}}', …)` or \
                     `States.JsonToString(…)`",
                    STRING_INTRINSICS.join(", ")
                ));
            ctx.report(d);
        }
    }
}
