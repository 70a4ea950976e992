use crate::check::expressions::in_string;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::intrinsics::Problem;

declare_rule! {
    /// ## What it does
    /// Checks the arguments of every call to a known intrinsic function:
    /// - the number of arguments (`States.UUID()` takes none, `States.MathAdd` two,
    ///   `States.MathRandom` two or three, `States.Format` at least one, …);
    /// - literal arguments of a fixed type: `States.MathAdd(1, '-1')` passes a string where a
    ///   number is needed, `States.ArrayLength('abc')` a string where an array is needed (paths
    ///   and nested calls are only known at run time and are not checked);
    /// - a `States.Format` template written as a literal has as many `{}` placeholders as there
    ///   are values after it (escaped braces `\{\}` do not count).
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`), or the call fails
    /// every time it runs with `States.IntrinsicFailure`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"greeting.$": "States.Format('Hello {} {}', $.first)"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Parameters": {"greeting.$": "States.Format('Hello {} {}', $.first, $.last)"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>
    pub struct IntrinsicArgumentMismatch {
        code: "ASL205",
        name: "intrinsic-argument-mismatch",
        summary: "An intrinsic function is called with the wrong number or kind of arguments",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl IntrinsicArgumentMismatch {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (usage, problems) in facts.intrinsic_problems() {
            for problem in problems {
                let (label, help) = match &problem {
                    Problem::Arity { function, .. } => (
                        "wrong number of arguments",
                        Some(format!("for example: {}", function.example)),
                    ),
                    Problem::ArgumentType { expected, .. } => {
                        ("wrong type", Some(format!("pass {} or a path", expected.describe())))
                    }
                    Problem::Placeholders { .. } => (
                        "template",
                        Some("write one `{}` per value; escape braces meant literally as `\\{\\}`".to_string()),
                    ),
                    _ => continue,
                };
                let d = ctx
                    .diagnostic(problem.message())
                    .at(in_string(&usage.pointer(), usage.text, problem.span()))
                    .label(label)
                    .maybe_help(help);
                ctx.report(d);
            }
        }
    }
}
