//! The state loop: enters states one after another, scope by scope, and keeps the trace.
//!
//! A scope (the machine, a Parallel branch, a Map iteration) runs from its `StartAt` until a
//! state ends it (`End`, `Succeed`, `Fail`) or an error escapes it. Each state type has one
//! function here; the input/output pipeline is [`super::io`], Retry/Catch arithmetic is
//! [`super::errors`]. Variables are copied into nested scopes, so assignments made inside a
//! branch or an iteration are not seen outside it, as in Step Functions. A history event counter
//! follows the events AWS would record, because AWS quotes "entered at the event id #N" in its
//! error causes.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::context::{context_object, millis_of, ExecutionInfo, StateInfo};
use super::errors::{delay_millis, error_equals, matches, Backoff, Failure};
use super::io::{self, IoError, JsonataScope, PathScope};
use super::mocks::Response;
use super::{choice, Execution, Options, SimulateError, StateRecord, Status};
use crate::expr::intrinsics::eval::SplitMix64;
use crate::expr::intrinsics::Entropy;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::expr::payload;
use crate::model::resource::TaskResource;
use crate::model::timestamp;
use crate::pointer::child;

/// Why a scope stopped early: a state failure (which Catch may handle) or something the
/// simulation cannot stand in for.
#[derive(Debug)]
pub(super) enum Halt {
    Fail(Failure),
    Sim(SimulateError),
}

impl From<SimulateError> for Halt {
    fn from(e: SimulateError) -> Halt {
        Halt::Sim(e)
    }
}

/// Where the run goes after a state.
struct Step {
    output: Value,
    /// `None` ends the scope.
    next: Option<String>,
}

/// One state being run: what every step of its pipeline needs.
pub(super) struct Here<'d> {
    pub(super) name: &'d str,
    pub(super) state: &'d Value,
    pub(super) pointer: String,
    pub(super) jsonata: bool,
    pub(super) entered_event: u64,
    pub(super) entered_millis: i64,
    pub(super) map_item: Option<(usize, Value)>,
    pub(super) task_token: Option<String>,
    pub(super) retry_count: u32,
    pub(super) depth: usize,
}

impl Here<'_> {
    pub(super) fn get(&self, field: &str) -> Option<&Value> {
        self.state.get(field)
    }

    pub(super) fn fail(&self, (error, detail): IoError) -> Halt {
        Halt::Fail(Failure::in_state(&error, self.name, self.entered_event, detail))
    }
}

pub struct Engine<'o> {
    pub(super) options: &'o Options,
    pub(super) execution: ExecutionInfo,
    pub(super) machine_jsonata: bool,
    pub(super) clock: i64,
    /// When the machine's `TimeoutSeconds` runs out, on the virtual clock.
    pub(super) deadline: Option<i64>,
    pub(super) events: u64,
    pub(super) invocations: HashMap<String, u64>,
    pub(super) trace: Vec<StateRecord>,
    pub(super) entropy: SplitMix64,
}

