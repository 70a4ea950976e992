//! `aslkit test`: test suites for state machines, on top of the simulator.
//!
//! A suite file ([`suite`]) names a machine, optionally a Step Functions Local mock
//! configuration, and tests: an input, mocks, and expectations ([`expect`]). Running is three
//! stages: [`load`] resolves every suite (the machine, mocks, inputs, state names) and turns
//! every problem into a located diagnostic in the suite file; [`run`] runs every selected test
//! on all cores through the one adapter to the simulator ([`adapter`]) and checks it; the
//! caller reports the [`Outcome`] (`crate::report::tests`). Results keep the order of the
//! files and of the tests in them, whatever the threads did. [`coverage`] adds up what the
//! runs exercised of each machine; [`update`] writes actual outputs back into suite files.

pub mod adapter;
pub mod coverage;
pub mod diff;
pub mod expect;
pub mod suite;
pub mod update;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::Value;

use crate::check::suggest::did_you_mean;
use crate::diagnostic::Diagnostic;
use crate::report::{FileReport, SourceText};
use adapter::{Machine, MachineError, Mocks, RunOptions, Visit};
use suite::{codes, InputSource, Suite, TestCase};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Run the tests whose name contains this text.
    pub filter: Option<String>,
    /// Keep what each run entered, for coverage.
    pub coverage: bool,
}

/// A suite ready to run: its machine loaded and each test's input and mocks built.
#[derive(Debug)]
pub struct Loaded {
    pub suite: Suite,
    pub machine: Machine,
    pub tests: Vec<Prepared>,
}

/// One test ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub name: String,
    /// `/tests/N` in the suite file (empty for a test case of `--mock-config`).
    pub pointer: String,
    pub input: Value,
    pub mocks: Mocks,
    pub options: RunOptions,
    /// `None`: report the outcome only (the test cases of a mock configuration).
    pub expect: Option<suite::Expect>,
}

/// The result of one test.
#[derive(Debug, Clone)]
pub struct TestResult {
    pub name: String,
    pub pointer: String,
    pub verdict: Verdict,
    /// Wall-clock time of the run and its checks.
    pub seconds: f64,
    /// The run, when the simulator could run it.
    pub run: Option<adapter::Run>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        matches!(self.verdict, Verdict::Passed)
    }
}

/// Whether a test passed.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Passed,
    /// Expectations that did not hold.
    Failed(Vec<expect::Mismatch>),
    /// The simulator could not run the machine (a Task without a mock, a runaway loop).
    Error(String),
}

/// The results of one suite file.
#[derive(Debug, Clone)]
pub struct SuiteResult {
    /// The suite file as given or found.
    pub path: String,
    /// The machine's file and name.
    pub machine_path: String,
    pub machine_name: String,
    pub tests: Vec<TestResult>,
}

/// Everything `aslkit test` found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub suites: Vec<SuiteResult>,
    /// Invalid suites (and invalid machines they name), located.
    pub invalid: Vec<FileReport>,
    pub coverage: Vec<coverage::MachineCoverage>,
}

impl Outcome {
    pub fn passed(&self) -> usize {
        self.tests().filter(|t| t.passed()).count()
    }
    pub fn failed(&self) -> usize {
        self.tests().filter(|t| !t.passed()).count()
    }
    pub fn tests(&self) -> impl Iterator<Item = &TestResult> {
        self.suites.iter().flat_map(|s| &s.tests)
    }
}

/// Suite files among `paths`: files as given, directories searched (honouring `.gitignore`)
/// for `*.test.yaml`, `*.test.yml` and `*.test.json`.
pub fn discover(paths: &[PathBuf]) -> Vec<PathBuf> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .require_git(false)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(ignore::DirEntry::into_path)
                .filter(|p| suite::is_suite_file(p))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

