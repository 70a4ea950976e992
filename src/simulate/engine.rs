//! The state loop: enters states one after another, scope by scope, keeps the trace and the
//! execution history, and owns the virtual clock.
//!
//! A scope (the machine, a Parallel branch, a Map iteration) runs from its `StartAt` until a
//! state ends it (`End`, `Succeed`, `Fail`) or an error escapes it. Each state type has one
//! function in [`super::states`]; the input/output pipeline is [`super::io`], Retry/Catch
//! arithmetic is [`super::errors`], concurrency is [`super::concurrency`]. Variables are copied
//! into nested scopes, so assignments made inside a branch or an iteration are not seen outside
//! it, as in Step Functions.
//!
//! Time: `clock` is the time of the scope being run. Waits, task durations and retry intervals
//! move it forward through [`Engine::advance_to`], which is also where the machine's
//! `TimeoutSeconds` ([`Halt::TimedOut`]) and the end of aborted work ([`Halt::Aborted`]: a
//! sibling branch failed earlier) take effect.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::context::{context_object, ExecutionInfo, StateInfo};
use super::errors::{delay_millis, matches, names, Backoff, Failure};
use super::history::{renumber_cause, weight, Details, EventType, History};
use super::io::{self, IoError, JsonataScope, PathScope};
use super::{Execution, MachineType, Options, Payload, Payloads, Runaway, SimulateError, StateRecord, Status};
use crate::expr::intrinsics::eval::SplitMix64;
use crate::expr::intrinsics::Entropy;
use crate::model::state_fields::{ScopeFields, StateFields};
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
    /// The output is the state's input as it came (`output` is then `null`): the engine passes
    /// the input on, instead of a copy to serialise and keep again (a Choice without
    /// `InputPath` and `OutputPath`).
    pub(super) unchanged: bool,
}

impl Step {
    pub(super) fn new(output: Value, next: Option<String>) -> Step {
        Step {
            output,
            next,
            unchanged: false,
        }
    }

    /// The state passes its input on unchanged.
    pub(super) fn unchanged(next: Option<String>) -> Step {
        Step {
            output: Value::Null,
            next,
            unchanged: true,
        }
    }
}

/// One state being run: what every step of its pipeline needs.
#[derive(Clone)]
pub(super) struct Here<'d> {
    pub(super) name: &'d str,
    pub(super) state: &'d Value,
    /// The state's fields, read through the model.
    pub(super) fields: StateFields<'d>,
    pub(super) kind: StateType,
    pub(super) pointer: Arc<str>,
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
    pub(super) fn fail(&self, IoError { error, detail }: IoError) -> Halt {
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
    /// What the run keeps of each state, per state (by address in the definition).
    seen: std::cell::RefCell<crate::model::FastMap<*const Value, Seen>>,
    /// Where payloads are serialised before they are kept.
    scratch: Vec<u8>,
}

/// A payload passed from state to state: the value, and its compact JSON when the trace or the
/// history keeps that.
#[derive(Clone)]
struct Carried {
    value: Arc<Value>,
    json: Option<Arc<str>>,
    /// The bytes of its compact JSON.
    len: usize,
}

