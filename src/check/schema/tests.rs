use super::errors::required_list;
use super::words::JSONATA_HELP;
use super::*;
use crate::diagnostic::Location;
use serde_json::json;

/// (code, pointer, message) of every diagnostic for a machine at the root of a file.
fn check_at(machine: Value, pointer: &str) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    check(&machine, pointer, &mut out);
    out.into_iter()
        .map(|d| {
            let pointer = d.pointer().unwrap_or_default().to_string();
            (d.code, pointer, d.message)
        })
        .collect()
}

fn diags(machine: Value) -> Vec<(&'static str, String, String)> {
    check_at(machine, "")
}

fn one(machine: Value) -> Diagnostic {
    let mut out = Vec::new();
    check(&machine, "", &mut out);
    assert_eq!(out.len(), 1, "expected one diagnostic, got {out:#?}");
    out.remove(0)
}

fn machine(states: Value) -> Value {
    json!({"StartAt": "A", "States": states})
}

#[test]
fn schema_parses_and_compiles() {
    assert!(compiled().is_some());
}

/// The translation relies on the conventions stated in the schema's `$comment`.
#[test]
fn schema_follows_the_conventions_the_translation_relies_on() {
    fn walk(node: &Value, path: &str, problems: &mut Vec<String>) {
        match node {
            Value::Object(o) => {
                for (k, v) in o {
                    let here = format!("{path}/{k}");
                    match k.as_str() {
                        "oneOf" | "anyOf" => {
                            let ok = v.as_array().is_some_and(|alts| {
                                alts.iter().all(|a| required_list(a).is_some_and(|f| f.len() == 1))
                            });
                            if !ok {
                                problems.push(format!("{here}: not a list of {{required: [field]}}"));
                            }
                        }
                        "not" if required_list(v).is_none() => {
                            problems.push(format!("{here}: not {{required: [...]}}"));
                        }
                        "pattern" if v.as_str() != Some(JSONATA_PATTERN) && !path.ends_with("/propertyNames") => {
                            problems.push(format!("{here}: unexpected pattern"));
                        }
                        // `State` dispatches to the per-type schemas, which close the
                        // object; `if` schemas only test a field.
                        "properties"
                            if o.get("additionalProperties").is_none()
                                && !path.ends_with("/$defs/State")
                                && !path.ends_with("/if") =>
                        {
                            problems.push(format!("{path}: open object"));
                        }
                        _ => {}
                    }
                    walk(v, &here, problems);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(v, &format!("{path}/{i}"), problems);
                }
            }
            _ => {}
        }
    }
    let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("valid JSON");
    let mut problems = Vec::new();
    walk(&schema, "", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_complete_machine_has_no_findings() {
    let m = json!({
        "Comment": "all kinds of states",
        "StartAt": "Task",
        "TimeoutSeconds": 3600,
        "Version": "1.0",
        "States": {
            "Task": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2, "MaxDelaySeconds": 60, "JitterStrategy": "FULL"}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fail"}],
                "TimeoutSecondsPath": "$.timeout",
                "HeartbeatSeconds": 60,
                "Credentials": {"RoleArn.$": "$.role"},
                "Next": "Wait"
            },
            "Wait": {"Type": "Wait", "Seconds": 0, "Next": "Choice"},
            "Choice": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Map"}],
                "Default": "Done"
            },
            "Map": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Inner",
                    "States": {"Inner": {"Type": "Pass", "End": true}}
                },
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
                    "Parameters": {"Bucket": "b", "Key": "k"}
                },
                "ItemBatcher": {"MaxItemsPerBatch": 10, "MaxInputBytesPerBatch": 262144},
                "ResultWriter": {"WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
                "ToleratedFailurePercentage": 5.5,
                "Label": "Files",
                "Next": "Parallel"
            },
            "Parallel": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"},
            "Fail": {"Type": "Fail", "ErrorPath": "$.error.Error", "Cause": "failed"}
        }
    });
    assert_eq!(diags(m), vec![]);
}

#[test]
fn jsonata_expressions_are_accepted_where_numbers_are() {
    let m = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "T"},
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": "{% $states.input %}",
                "TimeoutSeconds": "{% $timeout %}",
                "Assign": {"x": "{% $states.result %}"},
                "Output": "{% $states.result.Payload %}",
                "Next": "M"
            },
            "M": {
                "Type": "Map",
                "Items": "{% $states.input.list %}",
                "MaxConcurrency": "{% $n %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                "End": true
            }
        }
    });
    assert_eq!(diags(m), vec![]);
}

#[test]
fn unknown_field_points_at_the_key_and_suggests() {
    let d = one(machine(
        json!({"A": {"Type": "Pass", "Nxt": "B"}, "B": {"Type": "Succeed"}}),
    ));
    assert_eq!(d.code, "ASL010");
    assert_eq!(d.message, "unknown field `Nxt` in Pass state \"A\"");
    assert_eq!(d.location, Some(Location::key("/States/A/Nxt")));
    assert_eq!(d.help.as_deref(), Some("did you mean \"Next\"?"));
    assert!(d.note.as_deref().is_some_and(|n| n.contains("`Result`")));
    assert_eq!(d.aws_code, Some("SCHEMA_VALIDATION_FAILED"));
}

