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

use serde_json::{json, Map, Value};

use super::context::{context_object, iso, millis_of, ExecutionInfo, StateInfo};
use super::errors::{delay_millis, error_equals, matches, Backoff, Failure};
use super::io::{self, IoError, JsonataScope, PathScope};
use super::mocks::Response;
use super::{choice, Execution, Options, SimulateError, StateRecord, Status};
use crate::expr::intrinsics::eval::SplitMix64;
use crate::expr::intrinsics::Entropy;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::expr::payload;
use crate::model::child;
use crate::model::resource::TaskResource;
use crate::model::timestamp;

/// Why a scope stopped early: a state failure (which Catch may handle) or something the
/// simulation cannot stand in for.
#[derive(Debug)]
enum Halt {
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
struct Here<'d> {
    name: &'d str,
    state: &'d Value,
    pointer: String,
    jsonata: bool,
    entered_event: u64,
    entered_millis: i64,
    map_item: Option<(usize, Value)>,
    task_token: Option<String>,
    retry_count: u32,
    depth: usize,
}

impl Here<'_> {
    fn get(&self, field: &str) -> Option<&Value> {
        self.state.get(field)
    }

    fn fail(&self, (error, detail): IoError) -> Halt {
        Halt::Fail(Failure::in_state(&error, self.name, self.entered_event, detail))
    }
}

pub struct Engine<'o> {
    options: &'o Options,
    execution: ExecutionInfo,
    machine_jsonata: bool,
    clock: i64,
    /// When the machine's `TimeoutSeconds` runs out, on the virtual clock.
    deadline: Option<i64>,
    events: u64,
    invocations: HashMap<String, u64>,
    trace: Vec<StateRecord>,
    entropy: SplitMix64,
}

