//! Hostile inputs (issue 12): CI runs aslkit on files that strangers control, so every run must
//! end in bounded time and memory with exit 0, 1 or 2, read nothing outside its roots, and
//! write nothing a terminal or a Markdown renderer would execute.
//!
//! Each test runs the binary under `setrlimit` limits (CPU seconds and address space, set in a
//! `pre_exec` hook) and reads the child's own peak memory from `wait4`, so a regression shows
//! as a failed assertion — a kill by the limit, a panic, or a figure over the bound — and
//! never takes the machine down. The large inputs are generated here.
#![cfg(unix)]
// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
// The child is reaped with wait4 (for its rusage), which clippy cannot see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::zombie_processes)]

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// CPU seconds a run may use before the kernel stops it.
const CPU_SECONDS: u64 = 60;
/// Address space a run may reserve (thread stacks are reserved, not used, so this is far above
/// the resident bound below).
const ADDRESS_SPACE: u64 = 4 << 30;
/// Peak resident memory a run may reach.
const MAX_RSS_BYTES: u64 = 500 << 20;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("aslkit"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let cpu = libc::rlimit {
                rlim_cur: CPU_SECONDS,
                rlim_max: CPU_SECONDS,
            };
            let space = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_CPU, &cpu) != 0 || libc::setrlimit(libc::RLIMIT_AS, &space) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawns");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        out.read_to_end(&mut b).ok();
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        err.read_to_end(&mut b).ok();
        b
    });
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || pipe.write_all(&bytes).ok());
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain syscall on our own child; `rusage` is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    assert!(
        libc::WIFEXITED(status),
        "{args:?} was killed by signal {} (limit reached or abort)\nstderr: {}",
        libc::WTERMSIG(status),
        truncate(&stderr)
    );
    let code = libc::WEXITSTATUS(status);
    let peak_rss = usage.ru_maxrss as u64 * 1024;
    assert!(
        matches!(code, 0..=2),
        "{args:?} exited {code}\nstderr: {}",
        truncate(&stderr)
    );
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {}", truncate(&stderr));
    assert!(peak_rss < MAX_RSS_BYTES, "{args:?} peaked at {} MB", peak_rss >> 20);
    Run { code, stdout, stderr }
}

fn truncate(s: &str) -> String {
    s.chars().take(2000).collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const SECRET: &str = "TOP-SECRET-LINE";

/// A Distributed Map whose ItemReader reads `parameters`.
fn reader_machine(resource: &str, parameters: serde_json::Value) -> String {
    serde_json::json!({
        "StartAt": "M",
        "States": {"M": {
            "Type": "Map",
            "ItemReader": {"Resource": resource, "ReaderConfig": {"InputType": "JSON"}, "Parameters": parameters},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}
            },
            "End": true
        }}
    })
    .to_string()
}

