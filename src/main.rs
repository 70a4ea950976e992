//! The `aslkit` binary: parse the arguments and hand them to `aslkit::cli`, which does the work,
//! writes to the streams it is given and returns the exit status (0 clean, 1 findings, 2 usage,
//! input or internal error).

use std::io::Write;
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
    let mut stdout = cli::CheckedWriter::new(std::io::stdout().lock());
    let mut stderr = std::io::stderr().lock();
    let status = cli::run(cli, &terminal, &mut stdout, &mut stderr);
    // A report that could not be written (closed pipe, full disk) is a failure, not a success.
    if let Some(e) = stdout.finish() {
        let _ = writeln!(stderr, "error: cannot write to standard output: {e}");
        return cli::ExitStatus::Error.into();
    }
    status.into()
}