/// Reads and resolves one suite file; `Err` holds the reports of what is invalid (the suite,
/// and the machine it names when that does not validate).
pub fn load(path: &Path) -> Result<Loaded, Vec<FileReport>> {
    let display = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            return Err(vec![FileReport {
                path: display,
                machines: Vec::new(),
                diagnostics: vec![Diagnostic::new(
                    codes::BAD_FILE,
                    format!("cannot read {}: {e}", path.display()),
                )],
                source: None,
            }])
        }
    };
    let suite = suite::parse(path, text).map_err(|(text, spans, diagnostics)| {
        vec![FileReport {
            path: display.clone(),
            machines: Vec::new(),
            diagnostics,
            source: Some(SourceText::new(text, spans)),
        }]
    })?;
    let invalid = |suite: &Suite, diagnostics: Vec<Diagnostic>, mut others: Vec<FileReport>| {
        others.insert(
            0,
            FileReport {
                path: display.clone(),
                machines: Vec::new(),
                diagnostics,
                source: Some(SourceText::new(suite.text.clone(), Some(suite.spans.clone()))),
            },
        );
        others
    };
    let machine_type = suite.context.machine_type.unwrap_or_default();
    let machine = match adapter::load_machine(&suite.resolve(&suite.state_machine), machine_type) {
        Ok(machine) => machine,
        Err(MachineError::Unreadable(message)) => {
            let d = Diagnostic::new(codes::BAD_FILE, message).at_value("/state_machine");
            return Err(invalid(&suite, vec![d], Vec::new()));
        }
        Err(MachineError::Invalid(report)) => {
            let d = Diagnostic::new(
                codes::INVALID_MACHINE,
                format!("the state machine {} does not validate", report.path),
            )
            .at_value("/state_machine")
            .help("fix the definition first (its problems are listed with it)");
            return Err(invalid(&suite, vec![d], vec![*report]));
        }
    };
    let mut problems = Vec::new();
    let config = match &suite.mock_config {
        Some(file) => match adapter::read_json(&suite.resolve(file)) {
            Ok(config) => Some(config),
            Err(message) => {
                problems.push(Diagnostic::new(codes::BAD_FILE, message).at_value("/mock_config"));
                None
            }
        },
        None => None,
    };
    let mock_machine = config
        .as_ref()
        .and_then(|c| adapter::mock_machine_name(c, suite.mock_state_machine.as_deref(), &machine.name));
    let names = state_names(&machine);
    let mut tests = Vec::new();
    for test in &suite.tests {
        check_names(test, &names, &mut problems);
        if let Some(prepared) = prepare(&suite, test, config.as_ref(), mock_machine.as_deref(), &mut problems) {
            tests.push(prepared);
        }
    }
    if !problems.is_empty() {
        return Err(invalid(&suite, problems, Vec::new()));
    }
    Ok(Loaded { suite, machine, tests })
}

