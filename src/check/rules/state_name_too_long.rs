use crate::check::Context;
use crate::declare_rule;

/// The longest state name Step Functions accepts, in characters.
const MAX: usize = 80;

declare_rule! {
    /// ## What it does
    /// Reports a state name longer than 80 characters, in any scope.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `INVALID_STATE_NAME`: "State '…' exceeds the
    /// 80-character limit allowed by the service".
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Send the monthly invoice to every customer whose subscription renewed during the previous month",
    ///  "States": {"Send the monthly invoice to every customer whose subscription renewed during the previous month":
    ///    {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "SendMonthlyInvoices",
    ///  "States": {"SendMonthlyInvoices": {"Type": "Succeed",
    ///    "Comment": "Send the monthly invoice to every customer whose subscription renewed during the previous month"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateEnteredEventDetails.html> (state `name`: maximum length of 80)
    /// - <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html> (`INVALID_STATE_NAME`)
    pub struct StateNameTooLong {
        code: "ASL117",
        name: "state-name-too-long",
        summary: "A state name longer than 80 characters",
        severity: Error,
        aws_code: Some("INVALID_STATE_NAME"),
    }
}

impl StateNameTooLong {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            // Characters, not UTF-16 units or bytes: the smallest count, so never a false alarm.
            let length = state.name.chars().count();
            if length <= MAX {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "state name is {length} characters long; Step Functions allows at most {MAX}"
                ))
                .at_key(state.pointer.clone())
                .label("too long")
                .help("use a short name and move the description to the state's `Comment`");
            ctx.report(d);
        }
    }
}
