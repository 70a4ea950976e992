//! `aslkit lint`: validate plus the lint rules, with per-file settings; findings at or above
//! `--fail-on` make the exit status "findings".

use std::io::Write;

use super::{usage_error, write, ExitStatus, FailOn, LintArgs, Terminal};
use crate::check::{Options, RuleSettings};
use crate::diagnostic::Severity;
use crate::report::{self, human};

pub fn run(args: LintArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let mut settings = RuleSettings::lint();
    if let Some(select) = &args.select {
        settings.select = Some(select.clone());
    }
    settings.ignore.extend(args.ignore.iter().cloned());
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        if !crate::check::settings::is_known_selector(selector) {
            return usage_error(
                stderr,
                &format!(
                    "no rule matches `{selector}` (a code like ASL302, a prefix like ASL3, a rule name, or ALL); `aslkit rules` lists them"
                ),
            );
        }
    }
    let options = Options {
        machine_type: args.check.machine_type.into(),
        rules: settings,
    };
    let inputs = crate::inputs::expand(&args.check.paths);
    let report = crate::validate_with(&inputs, &|_| options.clone());
    let human_options = human::Options {
        color: terminal.use_color(args.check.color),
        width: terminal.width,
    };
    write(
        stdout,
        &report::render(&report, args.check.format.into(), &human_options),
    );
    if report.files.is_empty() {
        write(
            stderr,
            "warning: no state machine definitions found (searched .json, .yaml and .yml files)\n",
        );
    }
    exit_status(&report, args.fail_on, args.exit_zero)
}

fn exit_status(report: &report::Report, fail_on: FailOn, exit_zero: bool) -> ExitStatus {
    if report.has_load_failure() {
        return ExitStatus::Error;
    }
    let failing = match fail_on {
        FailOn::Error => report.count(Severity::Error),
        FailOn::Warning => report.count(Severity::Error) + report.count(Severity::Warning),
    };
    if failing > 0 && !exit_zero {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}
