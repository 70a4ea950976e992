//! `aslkit completions`: a shell completion script, generated from the clap types.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, ExitStatus};

pub fn run(shell: clap_complete::Shell, stdout: &mut dyn Write) -> ExitStatus {
    let mut cmd = Cli::command();
    // clap_complete panics when its writer fails: generate into memory, then write.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "aslkit", &mut script);
    let _ = stdout.write_all(&script).and_then(|()| stdout.flush());
    ExitStatus::Success
}
