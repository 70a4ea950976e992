//! The state loop: enters states one after another, scope by scope, keeps the trace and the
//! execution history, and owns the virtual clock.
//!
//! A scope (the machine, a Parallel branch, a Map iteration) runs from its `StartAt` until a
//! state ends it (`End`, `Succeed`, `Fail`) or an error escapes it. Each state type has one
//! function here or in its own module; the input/output pipeline is [`super::io`], Retry/Catch
//! arithmetic is [`super::errors`], concurrency is [`super::concurrency`]. Variables are copied
//! into nested scopes, so assignments made inside a branch or an iteration are not seen outside
//! it, as in Step Functions.
//!
//! Time: `clock` is the time of the scope being run. Waits, task durations and retry intervals
//! move it forward through [`Engine::advance_to`], which is also where the machine's
//! `TimeoutSeconds` ([`Halt::TimedOut`]) and the end of aborted work ([`Halt::Aborted`]: a
//! sibling branch failed earlier) take effect.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::context::{context_object, millis_of, ExecutionInfo, StateInfo};
use super::errors::{delay_millis, error_equals, matches, names, Backoff, Failure};
use super::history::{renumber_cause, weight, EventType, History};
use super::io::{self, IoError, JsonataScope, PathScope};
use super::mocks::Response;
use super::{choice, Execution, MachineType, Options, SimulateError, StateRecord, Status, UnmockedReason};
use crate::expr::intrinsics::eval::SplitMix64;
use crate::expr::intrinsics::Entropy;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::expr::payload;
use crate::model::resource::TaskResource;
use crate::model::timestamp;
use crate::model::StateType;
use crate::pointer::child;

/// Why a scope stopped early: a state failure (which Catch may handle), the machine's timeout,
/// work cut short because a sibling branch failed first, or something the simulation cannot
/// stand in for.
#[derive(Debug)]
pub(super) enum Halt {
    Fail(Failure),
    /// The machine's `TimeoutSeconds` ran out (the clock stands at the deadline).
    TimedOut,
    /// A sibling branch or iteration failed earlier on the virtual clock; this work stops
    /// (the clock stands at the moment it was aborted).
    Aborted,
    /// A Standard execution's history reached its 25,000-event limit.
    HistoryFull,
    Sim(SimulateError),
}

impl From<SimulateError> for Halt {
    fn from(e: SimulateError) -> Halt {
        Halt::Sim(e)
    }
}

/// Where the run goes after a state.
pub(super) struct Step {
    pub(super) output: Value,
    /// `None` ends the scope.
    pub(super) next: Option<String>,
}

/// One state being run: what every step of its pipeline needs.
#[derive(Clone)]
pub(super) struct Here<'d> {
    pub(super) name: &'d str,
    pub(super) state: &'d Value,
    pub(super) kind: StateType,
    pub(super) pointer: String,
    pub(super) jsonata: bool,
    /// Provisional id of the state's `…StateEntered` event.
    pub(super) entered_event: u64,
    pub(super) entered_millis: i64,
    pub(super) map_item: Option<(usize, Value)>,
    pub(super) task_token: Option<String>,
    pub(super) retry_count: u32,
    pub(super) depth: usize,
    /// Index of the state's record in the trace.
    pub(super) record: usize,
}

impl Here<'_> {
    pub(super) fn get(&self, field: &str) -> Option<&Value> {
        self.state.get(field)
    }

    pub(super) fn fail(&self, (error, detail): IoError) -> Halt {
        Halt::Fail(Failure::in_state(&error, self.name, self.entered_event, detail))
    }
}

/// What a scope is, for the events AWS records around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ScopeRole {
    Machine,
    Branch,
    Iteration,
}

/// The most state transitions one scope may make: a guard against definitions that loop
/// forever on mocks that never change.
const MAX_TRANSITIONS: usize = 100_000;

/// The most a run records of its states' inputs and outputs, in the trace and in the history
/// together (about, as [`weight`] counts them). A loop over a large payload stops here with
/// [`SimulateError::Limit`] instead of exhausting memory; AWS's own bounds (256 KiB per
/// payload, 25,000 history events) are far beyond what memory holds when every payload is
/// recorded.
pub const TRACE_BUDGET_BYTES: usize = 128 * 1024 * 1024;

