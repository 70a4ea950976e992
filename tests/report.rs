//! Every output format rendered from the same sample findings (STYLE.md convention 8), so a
//! change to one printer shows up as a snapshot diff.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aslkit::diagnostic::{Diagnostic, Location, Severity};
use aslkit::report::{self, human, FileReport, Format, Report, SourceText};
use aslkit::source::{self, Loaded, MachineRef, Origin};

const SAMPLE: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"Payload.$": "$.order[?(@.total > 0"},
      "Nxt": "Ship"
    },
    "Ship": {"Type": "Succeed", "Comment": "caf\u00e9 ☕"}
  }
}
"#;

fn sample() -> Report {
    let Loaded::Document(doc) = source::load_bytes(Origin::File("workflows/order.asl.json".into()), SAMPLE.into())
    else {
        panic!("sample parses")
    };
    let diagnostics = vec![
        Diagnostic::new("ASL010", "unknown field `Nxt` in Task state \"Charge\"")
            .at_key("/States/Charge/Nxt")
            .label("not a Task field")
            .help("did you mean \"Next\"?")
            .note("allowed fields include Next, End, Resource, Parameters, Retry, Catch")
            .aws_code("SCHEMA_VALIDATION_FAILED"),
        Diagnostic::new("ASL201", "invalid JSONPath: expected `)` to close the filter")
            .at(Location::in_string("/States/Charge/Parameters/Payload.$", 20, 21))
            .label("the filter opened here is never closed")
            .aws_code("SCHEMA_VALIDATION_FAILED"),
        Diagnostic::new("ASL103", "state \"Ship\" is unreachable from `StartAt` (\"Charge\")")
            .at_key("/States/Ship")
            .with_label(Location::value("/StartAt"), "execution starts here")
            .severity(Severity::Warning),
    ];
    Report {
        files: vec![
            FileReport {
                path: "workflows/order.asl.json".into(),
                machines: vec![MachineRef {
                    name: "order".into(),
                    pointer: String::new(),
                    template: None,
                }],
                diagnostics,
                source: Some(SourceText::new(doc.text.clone(), Some(doc.spans().clone()))),
            },
            FileReport {
                path: "workflows/clean.asl.json".into(),
                machines: vec![MachineRef {
                    name: "clean".into(),
                    pointer: String::new(),
                    template: None,
                }],
                diagnostics: Vec::new(),
                source: None,
            },
        ],
    }
}

fn render(format: Format) -> String {
    report::render(
        &sample(),
        format,
        &report::Options::human(human::Options {
            color: false,
            width: 100,
        }),
    )
}

#[test]
fn human() {
    insta::assert_snapshot!(render(Format::Human));
}

#[test]
fn json() {
    insta::assert_snapshot!(render(Format::Json));
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github));
}

#[test]
fn json_lines() {
    let text = render(Format::JsonLines);
    // One finding per line, each a JSON object with the file's path and the finding's fields.
    for line in text.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(finding["path"], "workflows/order.asl.json");
    }
    assert_eq!(text.lines().count(), 3);
    insta::assert_snapshot!(text);
}

#[test]
fn junit() {
    let text = render(Format::Junit);
    let doc = roxmltree::Document::parse(&text).expect("JUnit output parses as XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("tests"), Some("2"), "a testcase per file");
    assert_eq!(root.attribute("failures"), Some("1"), "one file fails");
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases[0].attribute("name"), Some("workflows/order.asl.json"));
    let failures: Vec<_> = cases[0].children().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), 2, "a failure per error; the warning is in system-out");
    assert_eq!(failures[0].attribute("type"), Some("ASL010"));
    assert!(cases[1].children().all(|n| !n.is_element()), "a clean file passes");
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_results() {
    // The rule table is long and changes with every new rule: snapshot the results only.
    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), aslkit::check::RULES.len());
    insta::assert_json_snapshot!(sarif["runs"][0]["results"]);
}

#[test]
fn in_string_locations_count_characters_through_escapes() {
    let report = sample();
    let file = &report.files[0];
    let r = file.resolve(&file.diagnostics[1]).unwrap();
    // `"Payload.$": "$.order[?(@.total > 0"` — char 20 of the decoded string is the final `0`.
    assert_eq!(&SAMPLE[r.start..r.end], "0");
    assert_eq!((r.line, r.column), (7, 56));
}
