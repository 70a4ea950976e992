//! Reports of `aslkit test`: human (a line per test, diffs for failures, a closing count),
//! JSON (version 1) and JUnit XML (one testsuite per suite file), and the coverage summary.

use std::fmt::Write;

use serde_json::{json, Value};

use super::junit;
use crate::test::coverage::MachineCoverage;
use crate::test::diff::{self, Line};
use crate::test::expect::Mismatch;
use crate::test::{Outcome, SuiteResult, TestResult, Verdict};

/// Settings of the human report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub color: bool,
    /// Show each test's time (off in snapshot tests, where times vary).
    pub times: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, colour: &str, options: Options) -> String {
    if options.color {
        format!("{colour}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// `0.4 ms`, `12 ms`, `1.2 s`.
pub fn duration(seconds: f64) -> String {
    let ms = seconds * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{seconds:.1} s")
    }
}

/// The human report.
pub fn human(outcome: &Outcome, options: Options) -> String {
    let mut out = String::new();
    for suite in &outcome.suites {
        let _ = writeln!(out, "{} ({})", suite.path, suite.machine_path);
        for test in &suite.tests {
            human_test(&mut out, suite, test, options);
        }
        out.push('\n');
    }
    if !outcome.coverage.is_empty() {
        out.push_str(&coverage_summary(&outcome.coverage));
        out.push('\n');
    }
    let passed = outcome.passed();
    let failed = outcome.failed();
    let mut closing = format!("{passed} passed, {failed} failed");
    if !outcome.invalid.is_empty() {
        let n = outcome.invalid.len();
        let _ = write!(closing, ", {n} invalid file{}", if n == 1 { "" } else { "s" });
    }
    let colour = if failed > 0 || !outcome.invalid.is_empty() {
        RED
    } else {
        GREEN
    };
    let _ = writeln!(out, "{}", paint(&closing, colour, options));
    out
}

fn human_test(out: &mut String, suite: &SuiteResult, test: &TestResult, options: Options) {
    let mark = if test.passed() {
        paint("✓", GREEN, options)
    } else {
        paint("✗", RED, options)
    };
    let time = if options.times {
        paint(&format!(" ({})", duration(test.seconds)), DIM, options)
    } else {
        String::new()
    };
    // A test case of a mock configuration reports its outcome.
    let outcome = match (&test.run, test.pointer.is_empty()) {
        (Some(run), true) => match &run.error {
            Some(error) => format!(": {} ({error})", run.status),
            None => format!(": {}", run.status),
        },
        _ => String::new(),
    };
    let _ = writeln!(out, "  {mark} {}{outcome}{time}", test.name);
    match &test.verdict {
        Verdict::Passed => {}
        Verdict::Error(message) => {
            let _ = writeln!(out, "      {}", paint(&format!("error: {message}"), RED, options));
        }
        Verdict::Failed(mismatches) => {
            for m in mismatches {
                human_mismatch(out, suite, m, options);
            }
            if let Some(run) = &test.run {
                let path: Vec<&str> = run
                    .visits
                    .iter()
                    .filter(|v| v.depth == 0)
                    .map(|v| v.name.as_str())
                    .collect();
                let _ = writeln!(out, "      path taken: {}", path.join(" → "));
                if let Some(error) = &run.error {
                    let cause = run
                        .cause
                        .as_deref()
                        .map(|c| format!(": {}", one_line(c)))
                        .unwrap_or_default();
                    let _ = writeln!(out, "      {} {error}{cause}", run.status);
                }
            }
        }
    }
}

fn human_mismatch(out: &mut String, suite: &SuiteResult, m: &Mismatch, options: Options) {
    let at = m
        .location
        .map(|(line, column)| format!(" ({}:{line}:{column})", suite.path))
        .unwrap_or_default();
    let _ = writeln!(out, "      {}{at}: {}", m.what, m.message);
    let _ = writeln!(
        out,
        "        {} {}",
        paint("- expected", RED, options),
        paint("+ actual", GREEN, options)
    );
    for line in diff::diff(&m.expected, &m.actual) {
        let text = match line {
            Line::Same(t) => format!("          {t}"),
            Line::Expected(t) => paint(&format!("        - {t}"), RED, options),
            Line::Actual(t) => paint(&format!("        + {t}"), GREEN, options),
            Line::Elided(n) => paint(
                &format!("          … {n} unchanged line{}", if n == 1 { "" } else { "s" }),
                DIM,
                options,
            ),
        };
        out.push_str(&text);
        out.push('\n');
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        format!("{}…", flat.chars().take(159).collect::<String>())
    } else {
        flat
    }
}

/// The coverage summary: a line per machine, then what was never exercised.
pub fn coverage_summary(machines: &[MachineCoverage]) -> String {
    let mut out = String::from("coverage\n");
    for m in machines {
        let s = &m.summary;
        let _ = writeln!(
            out,
            "  {} ({}): states {}/{}, choice rules {}/{}, catches {}/{}, retriers {}/{}",
            m.name,
            m.path,
            s.states.covered,
            s.states.total,
            s.choice_rules.covered,
            s.choice_rules.total,
            s.catches.covered,
            s.catches.total,
            s.retriers.covered,
            s.retriers.total
        );
        let uncovered: Vec<_> = m.uncovered().collect();
        if uncovered.is_empty() {
            out.push_str("    everything exercised\n");
            continue;
        }
        out.push_str("    never exercised:\n");
        for (kind, item) in uncovered {
            let what = if kind == "state" {
                format!("state {}", item.state)
            } else {
                format!("{kind} {} of {}", item.label, item.state)
            };
            let _ = writeln!(out, "      {what}");
        }
    }
    out
}

/// The JSON report (version 1).
pub fn json(outcome: &Outcome) -> String {
    let suites: Vec<Value> = outcome
        .suites
        .iter()
        .map(|s| {
            json!({
                "path": s.path,
                "machine": {"path": s.machine_path, "name": s.machine_name},
                "tests": s.tests.iter().map(json_test).collect::<Vec<_>>(),
            })
        })
        .collect();
    let invalid: Vec<Value> = outcome
        .invalid
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "diagnostics": f.diagnostics.iter().map(|d| super::json::diagnostic(f, d)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut value = json!({
        "version": 1,
        "suites": suites,
        "invalid": invalid,
        "summary": {"passed": outcome.passed(), "failed": outcome.failed(), "invalid": outcome.invalid.len()},
    });
    if !outcome.coverage.is_empty() {
        value["coverage"] = json!(outcome.coverage);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn json_test(t: &TestResult) -> Value {
    let (status, failures, error) = match &t.verdict {
        Verdict::Passed => ("passed", Vec::new(), None),
        Verdict::Failed(ms) => ("failed", ms.iter().map(json_mismatch).collect(), None),
        Verdict::Error(message) => ("error", Vec::new(), Some(message.clone())),
    };
    let execution = t.run.as_ref().map(|r| {
        json!({
            "status": r.status,
            "output": r.output,
            "error": r.error,
            "cause": r.cause,
            "path": r.visits.iter().filter(|v| v.depth == 0).map(|v| v.name.as_str()).collect::<Vec<_>>(),
        })
    });
    json!({
        "name": t.name,
        "status": status,
        "seconds": t.seconds,
        "failures": failures,
        "error": error,
        "execution": execution,
    })
}

fn json_mismatch(m: &Mismatch) -> Value {
    json!({
        "expectation": m.what,
        "pointer": m.pointer,
        "line": m.location.map(|l| l.0),
        "column": m.location.map(|l| l.1),
        "message": m.message,
        "expected": m.expected,
        "actual": m.actual,
    })
}

/// JUnit XML: one testsuite per suite file, one testcase per test; failures carry the diffs.
pub fn junit(outcome: &Outcome) -> String {
    let mut suites: Vec<junit::Suite> = outcome
        .suites
        .iter()
        .map(|s| junit::Suite {
            name: s.path.clone(),
            cases: s
                .tests
                .iter()
                .map(|t| junit::Case {
                    name: t.name.clone(),
                    classname: s.path.clone(),
                    file: None,
                    seconds: t.seconds,
                    outcome: junit_outcome(s, t),
                    output: String::new(),
                })
                .collect(),
        })
        .collect();
    // An invalid suite is a suite whose loading failed: one errored case says why.
    for f in &outcome.invalid {
        let text: Vec<String> = f
            .diagnostics
            .iter()
            .map(|d| match f.resolve(d) {
                Some(r) => format!("{}:{}:{}: {} {}", f.path, r.line, r.column, d.code, d.message),
                None => format!("{}: {} {}", f.path, d.code, d.message),
            })
            .collect();
        suites.push(junit::Suite {
            name: f.path.clone(),
            cases: vec![junit::Case {
                name: "load".into(),
                classname: f.path.clone(),
                file: None,
                seconds: 0.0,
                outcome: junit::Outcome::Error {
                    message: text.first().cloned().unwrap_or_default(),
                    kind: "invalid".into(),
                    text: text.join("\n"),
                },
                output: String::new(),
            }],
        });
    }
    junit::write(&junit::Suites {
        name: "aslkit test".into(),
        suites,
    })
}

fn junit_outcome(suite: &SuiteResult, t: &TestResult) -> junit::Outcome {
    match &t.verdict {
        Verdict::Passed => junit::Outcome::Passed,
        Verdict::Error(message) => junit::Outcome::Error {
            message: message.clone(),
            kind: "simulation".into(),
            text: message.clone(),
        },
        Verdict::Failed(mismatches) => {
            let plain = Options::default();
            let mut text = String::new();
            for m in mismatches {
                human_mismatch(&mut text, suite, m, plain);
            }
            if let Some(run) = &t.run {
                let path: Vec<&str> = run
                    .visits
                    .iter()
                    .filter(|v| v.depth == 0)
                    .map(|v| v.name.as_str())
                    .collect();
                let _ = writeln!(text, "path taken: {}", path.join(" → "));
            }
            let message = mismatches
                .iter()
                .map(|m| format!("{}: {}", m.what, m.message))
                .collect::<Vec<_>>()
                .join("; ");
            junit::Outcome::Failure {
                message,
                kind: "expectation".into(),
                text,
            }
        }
    }
}