/// The longest a Standard execution runs: "1 year. If an execution runs for more than the
/// 1-year maximum, it will fail with a States.Timeout error"
/// (https://docs.aws.amazon.com/step-functions/latest/dg/limits.html). It also keeps the
/// virtual clock far from overflowing, whatever a retry storm asks for.
const STANDARD_MAX_SECONDS: i64 = 365 * 24 * 60 * 60;

pub struct Engine<'o> {
    pub(super) options: &'o Options,
    pub(super) execution: ExecutionInfo,
    pub(super) machine_jsonata: bool,
    /// The virtual time of the scope being run, in milliseconds since the epoch.
    pub(super) clock: i64,
    /// When the machine's `TimeoutSeconds` runs out, on the virtual clock.
    pub(super) deadline: Option<i64>,
    /// Work at or past this point is aborted: twice the time in milliseconds, plus one when
    /// work at exactly that time still runs (see [`super::concurrency`]).
    pub(super) horizon: Option<i128>,
    pub(super) history: History,
    /// Provisional id of the last event of the scope being run (the next event's
    /// `previousEventId`).
    pub(super) last: u64,
    pub(super) invocations: HashMap<String, u64>,
    pub(super) trace: Vec<StateRecord>,
    /// About how many bytes the trace's inputs and outputs hold (see [`TRACE_BUDGET_BYTES`]).
    pub(super) trace_bytes: usize,
    pub(super) entropy: SplitMix64,
    /// Whether a state (by address in the definition) can read the context object.
    reads_context: std::cell::RefCell<HashMap<*const Value, bool>>,
}

impl<'o> Engine<'o> {
    pub fn new(options: &'o Options) -> Engine<'o> {
        let mut entropy = SplitMix64::new(options.start_millis as u64 ^ 0x5eed ^ options.seed);
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
            horizon: None,
            history: History::default(),
            last: 0,
            invocations: HashMap::new(),
            trace: Vec::new(),
            trace_bytes: 0,
            entropy,
            reads_context: std::cell::RefCell::default(),
        }
    }

    pub fn execute(mut self, definition: &Value, pointer: &str, input: Value) -> Result<Execution, SimulateError> {
        self.execution.input = input.clone();
        self.machine_jsonata = definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
        let machine_timeout = definition.get("TimeoutSeconds").and_then(Value::as_i64);
        let limit = match self.options.machine_type {
            MachineType::Standard => {
                Some(machine_timeout.map_or(STANDARD_MAX_SECONDS, |s| s.min(STANDARD_MAX_SECONDS)))
            }
            // Express workflows run for at most five minutes: "If an execution runs for more
            // than the 5-minute maximum, it will fail with a States.Timeout error"
            // (https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html).
            MachineType::Express => Some(machine_timeout.map_or(EXPRESS_MAX_SECONDS, |s| s.min(EXPRESS_MAX_SECONDS))),
        };
        self.deadline = limit.map(|s| self.clock.saturating_add(s.saturating_mul(1000)));
        self.history.push(
            EventType::ExecutionStarted,
            0,
            self.clock,
            Some(json!({"input": input.to_string(), "inputDetails": {"truncated": false},
                        "roleArn": "arn:aws:iam::111111111111:role/StepFunctionsRole"})),
        );
        // AWS gives the first state entered the previous event id 0, not ExecutionStarted's.
        self.last = 0;
        let mut variables = Map::new();
        let outcome = self.run_scope(definition, pointer, input, &mut variables, 0, ScopeRole::Machine);
        let (status, output, error, cause) = match outcome {
            Ok(output) => (Status::Succeeded, Some(output), None, None),
            Err(Halt::Fail(f)) => (Status::Failed, None, Some(f.error), f.cause),
            Err(Halt::TimedOut) => (Status::TimedOut, None, Some(names::TIMEOUT.to_string()), None),
            // Nothing aborts the machine's own scope.
            Err(Halt::Aborted) => (Status::Failed, None, Some(names::RUNTIME.to_string()), None),
            // Cut below, where the history is.
            Err(Halt::HistoryFull) => (Status::Failed, None, Some(names::RUNTIME.to_string()), None),
            Err(Halt::Sim(e)) => return Err(e),
        };
        let (kind, details) = match status {
            Status::Succeeded => (
                EventType::ExecutionSucceeded,
                json!({"output": output.as_ref().map(Value::to_string), "outputDetails": {"truncated": false}}),
            ),
            Status::Failed => (
                EventType::ExecutionFailed,
                failure_details(error.as_deref(), cause.as_deref()),
            ),
            Status::TimedOut => (
                EventType::ExecutionTimedOut,
                failure_details(error.as_deref(), cause.as_deref()),
            ),
        };
        self.history.push(kind, self.last, self.clock, Some(details));
        let (mut events, ids) = self.history.finish();
        // Branches and iterations were run one after another; the trace tells them in the order
        // of the virtual clock, as the history does.
        self.trace.sort_by_key(|s| s.entered_millis);
        let mut execution = Execution {
            status,
            output,
            error,
            cause: cause.map(|c| renumber_cause(&c, &ids)),
            states: self.trace,
            history: Vec::new(),
            start_millis: self.options.start_millis,
            end_millis: self.clock,
        };
        if self.options.machine_type == MachineType::Standard && events.len() > HISTORY_LIMIT {
            history_limit_exceeded(&mut execution, &mut events);
        }
        for event in &mut events {
            if let Some(Value::Object(d)) = &mut event.details {
                if let Some(Value::String(c)) = d.get_mut("cause") {
                    *c = renumber_cause(c, &ids);
                }
            }
        }
        execution.history = events;
        Ok(execution)
    }

