//! Mocked task results, in AWS Step Functions Local's `MockConfigFile` format, unchanged:
//!
//! ```json
//! {"StateMachines": {"order": {"TestCases": {"HappyPath": {"Charge": "Charged"}}}},
//!  "MockedResponses": {"Charged": {"0": {"Return": {"id": 1}}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}}}
//! ```
//!
//! A test case maps state names to response names; a response maps invocation numbers
//! (`"0"`, or a range `"1-2"`) to a `Return` (the service response) or a `Throw`. Invocations
//! are counted per state over the whole execution, retries and Map iterations included. Past
//! the last numbered response the last one is used again, so `{"0": …}` answers every call.
//!
//! aslkit extension: a response may carry `"Duration": seconds` beside `Return`/`Throw`, the
//! time the task takes on the virtual clock (so timeouts, heartbeats and races can be tested).
//! A file without it is a plain Step Functions Local file; a task without it takes no time.

use std::collections::HashMap;

use serde_json::Value;

use super::SimulateError;

/// What one invocation of a mocked task does.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Return(Value),
    Throw { error: String, cause: Option<String> },
}

/// One mocked invocation: its response, and how long the task takes on the virtual clock
/// (`"Duration": seconds` beside `Return`/`Throw`, an aslkit extension; none takes no time).
#[derive(Debug, Clone, PartialEq)]
pub struct Mocked {
    pub response: Response,
    pub duration_seconds: Option<f64>,
}

/// One test case of a mock configuration: state name → its responses by invocation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockCase {
    states: HashMap<String, Vec<(u64, u64, Mocked)>>,
}

/// What is wrong with a mock configuration, worded for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockConfigError {
    #[error("the mock configuration has no \"StateMachines\" object")]
    NoStateMachines,
    #[error("the mock configuration has no state machine \"{name}\" (it has: {known})")]
    NoSuchStateMachine { name: String, known: String },
    #[error("the mock configuration describes several state machines; choose one with --state-machine ({known})")]
    SeveralStateMachines { known: String },
    #[error("state machine \"{machine}\" has no test case \"{test_case}\" (it has: {known})")]
    NoSuchTestCase {
        machine: String,
        test_case: String,
        known: String,
    },
    #[error("test case \"{test_case}\": the mock for \"{state}\" is not a string")]
    NotAName { test_case: String, state: String },
    #[error("test case \"{test_case}\" names mocked response \"{response}\" for \"{state}\", but MockedResponses has no such entry")]
    NoSuchResponse {
        test_case: String,
        response: String,
        state: String,
    },
    /// One answer (`"0"`, `"1-2"`) of a mocked response.
    #[error("mocked response \"{response}\"{}", answer_message(key, problem))]
    BadAnswer {
        response: String,
        key: String,
        problem: AnswerProblem,
    },
}

/// What is wrong with one answer of a mocked response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// The key is neither a number nor a range like `1-2`.
    NotAnInvocation,
    /// A range like `3-1`.
    Backwards {
        from: u64,
        to: u64,
    },
    ReturnAndThrow,
    NoAnswer,
    /// `Throw` is not an object with a string `Error`.
    BadThrow,
    /// `Duration` is not a non-negative number.
    BadDuration,
}

fn answer_message(key: &str, problem: &AnswerProblem) -> String {
    match problem {
        AnswerProblem::NotAnInvocation => {
            format!(": \"{key}\" is not an invocation number or range like \"1-2\"")
        }
        AnswerProblem::Backwards { from, to } => {
            format!(": the range \"{key}\" runs backwards; write \"{to}-{from}\"")
        }
        AnswerProblem::ReturnAndThrow => format!(" \"{key}\" has both \"Return\" and \"Throw\"; give one"),
        AnswerProblem::NoAnswer => format!(" \"{key}\" has neither \"Return\" nor \"Throw\""),
        AnswerProblem::BadThrow => format!(
            " \"{key}\": \"Throw\" must be an object like {{\"Error\": \"MyError\", \"Cause\": \"…\"}}, with a string \"Error\""
        ),
        AnswerProblem::BadDuration => {
            format!(" \"{key}\": \"Duration\" must be a non-negative number of seconds")
        }
    }
}

