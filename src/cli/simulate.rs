//! `aslkit simulate`: run a machine against mocked task results (see `crate::simulate`).

use std::io::Write;

use super::{
    read_json, read_json_limited, select_machine, usage_error, write, ExitStatus, SimulateArgs, SimulateFormat,
    Terminal,
};
use crate::check::{self, Options};
use crate::diagnostic::Severity;
use crate::report::{self, FileReport, Report};

/// Runs `simulate`. With `--format json` or `history`, a run that cannot reach an AWS outcome
/// (exit 2) also prints `{"error": {"code", "message"}}` on standard output, as `eval` does,
/// so a script reading the JSON never meets an empty document.
pub fn run(args: SimulateArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    if args.format == SimulateFormat::Human {
        return execute(args, terminal, stdout, stderr).unwrap_or(ExitStatus::Error);
    }
    let mut said = Vec::new();
    let outcome = execute(args, terminal, stdout, &mut said);
    let _ = stderr.write_all(&said);
    match outcome {
        Ok(status) => status,
        Err(code) => {
            write(stdout, &super::json_error(code, &String::from_utf8_lossy(&said)));
            ExitStatus::Error
        }
    }
}

/// The run; `Err(code)` after the reason was written to `stderr` (exit 2), with the code the
/// JSON error object carries.
fn execute(
    args: SimulateArgs,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, &'static str> {
    let input = args
        .input
        .as_deref()
        .map(|path| read_json_limited(path, super::MAX_EXECUTION_INPUT_BYTES))
        .transpose();
    let input = match input {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) if message.contains("is larger than") => {
            let message = format!("{message}, the most AWS accepts as an execution input (States.DataLimitExceeded)");
            usage_error(stderr, &message);
            return Err(codes::INPUT);
        }
        Err(message) => {
            usage_error(stderr, &message);
            return Err(codes::INPUT);
        }
    };
    let selected =
        select_machine(&args.definition, args.machine.as_deref(), terminal, stderr).map_err(|_| codes::DEFINITION)?;
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
        return Err(codes::INVALID);
    }
    let Some(definition) = doc.machine_value(&machine) else {
        usage_error(stderr, &format!("{} holds no state machine", doc.origin.display()));
        return Err(codes::DEFINITION);
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = match read_json(path) {
                Ok(config) => config,
                Err(message) => {
                    usage_error(stderr, &message);
                    return Err(codes::MOCK_CONFIG);
                }
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
                Err(e) => {
                    usage_error(stderr, &e.to_string());
                    return Err(codes::MOCK_CONFIG);
                }
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
        // Each view prints a part of the run: keep only that part.
        record: crate::simulate::Record {
            payloads: match args.format {
                SimulateFormat::Json => crate::simulate::Payloads::Json,
                SimulateFormat::Human => crate::simulate::Payloads::Values,
                SimulateFormat::History => crate::simulate::Payloads::Omitted,
            },
            history_details: args.format == SimulateFormat::History,
        },
    };
    let execution = match crate::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => {
            usage_error(stderr, &e.to_string());
            return Err(codes::of(&e));
        }
    };
    let stats = if args.stats {
        let prices = match args.prices.as_deref().map(read_json).transpose() {
            Ok(None) => crate::simulate::stats::Prices::default(),
            Ok(Some(table)) => match crate::simulate::stats::Prices::with_overrides(&table) {
                Ok(prices) => prices,
                Err(message) => {
                    usage_error(stderr, &message);
                    return Err(codes::INPUT);
                }
            },
            Err(message) => {
                usage_error(stderr, &message);
                return Err(codes::INPUT);
            }
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
            let stats = stats.as_ref().map(crate::simulate::stats::to_json);
            let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, stdout);
            // A failed write is recorded by the writer the command was given.
            let _ = report::simulation::write_json(&execution, stats.as_ref(), &mut out);
            let _ = out.write_all(b"\n");
            let _ = out.flush();
        }
        SimulateFormat::Human => {
            let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, &mut *stdout);
            let _ = report::simulation::write_human(&execution, &mut out);
            let _ = out.flush();
            drop(out);
            if let Some(stats) = &stats {
                write(stdout, &format!("\n{}", crate::simulate::stats::to_human(stats)));
            }
        }
        SimulateFormat::History => {
            let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, stdout);
            let _ = report::simulation::write_history(&execution, &mut out);
            let _ = out.write_all(b"\n");
            let _ = out.flush();
        }
    }
    Ok(match execution.status {
        crate::simulate::Status::Succeeded => ExitStatus::Success,
        _ => ExitStatus::Findings,
    })
}

/// The JSON views are written as they serialise, through a buffer of this size.
const OUTPUT_BUFFER_BYTES: usize = 64 * 1024;

/// The codes of the JSON error object (exit 2): what kept the run from an AWS outcome.
mod codes {
    use crate::simulate::SimulateError;

    /// `--input` or `--prices` unreadable, not JSON, or too large.
    pub const INPUT: &str = "aslkit.Input";
    /// The definition could not be loaded or selected.
    pub const DEFINITION: &str = "aslkit.Definition";
    /// The definition does not validate.
    pub const INVALID: &str = "aslkit.InvalidDefinition";
    /// `--mock-config` unreadable or malformed.
    pub const MOCK_CONFIG: &str = "aslkit.MockConfig";

    pub fn of(e: &SimulateError) -> &'static str {
        match e {
            SimulateError::Unmocked { .. } => "aslkit.Unmocked",
            SimulateError::MockConfig(_) => MOCK_CONFIG,
            SimulateError::Runaway(_) => "aslkit.Runaway",
            SimulateError::MissingData(_) => "aslkit.MissingData",
            SimulateError::Limit(_) => "aslkit.Limit",
        }
    }
}