fn prepare(
    suite: &Suite,
    test: &TestCase,
    config: Option<&Value>,
    mock_machine: Option<&str>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Prepared> {
    let input = match &test.input {
        InputSource::Inline(v) => Some(v.clone()),
        InputSource::File(file) => match adapter::read_json(&suite.resolve(file)) {
            Ok(v) => Some(v),
            Err(message) => {
                problems
                    .push(Diagnostic::new(codes::BAD_FILE, message).at_value(format!("{}/input_file", test.pointer)));
                None
            }
        },
    };
    let mocks = if test.test_case.is_some() && suite.mock_config.is_none() {
        problems.push(
            Diagnostic::new(
                codes::INVALID_VALUE,
                "`test_case` names a test case, but the suite has no `mock_config`",
            )
            .at_value(format!("{}/test_case", test.pointer))
            .help("add `mock_config: MockConfigFile.json` at the top of the suite"),
        );
        None
    } else {
        match adapter::mocks(config, mock_machine, test.test_case.as_deref(), &test.mocks) {
            Ok(m) => Some(m),
            Err(message) => {
                let at = if test.test_case.is_some() { "test_case" } else { "mocks" };
                problems
                    .push(Diagnostic::new(codes::INVALID_VALUE, message).at_value(format!("{}/{at}", test.pointer)));
                None
            }
        }
    };
    let context = test.context.over(&suite.context);
    Some(Prepared {
        name: test.name.clone(),
        pointer: test.pointer.clone(),
        input: input?,
        mocks: mocks?,
        options: RunOptions {
            execution_name: context.execution_name,
            start_millis: context.start_millis,
            machine_type: context.machine_type,
            s3_root: suite.s3_root.as_deref().map(|r| suite.resolve(r)),
        },
        expect: Some(test.expect.clone()),
    })
}

/// Every state name of the machine, nested ones included, and the top-level ones.
struct Names {
    all: Vec<String>,
    top: Vec<String>,
}

fn state_names(machine: &Machine) -> Names {
    let model = crate::model::StateMachine::build(&machine.definition, &machine.pointer);
    Names {
        all: model.all_states().iter().map(|(_, s)| s.name.to_string()).collect(),
        top: model.states.iter().map(|s| s.name.to_string()).collect(),
    }
}

fn check_names(test: &TestCase, names: &Names, problems: &mut Vec<Diagnostic>) {
    let unknown = |name: &str, pointer: String, candidates: &[String], key: bool, scope: &str| {
        let d = Diagnostic::new(codes::UNKNOWN_STATE, format!("no state \"{name}\" {scope}"))
            .maybe_help(did_you_mean(name, candidates.iter().map(String::as_str)));
        if key {
            d.at_key(pointer)
        } else {
            d.at_value(pointer)
        }
    };
    let e = &test.expect;
    if let Some(path) = &e.path {
        for (i, name) in path.value.iter().enumerate() {
            if !names.top.contains(name) {
                let scope = if names.all.contains(name) {
                    "at the top level of the machine (`path` lists top-level states; use `entered` for nested ones)"
                } else {
                    "in the machine"
                };
                problems.push(unknown(name, format!("{}/{i}", path.pointer), &names.top, false, scope));
            }
        }
    }
    for list in [&e.entered, &e.not_entered].into_iter().flatten() {
        for (i, name) in list.value.iter().enumerate() {
            if !names.all.contains(name) {
                problems.push(unknown(
                    name,
                    format!("{}/{i}", list.pointer),
                    &names.all,
                    false,
                    "in the machine",
                ));
            }
        }
    }
    for state in &e.states {
        if !names.all.contains(&state.name) {
            problems.push(unknown(
                &state.name,
                state.pointer.clone(),
                &names.all,
                true,
                "in the machine",
            ));
        }
    }
    for (state, _) in &test.mocks {
        if !names.all.contains(state) {
            let pointer = format!("{}/mocks/{}", test.pointer, crate::pointer::escape_token(state));
            problems.push(unknown(state, pointer, &names.all, true, "in the machine to mock"));
        }
    }
}

/// The suite of `aslkit test --mock-config FILE DEF`: one test per `TestCases` entry of the
/// machine, each reporting its outcome.
pub fn from_mock_config(
    definition: &Path,
    config_path: &Path,
    state_machine: Option<&str>,
    input: Value,
    s3_root: Option<PathBuf>,
) -> Result<Loaded, Result<Vec<FileReport>, String>> {
    let machine = match adapter::load_machine(definition, Default::default()) {
        Ok(m) => m,
        Err(MachineError::Unreadable(message)) => return Err(Err(message)),
        Err(MachineError::Invalid(report)) => return Err(Ok(vec![*report])),
    };
    let config = adapter::read_json(config_path).map_err(Err)?;
    let mock_machine = adapter::mock_machine_name(&config, state_machine, &machine.name).ok_or_else(|| {
        Err(format!(
            "{} describes several state machines and none is named {}; choose one with --state-machine",
            config_path.display(),
            machine.name
        ))
    })?;
    let cases = adapter::test_case_names(&config, Some(&mock_machine));
    if cases.is_empty() {
        return Err(Err(format!(
            "{} has no test cases for state machine \"{mock_machine}\"",
            config_path.display()
        )));
    }
    let mut tests = Vec::new();
    for case in cases {
        let mocks = adapter::mocks(Some(&config), Some(&mock_machine), Some(&case), &[]).map_err(Err)?;
        tests.push(Prepared {
            name: case,
            pointer: String::new(),
            input: input.clone(),
            mocks,
            options: RunOptions {
                s3_root: s3_root.clone(),
                ..RunOptions::default()
            },
            expect: None,
        });
    }
    let suite = Suite {
        path: config_path.to_path_buf(),
        text: String::new(),
        syntax: crate::source::Syntax::Json,
        spans: Default::default(),
        state_machine: definition.display().to_string(),
        mock_config: Some(config_path.display().to_string()),
        mock_state_machine: Some(mock_machine),
        s3_root: None,
        context: Default::default(),
        tests: Vec::new(),
    };
    Ok(Loaded { suite, machine, tests })
}

/// Runs every test of `suites` that `config` selects, on all cores, and adds up coverage.
pub fn run(suites: &[Loaded], config: &Config) -> (Vec<SuiteResult>, Vec<coverage::MachineCoverage>) {
    let selected = |t: &Prepared| config.filter.as_deref().is_none_or(|f| t.name.contains(f));
    let jobs: Vec<(usize, &Prepared)> = suites
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.tests.iter().filter(|t| selected(t)).map(move |t| (i, t)))
        .collect();
    let results = parallel_map(&jobs, |(i, test)| run_one(&suites[*i].machine, test));
    let mut out: Vec<SuiteResult> = suites
        .iter()
        .map(|s| SuiteResult {
            path: s.suite.path.display().to_string(),
            machine_path: tidy(&s.machine.path).display().to_string(),
            machine_name: s.machine.name.clone(),
            tests: Vec::new(),
        })
        .collect();
    for ((i, _), mut result) in jobs.iter().zip(results) {
        locate(&suites[*i].suite, &mut result);
        out[*i].tests.push(result);
    }
    let coverage = if config.coverage {
        coverage_of(suites, &out)
    } else {
        Vec::new()
    };
    out.retain(|s| !s.tests.is_empty());
    (out, coverage)
}

