use crate::check::Context;
use crate::declare_rule;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Reports a Choice state without a `Default`.
    ///
    /// It does not fire when `Default` is present, whatever its target.
    ///
    /// ## Why it matters
    /// When no rule matches — an unexpected status, a missing field, a new enum value — the
    /// execution fails with `States.NoChoiceMatched`, which no Catch can handle (Choice states
    /// have no `Catch`). A `Default` that leads to an explicit `Fail` with a clear error, or to
    /// a safe path, makes the unmatched case a decision instead of an accident.
    ///
    /// Adding a `Default` changes behaviour, so `aslkit lint --fix` never does it.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Status", "States": {
    ///   "Status": {"Type": "Choice", "Choices": [
    ///     {"Variable": "$.status", "StringEquals": "PAID", "Next": "Ship"}]},
    ///   "Ship": {"Type": "Succeed"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Status", "States": {
    ///   "Status": {"Type": "Choice", "Choices": [
    ///     {"Variable": "$.status", "StringEquals": "PAID", "Next": "Ship"}],
    ///    "Default": "UnknownStatus"},
    ///   "Ship": {"Type": "Succeed"},
    ///   "UnknownStatus": {"Type": "Fail", "Error": "UnknownStatus"}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html> ("we recommend that you always use the Default field")
    pub struct ChoiceWithoutDefault {
        code: "ASL309",
        name: "choice-without-default",
        summary: "A Choice state has no `Default`: unmatched input fails with `States.NoChoiceMatched`",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

impl ChoiceWithoutDefault {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Choice) || state.has("Default") {
                continue;
            }
            let d = ctx
                .diagnostic(format!("Choice state \"{}\" has no `Default`", state.name))
                .at_key(state.pointer.clone())
                .label("unmatched input fails the execution")
                .help("add a `Default` that names a Fail state with a clear error, or a safe path")
                .note("the error is States.NoChoiceMatched, which a Choice state cannot catch");
            ctx.report(d);
        }
    }
}