    /// Runs one scope from its `StartAt` to its end, at `self.clock`, continuing the history
    /// from `self.last`.
    pub(super) fn run_scope(
        &mut self,
        scope: &Value,
        pointer: &str,
        mut input: Value,
        variables: &mut Map<String, Value>,
        depth: usize,
        role: ScopeRole,
    ) -> Result<Value, Halt> {
        let states = scope.get("States").and_then(Value::as_object);
        let mut current = scope
            .get("StartAt")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let states_pointer = child(pointer, "States");
        for _ in 0..MAX_TRANSITIONS {
            let Some((name, state)) = states.and_then(|s| s.get_key_value(current.as_str())) else {
                return Err(Halt::Fail(Failure::new(
                    names::RUNTIME,
                    format!("The state '{current}' does not exist"),
                )));
            };
            let Some(kind) = state.get("Type").and_then(Value::as_str).and_then(StateType::parse) else {
                let shown = state.get("Type").map(Value::to_string).unwrap_or_default();
                return Err(Halt::Fail(Failure::new(
                    names::RUNTIME,
                    format!("Unknown state type {shown}"),
                )));
            };
            self.check_time(self.clock)?;
            self.check_bounds()?;
            let jsonata = match state.get("QueryLanguage").and_then(Value::as_str) {
                Some(ql) => ql == "JSONata",
                None => self.machine_jsonata,
            };
            let resource = state.get("Resource").and_then(Value::as_str).unwrap_or_default();
            let entered_prev = self.last;
            let entered = self.history.push(
                EventType::StateEntered(kind),
                self.last,
                self.clock,
                Some(json!({"name": name, "input": input.to_string(), "inputDetails": {"truncated": false}})),
            );
            self.last = entered;
            let here = Here {
                name,
                state,
                kind,
                pointer: child(&states_pointer, name),
                jsonata,
                entered_event: entered,
                entered_millis: self.clock,
                map_item: None,
                task_token: (resource.ends_with(".waitForTaskToken") || resource.contains(".sync"))
                    .then(|| format!("{}-token", self.execution.execution_name)),
                retry_count: 0,
                depth,
                record: self.trace.len(),
            };
            self.trace_bytes = self.trace_bytes.saturating_add(weight(&input));
            self.trace.push(StateRecord {
                name: name.clone(),
                kind: kind.as_str().to_string(),
                pointer: here.pointer.clone(),
                depth,
                input: input.clone(),
                output: None,
                attempts: 1,
                entered_millis: self.clock,
                exited_millis: None,
                variables: None,
            });
            let step = match kind {
                StateType::Pass => self.pass(&here, &input, variables),
                StateType::Task => self.with_handlers(&here, &input, variables, |engine, here, input, vars| {
                    engine.task(here, input, vars)
                }),
                StateType::Choice => self.choice(&here, &input, variables),
                StateType::Wait => self.wait(&here, &input, variables),
                StateType::Succeed => self.succeed(&here, &input, variables),
                StateType::Fail => self.fail(&here, &input, variables),
                StateType::Parallel => self.with_handlers(&here, &input, variables, |engine, here, input, vars| {
                    engine.parallel(here, input, vars)
                }),
                StateType::Map => self.with_handlers(&here, &input, variables, |engine, here, input, vars| {
                    engine.map(here, input, vars)
                }),
            };
            let step = match step {
                Ok(step) if exceeds_payload_limit(&step.output) => Err(Halt::Fail(too_large(name))),
                other => other,
            };
            let step = match step {
                Ok(step) => step,
                Err(halt) => {
                    self.record_halt(&here, entered_prev, &halt, role);
                    if let Some(r) = self.trace.get_mut(here.record) {
                        r.exited_millis = Some(self.clock);
                    }
                    return Err(halt);
                }
            };
            if kind != StateType::Fail {
                self.last = self.history.push(
                    EventType::StateExited(kind),
                    self.last,
                    self.clock,
                    Some(
                        json!({"name": name, "output": step.output.to_string(), "outputDetails": {"truncated": false}}),
                    ),
                );
            }
            self.trace_bytes = self.trace_bytes.saturating_add(weight(&step.output));
            if let Some(r) = self.trace.get_mut(here.record) {
                r.output = Some(step.output.clone());
                r.exited_millis = Some(self.clock);
                if self.options.record_variables {
                    r.variables = Some(variables.clone());
                }
            }
            match step.next {
                None => return Ok(step.output),
                Some(next) => {
                    current = next;
                    input = step.output;
                }
            }
        }
        Err(Halt::Sim(SimulateError::Runaway(format!(
            "the simulation stopped after {MAX_TRANSITIONS} state transitions: the machine loops forever with these mocks"
        ))))
    }

