//! `aslkit simulate`: run a machine against mocked task results (see `crate::simulate`).

use super::{diagnostic_options, print, read_json, usage_error};
use crate::check::{self, Options};
use crate::cli::ListFormat;
use crate::report;

pub fn run(args: crate::cli::SimulateArgs) -> u8 {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) => return usage_error(&message),
    };
    let options = Options::default();
    let selected = match super::select_machine(&args.definition, args.machine.as_deref()) {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    let machine = selected.machine.clone();
    let doc = selected.document;
    let diagnostics = check::check_document(&doc, &options);
    if diagnostics
        .iter()
        .any(|d| d.severity == check::diagnostic::Severity::Error)
    {
        let path = doc.origin.display();
        let machines = doc.machines.clone();
        let (text, spans) = doc.into_text_and_spans(true);
        let report = report::Report {
            files: vec![report::FileReport {
                path,
                machines,
                diagnostics,
                source: Some(report::SourceText::new(text, spans)),
            }],
        };
        eprint!(
            "{}",
            report::render(&report, report::Format::Human, &diagnostic_options())
        );
        eprintln!("error: the definition does not validate; fix it before simulating");
        return 2;
    }
    let Some(definition) = doc.machine_value(&machine) else {
        return usage_error(&format!("{} holds no state machine", doc.origin.display()));
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = match read_json(path) {
                Ok(config) => config,
                Err(message) => return usage_error(&message),
            };
            // A template's machine picks its own entry of a configuration describing several.
            let described = config
                .pointer("/StateMachines")
                .and_then(|m| m.get(&machine.name))
                .is_some();
            let entry = args
                .state_machine
                .as_deref()
                .or(described.then_some(machine.name.as_str()));
            match crate::simulate::MockCase::from_config(&config, entry, case) {
                Ok(mocks) => Some(mocks),
                Err(e) => return usage_error(&e.to_string()),
            }
        }
        _ => None,
    };
    let start_millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let sim_options = crate::simulate::Options {
        machine_name: args.state_machine.clone().unwrap_or_else(|| machine.name.clone()),
        mocks,
        s3_root: args.s3_root.clone(),
        start_millis,
        execution_name: None,
    };
    let execution = match crate::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => return usage_error(&e.to_string()),
    };
    match args.format {
        ListFormat::Json => print(&format!("{}\n", report::simulation::to_json(&execution))),
        ListFormat::Human => print(&report::simulation::to_human(&execution)),
    }
    match execution.status {
        crate::simulate::Status::Succeeded => 0,
        _ => 1,
    }
}
