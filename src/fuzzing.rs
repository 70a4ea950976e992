//! Entry points for fuzzing (issue 12): each takes arbitrary bytes and runs one stage of aslkit
//! the way the command line would, so that any panic, abort, hang or runaway allocation shows
//! up as a crash.
//!
//! The cargo-fuzz targets in `fuzz/` call these, and `tests/fuzz_smoke.rs` runs our own
//! fixtures (the seed corpus) through them on every `cargo test`, so the entry points never
//! rot between fuzzing sessions. Nothing here catches panics: that is the point. Work runs on a
//! thread with the large stack the command line gives its workers (deep but legal nesting is
//! not a crash), and a panic on that thread is raised again on the caller's.

use serde_json::{json, Map, Value};

use crate::check::{self, settings::RuleSettings, Options};
use crate::eval::{self, Language};
use crate::expr::{intrinsics, jsonpath, reference_path};
use crate::report;
use crate::source::{self, Loaded, Origin, Reading};

/// The same stack as the command line's workers.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// The input expressions and simulated machines see.
fn sample_input() -> Value {
    json!({"items": [1, 2, {"a": "b"}], "name": "x", "n": 3, "nested": {"deep": [true, null, 1.5]}})
}

/// Runs `work` on a thread with [`STACK_BYTES`] of stack; a panic there panics here.
fn on_big_stack(work: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, work);
        match handle {
            Ok(handle) => {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            Err(e) => panic!("cannot start a fuzzing thread: {e}"),
        }
    });
}

/// Loads `bytes` as the file `name` would be read and checks it with every lint rule, then
/// renders the findings in every report format.
fn load_and_check(name: &str, bytes: &[u8], reading: Reading) {
    let loaded = source::load_bytes_as(Origin::File(name.into()), bytes.to_vec(), reading);
    let file = match loaded {
        Loaded::Failed(failure) => report::FileReport::failed(name.to_string(), failure),
        Loaded::Document(doc) => {
            let options = Options {
                rules: RuleSettings::lint(),
                ..Options::default()
            };
            let diagnostics = check::check_document(&doc, &options);
            report::FileReport::checked(name.to_string(), *doc, diagnostics)
        }
    };
    let report = report::Report { files: vec![file] };
    let options = report::Options::human(report::human::Options::default());
    for format in [report::Format::Human, report::Format::Json, report::Format::Sarif] {
        let _ = report::render(&report, format, &options);
    }
}

/// A JSON definition file (`validate`/`lint` on `*.asl.json`).
pub fn json_loader(bytes: &[u8]) {
    on_big_stack(|| load_and_check("fuzz.asl.json", bytes, Reading::Plain));
}

/// A YAML definition file (`*.asl.yaml`): aliases, anchors, tags, multi-documents.
pub fn yaml_loader(bytes: &[u8]) {
    on_big_stack(|| load_and_check("fuzz.asl.yaml", bytes, Reading::Plain));
}

/// A CloudFormation / SAM / Serverless template, or a definition file a template names (read
/// with `${…}` substitutions, JSON with CloudFormation's YAML fallback).
pub fn template_reader(bytes: &[u8]) {
    on_big_stack(|| {
        let yaml = bytes.first().is_some_and(|b| !matches!(b, b'{' | b'[' | b' ' | b'\n'));
        let name = if yaml { "template.yaml" } else { "template.json" };
        load_and_check(name, bytes, Reading::Plain);
        load_and_check("definition.json", bytes, Reading::Substituted);
    });
}

/// A JSONPath, a Reference Path or an intrinsic function call, parsed, checked and evaluated
/// against a sample input (with `$$` and a variable).
pub fn path_expressions(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    on_big_stack(move || {
        let _ = jsonpath::parse(&text);
        let _ = reference_path::parse(&text, reference_path::Roots::Input);
        let _ = reference_path::parse(&text, reference_path::Roots::Any);
        if let Ok(call) = intrinsics::parse(&text) {
            let _ = intrinsics::check(&call);
        }
        let mut bindings = Map::new();
        bindings.insert("var".into(), json!({"k": [1, 2]}));
        let _ = eval::evaluate(Language::Jsonpath, &text, Some(&sample_input()), &bindings);
    });
}

/// A JSONata expression, parsed and evaluated (within the engine's depth and step budget).
pub fn jsonata(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    on_big_stack(move || {
        let mut bindings = Map::new();
        bindings.insert("var".into(), json!({"k": [1, 2]}));
        let _ = eval::evaluate(Language::Jsonata, &text, Some(&sample_input()), &bindings);
        let _ = eval::evaluate(Language::Jsonata, &text, None, &Map::new());
    });
}

/// Bytes read as a JSON definition; one that validates is simulated (Express, so the
/// five-minute limit bounds its virtual time) on a sample input, with every Task answered by a
/// mock that returns its input's shape or fails, by invocation.
pub fn simulate(bytes: &[u8]) {
    on_big_stack(|| {
        let loaded = source::load_bytes(Origin::File("fuzz.asl.json".into()), bytes.to_vec());
        let Loaded::Document(doc) = loaded else {
            return;
        };
        let diagnostics = check::check_document(&doc, &Options::default());
        if diagnostics
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            return;
        }
        let Some(machine) = doc.machines.first() else {
            return;
        };
        let Some(definition) = doc.machine_value(machine) else {
            return;
        };
        let mocks = mocks_for(definition);
        let options = crate::simulate::Options {
            machine_name: "fuzz".into(),
            mocks,
            machine_type: crate::simulate::MachineType::Express,
            start_millis: 1_700_000_000_000,
            ..Default::default()
        };
        if let Ok(execution) = crate::simulate::run(definition, &machine.pointer, sample_input(), &options) {
            let _ = report::simulation::to_json(&execution);
            let _ = report::simulation::to_human(&execution);
            let _ = report::simulation::history_json(&execution);
        }
    });
}

/// A mock test case answering every state of `definition` (at any depth): a result on even
/// invocations, a failure on odd ones.
fn mocks_for(definition: &Value) -> Option<crate::simulate::MockCase> {
    let mut names = Vec::new();
    collect_state_names(definition, &mut names, 0);
    let case: Map<String, Value> = names.into_iter().map(|n| (n, json!("R"))).collect();
    let config = json!({
        "StateMachines": {"fuzz": {"TestCases": {"T": case}}},
        "MockedResponses": {"R": {
            "0": {"Return": {"StatusCode": 200, "Payload": {"ok": true, "items": [1, 2]}}},
            "1": {"Throw": {"Error": "Fuzz.Error", "Cause": "odd invocation"}},
            "2": {"Return": {"StatusCode": 200, "Payload": [1, 2, 3]}}
        }}
    });
    crate::simulate::MockCase::from_config(&config, None, "T").ok()
}

fn collect_state_names(value: &Value, names: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(states)) = map.get("States") {
                names.extend(states.keys().cloned());
            }
            for v in map.values() {
                collect_state_names(v, names, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_state_names(v, names, depth + 1);
            }
        }
        _ => {}
    }
}