    /// The events AWS records when a state stops without exiting: `EvaluationFailed` for a
    /// query that could not be evaluated (with the previous id of the state's entry, as AWS
    /// records it), `…StateAborted` for a state whose work was cut short, and for a Task that
    /// fails a Parallel branch.
    fn record_halt(&mut self, here: &Here, entered_prev: u64, halt: &Halt, role: ScopeRole) {
        match halt {
            Halt::Fail(f)
                if f.error == names::QUERY_EVALUATION
                    && !self.history.has_since(here.entered_event, EventType::EvaluationFailed) =>
            {
                self.last = self.history.push(
                    EventType::EvaluationFailed,
                    entered_prev,
                    self.clock,
                    Some(json!({"error": f.error, "cause": f.cause, "state": here.name})),
                );
            }
            Halt::Fail(_) if role == ScopeRole::Branch && here.kind == StateType::Task => {
                self.history
                    .push(EventType::StateAborted(here.kind), self.last, self.clock, None);
            }
            Halt::Aborted
                if matches!(
                    here.kind,
                    StateType::Task | StateType::Wait | StateType::Map | StateType::Parallel
                ) =>
            {
                self.last = self
                    .history
                    .push(EventType::StateAborted(here.kind), self.last, self.clock, None);
            }
            _ => {}
        }
    }

    /// Stops the run at AWS's history limit (a Standard execution fails) and at aslkit's bound
    /// on what the trace and history hold ([`TRACE_BUDGET_BYTES`]): checked before each state
    /// and each retry.
    fn check_bounds(&self) -> Result<(), Halt> {
        if self.options.machine_type == MachineType::Standard && self.history.len() >= HISTORY_LIMIT {
            return Err(Halt::HistoryFull);
        }
        let recorded = self.trace_bytes.saturating_add(self.history.bytes());
        if recorded > TRACE_BUDGET_BYTES {
            return Err(Halt::Sim(SimulateError::Limit(format!(
                "the simulation stopped after {} states: the inputs and outputs it recorded passed {} MiB, \
                 aslkit's bound on a run's trace (a loop over a large payload?)",
                self.trace.len(),
                TRACE_BUDGET_BYTES >> 20
            ))));
        }
        Ok(())
    }

