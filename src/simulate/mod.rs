//! `aslkit simulate`: runs a state machine locally, with the semantics of AWS Step Functions,
//! against mocked task results.
//!
//! Inputs: the definition (already validated by the caller), the execution input, and optionally
//! a Step Functions Local `MockConfigFile` test case ([`mocks`]) and a directory standing in for
//! S3 (`--s3-root`, read by Distributed Map `ItemReader`s). Output: an [`Execution`] — the final
//! status, output or error and cause, and every state entered in order.
//!
//! Nothing here sleeps or reads the wall clock during a run: `Wait` states, retry back-off and
//! timestamps advance a virtual clock that starts at the execution's start time, so a run is
//! instantaneous and reproducible. The stages are [`engine`] (the state loop), `states` (one
//! file per state type), [`io`] (each state's input/output pipeline in JSONPath and JSONata), [`errors`] (Retry and Catch),
//! [`choice`] (Choice rules), [`context`] (the `$$` context object) and [`mocks`].

pub mod choice;
mod concurrency;
pub mod context;
pub mod engine;
pub mod errors;
pub mod history;
pub mod io;
pub mod mocks;
pub mod s3;
mod states;
pub mod stats;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

pub use crate::model::MachineType;
pub use errors::Failure;
pub use history::{Details, Event};
pub use mocks::MockCase;

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// One state entered during the run.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    /// Shared by every record and event of the state.
    pub name: Arc<str>,
    /// `Task`, `Pass`, … as written in the definition.
    pub kind: &'static str,
    /// JSON Pointer of the state in the definition file.
    pub pointer: Arc<str>,
    /// How deeply the state is nested (0 at the top level, +1 per Parallel branch or Map
    /// iteration).
    pub depth: usize,
    /// In a chain of states, shared with the previous state's output.
    pub input: Payload,
    /// `None` when the state failed (or its failure was caught: the catcher's output goes to
    /// the next state).
    pub output: Option<Payload>,
    /// How many times the state's work ran (1 plus retries).
    pub attempts: u32,
    /// When the state was entered, on the virtual clock (milliseconds since the epoch).
    pub entered_millis: i64,
    /// When it exited, failed or was aborted; `None` while it runs.
    pub exited_millis: Option<i64>,
    /// The workflow variables in scope after the state ran (its `Assign` made), when
    /// [`Options::record_variables`] asks for them.
    pub variables: Option<Box<serde_json::Map<String, Value>>>,
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub states: Vec<StateRecord>,
    /// The execution history, as `GetExecutionHistory` returns it.
    pub history: Vec<Event>,
    /// When the execution started and ended on the virtual clock.
    pub start_millis: i64,
    pub end_millis: i64,
}

/// Everything a run needs besides the definition and the input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The state machine's name (`$$.StateMachine.Name`, ARNs).
    pub machine_name: String,
    /// The mocked task results; `None` when no `--mock-config` was given.
    pub mocks: Option<MockCase>,
    /// Directory holding `<bucket>/<key>` files for `ItemReader`.
    pub s3_root: Option<PathBuf>,
    /// Start of the virtual clock, in milliseconds since the epoch.
    pub start_millis: i64,
    /// Standard or Express: the limits differ (history length, duration).
    pub machine_type: MachineType,
    /// Mixed into the run's random generator (UUIDs, `States.MathRandom`, retry jitter).
    pub seed: u64,
    /// `$$.Execution.Name`; `None` for a UUID drawn from the start time, as AWS names
    /// executions started without a name.
    pub execution_name: Option<String>,
    /// Keep each state's variables in its [`StateRecord`] (for `aslkit test`; off by default,
    /// as the copies cost time on long runs).
    pub record_variables: bool,
    /// What the run keeps for its output besides the outcome.
    pub record: Record,
}

/// What a run keeps of each state for whoever reads the [`Execution`]: each output format
/// needs a part, and a long run over large payloads costs memory for every part kept. By
/// default, payloads as values and the history's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// How each state's input and output is kept in its [`StateRecord`].
    pub payloads: Payloads,
    /// The details of the history's events ([`Event::details`]; only the history view prints
    /// them); without them every event's details are `None`.
    pub history_details: bool,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            payloads: Payloads::Values,
            history_details: true,
        }
    }
}

/// How a run keeps its states' inputs and outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payloads {
    /// Not at all ([`Payload::Omitted`]): nothing will show them.
    Omitted,
    /// As values ([`Payload::Value`]), for views that look inside them (the human view,
    /// `aslkit test`).
    Values,
    /// As compact JSON text only ([`Payload::Json`]), for the JSON view that prints them: a
    /// fraction of the memory of the values, serialised once.
    Json,
}

