use serde_json::Value;

use crate::check::{describe_type, Context};
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::choice::{self, ChoiceRule, BOOLEAN_OPERATORS, JSONPATH_RULE_FIELDS};
use crate::model::QueryLanguage;
use crate::pointer::child;

declare_rule! {
    /// ## What it does
    /// Checks the shape of every Choice rule, nested ones included:
    ///
    /// - a rule is a JSON object;
    /// - a JSONPath rule is either a comparison (`Variable` with exactly one operator such as
    ///   `StringEquals` or `IsPresent`) or combines other rules with `And`, `Or` or `Not` (and
    ///   then has no `Variable`), not both;
    /// - `And` and `Or` hold a non-empty array of rules, `Not` holds one rule;
    /// - a JSONata rule has a `Condition`;
    /// - a `Comment`, on a rule at any depth, is a string.
    ///
    /// Field names themselves are checked by `unknown-choice-rule-field`, operand types by
    /// `choice-operand-type-mismatch`.
    ///
    /// ## Why it matters
    /// Step Functions cannot tell what such a rule tests and rejects the definition with
    /// `SCHEMA_VALIDATION_FAILED`. Two operators in one rule are a frequent attempt at "a and
    /// b"; that needs `And`.
    ///
    /// ## Example
    /// ```json
    /// {"Variable": "$.n", "NumericGreaterThan": 0, "NumericLessThan": 10, "Next": "InRange"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"And": [{"Variable": "$.n", "NumericGreaterThan": 0},
    ///          {"Variable": "$.n", "NumericLessThan": 10}], "Next": "InRange"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#state-choice-rules>
    /// - <https://states-language.net/spec.html#choice-state>
    pub struct MalformedChoiceRule {
        code: "ASL108",
        name: "malformed-choice-rule",
        summary: "A Choice rule without exactly one well-formed operator",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

/// Whether a field is a data-test or Boolean operator.
fn is_operator(field: &str) -> bool {
    choice::operator(field).is_some() || BOOLEAN_OPERATORS.contains(&field)
}

impl MalformedChoiceRule {
    fn check(ctx: &mut Context<'_, '_>) {
        for rule in choice::all_rules(ctx.machine) {
            if let Some(comment) = rule.get("Comment").filter(|c| !c.is_string()) {
                let d = ctx
                    .diagnostic(format!(
                        "a choice rule's `Comment` must be a string, not {}",
                        describe_type(comment)
                    ))
                    .at_value(rule.field_pointer("Comment"))
                    .label("expected a string");
                ctx.report(d);
            }
            match rule.query_language {
                QueryLanguage::JsonPath => check_jsonpath(ctx, rule),
                QueryLanguage::Jsonata => check_jsonata(ctx, rule),
            }
        }
    }
}

fn check_jsonata(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>) {
    let Some(object) = rule.object() else {
        report_not_object(ctx, rule);
        return;
    };
    // A rule written with JSONPath operators is reported by `unknown-choice-rule-field`,
    // which says to use `Condition`; saying it twice would not help.
    let has_jsonpath_test = object.keys().any(|k| k == "Variable" || is_operator(k));
    if !object.contains_key("Condition") && !has_jsonpath_test {
        let d = ctx
            .diagnostic("this JSONata choice rule has no `Condition`")
            .at_value(rule.pointer.clone())
            .label("what does this rule test?")
            .help("add `\"Condition\": \"{% … %}\"`, an expression that yields true or false");
        ctx.report(d);
    }
}

fn report_not_object(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>) {
    let d = ctx
        .diagnostic(format!(
            "a choice rule must be an object, not {}",
            describe_type(rule.value)
        ))
        .at_value(rule.pointer.clone())
        .label("expected {\"Variable\": …, \"<operator>\": …}");
    ctx.report(d);
}

fn check_jsonpath(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>) {
    let Some(object) = rule.object() else {
        report_not_object(ctx, rule);
        return;
    };
    let operators: Vec<&str> = object.keys().map(String::as_str).filter(|k| is_operator(k)).collect();
    let Some(&first) = operators.first() else {
        // A misspelt operator is reported by `unknown-choice-rule-field` with a suggestion.
        let has_unknown = object
            .keys()
            .any(|k| !JSONPATH_RULE_FIELDS.contains(&k.as_str()) && !is_operator(k));
        if !has_unknown {
            let d = ctx
                .diagnostic("this choice rule has no comparison operator")
                .at_value(rule.pointer.clone())
                .label("what does this rule test?")
                .help("add a `Variable` and one operator such as `StringEquals` or `IsPresent`, or combine rules with `And`, `Or` or `Not`");
            ctx.report(d);
        }
        return;
    };
    let (booleans, tests): (Vec<&str>, Vec<&str>) = operators.iter().partition(|op| BOOLEAN_OPERATORS.contains(op));
    if let Some(&test) = tests.first() {
        for extra in &tests[1..] {
            let d = ctx
                .diagnostic(format!(
                    "a choice rule takes exactly one comparison operator, and this one already has `{test}`"
                ))
                .at_key(rule.field_pointer(extra))
                .label("second operator")
                .with_label(Location::key(rule.field_pointer(test)), "first operator")
                .help("to test several conditions, put one rule per condition inside `And` or `Or`");
            ctx.report(d);
        }
        for boolean in &booleans {
            let d = ctx
                .diagnostic(format!(
                    "a rule comparing with `{test}` cannot also combine rules with `{boolean}`"
                ))
                .at_key(rule.field_pointer(boolean))
                .label("Boolean operator in a comparison")
                .with_label(Location::key(rule.field_pointer(test)), "comparison")
                .help(format!("make the comparison one of the rules inside `{boolean}`"));
            ctx.report(d);
        }
        if !object.contains_key("Variable") {
            let d = ctx
                .diagnostic(format!("`{test}` needs a `Variable` to compare"))
                .at_key(rule.field_pointer(test))
                .label("compares nothing")
                .help("add `\"Variable\": \"$.field\"` naming the value to test");
            ctx.report(d);
        }
        return;
    }
    // Only Boolean operators. Several on one rule (`And` next to `Or`) are not reported: a
    // peer validator accepts them and no AWS source says the service rejects them.
    if object.contains_key("Variable") {
        let d = ctx
            .diagnostic(format!(
                "`Variable` has no meaning in a rule that combines other rules with `{first}`"
            ))
            .at_key(rule.field_pointer("Variable"))
            .label("not used")
            .with_label(Location::key(rule.field_pointer(first)), "combines rules")
            .help("move the `Variable` into the nested rules that test it");
        ctx.report(d);
    }
    for boolean in booleans {
        if let Some(value) = object.get(boolean) {
            check_boolean_operand(ctx, rule, boolean, value);
        }
    }
}

/// `And`/`Or` hold a non-empty array, `Not` one rule object. Elements that are not objects are
/// reported when the walk reaches them as rules.
fn check_boolean_operand(ctx: &mut Context<'_, '_>, rule: &ChoiceRule<'_>, op: &str, value: &Value) {
    let pointer = child(&rule.pointer, op);
    match op {
        "And" | "Or" => match value {
            Value::Array(items) if items.is_empty() => {
                let d = ctx
                    .diagnostic(format!("`{op}` needs at least one rule"))
                    .at_value(pointer)
                    .label("empty");
                ctx.report(d);
            }
            Value::Array(_) => {}
            other => {
                let d = ctx
                    .diagnostic(format!(
                        "`{op}` must be an array of choice rules, not {}",
                        describe_type(other)
                    ))
                    .at_value(pointer)
                    .label("expected [ {…}, {…} ]");
                ctx.report(d);
            }
        },
        "Not" if !value.is_object() => {
            let mut d = ctx
                .diagnostic(format!(
                    "`Not` must be a single choice rule object, not {}",
                    describe_type(value)
                ))
                .at_value(pointer)
                .label("expected { \"Variable\": …, \"<operator>\": … }");
            if value.is_array() {
                d = d.help("to negate several rules, negate an `And` or `Or`: {\"Not\": {\"Or\": [ … ]}}");
            }
            ctx.report(d);
        }
        _ => {}
    }
}
