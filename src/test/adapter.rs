//! The one place the test runner meets the simulator (`crate::simulate`): loading the machine
//! under test, building its mocks, running it, and turning the simulator's [`Execution`] into
//! the runner's own [`Run`].
//!
//! Everything else in `test/` reads [`Run`] and [`Machine`] only, so a change in the
//! simulator's types is a change here.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::check;
use crate::model::MachineType;
use crate::simulate::{self, mocks::Response, Execution, MockCase};
use crate::source;

/// A machine under test, loaded and validated.
#[derive(Debug, Clone)]
pub struct Machine {
    /// The definition file (a template for `FILE#NAME`).
    pub path: PathBuf,
    /// The machine's name: the file's stem or the template's logical id.
    pub name: String,
    /// Where the definition is in the file (`""` for a plain definition).
    pub pointer: String,
    pub definition: Value,
}

/// Why a machine cannot be tested: the file's own diagnostics (reported against that file),
/// or a message about the reference itself.
#[derive(Debug)]
pub enum MachineError {
    Unreadable(String),
    Invalid(Box<crate::findings::FileReport>),
}

/// Loads `spec` (a path, or `FILE#NAME` for one machine of a template, through
/// `source::select`) and validates it as `machine_type`.
pub fn load_machine(spec: &Path, machine_type: MachineType) -> Result<Machine, MachineError> {
    use crate::source::select::{self, MachineSpec, SelectError};
    let selected = match select::load_machine(&MachineSpec::parse(spec)) {
        Ok(selected) => selected,
        Err(SelectError::Load(failure)) => {
            return Err(MachineError::Invalid(Box::new(crate::findings::FileReport {
                path: failure.origin.display(),
                machines: Vec::new(),
                diagnostics: failure.diagnostics,
                source: failure.text.map(|t| crate::findings::SourceText::new(t, None)),
            })))
        }
        Err(other) => return Err(MachineError::Unreadable(other.to_string())),
    };
    let path = match &selected.document.origin {
        source::Origin::File(path) => path.clone(),
        source::Origin::Stdin => PathBuf::from("-"),
    };
    let options = check::Options {
        machine_type,
        ..Default::default()
    };
    let diagnostics = check::check_document(&selected.document, &options);
    if check::count(&diagnostics, crate::diagnostic::Severity::Error) > 0 {
        let machines = selected.document.machines.clone();
        let (text, spans) = selected.document.into_text_and_spans(true);
        return Err(MachineError::Invalid(Box::new(crate::findings::FileReport {
            path: path.display().to_string(),
            machines,
            diagnostics,
            source: Some(crate::findings::SourceText::new(text, spans)),
        })));
    }
    let Some(definition) = selected.definition().cloned() else {
        return Err(MachineError::Unreadable(format!(
            "{} holds no definition for {} that parses",
            path.display(),
            selected.machine.name
        )));
    };
    Ok(Machine {
        path,
        name: selected.machine.name,
        pointer: selected.machine.pointer,
        definition,
    })
}

/// The mocks of one test: a `TestCases` entry of a mock configuration, with inline mocks
/// (`state → MockedResponses value`, or a list answering invocations 0, 1, …) over it.
#[derive(Debug, Clone)]
pub struct Mocks(Option<MockCase>);

/// The `StateMachines` entry of `config` to use for `machine`: `chosen`, else the entry named
/// after the machine, else the only one.
pub fn mock_machine_name(config: &Value, chosen: Option<&str>, machine: &str) -> Option<String> {
    if let Some(name) = chosen {
        return Some(name.to_string());
    }
    let machines = config.get("StateMachines")?.as_object()?;
    if machines.contains_key(machine) {
        return Some(machine.to_string());
    }
    match machines.keys().collect::<Vec<_>>().as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

/// The names of the test cases of `machine` in `config`.
pub fn test_case_names(config: &Value, machine: Option<&str>) -> Vec<String> {
    let machines = config.get("StateMachines").and_then(Value::as_object);
    let entry = match machine {
        Some(name) => machines.and_then(|m| m.get(name)),
        None => machines.filter(|m| m.len() == 1).and_then(|m| m.values().next()),
    };
    entry
        .and_then(|e| e.get("TestCases"))
        .and_then(Value::as_object)
        .map(|cases| cases.keys().cloned().collect())
        .unwrap_or_default()
}

/// Builds the mocks of a test. `Err` says what is wrong, in the words of the mock config.
pub fn mocks(
    config: Option<&Value>,
    machine: Option<&str>,
    test_case: Option<&str>,
    inline: &[(String, Value)],
) -> Result<Mocks, String> {
    if config.is_none() && test_case.is_none() && inline.is_empty() {
        return Ok(Mocks(None));
    }
    let mut responses = Map::new();
    let mut case = Map::new();
    if let (Some(config), Some(test_case)) = (config, test_case) {
        // Read through the simulator first: its errors name what is missing.
        MockCase::from_config(config, machine, test_case).map_err(|e| e.to_string())?;
        let machines = config.get("StateMachines").and_then(Value::as_object);
        let entry = match machine {
            Some(name) => machines.and_then(|m| m.get(name)),
            None => machines.and_then(|m| m.values().next()),
        };
        if let Some(states) = entry
            .and_then(|e| e.pointer(&format!("/TestCases/{}", crate::pointer::escape_token(test_case))))
            .and_then(Value::as_object)
        {
            case.extend(states.clone());
        }
        if let Some(all) = config.get("MockedResponses").and_then(Value::as_object) {
            responses.extend(all.clone());
        }
    } else if let Some(name) = test_case {
        return Err(format!("`test_case: {name}` needs a `mock_config`"));
    }
    for (state, response) in inline {
        let key = format!("aslkit-inline-mock:{state}");
        let response = match response {
            Value::Array(items) => Value::Object(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (i.to_string(), item.clone()))
                    .collect(),
            ),
            other => other.clone(),
        };
        responses.insert(key.clone(), response);
        case.insert(state.clone(), Value::String(key));
    }
    let synthetic = json!({
        "StateMachines": {"m": {"TestCases": {"t": case}}},
        "MockedResponses": responses,
    });
    MockCase::from_config(&synthetic, Some("m"), "t")
        .map(|m| Mocks(Some(m)))
        .map_err(|e| e.to_string())
}

