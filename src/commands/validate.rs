//! `aslkit validate`: check files, print the report, map findings to an exit code.

use super::{print, terminal_width, use_color};
use crate::check::{self, Options};
use crate::cli::ValidateArgs;
use crate::report::{self, human};

pub fn run(args: ValidateArgs) -> u8 {
    let options = Options {
        machine_type: args.machine_type,
        ..Options::default()
    };
    let inputs = crate::inputs::expand(&args.paths);
    let report = crate::validate(&inputs, &options);
    let human_options = human::Options {
        color: use_color(args.color),
        width: terminal_width(),
    };
    let text = report::render(&report, args.format, &human_options);
    print(&text);
    if report.files.is_empty() {
        eprintln!("warning: no state machine definitions found (searched .json, .yaml and .yml files)");
    }
    if report.has_load_failure() {
        2
    } else if report.count(check::diagnostic::Severity::Error) > 0 {
        1
    } else {
        0
    }
}
