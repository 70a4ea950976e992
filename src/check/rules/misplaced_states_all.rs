use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::model::get_member;
use crate::pointer::child;
use crate::simulate::errors::names;

declare_rule! {
    /// ## What it does
    /// Checks where the wildcard error name `States.ALL` appears in `Retry` and `Catch`: it
    /// must be the only name in its `ErrorEquals`, and only in the last retrier (or catcher)
    /// of the array.
    ///
    /// ## Why it matters
    /// `States.ALL` matches every error, so retriers or catchers after it could never be
    /// reached and names next to it add nothing. The ASL specification forbids both and Step
    /// Functions rejects the definition with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// "Catch": [
    ///   {"ErrorEquals": ["States.ALL"], "Next": "Cleanup"},
    ///   {"ErrorEquals": ["States.Timeout"], "Next": "Retry"}]
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Catch": [
    ///   {"ErrorEquals": ["States.Timeout"], "Next": "Retry"},
    ///   {"ErrorEquals": ["States.ALL"], "Next": "Cleanup"}]
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
    /// - <https://states-language.net/spec.html#error-names> ("States.ALL … MUST appear alone in its ErrorEquals array and MUST appear in the last Retrier/Catcher")
    pub struct MisplacedStatesAll {
        code: "ASL116",
        name: "misplaced-states-all",
        summary: "`States.ALL` not alone in `ErrorEquals` or not in the last retrier/catcher",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl MisplacedStatesAll {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for (field, what) in [("Retry", "retrier"), ("Catch", "catcher")] {
                let Some(items) = state.get(field).and_then(Value::as_array) else {
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let Some(names) = get_member(item, "ErrorEquals").and_then(Value::as_array) else {
                        continue;
                    };
                    let Some(j) = names.iter().position(|n| n == names::ALL) else {
                        continue;
                    };
                    // `States.ALL` alone in the last item is where it belongs (the usual case).
                    if names.len() == 1 && i + 1 == items.len() {
                        continue;
                    }
                    let base = state.field_pointer(field);
                    let at = child(&child(&child(&base, &i.to_string()), "ErrorEquals"), &j.to_string());
                    if names.len() > 1 {
                        let d = ctx
                            .diagnostic("`States.ALL` must be the only error name in its `ErrorEquals`")
                            .at_value(at.clone())
                            .label("matches every error already")
                            .help(format!(
                                "give the other error names a {what} of their own, before this one"
                            ));
                        ctx.report(d);
                    }
                    if i + 1 < items.len() {
                        let d = ctx
                            .diagnostic(format!("`States.ALL` must be in the last {what} of `{field}`"))
                            .at_value(at)
                            .label(match items.len() - i - 1 {
                                1 => format!("the {what} after it can never match"),
                                n => format!("the {n} {what}s after it can never match"),
                            })
                            .help(format!("move this {what} to the end of `{field}`"));
                        ctx.report(d);
                    }
                }
            }
        }
    }
}