/// `a/b/../c` as `a/c`, for display: a suite names its machine relative to itself.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Puts the line and column of each failed expectation in the suite file.
fn locate(suite: &Suite, result: &mut TestResult) {
    let Verdict::Failed(mismatches) = &mut result.verdict else {
        return;
    };
    let lines = crate::source::LineIndex::new(&suite.text);
    for m in mismatches {
        let pointer = if m.pointer.is_empty() {
            &result.pointer
        } else {
            &m.pointer
        };
        m.location = suite
            .spans
            .get(pointer)
            .map(|span| lines.line_col(&suite.text, span.key.as_ref().unwrap_or(&span.value).start));
    }
}

fn coverage_of(suites: &[Loaded], results: &[SuiteResult]) -> Vec<coverage::MachineCoverage> {
    let mut machines: Vec<(&Machine, coverage::Collector)> = Vec::new();
    for (loaded, result) in suites.iter().zip(results) {
        let same = |m: &Machine| m.path == loaded.machine.path && m.pointer == loaded.machine.pointer;
        let index = match machines.iter().position(|(m, _)| same(m)) {
            Some(i) => i,
            None => {
                machines.push((&loaded.machine, coverage::Collector::default()));
                machines.len() - 1
            }
        };
        for test in &result.tests {
            if let Some(run) = &test.run {
                machines[index].1.add(&loaded.machine, &run.visits);
            }
        }
    }
    machines.iter().map(|(m, c)| c.finish(m)).collect()
}

fn run_one(machine: &Machine, test: &Prepared) -> TestResult {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        adapter::run(machine, test.input.clone(), &test.mocks, &test.options)
    }))
    .unwrap_or_else(|_| Err("internal error in the simulator: this is a bug in aslkit, please report it".to_string()));
    let (verdict, run) = match outcome {
        Err(message) => (Verdict::Error(message), None),
        Ok(run) => {
            let mismatches = test.expect.as_ref().map(|e| expect::check(e, &run)).unwrap_or_default();
            let verdict = if mismatches.is_empty() {
                Verdict::Passed
            } else {
                Verdict::Failed(mismatches)
            };
            (verdict, Some(run))
        }
    };
    TestResult {
        name: test.name.clone(),
        pointer: test.pointer.clone(),
        verdict,
        seconds: started.elapsed().as_secs_f64(),
        run,
    }
}

/// Stack of the threads that run tests: the simulator recurses through nested states and
/// expressions, as the validator does.
const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// `work` over every item on all cores, results in the items' order. Workers take the next
/// item as they finish one, so a slow test does not hold up a fixed share of the others.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = AtomicUsize::new(0);
    let work = &work;
    let next = &next;
    let mut slots: Vec<Option<R>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, work(item)));
                        }
                        done
                    })
                    .ok()
            })
            .collect();
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for handle in handles {
            if let Ok(done) = handle.join() {
                for (i, r) in done {
                    slots[i] = Some(r);
                }
            }
        }
        slots
    });
    // Whatever no worker did (none could start, or one panicked) is done here.
    items
        .iter()
        .zip(slots.iter_mut())
        .map(|(item, slot)| slot.take().unwrap_or_else(|| work(item)))
        .collect()
}

/// Loads every suite in `paths` and runs them.
pub fn run_paths(paths: &[PathBuf], config: &Config) -> Outcome {
    let files = discover(paths);
    let loaded = parallel_map(&files, |p| load(p));
    let mut suites = Vec::new();
    let mut invalid = Vec::new();
    for result in loaded {
        match result {
            Ok(s) => suites.push(s),
            Err(reports) => invalid.extend(reports),
        }
    }
    let (results, coverage) = run(&suites, config);
    Outcome {
        suites: results,
        invalid,
        coverage,
    }
}

/// The visits of a result, for callers that draw or count them.
pub fn visits(result: &TestResult) -> &[Visit] {
    result.run.as_ref().map_or(&[], |r| r.visits.as_slice())
}
