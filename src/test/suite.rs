//! Suite files: `*.test.yaml`, `*.test.yml` and `*.test.json`, read with the project's own
//! span-aware loaders so that every problem is a located diagnostic in the file the user wrote.
//!
//! Reading a suite is two passes. [`parse`] checks the shape (known keys, types, required
//! fields) and builds a [`Suite`] whose nodes keep their JSON Pointers; [`super::load`] then
//! resolves what the suite names (the machine, the mock configuration, input files, state
//! names) and reports what does not exist at the pointer that named it. Paths are relative to
//! the suite file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::model::MachineType;
use crate::source::{json, yaml, SpanIndex, Syntax};
use crate::suggest::did_you_mean;

/// Diagnostic codes of suite files (the TST family; stable, never reused).
pub mod codes {
    /// The file is not valid YAML or JSON, or cannot be read.
    pub const SYNTAX: &str = "TST001";
    /// A key the suite format does not know (a misspelt expectation would silently check nothing).
    pub const UNKNOWN_KEY: &str = "TST002";
    /// A value of the wrong type (`status: 3`, `path: Validate`).
    pub const WRONG_TYPE: &str = "TST003";
    /// A required field is missing (`state_machine`, `tests`, a test's `name`).
    pub const MISSING: &str = "TST004";
    /// A state name that does not exist in the machine (in `path` or `states`).
    pub const UNKNOWN_STATE: &str = "TST005";
    /// A file the suite names cannot be read or parsed (machine, mock config, input file).
    pub const BAD_FILE: &str = "TST006";
    /// A value that is well typed but invalid: an unknown status, a bad timestamp, a test case
    /// the mock configuration does not have, both `input` and `input_file`.
    pub const INVALID_VALUE: &str = "TST007";
    /// The machine under test does not validate.
    pub const INVALID_MACHINE: &str = "TST008";
}

/// Fields of the suite file, of each test, of `expect`, of `expect.states.<Name>` and of
/// `context` — the one list each, so that unknown keys can be reported with a suggestion.
pub const SUITE_FIELDS: &[&str] = &[
    "state_machine",
    "mock_config",
    "mock_state_machine",
    "s3_root",
    "context",
    "tests",
];
pub const TEST_FIELDS: &[&str] = &["name", "input", "input_file", "test_case", "mocks", "context", "expect"];
pub const EXPECT_FIELDS: &[&str] = &[
    "status",
    "output",
    "output_contains",
    "path",
    "entered",
    "not_entered",
    "error",
    "cause",
    "cause_contains",
    "variables",
    "states",
];
pub const STATE_FIELDS: &[&str] = &[
    "entry",
    "input",
    "input_contains",
    "output",
    "output_contains",
    "invocations",
    "retries",
    "entered",
    "variables",
];
pub const CONTEXT_FIELDS: &[&str] = &["execution_name", "start_time", "machine_type"];

/// A suite file, checked for shape.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The path as given or found.
    pub path: PathBuf,
    pub text: String,
    pub syntax: Syntax,
    pub spans: SpanIndex,
    /// `state_machine`, as written (a path relative to the suite, or `FILE#NAME`).
    pub state_machine: String,
    pub mock_config: Option<String>,
    /// The `StateMachines` entry of the mock configuration to use (default: the one named
    /// after the machine, or the only one).
    pub mock_state_machine: Option<String>,
    pub s3_root: Option<String>,
    pub context: Context,
    pub tests: Vec<TestCase>,
}

impl Suite {
    /// A path named in the suite, relative to the suite file's directory.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        let path = Path::new(relative);
        if path.is_absolute() {
            return path.to_path_buf();
        }
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }
}

/// What a test may set about its execution (`$$.Execution.Name`, `$$.Execution.StartTime`,
/// the machine type). A test's context overrides the suite's, field by field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    pub execution_name: Option<String>,
    /// Milliseconds since the epoch.
    pub start_millis: Option<i64>,
    pub machine_type: Option<MachineType>,
}

impl Context {
    pub fn over(&self, base: &Context) -> Context {
        Context {
            execution_name: self.execution_name.clone().or_else(|| base.execution_name.clone()),
            start_millis: self.start_millis.or(base.start_millis),
            machine_type: self.machine_type.or(base.machine_type),
        }
    }
}

/// Where a test's input comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum InputSource {
    Inline(Value),
    /// A JSON file, relative to the suite.
    File(String),
}

