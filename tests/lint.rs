//! `aslkit lint` end to end: the lint rules on top of validate, `--fail-on`, `--exit-zero`,
//! `--select` / `--ignore`, the examples staying clean, and the README's lint demo.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

const DEMO: &str = "fixtures/lint/order.asl.json";

fn lint_json(args: &[&str]) -> (i32, Value) {
    let out = aslkit().args(["lint", "--format", "json"]).args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is a JSON report");
    (out.status.code().unwrap(), report)
}

fn codes(report: &Value) -> Vec<String> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lint_adds_warnings_that_validate_does_not_report() {
    let (code, report) = lint_json(&[DEMO]);
    assert_eq!(code, 0, "warnings do not fail by default");
    assert_eq!(codes(&report), ["ASL304", "ASL309", "ASL302", "ASL303", "ASL301"]);
    assert_eq!(report["summary"]["warnings"], 5);
    let (code, report) = json_report(&[DEMO]);
    assert_eq!(code, 0);
    assert!(codes(&report).is_empty(), "validate runs no lint rule");
}

#[test]
fn fail_on_warning_and_exit_zero() {
    aslkit().args(["lint", "--fail-on", "warning", DEMO]).assert().code(1);
    aslkit()
        .args(["lint", "--fail-on", "warning", "--exit-zero", DEMO])
        .assert()
        .code(0);
    // Errors fail by default; --exit-zero silences them too, but not unreadable input.
    aslkit().args(["lint", "fixtures/cli/demo.asl.json"]).assert().code(1);
    aslkit()
        .args(["lint", "--exit-zero", "fixtures/cli/demo.asl.json"])
        .assert()
        .code(0);
    aslkit()
        .args(["lint", "--exit-zero", "no/such/file.json"])
        .assert()
        .code(2);
}

#[test]
fn select_and_ignore() {
    let (_, report) = lint_json(&["--select", "ASL301,choice-without-default", DEMO]);
    assert_eq!(codes(&report), ["ASL309", "ASL301"]);
    let (_, report) = lint_json(&["--ignore", "ASL30", DEMO]);
    assert!(codes(&report).is_empty());
    let (_, report) = lint_json(&["--select", "ASL3", "--ignore", "ASL302,ASL303", DEMO]);
    assert_eq!(codes(&report), ["ASL304", "ASL309", "ASL301"]);
}

#[test]
fn unknown_selector_is_a_usage_error() {
    aslkit()
        .args(["lint", "--select", "ASL999", DEMO])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule matches `ASL999`"));
}

#[test]
fn examples_are_lint_clean() {
    aslkit()
        .args(["lint", "--fail-on", "warning", "examples/"])
        .assert()
        .code(0)
        .stdout("3 files checked: no problems found.\n");
}

#[test]
fn rules_lists_group_and_fix() {
    aslkit()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ASL305  shadowed-error-handler           warning  lint     fix  ",
        ))
        .stdout(predicate::str::contains(
            "ASL104  unknown-transition-target        error    validate      ",
        ));
    let out = aslkit().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let choice = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ASL309")
        .unwrap();
    assert_eq!(choice["group"], "lint");
    assert_eq!(choice["fixable"], false);
    assert_eq!(choice["severity"], "warning");
}

#[test]
fn lint_output_matches_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let open = "<!-- lint-output -->\n";
    let start = readme.find(open).expect("README has a lint-output block") + open.len();
    let end = readme.find("<!-- /lint-output -->").unwrap();
    let out = aslkit()
        .args(["lint", "--select", "ASL301,ASL309", DEMO])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        &readme[start..end],
        "README.md's lint-output block is stale"
    );
}

/// A directory holding `aslkit.toml` (if given) and a copy of the lint demo at `rel`.
fn project(config: Option<&str>, rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("aslkit.toml"), config).unwrap();
    }
    let file = dir.path().join(rel);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::copy(DEMO, &file).unwrap();
    dir
}

fn lint_codes_in(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let out = aslkit()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stderr)));
    let codes = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| format!("{}:{}", d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    (out.status.code().unwrap(), codes)
}

