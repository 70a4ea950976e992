//! `aslkit rules` and `aslkit explain`: the rule registry, listed and documented.

use std::io::Write;

use super::{write, ExitStatus, ListFormat, RulesArgs};
use crate::check;

pub fn run(args: RulesArgs, stdout: &mut dyn Write) -> ExitStatus {
    match args.format {
        ListFormat::Human => {
            let mut text = String::new();
            for r in check::RULES {
                text.push_str(&format!(
                    "{}  {:<32} {:<8} {:<9}{:<4} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.group.as_str(),
                    if r.fixable { "fix" } else { "" },
                    r.summary
                ));
            }
            write(stdout, &text);
        }
        ListFormat::Json => write(stdout, &crate::report::rules::to_json(check::RULES)),
    }
    ExitStatus::Success
}

pub fn explain(code: &str, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    match check::registry::find(code) {
        Some(r) => {
            write(
                stdout,
                &format!("# {} {}\n\n{}\n\n{}\n", r.code, r.name, r.summary, r.docs_text()),
            );
            ExitStatus::Success
        }
        None => {
            write(
                stderr,
                &format!("error: no rule has the code or name `{code}`; `aslkit rules` lists them\n"),
            );
            ExitStatus::Error
        }
    }
}
