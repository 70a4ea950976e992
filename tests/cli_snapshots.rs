//! Each subcommand's main paths, run in-process through `aslkit::cli::run` exactly as the binary
//! runs them, snapshotting the exit status, standard output and standard error together (the
//! way ruff's and oxlint's CLI tests do). A change to any of the three shows up as one diff.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aslkit::cli::{self, Cli, Terminal};
use clap::Parser;

/// `aslkit ARGS`, in-process, without colour at the default width: the exit code, stdout and
/// stderr as one text.
fn run(args: &[&str]) -> String {
    let cli = Cli::try_parse_from(std::iter::once("aslkit").chain(args.iter().copied())).expect("arguments parse");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let status = cli::run(cli, &Terminal::plain(), &mut stdout, &mut stderr);
    format!(
        "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        status.code(),
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    )
}

/// Snapshots `aslkit ARGS` under `name`, with the command line as the snapshot's description.
macro_rules! assert_cli_snapshot {
    ($name:literal, $args:expr) => {{
        let args: &[&str] = $args;
        insta::with_settings!({
            snapshot_path => "snapshots/cli",
            prepend_module_to_snapshot => false,
            description => format!("aslkit {}", args.join(" ")),
        }, {
            insta::assert_snapshot!($name, run(args));
        });
    }};
}

const VALID: &str = "fixtures/rules/ASL104/valid-choice-and-catch.asl.json";
const INVALID: &str = "fixtures/rules/ASL104/invalid-misspelt-next.asl.json";
const MISSING: &str = "fixtures/does-not-exist.asl.json";

#[test]
fn validate() {
    assert_cli_snapshot!("validate_clean", &["validate", VALID]);
    assert_cli_snapshot!("validate_findings", &["validate", INVALID]);
    assert_cli_snapshot!("validate_findings_json", &["validate", "--format", "json", INVALID]);
    assert_cli_snapshot!("validate_findings_github", &["validate", "--format", "github", INVALID]);
    assert_cli_snapshot!(
        "validate_findings_junit",
        &["validate", "--format", "junit", INVALID, VALID]
    );
    assert_cli_snapshot!(
        "validate_findings_json_lines",
        &["validate", "--format", "json-lines", INVALID, VALID]
    );
    assert_cli_snapshot!("validate_unreadable", &["validate", MISSING]);
    assert_cli_snapshot!(
        "validate_syntax_error",
        &["validate", "fixtures/rules/ASL001/invalid-trailing-comma.asl.json"]
    );
    assert_cli_snapshot!(
        "validate_express",
        &[
            "validate",
            "--type",
            "express",
            "fixtures/rules/ASL114/invalid-sync-express.asl.json"
        ]
    );
    assert_cli_snapshot!("validate_nothing_found", &["validate", "completions"]);
}

#[test]
fn simulate() {
    let dir = "fixtures/simulate/retry-then-catch";
    assert_cli_snapshot!(
        "simulate_human",
        &[
            "simulate",
            "fixtures/simulate/map-inline/definition.asl.json",
            "--input",
            "fixtures/simulate/map-inline/input.json",
        ]
    );
    assert_cli_snapshot!(
        "simulate_failed",
        &[
            "simulate",
            "examples/order-fulfilment/order-fulfilment.asl.json",
            "--input",
            "examples/order-fulfilment/input.json",
            "--mock-config",
            "examples/order-fulfilment/MockConfigFile.json",
            "--test-case",
            "PaymentDeclined",
        ]
    );
    assert_cli_snapshot!(
        "simulate_without_mock",
        &[
            "simulate",
            "fixtures/simulate/paths-docs-example/definition.asl.json",
            "--input",
            "fixtures/simulate/paths-docs-example/input.json",
        ]
    );
    assert_cli_snapshot!("simulate_invalid_definition", &["simulate", INVALID]);
    assert_cli_snapshot!("simulate_unreadable", &["simulate", MISSING]);
    assert_cli_snapshot!(
        "simulate_unknown_test_case",
        &[
            "simulate",
            &format!("{dir}/definition.asl.json"),
            "--mock-config",
            &format!("{dir}/mocks.json"),
            "--test-case",
            "NoSuchCase",
        ]
    );
}

#[test]
fn eval() {
    assert_cli_snapshot!("eval_jsonata_value", &["eval", "$sum([1, 2, 3])"]);
    assert_cli_snapshot!("eval_jsonata_undefined", &["eval", "--format", "json", "$nothing"]);
    assert_cli_snapshot!("eval_jsonata_error", &["eval", "1 +"]);
    assert_cli_snapshot!("eval_jsonata_error_json", &["eval", "--format", "json", "--", "-'a'"]);
    assert_cli_snapshot!(
        "eval_jsonpath_intrinsic",
        &["eval", "--query-language", "jsonpath", "States.Format('{} + {}', 1, 2)"]
    );
    assert_cli_snapshot!("eval_unreadable_input", &["eval", "--input", MISSING, "$"]);
}

#[test]
fn diagram() {
    assert_cli_snapshot!("diagram_mermaid", &["diagram", "fixtures/diagram/catch-all.asl.json"]);
    assert_cli_snapshot!(
        "diagram_dot",
        &["diagram", "--format", "dot", "fixtures/diagram/catch-all.asl.json"]
    );
    assert_cli_snapshot!("diagram_broken", &["diagram", "fixtures/diagram/broken.asl.json"]);
    assert_cli_snapshot!("diagram_unreadable", &["diagram", MISSING]);
}

#[test]
fn rules_and_explain() {
    assert_cli_snapshot!("explain", &["explain", "ASL104"]);
    assert_cli_snapshot!("explain_unknown", &["explain", "ASL999"]);
}

#[test]
fn rules_lists_every_rule() {
    let out = run(&["rules"]);
    assert!(out.starts_with("exit code: 0\n"), "{out}");
    for rule in aslkit::check::RULES {
        assert!(
            out.contains(&format!("{}  {}", rule.code, rule.name)),
            "{} missing:\n{out}",
            rule.code
        );
    }
}

#[test]
fn completions_are_written_to_the_given_writer() {
    let out = run(&["completions", "bash"]);
    assert!(
        out.starts_with("exit code: 0\n----- stdout -----\n_aslkit() {"),
        "{out}"
    );
}