#[test]
fn config_is_found_by_walking_up_from_each_file() {
    let dir = project(
        Some("ignore = [\"ASL302\", \"ASL303\"]\n[severity]\nASL309 = \"error\"\nASL3 = \"info\"\n"),
        "workflows/deep/order.asl.json",
    );
    let (code, codes) = lint_codes_in(dir.path(), &["workflows"]);
    assert_eq!(code, 1, "ASL309 raised to error");
    assert_eq!(codes, ["ASL304:info", "ASL309:error", "ASL301:info"]);
    // The command line adds to the file's ignores and replaces its select.
    let (code, codes) = lint_codes_in(dir.path(), &["--ignore", "ASL309", "workflows"]);
    assert_eq!(
        (code, codes),
        (0, vec!["ASL304:info".to_string(), "ASL301:info".to_string()])
    );
    let (_, codes) = lint_codes_in(dir.path(), &["--select", "ASL302", "workflows"]);
    assert!(codes.is_empty(), "the file's ignore still wins: {codes:?}");
}

#[test]
fn per_file_and_per_state_ignores() {
    let dir = project(
        Some(
            "per-state-ignores = [{ rule = \"ASL30\", state = \"Approve\" }]\n\
             [per-file-ignores]\n\"legacy/**\" = [\"ALL\"]\n",
        ),
        "legacy/order.asl.json",
    );
    std::fs::copy(DEMO, dir.path().join("order.asl.json")).unwrap();
    let (_, codes) = lint_codes_in(dir.path(), &["legacy"]);
    assert!(codes.is_empty(), "{codes:?}");
    let (_, codes) = lint_codes_in(dir.path(), &["order.asl.json"]);
    assert_eq!(codes, ["ASL304:warning", "ASL309:warning"]);
}

#[test]
fn explicit_config_file() {
    let dir = project(None, "order.asl.json");
    std::fs::write(dir.path().join("strict.toml"), "select = [\"ASL309\"]\n").unwrap();
    let (_, codes) = lint_codes_in(dir.path(), &["--config", "strict.toml", "order.asl.json"]);
    assert_eq!(codes, ["ASL309:warning"]);
}

#[test]
fn bad_config_is_a_usage_error_naming_file_and_line() {
    let dir = project(
        Some("ignore = [\"ASL303\"]\n\n[severity]\nASL399 = \"error\"\n"),
        "order.asl.json",
    );
    aslkit()
        .current_dir(dir.path())
        .args(["lint", "order.asl.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("aslkit.toml:4: no rule matches `ASL399`"));
    std::fs::write(
        dir.path().join("aslkit.toml"),
        "ignore = [\"ASL303\"]\nfail-on = \"warning\"\n",
    )
    .unwrap();
    aslkit()
        .current_dir(dir.path())
        .args(["lint", "order.asl.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aslkit.toml:2: unknown field `fail-on`"));
}

#[test]
fn show_settings() {
    let dir = project(
        Some("ignore = [\"ASL303\"]\n[severity]\nASL309 = \"error\"\n"),
        "order.asl.json",
    );
    let out = aslkit()
        .current_dir(dir.path())
        .args(["lint", "--show-settings", "order.asl.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# order.asl.json\nconfig = \""), "{text}");
    assert!(text.contains("ignore = [\"ASL303\"]\n"), "{text}");
    assert!(text.contains("ASL309 = \"error\"\n"), "{text}");
    assert!(
        text.contains("# ASL309 choice-without-default           error\n"),
        "{text}"
    );
    assert!(!text.contains("# ASL303"), "{text}");
}

#[test]
fn pre_commit_hooks_run_on_definitions_and_templates_only() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&hooks).unwrap();
    let hooks = docs[0].as_vec().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["aslkit-validate", "aslkit-lint"]);
    for hook in hooks {
        assert_eq!(hook["language"].as_str(), Some("rust"));
        let entry = hook["entry"].as_str().unwrap();
        assert!(entry == "aslkit validate" || entry == "aslkit lint", "{entry}");
        let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        for yes in [
            "order.asl.json",
            "workflows/order.asl.yaml",
            "sfn/x.asl.yml",
            "template.yaml",
            "infra/template.json",
            "infra/app.template.yml",
            "serverless.yml",
        ] {
            assert!(files.is_match(yes), "{yes} should be checked");
        }
        for no in [
            "package.json",
            ".github/workflows/ci.yml",
            "mytemplate.yaml",
            "order.asl.json.bak",
        ] {
            assert!(!files.is_match(no), "{no} should not be checked");
        }
    }
}

