use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::model::{QueryLanguage, State, StateMachine, StateType};

declare_rule! {
    /// ## What it does
    /// Checks that no state declares `"QueryLanguage": "JSONPath"` when the whole state machine
    /// declares `"QueryLanguage": "JSONata"` at the top level. (The opposite is allowed: a
    /// JSONPath machine can move state by state to JSONata.)
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`: "'QueryLanguage' can not
    /// be 'JSONPath' if set to 'JSONata' for whole state machine").
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// Keep JSONPath at the top level and opt states into JSONata one by one:
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "End": true},
    ///   "B": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html>
    pub struct QueryLanguageDowngrade {
        code: "ASL211",
        name: "query-language-downgrade",
        summary: "A state declares JSONPath inside a state machine that declares JSONata",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl QueryLanguageDowngrade {
    fn check(ctx: &mut Context<'_, '_>) {
        let top = ctx
            .machine
            .object
            .and_then(|o| o.get("QueryLanguage"))
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse);
        if top != Some(QueryLanguage::Jsonata) {
            return;
        }
        let top_pointer = ctx.machine.field_pointer("QueryLanguage");
        let mut found = Vec::new();
        collect(ctx.machine, &mut found);
        for state in found {
            let d = ctx
                .diagnostic(format!(
                    "state \"{}\" cannot use JSONPath: the whole state machine uses JSONata",
                    state.name
                ))
                .at_value(state.field_pointer("QueryLanguage"))
                .label("JSONPath")
                .with_label(Location::value(top_pointer.clone()), "JSONata for the whole machine")
                .help(
                    "rewrite the state in JSONata, or remove the top-level `QueryLanguage` and set \
                     `\"QueryLanguage\": \"JSONata\"` on the states that use it",
                );
            ctx.report(d);
        }
    }
}

/// The states of `scope` and its nested scopes that declare JSONPath. The processor of a
/// distributed Map is skipped: its iterations run as child executions of their own, and
/// definitions that switch them back to JSONPath are accepted.
fn collect<'m, 'v>(scope: &'m StateMachine<'v>, out: &mut Vec<&'m State<'v>>) {
    for state in &scope.states {
        let declared = state
            .get("QueryLanguage")
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse);
        if declared == Some(QueryLanguage::JsonPath) {
            out.push(state);
        }
        if state.kind == Some(StateType::Map) && is_distributed(state) {
            continue;
        }
        for child in &state.children {
            collect(child, out);
        }
    }
}

fn is_distributed(state: &State) -> bool {
    state
        .get("ItemProcessor")
        .and_then(|p| p.get("ProcessorConfig"))
        .and_then(|c| c.get("Mode"))
        .and_then(Value::as_str)
        == Some("DISTRIBUTED")
}
