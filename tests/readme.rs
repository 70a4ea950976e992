//! The README's promises, checked: its demo output is what the binary prints, and its set-up
//! command validates the bundled examples cleanly.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

/// Asserts that the README block between `<!-- NAME -->` and `<!-- /NAME -->` is exactly what
/// `aslkit validate FILE` prints (and that it exits 1: the demos show findings).
fn assert_readme_block(name: &str, file: &str) {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let open = format!("<!-- {name} -->\n");
    let start = readme
        .find(&open)
        .unwrap_or_else(|| panic!("README has no {open:?} block"))
        + open.len();
    let end = readme
        .find(&format!("<!-- /{name} -->"))
        .unwrap_or_else(|| panic!("README does not close {name}"));
    let out = aslkit().args(["validate", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        &readme[start..end],
        "README.md's {name} block is stale: paste the output of `aslkit validate {file}`"
    );
}

#[test]
fn demo_output_matches_the_readme() {
    assert_readme_block("demo-output", "fixtures/cli/demo.asl.json");
}

#[test]
fn templates_output_matches_the_readme() {
    assert_readme_block("templates-output", "fixtures/templates/sam/template.yaml");
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

#[test]
fn diagram_in_the_readme_is_current() {
    aslkit()
        .args([
            "diagram",
            "examples/order-fulfilment/order-fulfilment.asl.json",
            "--markdown",
            "README.md",
            "--check",
        ])
        .assert()
        .code(0)
        .stdout("");
}

/// The GitHub Actions workflow in the README runs commands aslkit accepts, and writes SARIF.
#[test]
fn github_workflow_commands_parse() {
    use clap::Parser;
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("<!-- github-workflow -->").expect("workflow block");
    let end = readme.find("<!-- /github-workflow -->").expect("workflow block closed");
    let block = &readme[start..end];
    let commands: Vec<&str> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: aslkit "))
        .collect();
    assert_eq!(commands, ["lint --format sarif > aslkit.sarif"]);
    for command in commands {
        let (args, _redirect) = command.split_once(" > ").unwrap();
        let words = std::iter::once("aslkit").chain(args.split_whitespace());
        aslkit::cli::Cli::try_parse_from(words).unwrap_or_else(|e| panic!("{command}: {e}"));
    }
    assert!(block.contains("github/codeql-action/upload-sarif") && block.contains("sarif_file: aslkit.sarif"));
    assert!(block.contains("cargo install --locked"));
}
