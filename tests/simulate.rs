//! End-to-end tests of `aslkit simulate`: every case under `fixtures/simulate/` (a definition,
//! an input, optional Step Functions Local mocks and S3 files, and the expected outcome), the
//! three `examples/` machines with their MockConfigFile test cases, and the exit codes.

// Test helpers outside #[test] fns may unwrap too: a panic is a test failure with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;
use serde_json::{json, Value};

/// Runs `aslkit simulate --format json` with `args`: the exit code and the parsed result.
fn simulate(args: &[&str]) -> (i32, Value) {
    let out = aslkit()
        .arg("simulate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code");
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON result (exit {code}): {}", String::from_utf8_lossy(&out.stderr)));
    (code, value)
}

fn names(result: &Value) -> Vec<String> {
    result["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fixtures_match_their_expected_outcome() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/simulate");
    let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "fixtures/simulate holds the cases");
    for dir in dirs {
        let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
        let mut args = vec![path("definition.asl.json"), "--input".into(), path("input.json")];
        if dir.join("mocks.json").exists() {
            args.extend([
                "--mock-config".into(),
                path("mocks.json"),
                "--test-case".into(),
                "Default".into(),
            ]);
        }
        if dir.join("s3").exists() {
            args.extend(["--s3-root".into(), path("s3")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, got) = simulate(&args);
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(got["status"], expected["status"], "{case}: {got}");
        assert_eq!(code, if expected["status"] == "SUCCEEDED" { 0 } else { 1 }, "{case}");
        for field in ["output", "error", "cause"] {
            if let Some(want) = expected.get(field) {
                assert_eq!(&got[field], want, "{case}: {field}");
            }
        }
        assert_eq!(json!(names(&got)), expected["path"], "{case}: states entered");
        if let Some(attempts) = expected.get("attempts").and_then(Value::as_object) {
            for (state, n) in attempts {
                let record = got["states"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["name"] == *state)
                    .unwrap();
                assert_eq!(&record["attempts"], n, "{case}: attempts of {state}");
            }
        }
    }
}

/// Runs test case `case` of `examples/<name>/`.
fn example(name: &str, case: &str) -> (i32, Value) {
    let dir = format!("examples/{name}");
    let definition = format!("{dir}/{name}.asl.json");
    let input = format!("{dir}/input.json");
    let mocks = format!("{dir}/MockConfigFile.json");
    let s3 = format!("{dir}/s3");
    let mut args = vec![
        definition.as_str(),
        "--input",
        &input,
        "--mock-config",
        &mocks,
        "--test-case",
        case,
    ];
    if Path::new(&s3).exists() {
        args.extend(["--s3-root", &s3]);
    }
    simulate(&args)
}

#[test]
fn order_fulfilment_test_cases() {
    let (code, happy) = example("order-fulfilment", "HappyPath");
    assert_eq!(code, 0);
    assert_eq!(
        happy["output"],
        json!({"status": "CAPTURED", "chargeId": "ch_3PLq9tKZ2b4Xv9mE0a1b2c3d", "declineReason": null})
    );
    assert_eq!(
        names(&happy),
        [
            "ValidateOrder",
            "ChargePayment",
            "CheckPaymentStatus",
            "ReserveInventory",
            "ReserveStock",
            "ReserveStock",
            "ReserveStock",
            "NotifyCustomer",
            "OrderFulfilled"
        ]
    );
    let (code, throttled) = example("order-fulfilment", "ThrottledThenRecovered");
    assert_eq!(code, 0);
    assert_eq!(throttled["output"], happy["output"]);
    assert!(throttled["states"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["attempts"].as_u64() > Some(1)));
    for (case, error) in [
        ("InvalidOrder", "OrderRejected"),
        ("PaymentDeclined", "PaymentDeclined"),
        ("OutOfStockRefunded", "OrderFulfilmentFailed"),
        ("RefundFails", "RefundFailed"),
    ] {
        let (code, failed) = example("order-fulfilment", case);
        assert_eq!(
            (code, failed["status"].as_str(), failed["error"].as_str()),
            (1, Some("FAILED"), Some(error)),
            "{case}"
        );
        assert_eq!(failed["output"], Value::Null);
    }
}

#[test]
fn jsonata_etl_test_cases() {
    let (code, happy) = example("jsonata-etl", "HappyPath");
    assert_eq!(code, 0, "{happy}");
    let output = &happy["output"];
    assert_eq!(output["runDate"], "2024-06-01");
    assert_eq!(output["glueJobRunState"], "SUCCEEDED");
    assert_eq!(
        output["curatedPrefix"],
        "s3://acme-data-lake-eu-west-1/curated/customers/run_date=2024-06-01/"
    );
    let (code, busy) = example("jsonata-etl", "GlueBusyThenSucceeds");
    assert_eq!(code, 0);
    let glue = busy["states"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "CurateWithGlue")
        .unwrap();
    assert_eq!(glue["attempts"], 3);
    let (code, fails) = example("jsonata-etl", "GlueJobFails");
    assert_eq!(
        (code, fails["error"].as_str()),
        (1, Some("CustomerImport.CurateFailed"))
    );
    let (code, broken) = example("jsonata-etl", "NormaliserBroken");
    assert_eq!((code, broken["error"].as_str()), (1, Some("TooManyInvalidRows")));
}

#[test]
fn parallel_callback_test_cases() {
    let (code, happy) = example("parallel-callback", "HappyPath");
    assert_eq!(code, 0, "{happy}");
    assert_eq!(happy["output"]["releaseId"], "2024.06.1");
    assert_eq!(happy["output"]["gates"]["artefacts"]["artefactCount"], 3);
    assert_eq!(
        happy["output"]["gates"]["approval"]["approvedBy"],
        "margaret.hamilton@example.com"
    );
    let (code, _) = example("parallel-callback", "S3ThrottledThenListed");
    assert_eq!(code, 0);
    for (case, error) in [
        ("Rejected", "ReleaseRejected"),
        ("ApprovalHeartbeatLost", "ApprovalExpired"),
        ("BucketMissing", "S3.NoSuchBucketException"),
    ] {
        let (code, failed) = example("parallel-callback", case);
        assert_eq!((code, failed["error"].as_str()), (1, Some(error)), "{case}");
    }
}

#[test]
fn a_task_without_a_mock_is_a_usage_error() {
    aslkit()
        .args([
            "simulate",
            "fixtures/simulate/paths-docs-example/definition.asl.json",
            "--input",
            "fixtures/simulate/paths-docs-example/input.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a mocked result"));
}

#[test]
fn a_definition_that_does_not_validate_is_refused() {
    aslkit()
        .args(["simulate", "fixtures/rules/ASL104/invalid-misspelt-next.asl.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ASL104").and(predicate::str::contains("does not validate")));
}

#[test]
fn human_output_shows_the_path_and_the_outcome() {
    aslkit()
        .args([
            "simulate",
            "fixtures/simulate/map-inline/definition.asl.json",
            "--input",
            "fixtures/simulate/map-inline/input.json",
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::starts_with("▸ Each (Map)\n")
                .and(predicate::str::contains(
                    "    out  the input with {\"labels\":[{\"label\":\"0: tea (EUR)\"},{\"label\":\"1: cake (EUR)\"}]}\n",
                ))
                .and(predicate::str::contains(
                    "  ▸ Label (Pass)\n      in   {\"index\":0,\"name\":\"tea\",\"currency\":\"EUR\"}\n      out  {\"label\":\"0: tea (EUR)\"}\n",
                ))
                .and(predicate::str::contains("SUCCEEDED\n")),
        );
}

#[test]
fn an_item_reader_without_s3_root_is_a_usage_error() {
    aslkit()
        .args([
            "simulate",
            "fixtures/simulate/item-reader-csv/definition.asl.json",
            "--input",
            "fixtures/simulate/item-reader-csv/input.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--s3-root"));
}

#[test]
fn mock_config_errors_name_what_exists() {
    aslkit()
        .args([
            "simulate",
            "examples/order-fulfilment/order-fulfilment.asl.json",
            "--input",
            "examples/order-fulfilment/input.json",
            "--mock-config",
            "examples/order-fulfilment/MockConfigFile.json",
            "--test-case",
            "NoSuchCase",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no test case \"NoSuchCase\"").and(predicate::str::contains("\"HappyPath\"")));
}
