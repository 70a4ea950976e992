use crate::check::expressions::Place;
use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::expr::jsonata_refs::states_fields;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Checks that `$states.result` and `$states.errorOutput` are not read where Step Functions
    /// cannot provide them:
    ///
    /// - `$states.result`, the result of the work, in the fields of a Task, Parallel or Map
    ///   state that are evaluated *before* the work: `Arguments`, `Items`, `ItemSelector`,
    ///   `ItemReader`, `ItemBatcher`, `Credentials`, `TimeoutSeconds`, `HeartbeatSeconds`,
    ///   `MaxConcurrency`, `ToleratedFailure…`;
    /// - `$states.errorOutput`, the error, anywhere but the `Output` and `Assign` of a catcher.
    ///
    /// It does not report `$states.result` in an `Output` or `Assign` (of any state or
    /// catcher): Step Functions accepts definitions that read it there. `$states.input` and
    /// `$states.context` are available everywhere and never reported.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition: the field does not exist where it is read. In a
    /// catcher, the error is `$states.errorOutput`, and the state's input is still
    /// `$states.input`.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Charge", "States": {
    ///   "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Arguments": {"FunctionName": "charge", "Payload": "{% $states.input %}"},
    ///     "TimeoutSeconds": 30,
    ///     "Output": "{% $states.errorOutput %}",
    ///     "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Charge", "States": {
    ///   "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Arguments": {"FunctionName": "charge", "Payload": "{% $states.input %}"},
    ///     "TimeoutSeconds": 30,
    ///     "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "Failed"}],
    ///     "Output": "{% $states.result.Payload %}",
    ///     "End": true},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html> (the reserved variable `$states`)
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
    pub struct UnavailableStatesField {
        code: "ASL232",
        name: "unavailable-states-field",
        summary: "`$states.result` or `$states.errorOutput` is read where Step Functions does not provide it",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

/// Characters before the expression in the string: `{%`.
const OPENER: usize = 2;

impl UnavailableStatesField {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        let states = ctx.machine.all_states();
        for parsed in facts.jsonata() {
            let Ok(ast) = &parsed.ast else {
                continue;
            };
            let kind = states
                .iter()
                .find(|(_, s)| s.pointer == parsed.state)
                .and_then(|(_, s)| s.kind);
            let output_or_assign = matches!(parsed.expr.field, "Output" | "Assign");
            for (field, span) in states_fields(ast) {
                let (available, help) = match field.as_str() {
                    "result" => (
                        parsed.expr.place != Place::State
                            || output_or_assign
                            || !matches!(kind, Some(StateType::Task | StateType::Parallel | StateType::Map)),
                        "this field is evaluated before the work runs: read the result in `Output` or `Assign`",
                    ),
                    "errorOutput" => (
                        matches!(parsed.expr.place, Place::Catcher(_)) && output_or_assign,
                        "`$states.errorOutput` exists only in the `Output` and `Assign` of a catcher",
                    ),
                    _ => continue,
                };
                if available {
                    continue;
                }
                let d = ctx
                    .diagnostic(format!("`$states.{field}` is not available in this field"))
                    .at(Location::in_string(
                        parsed.expr.pointer.clone(),
                        OPENER + span.start,
                        OPENER + span.end.max(span.start + 1),
                    ))
                    .label("not provided here")
                    .help(help);
                ctx.report(d);
            }
        }
    }
}
