//! `aslkit lint`: validate plus the lint rules, with per-file settings; findings at or above
//! `--fail-on` make the exit code 1.

use super::{print, terminal_width, use_color};
use crate::check::diagnostic::Severity;
use crate::check::{Options, RuleSettings};
use crate::cli::{FailOn, LintArgs};
use crate::report::{self, human};

pub fn run(args: LintArgs) -> u8 {
    let mut settings = RuleSettings::lint();
    if let Some(select) = &args.select {
        settings.select = Some(select.clone());
    }
    settings.ignore.extend(args.ignore.iter().cloned());
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        if !crate::check::settings::is_known_selector(selector) {
            return super::usage_error(&format!(
                "no rule matches `{selector}` (a code like ASL302, a prefix like ASL3, a rule name, or ALL); `aslkit rules` lists them"
            ));
        }
    }
    let options = Options {
        machine_type: args.check.machine_type,
        rules: settings,
    };
    let inputs = crate::inputs::expand(&args.check.paths);
    let report = crate::validate_with(&inputs, &|_| options.clone());
    let human_options = human::Options {
        color: use_color(args.check.color),
        width: terminal_width(),
    };
    print(&report::render(&report, args.check.format, &human_options));
    if report.files.is_empty() {
        eprintln!("warning: no state machine definitions found (searched .json, .yaml and .yml files)");
    }
    exit_code(&report, args.fail_on, args.exit_zero)
}

fn exit_code(report: &report::Report, fail_on: FailOn, exit_zero: bool) -> u8 {
    if report.has_load_failure() {
        return 2;
    }
    let failing = match fail_on {
        FailOn::Error => report.count(Severity::Error),
        FailOn::Warning => report.count(Severity::Error) + report.count(Severity::Warning),
    };
    u8::from(failing > 0 && !exit_zero)
}
