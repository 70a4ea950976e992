//! `aslkit test` end to end: exit codes, the diff of a failed expectation, located diagnostics
//! for invalid suites, JUnit XML that parses, `--update` that is idempotent, coverage numbers on
//! a machine with a loop, a Map, a Parallel and Catch, and the examples' own suites.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{json, Value};

/// Test times vary from run to run: `(1.2 ms)` becomes `(TIME)`.
pub fn without_times(text: &str) -> String {
    let re = regex::Regex::new(r"\(\d+(\.\d+)? m?s\)").unwrap();
    re.replace_all(text, "(TIME)").into_owned()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = aslkit().arg("test").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn failing_expectations_show_a_diff_and_exit_1() {
    let (code, stdout, stderr) = run(&["fixtures/test/failing"]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(without_times(&stdout));
}

#[test]
fn json_report_carries_expected_and_actual() {
    let (code, stdout, _) = run(&["--format", "json", "fixtures/test/failing"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"], json!({"passed": 1, "failed": 3, "invalid": 0}));
    let tests = &report["suites"][0]["tests"];
    assert_eq!(tests[0]["status"], "failed");
    let path = &tests[0]["failures"][1];
    assert_eq!(path["expectation"], "path");
    assert_eq!(path["expected"], json!(["Init", "Poll", "IsDone", "Done"]));
    assert_eq!(path["actual"], json!(["Init", "Poll", "IsDone", "Fan", "Done"]));
    assert_eq!((path["line"].as_u64(), path["column"].as_u64()), (Some(10), Some(7)));
    // A subset expectation shows only the keys it names.
    let input = &tests[0]["failures"][2];
    assert_eq!(input["expectation"], "states.Poll.input_contains");
    assert_eq!(input["actual"], json!({"items": [1]}));
    assert_eq!(tests[2]["status"], "error");
    assert_eq!(tests[3]["status"], "passed");
}

#[test]
fn filter_selects_tests_by_name() {
    let (code, stdout, _) = run(&["--filter", "passes", "fixtures/test/failing"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("1 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn junit_output_is_well_formed_xml() {
    let (code, stdout, _) = run(&["--format", "junit", "fixtures/test/failing", "fixtures/test/coverage"]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&stdout).expect("JUnit output parses as XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("6"));
    assert_eq!(root.attribute("failures"), Some("2"));
    assert_eq!(root.attribute("errors"), Some("1"));
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 2, "one testsuite per suite file");
    assert_eq!(
        suites[0].attribute("name"),
        Some("fixtures/test/failing/failing.test.yaml")
    );
    let failure = suites[0]
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure element");
    let text = failure.text().unwrap();
    assert!(text.contains("-     2\n"), "the diff is in the failure: {text}");
    assert!(text.contains("path taken: Init → Poll → IsDone → Fan → Done"), "{text}");
    // Only the elements and attributes Jenkins' junit-10.xsd (the schema CI systems read) allows.
    let allowed: &[(&str, &[&str])] = &[
        (
            "testsuites",
            &["name", "time", "tests", "failures", "disabled", "errors"],
        ),
        (
            "testsuite",
            &[
                "name",
                "tests",
                "failures",
                "errors",
                "time",
                "disabled",
                "skipped",
                "timestamp",
                "hostname",
                "id",
                "package",
                "file",
                "log",
                "url",
                "version",
            ],
        ),
        (
            "testcase",
            &[
                "name",
                "assertions",
                "time",
                "classname",
                "status",
                "class",
                "file",
                "line",
                "log",
                "group",
                "url",
            ],
        ),
        ("failure", &["message", "type"]),
        ("error", &["message", "type"]),
        ("skipped", &["message"]),
        ("system-out", &[]),
    ];
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let (_, attributes) = allowed
            .iter()
            .find(|(element, _)| *element == name)
            .unwrap_or_else(|| panic!("<{name}> is not a JUnit element"));
        for a in node.attributes() {
            assert!(
                attributes.contains(&a.name()),
                "<{name} {}> is not in the JUnit schema",
                a.name()
            );
        }
    }
}

#[test]
fn invalid_suites_are_located_and_exit_2() {
    let (code, stdout, stderr) = run(&["fixtures/test/invalid"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "0 passed, 0 failed, 2 invalid files\n");
    insta::assert_snapshot!(stderr);
}

#[test]
fn invalid_suites_in_json() {
    let (code, stdout, _) = run(&["--format", "json", "fixtures/test/invalid/mistakes.test.yaml"]);
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let d = &report["invalid"][0]["diagnostics"][0];
    assert_eq!(d["code"], "TST002");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(6), Some(7)));
}

#[test]
fn coverage_counts_loops_maps_parallels_and_catches() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("coverage.json");
    let (code, stdout, stderr) = run(&[
        "--coverage",
        "--coverage-out",
        out.to_str().unwrap(),
        "fixtures/test/coverage",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let coverage: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let machine = &coverage["machines"][0];
    assert_eq!(
        machine["summary"],
        json!({
            "states": {"covered": 10, "total": 12},
            "choice_rules": {"covered": 2, "total": 3},
            "catches": {"covered": 1, "total": 2},
            "retriers": {"covered": 1, "total": 2},
        })
    );
    let uncovered = |kind: &str| -> Vec<String> {
        machine[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["covered"] == false)
            .map(|i| i["pointer"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(uncovered("states"), ["/States/Cancelled", "/States/Broken"]);
    assert_eq!(uncovered("choice_rules"), ["/States/IsDone/Choices/1"]);
    assert_eq!(uncovered("catches"), ["/States/Poll/Catch/1"]);
    assert_eq!(uncovered("retriers"), ["/States/Poll/Retry/1"]);
    assert!(without_times(&stdout).contains(
        "    never exercised:\n      state Cancelled\n      state Broken\n      choice rule Choices[1] → Cancelled of IsDone\n"
    ));
    // The diagram draws the gaps faded.
    let diagram = aslkit()
        .args(["diagram", "fixtures/test/coverage/poller.asl.json", "--coverage"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(diagram.status.code(), Some(0));
    let mermaid = String::from_utf8(diagram.stdout).unwrap();
    assert!(
        mermaid.contains("    class s__States__Cancelled,s__States__Broken uncovered\n"),
        "{mermaid}"
    );
    let dot = aslkit()
        .args([
            "diagram",
            "--format",
            "dot",
            "fixtures/test/coverage/poller.asl.json",
            "--coverage",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let dot = String::from_utf8(dot.stdout).unwrap();
    assert!(
        dot.contains("s__States__IsDone -> s__States__Cancelled [label=\"$.poll.status == \\\"CANCELLED\\\"\", color=\"#9e9e9e\", style=dashed];"),
        "{dot}"
    );
}

fn update_fixture(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    std::fs::copy("fixtures/test/coverage/poller.asl.json", dir.join("poller.asl.json")).unwrap();
    let suite = dir.join(name);
    std::fs::write(&suite, text).unwrap();
    suite
}

#[test]
fn update_writes_actual_outputs_once() {
    let dir = tempfile::tempdir().unwrap();
    let suite = update_fixture(
        dir.path(),
        "poller.test.yaml",
        "# keep this comment\nstate_machine: poller.asl.json\ntests:\n  - name: done\n    input: {items: [1]}\n    mocks:\n      Poll: [{Return: {Payload: {status: DONE}}}]\n    expect:\n      output:   # the whole output\n        items: []\n      path: [Init, Poll, IsDone, Fan, Done]  # order matters\n",
    );
    let (code, _, stderr) = run(&["--update", suite.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("updated 1 expectation in"), "{stderr}");
    let once = std::fs::read_to_string(&suite).unwrap();
    assert_eq!(
        once,
        "# keep this comment\nstate_machine: poller.asl.json\ntests:\n  - name: done\n    input: {items: [1]}\n    mocks:\n      Poll: [{Return: {Payload: {status: DONE}}}]\n    expect:\n      output:   # the whole output\n        [[1], {\"items\": [1], \"loop\": {\"rounds\": 0}, \"poll\": {\"status\": \"DONE\"}}]\n      path: [Init, Poll, IsDone, Fan, Done]  # order matters\n"
    );
    let (code, stdout, stderr) = run(&["--update", suite.to_str().unwrap()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.ends_with("1 passed, 0 failed\n"));
    assert_eq!(
        std::fs::read_to_string(&suite).unwrap(),
        once,
        "a second --update changes nothing"
    );
}

#[test]
fn update_keeps_json_suites_json() {
    let dir = tempfile::tempdir().unwrap();
    let suite = update_fixture(
        dir.path(),
        "poller.test.json",
        "{\n  \"state_machine\": \"poller.asl.json\",\n  \"tests\": [\n    {\n      \"name\": \"done\",\n      \"input\": {\"items\": []},\n      \"mocks\": {\"Poll\": [{\"Return\": {\"Payload\": {\"status\": \"DONE\"}}}]},\n      \"expect\": {\"output\": null, \"status\": \"SUCCEEDED\"}\n    }\n  ]\n}\n",
    );
    let (code, _, _) = run(&["--update", suite.to_str().unwrap()]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&suite).unwrap();
    let value: Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(
        value["tests"][0]["expect"]["output"],
        json!([[], {"items": [], "loop": {"rounds": 0}, "poll": {"status": "DONE"}}])
    );
    assert!(
        text.contains("      \"expect\": {\"output\": [\n        [],\n        {\n"),
        "{text}"
    );
    let (code, _, _) = run(&["--update", suite.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&suite).unwrap(), text);
}

#[test]
fn mock_config_runs_every_test_case() {
    let (code, stdout, _) = run(&[
        "--mock-config",
        "examples/order-fulfilment/MockConfigFile.json",
        "--input",
        "examples/order-fulfilment/input.json",
        "examples/order-fulfilment/order-fulfilment.asl.json",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(without_times(&stdout));
}

#[test]
fn context_sets_the_execution_name_and_start_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ctx.asl.json"),
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name", "start.$": "$$.Execution.StartTime"}, "End": true}}}"#,
    )
    .unwrap();
    let suite = dir.path().join("ctx.test.yaml");
    std::fs::write(
        &suite,
        "state_machine: ctx.asl.json\ncontext: {execution_name: nightly, start_time: '2024-06-01T12:00:00Z'}\ntests:\n  - name: suite context\n    expect:\n      output: {name: nightly, start: '2024-06-01T12:00:00.000Z'}\n  - name: test context wins\n    context: {execution_name: adhoc}\n    expect:\n      output_contains: {name: adhoc}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[suite.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn the_examples_suites_pass() {
    let (code, stdout, stderr) = run(&["examples/"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("22 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn no_suites_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no test suites found"), "{stderr}");
}

#[test]
fn state_machine_may_name_one_machine_of_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let template = std::fs::canonicalize("fixtures/machines/template.yaml").unwrap();
    let suite = dir.path().join("greet.test.yaml");
    std::fs::write(
        &suite,
        format!(
            "state_machine: {}#GreetMachine\ntests:\n  - name: greets\n    input: {{name: Ada}}\n    expect:\n      output: {{greeting: 'Hello, Ada!'}}\n",
            template.display()
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[suite.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bad = dir.path().join("bad.test.yaml");
    std::fs::write(
        &bad,
        format!("state_machine: {}#Greet\ntests: []\n", template.display()),
    )
    .unwrap();
    let (code, _, stderr) = run(&[bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no state machine named \"Greet\""), "{stderr}");
    assert!(stderr.contains("bad.test.yaml:1:16"), "{stderr}");
}

/// The README block between `<!-- NAME -->` and `<!-- /NAME -->`: a ```console fence whose
/// first line is `$ aslkit ARGS…` and whose rest is what that prints (test times aside).
fn assert_readme_run(name: &str) {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let open = format!("<!-- {name} -->\n```console\n$ aslkit ");
    let start = readme
        .find(&open)
        .unwrap_or_else(|| panic!("README has no {name} block"))
        + open.len();
    let end = start + readme[start..].find("```\n<!-- /").unwrap();
    let (command, shown) = readme[start..end].split_once('\n').unwrap();
    let args: Vec<String> = command
        .split_whitespace()
        .map(str::to_string)
        .fold(Vec::<String>::new(), |mut args, word| {
            // Quoted arguments ("wrong output") stay one argument.
            match args.last_mut() {
                Some(last) if last.starts_with('"') && !last.ends_with('"') => {
                    last.push(' ');
                    last.push_str(&word);
                }
                _ => args.push(word),
            }
            args
        })
        .into_iter()
        .map(|a| a.trim_matches('"').to_string())
        .collect();
    let out = aslkit().args(&args).output().unwrap();
    assert_eq!(
        without_times(&String::from_utf8_lossy(&out.stdout)),
        without_times(shown),
        "README.md's {name} block is stale: paste the output of `aslkit {command}`"
    );
}

#[test]
fn readme_shows_a_real_run_of_the_examples() {
    assert_readme_run("test-examples");
}

#[test]
fn readme_shows_a_real_failure() {
    assert_readme_run("test-failure");
}

#[test]
fn variables_are_checked_after_a_state_and_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vars.asl.json"),
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"n": 1, "who": "{% $states.input.who %}"}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"n": "{% $n + 1 %}"}, "End": true}}}"#,
    )
    .unwrap();
    let suite = dir.path().join("vars.test.yaml");
    std::fs::write(
        &suite,
        "state_machine: vars.asl.json\ntests:\n  - name: vars\n    input: {who: ada}\n    expect:\n      variables: {n: 2, who: ada}\n      states:\n        A: {variables: {n: 1}}\n        B: {variables: {n: 3}}\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&["--format", "json", suite.to_str().unwrap()]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let failures = report["suites"][0]["tests"][0]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["expectation"], "states.B.variables");
    assert_eq!(failures[0]["actual"], json!({"n": 2}));
}
