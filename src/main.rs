//! The `aslkit` binary: parse the arguments and hand them to `aslkit::cli`, which does the work,
//! writes to the streams it is given and returns the exit status (0 clean, 1 findings, 2 usage,
//! input or internal error).

use std::process::ExitCode;

use clap::Parser;

use aslkit::cli::{self, Cli, Terminal};

/// mimalloc instead of the system allocator: validating builds and frees a tree of small
/// strings, maps and vectors per file, and glibc's malloc/free were a third of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let terminal = Terminal::from_process();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    cli::run(cli, &terminal, &mut stdout, &mut stderr).into()
}
