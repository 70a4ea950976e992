//! Generated files kept current by tests: shell completions, the man pages (docs/aslkit.1 and
//! one docs/aslkit-SUBCOMMAND.1 each) and docs/rules.md.
//! Regenerate with `ASLKIT_BLESS=1 cargo test --test generated`.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

fn check_generated(relative: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("ASLKIT_BLESS").is_some() {
        std::fs::write(&path, expected).expect("write generated file");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is out of date: run `ASLKIT_BLESS=1 cargo test --test generated` and commit the result"
    );
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        (Shell::Bash, "aslkit.bash"),
        (Shell::Zsh, "_aslkit"),
        (Shell::Fish, "aslkit.fish"),
    ] {
        let mut cmd = aslkit::cli::Cli::command();
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, "aslkit", &mut out);
        check_generated(&format!("completions/{file}"), &String::from_utf8(out).expect("utf-8"));
    }
}

#[test]
fn man_pages_are_current() {
    let mut cmd = aslkit::cli::Cli::command();
    cmd.build();
    let render = |page: clap::Command| {
        let mut out = Vec::new();
        clap_mangen::Man::new(page).render(&mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    };
    let main = render(cmd.clone());
    assert!(main.contains("validate") && main.contains(".SH SUBCOMMANDS"), "{main}");
    check_generated("docs/aslkit.1", &main);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        // clap takes `'static` names (without its `string` feature); a test may leak a few.
        let name: &'static str = Box::leak(format!("aslkit-{}", sub.get_name()).into_boxed_str());
        let page = render(sub.clone().name(name).display_name(name));
        check_generated(&format!("docs/{name}.1"), &page);
    }
}

#[test]
fn rules_doc_is_current() {
    check_generated("docs/rules.md", &aslkit::check::registry::rules_markdown());
}

#[test]
fn completions_subcommand_matches_committed_file() {
    let out = assert_cmd::Command::cargo_bin("aslkit")
        .expect("binary")
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let committed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/aslkit.bash"))
        .unwrap_or_default();
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}
