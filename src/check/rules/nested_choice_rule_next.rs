use crate::check::Context;
use crate::declare_rule;
use crate::model::get_field;

declare_rule! {
    /// ## What it does
    /// Reports a `Next` field inside a rule nested in `And`, `Or` or `Not`.
    ///
    /// ## Why it matters
    /// Only the top-level rule of `Choices` decides where the Choice state goes; its nested
    /// rules are parts of one Boolean expression and cannot transition anywhere. Step Functions
    /// rejects the definition with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"Type": "Choice", "Choices": [{"And": [
    ///   {"Variable": "$.a", "IsPresent": true, "Next": "Found"},
    ///   {"Variable": "$.a", "IsNull": false}], "Next": "Found"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Type": "Choice", "Choices": [{"And": [
    ///   {"Variable": "$.a", "IsPresent": true},
    ///   {"Variable": "$.a", "IsNull": false}], "Next": "Found"}]}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#state-choice-rules>
    /// - <https://states-language.net/spec.html#choice-state> ("nested Choice Rules MUST NOT contain a Next field")
    pub struct NestedChoiceRuleNext {
        code: "ASL107",
        name: "nested-choice-rule-next",
        summary: "A rule nested in `And`/`Or`/`Not` has a `Next`",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl NestedChoiceRuleNext {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            for rule in state.choice_rules() {
                let nested_next = !rule.top_level && rule.object().is_some_and(|o| get_field(o, "Next").is_some());
                if nested_next {
                    let d = ctx
                        .diagnostic("a nested choice rule cannot have `Next`")
                        .at_key(rule.field_pointer("Next"))
                        .label("only the top-level rule transitions")
                        .help("move `Next` to the enclosing top-level rule in `Choices`");
                    ctx.report(d);
                }
            }
        }
    }
}
