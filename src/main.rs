//! The `aslkit` binary: parse the arguments and hand them to `aslkit::cli`, which does the work,
//! writes to the streams it is given and returns the exit status (0 clean, 1 findings, 2 usage,
//! input or internal error).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use aslkit::cli::{self, Cli, Terminal};

/// mimalloc instead of the system allocator: validating builds and frees a tree of small
/// strings, maps and vectors per file, and glibc's malloc/free were a third of the time.
/// Built without transparent huge pages (see `Cargo.toml`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The whole run on one thread with the stack JSONata evaluation needs, so that
    // evaluations run on it instead of each starting a thread of its own. Only the pages
    // touched are committed.
    let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(cli)));
    let taken = std::sync::Arc::clone(&slot);
    let take = move || taken.lock().ok().and_then(|mut c| c.take());
    let runner = std::thread::Builder::new()
        .stack_size(aslkit::expr::jsonata::STACK_BYTES)
        .spawn(move || {
            aslkit::declare_stack(aslkit::expr::jsonata::STACK_BYTES);
            take().map_or(ExitCode::from(cli::ExitStatus::Error.code()), run)
        });
    match runner {
        // A panic was already reported on standard error; keep Rust's exit code for it.
        Ok(handle) => handle.join().unwrap_or(ExitCode::from(101)),
        // No thread could be started (resource limits): run here, each evaluation on its own.
        Err(_) => match slot.lock().ok().and_then(|mut c| c.take()) {
            Some(cli) => run(cli),
            None => ExitCode::from(cli::ExitStatus::Error.code()),
        },
    }
}

fn run(cli: Cli) -> ExitCode {
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