impl<'o> Engine<'o> {
    pub fn new(options: &'o Options) -> Engine<'o> {
        let mut entropy = SplitMix64::new(options.start_millis as u64 ^ 0x5eed);
        let execution_name = entropy.uuid();
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

    fn run_scope(
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
                "Succeed" => self.succeed(&here, &input),
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
        Err(Halt::Sim(SimulateError::Unmocked(
            "the simulation stopped after 100000 state transitions: the machine loops forever with these mocks".into(),
        )))
    }

    fn context(&self, here: &Here) -> Value {
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

    fn jsonata_scope<'v>(
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
    fn path_tail(
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
    fn jsonata_tail(
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

    fn succeed(&mut self, here: &Here, input: &Value) -> Result<Step, Halt> {
        let output = if here.jsonata {
            let variables = Map::new();
            let scope = self.jsonata_scope(here, &variables, input, None, None);
            match here.get("Output") {
                Some(o) => io::jsonata_field(o, "Output", &scope).map_err(|e| here.fail(e))?,
                None => input.clone(),
            }
        } else {
            let context = self.context(here);
            let variables = Map::new();
            let scope = PathScope {
                context_object: &context,
                variables: &variables,
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

    fn map(&mut self, here: &Here, input: &Value, variables: &mut Map<String, Value>) -> Result<Value, Halt> {
        let processor_field = if here.get("ItemProcessor").is_some() {
            "ItemProcessor"
        } else {
            "Iterator"
        };
        let processor = here.get(processor_field).cloned().unwrap_or(Value::Null);
        let processor_pointer = child(&here.pointer, processor_field);
        let distributed = processor
            .get("ProcessorConfig")
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED");
        let context = self.context(here);
        // The items, and the value item selectors see as `$` (JSONPath's effective input).
        let (items, effective) = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            let items = if let Some(reader) = here.get("ItemReader") {
                self.read_items(here, reader, input, variables)?
            } else {
                match here.get("Items") {
                    Some(items) => {
                        let value = io::jsonata_field(items, "Items", &scope).map_err(|e| here.fail(e))?;
                        match value {
                            Value::Array(a) => a,
                            other => {
                                let shown = items
                                    .as_str()
                                    .map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim().to_string())
                                    .unwrap_or_else(|| items.to_string());
                                return Err(here.fail(io::query_error(format!(
                                    "The JSONata expression '{shown}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {other}",
                                    io::type_name(&other)
                                ))));
                            }
                        }
                    }
                    None => match input {
                        Value::Array(a) => a.clone(),
                        other => {
                            return Err(here.fail((
                                "States.QueryEvaluationError".into(),
                                format!("Map state input must be an array but was: {other}"),
                            )))
                        }
                    },
                }
            };
            (items, input.clone())
        } else {
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
            let items = if let Some(reader) = here.get("ItemReader") {
                self.read_items(here, reader, &effective, variables)?
            } else {
                let value = match here.get("ItemsPath").and_then(Value::as_str) {
                    Some(path) => io::read_path(path, &effective, &scope)
                        .map_err(|e| here.fail(("States.Runtime".into(), e.cause_for_field(path))))?,
                    None => effective.clone(),
                };
                match value {
                    Value::Array(a) => a,
                    other => {
                        return Err(here.fail((
                            "States.Runtime".into(),
                            format!("Map state input must be an array but was: {other}"),
                        )))
                    }
                }
            };
            (items, effective)
        };
        let _ = self.setting(here, here.state, "MaxConcurrency", false, &effective, variables)?;
        let tolerated_count = self.setting(here, here.state, "ToleratedFailureCount", false, &effective, variables)?;
        if tolerated_count.is_some_and(|c| c < 0.0) {
            return Err(here.fail((
                "States.Runtime".into(),
                "ToleratedFailureCount cannot be negative.".into(),
            )));
        }
        let tolerated_percentage = self.setting(
            here,
            here.state,
            "ToleratedFailurePercentage",
            true,
            &effective,
            variables,
        )?;
        if tolerated_percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(here.fail((
                "States.Runtime".into(),
                "ToleratedFailurePercentage must be between 0 and 100.".into(),
            )));
        }
        let tolerated_count = tolerated_count.map(|c| c as u64);
        // ItemSelector shapes each item (it alone sees `$$.Map.Item`), then ItemBatcher groups
        // the shaped items.
        let selector = here.get("ItemSelector").or_else(|| here.get("Parameters"));
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let Some(selector) = selector else {
                inputs.push(item);
                continue;
            };
            let item_here = Here {
                map_item: Some((index, item)),
                name: here.name,
                state: here.state,
                pointer: here.pointer.clone(),
                jsonata: here.jsonata,
                entered_event: here.entered_event,
                entered_millis: here.entered_millis,
                task_token: None,
                retry_count: here.retry_count,
                depth: here.depth,
            };
            let selected = if here.jsonata {
                let scope = self.jsonata_scope(&item_here, variables, input, None, None);
                io::jsonata_field(selector, "ItemSelector", &scope).map_err(|e| here.fail(e))?
            } else {
                let context = self.context(&item_here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                io::template(selector, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
            };
            inputs.push(selected);
        }
        let items = self.batch(here, inputs, &effective, variables)?;
        self.events += 1;
        let mut results = Vec::with_capacity(items.len());
        let mut failures = 0u64;
        let total = items.len();
        for item_input in items {
            // A Distributed Map's iterations are child executions, which cannot read the
            // parent's variables; an inline iteration can.
            let mut inner = if distributed { Map::new() } else { variables.clone() };
            self.events += 1;
            match self.run_scope(
                &processor,
                &processor_pointer,
                item_input,
                &mut inner,
                here.depth + 1,
                None,
            ) {
                Ok(v) => results.push(v),
                Err(Halt::Fail(f)) => {
                    failures += 1;
                    let within = tolerated_count.is_some_and(|c| failures <= c)
                        || tolerated_percentage.is_some_and(|p| (failures as f64) * 100.0 / (total.max(1) as f64) <= p);
                    if !within && (tolerated_count.is_some() || tolerated_percentage.is_some()) {
                        return Err(Halt::Fail(Failure::new(
                            "States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded",
                        )));
                    }
                    if !within {
                        return Err(Halt::Fail(f));
                    }
                    results.push(f.output());
                }
                Err(other) => return Err(other),
            }
            self.events += 1;
        }
        self.events += 1;
        let result = if let Some(writer) = here.get("ResultWriter") {
            // The results go to S3; the state's result is the summary AWS returns.
            let run_id = self.entropy.uuid();
            let label = here.get("Label").and_then(Value::as_str).unwrap_or(here.name);
            let parameters = writer.get("Parameters").or_else(|| writer.get("Arguments"));
            let prefix = parameters
                .and_then(|p| p.get("Prefix"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            json!({
                "MapRunArn": format!("arn:aws:states:us-east-1:111111111111:mapRun:{}/{label}:{run_id}", self.execution.machine_name),
                "ResultWriterDetails": {
                    "Bucket": parameters.and_then(|p| p.get("Bucket")).cloned().unwrap_or(Value::Null),
                    "Key": format!("{prefix}/{run_id}/manifest.json"),
                }
            })
        } else {
            Value::Array(results)
        };
        if here.jsonata {
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        self.path_tail(here, input, result, variables, true)
    }

    /// A numeric setting written as `Field` (a number, or a JSONata expression) or `FieldPath`
    /// (a path into the effective input or a variable): `MaxConcurrency`, `MaxItems`,
    /// `ToleratedFailureCount`, … `float` says whether a fraction is allowed.
    fn setting(
        &mut self,
        here: &Here,
        owner: &Value,
        field: &str,
        float: bool,
        effective: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Option<f64>, Halt> {
        let kind = if float { "float" } else { "integer" };
        match owner.get(field) {
            Some(Value::Number(n)) => return Ok(n.as_f64()),
            Some(Value::String(text)) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, effective, None, None);
                let value = io::jsonata_field(&Value::String(text.clone()), field, &scope).map_err(|e| here.fail(e))?;
                return match value.as_f64() {
                    Some(n) if float || n.fract() == 0.0 => Ok(Some(n)),
                    _ => Err(here.fail(io::query_error(format!(
                        "The {field} field must be a valid {kind}, but was: {value}"
                    )))),
                };
            }
            _ => {}
        }
        let path_field = format!("{field}Path");
        let Some(path) = owner.get(&path_field).and_then(Value::as_str) else {
            return Ok(None);
        };
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let value = io::read_path(path, effective, &scope)
            .map_err(|e| here.fail(("States.Runtime".into(), e.cause_for_field(path))))?;
        let number = match &value {
            Value::Number(n) if float || n.is_i64() || n.is_u64() => n.as_f64(),
            // A numeric string is read as its number (recorded on AWS: `"1"` is a valid integer).
            Value::String(text) if float => text.trim().parse::<f64>().ok(),
            Value::String(text) => text.trim().parse::<i64>().ok().map(|n| n as f64),
            _ => None,
        };
        match number {
            Some(n) => Ok(Some(n)),
            None => {
                let shown = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                Err(here.fail((
                    "States.Runtime".into(),
                    format!("The {path_field} field refers to value \"{shown}\" which is not a valid {kind}: {path}"),
                )))
            }
        }
    }

    /// `ItemBatcher`: groups items into `{"Items": [...], "BatchInput": …}` objects.
    fn batch(
        &mut self,
        here: &Here,
        items: Vec<Value>,
        effective: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Vec<Value>, Halt> {
        let Some(batcher) = here.get("ItemBatcher") else {
            return Ok(items);
        };
        let max = self
            .setting(here, batcher, "MaxItemsPerBatch", false, effective, variables)?
            .map_or(usize::MAX, |n| n.max(1.0) as usize);
        let batch_input = match batcher.get("BatchInput") {
            Some(b) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, effective, None, None);
                Some(io::jsonata_field(b, "BatchInput", &scope).map_err(|e| here.fail(e))?)
            }
            Some(b) => {
                let context = self.context(here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                Some(io::template(b, effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?)
            }
            None => None,
        };
        Ok(items
            .chunks(max)
            .map(|chunk| {
                let mut m = Map::new();
                if let Some(b) = &batch_input {
                    m.insert("BatchInput".into(), b.clone());
                }
                m.insert("Items".into(), Value::Array(chunk.to_vec()));
                Value::Object(m)
            })
            .collect())
    }

    /// `ItemReader`: reads the items from `--s3-root DIR/<bucket>/<key>`.
    fn read_items(
        &mut self,
        here: &Here,
        reader: &Value,
        input: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Vec<Value>, Halt> {
        let parameters = match reader.get("Parameters").or_else(|| reader.get("Arguments")) {
            Some(p) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, input, None, None);
                io::jsonata_field(p, "ItemReader", &scope).map_err(|e| here.fail(e))?
            }
            Some(p) => {
                let context = self.context(here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                io::template(p, input, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
            }
            None => Value::Null,
        };
        let resource = reader.get("Resource").and_then(Value::as_str).unwrap_or_default();
        let config = reader.get("ReaderConfig").cloned().unwrap_or(Value::Null);
        let bucket = parameters.get("Bucket").and_then(Value::as_str).unwrap_or_default();
        let Some(root) = &self.options.s3_root else {
            return Err(Halt::Sim(SimulateError::Unmocked(format!(
                "Map state \"{}\" reads its items from S3 (bucket \"{bucket}\"): pass --s3-root DIR holding DIR/<bucket>/<key>",
                here.name
            ))));
        };
        let mut items = if resource.ends_with("listObjectsV2") {
            let prefix = parameters.get("Prefix").and_then(Value::as_str).unwrap_or_default();
            let base = root.join(bucket);
            let mut keys = Vec::new();
            list_files(&base, &base, &mut keys);
            keys.sort();
            keys.into_iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(key, size)| {
                    json!({"Etag": "\"etag\"", "Key": key, "LastModified": iso(self.clock), "Size": size, "StorageClass": "STANDARD"})
                })
                .collect()
        } else {
            let key = parameters.get("Key").and_then(Value::as_str).unwrap_or_default();
            let text = std::fs::read_to_string(root.join(bucket).join(key)).map_err(|e| {
                Halt::Sim(SimulateError::Unmocked(format!(
                    "Map state \"{}\": cannot read s3://{bucket}/{key} from {}: {e}",
                    here.name,
                    root.display()
                )))
            })?;
            let input_type = config.get("InputType").and_then(Value::as_str).unwrap_or("JSON");
            match input_type {
                "CSV" => parse_csv(&text, &config)
                    .map_err(|cause| Halt::Fail(Failure::new("States.ItemReaderFailed", cause)))?,
                "JSONL" => text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(serde_json::from_str)
                    .collect::<Result<Vec<Value>, _>>()
                    .map_err(|_| {
                        Halt::Fail(Failure::new(
                            "States.ItemReaderFailed",
                            "Attempting to map over non-iterable node.",
                        ))
                    })?,
                _ => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Array(a)) => a,
                    _ => {
                        return Err(Halt::Fail(Failure::new(
                            "States.ItemReaderFailed",
                            "Attempting to map over non-iterable node.",
                        )))
                    }
                },
            }
        };
        match self.setting(here, &config, "MaxItems", false, input, variables)? {
            Some(max) if max < 0.0 => {
                return Err(Halt::Fail(Failure::new(
                    "States.ItemReaderFailed",
                    "field MaxItems must be positive",
                )))
            }
            // 0 means no limit.
            Some(max) if max >= 1.0 => items.truncate(max as usize),
            _ => {}
        }
        Ok(items)
    }
}

fn list_files(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push((rel.to_string_lossy().replace('\\', "/"), size));
        }
    }
}

/// Reads CSV rows as objects keyed by the header (first row, or `CSVHeaders`).
fn parse_csv(text: &str, config: &Value) -> Result<Vec<Value>, String> {
    let mut rows = text.lines().filter(|l| !l.is_empty()).map(split_csv_line);
    let headers: Vec<String> = match config.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|h| h.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
        _ => rows.next().unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h)) {
        return Err("CSV headers cannot contain duplicates.".into());
    }
    Ok(rows
        .map(|cells| {
            let mut m = Map::new();
            for (i, h) in headers.iter().enumerate() {
                m.insert(h.clone(), Value::String(cells.get(i).cloned().unwrap_or_default()));
            }
            Value::Object(m)
        })
        .collect())
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
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
