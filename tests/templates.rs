//! State machines inside CloudFormation, SAM and Serverless templates, end to end: every finding
//! is located in the template the user wrote (pointer, line, column), machines are named by
//! logical id, and directory scans pick templates up. Human output is snapshotted.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use serde_json::{json, Value};

fn human(args: &[&str]) -> String {
    let out = aslkit().arg("validate").args(args).output().expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The one diagnostic of the one file a fixture reports: (code, pointer, line, column).
fn only_finding(report: &Value) -> (String, Value, u64, u64) {
    let files = report["files"].as_array().expect("files");
    let with_findings: Vec<&Value> = files
        .iter()
        .filter(|f| !f["diagnostics"].as_array().expect("diagnostics").is_empty())
        .collect();
    assert_eq!(with_findings.len(), 1, "{report:#}");
    let diagnostics = with_findings[0]["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{report:#}");
    let d = &diagnostics[0];
    (
        d["code"].as_str().expect("code").to_string(),
        d["pointer"].clone(),
        d["line"].as_u64().expect("line"),
        d["column"].as_u64().expect("column"),
    )
}

struct Case {
    path: &'static str,
    exit: i32,
    code: &'static str,
    pointer: Option<&'static str>,
    line: u64,
    column: u64,
    machines: Value,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            path: "fixtures/templates/cloudformation-definition-string.json",
            exit: 1,
            code: "ASL104",
            pointer: Some("/Resources/OrderStateMachine/Properties/DefinitionString/States/Charge/Next"),
            line: 31,
            column: 30,
            machines: json!([{"name": "OrderStateMachine", "pointer": "/Resources/OrderStateMachine/Properties/DefinitionString"}]),
        },
        Case {
            path: "fixtures/templates/cloudformation-definition-string.yaml",
            exit: 1,
            code: "ASL010",
            pointer: Some("/Resources/OrderStateMachine/Properties/DefinitionString/States/Charge/ResultPth"),
            line: 35,
            column: 15,
            machines: json!([{"name": "OrderStateMachine", "pointer": "/Resources/OrderStateMachine/Properties/DefinitionString"}]),
        },
        Case {
            path: "fixtures/templates/cloudformation-definition.yaml",
            exit: 1,
            code: "ASL114",
            pointer: Some("/Resources/ReportStateMachine/Properties/Definition/States/Render/Resource"),
            line: 16,
            column: 51,
            machines: json!([{"name": "ReportStateMachine", "pointer": "/Resources/ReportStateMachine/Properties/Definition"}]),
        },
        Case {
            path: "fixtures/templates/cloudformation-syntax-error.yaml",
            exit: 2,
            code: "ASL001",
            pointer: None,
            line: 11,
            column: 11,
            machines: json!([{"name": "BrokenStateMachine", "pointer": "/Resources/BrokenStateMachine/Properties/DefinitionString"}]),
        },
        Case {
            path: "fixtures/templates/serverless/serverless.yml",
            exit: 1,
            code: "ASL106",
            pointer: Some("/stepFunctions/stateMachines/orderFlow/definition/States/Paid?/Choices/0"),
            line: 31,
            column: 17,
            machines: json!([{"name": "orderFlow", "pointer": "/stepFunctions/stateMachines/orderFlow/definition"}]),
        },
    ]
}

#[test]
fn findings_are_located_in_the_template() {
    for case in cases() {
        let (exit, report) = json_report(&[case.path]);
        assert_eq!(exit, case.exit, "{}: {report:#}", case.path);
        let (code, pointer, line, column) = only_finding(&report);
        assert_eq!(code, case.code, "{}", case.path);
        assert_eq!(pointer, json!(case.pointer), "{}", case.path);
        assert_eq!((line, column), (case.line, case.column), "{}", case.path);
        assert_eq!(report["files"][0]["machines"], case.machines, "{}", case.path);
        let name = case.path.trim_start_matches("fixtures/templates/").replace('/', "__");
        insta::with_settings!({snapshot_path => "snapshots/templates", prepend_module_to_snapshot => false, description => case.path}, {
            insta::assert_snapshot!(name, human(&[case.path]));
        });
    }
}

