//! `aslkit diagram`: snapshots of the Mermaid and DOT output for the bundled examples and the
//! `fixtures/diagram/` cases, trace highlighting, and the Markdown rewrite and `--check`.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

const DEFINITIONS: &[&str] = &[
    "examples/order-fulfilment/order-fulfilment.asl.json",
    "examples/parallel-callback/parallel-callback.asl.json",
    "examples/jsonata-etl/jsonata-etl.asl.json",
    "fixtures/diagram/nested-parallel-in-map.asl.json",
    "fixtures/diagram/parallel-map-parallel.asl.json",
    "fixtures/diagram/choice-and-or-not.asl.json",
    "fixtures/diagram/jsonata-condition.asl.json",
    "fixtures/diagram/catch-all.asl.json",
    "fixtures/diagram/broken.asl.json",
];

fn diagram(args: &[&str]) -> (i32, String, String) {
    let out = aslkit().arg("diagram").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn snapshot_name(path: &str) -> String {
    let file = std::path::Path::new(path).file_name().unwrap().to_string_lossy();
    file.trim_end_matches(".asl.json").to_string()
}

#[test]
fn mermaid_snapshots() {
    for path in DEFINITIONS {
        let (code, stdout, _) = diagram(&[path]);
        assert_eq!(code, 0, "{path}");
        insta::assert_snapshot!(format!("mermaid-{}", snapshot_name(path)), stdout);
    }
}

#[test]
fn dot_snapshots() {
    for path in DEFINITIONS {
        let (code, stdout, _) = diagram(&["--format", "dot", path]);
        assert_eq!(code, 0, "{path}");
        insta::assert_snapshot!(format!("dot-{}", snapshot_name(path)), stdout);
    }
}

#[test]
fn a_broken_machine_is_drawn_with_a_warning() {
    let (code, stdout, stderr) = diagram(&["fixtures/diagram/broken.asl.json"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("flowchart TD\n"));
    assert!(stderr.contains("has 3 validation error(s)"), "{stderr}");
}

#[test]
fn unreadable_or_unparsable_definitions_exit_2() {
    let (code, stdout, stderr) = diagram(&["fixtures/diagram/missing.asl.json"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("missing.asl.json"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.asl.json");
    std::fs::write(&bad, "{\"StartAt\": ").unwrap();
    let (code, _, stderr) = diagram(&[bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(!stderr.is_empty());
}

const TRACE: &str = r#"{
  "status": "SUCCEEDED",
  "states": [
    {"name": "ValidateOrder", "type": "Task", "pointer": "/States/ValidateOrder"},
    {"name": "ChargePayment", "type": "Task", "pointer": "/States/ChargePayment"},
    {"name": "CheckPaymentStatus", "type": "Choice", "pointer": "/States/CheckPaymentStatus"},
    {"name": "ReserveInventory", "type": "Map", "pointer": "/States/ReserveInventory"},
    {"name": "ReserveStock", "type": "Task", "pointer": "/States/ReserveInventory/ItemProcessor/States/ReserveStock"},
    {"name": "ReserveStock", "type": "Task", "pointer": "/States/ReserveInventory/ItemProcessor/States/ReserveStock"},
    {"name": "NotifyCustomer", "type": "Task", "pointer": "/States/NotifyCustomer"},
    {"name": "OrderFulfilled", "type": "Succeed", "pointer": "/States/OrderFulfilled"}
  ]
}"#;

#[test]
fn trace_highlights_states_and_edges() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.json");
    std::fs::write(&trace, TRACE).unwrap();
    let def = "examples/order-fulfilment/order-fulfilment.asl.json";
    let (code, mermaid, _) = diagram(&[def, "--trace", trace.to_str().unwrap()]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("trace-mermaid", mermaid);
    let (code, dot, _) = diagram(&[def, "--format", "dot", "--trace", trace.to_str().unwrap()]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("trace-dot", dot);
    // Not taken: the catch edge, the DECLINED branch, a failure's end.
    assert!(!dot.contains(
        "s__States__ValidateOrder -> s__States__OrderRejected [style=dashed, label=\"catch InvalidOrder\", color"
    ));
    assert!(dot.contains("s__States__ChargePayment -> s__States__CheckPaymentStatus [color=\"#2e7d32\", penwidth=3]"));
}

#[test]
fn a_malformed_trace_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.json");
    std::fs::write(&trace, r#"{"states": [{"type": "Pass"}]}"#).unwrap();
    let (code, _, stderr) = diagram(&[
        "fixtures/diagram/catch-all.asl.json",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("states[0] has no \"name\""), "{stderr}");
}

/// A Markdown file in a temporary directory holding a copy of a fixture, with a block that
/// names the copy relative to the Markdown file.
fn markdown_workspace(block: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("flow.asl.json");
    std::fs::copy("fixtures/diagram/catch-all.asl.json", &def).unwrap();
    let md = dir.path().join("README.md");
    std::fs::write(
        &md,
        format!(
            "# Flow\n\nBefore.\n\n<!-- aslkit-diagram: flow.asl.json -->\n{block}<!-- /aslkit-diagram -->\n\nAfter.\n"
        ),
    )
    .unwrap();
    (dir, def, md)
}

#[test]
fn markdown_block_is_rewritten_then_checked() {
    let (_dir, def, md) = markdown_workspace("```mermaid\nflowchart TD\n```\n");
    let (def, md_arg) = (def.to_str().unwrap(), md.to_str().unwrap());
    let (code, stdout, _) = diagram(&[def, "--markdown", md_arg, "--check"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("is stale"), "{stdout}");
    assert!(stdout.contains("line(s) from line 8 replaced by"), "{stdout}");
    let (code, stdout, _) = diagram(&[def, "--markdown", md_arg]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (_, expected, _) = diagram(&[def]);
    let written = std::fs::read_to_string(&md).unwrap();
    assert_eq!(
        written,
        format!("# Flow\n\nBefore.\n\n<!-- aslkit-diagram: flow.asl.json -->\n```mermaid\n{expected}```\n<!-- /aslkit-diagram -->\n\nAfter.\n")
    );
    let (code, stdout, _) = diagram(&[def, "--markdown", md_arg, "--check"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn markdown_without_a_block_for_the_definition_is_a_usage_error() {
    let (_dir, _def, md) = markdown_workspace("");
    let (code, _, stderr) = diagram(&[
        "fixtures/diagram/jsonata-condition.asl.json",
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no `<!-- aslkit-diagram:"), "{stderr}");
}

#[test]
fn check_requires_markdown() {
    let (code, _, _) = diagram(&["fixtures/diagram/catch-all.asl.json", "--check"]);
    assert_eq!(code, 2);
}

#[test]
fn templates_are_drawn_with_ids_from_the_definition_root() {
    let (code, stdout, _) = diagram(&["fixtures/templates/clean/cloudformation.yaml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("    s_start --> s__States__Wait\n"), "{stdout}");
    // The one machine lives in a file of its own (`DefinitionUri`): that file is drawn.
    let (code, stdout, stderr) = diagram(&["fixtures/templates/clean/sam-uri/template.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.starts_with("flowchart TD\n    s_start"), "{stdout}");
}
