//! The `aslkit` binary: parse the arguments and dispatch to `aslkit::commands`, which does the
//! work and returns the exit code (0 clean, 1 findings, 2 usage or input error).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use aslkit::cli::{Cli, Command};
use aslkit::commands;

/// mimalloc instead of the system allocator: validating builds and frees a tree of small
/// strings, maps and vectors per file, and glibc's malloc/free were a third of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Diagram(args) => commands::diagram::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Explain { code } => commands::rules::explain(&code),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "aslkit", &mut std::io::stdout());
            0
        }
    };
    ExitCode::from(code)
}
