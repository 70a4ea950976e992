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
        ListFormat::Json => {
            let rows: Vec<_> = check::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "summary": r.summary,
                        "severity": r.severity.as_str(), "aws_code": r.aws_code,
                        "reported_by": r.emitted_by,
                        "group": r.group.as_str(), "fixable": r.fixable,
                    })
                })
                .collect();
            write(
                stdout,
                &format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default()),
            );
        }
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