/// One test.
#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    /// `/tests/N`.
    pub pointer: String,
    pub input: InputSource,
    pub test_case: Option<String>,
    /// Inline mocks: state name → a `MockedResponses` value (an object of invocation numbers
    /// or ranges, or a list whose N-th element answers invocation N).
    pub mocks: Vec<(String, Value)>,
    pub context: Context,
    pub expect: Expect,
}

/// A JSON value expected somewhere, and where the suite wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected<T> {
    pub value: T,
    pub pointer: String,
}

/// The expectations of a test. Absent fields check nothing; a test without `expect` expects
/// `status: SUCCEEDED`.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub status: Option<Expected<String>>,
    pub output: Option<Expected<Value>>,
    pub output_contains: Option<Expected<Value>>,
    pub path: Option<Expected<Vec<String>>>,
    /// States entered anywhere (nested ones included), in this order, others allowed between.
    pub entered: Option<Expected<Vec<String>>>,
    pub not_entered: Option<Expected<Vec<String>>>,
    pub error: Option<Expected<String>>,
    pub cause: Option<Expected<String>>,
    pub cause_contains: Option<Expected<String>>,
    /// The workflow variables after the last top-level state contain these.
    pub variables: Option<Expected<Value>>,
    pub states: Vec<StateExpect>,
}

/// Checks on one state, by name.
#[derive(Debug, Clone, Default)]
pub struct StateExpect {
    pub name: String,
    pub pointer: String,
    /// Which entry of the state the input/output checks look at (1-based; default the first).
    pub entry: Option<Expected<u64>>,
    pub input: Option<Expected<Value>>,
    pub input_contains: Option<Expected<Value>>,
    pub output: Option<Expected<Value>>,
    pub output_contains: Option<Expected<Value>>,
    /// How many times the state did its work: entries plus retries.
    pub invocations: Option<Expected<u64>>,
    pub retries: Option<Expected<u64>>,
    /// How many times the state was entered.
    pub entered: Option<Expected<u64>>,
    /// The workflow variables after the state ran (its `Assign` made) contain these.
    pub variables: Option<Expected<Value>>,
}

/// The statuses an execution can end with.
pub const STATUSES: &[&str] = &["SUCCEEDED", "FAILED", "TIMED_OUT"];

/// Parses the text of a suite file; `Err` holds every problem found, located.
pub fn parse(path: &Path, text: String) -> Result<Suite, (String, Option<SpanIndex>, Vec<Diagnostic>)> {
    let syntax = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Syntax::Json,
        _ => Syntax::Yaml,
    };
    let parsed = match syntax {
        Syntax::Json => json::parse(&text),
        Syntax::Yaml | Syntax::Terraform => yaml::parse(&text),
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let end = text[e.offset.min(text.len())..]
                .chars()
                .next()
                .map_or(e.offset, |c| e.offset + c.len_utf8());
            let d = Diagnostic::new(codes::SYNTAX, format!("invalid {}: {}", syntax.name(), e.message))
                .at_offset(e.offset.min(text.len()), end.min(text.len()));
            return Err((text, None, vec![d]));
        }
    };
    let mut reader = Reader::default();
    let suite = reader.suite(&parsed.value);
    for dup in &parsed.duplicates {
        let key = dup.pointer.rsplit('/').next().unwrap_or_default();
        reader.problems.push(
            Diagnostic::new(codes::UNKNOWN_KEY, format!("duplicate key \"{key}\""))
                .at_key(dup.pointer.clone())
                .with_byte_label(dup.first.start, dup.first.end, "first defined here")
                .help("only one of them would count; remove the other"),
        );
    }
    match suite {
        Some((state_machine, mock_config, mock_state_machine, s3_root, context, tests))
            if reader.problems.is_empty() =>
        {
            Ok(Suite {
                path: path.to_path_buf(),
                text,
                syntax,
                spans: parsed.spans,
                state_machine,
                mock_config,
                mock_state_machine,
                s3_root,
                context,
                tests,
            })
        }
        _ => Err((text, Some(parsed.spans), reader.problems)),
    }
}

type SuiteParts = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Context,
    Vec<TestCase>,
);

/// Walks the parsed value, collecting problems instead of stopping at the first.
#[derive(Default)]
struct Reader {
    problems: Vec<Diagnostic>,
}

use crate::pointer::child;

