//! The `aslkit` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 findings, 2 usage or input error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use aslkit::check::{self, Options};
use aslkit::cli::{Cli, Color, Command, ListFormat, RulesArgs, ValidateArgs};
use aslkit::report::{self, human};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate(args) => validate(args),
        Command::Rules(args) => rules(args),
        Command::Explain { code } => explain(&code),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "aslkit", &mut std::io::stdout());
            0
        }
    };
    ExitCode::from(code)
}

fn validate(args: ValidateArgs) -> u8 {
    let options = Options {
        machine_type: args.machine_type,
    };
    let inputs = aslkit::inputs::expand(&args.paths);
    let report = aslkit::validate(&inputs, &options);
    let human_options = human::Options {
        color: use_color(args.color),
        width: terminal_width(),
    };
    let text = report::render(&report, args.format, &human_options);
    print(&text);
    if report.has_load_failure() {
        2
    } else if report.count(check::diagnostic::Severity::Error) > 0 {
        1
    } else {
        0
    }
}

fn rules(args: RulesArgs) -> u8 {
    match args.format {
        ListFormat::Human => {
            let mut text = String::new();
            for r in check::RULES {
                text.push_str(&format!(
                    "{}  {:<32} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
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

fn explain(code: &str) -> u8 {
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

fn use_color(choice: Color) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        Color::Never => false,
        Color::Always => !no_color,
        Color::Auto => !no_color && std::io::stdout().is_terminal(),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

/// Writes to stdout, ignoring a closed pipe (`aslkit … | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