#[test]
fn a_definition_uri_file_is_checked_with_the_template_under_its_own_path() {
    let (exit, report) = json_report(&["fixtures/templates/sam/template.yaml"]);
    assert_eq!(exit, 1);
    let files = report["files"].as_array().expect("files");
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().expect("path")).collect();
    assert_eq!(
        paths,
        [
            "fixtures/templates/sam/template.yaml",
            "fixtures/templates/sam/statemachine/order.asl.json"
        ]
    );
    // The inline machine is the template's; the file's machine is named after its logical id.
    assert_eq!(
        files[0]["machines"],
        json!([{"name": "RefundStateMachine", "pointer": "/Resources/RefundStateMachine/Properties/Definition"}])
    );
    assert_eq!(
        files[1]["machines"],
        json!([{"name": "OrderStateMachine", "pointer": ""}])
    );
    let (code, pointer, line, column) = only_finding(&report);
    assert_eq!(code, "ASL005");
    assert_eq!(pointer, "/States/Charge/Resource");
    assert_eq!((line, column), (7, 20));
    assert_eq!(
        files[1]["diagnostics"][0]["help"],
        "did you mean \"ChargeFunctionArn\"?"
    );
    insta::with_settings!({snapshot_path => "snapshots/templates", prepend_module_to_snapshot => false, description => "fixtures/templates/sam/template.yaml"}, {
        insta::assert_snapshot!("sam__template.yaml", human(&["fixtures/templates/sam/template.yaml"]));
    });
}

#[test]
fn a_definition_file_named_too_keeps_its_place_and_is_checked_once_with_the_template() {
    let (_, report) = json_report(&[
        "fixtures/templates/sam/statemachine/order.asl.json",
        "fixtures/templates/sam/template.yaml",
    ]);
    let paths = report_paths(&report);
    assert_eq!(
        paths,
        [
            "fixtures/templates/sam/statemachine/order.asl.json",
            "fixtures/templates/sam/template.yaml"
        ]
    );
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ASL005");
    // On its own, the file is judged with the template that points at it (found above it).
    let (exit, report) = json_report(&["fixtures/templates/sam/statemachine/order.asl.json"]);
    assert_eq!(exit, 1);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ASL005");
    assert_eq!(report["files"][0]["machines"][0]["name"], "OrderStateMachine");
}

#[test]
fn directory_scans_find_templates_and_skip_those_without_machines() {
    let (exit, report) = json_report(&["fixtures/templates/clean"]);
    assert_eq!(exit, 0, "{report:#}");
    let machines: Vec<(String, Vec<String>)> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let names = f["machines"]
                .as_array()
                .expect("machines")
                .iter()
                .map(|m| m["name"].as_str().expect("name").to_string())
                .collect();
            (f["path"].as_str().expect("path").to_string(), names)
        })
        .collect();
    assert_eq!(
        machines,
        [
            (
                "fixtures/templates/clean/cloudformation.json".to_string(),
                vec!["ObjectStateMachine".to_string(), "TextStateMachine".to_string()]
            ),
            (
                "fixtures/templates/clean/cloudformation.yaml".to_string(),
                vec!["PollStateMachine".to_string()]
            ),
            // Found by the scan, and checked with its template's DefinitionSubstitutions (a
            // whole-value `${PollSeconds}` in YAML becomes a number); the template itself has
            // no machine written in it.
            (
                "fixtures/templates/clean/sam-uri/statemachine/poll.asl.yaml".to_string(),
                vec!["PollStateMachine".to_string()]
            ),
            (
                "fixtures/templates/clean/sam.yaml".to_string(),
                vec!["HelloStateMachine".to_string()]
            ),
            // Serverless variables in a CloudFormation resource of serverless.yml.
            (
                "fixtures/templates/clean/serverless-resources.yml".to_string(),
                vec!["BillingStateMachine".to_string()]
            ),
            (
                "fixtures/templates/clean/serverless.yml".to_string(),
                vec!["hello".to_string()]
            ),
        ]
    );
    aslkit()
        .args(["validate", "fixtures/templates/clean"])
        .assert()
        .code(0)
        .stdout("6 files checked: no problems found.\n");
}

#[test]
fn a_template_named_explicitly_without_machines_has_an_empty_machine_list() {
    let (exit, report) = json_report(&["fixtures/templates/clean/no-machines.yaml"]);
    assert_eq!(exit, 0);
    assert_eq!(report["files"][0]["machines"], json!([]));
    assert_eq!(report["files"][0]["diagnostics"], json!([]));
}

