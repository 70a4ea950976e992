//! Where the time of `validate` and `simulate` goes, stage by stage: `cargo bench --bench stages`.
//!
//! Each stage is timed on its own, in process, on generated definitions (written compact; no files from outside
//! the repository), so that a regression shows in the stage that caused it:
//!
//! - `load`: reading and parsing the file into a document (`source::load_path`);
//! - `schema`: JSON Schema validation of the definition (`check::schema::check`);
//! - `model`: building the typed view of the machine (`model::StateMachine::build`);
//! - `rules`: the model, the shared analysis and every rule, without the schema (`check::run_rules`);
//! - `check`: schema, model and every rule together (`check::check_document`);
//! - `simulate`: one execution of a counter loop, reported per state transition.
//!
//! Prints the median and minimum of `ASLKIT_BENCH_ITERATIONS` (default 15) timed iterations
//! after one warm-up.

use std::error::Error;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use aslkit::check::Options;
use aslkit::source::Loaded;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Loop iterations of the simulated counter: 2 × this + 3 transitions when nothing stops it.
const LOOP_ITERATIONS: u64 = 10_000;

fn main() -> Result<()> {
    let iterations = match std::env::var("ASLKIT_BENCH_ITERATIONS") {
        Ok(text) => text.parse::<usize>()?.max(1),
        Err(_) => 15,
    };
    let dir = tempfile::tempdir()?;
    if cfg!(debug_assertions) {
        println!("note: unoptimised build; use `cargo bench` for representative figures");
    }
    println!("{:<48} {:>12} {:>12}", "stage", "median", "min");
    for (label, states) in [("40 states", 40), ("2,000 states", 2_000)] {
        let path = dir.path().join(format!("machine-{states}.asl.json"));
        std::fs::write(&path, serde_json::to_string(&machine(states))?)?;
        let load = || match aslkit::source::load_path(&path) {
            Loaded::Document(doc) => Ok(doc),
            Loaded::Failed(_) => Err("the generated machine did not load"),
        };
        let doc = load()?;
        let options = Options::default();
        if !aslkit::check::check_document(&doc, &options).is_empty() {
            return Err("the generated machine has findings: a false positive".into());
        }
        report(
            &format!("load ({label})"),
            time(iterations, || drop(std::hint::black_box(load()))),
        );
        report(
            &format!("schema ({label})"),
            time(iterations, || {
                let mut out = Vec::new();
                aslkit::check::schema::check(&doc.value, "", &mut out);
                std::hint::black_box(out);
            }),
        );
        report(
            &format!("model ({label})"),
            time(iterations, || {
                std::hint::black_box(aslkit::model::StateMachine::build(&doc.value, ""));
            }),
        );
        report(
            &format!("rules: model, analysis, every rule ({label})"),
            time(iterations, || {
                let mut out = Vec::new();
                aslkit::check::run_rules(&doc, &doc.value, "", &options, &mut out);
                std::hint::black_box(out);
            }),
        );
        report(
            &format!("check: schema + rules ({label})"),
            time(iterations, || {
                std::hint::black_box(aslkit::check::check_document(&doc, &options));
            }),
        );
    }

    // A Standard execution stops at AWS's 25,000-event history limit (about 12,500 transitions
    // here), so the transitions counted are those the run made, not those the loop asks for.
    let definition = counter_loop(LOOP_ITERATIONS);
    let options = aslkit::simulate::Options::default();
    let transitions = aslkit::simulate::run(&definition, "", json!({}), &options)
        .map_err(|e| format!("the counter loop did not run: {e}"))?
        .states
        .len();
    let samples = time(iterations, || {
        let run = aslkit::simulate::run(&definition, "", json!({}), &options);
        std::hint::black_box(run.is_ok());
    });
    let per = |d: Duration| d / u32::try_from(transitions.max(1)).unwrap_or(u32::MAX);
    report(
        &format!("simulate, per transition ({transitions} transitions)"),
        (per(samples.0), per(samples.1)),
    );
    Ok(())
}

/// (median, min) of `iterations` timed runs after one warm-up.
fn time(iterations: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f();
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[samples.len() / 2], samples[0])
}

fn report(label: &str, (median, min): (Duration, Duration)) {
    println!("{label:<48} {:>12} {:>12}", show(median), show(min));
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.2} µs")
    }
}

/// A valid machine of `states` states: Task, Pass and Choice states with paths, payload
/// templates, intrinsic functions, Retry and Catch, in a chain ending in Succeed.
fn machine(states: usize) -> Value {
    let mut all = Map::new();
    let name = |i: usize| format!("Step{i}");
    for i in 0..states - 2 {
        let next = name(i + 1);
        let state = match i % 3 {
            0 => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:f", "Payload.$": "$"},
                "ResultSelector": {"body.$": "$.Payload"},
                "ResultPath": format!("$.results.step{i}"),
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                "Next": next
            }),
            1 => json!({
                "Type": "Pass",
                "Parameters": {
                    "id.$": "$.orderId",
                    "label.$": "States.Format('{}-{}', $.orderId, $$.State.Name)",
                    "count.$": "States.ArrayLength($.items)"
                },
                "ResultPath": "$.context",
                "Next": next
            }),
            _ => json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 100, "Next": next}],
                "Default": next
            }),
        };
        all.insert(name(i), state);
    }
    all.insert(name(states - 2), json!({"Type": "Succeed"}));
    all.insert("Failed".into(), json!({"Type": "Fail", "Error": "Failed"}));
    json!({"StartAt": name(0), "States": all})
}

/// A Choice + Pass loop that counts to `n` with `States.MathAdd`.
fn counter_loop(n: u64) -> Value {
    json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0}, "ResultPath": "$.counter", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.counter.i", "NumericLessThan": n, "Next": "Increment"}],
                "Default": "Done"
            },
            "Increment": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.counter.i, 1)"},
                "ResultPath": "$.counter",
                "Next": "Check"
            },
            "Done": {"Type": "Succeed"}
        }
    })
}