#[test]
fn s3_root_reads_stay_inside_the_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "outside/secret.json", &format!("[\"{SECRET}\"]"));
    write(d, "s3/b/ok.json", "[1, 2]");
    std::os::unix::fs::symlink(d.join("outside/secret.json"), d.join("s3/b/link.json")).expect("symlink");
    let absolute = d.join("outside/secret.json").display().to_string();
    let get = "arn:aws:states:::s3:getObject";
    let cases = [
        (
            "dotdot",
            reader_machine(
                get,
                serde_json::json!({"Bucket": "b", "Key": "../../outside/secret.json"}),
            ),
        ),
        (
            "bucket",
            reader_machine(get, serde_json::json!({"Bucket": "../outside", "Key": "secret.json"})),
        ),
        (
            "absolute",
            reader_machine(get, serde_json::json!({"Bucket": "b", "Key": absolute})),
        ),
        (
            "input",
            reader_machine(get, serde_json::json!({"Bucket": "b", "Key.$": "$.key"})),
        ),
        (
            "symlink",
            reader_machine(get, serde_json::json!({"Bucket": "b", "Key": "link.json"})),
        ),
        (
            "devzero",
            reader_machine(get, serde_json::json!({"Bucket": "b", "Key": "/dev/zero"})),
        ),
        (
            "list",
            reader_machine(
                "arn:aws:states:::s3:listObjectsV2",
                serde_json::json!({"Bucket": "../../outside"}),
            ),
        ),
    ];
    write(d, "input.json", r#"{"key": "../../outside/secret.json"}"#);
    for (name, machine) in cases {
        write(d, &format!("{name}.asl.json"), &machine);
        let run = run_in(
            d,
            &[
                "simulate",
                &format!("{name}.asl.json"),
                "--input",
                "input.json",
                "--s3-root",
                "s3",
                "--format",
                "json",
            ],
            None,
        );
        assert!(!run.all().contains(SECRET), "{name}: {}", run.all());
        assert_eq!(run.code, 1, "{name}: {}", run.all());
        let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(out["error"], "States.ItemReaderFailed", "{name}");
    }
    // Inside the root, reading still works.
    write(
        d,
        "ok.asl.json",
        &reader_machine(get, serde_json::json!({"Bucket": "b", "Key": "ok.json"})),
    );
    let run = run_in(
        d,
        &["simulate", "ok.asl.json", "--s3-root", "s3", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn template_references_stay_inside_the_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "outside/secret.json", &format!("{SECRET}\nsecond line\n"));
    write(d, "repo/.git/HEAD", "ref: refs/heads/main\n");
    write(d, "repo/notes.txt", "password=hunter2\n");
    let template = |uri: &str| {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: {uri}\n"
        )
    };
    write(d, "repo/infra/out.yaml", &template("../../outside/secret.json"));
    write(
        d,
        "repo/infra/abs.yaml",
        &template(&d.join("outside/secret.json").display().to_string()),
    );
    write(d, "repo/infra/notes.yaml", &template("../notes.txt"));
    for name in ["out", "abs"] {
        let run = run_in(&d.join("repo"), &["validate", &format!("infra/{name}.yaml")], None);
        assert_eq!(run.code, 2, "{}", run.all());
        assert!(!run.all().contains(SECRET), "{}", run.all());
        assert!(run.stdout.contains("outside the repository"), "{}", run.stdout);
    }
    // A file of the repository that is not a definition: reported, its lines never shown.
    let run = run_in(&d.join("repo"), &["validate", "infra/notes.yaml"], None);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(!run.all().contains("hunter2"), "{}", run.all());
}

/// `n` Pass states chained on one line, the last one naming a state that does not exist.
fn one_line_machine(n: usize, comment: usize) -> String {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 == n {
            "Nowhere".to_string()
        } else {
            format!("S{}", i + 1)
        };
        states.insert(
            format!("S{i}"),
            serde_json::json!({"Type": "Pass", "Comment": "x".repeat(comment), "Next": next}),
        );
    }
    serde_json::json!({"StartAt": "S0", "States": states}).to_string()
}

#[test]
fn a_finding_far_along_a_long_line_is_shown_in_a_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = one_line_machine(800, 100);
    assert!(text.len() > 100_000 && !text.contains('\n'));
    write(dir.path(), "cdk.asl.json", &text);
    let run = run_in(dir.path(), &["validate", "cdk.asl.json"], None);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("\"Nowhere\""), "{}", run.stdout);
    assert!(run.stdout.contains(":1:"), "{}", run.stdout);
    assert!(run.stdout.len() < 4000, "{} bytes", run.stdout.len());
}