#[test]
fn a_field_of_another_state_type_says_where_it_belongs() {
    let d = one(machine(
        json!({"A": {"Type": "Pass", "TimeoutSeconds": 5, "End": true}}),
    ));
    assert_eq!(d.message, "field `TimeoutSeconds` is not allowed in Pass state \"A\"");
    assert!(d
        .note
        .as_deref()
        .is_some_and(|n| n.starts_with("`TimeoutSeconds` is a field of Task states")));
}

#[test]
fn unknown_fields_are_rejected_in_nested_objects() {
    let found = diags(machine(json!({
        "A": {
            "Type": "Map",
            "ItemProcessor": {"QueryLanguage": "JSONata", "StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputTyp": "CSV"}},
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempt": 2}],
            "Catch": [{"ErrorEquals": ["E"], "Next": "A", "Foo": 1}],
            "End": true
        }
    })));
    let pointers: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/States/A/ItemProcessor/QueryLanguage",
            "/States/A/ItemReader/ReaderConfig/InputTyp",
            "/States/A/Retry/0/MaxAttempt",
            "/States/A/Catch/0/Foo",
        ]
    );
    assert!(found.iter().all(|(code, _, _)| *code == "ASL010"));
    assert_eq!(found[2].2, "unknown field `MaxAttempt` in a retrier of Map state \"A\"");
}

#[test]
fn a_misspelt_required_field_gives_one_diagnostic() {
    let found = diags(machine(
        json!({"A": {"Type": "Task", "Resorce": "arn:aws:states:::lambda:invoke", "Nxt": "A"}}),
    ));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|(code, _, _)| *code == "ASL010"));
}

#[test]
fn missing_required_fields_are_named_at_the_object() {
    let d = one(machine(json!({"A": {"Type": "Task", "End": true}})));
    assert_eq!(d.code, "ASL011");
    assert_eq!(d.message, "Task state \"A\" is missing required field `Resource`");
    assert_eq!(d.location, Some(Location::key("/States/A")));
    assert!(d.note.as_deref().is_some_and(|n| n.starts_with("`Resource`: The ARN")));

    let d = one(json!({}));
    assert_eq!(
        d.message,
        "the state machine is missing required fields `StartAt` and `States`"
    );
}

#[test]
fn conditional_requirements_name_their_condition() {
    let d = one(machine(json!({"A": {
        "Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
        "End": true
    }})));
    assert_eq!(
        d.message,
        "`ProcessorConfig` of Map state \"A\" is missing field `ExecutionType`, required when `Mode` is \"DISTRIBUTED\""
    );
    assert!(d.note.as_deref().is_some_and(|n| n.contains("STANDARD")));
}

#[test]
fn wrong_types_name_the_expected_type() {
    let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": "10", "End": true}})));
    assert_eq!(d.code, "ASL012");
    assert_eq!(d.message, "`Seconds` must be an integer, not a string");
    assert_eq!(d.location, Some(Location::value("/States/A/Seconds")));
    assert_eq!(d.help.as_deref(), Some("write the number without quotes: 10"));

    let d = one(machine(
        json!({"A": {"Type": "Wait", "Seconds": "$.delay", "End": true}}),
    ));
    assert_eq!(d.help.as_deref(), Some(JSONATA_HELP));

    let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": 1.5, "End": true}})));
    assert_eq!(d.message, "`Seconds` must be an integer, not a fractional number");

    let d = one(machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": [1]}], "End": true}}),
    ));
    assert_eq!(d.message, "each entry of `ErrorEquals` must be a string, not a number");

    let d = one(machine(json!({"A": "Pass"})));
    assert_eq!(d.message, "state \"A\" must be an object, not a string");
}

#[test]
fn resource_accepts_cloudformation_intrinsics_only() {
    let ok = machine(
        json!({"A": {"Type": "Task", "Resource": {"Fn::GetAtt": ["F", "Arn"]}, "Next": "B"},
                            "B": {"Type": "Task", "Resource": {"Ref": "Activity"}, "End": true}}),
    );
    assert_eq!(diags(ok), vec![]);
    let d = one(machine(
        json!({"A": {"Type": "Task", "Resource": {"Arn": "x"}, "End": true}}),
    ));
    assert_eq!(d.code, "ASL012");
    assert_eq!(d.message, "`Resource` must be a string, not an object");
}

#[test]
fn intrinsics_anywhere_are_left_to_cloudformation_inside_templates() {
    let m = machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                 "TimeoutSeconds": {"Ref": "Timeout"}, "End": true}}),
    );
    assert_eq!(check_at(m.clone(), "/Resources/M/Properties/Definition"), vec![]);
    let bare = diags(m);
    assert_eq!(bare.len(), 1);
    assert_eq!(bare[0].0, "ASL012");
}

#[test]
fn pointers_are_prefixed_with_the_machine_pointer() {
    let found = check_at(
        machine(json!({"A": {"Type": "Pass", "Nxt": "B"}})),
        "/Resources/M/Properties/Definition",
    );
    assert_eq!(found[0].1, "/Resources/M/Properties/Definition/States/A/Nxt");
}

