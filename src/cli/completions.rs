//! `aslkit completions`: a shell completion script, generated from the clap types.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, ExitStatus};

pub fn run(shell: clap_complete::Shell, stdout: &mut dyn Write) -> ExitStatus {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "aslkit", stdout);
    let _ = stdout.flush();
    ExitStatus::Success
}
