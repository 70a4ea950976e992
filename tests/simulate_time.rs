//! Time and concurrency in the simulator, through its library entry point: Parallel branches and
//! Map iterations overlap on the virtual clock, task durations come from the mocks, timeouts and
//! heartbeats fire at the right instant, and AWS's limits (history length, Express duration)
//! end executions as AWS ends them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use aslkit::simulate::{self, Execution, MachineType, MockCase, Options, Status};
use serde_json::{json, Value};

const START: i64 = 1_700_000_000_000;

fn run_with(definition: Value, input: Value, mocks: Option<Value>, machine_type: MachineType) -> Execution {
    let options = Options {
        machine_name: "m".into(),
        mocks: mocks.map(|m| MockCase::from_config(&m, None, "t").unwrap()),
        s3_root: None,
        start_millis: START,
        machine_type,
        seed: 0,
        execution_name: None,
        record_variables: false,
        record: Default::default(),
    };
    simulate::run(&definition, "", input, &options).unwrap()
}

fn run(definition: Value, input: Value, mocks: Option<Value>) -> Execution {
    run_with(definition, input, mocks, MachineType::Standard)
}

fn seconds(e: &Execution) -> f64 {
    (e.end_millis - e.start_millis) as f64 / 1000.0
}

fn types(e: &Execution) -> Vec<String> {
    e.history.iter().map(|ev| ev.kind.name()).collect()
}

fn wait_branch(seconds: u64) -> Value {
    json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": true}}})
}

#[test]
fn parallel_branches_with_waits_overlap() {
    let definition = json!({
        "TimeoutSeconds": 15,
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [wait_branch(10), wait_branch(10)], "End": true}}
    });
    let e = run(definition, json!({}), None);
    assert_eq!(e.status, Status::Succeeded, "{:?}", e.error);
    assert_eq!(seconds(&e), 10.0);
    assert_eq!(e.output, Some(json!([{}, {}])));
}

#[test]
fn map_with_max_concurrency_two_ends_when_its_slowest_slot_ends() {
    // Items take 3, 1, 2, 4 and 1 seconds. Two slots: 0 ends at 3, 1 at 1; 2 runs 1–3; then 3
    // runs 3–7 and 4 runs 3–4: the map ends at 7 s (one after another it would take 11 s).
    let definition = json!({
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "End": true,
            "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}}}
    });
    let e = run(definition, json!([3, 1, 2, 4, 1]), None);
    assert_eq!(e.status, Status::Succeeded, "{:?}", e.cause);
    assert_eq!(seconds(&e), 7.0);
    let unbounded = json!({
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}}}
    });
    assert_eq!(seconds(&run(unbounded, json!([3, 1, 2, 4, 1]), None)), 4.0);
}

#[test]
fn task_durations_come_from_the_mocks_and_overlap_in_a_map() {
    let definition = json!({
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "End": true,
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
                "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}
    });
    let mocks = json!({
        "StateMachines": {"m": {"TestCases": {"t": {"Work": "Slow"}}}},
        "MockedResponses": {"Slow": {"0-9": {"Return": {"ok": true}, "Duration": 2.5}}}
    });
    let e = run(definition, json!([1, 2, 3]), Some(mocks));
    assert_eq!(e.status, Status::Succeeded);
    assert_eq!(seconds(&e), 5.0);
}

#[test]
fn a_timeout_branch_racing_a_polling_branch_fails_the_parallel_at_its_instant() {
    // The either-or pattern: one branch polls a job that never finishes, the other gives up
    // after 30 seconds. On AWS the Parallel fails with the timeout branch's error at 30 s.
    let definition = json!({
        "StartAt": "Race",
        "States": {
            "Race": {"Type": "Parallel", "Next": "Done",
                "Catch": [{"ErrorEquals": ["GaveUp"], "ResultPath": "$.error", "Next": "TooSlow"}],
                "Branches": [
                    {"StartAt": "Poll", "States": {
                        "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ready?"},
                        "Ready?": {"Type": "Choice", "Choices": [
                            {"Variable": "$.status", "StringEquals": "DONE", "Next": "Finished"}], "Default": "Pause"},
                        "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
                        "Finished": {"Type": "Succeed"}}},
                    {"StartAt": "Clock", "States": {
                        "Clock": {"Type": "Wait", "Seconds": 30, "Next": "GiveUp"},
                        "GiveUp": {"Type": "Fail", "Error": "GaveUp", "Cause": "took too long"}}}
                ]},
            "Done": {"Type": "Succeed"},
            "TooSlow": {"Type": "Pass", "End": true}
        }
    });
    let mocks = json!({
        "StateMachines": {"m": {"TestCases": {"t": {"Poll": "Pending"}}}},
        "MockedResponses": {"Pending": {"0": {"Return": {"status": "PENDING"}, "Duration": 1}}}
    });
    let e = run(definition, json!({}), Some(mocks));
    assert_eq!(e.status, Status::Succeeded, "{:?} {:?}", e.error, e.cause);
    assert_eq!(seconds(&e), 30.0);
    assert_eq!(
        e.output,
        Some(json!({"error": {"Error": "GaveUp", "Cause": "took too long"}}))
    );
    let t = types(&e);
    assert!(
        t.contains(&"WaitStateAborted".to_string()) || t.contains(&"TaskStateAborted".to_string()),
        "{t:?}"
    );
    assert!(t.contains(&"ParallelStateFailed".to_string()));
}

