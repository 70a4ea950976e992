//! The command-line edge: arguments ([`args`]), one file per subcommand, and [`run`], which
//! dispatches to them.
//!
//! Every subcommand takes its parsed arguments, the facts about the terminal it needs
//! ([`Terminal`]) and the writers for standard output and standard error, does the work through
//! the library, writes, and returns an [`ExitStatus`]. Nothing here prints to the process's
//! own streams, so each command runs in-process in tests exactly as the binary runs it.

pub mod args;
pub mod completions;
pub mod diagram;
pub mod eval;
pub mod lint;
pub mod rules;
pub mod simulate;
pub mod test;
pub mod validate;

use std::io::{IsTerminal, Write};

pub use args::*;

use crate::report::human;

/// How a run ended; the process exit code is its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: no findings, the run succeeded, the file is current.
    Success,
    /// 1: findings (validation errors, a failed execution, an evaluation error, a stale diagram).
    Findings,
    /// 2: a usage error, an unreadable or unparsable input, or an internal error.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// What the commands need to know about where their output goes: decided once, by the binary
/// from the process's environment, or fixed by a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal (colour in `--color auto`).
    pub stdout_is_terminal: bool,
    /// Standard error is a terminal (colour in diagnostics written there).
    pub stderr_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// Width to wrap human output at (`COLUMNS`, at least 40; 100 otherwise).
    pub width: usize,
}

impl Terminal {
    /// The facts of this process.
    pub fn from_process() -> Self {
        Terminal {
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            width: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .filter(|&w| w >= 40)
                .unwrap_or(100),
        }
    }

    /// Plain output at the default width: what tests and pipes see.
    pub fn plain() -> Self {
        Terminal {
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            no_color: true,
            width: 100,
        }
    }

    fn use_color(&self, choice: Color) -> bool {
        match choice {
            Color::Never => false,
            Color::Always => !self.no_color,
            Color::Auto => !self.no_color && self.stdout_is_terminal,
        }
    }

    /// Options for diagnostics written to standard error.
    fn diagnostic_options(&self) -> human::Options {
        human::Options {
            color: self.use_color(Color::Auto) && self.stderr_is_terminal,
            width: self.width,
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    match cli.command {
        Command::Validate(args) => validate::run(args, terminal, stdout, stderr),
        Command::Lint(args) => lint::run(args, terminal, stdout, stderr),
        Command::Diagram(args) => diagram::run(args, terminal, stdout, stderr),
        Command::Eval(args) => eval::run(args, stdout, stderr),
        Command::Simulate(args) => simulate::run(args, terminal, stdout, stderr),
        Command::Test(args) => test::run(args, terminal, stdout, stderr),
        Command::Rules(args) => rules::run(args, stdout),
        Command::Explain { code } => rules::explain(&code, stdout, stderr),
        Command::Completions { shell } => completions::run(shell, stdout),
    }
}

/// Reads a JSON file, or standard input for `-`.
fn read_json(path: &std::path::Path) -> Result<serde_json::Value, String> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Loads the machine a `DEF` argument (`FILE`, `FILE#NAME`, `-`) and `--machine` name. On
/// failure the reason is written to `stderr` (a load failure as `validate` reports it) and the
/// exit status returned.
fn select_machine(
    definition: &std::path::Path,
    machine: Option<&str>,
    terminal: &Terminal,
    stderr: &mut dyn Write,
) -> Result<crate::source::select::Selected, ExitStatus> {
    use crate::report::{self, FileReport, Report};
    use crate::source::select::{self, MachineSpec, SelectError};
    let spec = if definition.as_os_str() == "-" {
        MachineSpec {
            path: definition.to_path_buf(),
            name: None,
        }
    } else {
        MachineSpec::parse(definition)
    };
    let spec = spec.with_name(machine).map_err(|m| usage_error(stderr, &m))?;
    let loaded = if spec.path.as_os_str() == "-" {
        crate::inputs::Input {
            origin: crate::source::Origin::Stdin,
            explicit: true,
        }
        .load()
    } else {
        crate::source::load_path(&spec.path)
    };
    match select::select(loaded, spec.name.as_deref()) {
        Ok(selected) => Ok(selected),
        Err(SelectError::Load(failure)) => {
            // The same report `validate` prints, so the user sees where the file is broken.
            let report = Report {
                files: vec![FileReport::failed(failure.origin.display(), failure)],
            };
            write(
                stderr,
                &report::render(&report, report::Format::Human, &terminal.diagnostic_options()),
            );
            Err(ExitStatus::Error)
        }
        Err(e) => Err(usage_error(stderr, &e.to_string())),
    }
}

fn usage_error(stderr: &mut dyn Write, message: &str) -> ExitStatus {
    write(stderr, &format!("error: {message}\n"));
    ExitStatus::Error
}

/// Writes and flushes, ignoring a closed pipe (`aslkit … | head`).
fn write(out: &mut dyn Write, text: &str) {
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
