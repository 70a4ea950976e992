//! `aslkit simulate`: run a machine against mocked task results (see `crate::simulate`).

use std::io::Write;

use super::{read_json, usage_error, write, ExitStatus, ListFormat, SimulateArgs, Terminal};
use crate::check::{self, Options};
use crate::diagnostic::Severity;
use crate::report::{self, FileReport, Report};
use crate::source::Loaded;

pub fn run(args: SimulateArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) => return usage_error(stderr, &message),
    };
    let path = args.definition.display().to_string();
    let doc = match crate::source::load_path(&args.definition) {
        Loaded::Document(doc) => *doc,
        Loaded::Failed(failure) => {
            let report = Report {
                files: vec![FileReport::failed(path, failure)],
            };
            write(
                stderr,
                &report::render(&report, report::Format::Human, &terminal.diagnostic_options()),
            );
            return ExitStatus::Error;
        }
    };
    let diagnostics = check::check_document(&doc, &Options::default());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        let report = Report {
            files: vec![FileReport::checked(path, doc, diagnostics)],
        };
        write(
            stderr,
            &report::render(&report, report::Format::Human, &terminal.diagnostic_options()),
        );
        write(
            stderr,
            "error: the definition does not validate; fix it before simulating\n",
        );
        return ExitStatus::Error;
    }
    let Some((machine, definition)) = doc.machines.first().and_then(|m| doc.machine_value(m).map(|v| (m, v))) else {
        return usage_error(stderr, &format!("{path} holds no state machine"));
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(config), Some(case)) => {
            let config = match read_json(config) {
                Ok(config) => config,
                Err(message) => return usage_error(stderr, &message),
            };
            match crate::simulate::MockCase::from_config(&config, args.state_machine.as_deref(), case) {
                Ok(mocks) => Some(mocks),
                Err(e) => return usage_error(stderr, &e.to_string()),
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
    };
    let execution = match crate::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => return usage_error(stderr, &e.to_string()),
    };
    match args.format {
        ListFormat::Json => write(stdout, &format!("{}\n", report::simulation::to_json(&execution))),
        ListFormat::Human => write(stdout, &report::simulation::to_human(&execution)),
    }
    match execution.status {
        crate::simulate::Status::Succeeded => ExitStatus::Success,
        _ => ExitStatus::Findings,
    }
}
