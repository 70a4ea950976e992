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
    // The whole run, argument parsing included, on one thread with the stack JSONata
    // evaluation needs, so that evaluations run on it instead of each starting a thread of
    // their own. Only the pages touched are committed. Parsing the arguments there too means
    // the allocator sets up one thread's heap, not two (a page fault for each size class a heap
    // first uses: 432 → 405 page faults validating a small file).
    let runner = std::thread::Builder::new()
        .stack_size(aslkit::expr::jsonata::STACK_BYTES)
        .spawn(|| {
            aslkit::declare_stack(aslkit::expr::jsonata::STACK_BYTES);
            let status = run(Cli::parse());
            // Exit from here, the reports written and flushed: returning would first tear down
            // this thread's allocator heap (returning its memory to the system page by page,
            // ~20 madvise calls for a small file) only for the process to end anyway.
            exit_now(i32::from(status.code()))
        });
    match runner {
        // The thread ends the process itself: `join` returns only if it panicked (the panic
        // was already reported on standard error); keep Rust's exit code for it.
        Ok(handle) => {
            let _ = handle.join();
            ExitCode::from(101)
        }
        // No thread could be started (resource limits): run here, each evaluation on its own.
        Err(_) => run(Cli::parse()).into(),
    }
}

/// Ends the process once `run` has written and flushed its reports. On Unix without the C
/// library's exit handlers: mimalloc's handler collects every heap and hands its memory back to
/// the system (15 madvise calls, ≈ 60 MB of ranges, after 500 files) only for the process to end.
/// Nothing is left to write: `run` flushed standard output and standard error is unbuffered.
fn exit_now(code: i32) -> ! {
    #[cfg(unix)]
    {
        let _ = std::io::stdout().flush();
        // SAFETY: `_exit` takes no pointers and ends the process; the reports were flushed
        // above and no other thread holds work that must finish (a background drop of a parsed
        // tree is memory the system takes back anyway).
        unsafe { libc::_exit(code) }
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

fn run(cli: Cli) -> cli::ExitStatus {
    let terminal = Terminal::from_process();
    let mut stdout = cli::CheckedWriter::new(std::io::stdout().lock());
    let mut stderr = std::io::stderr().lock();
    let status = cli::run(cli, &terminal, &mut stdout, &mut stderr);
    // A report that could not be written (closed pipe, full disk) is a failure, not a success.
    if let Some(e) = stdout.finish() {
        let _ = writeln!(stderr, "error: cannot write to standard output: {e}");
        return cli::ExitStatus::Error;
    }
    status
}
