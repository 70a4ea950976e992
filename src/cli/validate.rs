//! `aslkit validate`: check files, write the report, map findings to an exit status.

use std::io::Write;

use super::{write, ExitStatus, Terminal, ValidateArgs};
use crate::check::Options;
use crate::diagnostic::Severity;
use crate::report::{self, human};

pub fn run(args: ValidateArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let options = Options {
        machine_type: args.machine_type.into(),
        ..Options::default()
    };
    let inputs = crate::inputs::expand(&args.paths);
    let report = crate::validate(&inputs, &options);
    let options = report::Options {
        human: human::Options {
            color: terminal.use_color(args.color),
            width: terminal.width,
        },
        command: "validate",
        fail_on: Severity::Error,
        sarif_root: args.sarif_root.clone(),
    };
    write(stdout, &report::render(&report, args.format.into(), &options));
    if report.files.is_empty() {
        write(
            stderr,
            "warning: no state machine definitions found (searched .json, .yaml, .yml and .tf files)\n",
        );
    }
    if report.has_load_failure() {
        ExitStatus::Error
    } else if report.count(Severity::Error) > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}
