use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::choice::{self, ChoiceRule, BOOLEAN_OPERATORS, JSONATA_RULE_FIELDS, JSONPATH_RULE_FIELDS, OPERATORS};
use crate::model::QueryLanguage;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a field that a Choice rule does not allow. A JSONPath rule takes `Variable`, one
    /// comparison operator (`StringEquals`, `NumericLessThanPath`, `IsPresent`, …) or one of
    /// `And`/`Or`/`Not`, an optional `Comment`, and at the top level `Next` and `Assign`. A
    /// JSONata rule takes `Condition`, `Next`, `Assign`, `Comment` (and `Output`, accepted
    /// here although the guide does not list it). The diagnostic suggests the closest
    /// operator for a typo. Fields of the other query language (`Condition` in a JSONPath
    /// state, `Variable` or an operator in a JSONata state) are reported by ASL210
    /// `field-wrong-query-language` instead.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition with `SCHEMA_VALIDATION_FAILED`. A misspelt
    /// operator (`StringEqual`, `NumericGreaterThanEqual`) is the usual cause.
    ///
    /// ## Example
    /// ```json
    /// {"Variable": "$.status", "StringEqual": "DONE", "Next": "Finish"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Variable": "$.status", "StringEquals": "DONE", "Next": "Finish"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#state-choice-rules>
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html> (`Assign` in choice rules)
    pub struct UnknownChoiceRuleField {
        code: "ASL109",
        name: "unknown-choice-rule-field",
        summary: "A field that a Choice rule does not allow",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl UnknownChoiceRuleField {
    fn check(ctx: &mut Context<'_, '_>) {
        for rule in choice::all_rules(ctx.machine) {
            match rule.query_language {
                QueryLanguage::JsonPath => check_jsonpath(ctx, rule),
                QueryLanguage::Jsonata => check_jsonata(ctx, rule),
            }
        }
    }
}

fn jsonpath_candidates() -> impl Iterator<Item = &'static str> {
    OPERATORS
        .iter()
        .map(|o| o.name)
        .chain(JSONPATH_RULE_FIELDS.iter().copied())
}

fn check_jsonpath(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>) {
    let Some(object) = rule.object() else {
        return;
    };
    for key in object.keys() {
        let key = key.as_str();
        let known = choice::operator(key).is_some() || JSONPATH_RULE_FIELDS.contains(&key);
        let d = if known {
            // `Next` in a nested rule has its own rule (`nested-choice-rule-next`).
            if rule.top_level || key != "Assign" {
                continue;
            }
            ctx.diagnostic("a nested choice rule cannot have `Assign`")
                .at_key(rule.field_pointer(key))
                .label("only the top-level rule assigns variables")
                .help("move `Assign` to the enclosing top-level rule in `Choices`")
        } else if key == "Condition" || key == "Output" {
            // A JSONata field in a JSONPath state: `field-wrong-query-language` reports it.
            continue;
        } else if key == "End" {
            // Without a `Next`, `choice-rule-missing-next` already explains this one.
            if rule.top_level && !object.contains_key("Next") {
                continue;
            }
            end_field(ctx, rule)
        } else {
            ctx.diagnostic(format!("unknown field `{key}` in a choice rule"))
                .at_key(rule.field_pointer(key))
                .label("not a choice rule field")
                .maybe_help(did_you_mean(key, jsonpath_candidates()))
        };
        ctx.report(d);
    }
}

fn check_jsonata(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>) {
    let Some(object) = rule.object() else {
        return;
    };
    for key in object.keys() {
        let key = key.as_str();
        if JSONATA_RULE_FIELDS.contains(&key) {
            continue;
        }
        // JSONPath fields in a JSONata state: `field-wrong-query-language` reports them.
        let jsonpath_only = key == "Variable" || choice::operator(key).is_some() || BOOLEAN_OPERATORS.contains(&key);
        let d = if jsonpath_only {
            continue;
        } else if key == "End" {
            if !object.contains_key("Next") {
                continue;
            }
            end_field(ctx, rule)
        } else {
            ctx.diagnostic(format!("unknown field `{key}` in a choice rule"))
                .at_key(rule.field_pointer(key))
                .label("not a JSONata choice rule field")
                .maybe_help(did_you_mean(key, JSONATA_RULE_FIELDS.iter().copied()))
        };
        ctx.report(d);
    }
}

/// `End` in a choice rule: a Choice state cannot end the execution.
fn end_field(ctx: &Context<'_, '_>, rule: &ChoiceRule<'_>) -> Diagnostic {
    ctx.diagnostic("a choice rule cannot have `End`")
        .at_key(rule.field_pointer("End"))
        .label("a Choice state cannot end the execution")
        .help("remove `End`; to finish, make `Next` name a Succeed state")
}