#[test]
fn thousands_of_findings_are_summarised_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let states: serde_json::Map<String, serde_json::Value> = (0..5000)
        .map(|i| (format!("S{i}"), serde_json::json!({"Type": "Pass", "Next": "Nope"})))
        .collect();
    let machine = serde_json::to_string_pretty(&serde_json::json!({"StartAt": "S0", "States": states})).expect("json");
    write(dir.path(), "many.asl.json", &machine);
    let run = run_in(dir.path(), &["validate", "many.asl.json"], None);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("4950 more ASL104 findings not shown"),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(500)..]
    );
    assert!(run.stdout.len() < 200_000, "{} bytes", run.stdout.len());
    let json = run_in(dir.path(), &["validate", "--format", "json", "many.asl.json"], None);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let codes = report["files"][0]["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(codes.iter().filter(|d| d["code"] == "ASL104").count(), 5000);
}

#[test]
fn control_characters_in_a_definition_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "A\u{1b}[31mRED\u{7}";
    let machine =
        serde_json::json!({"StartAt": name, "States": {name: {"Type": "Pass", "Next": "Gone\u{1b}]0;title\u{7}"}}});
    write(dir.path(), "esc.asl.json", &machine.to_string());
    // JSON escapes them already; YAML carries them raw.
    write(
        dir.path(),
        "esc.asl.yaml",
        "StartAt: \"A\\e[31m\"\nStates:\n  \"A\\e[31m\":\n    Type: Pass\n    Next: \"Gone\\a\\e]0;x\\a\"\n",
    );
    for file in ["esc.asl.json", "esc.asl.yaml"] {
        let run = run_in(dir.path(), &["validate", file], None);
        assert_eq!(run.code, 1, "{}", run.all());
        assert!(!run.all().contains(['\u{1b}', '\u{7}']), "{file}: {:?}", run.all());
    }
    let failing = serde_json::json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E\u{1b}[2J", "Cause": "c\u{7}"}}});
    write(dir.path(), "fail.asl.json", &failing.to_string());
    let run = run_in(dir.path(), &["simulate", "fail.asl.json"], None);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(!run.all().contains(['\u{1b}', '\u{7}']), "{:?}", run.all());
}

#[test]
fn option_files_are_read_up_to_a_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "m.asl.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    );
    write(
        d,
        "t.asl.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}"#,
    );
    write(
        d,
        "doc.md",
        "<!-- aslkit-diagram: m.asl.json -->\n<!-- /aslkit-diagram -->\n",
    );
    let runs: [&[&str]; 6] = [
        &["simulate", "m.asl.json", "--input", "/dev/zero"],
        &["eval", "--input", "/dev/zero", "--", "1"],
        &["eval", "--bindings", "/dev/zero", "--", "1"],
        &[
            "simulate",
            "t.asl.json",
            "--mock-config",
            "/dev/zero",
            "--test-case",
            "T",
        ],
        &["diagram", "m.asl.json", "--trace", "/dev/zero"],
        &["diagram", "m.asl.json", "--markdown", "/dev/zero"],
    ];
    for args in runs {
        let run = run_in(d, args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.all());
        assert!(run.stderr.contains("is larger than"), "{args:?}: {}", run.stderr);
    }
    // An execution input over AWS's 256 KiB.
    write(d, "big.json", &format!("{{\"blob\": \"{}\"}}", "x".repeat(300 * 1024)));
    let run = run_in(d, &["simulate", "m.asl.json", "--input", "big.json"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("256"), "{}", run.stderr);
    // Nested deeper than serde_json reads: said so, not "not JSON".
    write(d, "deep.json", &format!("{}{}", "[".repeat(200), "]".repeat(200)));
    let run = run_in(d, &["simulate", "m.asl.json", "--input", "deep.json"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("more than 128 levels deep"), "{}", run.stderr);
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "m.asl.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    );
    let runs: [&[&str]; 4] = [
        &["completions", "bash"],
        &["eval", "--", "1"],
        &["diagram", "m.asl.json"],
        &["validate", "m.asl.json"],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = Command::new(assert_cmd::cargo::cargo_bin("aslkit"))
            .args(args)
            .current_dir(dir.path())
            .stdout(full)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write to standard output"), "{args:?}: {stderr}");
    }
}

#[test]
fn jsonata_recursion_and_allocation_end_in_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (expr, code) in [
        (
            "($f := function($n){ $map([1], function($x){ $f($n+1) }) }; $f(0))",
            "U1001",
        ),
        (
            "($f := function($n){ $sort([1,2], function($a,$b){ $f($n+1) }) }; $f(0))",
            "U1001",
        ),
        (
            "($f := function($n){ $filter([1], function($x){ $f($n+1) }) }; $f(0))",
            "U1001",
        ),
        ("($f := function($n){ $f($n+1) }; $f(0))", "U1001"),
        ("$pad(\"x\", 100000000000)", "D3141"),
        // Found by fuzzing: a tail call that grows a string at every step (quadratic work
        // within the step budget until building strings was charged to it).
        (
            "($count := function($n,$acc){ $n = 5 ? $acc : $count($n & -1, $acc+1) }; $count(10000, 0))",
            "U1001",
        ),
        // A string that doubles at every call ends at the string limit, not out of memory.
        ("($f := function($s){ $f($s & $s) }; $f(\"ab\"))", "D3141"),
    ] {
        let run = run_in(dir.path(), &["eval", "--format", "json", "--", expr], None);
        assert_eq!(run.code, 1, "{expr}: {}", run.all());
        let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(out["error"]["code"], code, "{expr}");
    }
}