/// The first fenced block after a doc heading.
fn block_after<'d>(docs: &'d str, heading: &str) -> &'d str {
    let from = docs.find(heading).unwrap_or_else(|| panic!("no {heading}")) + heading.len();
    let fence = docs[from..].find("```").unwrap() + from;
    let start = docs[fence..].find('\n').unwrap() + fence + 1;
    let end = docs[start..].find("```").unwrap() + start;
    &docs[start..end]
}

/// A docs example that shows one state (`{"Type": …}`, braces optional) is checked as the first
/// state of a machine, next to a Succeed state for each state it names.
fn as_machine(text: &str) -> String {
    use serde_json::{json, Map, Value};
    let parsed = serde_json::from_str::<Value>(text).or_else(|_| serde_json::from_str::<Value>(&format!("{{{text}}}")));
    let Ok(Value::Object(state)) = parsed else {
        return text.to_string();
    };
    if !state.contains_key("Type") || state.contains_key("StartAt") {
        return text.to_string();
    }
    let mut targets: Vec<String> = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(Value::String(name)) = v {
            targets.push(name.clone());
        }
    };
    add(state.get("Next"));
    add(state.get("Default"));
    for list in ["Choices", "Catch"] {
        for item in state.get(list).and_then(Value::as_array).into_iter().flatten() {
            add(item.get("Next"));
        }
    }
    let mut states = Map::new();
    states.insert("Example".to_string(), Value::Object(state));
    for target in targets {
        states.entry(target).or_insert_with(|| json!({"Type": "Succeed"}));
    }
    json!({"StartAt": "Example", "States": states}).to_string()
}

/// Rules whose docs show a fragment that is not yet a whole definition (a few fields, a state
/// that names others): their fixtures test them. The list only shrinks.
const NOT_YET_RUNNABLE: &[&str] = &[
    "ASL005", "ASL014", "ASL108", "ASL109", "ASL110", "ASL114", "ASL116", "ASL118", "ASL119", "ASL201", "ASL202",
    "ASL203", "ASL204", "ASL205", "ASL206", "ASL207", "ASL208", "ASL209", "ASL211", "ASL212", "ASL213", "ASL220",
    "ASL221", "ASL222",
];

/// Every rule's docs: each Example reports its rule, each Use instead reports nothing (lint rules
/// under `aslkit lint`, validate rules under `aslkit validate`). The loader's codes, whose
/// examples are not definitions (an unreadable file, broken JSON), and examples too large to show
/// are tested by their fixtures instead.
#[test]
fn rule_docs_examples_are_tested() {
    use aslkit::check::{self, Group, Options, RuleSettings, RULES};
    use aslkit::model::MachineType;
    use aslkit::source::{self, Loaded, Origin};
    let mut failures = Vec::new();
    let mut tested = 0;
    for rule in RULES {
        let docs = rule.docs_text();
        if rule.emitted_by == "loader"
            || docs.contains("too large to show here")
            || NOT_YET_RUNNABLE.contains(&rule.code)
        {
            continue;
        }
        if !docs.contains("## Example\n```") || !docs.contains("## Use instead\n```") {
            failures.push(format!("{}: no Example or Use instead block", rule.code));
            continue;
        }
        let options = Options {
            machine_type: if docs.contains("`--type express`") {
                MachineType::Express
            } else {
                MachineType::Standard
            },
            rules: match rule.group {
                Group::Lint => RuleSettings::lint(),
                Group::Validate => RuleSettings::default(),
            },
        };
        let codes = |text: &str| -> Option<Vec<&'static str>> {
            let text = as_machine(text);
            let Loaded::Document(doc) = source::load_bytes(Origin::Stdin, text.into_bytes()) else {
                return None;
            };
            Some(check::check_document(&doc, &options).iter().map(|d| d.code).collect())
        };
        let example = codes(block_after(&docs, "## Example"));
        if !example.as_ref().is_some_and(|found| found.contains(&rule.code)) {
            failures.push(format!("{}: Example reports {example:?}", rule.code));
        }
        let instead = codes(block_after(&docs, "## Use instead"));
        if instead.as_ref().is_none_or(|found| !found.is_empty()) {
            failures.push(format!("{}: Use instead reports {instead:?}", rule.code));
        }
        tested += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(tested >= 41, "only {tested} rules tested");
}
