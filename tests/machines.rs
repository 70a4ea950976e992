//! One machine out of a template with several: `FILE#NAME` and `--machine NAME` for `diagram`
//! and `simulate`, and the library function test suites use (`state_machine: FILE#NAME`).

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use aslkit::source::select::{load_machine, MachineSpec, SelectError};
use common::*;

const TEMPLATE: &str = "fixtures/machines/template.yaml";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = aslkit().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn several_machines_and_no_name_lists_them_in_template_order() {
    for command in ["diagram", "simulate"] {
        let (code, stdout, stderr) = run(&[command, TEMPLATE]);
        assert_eq!(code, 2, "{command}");
        assert_eq!(stdout, "");
        assert_eq!(
            stderr,
            "error: fixtures/machines/template.yaml holds 3 state machines; name one as \
             fixtures/machines/template.yaml#NAME (or with --machine NAME): GreetMachine, RefundMachine, AuditMachine\n"
        );
    }
}

#[test]
fn a_name_after_hash_or_in_machine_picks_one() {
    let by_hash = run(&["diagram", &format!("{TEMPLATE}#GreetMachine")]);
    let by_flag = run(&["diagram", TEMPLATE, "--machine", "GreetMachine"]);
    assert_eq!(by_hash, by_flag);
    assert_eq!(by_hash.0, 0);
    assert!(by_hash.1.contains("Greet<br/>Pass"), "{}", by_hash.1);
    assert_eq!(by_hash.2, "", "the broken AuditMachine is not this machine's problem");
}

#[test]
fn a_machine_in_its_own_file_is_loaded_from_it() {
    let (code, stdout, stderr) = run(&["diagram", &format!("{TEMPLATE}#RefundMachine")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.contains("Refund<br/>Pass") && stdout.contains("Done<br/>Succeed"),
        "{stdout}"
    );
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let (code, _, stderr) = run(&["diagram", &format!("{TEMPLATE}#Refund")]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: fixtures/machines/template.yaml has no state machine named \"Refund\" (did you mean \
         \"RefundMachine\"?); it holds: GreetMachine, RefundMachine, AuditMachine\n"
    );
    let (code, _, stderr) = run(&[
        "simulate",
        &format!("{TEMPLATE}#GreetMachine"),
        "--machine",
        "AuditMachine",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("name different state machines"), "{stderr}");
}

#[test]
fn simulate_runs_the_named_machine_and_not_the_broken_one() {
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), r#"{"name": "Ann"}"#).unwrap();
    let input = input.path().to_str().unwrap();
    let (code, stdout, _) = run(&[
        "simulate",
        &format!("{TEMPLATE}#GreetMachine"),
        "--input",
        input,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let result: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["output"], serde_json::json!({"greeting": "Hello, Ann!"}));
    // The broken one is refused, with its own findings at the template's line and column.
    let (code, _, stderr) = run(&["simulate", &format!("{TEMPLATE}#AuditMachine")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("fixtures/machines/template.yaml:29:75"), "{stderr}");
}

#[test]
fn the_library_selects_for_test_suites() {
    let spec = MachineSpec::parse(Path::new("fixtures/machines/template.yaml#RefundMachine"));
    let selected = load_machine(&spec).unwrap();
    assert_eq!(selected.machine.name, "RefundMachine");
    assert_eq!(
        selected.document.origin.display(),
        "fixtures/machines/statemachine/refund.asl.json"
    );
    assert_eq!(selected.definition().unwrap()["StartAt"], "Refund");
    assert_eq!(selected.document.machines.len(), 1);

    let audit = load_machine(&MachineSpec::parse(Path::new(
        "fixtures/machines/template.yaml#AuditMachine",
    )))
    .unwrap();
    assert_eq!(
        audit.machine.pointer,
        "/Resources/AuditMachine/Properties/DefinitionString"
    );
    let diagnostics = aslkit::check::check_document(&audit.document, &Default::default());
    assert_eq!(diagnostics.len(), 2);

    // A plain definition needs no name.
    let plain = load_machine(&MachineSpec::parse(Path::new(
        "fixtures/machines/statemachine/refund.asl.json",
    )))
    .unwrap();
    assert_eq!(plain.machine.name, "refund");

    let err = load_machine(&MachineSpec::parse(Path::new("fixtures/machines/template.yaml"))).unwrap_err();
    assert!(matches!(err, SelectError::Ambiguous { ref names, .. } if names.len() == 3));
    let err = load_machine(&MachineSpec::parse(Path::new("fixtures/machines/missing.yaml#A"))).unwrap_err();
    assert!(matches!(err, SelectError::Load(_)));
}
