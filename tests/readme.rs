//! The README's promises, checked: its demo output is what the binary prints, and its set-up
//! command validates the bundled examples cleanly.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

fn aslkit() -> Command {
    let mut cmd = Command::cargo_bin("aslkit").expect("binary built");
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

#[test]
fn demo_output_matches_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- demo-output -->\n")
        .expect("README has the demo block")
        + "<!-- demo-output -->\n".len();
    let end = readme
        .find("<!-- /demo-output -->")
        .expect("README closes the demo block");
    let out = aslkit()
        .args(["validate", "fixtures/cli/demo.asl.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        &readme[start..end],
        "README.md's demo output is stale: paste the output of `aslkit validate fixtures/cli/demo.asl.json`"
    );
}

#[test]
fn templates_output_matches_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- templates-output -->\n")
        .expect("README has the templates block")
        + "<!-- templates-output -->\n".len();
    let end = readme
        .find("<!-- /templates-output -->")
        .expect("README closes the templates block");
    let out = aslkit()
        .args(["validate", "fixtures/templates/sam/template.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        &readme[start..end],
        "README.md's templates output is stale: paste the output of `aslkit validate fixtures/templates/sam/template.yaml`"
    );
}

#[test]
fn demo_source_matches_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let source = std::fs::read_to_string("fixtures/cli/demo.asl.json").unwrap();
    assert!(
        readme.contains(&source),
        "README.md must show fixtures/cli/demo.asl.json verbatim"
    );
}

#[test]
fn examples_are_clean() {
    aslkit()
        .args(["validate", "examples/"])
        .assert()
        .code(0)
        .stdout("3 files checked: no problems found.\n");
}