impl MockCase {
    /// Reads test case `test_case` of machine `machine` (`None`: the only machine in the
    /// file) from a parsed `MockConfigFile`.
    pub fn from_config(config: &Value, machine: Option<&str>, test_case: &str) -> Result<MockCase, SimulateError> {
        let machines = config
            .get("StateMachines")
            .and_then(Value::as_object)
            .ok_or(MockConfigError::NoStateMachines)?;
        let (name, entry) = match machine {
            Some(name) => machines
                .get_key_value(name)
                .ok_or_else(|| MockConfigError::NoSuchStateMachine {
                    name: name.to_string(),
                    known: names(machines.keys()),
                })?,
            None if machines.len() == 1 => machines.iter().next().ok_or(MockConfigError::NoStateMachines)?,
            None => {
                return Err(MockConfigError::SeveralStateMachines {
                    known: names(machines.keys()),
                }
                .into())
            }
        };
        let cases = entry.get("TestCases").and_then(Value::as_object);
        let case = cases
            .and_then(|c| c.get(test_case))
            .and_then(Value::as_object)
            .ok_or_else(|| MockConfigError::NoSuchTestCase {
                machine: name.clone(),
                test_case: test_case.to_string(),
                known: cases.map(|c| names(c.keys())).unwrap_or_default(),
            })?;
        let responses = config.get("MockedResponses").and_then(Value::as_object);
        let mut states = HashMap::new();
        for (state, response_name) in case {
            let response_name = response_name.as_str().ok_or_else(|| MockConfigError::NotAName {
                test_case: test_case.to_string(),
                state: state.clone(),
            })?;
            let response = responses
                .and_then(|r| r.get(response_name))
                .and_then(Value::as_object)
                .ok_or_else(|| MockConfigError::NoSuchResponse {
                    test_case: test_case.to_string(),
                    response: response_name.to_string(),
                    state: state.clone(),
                })?;
            let mut ranges = Vec::new();
            for (key, value) in response {
                let at = |problem: AnswerProblem| MockConfigError::BadAnswer {
                    response: response_name.to_string(),
                    key: key.clone(),
                    problem,
                };
                let (from, to) = parse_range(key).ok_or_else(|| at(AnswerProblem::NotAnInvocation))?;
                if from > to {
                    return Err(at(AnswerProblem::Backwards { from, to }).into());
                }
                let answer = match (value.get("Return"), value.get("Throw")) {
                    (Some(_), Some(_)) => return Err(at(AnswerProblem::ReturnAndThrow).into()),
                    (Some(v), None) => Response::Return(v.clone()),
                    (None, Some(t)) => throw(t).ok_or_else(|| at(AnswerProblem::BadThrow))?,
                    (None, None) => return Err(at(AnswerProblem::NoAnswer).into()),
                };
                let duration_seconds = match value.get("Duration") {
                    None => None,
                    Some(d) => match d.as_f64() {
                        Some(seconds) if seconds >= 0.0 && seconds.is_finite() => Some(seconds),
                        _ => return Err(at(AnswerProblem::BadDuration).into()),
                    },
                };
                ranges.push((
                    from,
                    to,
                    Mocked {
                        response: answer,
                        duration_seconds,
                    },
                ));
            }
            ranges.sort_by_key(|(from, _, _)| *from);
            states.insert(state.clone(), ranges);
        }
        Ok(MockCase { states })
    }

    /// Whether the test case mocks `state`.
    pub fn has(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }

    /// The response to invocation `n` (0-based) of `state`.
    pub fn response(&self, state: &str, n: u64) -> Option<&Mocked> {
        let ranges = self.states.get(state)?;
        ranges
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&n))
            .or_else(|| ranges.last())
            .map(|(_, _, r)| r)
    }
}

/// A `Throw`: an object with an optional string `Error` (a task can fail without one, as a
/// callback answered by `SendTaskFailure` without an error does) and an optional `Cause` (not
/// a string is shown as JSON). `None` for anything else, such as `"Throw": "boom"`.
fn throw(t: &Value) -> Option<Response> {
    let object = t.as_object()?;
    let error = match object.get("Error") {
        None => String::new(),
        Some(e) => e.as_str()?.to_string(),
    };
    let cause = object.get("Cause").map(|c| match c {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    Some(Response::Throw { error, cause })
}

fn parse_range(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let n = key.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    keys.map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn responses_by_invocation_number_and_range() {
        let config = json!({
            "StateMachines": {"m": {"TestCases": {"t": {"A": "R"}}}},
            "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": 5}}}
        });
        let case = MockCase::from_config(&config, None, "t").unwrap();
        assert!(
            matches!(case.response("A", 0).map(|m| &m.response), Some(Response::Throw { error, .. }) if error == "E")
        );
        assert_eq!(
            case.response("A", 2).map(|m| &m.response),
            Some(&Response::Return(json!(5)))
        );
        assert_eq!(
            case.response("A", 9).map(|m| &m.response),
            Some(&Response::Return(json!(5)))
        );
        assert_eq!(case.response("B", 0), None);
        assert!(MockCase::from_config(&config, Some("x"), "t").is_err());
        assert!(MockCase::from_config(&config, None, "nope").is_err());
    }

    /// Issue 12: mock files that Step Functions Local would reject are errors, not silent
    /// `error: null` runs or responses that never answer.
    #[test]
    fn malformed_responses_are_configuration_errors() {
        let config = |response: Value| json!({"StateMachines": {"m": {"TestCases": {"t": {"A": "R"}}}}, "MockedResponses": {"R": response}});
        for (response, expected) in [
            (json!({"0": {"Throw": "boom"}}), "\"Throw\" must be an object"),
            (json!({"0": {"Throw": {"Error": 5}}}), "\"Throw\" must be an object"),
            (
                json!({"0": {"Return": 1, "Throw": {"Error": "E"}}}),
                "both \"Return\" and \"Throw\"",
            ),
            (json!({"5-1": {"Return": 1}}), "runs backwards; write \"1-5\""),
        ] {
            let err = MockCase::from_config(&config(response.clone()), None, "t").unwrap_err();
            assert!(
                matches!(&err, SimulateError::MockConfig(m) if m.to_string().contains(expected)),
                "{response}: {err}"
            );
        }
        // A Throw without an Error (a callback failed without one) stays valid.
        let case = MockCase::from_config(&config(json!({"0": {"Throw": {}}})), None, "t").unwrap();
        assert_eq!(
            case.response("A", 0).map(|m| &m.response),
            Some(&Response::Throw {
                error: String::new(),
                cause: None
            })
        );
    }
}
