//! Memory of long simulations (issue 11): a run keeps only what its output format prints
//! (`simulate::Record`), shares each payload between the states and events that show it, and
//! keeps it as JSON text when only its text is printed. So the memory a run grows by per state
//! transition is a few hundred bytes plus what the output prints of it; it was over 6 KB (a
//! string of every payload for the history, copies of every input and output for the trace,
//! whatever the format).
//!
//! Each case runs the binary on a counter loop twice, short and long, and reads the child's
//! peak memory from `wait4`; the growth per transition is the difference over the extra
//! transitions, which leaves out what any run costs (the process, the schema).
#![cfg(unix)]
// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
// The child is reaped with wait4 (for its rusage), which clippy cannot see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::zombie_processes)]

use std::path::Path;
use std::process::{Command, Stdio};

/// A Pass/Choice counter loop: `2 * iterations + 3` state transitions.
fn counter_loop(iterations: u64) -> String {
    serde_json::json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0}, "ResultPath": "$.counter", "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$.counter.i", "NumericLessThan": iterations, "Next": "Increment"}
            ], "Default": "Done"},
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.counter.i, 1)"},
                "ResultPath": "$.counter", "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    })
    .to_string()
}

/// Runs `aslkit simulate` on a loop of `iterations` (Express: no history limit) in `format`;
/// returns the peak resident memory in bytes and the bytes written to standard output.
fn peak(dir: &Path, iterations: u64, format: &str) -> (u64, u64) {
    let definition = dir.join(format!("loop-{iterations}.asl.json"));
    std::fs::write(&definition, counter_loop(iterations)).unwrap();
    let out_path = dir.join(format!("out-{iterations}-{format}"));
    let out = std::fs::File::create(&out_path).unwrap();
    let child = Command::new(assert_cmd::cargo::cargo_bin("aslkit"))
        .args([
            "simulate",
            definition.to_str().unwrap(),
            "--type",
            "express",
            "--format",
            format,
        ])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain syscall on our own child; `rusage` is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    assert!(libc::WIFEXITED(status), "{format} {iterations}: killed");
    assert_eq!(libc::WEXITSTATUS(status), 0, "{format} {iterations}: the loop succeeds");
    let written = std::fs::metadata(&out_path).unwrap().len();
    (usage.ru_maxrss as u64 * 1024, written)
}

#[test]
fn a_long_loop_grows_memory_by_little_more_than_its_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    const SHORT: u64 = 500;
    const LONG: u64 = 15_000;
    let extra_transitions = 2 * (LONG - SHORT);
    // Bytes per transition beyond what the output prints of it: about 600 today (the state's
    // record, two events, the payload's text), over 6,000 before issue 11.
    const BOUND: u64 = 1_500;
    for format in ["json", "history", "human"] {
        let (short, _) = peak(dir.path(), SHORT, format);
        let (long, written) = peak(dir.path(), LONG, format);
        let growth = long.saturating_sub(short) / extra_transitions;
        let printed = written / (2 * LONG);
        // The human view keeps the values it describes, so it may grow by what it prints.
        let allowed = if format == "human" { BOUND + printed } else { BOUND };
        assert!(
            growth < allowed,
            "{format}: {growth} bytes per transition ({} MB → {} MB; {printed} bytes printed per transition)",
            short >> 20,
            long >> 20
        );
    }
}