/// A state's input or output, as the run keeps it (see [`Payloads`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Omitted,
    Value(Arc<Value>),
    /// Compact JSON, as `Value::to_string` writes it.
    Json(Arc<str>),
}

impl Payload {
    /// The value: parsed back from its JSON text when only that was kept (JSON text written
    /// from a value reads back as the same value), `null` when it was omitted.
    pub fn value(&self) -> Cow<'_, Value> {
        match self {
            Payload::Omitted => Cow::Owned(Value::Null),
            Payload::Value(v) => Cow::Borrowed(v),
            Payload::Json(text) => Cow::Owned(serde_json::from_str(text).unwrap_or(Value::Null)),
        }
    }

    /// The value, owned.
    pub fn into_value(self) -> Value {
        match self {
            Payload::Value(v) => Arc::unwrap_or_clone(v),
            other => other.value().into_owned(),
        }
    }

    /// The compact JSON text (`null` when omitted).
    pub fn json(&self) -> Cow<'_, str> {
        match self {
            Payload::Omitted => Cow::Borrowed("null"),
            Payload::Value(v) => Cow::Owned(v.to_string()),
            Payload::Json(text) => Cow::Borrowed(text),
        }
    }
}

/// Why a simulation could not run to an AWS outcome: something the local run cannot stand in
/// for (a Task without a mock). The CLI reports these with exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulateError {
    /// A Task state was reached but nothing says what it returns.
    #[error("{}", unmocked_message(state, resource, reason))]
    Unmocked {
        state: String,
        resource: String,
        reason: UnmockedReason,
    },
    /// The mock configuration is malformed or names something that does not exist.
    #[error("{0}")]
    MockConfig(#[from] mocks::MockConfigError),
    /// The run went on for more transitions than any real test needs: a loop whose exit
    /// depends on a mock that never changes (`"0": {"Return": {"status": "PENDING"}}` polled
    /// forever).
    #[error("{0}")]
    Runaway(Runaway),
    /// Something the simulation needs from outside is missing: `--s3-root` for an `ItemReader`,
    /// or the file it names.
    #[error("{0}")]
    MissingData(MissingData),
    /// Past a bound of the simulator (an object too large for `ItemReader`, too many keys, an
    /// oversized execution input or trace): the run stops instead of exhausting memory.
    #[error("{0}")]
    Limit(String),
}

/// How a run went on for longer than any real test needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Runaway {
    /// One scope made `limit` state transitions.
    #[error("the simulation stopped after {limit} state transitions: the machine loops forever with these mocks")]
    Transitions { limit: usize },
    /// One state was retried `limit` times.
    #[error(
        "the simulation stopped after {limit} retries of state \"{state}\": the task fails forever with these mocks"
    )]
    Retries { state: String, limit: usize },
}

/// What a Map state's `ItemReader` needs from outside the definition and did not find.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MissingData {
    /// No `--s3-root` was given.
    #[error("Map state \"{state}\" reads its items from S3 (bucket \"{bucket}\"): pass --s3-root DIR holding DIR/<bucket>/<key>")]
    NoS3Root { state: String, bucket: String },
    /// The directory or the object's file cannot be read (`detail` says which, and why).
    #[error("Map state \"{state}\": {detail}")]
    S3File { state: String, detail: String },
}

/// Why a Task has no mocked result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmockedReason {
    /// No `--mock-config` was given.
    NoMockConfig,
    /// The test case does not name the state.
    NotInTestCase,
    /// The state's mocked response has no answer for this invocation (0-based).
    NoResponse(u64),
}

fn unmocked_message(state: &str, resource: &str, reason: &UnmockedReason) -> String {
    match reason {
        UnmockedReason::NoMockConfig => format!(
            "Task state \"{state}\" ({resource}) needs a mocked result: pass --mock-config FILE --test-case NAME"
        ),
        UnmockedReason::NotInTestCase => format!(
            "the test case has no mock for Task state \"{state}\" ({resource}); add it to the test case in the mock configuration"
        ),
        UnmockedReason::NoResponse(n) => {
            format!("the mock for Task state \"{state}\" has no response for invocation {n}")
        }
    }
}

/// Runs the machine `definition` (the value of a whole ASL definition) on `input`.
pub fn run(definition: &Value, pointer: &str, input: Value, options: &Options) -> Result<Execution, SimulateError> {
    engine::Engine::new(options).execute(definition, pointer, input)
}
