use crate::check::expressions::in_string;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::intrinsics::{lookup, Problem, FUNCTIONS};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Checks that every intrinsic function call names one of the 18 `States.*` functions:
    /// `States.Format`, `States.StringToJson`, `States.JsonToString`, `States.Array`,
    /// `States.ArrayPartition`, `States.ArrayContains`, `States.ArrayRange`,
    /// `States.ArrayGetItem`, `States.ArrayLength`, `States.ArrayUnique`, `States.Base64Encode`,
    /// `States.Base64Decode`, `States.Hash`, `States.JsonMerge`, `States.MathRandom`,
    /// `States.MathAdd`, `States.StringSplit`, `States.UUID`. Names are case-sensitive.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`).
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"id.$": "States.Uuid()"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Parameters": {"id.$": "States.UUID()"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>
    pub struct UnknownIntrinsicFunction {
        code: "ASL204",
        name: "unknown-intrinsic-function",
        summary: "An intrinsic function call names a function that does not exist",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl UnknownIntrinsicFunction {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (usage, problems) in facts.intrinsic_problems() {
            for problem in problems {
                let Problem::UnknownFunction { name, span } = problem else {
                    continue;
                };
                let help = suggestion(name).map(|s| format!("did you mean `{s}`?"));
                let d = ctx
                    .diagnostic(format!("`{name}` is not an intrinsic function"))
                    .at(in_string(&usage.pointer(), usage.text, *span))
                    .label("unknown function")
                    .maybe_help(help);
                ctx.report(d);
            }
        }
    }
}

/// The function most likely meant: a known one with the `States.` prefix added, or the
/// nearest name.
fn suggestion(name: &str) -> Option<&'static str> {
    if let Some(f) = lookup(&format!("States.{name}")) {
        return Some(f.name);
    }
    closest(name, FUNCTIONS.iter().map(|f| f.name))
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggestions() {
        assert_eq!(suggestion("States.Uuid"), Some("States.UUID"));
        assert_eq!(suggestion("JsonToString"), Some("States.JsonToString"));
        assert_eq!(suggestion("States.Fromat"), Some("States.Format"));
        assert_eq!(suggestion("Nothing.Like.It"), None);
    }
}
