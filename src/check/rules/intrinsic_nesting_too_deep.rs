use crate::check::expressions::in_string;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::intrinsics::Problem;

declare_rule! {
    /// ## What it does
    /// Checks that intrinsic function calls are nested at most 10 levels deep in one field.
    ///
    /// ## Why it matters
    /// Step Functions allows up to 10 nested intrinsic functions in a field and rejects the
    /// definition beyond that (`SCHEMA_VALIDATION_FAILED`).
    ///
    /// ## Example
    /// Eleven calls, each the argument of the next:
    /// ```json
    /// "x.$": "States.JsonToString(States.JsonToString(…(States.JsonToString($.a))…))"
    /// ```
    ///
    /// ## Use instead
    /// Split the computation over two states, or use a Task.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>
    pub struct IntrinsicNestingTooDeep {
        code: "ASL206",
        name: "intrinsic-nesting-too-deep",
        summary: "Intrinsic function calls are nested more than 10 levels deep",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl IntrinsicNestingTooDeep {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (usage, problems) in facts.intrinsic_problems() {
            for problem in problems {
                if let Problem::TooDeep { span, .. } = problem {
                    let d = ctx
                        .diagnostic(problem.message())
                        .at(in_string(&usage.pointer(), usage.text, *span))
                        .label("the 11th level starts here");
                    ctx.report(d);
                }
            }
        }
    }
}