impl<'o> Engine<'o> {
    pub fn new(options: &'o Options) -> Engine<'o> {
        let mut entropy = SplitMix64::new(options.start_millis as u64 ^ 0x5eed);
        let drawn = entropy.uuid();
        let execution_name = options.execution_name.clone().unwrap_or(drawn);
        Engine {
            options,
            execution: ExecutionInfo {
                machine_name: options.machine_name.clone(),
                execution_name,
                input: Value::Null,
                start_millis: options.start_millis,
            },
            machine_jsonata: false,
            clock: options.start_millis,
            deadline: None,
            events: 0,
            invocations: HashMap::new(),
            trace: Vec::new(),
            entropy,
        }
    }

    pub fn execute(mut self, definition: &Value, pointer: &str, input: Value) -> Result<Execution, SimulateError> {
        self.execution.input = input.clone();
        self.machine_jsonata = definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
        self.events = 1;
        self.deadline = definition
            .get("TimeoutSeconds")
            .and_then(Value::as_i64)
            .map(|s| self.clock + s * 1000);
        let mut variables = Map::new();
        let outcome = self.run_scope(definition, pointer, input, &mut variables, 0, None);
        let timed_out = self.deadline.is_some_and(|d| self.clock > d);
        let (status, output, error, cause) = match outcome {
            Err(Halt::Fail(f)) if timed_out => (Status::TimedOut, None, Some(f.error), f.cause),
            Ok(output) => (Status::Succeeded, Some(output), None, None),
            Err(Halt::Fail(f)) => (Status::Failed, None, Some(f.error), f.cause),
            Err(Halt::Sim(e)) => return Err(e),
        };
        Ok(Execution {
            status,
            output,
            error,
            cause,
            states: self.trace,
        })
    }

    pub(super) fn run_scope(
        &mut self,
        scope: &Value,
        pointer: &str,
        mut input: Value,
        variables: &mut Map<String, Value>,
        depth: usize,
        map_item: Option<(usize, Value)>,
    ) -> Result<Value, Halt> {
        let states = scope.get("States").and_then(Value::as_object);
        let mut current = scope
            .get("StartAt")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let states_pointer = child(pointer, "States");
        // A guard against definitions that loop forever on mocks that never change.
        for _ in 0..100_000 {
            let Some((name, state)) = states.and_then(|s| s.get_key_value(current.as_str())) else {
                return Err(Halt::Fail(Failure::new(
                    "States.Runtime",
                    format!("The state '{current}' does not exist"),
                )));
            };
            self.events += 1;
            let kind = state.get("Type").and_then(Value::as_str).unwrap_or_default();
            let jsonata = match state.get("QueryLanguage").and_then(Value::as_str) {
                Some(ql) => ql == "JSONata",
                None => self.machine_jsonata,
            };
            let resource = state.get("Resource").and_then(Value::as_str).unwrap_or_default();
            let here = Here {
                name,
                state,
                pointer: child(&states_pointer, name),
                jsonata,
                entered_event: self.events,
                entered_millis: self.clock,
                map_item: map_item.clone(),
                task_token: (resource.ends_with(".waitForTaskToken") || resource.contains(".sync"))
                    .then(|| format!("{}-token", self.execution.execution_name)),
                retry_count: 0,
                depth,
            };
            let record = self.trace.len();
            self.trace.push(StateRecord {
                name: name.clone(),
                kind: kind.to_string(),
                pointer: here.pointer.clone(),
                depth,
                input: input.clone(),
                output: None,
                attempts: 1,
            });
            let step = match kind {
                "Pass" => self.pass(&here, &input, variables),
                "Task" => self.with_handlers(&here, &input, variables, record, |engine, here, input, vars| {
                    engine.task(here, input, vars)
                }),
                "Choice" => self.choice(&here, &input, variables),
                "Wait" => self.wait(&here, &input, variables),
                "Succeed" => self.succeed(&here, &input, variables),
                "Fail" => self.fail(&here, &input, variables),
                "Parallel" => self.with_handlers(&here, &input, variables, record, |engine, here, input, vars| {
                    engine.parallel(here, input, vars)
                }),
                "Map" => self.with_handlers(&here, &input, variables, record, |engine, here, input, vars| {
                    engine.map(here, input, vars)
                }),
                other => Err(Halt::Fail(Failure::new(
                    "States.Runtime",
                    format!("Unknown state type '{other}'"),
                ))),
            }?;
            if exceeds_payload_limit(&step.output) {
                return Err(Halt::Fail(too_large(name)));
            }
            self.events += 1;
            if let Some(r) = self.trace.get_mut(record) {
                r.output = Some(step.output.clone());
            }
            // The machine's own `TimeoutSeconds`, measured on the virtual clock.
            if self.deadline.is_some_and(|d| self.clock > d) {
                return Err(Halt::Fail(Failure {
                    error: "States.Timeout".into(),
                    cause: None,
                }));
            }
            match step.next {
                None => return Ok(step.output),
                Some(next) => {
                    current = next;
                    input = step.output;
                }
            }
        }
        Err(Halt::Sim(SimulateError::Runaway(
            "the simulation stopped after 100000 state transitions: the machine loops forever with these mocks".into(),
        )))
    }

    pub(super) fn context(&self, here: &Here) -> Value {
        context_object(
            &self.execution,
            &StateInfo {
                name: here.name,
                entered_millis: here.entered_millis,
                retry_count: (here.get("Type").and_then(Value::as_str) == Some("Task")).then_some(here.retry_count),
                task_token: here.task_token.clone(),
                map_item: here.map_item.clone(),
            },
        )
    }

    pub(super) fn jsonata_scope<'v>(
        &mut self,
        here: &Here,
        variables: &'v Map<String, Value>,
        input: &Value,
        result: Option<&Value>,
        error_output: Option<&Value>,
    ) -> JsonataScope<'v> {
        let context = self.context(here);
        JsonataScope {
            variables,
            states: io::states_binding(input, result, error_output, &context),
            now_millis: self.clock,
            seed: self.entropy.next_u64(),
        }
    }

    fn next_of(here: &Here) -> Option<String> {
        if here.get("End").and_then(Value::as_bool) == Some(true) {
            return None;
        }
        here.get("Next").and_then(Value::as_str).map(str::to_string)
    }

    /// The common tail of JSONPath states: `ResultSelector` (when `select`), `Assign`,
    /// `ResultPath`, `OutputPath`.
    pub(super) fn path_tail(
        &mut self,
        here: &Here,
        raw_input: &Value,
        result: Value,
        variables: &mut Map<String, Value>,
        select: bool,
    ) -> Result<Value, Halt> {
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let result = match here.get("ResultSelector").filter(|_| select) {
            Some(selector) => io::template(selector, &result, &scope, &mut self.entropy).map_err(|e| here.fail(e))?,
            None => result,
        };
        let assigned = match here.get("Assign") {
            Some(assign) => Some(io::template(assign, &result, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
            None => None,
        };
        let combined = io::result_path(here.get("ResultPath"), raw_input, result).map_err(|e| here.fail(e))?;
        let output = io::select_path(here.get("OutputPath"), &combined, &scope).map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(output)
    }

    /// The common tail of JSONata states: `Assign`, then `Output` (default: `default`).
    pub(super) fn jsonata_tail(
        &mut self,
        here: &Here,
        input: &Value,
        result: Option<&Value>,
        default: Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let scope = self.jsonata_scope(here, variables, input, result, None);
        let assigned = match here.get("Assign") {
            Some(assign) => Some(io::jsonata_field(assign, "Assign", &scope).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = match here.get("Output") {
            Some(output) => io::jsonata_field(output, "Output", &scope).map_err(|e| here.fail(e))?,
            None => default,
        };
        assign_all(variables, assigned);
        Ok(output)
    }

    fn pass(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Step, Halt> {
        let next = Self::next_of(here);
        if here.jsonata {
            let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
            return Ok(Step { output, next });
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
        let result = if let Some(result) = here.get("Result") {
            result.clone()
        } else if let Some(parameters) = here.get("Parameters") {
            io::template(parameters, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
        } else {
            effective
        };
        let output = self.path_tail(here, input, result, variables, false)?;
        Ok(Step { output, next })
    }

    fn succeed(&mut self, here: &Here, input: &Value, variables: &Map<String, Value>) -> Result<Step, Halt> {
        let output = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            match here.get("Output") {
                Some(o) => io::jsonata_field(o, "Output", &scope).map_err(|e| here.fail(e))?,
                None => input.clone(),
            }
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
            io::select_path(here.get("OutputPath"), &effective, &scope).map_err(|e| here.fail(e))?
        };
        Ok(Step { output, next: None })
    }

    fn fail(&mut self, here: &Here, input: &Value, variables: &Map<String, Value>) -> Result<Step, Halt> {
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let (error, cause) = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            let field = |name: &str| -> Result<Option<String>, Halt> {
                match here.get(name) {
                    Some(v) => Ok(Some(text(
                        io::jsonata_field(v, name, &scope).map_err(|e| here.fail(e))?,
                    ))),
                    None => Ok(None),
                }
            };
            (field("Error")?, field("Cause")?)
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let ctx = scope.context(input);
            let mut field = |name: &str, path_name: &str| -> Result<Option<String>, Halt> {
                if let Some(v) = here.get(path_name) {
                    let value = payload::evaluate_field(path_name, v, &ctx, &mut self.entropy)
                        .map_err(|e| here.fail((e.error_name().to_string(), e.to_string())))?;
                    return Ok(Some(text(value)));
                }
                Ok(here.get(name).and_then(Value::as_str).map(str::to_string))
            };
            (field("Error", "ErrorPath")?, field("Cause", "CausePath")?)
        };
        // A Fail state without `Error` fails the execution with a null error.
        Err(Halt::Fail(Failure {
            error: error.unwrap_or_default(),
            cause,
        }))
    }

    fn choice(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Step, Halt> {
        let rules = here
            .get("Choices")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if here.jsonata {
            for rule in &rules {
                let scope = self.jsonata_scope(here, variables, input, None, None);
                let condition = match rule.get("Condition") {
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
                            rule.get("Condition").and_then(Value::as_str).map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim()).unwrap_or_default(),
                            io::type_name(&other)
                        ))))
                    }
                    None => {
                        return Err(here.fail(io::query_error(format!(
                            "The JSONata expression '{}' specified for the field 'Condition' returned nothing (undefined).",
                            rule.get("Condition").and_then(Value::as_str).map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim()).unwrap_or_default()
                        ))))
                    }
                };
                if holds {
                    let next = rule.get("Next").and_then(Value::as_str).map(str::to_string);
                    let output = self.choice_jsonata_tail(here, rule, input, variables)?;
                    return Ok(Step { output, next });
                }
            }
            return match here.get("Default").and_then(Value::as_str) {
                Some(default) => {
                    let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
                    Ok(Step {
                        output,
                        next: Some(default.to_string()),
                    })
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
            let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
            let mut chosen = None;
            for rule in &rules {
                if choice::holds(rule, &effective, &scope).map_err(|e| here.fail(e))? {
                    chosen = Some(rule.clone());
                    break;
                }
            }
            let assign = match &chosen {
                Some(rule) => rule.get("Assign"),
                None => here.get("Assign"),
            };
            let assigned = match assign {
                Some(a) => Some(io::template(a, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
                None => None,
            };
            let output = io::select_path(here.get("OutputPath"), &effective, &scope).map_err(|e| here.fail(e))?;
            let next = match &chosen {
                Some(rule) => rule.get("Next").and_then(Value::as_str).map(str::to_string),
                None => match here.get("Default").and_then(Value::as_str) {
                    Some(d) => Some(d.to_string()),
                    None => return Err(no_choice(here)),
                },
            };
            (output, next, assigned)
        };
        let (output, next, assigned) = chosen;
        assign_all(variables, assigned);
        Ok(Step { output, next })
    }

    fn choice_jsonata_tail(
        &mut self,
        here: &Here,
        rule: &Value,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let scope = self.jsonata_scope(here, variables, input, None, None);
        let assigned = match rule.get("Assign") {
            Some(assign) => Some(io::jsonata_field(assign, "Assign", &scope).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = match rule.get("Output").or_else(|| here.get("Output")) {
            Some(output) => io::jsonata_field(output, "Output", &scope).map_err(|e| here.fail(e))?,
            None => input.clone(),
        };
        assign_all(variables, assigned);
        Ok(output)
    }

    fn wait(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Step, Halt> {
        let next = Self::next_of(here);
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            if let Some(seconds) = here.get("Seconds") {
                let value = io::jsonata_field(seconds, "Seconds", &scope).map_err(|e| here.fail(e))?;
                let Some(s) = value.as_i64().filter(|s| *s >= 0) else {
                    return Err(here.fail((
                        "States.Runtime".into(),
                        format!("The Seconds field must be a non-negative integer: {value}"),
                    )));
                };
                self.advance(here, s * 1000)?;
            } else if let Some(ts) = here.get("Timestamp") {
                let value = io::jsonata_field(ts, "Timestamp", &scope).map_err(|e| here.fail(e))?;
                let text = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                match timestamp::parse(&text) {
                    Ok(t) if strict_timestamp(&text) => self.advance(here, millis_of(&t) - self.clock)?,
                    _ => {
                        return Err(here.fail((
                            "States.QueryEvaluationError".into(),
                            format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                        )))
                    }
                }
            }
            let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
            return Ok(Step { output, next });
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
        let runtime = |detail: String| here.fail(("States.Runtime".into(), detail));
        if let Some(s) = here.get("Seconds").and_then(Value::as_i64) {
            self.advance(here, s * 1000)?;
        } else if let Some(path) = here.get("SecondsPath").and_then(Value::as_str) {
            let value = io::read_path(path, &effective, &scope).map_err(|_| {
                runtime(format!(
                    "The SecondsPath parameter does not reference an input value: {path}"
                ))
            })?;
            let seconds = match &value {
                Value::Number(n) => match n.as_i64() {
                    Some(s) if s < 0 => {
                        return Err(runtime(format!(
                            "The SecondsPath parameter references a negative value: {path} == {value}"
                        )))
                    }
                    Some(s) => s,
                    None => {
                        return Err(runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {path} == {value}"
                        )))
                    }
                },
                _ => {
                    return Err(runtime(format!(
                        "The SecondsPath parameter cannot be parsed as a long value: {path} == {value}"
                    )))
                }
            };
            self.advance(here, seconds * 1000)?;
        } else if let Some(text) = here.get("Timestamp").and_then(Value::as_str) {
            if let Ok(t) = timestamp::parse(text) {
                self.advance(here, millis_of(&t) - self.clock)?;
            }
        } else if let Some(path) = here.get("TimestampPath").and_then(Value::as_str) {
            let value = io::read_path(path, &effective, &scope).map_err(|_| {
                runtime(format!(
                    "The TimestampPath parameter does not reference an input value: {path}"
                ))
            })?;
            let parsed = value
                .as_str()
                .filter(|s| strict_timestamp(s))
                .and_then(|s| timestamp::parse(s).ok());
            match parsed {
                Some(t) => self.advance(here, millis_of(&t) - self.clock)?,
                None => {
                    let shown = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                    return Err(runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {shown}"
                    )));
                }
            }
        }
        let assigned = match here.get("Assign") {
            Some(a) => Some(io::template(a, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = io::select_path(here.get("OutputPath"), &effective, &scope).map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(Step { output, next })
    }

    /// Moves the virtual clock forward by a Wait state's delay (a time in the past waits for
    /// nothing). AWS refuses delays beyond 2^31 - 1 seconds.
    fn advance(&mut self, here: &Here, millis: i64) -> Result<(), Halt> {
        if millis > i64::from(i32::MAX) * 1000 {
            return Err(here.fail(("States.Runtime".into(), "Wait state delay is too long.".into())));
        }
        self.clock += millis.max(0);
        Ok(())
    }

    /// Runs a Task, Parallel or Map state's work with its `Retry` and `Catch`.
    fn with_handlers(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
        record: usize,
        work: impl Fn(&mut Self, &Here, &Value, &mut Map<String, Value>) -> Result<Value, Halt>,
    ) -> Result<Step, Halt> {
        let retriers = here.get("Retry").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut counts = vec![0u64; retriers.len()];
        let mut attempt_here = Here {
            name: here.name,
            state: here.state,
            pointer: here.pointer.clone(),
            jsonata: here.jsonata,
            entered_event: here.entered_event,
            entered_millis: here.entered_millis,
            map_item: here.map_item.clone(),
            task_token: here.task_token.clone(),
            retry_count: 0,
            depth: here.depth,
        };
        let failure = loop {
            match work(self, &attempt_here, input, variables) {
                Ok(output) => {
                    return Ok(Step {
                        output,
                        next: Self::next_of(here),
                    })
                }
                Err(Halt::Sim(e)) => return Err(Halt::Sim(e)),
                Err(Halt::Fail(f)) => {
                    let retrier = retriers.iter().position(|r| matches(&error_equals(r), &f.error));
                    match retrier {
                        Some(i) => {
                            let backoff = Backoff::of(&retriers[i]);
                            if counts[i] >= backoff.max_attempts {
                                break f;
                            }
                            self.clock += delay_millis(&backoff, counts[i]);
                            counts[i] += 1;
                            attempt_here.retry_count += 1;
                            if let Some(r) = self.trace.get_mut(record) {
                                r.attempts += 1;
                            }
                        }
                        None => break f,
                    }
                }
            }
        };
        self.catch(here, input, variables, failure)
    }

    fn catch(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
        failure: Failure,
    ) -> Result<Step, Halt> {
        let catchers = here.get("Catch").and_then(Value::as_array).cloned().unwrap_or_default();
        let Some(catcher) = catchers.iter().find(|c| matches(&error_equals(c), &failure.error)) else {
            return Err(Halt::Fail(failure));
        };
        let error_output = failure.output();
        let next = catcher.get("Next").and_then(Value::as_str).map(str::to_string);
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, Some(&error_output));
            let assigned = match catcher.get("Assign") {
                Some(assign) => Some(io::jsonata_field(assign, "Assign", &scope).map_err(|e| here.fail(e))?),
                None => None,
            };
            let output = match catcher.get("Output") {
                Some(output) => io::jsonata_field(output, "Output", &scope).map_err(|e| here.fail(e))?,
                None => error_output,
            };
            assign_all(variables, assigned);
            return Ok(Step { output, next });
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let assigned = match catcher.get("Assign") {
            Some(a) => Some(io::template(a, &error_output, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = io::result_path(catcher.get("ResultPath"), input, error_output).map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(Step { output, next })
    }

    fn task(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Value, Halt> {
        let resource = here.get("Resource").and_then(Value::as_str).unwrap_or_default();
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            if let Some(arguments) = here.get("Arguments") {
                io::jsonata_field(arguments, "Arguments", &scope).map_err(|e| here.fail(e))?;
            }
            let result = self.invoke(here, resource)?;
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
        if let Some(parameters) = here.get("Parameters") {
            io::template(parameters, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?;
        }
        for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
            if let Some(path) = here.get(field).and_then(Value::as_str) {
                io::read_path(path, &effective, &scope)
                    .map_err(|e| here.fail(("States.Runtime".into(), e.cause_for_field(path))))?;
            }
        }
        let result = self.invoke(here, resource)?;
        self.path_tail(here, input, result, variables, true)
    }

    /// One call of a Task's resource: the mocked response for this invocation.
    fn invoke(&mut self, here: &Here, resource: &str) -> Result<Value, Halt> {
        let Some(mocks) = &self.options.mocks else {
            return Err(Halt::Sim(SimulateError::Unmocked(format!(
                "Task state \"{}\" ({resource}) needs a mocked result: pass --mock-config FILE --test-case NAME",
                here.name
            ))));
        };
        if !mocks.has(here.name) {
            return Err(Halt::Sim(SimulateError::Unmocked(format!(
                "the test case has no mock for Task state \"{}\" ({resource}); add it to the test case in the mock configuration",
                here.name
            ))));
        }
        let n = self.invocations.entry(here.name.to_string()).or_insert(0);
        let response = mocks.response(here.name, *n).cloned();
        *n += 1;
        self.events += if resource.contains(".sync") || resource.contains(".waitForTaskToken") {
            4
        } else {
            3
        };
        match response {
            Some(Response::Return(value)) if exceeds_payload_limit(&value) => Err(Halt::Fail(too_large(resource))),
            Some(Response::Return(value)) => Ok(match TaskResource::parse(resource) {
                TaskResource::LambdaFunction { .. } => match value {
                    Value::Object(mut m) if m.contains_key("Payload") => m.remove("Payload").unwrap_or(Value::Null),
                    other => other,
                },
                _ => value,
            }),
            Some(Response::Throw { error, cause }) => {
                // A task timing out has an empty cause on AWS, not a missing one.
                let cause = match error.as_str() {
                    "States.Timeout" | "States.HeartbeatTimeout" => cause.or_else(|| Some(String::new())),
                    _ => cause,
                };
                Err(Halt::Fail(Failure { error, cause }))
            }
            None => Err(Halt::Sim(SimulateError::Unmocked(format!(
                "the mock for Task state \"{}\" has no response for invocation {}",
                here.name,
                *self.invocations.get(here.name).unwrap_or(&1) - 1
            )))),
        }
    }

    fn parallel(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Value, Halt> {
        let branches = here
            .get("Branches")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.events += 1;
        let branch_input = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            match here.get("Arguments") {
                Some(a) => io::jsonata_field(a, "Arguments", &scope).map_err(|e| here.fail(e))?,
                None => input.clone(),
            }
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
            match here.get("Parameters") {
                Some(p) => io::template(p, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?,
                None => effective,
            }
        };
        let branches_pointer = child(&here.pointer, "Branches");
        let mut results = Vec::with_capacity(branches.len());
        for (i, branch) in branches.iter().enumerate() {
            let mut inner = variables.clone();
            let pointer = child(&branches_pointer, &i.to_string());
            results.push(self.run_scope(branch, &pointer, branch_input.clone(), &mut inner, here.depth + 1, None)?);
        }
        self.events += 1;
        let result = Value::Array(results);
        if here.jsonata {
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        self.path_tail(here, input, result, variables, true)
    }
}

fn no_choice(here: &Here) -> Halt {
    Halt::Fail(Failure {
        error: "States.NoChoiceMatched".into(),
        cause: Some(format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). No Choice Rule matched and no Default transition was specified",
            here.name, here.entered_event
        )),
    })
}

/// Step Functions' limit on a payload: 256 KiB of UTF-8 JSON.
const PAYLOAD_LIMIT_BYTES: usize = 256 * 1024;

fn exceeds_payload_limit(value: &Value) -> bool {
    value.to_string().len() > PAYLOAD_LIMIT_BYTES
}

fn too_large(what: &str) -> Failure {
    Failure::new(
        "States.DataLimitExceeded",
        format!("The state/task '{what}' returned a result with a size exceeding the maximum number of bytes service limit."),
    )
}

/// Stores what an `Assign` evaluated (all expressions saw the variables as they were before).
fn assign_all(variables: &mut Map<String, Value>, assigned: Option<Value>) {
    if let Some(Value::Object(values)) = assigned {
        variables.extend(values);
    }
}

/// AWS's Timestamp fields need the date, `T`, the time and an offset.
fn strict_timestamp(text: &str) -> bool {
    text.len() >= 20 && text.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b't')
}