#[test]
fn heartbeat_and_task_timeouts_fire_at_their_instant() {
    let definition = json!({
        "StartAt": "Callback",
        "States": {"Callback": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "HeartbeatSeconds": 5, "TimeoutSeconds": 60, "End": true}}
    });
    let mocks = json!({
        "StateMachines": {"m": {"TestCases": {"t": {"Callback": "Late"}}}},
        "MockedResponses": {"Late": {"0": {"Return": {}, "Duration": 20}}}
    });
    let e = run(definition.clone(), json!({}), Some(mocks));
    assert_eq!(e.status, Status::Failed);
    assert_eq!(e.error.as_deref(), Some("States.HeartbeatTimeout"));
    assert_eq!(seconds(&e), 5.0);
    assert!(types(&e).contains(&"TaskTimedOut".to_string()));
    let mocks = json!({
        "StateMachines": {"m": {"TestCases": {"t": {"Callback": "VeryLate"}}}},
        "MockedResponses": {"VeryLate": {"0": {"Return": {}, "Duration": 90}}}
    });
    let mut no_heartbeat = definition;
    no_heartbeat["States"]["Callback"]
        .as_object_mut()
        .unwrap()
        .remove("HeartbeatSeconds");
    let e = run(no_heartbeat, json!({}), Some(mocks));
    assert_eq!(e.error.as_deref(), Some("States.Timeout"));
    assert_eq!(seconds(&e), 60.0);
}

#[test]
fn the_machine_timeout_fires_inside_a_branch() {
    let definition = json!({
        "TimeoutSeconds": 15,
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [wait_branch(10), wait_branch(20)], "End": true}}
    });
    let e = run(definition, json!({}), None);
    assert_eq!(e.status, Status::TimedOut);
    assert_eq!(seconds(&e), 15.0);
    assert_eq!(types(&e).last().map(String::as_str), Some("ExecutionTimedOut"));
}

#[test]
fn a_standard_history_stops_at_25000_events() {
    let definition = json!({
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "End"}], "Default": "Count"},
            "End": {"Type": "Succeed"}
        }
    });
    let e = run(definition.clone(), json!({}), None);
    assert_eq!(e.status, Status::Failed);
    assert_eq!(e.error.as_deref(), Some("States.Runtime"));
    assert_eq!(e.history.len(), 25_000);
    assert_eq!(types(&e).last().map(String::as_str), Some("ExecutionFailed"));
}

#[test]
fn an_express_execution_times_out_after_five_minutes() {
    let definition = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400, "End": true}}});
    let e = run_with(definition.clone(), json!({}), None, MachineType::Express);
    assert_eq!(e.status, Status::TimedOut);
    assert_eq!(seconds(&e), 300.0);
    assert_eq!(run(definition, json!({}), None).status, Status::Succeeded);
}

#[test]
fn history_ids_chain_as_aws_records_them() {
    let definition = json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "M"},
            "M": {"Type": "Map", "End": true,
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}
        }
    });
    let e = run(definition, json!([1, 2]), None);
    let chain: Vec<(u64, u64, String)> = e
        .history
        .iter()
        .map(|ev| (ev.id, ev.previous, ev.kind.name()))
        .collect();
    let expected = [
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "MapStateEntered"),
        (5, 4, "MapStateStarted"),
        (6, 5, "MapIterationStarted"),
        (7, 6, "PassStateEntered"),
        (8, 7, "PassStateExited"),
        (9, 8, "MapIterationSucceeded"),
        (10, 8, "MapIterationStarted"),
        (11, 10, "PassStateEntered"),
        (12, 11, "PassStateExited"),
        (13, 12, "MapIterationSucceeded"),
        (14, 13, "MapStateSucceeded"),
        (15, 13, "MapStateExited"),
        (16, 15, "ExecutionSucceeded"),
    ];
    let expected: Vec<(u64, u64, String)> = expected.iter().map(|(a, b, c)| (*a, *b, c.to_string())).collect();
    assert_eq!(chain, expected);
}
