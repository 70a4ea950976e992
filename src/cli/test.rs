//! `aslkit test`: load the suites, run them (`crate::test`), report, and optionally update
//! suite files and write coverage.

use std::io::Write;

use super::{read_json, usage_error, write, ExitStatus, Terminal, TestArgs, TestFormat};
use crate::report::{self, test_results};
use crate::test::{self, Config, Loaded, Outcome};

pub fn run(args: TestArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let config = Config {
        filter: args.filter.clone(),
        coverage: args.coverage || args.coverage_out.is_some(),
    };
    let (suites, invalid) = match &args.mock_config {
        Some(mock_config) => {
            let [definition] = args.paths.as_slice() else {
                return usage_error(
                    stderr,
                    "--mock-config runs one state machine: give its definition as the only PATH",
                );
            };
            let input = match args.input.as_deref().map(read_json).transpose() {
                Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
                Err(message) => return usage_error(stderr, &message),
            };
            match test::from_mock_config(
                definition,
                mock_config,
                args.state_machine.as_deref(),
                input,
                args.s3_root.clone(),
            ) {
                Ok(loaded) => (vec![loaded], Vec::new()),
                Err(Err(message)) => return usage_error(stderr, &message),
                Err(Ok(reports)) => (Vec::new(), reports),
            }
        }
        None => {
            let files = test::discover(&args.paths);
            if files.is_empty() {
                return usage_error(
                    stderr,
                    "no test suites found (files ending in .test.yaml, .test.yml or .test.json)",
                );
            }
            let mut suites = Vec::new();
            let mut invalid = Vec::new();
            for result in test::parallel_map(&files, |p| test::load(p)) {
                match result {
                    Ok(s) => suites.push(s),
                    Err(reports) => invalid.extend(reports),
                }
            }
            (suites, invalid)
        }
    };
    let (results, coverage) = test::run(&suites, &config);
    let outcome = Outcome {
        suites: results,
        invalid,
        coverage,
    };
    if !outcome.invalid.is_empty() {
        let diagnostics = report::Report {
            files: outcome.invalid.clone(),
        };
        write(
            stderr,
            &report::render(
                &diagnostics,
                report::Format::Human,
                &report::Options::human(terminal.diagnostic_options()),
            ),
        );
    }
    let mut updated_all = false;
    if args.update {
        match update(&suites, &outcome, stderr) {
            Ok(all) => updated_all = all,
            Err(message) => return usage_error(stderr, &message),
        }
    }
    if let Some(path) = &args.coverage_out {
        let text = format!("{}\n", test::coverage::to_json(&outcome.coverage));
        if let Err(e) = std::fs::write(path, text) {
            return usage_error(stderr, &format!("cannot write {}: {e}", path.display()));
        }
    }
    let shown = Outcome {
        coverage: if args.coverage {
            outcome.coverage.clone()
        } else {
            Vec::new()
        },
        suites: outcome.suites.clone(),
        invalid: outcome.invalid.clone(),
    };
    match args.format {
        TestFormat::Human => {
            let options = test_results::Options {
                color: terminal.use_color(args.color),
                times: true,
            };
            write(stdout, &test_results::human(&shown, options));
        }
        TestFormat::Json => write(stdout, &test_results::json(&shown)),
        TestFormat::Junit => write(stdout, &test_results::junit(&shown)),
    }
    if !outcome.invalid.is_empty() {
        ExitStatus::Error
    } else if outcome.failed() > 0 && !updated_all {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// Writes the actual outputs into the suite files; `Ok(true)` when every failing test failed
/// only on expectations that were written (so that the suites now pass).
fn update(suites: &[Loaded], outcome: &Outcome, stderr: &mut dyn Write) -> Result<bool, String> {
    let mut all = true;
    for loaded in suites {
        let path = loaded.suite.path.display().to_string();
        let Some(results) = outcome.suites.iter().find(|s| s.path == path) else {
            continue;
        };
        let edits = test::update::edits(&loaded.suite, results);
        for t in &results.tests {
            match &t.verdict {
                test::Verdict::Passed => {}
                test::Verdict::Error(_) => all = false,
                test::Verdict::Failed(ms) => {
                    if ms.iter().any(|m| !test::update::updatable(m)) {
                        all = false;
                    }
                }
            }
        }
        if edits.is_empty() {
            continue;
        }
        let text = test::update::apply(&loaded.suite.text, &edits);
        if text != loaded.suite.text {
            std::fs::write(&loaded.suite.path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
            let plural = if edits.len() == 1 { "" } else { "s" };
            write(
                stderr,
                &format!("updated {} expectation{plural} in {path}\n", edits.len()),
            );
        }
    }
    Ok(all)
}
