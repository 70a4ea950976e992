//! `aslkit rules` and `aslkit explain`: the rule registry, listed and documented.

use super::print;
use crate::check;
use crate::cli::{ListFormat, RulesArgs};

pub fn run(args: RulesArgs) -> u8 {
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
            print(&text);
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
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            ));
        }
    }
    0
}

pub fn explain(code: &str) -> u8 {
    match check::registry::find(code) {
        Some(r) => {
            print(&format!(
                "# {} {}\n\n{}\n\n{}\n",
                r.code,
                r.name,
                r.summary,
                r.docs_text()
            ));
            0
        }
        None => {
            eprintln!("error: no rule has the code or name `{code}`; `aslkit rules` lists them");
            2
        }
    }
}