/// What stays the same each time a state is entered, worked out the first time: its name and
/// pointer shared by every record and event of it, and whether it can read the context object.
#[derive(Clone)]
struct Seen {
    name: Arc<str>,
    pointer: Arc<str>,
    reads_context: bool,
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
            last: 0,
            invocations: HashMap::new(),
            trace: Vec::new(),
            trace_bytes: 0,
            entropy,
            seen: std::cell::RefCell::default(),
            scratch: Vec::new(),
            history: History::new(!options.record.history_details),
        }
    }

    pub fn execute(mut self, definition: &Value, pointer: &str, input: Value) -> Result<Execution, SimulateError> {
        self.execution.input = input.clone();
        let machine = ScopeFields::of(definition);
        self.machine_jsonata = machine.is_jsonata();
        let machine_timeout = machine.timeout_seconds();
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
        if !self.trace.is_sorted_by_key(|s| s.entered_millis) {
            self.trace.sort_by_key(|s| s.entered_millis);
        }
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
            if let Some(c) = event.details.as_deref_mut().and_then(Details::cause_mut) {
                *c = renumber_cause(c, &ids);
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
        input: Value,
        variables: &mut Map<String, Value>,
        depth: usize,
        role: ScopeRole,
    ) -> Result<Value, Halt> {
        let scope = ScopeFields::of(scope);
        let states = scope.states();
        let mut current = scope.start_at().to_string();
        let states_pointer = child(pointer, "States");
        // A state's input is the previous state's output: one value, shared by the trace and
        // the history, serialised once.
        let mut input = self.carry(input);
        for _ in 0..MAX_TRANSITIONS {
            let Some((name, state)) = states.and_then(|s| s.get_key_value(current.as_str())) else {
                return Err(Halt::Fail(Failure::new(
                    names::RUNTIME,
                    format!("The state '{current}' does not exist"),
                )));
            };
            let fields = StateFields::of(state);
            let Some(kind) = fields.kind() else {
                let shown = fields.type_value().map(Value::to_string).unwrap_or_default();
                return Err(Halt::Fail(Failure::new(
                    names::RUNTIME,
                    format!("Unknown state type {shown}"),
                )));
            };
            self.check_time(self.clock)?;
            self.check_bounds()?;
            let seen = self.seen(state, name, &states_pointer);
            let jsonata = fields.declares_jsonata().unwrap_or(self.machine_jsonata);
            let resource = fields.resource();
            let entered_prev = self.last;
            let entered = self.history.push_state(
                EventType::StateEntered(kind),
                self.last,
                self.clock,
                &seen.name,
                input.json.as_ref(),
                input.len,
            );
            self.last = entered;
            let here = Here {
                name,
                state,
                fields,
                kind,
                pointer: Arc::clone(&seen.pointer),
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
            self.trace_bytes = self.trace_bytes.saturating_add(weight(&input.value));
            self.trace.push(StateRecord {
                name: Arc::clone(&seen.name),
                kind: kind.as_str(),
                pointer: Arc::clone(&seen.pointer),
                depth,
                input: self.kept(&input),
                output: None,
                attempts: 1,
                entered_millis: self.clock,
                exited_millis: None,
                variables: None,
            });
            let value: &Value = &input.value;
            let step = match kind {
                StateType::Pass => self.pass(&here, value, variables),
                StateType::Task => self.with_handlers(&here, value, variables, |engine, here, input, vars| {
                    engine.task(here, input, vars)
                }),
                StateType::Choice => self.choice(&here, value, variables),
                StateType::Wait => self.wait(&here, value, variables),
                StateType::Succeed => self.succeed(&here, value, variables),
                StateType::Fail => self.fail(&here, value, variables),
                StateType::Parallel => self.with_handlers(&here, value, variables, |engine, here, input, vars| {
                    engine.parallel(here, input, vars)
                }),
                StateType::Map => self.with_handlers(&here, value, variables, |engine, here, input, vars| {
                    engine.map(here, input, vars)
                }),
            };
            let step = step.and_then(
                |Step {
                     output,
                     next,
                     unchanged,
                 }| {
                    let output = if unchanged { input.clone() } else { self.carry(output) };
                    if output.len > PAYLOAD_LIMIT_BYTES {
                        return Err(Halt::Fail(too_large(name)));
                    }
                    Ok((output, next))
                },
            );
            let (output, next) = match step {
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
                self.last = self.history.push_state(
                    EventType::StateExited(kind),
                    self.last,
                    self.clock,
                    &seen.name,
                    output.json.as_ref(),
                    output.len,
                );
            }
            self.trace_bytes = self.trace_bytes.saturating_add(weight(&output.value));
            let kept = self.kept(&output);
            if let Some(r) = self.trace.get_mut(here.record) {
                r.output = Some(kept);
                r.exited_millis = Some(self.clock);
                if self.options.record_variables {
                    r.variables = Some(Box::new(variables.clone()));
                }
            }
            match next {
                None => return Ok(Arc::unwrap_or_clone(output.value)),
                Some(next) => {
                    current = next;
                    input = output;
                }
            }
        }
        Err(Halt::Sim(SimulateError::Runaway(Runaway::Transitions {
            limit: MAX_TRANSITIONS,
        })))
    }

    /// What stays the same each time `state` (named `name`, in the scope whose `States` is at
    /// `states_pointer`) is entered.
    fn seen(&self, state: &Value, name: &str, states_pointer: &str) -> Seen {
        self.seen
            .borrow_mut()
            .entry(std::ptr::from_ref(state))
            .or_insert_with(|| Seen {
                name: Arc::from(name),
                pointer: Arc::from(child(states_pointer, name)),
                reads_context: mentions_context(state),
            })
            .clone()
    }

    /// A state's output (or a scope's input) on its way to the next state, with what the
    /// trace and the history keep of it.
    fn carry(&mut self, value: Value) -> Carried {
        let value = Arc::new(value);
        if self.options.record.payloads == Payloads::Json || self.history.keeps_details() {
            self.scratch.clear();
            // Writing to a vector cannot fail, and a `Value` always serialises, to UTF-8.
            let _ = serde_json::to_writer(&mut self.scratch, &*value);
            let json: Arc<str> = Arc::from(std::str::from_utf8(&self.scratch).unwrap_or_default());
            Carried {
                len: json.len(),
                json: Some(json),
                value,
            }
        } else {
            Carried {
                len: serialized_len(&value),
                json: None,
                value,
            }
        }
    }

    /// A payload as the trace keeps it (see [`super::Record::payloads`]).
    fn kept(&self, payload: &Carried) -> Payload {
        match (self.options.record.payloads, &payload.json) {
            (Payloads::Values, _) => Payload::Value(Arc::clone(&payload.value)),
            (Payloads::Json, Some(json)) => Payload::Json(Arc::clone(json)),
            _ => Payload::Omitted,
        }
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
    pub(super) fn check_bounds(&self) -> Result<(), Halt> {
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
        // state that cannot read the context object (no `$$`, no `$states`) gets none of it,
        // and building the rest of it (ARNs, timestamps) per state was a third of a long loop's
        // time: such a state gets `null`, which nothing it evaluates can see.
        let reads_context = self
            .seen
            .borrow()
            .get(&std::ptr::from_ref(here.state))
            .map_or_else(|| mentions_context(here.state), |seen| seen.reads_context);
        if !reads_context {
            return Value::Null;
        }
        context_object(
            &self.execution,
            &StateInfo {
                name: here.name,
                entered_millis: here.entered_millis,
                retry_count: (here.kind == StateType::Task).then_some(here.retry_count),
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

    pub(super) fn next_of(here: &Here) -> Option<String> {
        if here.fields.is_end() {
            return None;
        }
        here.fields.next().map(str::to_string)
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
        let (output, assigned) = io::path_output(&here.fields, raw_input, result, select, &scope, &mut self.entropy)
            .map_err(|e| here.fail(e))?;
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
        let (output, assigned) = io::jsonata_output(here.fields.assign(), here.fields.output(), default, &scope)
            .map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(output)
    }

    /// Runs a Task, Parallel or Map state's work with its `Retry` and `Catch`.
    pub(super) fn with_handlers(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
        work: impl Fn(&mut Self, &Here, &Value, &mut Map<String, Value>) -> Result<Value, Halt>,
    ) -> Result<Step, Halt> {
        let retriers = here.fields.retriers();
        let mut counts = vec![0u64; retriers.len()];
        let mut attempt_here = here.clone();
        let mut attempt: (usize, u64);
        let failure = loop {
            attempt = (self.history.len(), self.last);
            match work(self, &attempt_here, input, variables) {
                Ok(output) => return Ok(Step::new(output, Self::next_of(here))),
                Err(Halt::Fail(f)) => {
                    let retrier = retriers.iter().position(|r| matches(&r.error_equals(), &f.error));
                    match retrier {
                        Some(i) => {
                            let backoff = Backoff::of(retriers[i]);
                            if counts[i] >= backoff.max_attempts {
                                break f;
                            }
                            // A retry storm (`MaxAttempts` 99999999 with no time between
                            // attempts) meets the same bounds as a loop of states.
                            self.check_bounds()?;
                            if counts.iter().sum::<u64>() >= MAX_TRANSITIONS as u64 {
                                return Err(Halt::Sim(SimulateError::Runaway(Runaway::Retries {
                                    state: here.name.to_string(),
                                    limit: MAX_TRANSITIONS,
                                })));
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
        let catchers = here.fields.catchers();
        let Some(catcher) = catchers.iter().find(|c| matches(&c.error_equals(), &failure.error)) else {
            return Err(Halt::Fail(failure));
        };
        let error_output = failure.output();
        let next = catcher.next().map(str::to_string);
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, Some(&error_output));
            let (output, assigned) = io::jsonata_output(catcher.assign(), catcher.output(), error_output, &scope)
                .map_err(|e| here.fail(e))?;
            assign_all(variables, assigned);
            return Ok(Step::new(output, next));
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let assigned = match catcher.assign() {
            Some(a) => Some(io::template(a, &error_output, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = io::result_path(catcher.result_path(), input, error_output).map_err(|e| here.fail(e))?;
        assign_all(variables, assigned);
        Ok(Step::new(output, next))
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
        details: Some(Box::new(Details::Value(failure_details(
            Some(names::RUNTIME),
            Some(&cause),
        )))),
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

/// Step Functions' limit on a payload: 256 KiB of UTF-8 JSON.
const PAYLOAD_LIMIT_BYTES: usize = 256 * 1024;

pub(super) fn exceeds_payload_limit(value: &Value) -> bool {
    serialized_len(value) > PAYLOAD_LIMIT_BYTES
}

/// How many bytes `value` serialises to (compact JSON), without building the string.
pub(super) fn serialized_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing to a counter cannot fail, and a `Value` always serialises.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

pub(super) fn too_large(what: &str) -> Failure {
    Failure::new(
        names::DATA_LIMIT_EXCEEDED,
        format!("The state/task '{what}' returned a result with a size exceeding the maximum number of bytes service limit."),
    )
}

/// Stores what an `Assign` evaluated (all expressions saw the variables as they were before).
pub(super) fn assign_all(variables: &mut Map<String, Value>, assigned: Option<Value>) {
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
