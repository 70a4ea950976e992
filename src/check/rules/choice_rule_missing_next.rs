use crate::check::Context;
use crate::declare_rule;
use crate::model::get_field;

declare_rule! {
    /// ## What it does
    /// Checks that every top-level rule in a Choice state's `Choices` array has a `Next` field,
    /// in JSONPath rules (`Variable` + operator, `And`, `Or`, `Not`) and JSONata rules
    /// (`Condition`) alike.
    ///
    /// ## Why it matters
    /// A Choice state moves only through the `Next` of the rule that matched (or its
    /// `Default`); a rule without one has nowhere to go. Step Functions rejects the definition
    /// with `SCHEMA_VALIDATION_FAILED`. Writing `"End": true` in a rule is a common slip: a
    /// Choice state cannot end the execution, so route to a Succeed state instead.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Choice", "Choices": [
    ///   {"Variable": "$.ok", "BooleanEquals": true, "End": true}], "Default": "Retry"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Choice", "Choices": [
    ///   {"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Retry"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#state-choice-rules>
    /// - <https://states-language.net/spec.html#choice-state> ("each Choice Rule … MUST contain a Next field")
    pub struct ChoiceRuleMissingNext {
        code: "ASL106",
        name: "choice-rule-missing-next",
        summary: "A top-level Choice rule has no `Next`",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl ChoiceRuleMissingNext {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for rule in state.choice_rules() {
                let Some(object) = rule.object() else {
                    continue;
                };
                if !rule.top_level || get_field(object, "Next").is_some() {
                    continue;
                }
                let mut d = ctx
                    .diagnostic("this choice rule has no `Next`")
                    .at_value(rule.pointer.clone())
                    .label("which state should this rule move to?");
                if get_field(object, "End").is_some() {
                    d = d.help("a Choice state cannot end the execution: add `\"Next\"` naming a Succeed state");
                } else {
                    d = d.help("add `\"Next\": \"<state name>\"` to the rule");
                }
                ctx.report(d);
            }
        }
    }
}