#[test]
fn the_whole_folder_reports_every_deliberate_error() {
    let (exit, report) = json_report(&["fixtures/templates"]);
    assert_eq!(exit, 2, "the syntax error makes it 2");
    let codes: Vec<(&str, &str)> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| {
            f["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .map(move |d| (f["path"].as_str().expect("path"), d["code"].as_str().expect("code")))
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("fixtures/templates/cloudformation-definition-string.json", "ASL104"),
            ("fixtures/templates/cloudformation-definition-string.yaml", "ASL010"),
            ("fixtures/templates/cloudformation-definition.yaml", "ASL114"),
            ("fixtures/templates/cloudformation-syntax-error.yaml", "ASL001"),
            ("fixtures/templates/sam/statemachine/order.asl.json", "ASL005"),
            ("fixtures/templates/serverless/serverless.yml", "ASL106"),
        ]
    );
}

#[test]
fn templates_from_standard_input() {
    let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Bb\"}, \"B\": {\"Type\": \"Succeed\"}}}'\n";
    let (_, report) = json_report_stdin(template);
    let (code, pointer, line, column) = only_finding(&report);
    assert_eq!(code, "ASL104");
    assert_eq!(pointer, "/Resources/M/Properties/DefinitionString/States/A/Next");
    assert_eq!((line, column), (5, 84));
}

#[test]
fn duplicate_keys_inside_a_definition_string_point_at_both() {
    let template = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionString": "{\"StartAt\": \"A\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}"}}}}"#;
    let (_, report) = json_report_stdin(template);
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ASL002");
    assert_eq!(d["pointer"], "/Resources/M/Properties/DefinitionString/StartAt");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(45)));
    let out = aslkit()
        .args(["validate", "-"])
        .write_stdin(template)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("[<stdin>:2:45]"), "{text}");
    assert!(text.contains("first defined here"), "{text}");
}

#[test]
fn unknown_substitutions_in_a_definition_string_are_located_in_the_block() {
    let (exit, report) = json_report(&["fixtures/rules/ASL005/invalid-escaped-in-fn-sub.template.yaml"]);
    assert_eq!(exit, 1);
    let (code, pointer, line, column) = only_finding(&report);
    assert_eq!(code, "ASL005");
    assert_eq!(
        pointer,
        "/Resources/OrderStateMachine/Properties/DefinitionString/Fn::Sub"
    );
    assert_eq!((line, column), (18, 44));
}

#[test]
fn the_template_machine_type_wins_over_the_command_line() {
    // EXPRESS in the template: `.sync` is reported without `--type express`…
    let (_, report) = json_report(&["fixtures/templates/cloudformation-definition.yaml"]);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ASL114");
    // …and a template saying STANDARD is not checked as EXPRESS.
    let standard = std::fs::read_to_string("fixtures/templates/cloudformation-definition.yaml")
        .unwrap()
        .replace("StateMachineType: EXPRESS", "StateMachineType: STANDARD");
    let out = aslkit()
        .args(["validate", "--type", "express", "-"])
        .write_stdin(standard)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_quoted_placeholder_in_a_definition_object_stays_a_string() {
    // CloudFormation writes `Definition` as JSON text, then substitutes in it: `"${Wait}"`
    // becomes `"30"`, a string, which a Wait state's `Seconds` does not accept.
    let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        Wait: 30\n      Definition:\n        StartAt: W\n        States:\n          W:\n            Type: Wait\n            Seconds: ${Wait}\n            End: true\n";
    let (_, report) = json_report_stdin(template);
    let (code, pointer, line, column) = only_finding(&report);
    assert_eq!(code, "ASL012");
    assert_eq!(pointer, "/Resources/M/Properties/Definition/States/W/Seconds");
    assert_eq!((line, column), (12, 22));
}

#[test]
fn repeated_keys_outside_the_machines_are_not_reported() {
    let template = "Parameters:\n  A: {Type: String}\n  A: {Type: Number}\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: P\n        StartAt: P\n        States: {P: {Type: Succeed}}\n";
    let (_, report) = json_report_stdin(template);
    let (code, pointer, line, _) = only_finding(&report);
    assert_eq!(code, "ASL002");
    assert_eq!(pointer, "/Resources/M/Properties/Definition/StartAt");
    assert_eq!(line, 10);
}
