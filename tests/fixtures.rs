//! Fixture-driven rule tests (STYLE.md convention 10).
//!
//! Every `fixtures/rules/<CODE>/valid-*.asl.json` must produce no diagnostics at all; every
//! `invalid-*.asl.json` must produce at least one diagnostic with the folder's code, and its
//! human rendering (no colour, width 100) is snapshotted in `tests/snapshots/`. A test also
//! proves each registered rule has at least one valid and one invalid fixture. Rules about
//! templates (ASL005) have template fixtures (`invalid-*.template.yaml`, `.template.json`),
//! loaded like any other file.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use aslkit::check::{registry::RULES, Group, Options, RuleSettings};
use aslkit::inputs::Input;
use aslkit::model::MachineType;
use aslkit::report::{self, human, Format, Report};
use aslkit::source::Origin;

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/rules exists") {
        let dir = dir.expect("readable").path();
        for f in std::fs::read_dir(&dir).expect("readable") {
            let f = f.expect("readable").path();
            if f.is_file() {
                files.push(f);
            }
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Options a fixture asks for in its file name: `…-express.asl.json` is checked as EXPRESS. A
/// lint rule's fixtures are checked by the validate rules and that lint rule alone, so each
/// fixture shows one problem.
fn options_for(path: &Path) -> Options {
    let code = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rules = match aslkit::check::registry::find(&code) {
        Some(rule) if rule.group == Group::Lint => RuleSettings {
            lint: true,
            ignore: RULES
                .iter()
                .filter(|r| r.group == Group::Lint && r.code != rule.code)
                .map(|r| r.code.to_string())
                .collect(),
            ..RuleSettings::default()
        },
        _ => RuleSettings::default(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Options {
        machine_type: if name.contains("-express") {
            MachineType::Express
        } else {
            MachineType::Standard
        },
        rules,
    }
}

fn check(path: &Path) -> Report {
    // Cargo runs integration tests from the package root, so the relative path loads and is
    // what the snapshot shows.
    let input = Input {
        origin: Origin::File(PathBuf::from(relative(path))),
        explicit: true,
    };
    // With the definition files a template names (`DefinitionUri`), checked in its context.
    aslkit::validate(&[input], &options_for(path))
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    for path in fixture_files() {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let code = path
            .parent()
            .and_then(|p| p.file_name())
            .expect("folder")
            .to_string_lossy()
            .into_owned();
        let report = check(&path);
        let diags: Vec<_> = report.files.iter().flat_map(|f| &f.diagnostics).collect();
        let rendered = report::render(
            &report,
            Format::Human,
            &report::Options::human(human::Options {
                color: false,
                width: 100,
            }),
        );
        if name.starts_with("valid-") {
            if !diags.is_empty() {
                failures.push(format!(
                    "{}: expected no diagnostics, got:\n{rendered}",
                    relative(&path)
                ));
            }
        } else if name.starts_with("invalid-") {
            if !diags.iter().any(|d| d.code == code) {
                failures.push(format!(
                    "{}: expected a {code} diagnostic, got:\n{rendered}",
                    relative(&path)
                ));
            }
            let snapshot = format!("{code}__{}", name.trim_end_matches(".json").trim_end_matches(".yaml"));
            insta::with_settings!({snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false, description => relative(&path)}, {
                insta::assert_snapshot!(snapshot, rendered);
            });
        } else {
            failures.push(format!(
                "{}: fixture names start with valid- or invalid-",
                relative(&path)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_valid_and_invalid_fixtures() {
    let files = fixture_files();
    let mut missing = Vec::new();
    for rule in RULES {
        let in_folder = |prefix: &str| {
            files.iter().any(|f| {
                f.parent().and_then(|p| p.file_name()).is_some_and(|d| d == rule.code)
                    && f.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
        };
        // Codes reported for unreadable input cannot have a "valid" fixture of their own.
        let needs_valid = rule.emitted_by != "loader";
        // No file content triggers an unreadable input (ASL000) or a bug in aslkit (ASL009).
        let needs_invalid = !["ASL000", "ASL009"].contains(&rule.code);
        if needs_invalid && !in_folder("invalid-") {
            missing.push(format!("{} ({}): no invalid- fixture", rule.code, rule.name));
        }
        if needs_valid && !in_folder("valid-") {
            missing.push(format!("{} ({}): no valid- fixture", rule.code, rule.name));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