/// One state entered, as the runner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub name: String,
    pub kind: String,
    /// JSON Pointer of the state in the definition file.
    pub pointer: String,
    /// 0 at the top level.
    pub depth: usize,
    pub input: Value,
    /// `None` when the state failed (caught or not) or is a Fail state.
    pub output: Option<Value>,
    pub attempts: u32,
    /// The workflow variables in scope after the state ran (`None` when it failed).
    pub variables: Option<Map<String, Value>>,
    /// The error of each failed attempt, where the mocks say which it was (`None` when the
    /// attempt's failure came from elsewhere, e.g. a runtime error).
    pub errors: Vec<Option<String>>,
}

/// The outcome of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// `SUCCEEDED`, `FAILED` or `TIMED_OUT`.
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub visits: Vec<Visit>,
}

/// Everything a run needs besides the machine and its input.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub execution_name: Option<String>,
    pub start_millis: Option<i64>,
    /// Standard unless the test's context says Express.
    pub machine_type: Option<MachineType>,
    pub s3_root: Option<PathBuf>,
}

/// A fixed start for runs that do not set one, so that tests are reproducible:
/// 2024-01-01T00:00:00Z.
pub const DEFAULT_START_MILLIS: i64 = 1_704_067_200_000;

/// Runs `machine` on `input`. `Err` is what the simulator could not stand in for (a Task
/// without a mock, a runaway loop), as a message.
pub fn run(machine: &Machine, input: Value, mocks: &Mocks, options: &RunOptions) -> Result<Run, String> {
    let sim = simulate::Options {
        machine_name: machine.name.clone(),
        mocks: mocks.0.clone(),
        s3_root: options.s3_root.clone(),
        start_millis: options.start_millis.unwrap_or(DEFAULT_START_MILLIS),
        execution_name: options.execution_name.clone(),
        record_variables: true,
        // The expectations read the states' inputs and outputs, never the history's details.
        record: simulate::Record {
            payloads: simulate::Payloads::Values,
            history_details: false,
        },
        machine_type: options.machine_type.unwrap_or_default(),
        seed: 0,
    };
    let execution = simulate::run(&machine.definition, &machine.pointer, input, &sim).map_err(|e| match e {
        // The simulator's advice is for its command line; a suite mocks in its own words.
        e @ simulate::SimulateError::Unmocked { .. } => {
            let message = e.to_string();
            let core = message.split(": pass --mock-config").next().unwrap_or_default();
            let core = core.split("; add it").next().unwrap_or_default();
            format!("{core}: mock it in the test's `mocks` (or name a `test_case` of the `mock_config`)")
        }
        other => other.to_string(),
    })?;
    Ok(convert(execution, mocks))
}

fn convert(execution: Execution, mocks: &Mocks) -> Run {
    let mut invocations: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let visits = execution
        .states
        .into_iter()
        .map(|s| {
            let first = invocations.entry(s.name.to_string()).or_default();
            let errors = (0..u64::from(s.attempts))
                .map(|k| {
                    match mocks
                        .0
                        .as_ref()
                        .and_then(|m| m.response(&s.name, *first + k))
                        .map(|m| &m.response)
                    {
                        Some(Response::Throw { error, .. }) => Some(error.clone()),
                        _ => None,
                    }
                })
                .collect();
            if s.kind == "Task" {
                *first += u64::from(s.attempts);
            }
            Visit {
                name: s.name.to_string(),
                kind: s.kind.to_string(),
                pointer: s.pointer.to_string(),
                depth: s.depth,
                input: s.input.into_value(),
                output: s.output.map(simulate::Payload::into_value),
                attempts: s.attempts,
                variables: s.variables.map(|v| *v),
                errors,
            }
        })
        .collect();
    Run {
        status: execution.status.as_str().to_string(),
        output: execution.output,
        error: execution.error,
        cause: execution.cause,
        visits,
    }
}

/// Whether a retrier or catcher with this `ErrorEquals` handles `error` (the simulator's own
/// matching, `States.ALL` and `States.TaskFailed` included).
pub fn handles(rule: &Value, error: &str) -> bool {
    simulate::errors::matches(&simulate::errors::error_equals(rule), error)
}

/// The `ErrorEquals` of a retrier or catcher, for labels: `States.ALL, Lambda.Unknown`.
pub fn error_names(rule: &Value) -> String {
    simulate::errors::error_equals(rule).join(", ")
}

/// Reads a JSON file (an `input_file`, a mock configuration).
pub fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}
