//! Definitions as real repositories hold them (issue 8): YAML the AWS toolchain accepts,
//! `DefinitionUri` files read as text with substitutions, placeholders wherever a value goes,
//! missing and remote definition files, Terraform, and a repository-shaped tree in which every
//! machine is found exactly once.
//!
//! Each fixture under `fixtures/repos/` is validated with `--format json`, and a listing of the
//! report (files, machines, and every finding with its code, severity, line:column in the file
//! the user wrote and pointer) is snapshotted.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

/// `validate --format json ARGS` as a short listing: exit code, then per file its machines and
/// findings.
fn listing(args: &[&str]) -> String {
    let (exit, report) = json_report(args);
    let mut out = format!("exit {exit}\n");
    for file in report["files"].as_array().unwrap() {
        out.push_str(file["path"].as_str().unwrap());
        out.push('\n');
        for m in file["machines"].as_array().unwrap() {
            out.push_str(&format!(
                "  machine {} at {:?}\n",
                m["name"].as_str().unwrap(),
                m["pointer"].as_str().unwrap()
            ));
        }
        for d in file["diagnostics"].as_array().unwrap() {
            out.push_str(&format!(
                "  {} {} {}:{} {} {}\n",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["line"],
                d["column"],
                match &d["pointer"] {
                    Value::String(p) => p.as_str(),
                    _ => "-",
                },
                d["message"].as_str().unwrap()
            ));
            if let Some(help) = d["help"].as_str() {
                out.push_str(&format!("    help: {help}\n"));
            }
        }
    }
    out
}

fn snapshot(name: &str, args: &[&str]) {
    insta::with_settings!({snapshot_path => "snapshots/repos", prepend_module_to_snapshot => false, description => args.join(" ")}, {
        insta::assert_snapshot!(name, listing(args));
    });
}

#[test]
fn yaml_as_libyaml_reads_it() {
    snapshot(
        "yaml-flow-and-quoted-indentation",
        &["fixtures/repos/yaml/flow-and-quoted-indentation.yaml"],
    );
}

#[test]
fn placeholders_are_unknowns_of_the_right_type_everywhere() {
    snapshot(
        "placeholders-choice-operands",
        &["fixtures/repos/placeholders/choice-operands.yaml"],
    );
}

#[test]
fn definition_uri_files_are_text_with_substitutions() {
    snapshot(
        "definition-uri-template",
        &["fixtures/repos/definition-uri/template.yaml"],
    );
    // Named on its own, a file is judged with the template that points at it.
    snapshot(
        "definition-uri-file-alone",
        &[
            "fixtures/repos/definition-uri/statemachine/reminder.asl.yaml",
            "fixtures/repos/definition-uri/statemachine/tuner.asl.json",
        ],
    );
}

/// Terraform: `jsonencode({…})` (through a `local`), a heredoc, `templatefile(…)` and `file(…)`,
/// each finding at the line:column of the `.tf` file or of the file it names; a missing file
/// (a case mismatch) and a definition only Terraform computes are reported.
#[test]
fn terraform_definitions_are_located_in_the_tf_file() {
    snapshot("terraform", &["fixtures/repos/terraform"]);
}

/// `FILE#NAME` picks a Terraform machine by its resource name, with or without the type.
#[test]
fn terraform_machines_are_selected_by_resource_name() {
    for (spec, first_state) in [
        ("fixtures/repos/tree/terraform/main.tf#archive", "Archive"),
        (
            "fixtures/repos/tree/terraform/main.tf#aws_sfn_state_machine.export",
            "Export",
        ),
    ] {
        let out = aslkit().args(["diagram", spec]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "{spec}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains(first_state), "{spec}: {text}");
    }
    let out = aslkit()
        .args(["diagram", "fixtures/repos/tree/terraform/main.tf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("archive, export"), "{stderr}");
}

/// A repository holding SAM, CloudFormation, Serverless, CDK output and Terraform (and SAM's build copy in
/// `.aws-sam/`, which a scan skips): every machine is listed exactly once.
///
#[test]
fn a_repository_tree_lists_every_machine_once() {
    let (exit, report) = json_report(&["fixtures/repos/tree"]);
    assert_eq!(exit, 0, "{report:#}");
    let mut machines: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["machines"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |m| (m["name"].as_str().unwrap().to_string(), path.clone()))
        })
        .collect();
    machines.sort();
    let names: Vec<&str> = machines.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "AuditStateMachine",
            "BillingMachine0A1B2C3D",
            "OrderStateMachine",
            "PingStateMachine",
            "archive",
            "digest",
            "export",
            "notify"
        ]
    );
    assert!(
        machines.iter().all(|(_, path)| !path.contains(".aws-sam")),
        "{machines:?}"
    );
    snapshot("tree", &["fixtures/repos/tree"]);
}

#[test]
fn version_names_the_language_level() {
    let out = aslkit().arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("aslkit 0."), "{text}");
    assert!(text.contains("JSONata") && text.contains("variables"), "{text}");
}
