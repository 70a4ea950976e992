//! `aslkit lint --fix` / `--diff` round trips: the fixed files are valid and lint-clean for the
//! fixed rules, the diff touches only the fixed spans, and a second run changes nothing.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

/// A temporary copy of fixtures/fix.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("fixtures/fix").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = aslkit().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn diff_shows_only_the_fixed_spans_and_writes_nothing() {
    let dir = workspace();
    let before = std::fs::read_to_string(dir.path().join("template.yaml")).unwrap();
    let (code, diff, _) = run(dir.path(), &["lint", "--diff", "machine.asl.json", "template.yaml"]);
    assert_eq!(code, 1, "a pending fix fails --diff");
    insta::assert_snapshot!("fix_diff", diff);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("template.yaml")).unwrap(),
        before
    );
}

#[test]
fn fix_round_trip() {
    let dir = workspace();
    let files = ["machine.asl.json", "template.yaml"];
    let (code, _, stderr) = run(dir.path(), &["lint", "--fix", files[0], files[1]]);
    assert_eq!(code, 0);
    assert_eq!(stderr, "fixed 2 files\n");
    // The fixed files are valid and the fixed rules have nothing left to say.
    let (code, stdout, _) = run(dir.path(), &["validate", files[0], files[1]]);
    assert_eq!((code, stdout.as_str()), (0, "2 files checked: no problems found.\n"));
    let (code, stdout, _) = run(dir.path(), &["lint", "--fail-on", "warning", files[0], files[1]]);
    assert_eq!((code, stdout.as_str()), (0, "2 files checked: no problems found.\n"));
    // A second --fix is a no-op.
    let fixed: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
        .collect();
    let (code, _, stderr) = run(dir.path(), &["lint", "--fix", files[0], files[1]]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    for (file, text) in files.iter().zip(&fixed) {
        assert_eq!(&std::fs::read_to_string(dir.path().join(file)).unwrap(), text);
    }
    let (code, diff, _) = run(dir.path(), &["lint", "--diff", files[0], files[1]]);
    assert_eq!((code, diff.as_str()), (0, ""));
}

#[test]
fn definition_strings_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"MaxConcurrency\": 1, \"Iterator\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}}}'\n";
    std::fs::write(dir.path().join("t.yaml"), template).unwrap();
    let (code, stdout, _) = run(dir.path(), &["lint", "--fix", "t.yaml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("ASL310"), "still reported: {stdout}");
    assert_eq!(std::fs::read_to_string(dir.path().join("t.yaml")).unwrap(), template);
}
