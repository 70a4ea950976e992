//! `aslkit simulate`: run a machine against mocked task results (see `crate::simulate`).

use super::{diagnostic_options, print, read_json, usage_error};
use crate::check::{self, Options};
use crate::cli::SimulateFormat;
use crate::report;

pub fn run(args: crate::cli::SimulateArgs) -> u8 {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) => return usage_error(&message),
    };
    let options = Options::default();
    let doc = match crate::source::load_path(&args.definition) {
        crate::source::Loaded::Document(doc) => *doc,
        crate::source::Loaded::Failed(failure) => {
            let report = report::Report {
                files: vec![report::FileReport {
                    path: args.definition.display().to_string(),
                    machines: Vec::new(),
                    diagnostics: failure.diagnostics,
                    source: failure.text.map(|t| report::SourceText::new(t, None)),
                }],
            };
            eprint!(
                "{}",
                report::render(&report, report::Format::Human, &diagnostic_options())
            );
            return 2;
        }
    };
    let diagnostics = check::check_document(&doc, &options);
    if diagnostics
        .iter()
        .any(|d| d.severity == check::diagnostic::Severity::Error)
    {
        let path = args.definition.display().to_string();
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
    let Some(machine) = doc.machines.first() else {
        return usage_error(&format!("{} holds no state machine", args.definition.display()));
    };
    let Some(definition) = doc.machine_value(machine) else {
        return usage_error(&format!("{} holds no state machine", args.definition.display()));
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = match read_json(path) {
                Ok(config) => config,
                Err(message) => return usage_error(&message),
            };
            match crate::simulate::MockCase::from_config(&config, args.state_machine.as_deref(), case) {
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
        machine_type: machine
            .template
            .as_ref()
            .and_then(|t| t.machine_type)
            .unwrap_or(args.machine_type),
        seed: 0,
    };
    let execution = match crate::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => return usage_error(&e.to_string()),
    };
    match args.format {
        SimulateFormat::Json => print(&format!("{}\n", report::simulation::to_json(&execution))),
        SimulateFormat::Human => print(&report::simulation::to_human(&execution)),
        SimulateFormat::History => print(&format!("{}\n", report::simulation::history_json(&execution))),
    }
    match execution.status {
        crate::simulate::Status::Succeeded => 0,
        _ => 1,
    }
}
