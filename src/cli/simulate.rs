//! `aslkit simulate`: run a machine against mocked task results (see `crate::simulate`).

use std::io::Write;

use super::{
    read_json, read_json_limited, select_machine, usage_error, write, ExitStatus, SimulateArgs, SimulateFormat,
    Terminal,
};
use crate::check::{self, Options};
use crate::diagnostic::Severity;
use crate::report::{self, FileReport, Report};

pub fn run(args: SimulateArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let input = args
        .input
        .as_deref()
        .map(|path| read_json_limited(path, super::MAX_EXECUTION_INPUT_BYTES))
        .transpose();
    let input = match input {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) if message.contains("is larger than") => {
            let message = format!("{message}, the most AWS accepts as an execution input (States.DataLimitExceeded)");
            return usage_error(stderr, &message);
        }
        Err(message) => return usage_error(stderr, &message),
    };
    let selected = match select_machine(&args.definition, args.machine.as_deref(), terminal, stderr) {
        Ok(selected) => selected,
        Err(status) => return status,
    };
    let machine = selected.machine.clone();
    let doc = selected.document;
    let diagnostics = check::check_document(&doc, &Options::default());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        let report = Report {
            files: vec![FileReport::checked(doc.origin.display(), doc, diagnostics)],
        };
        write(
            stderr,
            &report::render(
                &report,
                report::Format::Human,
                &report::Options::human(terminal.diagnostic_options()),
            ),
        );
        write(
            stderr,
            "error: the definition does not validate; fix it before simulating\n",
        );
        return ExitStatus::Error;
    }
    let Some(definition) = doc.machine_value(&machine) else {
        return usage_error(stderr, &format!("{} holds no state machine", doc.origin.display()));
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = match read_json(path) {
                Ok(config) => config,
                Err(message) => return usage_error(stderr, &message),
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
        machine_type: machine
            .template
            .as_ref()
            .and_then(|t| t.machine_type)
            .unwrap_or(args.machine_type.into()),
        seed: 0,
        execution_name: None,
        record_variables: false,
    };
    let execution = match crate::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => return usage_error(stderr, &e.to_string()),
    };
    let stats = if args.stats {
        let prices = match args.prices.as_deref().map(read_json).transpose() {
            Ok(None) => crate::simulate::stats::Prices::default(),
            Ok(Some(table)) => match crate::simulate::stats::Prices::with_overrides(&table) {
                Ok(prices) => prices,
                Err(message) => return usage_error(stderr, &message),
            },
            Err(message) => return usage_error(stderr, &message),
        };
        let options = crate::simulate::stats::CostOptions {
            machine_type: sim_options.machine_type,
            memory_mb: args.memory_mb,
            prices,
        };
        Some(crate::simulate::stats::stats(&execution, &options))
    } else {
        None
    };
    match args.format {
        SimulateFormat::Json => {
            let mut json = report::simulation::to_json(&execution);
            if let (Some(stats), Some(object)) = (&stats, json.as_object_mut()) {
                object.insert("stats".into(), crate::simulate::stats::to_json(stats));
            }
            write(stdout, &format!("{json}\n"))
        }
        SimulateFormat::Human => {
            write(stdout, &report::simulation::to_human(&execution));
            if let Some(stats) = &stats {
                write(stdout, &format!("\n{}", crate::simulate::stats::to_human(stats)));
            }
        }
        SimulateFormat::History => write(stdout, &format!("{}\n", report::simulation::history_json(&execution))),
    }
    match execution.status {
        crate::simulate::Status::Succeeded => ExitStatus::Success,
        _ => ExitStatus::Findings,
    }
}