    /// Fails with [`Halt::TimedOut`] or [`Halt::Aborted`] when work at time `t` may not happen,
    /// leaving the clock at the moment it stopped.
    pub(super) fn check_time(&mut self, t: i64) -> Result<(), Halt> {
        let at = 2 * i128::from(t);
        let deadline = self.deadline.map(|d| 2 * i128::from(d) + 1);
        let over = |limit: Option<i128>| limit.is_some_and(|l| at >= l);
        match (over(deadline), over(self.horizon)) {
            (false, false) => Ok(()),
            (true, aborted) => {
                let d = deadline.unwrap_or(i128::MAX);
                if aborted && self.horizon.is_some_and(|h| h < d) {
                    self.clock = self.clock.max(horizon_millis(self.horizon));
                    return Err(Halt::Aborted);
                }
                self.clock = self.clock.max(self.deadline.unwrap_or(t));
                Err(Halt::TimedOut)
            }
            (false, true) => {
                self.clock = self.clock.max(horizon_millis(self.horizon));
                Err(Halt::Aborted)
            }
        }
    }

    /// Moves the clock of the running scope forward to `t` (never back).
    pub(super) fn advance_to(&mut self, t: i64) -> Result<(), Halt> {
        let t = t.max(self.clock);
        self.check_time(t)?;
        self.clock = t;
        Ok(())
    }