impl Reader {
    fn wrong_type(&mut self, pointer: &str, what: &str, expected: &str) {
        self.problems.push(
            Diagnostic::new(codes::WRONG_TYPE, format!("`{what}` must be {expected}"))
                .at_value(pointer.to_string())
                .label(format!("expected {expected}")),
        );
    }

    /// The members of an object, reporting unknown keys; `None` (reported) when not an object.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        pointer: &str,
        what: &str,
        fields: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(object) = value.as_object() else {
            self.wrong_type(pointer, what, "an object");
            return None;
        };
        for key in object.keys() {
            if !fields.contains(&key.as_str()) {
                let known = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                self.problems.push(
                    Diagnostic::new(codes::UNKNOWN_KEY, format!("unknown key `{key}` in {what}"))
                        .at_key(child(pointer, key))
                        .label("not a field of the suite format")
                        .maybe_help(did_you_mean(key, fields.iter().copied()))
                        .note(format!("{what} may hold {known}")),
                );
            }
        }
        Some(object)
    }

    fn string(&mut self, object: &Map<String, Value>, pointer: &str, key: &str) -> Option<Expected<String>> {
        let value = object.get(key)?;
        let at = child(pointer, key);
        match value {
            Value::String(s) => Some(Expected {
                value: s.clone(),
                pointer: at,
            }),
            _ => {
                self.wrong_type(&at, key, "a string");
                None
            }
        }
    }

    fn count(&mut self, object: &Map<String, Value>, pointer: &str, key: &str) -> Option<Expected<u64>> {
        let value = object.get(key)?;
        let at = child(pointer, key);
        match value.as_u64() {
            Some(n) => Some(Expected { value: n, pointer: at }),
            None => {
                self.wrong_type(&at, key, "a whole number, 0 or more");
                None
            }
        }
    }

    fn json(&mut self, object: &Map<String, Value>, pointer: &str, key: &str) -> Option<Expected<Value>> {
        object.get(key).map(|v| Expected {
            value: v.clone(),
            pointer: child(pointer, key),
        })
    }

    fn variables(&mut self, object: &Map<String, Value>, pointer: &str) -> Option<Expected<Value>> {
        let e = self.json(object, pointer, "variables")?;
        if e.value.is_object() {
            Some(e)
        } else {
            self.wrong_type(&e.pointer, "variables", "an object of variable names");
            None
        }
    }

    fn names(&mut self, object: &Map<String, Value>, pointer: &str, key: &str) -> Option<Expected<Vec<String>>> {
        let value = object.get(key)?;
        let at = child(pointer, key);
        let names: Option<Vec<String>> = value
            .as_array()
            .and_then(|items| items.iter().map(|i| i.as_str().map(str::to_string)).collect());
        match names {
            Some(value) => Some(Expected { value, pointer: at }),
            None => {
                self.wrong_type(&at, key, "a list of state names");
                None
            }
        }
    }

    fn suite(&mut self, value: &Value) -> Option<SuiteParts> {
        let object = self.object(value, "", "a suite file", SUITE_FIELDS)?;
        let state_machine = self.string(object, "", "state_machine");
        if !object.contains_key("state_machine") {
            self.problems.push(
                Diagnostic::new(codes::MISSING, "the suite has no `state_machine`")
                    .at_offset(0, 0)
                    .help("name the definition under test, relative to this file: `state_machine: order.asl.json`"),
            );
        }
        let mock_config = self.string(object, "", "mock_config").map(|e| e.value);
        let mock_state_machine = self.string(object, "", "mock_state_machine").map(|e| e.value);
        let s3_root = self.string(object, "", "s3_root").map(|e| e.value);
        let context = match object.get("context") {
            Some(v) => self.context(v, "/context"),
            None => Context::default(),
        };
        let tests = match object.get("tests") {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, t)| self.test(t, &format!("/tests/{i}")))
                .collect(),
            Some(_) => {
                self.wrong_type("/tests", "tests", "a list of tests");
                Vec::new()
            }
            None => {
                self.problems.push(
                    Diagnostic::new(codes::MISSING, "the suite has no `tests`")
                        .at_offset(0, 0)
                        .help("add `tests:` with a list of tests, each with a `name`"),
                );
                Vec::new()
            }
        };
        Some((
            state_machine?.value,
            mock_config,
            mock_state_machine,
            s3_root,
            context,
            tests,
        ))
    }

    fn context(&mut self, value: &Value, pointer: &str) -> Context {
        let Some(object) = self.object(value, pointer, "`context`", CONTEXT_FIELDS) else {
            return Context::default();
        };
        let execution_name = self.string(object, pointer, "execution_name").map(|e| e.value);
        let start_millis =
            self.string(object, pointer, "start_time")
                .and_then(|e| match crate::model::timestamp::parse(&e.value) {
                    Ok(t) => Some(crate::simulate::context::millis_of(&t)),
                    Err(err) => {
                        self.problems.push(
                            Diagnostic::new(
                                codes::INVALID_VALUE,
                                format!("`start_time` is not an ISO-8601 timestamp: {}", err.message),
                            )
                            .at_value(e.pointer)
                            .help("write it as AWS does: 2024-06-01T12:00:00Z"),
                        );
                        None
                    }
                });
        let machine_type =
            self.string(object, pointer, "machine_type")
                .and_then(|e| match e.value.to_ascii_uppercase().as_str() {
                    "STANDARD" => Some(MachineType::Standard),
                    "EXPRESS" => Some(MachineType::Express),
                    _ => {
                        self.problems.push(
                            Diagnostic::new(
                                codes::INVALID_VALUE,
                                format!("`machine_type` is \"{}\", not STANDARD or EXPRESS", e.value),
                            )
                            .at_value(e.pointer),
                        );
                        None
                    }
                });
        Context {
            execution_name,
            start_millis,
            machine_type,
        }
    }

    fn test(&mut self, value: &Value, pointer: &str) -> Option<TestCase> {
        let object = self.object(value, pointer, "a test", TEST_FIELDS)?;
        let name = self.string(object, pointer, "name");
        if !object.contains_key("name") {
            self.problems.push(
                Diagnostic::new(codes::MISSING, "this test has no `name`")
                    .at_value(pointer.to_string())
                    .label("every test needs a name"),
            );
        }
        let input = match (object.get("input"), self.string(object, pointer, "input_file")) {
            (Some(_), Some(file)) => {
                self.problems.push(
                    Diagnostic::new(
                        codes::INVALID_VALUE,
                        "a test has either `input` or `input_file`, not both",
                    )
                    .at_key(file.pointer),
                );
                InputSource::Inline(Value::Null)
            }
            (Some(v), None) => InputSource::Inline(v.clone()),
            (None, Some(file)) => InputSource::File(file.value),
            (None, None) => InputSource::Inline(Value::Object(Map::new())),
        };
        let test_case = self.string(object, pointer, "test_case").map(|e| e.value);
        let mocks = match object.get("mocks") {
            Some(v) => {
                let at = child(pointer, "mocks");
                match v.as_object() {
                    Some(m) => m
                        .iter()
                        .filter_map(|(state, response)| {
                            let response_at = child(&at, state);
                            let ok = match response {
                                Value::Array(items) => items.iter().all(|i| mock_answer(i).is_some()),
                                Value::Object(o) => o.values().all(|i| mock_answer(i).is_some()),
                                _ => false,
                            };
                            if !ok {
                                self.wrong_type(
                                    &response_at,
                                    state,
                                    "a list of responses (or an object of invocation numbers), each `{Return: …}` or `{Throw: {Error, Cause}}`",
                                );
                                return None;
                            }
                            Some((state.clone(), response.clone()))
                        })
                        .collect(),
                    None => {
                        self.wrong_type(&at, "mocks", "an object of state names");
                        Vec::new()
                    }
                }
            }
            None => Vec::new(),
        };
        let context = match object.get("context") {
            Some(v) => self.context(v, &child(pointer, "context")),
            None => Context::default(),
        };
        let expect = match object.get("expect") {
            Some(v) => self.expect(v, &child(pointer, "expect")),
            None => Expect::default(),
        };
        Some(TestCase {
            name: name?.value,
            pointer: pointer.to_string(),
            input,
            test_case,
            mocks,
            context,
            expect,
        })
    }

    fn expect(&mut self, value: &Value, pointer: &str) -> Expect {
        let Some(object) = self.object(value, pointer, "`expect`", EXPECT_FIELDS) else {
            return Expect::default();
        };
        let status = self.string(object, pointer, "status").and_then(|s| {
            if STATUSES.contains(&s.value.as_str()) {
                Some(s)
            } else {
                self.problems.push(
                    Diagnostic::new(codes::INVALID_VALUE, format!("`status` is \"{}\"", s.value))
                        .at_value(s.pointer.clone())
                        .label("not an execution status")
                        .help(
                            did_you_mean(&s.value, STATUSES.iter().copied())
                                .unwrap_or_else(|| "one of SUCCEEDED, FAILED, TIMED_OUT".to_string()),
                        ),
                );
                None
            }
        });
        let states_pointer = child(pointer, "states");
        let states = match object.get("states") {
            Some(v) => match v.as_object() {
                Some(states) => states
                    .iter()
                    .filter_map(|(name, v)| self.state(name, v, &child(&states_pointer, name)))
                    .collect(),
                None => {
                    self.wrong_type(&states_pointer, "states", "an object of state names");
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        Expect {
            status,
            output: self.json(object, pointer, "output"),
            output_contains: self.json(object, pointer, "output_contains"),
            path: self.names(object, pointer, "path"),
            entered: self.names(object, pointer, "entered"),
            not_entered: self.names(object, pointer, "not_entered"),
            error: self.string(object, pointer, "error"),
            cause: self.string(object, pointer, "cause"),
            cause_contains: self.string(object, pointer, "cause_contains"),
            variables: self.variables(object, pointer),
            states,
        }
    }

    fn state(&mut self, name: &str, value: &Value, pointer: &str) -> Option<StateExpect> {
        let object = self.object(value, pointer, &format!("`states.{name}`"), STATE_FIELDS)?;
        let entry = self.count(object, pointer, "entry");
        if let Some(e) = entry.as_ref().filter(|e| e.value == 0) {
            self.problems.push(
                Diagnostic::new(codes::INVALID_VALUE, "`entry` counts from 1")
                    .at_value(e.pointer.clone())
                    .help("`entry: 1` is the first time the state was entered"),
            );
        }
        Some(StateExpect {
            name: name.to_string(),
            pointer: pointer.to_string(),
            entry,
            input: self.json(object, pointer, "input"),
            input_contains: self.json(object, pointer, "input_contains"),
            output: self.json(object, pointer, "output"),
            output_contains: self.json(object, pointer, "output_contains"),
            invocations: self.count(object, pointer, "invocations"),
            retries: self.count(object, pointer, "retries"),
            entered: self.count(object, pointer, "entered"),
            variables: self.variables(object, pointer),
        })
    }
}

/// One mocked answer, `{Return: …}` or `{Throw: {Error, Cause}}` (an optional `Duration` is
/// left for the simulator to read).
fn mock_answer(value: &Value) -> Option<()> {
    let object = value.as_object()?;
    if object.contains_key("Return") {
        return Some(());
    }
    object.get("Throw")?.as_object().map(|_| ())
}

/// Whether a file name marks a suite.
pub fn is_suite_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    [".test.yaml", ".test.yml", ".test.json"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, Option<String>)> {
        match parse(Path::new("s.test.yaml"), text.to_string()) {
            Ok(_) => Vec::new(),
            Err((_, _, ds)) => ds
                .into_iter()
                .map(|d| (d.code.to_string(), d.pointer().map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn reads_a_suite() {
        let suite = parse(
            Path::new("dir/s.test.yaml"),
            "state_machine: m.asl.json\ntests:\n  - name: a\n    input: {x: 1}\n    expect: {status: FAILED, path: [A, B]}\n"
                .to_string(),
        )
        .unwrap();
        assert_eq!(suite.tests.len(), 1);
        assert_eq!(suite.resolve("m.asl.json"), Path::new("dir/m.asl.json"));
        let expect = &suite.tests[0].expect;
        assert_eq!(expect.status.as_ref().unwrap().value, "FAILED");
        assert_eq!(expect.path.as_ref().unwrap().pointer, "/tests/0/expect/path");
    }

    #[test]
    fn reports_every_problem_at_its_place() {
        assert_eq!(
            problems(
                "state_machine: m.json\ntests:\n  - name: a\n    expect: {outptu: 1, status: DONE}\n  - input: 3\n"
            ),
            vec![
                ("TST002".into(), Some("/tests/0/expect/outptu".into())),
                ("TST007".into(), Some("/tests/0/expect/status".into())),
                ("TST004".into(), Some("/tests/1".into())),
            ]
        );
        assert_eq!(problems("tests: 3\n")[1], ("TST003".into(), Some("/tests".into())));
    }

    #[test]
    fn suite_file_names() {
        assert!(is_suite_file(Path::new("a/order.test.yaml")));
        assert!(is_suite_file(Path::new("order.test.json")));
        assert!(!is_suite_file(Path::new("order.asl.json")));
    }
}