#[test]
fn state_names_are_escaped_in_pointers() {
    let d = one(machine(json!({"a/b~c": {"Type": "Pass", "End": true, "Foo": 1}})));
    assert_eq!(d.location, Some(Location::key("/States/a~1b~0c/Foo")));
    assert_eq!(d.message, "unknown field `Foo` in Pass state \"a/b~c\"");
}

#[test]
fn enumerations_suggest_the_close_value() {
    let d = one(machine(json!({"A": {"Type": "Tsk", "End": true}})));
    assert_eq!(d.code, "ASL013");
    assert_eq!(d.message, "unknown state type \"Tsk\"");
    assert_eq!(d.help.as_deref(), Some("did you mean \"Task\"?"));

    let d = one(json!({"QueryLanguage": "jsonata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}));
    assert_eq!(
        d.message,
        "`QueryLanguage` must be \"JSONPath\" or \"JSONata\", not \"jsonata\""
    );
    assert_eq!(d.help.as_deref(), Some("did you mean \"JSONata\"?"));
}

#[test]
fn end_false_is_one_problem_even_next_to_next() {
    let d = one(machine(
        json!({"A": {"Type": "Pass", "Next": "B", "End": false}, "B": {"Type": "Succeed"}}),
    ));
    assert_eq!(d.code, "ASL013");
    assert_eq!(d.message, "`End` must be true");
}

#[test]
fn ranges_name_their_bounds() {
    let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": -1, "End": true}})));
    assert_eq!(d.code, "ASL014");
    assert_eq!(d.message, "`Seconds` must be between 0 and 99999999, not -1");
    let d = one(machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}], "End": true}}),
    ));
    assert_eq!(d.message, "`BackoffRate` must be at least 1, not 0.5");
    let d = one(machine(json!({"A": {"Type": "Parallel", "Branches": [], "End": true}})));
    assert_eq!(d.message, "`Branches` must not be empty");
    // A `Label`'s length is ASL118's, not the schema's: one problem, one report.
    let long = "x".repeat(41);
    let found = diags(machine(
        json!({"A": {"Type": "Map", "Label": long, "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, "End": true}}),
    ));
    assert_eq!(found, vec![]);
}

#[test]
fn excluding_fields_point_at_the_second_one() {
    let d = one(machine(
        json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "TimeoutSecondsPath": "$.t", "TimeoutSeconds": 5, "End": true}}),
    ));
    assert_eq!(d.code, "ASL015");
    assert_eq!(
        d.message,
        "`TimeoutSecondsPath` and `TimeoutSeconds` cannot be used together"
    );
    assert_eq!(d.location, Some(Location::key("/States/A/TimeoutSeconds")));
    assert_eq!(d.labels.len(), 1);
}

#[test]
fn exactly_one_of_is_explained_without_schema_jargon() {
    let d = one(machine(json!({"A": {"Type": "Wait", "End": true}})));
    assert_eq!(d.code, "ASL015");
    assert_eq!(
        d.message,
        "Wait state \"A\" needs exactly one of `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`"
    );
    assert_eq!(d.location, Some(Location::key("/States/A")));

    let d = one(machine(json!({"A": {"Type": "Pass"}})));
    assert_eq!(d.message, "Pass state \"A\" needs `Next` or `End`");

    let d = one(machine(json!({"A": {"Type": "Pass", "Next": "A", "End": true}})));
    assert_eq!(d.message, "`Next` and `End` cannot be used together");
    assert_eq!(d.location, Some(Location::key("/States/A/End")));

    let d = one(machine(
        json!({"A": {"Type": "Wait", "Seconds": 1, "Timestamp": "2026-01-01T00:00:00Z", "End": true}}),
    ));
    assert_eq!(
        d.message,
        "only one of `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath` may be used, found `Seconds` and `Timestamp`"
    );
}

#[test]
fn no_message_speaks_json_schema() {
    let broken = machine(json!({
        "A": {"Type": "Wait", "Seconds": "x", "SecondsPath": 1, "Next": "B", "End": false},
        "B": {"Type": "Map", "Iterator": {}, "ItemProcessor": {"StartAt": 1}, "ItemSelector": {}, "Parameters": {},
              "ItemBatcher": {"MaxItemsPerBatch": 0, "MaxItemsPerBatchPath": "$.n"},
              "ResultWriter": {"WriterConfig": {"OutputType": "CSV"}}, "End": true},
        "C": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "Cause": 1},
        "D": {"Type": "Task", "Resource": "r", "Credentials": {"RoleArn": "a", "RoleArn.$": "$.r"}, "End": true},
        "E": {"Type": "Choice", "Choices": ["x"], "Default": 1},
        "F": {"Type": "Parallel", "Branches": [{"StartAt": "G"}], "End": true},
        "G": {}
    }));
    let found = diags(broken);
    assert!(found.len() > 10, "{found:#?}");
    for (_, _, message) in &found {
        for jargon in ["oneOf", "anyOf", "allOf", "not allowed for", "is valid under", "schema"] {
            assert!(!message.contains(jargon), "{message}");
        }
    }
}