/// Runs `args` and returns the run with its wall-clock seconds.
fn timed(dir: &Path, args: &[&str]) -> (Run, f64) {
    let start = std::time::Instant::now();
    let run = run_in(dir, args, None);
    (run, start.elapsed().as_secs_f64())
}

#[test]
fn an_endless_loop_over_a_large_input_stops_at_the_trace_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let machine = serde_json::json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "End"}], "Default": "A"},
        "End": {"Type": "Succeed"}
    }});
    write(d, "loop.asl.json", &machine.to_string());
    write(d, "in.json", &format!("{{\"blob\": \"{}\"}}", "x".repeat(250_000)));
    for kind in ["standard", "express"] {
        let (run, seconds) = timed(
            d,
            &[
                "simulate",
                "loop.asl.json",
                "--input",
                "in.json",
                "--type",
                kind,
                "--format",
                "json",
            ],
        );
        assert_eq!(run.code, 2, "{kind}: {}", truncate(&run.all()));
        assert!(run.stderr.contains("aslkit's bound on a run's trace"), "{}", run.stderr);
        let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON error object");
        assert_eq!(out["error"]["code"], "aslkit.Limit");
        assert!(seconds < 30.0, "{kind}: {seconds} s");
    }
}

#[test]
fn a_retry_storm_times_out_as_aws_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (name, retrier) in [
        (
            "huge",
            serde_json::json!({"ErrorEquals": ["States.ALL"], "IntervalSeconds": 99_999_999, "BackoffRate": 99_999_999, "MaxAttempts": 99_999_999}),
        ),
        (
            "doubling",
            serde_json::json!({"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 99_999_999}),
        ),
    ] {
        let machine = serde_json::json!({"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
            "Retry": [retrier], "End": true
        }}});
        write(d, &format!("{name}.asl.json"), &machine.to_string());
        let mocks = serde_json::json!({"StateMachines": {name: {"TestCases": {"T": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "c"}}}}});
        write(d, &format!("{name}.mocks.json"), &mocks.to_string());
        for kind in ["standard", "express"] {
            let file = format!("{name}.asl.json");
            let mock_file = format!("{name}.mocks.json");
            let (run, seconds) = timed(
                d,
                &[
                    "simulate",
                    &file,
                    "--mock-config",
                    &mock_file,
                    "--test-case",
                    "T",
                    "--type",
                    kind,
                    "--format",
                    "history",
                ],
            );
            assert_eq!(run.code, 1, "{name} {kind}: {}", truncate(&run.all()));
            let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
            let events = out["events"].as_array().expect("events");
            let last = events.last().expect("an event");
            assert_eq!(last["type"], "ExecutionTimedOut", "{name} {kind}");
            // Every timestamp is a plausible date, never a negative or overflowed year.
            for e in events {
                let ts = e["timestamp"].as_str().unwrap_or_default();
                assert!(ts.starts_with("20"), "{name} {kind}: {ts}");
            }
            assert!(seconds < 10.0, "{name} {kind}: {seconds} s");
        }
    }
}