    pub(super) fn context(&self, here: &Here) -> Value {
        // Copying the execution input into every state's context made a run over a large
        // input quadratic (a Map over 20,000 items copied the 20,000 items per iteration): a
        // state that cannot read the context object (no `$$`, no `$states`) gets none of it.
        let reads_context = *self
            .reads_context
            .borrow_mut()
            .entry(std::ptr::from_ref(here.state))
            .or_insert_with(|| mentions_context(here.state));
        context_object(
            &self.execution,
            &StateInfo {
                without_input: !reads_context,
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
                        names::RUNTIME.into(),
                        format!("The Seconds field must be a non-negative integer: {value}"),
                    )));
                };
                self.advance(here, s.saturating_mul(1000))?;
            } else if let Some(ts) = here.get("Timestamp") {
                let value = io::jsonata_field(ts, "Timestamp", &scope).map_err(|e| here.fail(e))?;
                let text = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                match timestamp::parse(&text) {
                    Ok(t) if strict_timestamp(&text) => self.advance(here, millis_of(&t).saturating_sub(self.clock))?,
                    _ => {
                        return Err(here.fail((
                            names::QUERY_EVALUATION.into(),
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
        let runtime = |detail: String| here.fail((names::RUNTIME.into(), detail));
        if let Some(s) = here.get("Seconds").and_then(Value::as_i64) {
            self.advance(here, s.saturating_mul(1000))?;
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
            self.advance(here, seconds.saturating_mul(1000))?;
        } else if let Some(text) = here.get("Timestamp").and_then(Value::as_str) {
            if let Ok(t) = timestamp::parse(text) {
                self.advance(here, millis_of(&t).saturating_sub(self.clock))?;
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
                Some(t) => self.advance(here, millis_of(&t).saturating_sub(self.clock))?,
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
            return Err(here.fail((names::RUNTIME.into(), "Wait state delay is too long.".into())));
        }
        self.advance_to(self.clock.saturating_add(millis.max(0)))
    }

    /// Runs a Task, Parallel or Map state's work with its `Retry` and `Catch`.
    fn with_handlers(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
        work: impl Fn(&mut Self, &Here, &Value, &mut Map<String, Value>) -> Result<Value, Halt>,
    ) -> Result<Step, Halt> {
        let retriers = here.get("Retry").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut counts = vec![0u64; retriers.len()];
        let mut attempt_here = here.clone();
        let mut attempt: (usize, u64);
        let failure = loop {
            attempt = (self.history.len(), self.last);
            match work(self, &attempt_here, input, variables) {
                Ok(output) => {
                    return Ok(Step {
                        output,
                        next: Self::next_of(here),
                    })
                }
                Err(Halt::Fail(f)) => {
                    let retrier = retriers.iter().position(|r| matches(&error_equals(r), &f.error));
                    match retrier {
                        Some(i) => {
                            let backoff = Backoff::of(&retriers[i]);
                            if counts[i] >= backoff.max_attempts {
                                break f;
                            }
                            // A retry storm (`MaxAttempts` 99999999 with no time between
                            // attempts) meets the same bounds as a loop of states.
                            self.check_bounds()?;
                            if counts.iter().sum::<u64>() >= MAX_TRANSITIONS as u64 {
                                return Err(Halt::Sim(SimulateError::Runaway(format!(
                                    "the simulation stopped after {MAX_TRANSITIONS} retries of state \"{}\": the task fails forever with these mocks",
                                    here.name
                                ))));
                            }
                            let mut delay = delay_millis(&backoff, counts[i]);
                            if backoff.full_jitter {
                                // FULL jitter: a random wait between 0 and the computed delay,
                                // from the run's seeded generator.
                                delay = (self.entropy.next_u64() % (delay.max(0) as u64 + 1)) as i64;
                            }
                            self.advance_to(self.clock.saturating_add(delay))?;
                            counts[i] += 1;
                            attempt_here.retry_count += 1;
                            if let Some(r) = self.trace.get_mut(here.record) {
                                r.attempts += 1;
                            }
                        }
                        None => break f,
                    }
                }
                Err(other) => return Err(other),
            }
        };
        // A Parallel or Map that got as far as starting its branches records its failure.
        let failed = match here.kind {
            StateType::Parallel => Some((EventType::ParallelStateStarted, EventType::ParallelStateFailed)),
            StateType::Map => Some((EventType::MapStateStarted, EventType::MapStateFailed)),
            _ => None,
        };
        if let Some((started, kind)) = failed {
            let (mark, before) = attempt;
            // As recorded on AWS: a query that failed in the state itself, or a failure after
            // the branches started — but not a `States.Runtime` error of the state's own fields.
            let own = format!("'{}' (entered at the event id #{})", here.name, here.entered_event);
            let own_runtime =
                failure.error == names::RUNTIME && failure.cause.as_deref().is_some_and(|c| c.contains(&own));
            let was_started = self
                .history
                .any_since(mark, |e| e.kind == started && e.previous == before);
            if failure.error == names::QUERY_EVALUATION || (was_started && !own_runtime) {
                self.last = self.history.push(kind, self.last, self.clock, None);
            }
        }
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
            let limits = TaskLimits {
                timeout: self.task_seconds(here, "TimeoutSeconds", None, &scope)?,
                heartbeat: self.task_seconds(here, "HeartbeatSeconds", None, &scope)?,
            };
            let result = self.invoke(here, resource, limits)?;
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
        let mut limits = TaskLimits::default();
        for (field, slot) in [
            ("TimeoutSeconds", &mut limits.timeout),
            ("HeartbeatSeconds", &mut limits.heartbeat),
        ] {
            *slot = here.get(field).and_then(Value::as_f64);
            let path_field = format!("{field}Path");
            if let Some(path) = here.get(&path_field).and_then(Value::as_str) {
                let value = io::read_path(path, &effective, &scope)
                    .map_err(|e| here.fail((names::RUNTIME.into(), e.cause_for_field(path))))?;
                *slot = value.as_f64();
            }
        }
        let result = self.invoke(here, resource, limits)?;
        self.path_tail(here, input, result, variables, true)
    }

    /// A JSONata task's `TimeoutSeconds` / `HeartbeatSeconds`: a number or an expression.
    fn task_seconds(
        &self,
        here: &Here,
        field: &str,
        _path: Option<&str>,
        scope: &JsonataScope,
    ) -> Result<Option<f64>, Halt> {
        match here.get(field) {
            Some(Value::String(text)) => {
                let value = io::jsonata_field(&Value::String(text.clone()), field, scope).map_err(|e| here.fail(e))?;
                Ok(value.as_f64())
            }
            Some(other) => Ok(other.as_f64()),
            None => Ok(None),
        }
    }

    /// One call of a Task's resource: the mocked response for this invocation, taking the
    /// response's `Duration` on the virtual clock, cut short by the task's `TimeoutSeconds` or
    /// (for callback tasks and activities, which report heartbeats) `HeartbeatSeconds`.
    fn invoke(&mut self, here: &Here, resource: &str, limits: TaskLimits) -> Result<Value, Halt> {
        let Some(mocks) = &self.options.mocks else {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NoMockConfig,
            }));
        };
        if !mocks.has(here.name) {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NotInTestCase,
            }));
        }
        let n = self.invocations.entry(here.name.to_string()).or_insert(0);
        let invocation = *n;
        let mocked = mocks.response(here.name, invocation).cloned();
        *n += 1;
        let Some(mocked) = mocked else {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NoResponse(invocation),
            }));
        };
        let family = TaskFamily::of(resource);
        let details = json!({"resource": resource});
        self.last = self
            .history
            .push(family.scheduled(), self.last, self.clock, Some(details.clone()));
        self.last = self.history.push(
            family.started(),
            self.last,
            self.clock,
            family.started_details(resource),
        );
        if resource.contains(".sync") || resource.ends_with(".waitForTaskToken") {
            self.last = self
                .history
                .push(EventType::TaskSubmitted, self.last, self.clock, Some(details.clone()));
        }
        let start = self.clock;
        let duration = (mocked.duration_seconds.unwrap_or(0.0).max(0.0) * 1000.0).round() as i64;
        let reports_heartbeats = resource.ends_with(".waitForTaskToken")
            || matches!(TaskResource::parse(resource), TaskResource::Activity { .. });
        let timeout = limits.timeout.map(|s| (s * 1000.0).round() as i64);
        let heartbeat = limits
            .heartbeat
            .filter(|_| reports_heartbeats)
            .map(|s| (s * 1000.0).round() as i64);
        // Which comes first: the end of the work, the heartbeat timeout or the task timeout.
        let mut outcome = mocked.response;
        let mut elapsed = duration;
        if let Some(h) = heartbeat.filter(|h| *h < elapsed) {
            elapsed = h;
            outcome = Response::Throw {
                error: names::HEARTBEAT_TIMEOUT.into(),
                cause: None,
            };
        }
        if let Some(t) = timeout.filter(|t| *t < elapsed) {
            elapsed = t;
            outcome = Response::Throw {
                error: names::TIMEOUT.into(),
                cause: None,
            };
        }
        self.advance_to(start.saturating_add(elapsed))?;
        match outcome {
            Response::Return(value) if exceeds_payload_limit(&value) => {
                self.last = self.history.push(family.failed(), self.last, self.clock, Some(details));
                Err(Halt::Fail(too_large(resource)))
            }
            Response::Return(value) => {
                self.last = self.history.push(
                    family.succeeded(),
                    self.last,
                    self.clock,
                    Some(json!({"resource": resource, "output": value.to_string()})),
                );
                Ok(match TaskResource::parse(resource) {
                    TaskResource::LambdaFunction { .. } => match value {
                        Value::Object(mut m) if m.contains_key("Payload") => m.remove("Payload").unwrap_or(Value::Null),
                        other => other,
                    },
                    _ => value,
                })
            }
            Response::Throw { error, cause } => {
                // A task timing out has an empty cause on AWS, not a missing one.
                let timed_out = matches!(error.as_str(), names::TIMEOUT | names::HEARTBEAT_TIMEOUT);
                let cause = if timed_out {
                    cause.or_else(|| Some(String::new()))
                } else {
                    cause
                };
                let kind = if timed_out { family.timed_out() } else { family.failed() };
                self.last = self.history.push(
                    kind,
                    self.last,
                    self.clock,
                    Some(json!({"resource": resource, "error": error, "cause": cause})),
                );
                Err(Halt::Fail(Failure { error, cause }))
            }
        }
    }
}

