//! The Choice state: the first rule that holds (JSONPath rules read by
//! [`crate::model::choice::Test`] and evaluated by [`crate::simulate::choice`], JSONata rules by
//! their `Condition`) picks `Next`, its `Assign` and (JSONata) `Output`; else `Default`; else
//! `States.NoChoiceMatched`.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::expr::jsonata_string::{classify, JsonataString};
use crate::model::choice::RuleFields;
use crate::simulate::choice;
use crate::simulate::engine::{assign_all, Engine, Halt, Here, Step};
use crate::simulate::errors::{names, Failure};
use crate::simulate::io::{self, PathScope};

impl Engine<'_> {
    pub(in crate::simulate) fn choice(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Step, Halt> {
        let rules = here.fields.choices();
        if here.jsonata {
            for rule in rules {
                let scope = self.jsonata_scope(here, variables, input, None, None);
                let condition = match RuleFields::of(rule).condition() {
                    Some(Value::String(s)) => match classify(s) {
                        JsonataString::Expression { body } => {
                            io::jsonata_expression(body, "Condition", &scope).map_err(|e| here.fail(e))?
                        }
                        _ => Some(Value::String(s.clone())),
                    },
                    Some(other) => Some(other.clone()),
                    None => None,
                };
                let holds = match condition {
                    Some(Value::Bool(b)) => b,
                    Some(other) => {
                        return Err(here.fail(io::query_error(format!(
                            "The JSONata expression '{}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
                            RuleFields::of(rule).condition().and_then(Value::as_str).map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim()).unwrap_or_default(),
                            io::type_name(&other)
                        ))))
                    }
                    None => {
                        return Err(here.fail(io::query_error(format!(
                            "The JSONata expression '{}' specified for the field 'Condition' returned nothing (undefined).",
                            RuleFields::of(rule).condition().and_then(Value::as_str).map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim()).unwrap_or_default()
                        ))))
                    }
                };
                if holds {
                    let next = RuleFields::of(rule).next().map(str::to_string);
                    let output = self.choice_jsonata_tail(here, rule, input, variables)?;
                    return Ok(Step::new(output, next));
                }
            }
            return match here.fields.default() {
                Some(default) => {
                    let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
                    Ok(Step::new(output, Some(default.to_string())))
                }
                None => Err(no_choice(here)),
            };
        }
        let context = self.context(here);
        let chosen = {
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.fields.input_path(), input, &scope).map_err(|e| here.fail(e))?;
            let mut chosen = None;
            for rule in rules {
                if choice::holds(rule, &effective, &scope).map_err(|e| here.fail(e))? {
                    chosen = Some(rule);
                    break;
                }
            }
            let assign = match &chosen {
                Some(rule) => RuleFields::of(rule).assign(),
                None => here.fields.assign(),
            };
            let assigned = match assign {
                Some(a) => Some(io::template(a, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
                None => None,
            };
            // Without `InputPath` and `OutputPath` the state passes its input on as it came.
            let output = match (&effective, here.fields.output_path()) {
                (Cow::Borrowed(_), None) => None,
                (_, output_path) => Some(
                    io::select_path(output_path, &effective, &scope)
                        .map_err(|e| here.fail(e))?
                        .into_owned(),
                ),
            };
            let next = match &chosen {
                Some(rule) => RuleFields::of(rule).next().map(str::to_string),
                None => match here.fields.default() {
                    Some(d) => Some(d.to_string()),
                    None => return Err(no_choice(here)),
                },
            };
            (output, next, assigned)
        };
        let (output, next, assigned) = chosen;
        assign_all(variables, assigned);
        Ok(match output {
            Some(output) => Step::new(output, next),
            None => Step::unchanged(next),
        })
    }

    fn choice_jsonata_tail(
        &mut self,
        here: &Here,
        rule: &Value,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let scope = self.jsonata_scope(here, variables, input, None, None);
        let rule = RuleFields::of(rule);
        let output = rule.output().or_else(|| here.fields.output());
        let (output, assigned) =
            io::jsonata_output(rule.assign(), output, input.clone(), &scope).map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(output)
    }
}

fn no_choice(here: &Here) -> Halt {
    Halt::Fail(Failure {
        error: names::NO_CHOICE_MATCHED.into(),
        cause: Some(format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). No Choice Rule matched and no Default transition was specified",
            here.name, here.entered_event
        )),
    })
}