#[test]
fn an_inline_map_over_many_items_is_linear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let machine = serde_json::json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    write(d, "map.asl.json", &machine.to_string());
    let items: Vec<usize> = (0..20_000).collect();
    write(d, "items.json", &serde_json::to_string(&items).expect("json"));
    let (run, seconds) = timed(
        d,
        &[
            "simulate",
            "map.asl.json",
            "--input",
            "items.json",
            "--type",
            "express",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", truncate(&run.all()));
    let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(out["output"].as_array().map(Vec::len), Some(20_000));
    // 25 s before the fix (in a release build); the debug build of the tests is slower.
    assert!(seconds < 20.0, "{seconds} s");
}

#[test]
fn json_formats_print_an_error_object_on_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "t.asl.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}"#,
    );
    let mocks = |response: serde_json::Value| {
        serde_json::json!({"StateMachines": {"t": {"TestCases": {"T": {"T": "R"}}}}, "MockedResponses": {"R": response}})
            .to_string()
    };
    write(d, "throw.json", &mocks(serde_json::json!({"0": {"Throw": "boom"}})));
    write(
        d,
        "both.json",
        &mocks(serde_json::json!({"0": {"Return": 1, "Throw": {"Error": "E"}}})),
    );
    write(d, "reversed.json", &mocks(serde_json::json!({"5-1": {"Return": 1}})));
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &[
                "simulate",
                "t.asl.json",
                "--format",
                "json",
                "--mock-config",
                "throw.json",
                "--test-case",
                "T",
            ],
            "aslkit.MockConfig",
            "must be an object",
        ),
        (
            &[
                "simulate",
                "t.asl.json",
                "--format",
                "json",
                "--mock-config",
                "both.json",
                "--test-case",
                "T",
            ],
            "aslkit.MockConfig",
            "both \"Return\" and \"Throw\"",
        ),
        (
            &[
                "simulate",
                "t.asl.json",
                "--format",
                "json",
                "--mock-config",
                "reversed.json",
                "--test-case",
                "T",
            ],
            "aslkit.MockConfig",
            "runs backwards",
        ),
        (
            &["simulate", "t.asl.json", "--format", "json"],
            "aslkit.Unmocked",
            "needs a mocked result",
        ),
        (
            &["simulate", "missing.asl.json", "--format", "history"],
            "aslkit.Definition",
            "missing.asl.json",
        ),
        (
            &["eval", "--format", "json", "--input", "missing.json", "--", "1"],
            "aslkit.Input",
            "missing.json",
        ),
    ];
    for (args, code, message) in cases {
        let run = run_in(d, args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.all());
        let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON error object");
        assert_eq!(out["error"]["code"], code, "{args:?}");
        assert!(
            out["error"]["message"].as_str().is_some_and(|m| m.contains(message)),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn a_yaml_alias_bomb_ends_in_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut bomb = String::from("StartAt: A\nStates:\n  A: {Type: Pass, End: true}\nx0: &x0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..9 {
        let aliases = vec![format!("*x{}", level - 1); 9].join(",");
        bomb.push_str(&format!("x{level}: &x{level} [{aliases}]\n"));
    }
    assert!(bomb.len() < 500, "{} bytes", bomb.len());
    write(d, "bomb.asl.yaml", &bomb);
    // Without a word of a state machine, as a scan meets it before it knows what the file is.
    let anonymous: String = bomb.lines().skip(3).map(|l| format!("{l}\n")).collect();
    write(d, "scan/config.yml", &anonymous);
    let (run, seconds) = timed(d, &["validate", "bomb.asl.yaml"]);
    assert_eq!(run.code, 2, "{}", truncate(&run.all()));
    assert!(run.stdout.contains("through its aliases"), "{}", truncate(&run.stdout));
    assert!(seconds < 10.0, "{seconds} s");
    let (run, seconds) = timed(d, &["validate", "scan"]);
    assert!(run.code <= 2, "{}", truncate(&run.all()));
    assert!(seconds < 10.0, "{seconds} s");
}

#[test]
fn array_unique_is_not_quadratic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut items: Vec<serde_json::Value> = (0..100_000).map(|i| serde_json::json!(i)).collect();
    items.push(serde_json::json!({"b": 1, "a": [2]}));
    items.push(serde_json::json!({"a": [2], "b": 1}));
    items.push(serde_json::json!(0));
    write(d, "in.json", &serde_json::json!({ "a": items }).to_string());
    let (run, seconds) = timed(
        d,
        &[
            "eval",
            "--query-language",
            "jsonpath",
            "--format",
            "json",
            "--input",
            "in.json",
            "States.ArrayLength(States.ArrayUnique($.a))",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    // Objects with the same members in another order are the same item.
    assert_eq!(run.stdout.trim(), r#"{"value":100001}"#);
    // 40 s before (release build).
    assert!(seconds < 10.0, "{seconds} s");
}

#[test]
fn state_names_never_become_mermaid_directives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let init = "%%{init: {\"theme\": \"dark\", \"themeCSS\": \".node{fill:red}\"}}%%";
    let machine = serde_json::json!({"StartAt": init, "States": {
        init: {"Type": "Pass", "Next": "%%{x"},
        "%%{x": {"Type": "Parallel", "Branches": [{"StartAt": "%% c", "States": {"%% c": {"Type": "Succeed"}}}], "End": true}
    }});
    write(d, "pct.asl.json", &machine.to_string());
    let run = run_in(d, &["diagram", "pct.asl.json"], None);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!run.stdout.contains('%'), "{}", run.stdout);
    assert!(run.stdout.contains("#37;#37;{init"), "{}", run.stdout);
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn a_scan_reports_every_candidate_it_could_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let small = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    let big = format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": "{}", "End": true}}}}}}"#,
        "x".repeat(1_100_000)
    );
    write(d, "repo/big.asl.json", &big);
    std::fs::write(d.join("repo/utf16.asl.json"), utf16le(small)).expect("write");
    std::fs::write(d.join("repo/nul.asl.json"), small.replace("Pass\"", "Pass\u{0}\"")).expect("write");
    // Not a definition at all: skipped, as any file that mentions no state machine is.
    std::fs::write(d.join("repo/random.json"), [0u8, 159, 146, 150, 0, 1, 2, 255]).expect("write");
    std::fs::write(d.join("repo/notes.json"), utf16le("{\"a\": 1}")).expect("write");
    let run = run_in(d, &["validate", "repo"], None);
    assert_eq!(run.code, 2, "{}", truncate(&run.all()));
    for name in ["big.asl.json", "utf16.asl.json", "nul.asl.json"] {
        assert!(run.stdout.contains(name), "{name}: {}", truncate(&run.stdout));
    }
    assert!(run.stdout.contains("UTF-16"), "{}", truncate(&run.stdout));
    assert!(!run.stdout.contains("random.json") && !run.stdout.contains("notes.json"));
    assert!(!run.all().contains("no problems found"), "{}", truncate(&run.all()));
    // Named on its own, a UTF-16 execution input says so too.
    std::fs::write(d.join("in.json"), utf16le("{}")).expect("write");
    write(d, "m.asl.json", small);
    let run = run_in(d, &["simulate", "m.asl.json", "--input", "in.json"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("UTF-16"), "{}", run.stderr);
}

#[test]
fn definitions_over_the_read_bound_and_over_aws_limit_exit_alike() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let over_aws = format!(
        r#"{{"StartAt": "P", "Comment": "{}", "States": {{}}}}"#,
        "x".repeat(1_100_000)
    );
    write(d, "over-aws.asl.json", &over_aws);
    let file = std::fs::File::create(d.join("over-read.asl.json")).expect("create");
    file.set_len(65 << 20).expect("sparse file");
    let a = run_in(d, &["validate", "over-aws.asl.json"], None);
    let b = run_in(d, &["validate", "over-read.asl.json"], None);
    assert_eq!(a.code, b.code, "{}\n{}", a.all(), b.all());
    assert!(
        a.stdout.contains("ASL003") && b.stdout.contains("ASL003"),
        "{}\n{}",
        a.stdout,
        b.stdout
    );
}