/// A task's time limits in seconds, as the state gives them.
#[derive(Debug, Clone, Copy, Default)]
struct TaskLimits {
    timeout: Option<f64>,
    heartbeat: Option<f64>,
}

/// The event family a Task's resource records under: `LambdaFunction…` for a plain Lambda
/// ARN, `Activity…` for an activity, `Task…` for service integrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskFamily {
    Lambda,
    Activity,
    Service,
}

impl TaskFamily {
    fn of(resource: &str) -> TaskFamily {
        match TaskResource::parse(resource) {
            TaskResource::LambdaFunction { .. } => TaskFamily::Lambda,
            TaskResource::Activity { .. } => TaskFamily::Activity,
            _ => TaskFamily::Service,
        }
    }

    fn scheduled(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionScheduled,
            TaskFamily::Activity => EventType::ActivityScheduled,
            TaskFamily::Service => EventType::TaskScheduled,
        }
    }

    fn started(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionStarted,
            TaskFamily::Activity => EventType::ActivityStarted,
            TaskFamily::Service => EventType::TaskStarted,
        }
    }

    fn started_details(self, resource: &str) -> Option<Value> {
        match self {
            TaskFamily::Lambda => None,
            TaskFamily::Activity => Some(json!({"workerName": "aslkit"})),
            TaskFamily::Service => Some(json!({"resource": resource})),
        }
    }

    fn succeeded(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionSucceeded,
            TaskFamily::Activity => EventType::ActivitySucceeded,
            TaskFamily::Service => EventType::TaskSucceeded,
        }
    }

    fn failed(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionFailed,
            TaskFamily::Activity => EventType::ActivityFailed,
            TaskFamily::Service => EventType::TaskFailed,
        }
    }

    fn timed_out(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionTimedOut,
            TaskFamily::Activity => EventType::ActivityTimedOut,
            TaskFamily::Service => EventType::TaskTimedOut,
        }
    }
}

