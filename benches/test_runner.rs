//! How fast is `aslkit test`? Run with `cargo bench --bench test_runner`.
//!
//! Generates, in a temporary directory, one small machine (a Pass, a mocked Task with a
//! retrier and a catcher, a Choice, a Succeed and two Fails) and 10 suite files of 100 tests each
//! — 1,000 tests with inline mocks and expectations, a third of them failing on purpose so that
//! diffs are built too — then times the library path the binary drives (`test::discover`,
//! `test::load` on all cores, `test::run` on all cores, the human report) with
//! `std::time::Instant`, printing the median and minimum of several iterations.
//! `ASLKIT_BENCH_ITERATIONS` overrides the number of timed iterations.

use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

use aslkit::report::test_results;
use aslkit::test::{self, Config, Outcome};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const SUITES: usize = 10;
const TESTS_PER_SUITE: usize = 100;

const MACHINE: &str = r#"{
  "StartAt": "Prepare",
  "States": {
    "Prepare": { "Type": "Pass", "Parameters": { "n.$": "$.n", "kind.$": "$.kind" }, "Next": "Work" },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "work", "Payload.$": "$" },
      "ResultSelector": { "status.$": "$.Payload.status" },
      "ResultPath": "$.work",
      "Retry": [{ "ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 2 }],
      "Catch": [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken" }],
      "Next": "Route"
    },
    "Route": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.work.status", "StringEquals": "OK", "Next": "Done" }],
      "Default": "Rejected"
    },
    "Done": { "Type": "Succeed" },
    "Rejected": { "Type": "Fail", "Error": "Rejected" },
    "Broken": { "Type": "Fail", "Error": "Broken" }
  }
}"#;

fn suite(index: usize) -> String {
    let mut text = String::from("state_machine: machine.asl.json\ntests:\n");
    for t in 0..TESTS_PER_SUITE {
        let n = index * TESTS_PER_SUITE + t;
        let case = match n % 3 {
            0 => format!(
                "  - name: ok {n}\n    input: {{n: {n}, kind: a}}\n    mocks:\n      Work: [{{Throw: {{Error: Lambda.TooManyRequestsException}}}}, {{Return: {{Payload: {{status: OK}}}}}}]\n    expect:\n      output: {{n: {n}, kind: a, work: {{status: OK}}}}\n      path: [Prepare, Work, Route, Done]\n      states:\n        Work: {{retries: 1}}\n"
            ),
            1 => format!(
                "  - name: rejected {n}\n    input: {{n: {n}, kind: b}}\n    mocks:\n      Work: [{{Return: {{Payload: {{status: NO}}}}}}]\n    expect:\n      error: Rejected\n      path: [Prepare, Work, Route, Rejected]\n"
            ),
            _ => format!(
                "  - name: fails on purpose {n}\n    input: {{n: {n}, kind: c}}\n    mocks:\n      Work: [{{Throw: {{Error: Boom, Cause: broken}}}}]\n    expect:\n      output: {{n: {n}}}\n      path: [Prepare, Work, Done]\n"
            ),
        };
        text.push_str(&case);
    }
    text
}

fn write_corpus(dir: &Path) -> Result<()> {
    std::fs::write(dir.join("machine.asl.json"), MACHINE)?;
    for i in 0..SUITES {
        std::fs::write(dir.join(format!("suite-{i:02}.test.yaml")), suite(i))?;
    }
    Ok(())
}

fn once(dir: &Path) -> Result<(Duration, Outcome)> {
    let started = Instant::now();
    let files = test::discover(&[dir.to_path_buf()]);
    let mut suites = Vec::new();
    for loaded in test::parallel_map(&files, |p| test::load(p)) {
        suites.push(loaded.map_err(|reports| format!("invalid suite: {:?}", reports.first().map(|r| &r.path)))?);
    }
    let (results, coverage) = test::run(&suites, &Config::default());
    let outcome = Outcome {
        suites: results,
        invalid: Vec::new(),
        coverage,
    };
    let report = test_results::human(&outcome, test_results::Options::default());
    std::hint::black_box(report);
    Ok((started.elapsed(), outcome))
}

fn main() -> Result<()> {
    let iterations = match std::env::var("ASLKIT_BENCH_ITERATIONS") {
        Ok(text) => text.parse::<usize>()?.max(1),
        Err(_) => 10,
    };
    let dir = tempfile::tempdir()?;
    write_corpus(dir.path())?;
    let (_, outcome) = once(dir.path())?;
    let total = outcome.passed() + outcome.failed();
    let expected_failures = (0..SUITES * TESTS_PER_SUITE).filter(|n| n % 3 == 2).count();
    if total != SUITES * TESTS_PER_SUITE || outcome.failed() != expected_failures {
        return Err(format!(
            "expected {} tests with {expected_failures} failing, ran {total} with {} failing",
            SUITES * TESTS_PER_SUITE,
            outcome.failed()
        )
        .into());
    }
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| once(dir.path()).map(|(t, _)| t))
        .collect::<Result<_>>()?;
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "aslkit test: {total} tests in {SUITES} suite files ({} passing, {} failing with diffs), {} threads",
        outcome.passed(),
        outcome.failed(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  median {:.1} ms, min {:.1} ms over {iterations} iterations ({:.0} µs per test)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() / 2]) * 1000.0 / total as f64
    );
    Ok(())
}