#[test]
fn unreadable_files_and_folders_in_a_scan_are_reported() {
    // SAFETY: plain syscall.
    if unsafe { libc::geteuid() } == 0 {
        // Root reads everything: nothing to test.
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "repo/locked/m.asl.json", "{}");
    write(d, "repo/secret.asl.json", "{}");
    std::fs::set_permissions(d.join("repo/locked"), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::set_permissions(d.join("repo/secret.asl.json"), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let run = run_in(d, &["validate", "repo"], None);
    std::fs::set_permissions(d.join("repo/locked"), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stdout.contains("locked") && run.stdout.contains("secret.asl.json"),
        "{}",
        run.stdout
    );
}

#[test]
fn template_machines_are_judged_by_their_definitions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // A placeholder as a `Next` target: the deployment fills it in, so it names no missing state
    // and leaves no state unreachable. A number joined into a definition keeps the machine.
    write(
        d,
        "sub.yaml",
        r#"Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionSubstitutions:
        NextState: B
      DefinitionString: !Sub |
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${NextState}"}, "B": {"Type": "Succeed"}}}
  J:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Join
        - ""
        - - '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": '
          - 5
          - ', "Next": "Nowhere"}}}'
"#,
    );
    let run = run_in(d, &["validate", "--format", "json", "sub.yaml"], None);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let file = &report["files"][0];
    let machines: Vec<&str> = file["machines"]
        .as_array()
        .expect("machines")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(machines, ["M", "J"]);
    let findings: Vec<(&str, &str)> = file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["pointer"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // J's own mistake is still found, and nothing is reported on M.
    assert!(findings.iter().any(|(code, _)| *code == "ASL104"), "{findings:?}");
    assert!(
        findings.iter().all(|(_, p)| p.starts_with("/Resources/J/")),
        "{findings:?}"
    );
    // A 1.4 MiB template around a small definition: judged by the definition.
    let states: serde_json::Map<String, serde_json::Value> = (0..10)
        .map(|i| {
            (
                format!("S{i}"),
                serde_json::json!({"Type": "Pass", "Next": format!("S{}", i + 1)}),
            )
        })
        .chain([("S10".to_string(), serde_json::json!({"Type": "Succeed"}))])
        .collect();
    let tags: Vec<serde_json::Value> = (0..9000)
        .map(|i| serde_json::json!({"Key": format!("k{i}"), "Value": "z".repeat(150)}))
        .collect();
    let template = serde_json::json!({"Resources": {
        "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": {"StartAt": "S0", "States": states}}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": tags}}
    }})
    .to_string();
    assert!(template.len() > 1_400_000, "{}", template.len());
    write(d, "big-template.json", &template);
    let run = run_in(d, &["validate", "big-template.json"], None);
    assert_eq!(run.code, 0, "{}", truncate(&run.all()));
}