/// Express workflows run for at most five minutes.
const EXPRESS_MAX_SECONDS: i64 = 5 * 60;

/// A Standard execution's history holds at most 25,000 events. "When an execution reaches
/// 24,999 events, it waits for the next event to happen. If the event number 25,000 is
/// ExecutionSucceeded, the execution finishes successfully. If [it] isn't, the ExecutionFailed
/// event is logged and the state machine execution fails"
/// (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html).
pub const HISTORY_LIMIT: usize = 25_000;

/// Cuts a history past the 25,000-event limit and fails the execution there, as AWS does.
fn history_limit_exceeded(execution: &mut Execution, events: &mut Vec<super::history::Event>) {
    events.truncate(HISTORY_LIMIT - 1);
    let last = events.last().map_or(0, |e| e.id);
    let millis = events.last().map_or(execution.start_millis, |e| e.millis);
    let cause = format!("The execution reached the maximum number of history events ({HISTORY_LIMIT}).");
    events.push(super::history::Event {
        id: last + 1,
        previous: last,
        kind: EventType::ExecutionFailed,
        millis,
        details: Some(failure_details(Some(names::RUNTIME), Some(&cause))),
    });
    execution.status = Status::Failed;
    execution.output = None;
    execution.error = Some(names::RUNTIME.to_string());
    execution.cause = Some(cause);
    execution.end_millis = millis;
    execution.states.retain(|s| s.entered_millis <= millis);
}

fn failure_details(error: Option<&str>, cause: Option<&str>) -> Value {
    let mut details = Map::new();
    if let Some(e) = error.filter(|e| !e.is_empty()) {
        details.insert("error".into(), json!(e));
    }
    if let Some(c) = cause {
        details.insert("cause".into(), json!(c));
    }
    Value::Object(details)
}

/// The millisecond a horizon stands at.
fn horizon_millis(horizon: Option<i128>) -> i64 {
    horizon.map_or(i64::MAX, |h| {
        (h.div_euclid(2)).clamp(i64::MIN as i128, i64::MAX as i128) as i64
    })
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

/// Step Functions' limit on a payload: 256 KiB of UTF-8 JSON.
const PAYLOAD_LIMIT_BYTES: usize = 256 * 1024;

fn exceeds_payload_limit(value: &Value) -> bool {
    value.to_string().len() > PAYLOAD_LIMIT_BYTES
}

fn too_large(what: &str) -> Failure {
    Failure::new(
        names::DATA_LIMIT_EXCEEDED,
        format!("The state/task '{what}' returned a result with a size exceeding the maximum number of bytes service limit."),
    )
}

/// Stores what an `Assign` evaluated (all expressions saw the variables as they were before).
fn assign_all(variables: &mut Map<String, Value>, assigned: Option<Value>) {
    if let Some(Value::Object(values)) = assigned {
        variables.extend(values);
    }
}

/// Whether a state's fields could read the context object: `$$` (JSONPath and intrinsics) or
/// `$states` (JSONata's `$states.context`) in any of its strings.
fn mentions_context(state: &Value) -> bool {
    match state {
        Value::String(s) => s.contains("$$") || s.contains("$states"),
        Value::Array(items) => items.iter().any(mentions_context),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains("$$") || mentions_context(v)),
        _ => false,
    }
}

/// AWS's Timestamp fields need the date, `T`, the time and an offset.
fn strict_timestamp(text: &str) -> bool {
    text.len() >= 20 && text.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b't')
}
