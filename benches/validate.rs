//! How fast is `aslkit validate`? Run with `cargo bench --bench validate`.
//!
//! The bench generates deterministic, valid definitions in-process: 500 typical machines of about
//! twenty states (Task, Choice, Map, Parallel, Pass, Wait, Succeed and Fail, with Retry and
//! Catch), one large machine of about 900 KiB (just under AWS's 1 MiB definition quota) and one
//! deeply nested machine (Parallel and Map alternating). It writes them to a temporary directory
//! and times the library's validate path exactly as the binary drives it (`inputs::expand`, then
//! `aslkit::validate`, so file walking, reading, parsing, the schema and every rule are included)
//! with `std::time::Instant`, printing the median and minimum of several iterations per case.
//! There is no criterion: a small table is all we need and keeps the dependency tree lean.
//!
//! Every generated machine must validate clean; a diagnostic on one is a false positive, and the
//! bench says so rather than timing it quietly.
//!
//! `cargo bench --bench validate -- --generate DIR` only writes the corpus (`DIR/typical/*.asl.json`,
//! `DIR/large.asl.json`, `DIR/deep.asl.json`), for `bench/run.sh` to time the binary with.
//! `ASLKIT_BENCH_ITERATIONS` overrides the number of timed iterations.

use std::collections::{HashSet, VecDeque};
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use aslkit::check::Options;
use aslkit::diagnostic::Severity;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const TYPICAL_COUNT: usize = 500;
const LARGE_TARGET_BYTES: usize = 900 * 1024;
const AWS_MAX_DEFINITION_BYTES: usize = 1024 * 1024;
const DEEP_LEVELS: usize = 48;
const SEED: u64 = 0x5EED_A51C_2024;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let dir = args.get(i + 1).ok_or("--generate needs a directory")?;
        let corpus = Corpus::write(Path::new(dir))?;
        println!(
            "wrote {} typical machines ({}) to {}, plus {} and {}",
            corpus.typical.files,
            human_bytes(corpus.typical.bytes),
            corpus.typical.path.display(),
            corpus.large.path.display(),
            corpus.deep.path.display()
        );
        return Ok(());
    }

    let iterations = match std::env::var("ASLKIT_BENCH_ITERATIONS") {
        Ok(text) => text.parse::<usize>()?.max(1),
        Err(_) => 15,
    };
    let dir = tempfile::tempdir()?;
    let corpus = Corpus::write(dir.path())?;

    if cfg!(debug_assertions) {
        println!("note: unoptimised build; use `cargo bench` for representative figures");
    }
    println!("aslkit validate, {iterations} timed iterations per case (after one warm-up)");
    println!(
        "{:<28} {:>6} {:>10} {:>7} {:>11} {:>11}",
        "case", "files", "bytes", "states", "median", "min"
    );
    let mut clean = true;
    for case in [&corpus.typical, &corpus.large, &corpus.deep] {
        let timing = measure(case, iterations);
        clean &= timing.errors == 0;
        println!(
            "{:<28} {:>6} {:>10} {:>7} {:>11} {:>11}",
            case.label,
            case.files,
            human_bytes(case.bytes),
            case.states,
            human_duration(timing.median),
            human_duration(timing.min)
        );
        if timing.errors > 0 {
            println!(
                "  ! {} diagnostic(s) on generated machines that AWS accepts: false positives",
                timing.errors
            );
        }
    }
    if !clean {
        return Err("the validator reported problems in valid generated machines".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// One thing to validate: a directory of typical machines or a single file.
struct Case {
    label: String,
    path: PathBuf,
    files: usize,
    bytes: usize,
    states: usize,
}

struct Timing {
    median: Duration,
    min: Duration,
    /// Diagnostics reported in the warm-up run (all generated machines are valid).
    errors: usize,
}

fn measure(case: &Case, iterations: usize) -> Timing {
    let options = Options::default();
    let run = || {
        let inputs = aslkit::inputs::expand(std::slice::from_ref(&case.path));
        aslkit::validate(&inputs, &options)
    };
    let warm_up = run();
    let errors = warm_up
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.severity >= Severity::Warning)
        .count();
    for file in warm_up.files.iter().filter(|f| !f.diagnostics.is_empty()).take(3) {
        for d in file.diagnostics.iter().take(3) {
            eprintln!("  {}: {} {}", file.path, d.code, d.message);
        }
    }
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            let report = run();
            let elapsed = start.elapsed();
            std::hint::black_box(report);
            elapsed
        })
        .collect();
    samples.sort();
    Timing {
        median: samples[samples.len() / 2],
        min: samples[0],
        errors,
    }
}

fn human_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.1} µs", ms * 1000.0)
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus on disk

struct Corpus {
    typical: Case,
    large: Case,
    deep: Case,
}

impl Corpus {
    fn write(root: &Path) -> Result<Corpus> {
        let typical_dir = root.join("typical");
        fs::create_dir_all(&typical_dir)?;
        let mut rng = Rng(SEED);
        let (mut bytes, mut states) = (0, 0);
        for i in 0..TYPICAL_COUNT {
            let target = rng.range(13, 21);
            let machine = Builder::new(rng.next_u64()).machine(target, "Order-processing workflow");
            let text = serde_json::to_string_pretty(&machine.definition)?;
            bytes += text.len();
            states += machine.states;
            fs::write(
                typical_dir.join(format!("{i:03}-{}states.asl.json", machine.states)),
                text,
            )?;
        }
        let typical = Case {
            label: format!("{TYPICAL_COUNT} typical (~20 states)"),
            path: typical_dir,
            files: TYPICAL_COUNT,
            bytes,
            states,
        };

        let (big, big_text) = large_machine(rng.next_u64())?;
        let large = write_single(root, "large.asl.json", "large (~900 KiB)", &big_text)?;
        let large = Case {
            states: big.states,
            ..large
        };

        let deep_machine = deep_machine(DEEP_LEVELS);
        let deep_text = serde_json::to_string_pretty(&deep_machine.definition)?;
        let label = format!("deep ({DEEP_LEVELS} nested levels)");
        let deep = write_single(root, "deep.asl.json", &label, &deep_text)?;
        let deep = Case {
            states: deep_machine.states,
            ..deep
        };
        Ok(Corpus { typical, large, deep })
    }
}

fn write_single(root: &Path, file: &str, label: &str, text: &str) -> Result<Case> {
    let path = root.join(file);
    fs::write(&path, text)?;
    Ok(Case {
        label: label.to_string(),
        path,
        files: 1,
        bytes: text.len(),
        states: 0,
    })
}

/// Grows a machine until its pretty-printed text is about [`LARGE_TARGET_BYTES`], staying under
/// the AWS quota so that it is still a machine AWS would accept.
fn large_machine(seed: u64) -> Result<(Generated, String)> {
    let mut budget = 2000;
    let mut best = None;
    for _ in 0..8 {
        let machine = Builder::new(seed).machine(budget, "Large generated workflow");
        let text = serde_json::to_string_pretty(&machine.definition)?;
        let len = text.len();
        let fits = len < AWS_MAX_DEFINITION_BYTES;
        if fits {
            best = Some((machine, text));
        }
        let low = LARGE_TARGET_BYTES - LARGE_TARGET_BYTES / 50;
        let high = LARGE_TARGET_BYTES + LARGE_TARGET_BYTES / 50;
        if fits && (low..=high).contains(&len) {
            break;
        }
        budget = (budget * LARGE_TARGET_BYTES / len).max(1);
    }
    best.ok_or_else(|| "could not size the large machine under the 1 MiB quota".into())
}

// ---------------------------------------------------------------------------------------------
// Generating machines

/// A deterministic pseudo-random sequence (SplitMix64): the corpus is the same on every run
/// without pulling in a random-number crate.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A generated definition and how many states it has, nested ones included.
struct Generated {
    definition: Value,
    states: usize,
}

/// One `States` object under construction, with the error handler its catchers go to (created
/// on first use, since a Catch can only target a state of its own scope).
#[derive(Default)]
struct Scope {
    states: Map<String, Value>,
    handler: Option<String>,
}

#[derive(Clone, Copy)]
enum Step {
    Task,
    Pass,
    Wait,
    Choice,
    Parallel,
    Map,
}

const VERBS: &[&str] = &[
    "Validate",
    "Fetch",
    "Enrich",
    "Transform",
    "Store",
    "Notify",
    "Check",
    "Score",
    "Publish",
    "Archive",
    "Reconcile",
    "Approve",
    "Audit",
];
const NOUNS: &[&str] = &[
    "Order", "Customer", "Invoice", "Payment", "Shipment", "Stock", "Report", "Claim", "Ticket", "Account", "Quote",
    "Refund",
];
const REGION_ACCOUNT: &str = "eu-west-1:123456789012";

struct Builder {
    rng: Rng,
    used: HashSet<String>,
    states: usize,
}

impl Builder {
    fn new(seed: u64) -> Self {
        Builder {
            rng: Rng(seed),
            used: HashSet::new(),
            states: 0,
        }
    }

    /// A machine of about `budget` states (plus error handlers) ending in a Succeed state.
    fn machine(mut self, budget: usize, comment: &str) -> Generated {
        let mut top = Scope::default();
        let done = self.name("Done");
        self.add(&mut top, &done, json!({"Type": "Succeed"}));
        let start = self.seq(&mut top, budget.saturating_sub(1).max(1), Some(&done), 0);
        let definition = json!({
            "Comment": comment,
            "StartAt": start,
            "TimeoutSeconds": 86400,
            "States": flow_order(top.states, &start),
        });
        Generated {
            definition,
            states: self.states,
        }
    }

    fn name(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }

    fn any_name(&mut self) -> String {
        let base = format!("{}{}", self.rng.pick(VERBS), self.rng.pick(NOUNS));
        self.name(&base)
    }

    fn add(&mut self, scope: &mut Scope, name: &str, state: Value) {
        self.states += 1;
        scope.states.insert(name.to_string(), state);
    }

    /// The scope's error handler: a Pass that shapes the error, then a Fail.
    fn handler(&mut self, scope: &mut Scope) -> String {
        if let Some(h) = &scope.handler {
            return h.clone();
        }
        let handle = self.name("HandleError");
        let fail = self.name("WorkflowFailed");
        self.add(
            scope,
            &handle,
            json!({
                "Type": "Pass",
                "Parameters": {
                    "failedState.$": "$$.State.Name",
                    "error.$": "$.error.Error",
                    "cause.$": "$.error.Cause"
                },
                "Next": fail
            }),
        );
        self.add(
            scope,
            &fail,
            json!({"Type": "Fail", "Error": "Workflow.Failed", "CausePath": "$.cause"}),
        );
        scope.handler = Some(handle.clone());
        handle
    }

    /// About `budget` states in a row ending at `next` (`None`: the last one ends its scope);
    /// returns the name of the first.
    fn seq(&mut self, scope: &mut Scope, budget: usize, next: Option<&str>, depth: usize) -> String {
        let mut plan = Vec::new();
        let mut left = budget.max(1);
        while left > 0 {
            if left >= 5 && depth < 2 && self.rng.chance(30) {
                let size = self.rng.range(4, left.min(10));
                let kind = [Step::Choice, Step::Parallel, Step::Map][self.rng.below(3)];
                plan.push((kind, size));
                left -= size;
            } else {
                let roll = self.rng.below(10);
                let kind = if roll < 6 {
                    Step::Task
                } else if roll < 9 {
                    Step::Pass
                } else {
                    Step::Wait
                };
                plan.push((kind, 1));
                left -= 1;
            }
        }
        let mut entry = next.map(str::to_string);
        for (kind, size) in plan.into_iter().rev() {
            entry = Some(self.step(scope, kind, size, entry.as_deref(), depth));
        }
        entry.unwrap_or_default()
    }

    fn step(&mut self, scope: &mut Scope, kind: Step, size: usize, next: Option<&str>, depth: usize) -> String {
        match kind {
            Step::Task => {
                let name = self.any_name();
                let state = self.task(scope, &name);
                self.add(scope, &name, finish(state, next));
                name
            }
            Step::Pass => {
                let noun = self.rng.pick(NOUNS);
                let name = self.name(&format!("Build{noun}"));
                let state = self.pass();
                self.add(scope, &name, finish(state, next));
                name
            }
            Step::Wait => {
                let noun = self.rng.pick(NOUNS);
                let name = self.name(&format!("WaitFor{noun}"));
                let state = if self.rng.chance(50) {
                    json!({"Type": "Wait", "Seconds": self.rng.range(1, 300)})
                } else {
                    json!({"Type": "Wait", "SecondsPath": "$.delaySeconds"})
                };
                self.add(scope, &name, finish(state, next));
                name
            }
            Step::Choice => self.choice(scope, size, next, depth),
            Step::Parallel => self.parallel(scope, size, next, depth),
            Step::Map => self.map(scope, size, next, depth),
        }
    }

    fn task(&mut self, scope: &mut Scope, name: &str) -> Value {
        let mut state = match self.rng.below(4) {
            0 | 1 => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                    "FunctionName": format!("arn:aws:lambda:{REGION_ACCOUNT}:function:{}:live", kebab(name)),
                    "Payload.$": "$"
                },
                "ResultSelector": {"body.$": "$.Payload"},
                "ResultPath": format!("$.results.{name}"),
                "TimeoutSeconds": 60,
                "Retry": [{
                    "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 3,
                    "BackoffRate": 2.0,
                    "MaxDelaySeconds": 10,
                    "JitterStrategy": "FULL"
                }]
            }),
            2 => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {
                    "TableName": "orders",
                    "Key": {"orderId": {"S.$": "$.orderId"}}
                },
                "ResultSelector": {"item.$": "$.Item"},
                "ResultPath": "$.record",
                "Retry": [{
                    "ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"],
                    "IntervalSeconds": 2,
                    "MaxAttempts": 5,
                    "BackoffRate": 1.5
                }]
            }),
            _ => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": format!("arn:aws:sns:{REGION_ACCOUNT}:order-events"),
                    "Message.$": "States.Format('{} reached {} with {} item(s)', $.orderId, $$.State.Name, States.ArrayLength($.items))"
                },
                "ResultPath": null
            }),
        };
        if self.rng.chance(60) {
            let handler = self.handler(scope);
            state["Catch"] = json!([
                {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": handler},
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}
            ]);
        }
        state
    }

    fn pass(&mut self) -> Value {
        match self.rng.below(3) {
            0 => json!({
                "Type": "Pass",
                "Parameters": {
                    "orderId.$": "$.orderId",
                    "reference.$": "States.Format('{}-{}', $.orderId, $.customer.id)",
                    "itemCount.$": "States.ArrayLength($.items)",
                    "requestId.$": "States.UUID()"
                },
                "ResultPath": "$.context"
            }),
            1 => json!({
                "Type": "Pass",
                "Result": {"source": "generator", "version": 2},
                "ResultPath": "$.meta"
            }),
            _ => json!({"Type": "Pass", "InputPath": "$", "OutputPath": "$"}),
        }
    }

    fn rule(&mut self) -> Value {
        match self.rng.below(6) {
            0 => json!({"Variable": "$.amount", "NumericGreaterThan": 100}),
            1 => json!({"Variable": "$.status", "StringEquals": "APPROVED"}),
            2 => json!({"Variable": "$.customer.vip", "BooleanEquals": true}),
            3 => json!({"Variable": "$.amount", "NumericLessThanEqualsPath": "$.limit"}),
            4 => json!({"And": [
                {"Variable": "$.orderId", "IsPresent": true},
                {"Variable": "$.orderId", "StringMatches": "ORD-*"}
            ]}),
            _ => {
                json!({"Not": {"Variable": "$.createdAt", "TimestampLessThan": "2020-01-01T00:00:00Z"}})
            }
        }
    }

    fn choice(&mut self, scope: &mut Scope, size: usize, next: Option<&str>, depth: usize) -> String {
        let noun = self.rng.pick(NOUNS);
        let name = self.name(&format!("Is{noun}Ready"));
        let inner = size - 1;
        let arms = if inner >= 3 && self.rng.chance(50) { 3 } else { 2 };
        let targets: Vec<String> = split(inner, arms)
            .into_iter()
            .map(|s| self.seq(scope, s, next, depth + 1))
            .collect();
        let default = targets.last().cloned().unwrap_or_default();
        let rules = &targets[..targets.len().saturating_sub(1)];
        let choices: Vec<Value> = rules
            .iter()
            .map(|target| {
                let mut rule = self.rule();
                rule["Next"] = json!(target);
                rule
            })
            .collect();
        let state = json!({"Type": "Choice", "Choices": choices, "Default": default});
        self.add(scope, &name, state);
        name
    }

    fn parallel(&mut self, scope: &mut Scope, size: usize, next: Option<&str>, depth: usize) -> String {
        let noun = self.rng.pick(NOUNS);
        let name = self.name(&format!("Run{noun}Checks"));
        let inner = size - 1;
        let count = if inner >= 3 && self.rng.chance(40) { 3 } else { 2 };
        let branches: Vec<Value> = split(inner, count)
            .into_iter()
            .map(|s| {
                let mut branch = Scope::default();
                let start = self.seq(&mut branch, s, None, depth + 1);
                json!({"StartAt": start, "States": flow_order(branch.states, &start)})
            })
            .collect();
        let mut state = json!({
            "Type": "Parallel",
            "Branches": branches,
            "ResultSelector": {"first.$": "$[0]", "all.$": "$"},
            "ResultPath": "$.checks"
        });
        if self.rng.chance(50) {
            let handler = self.handler(scope);
            state["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}]);
        }
        self.add(scope, &name, finish(state, next));
        name
    }

    fn map(&mut self, scope: &mut Scope, size: usize, next: Option<&str>, depth: usize) -> String {
        let noun = self.rng.pick(NOUNS);
        let name = self.name(&format!("ForEach{noun}"));
        let mut body = Scope::default();
        let start = self.seq(&mut body, size - 1, None, depth + 1);
        let mut state = json!({
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemSelector": {
                "orderId.$": "$.orderId",
                "item.$": "$$.Map.Item.Value",
                "index.$": "$$.Map.Item.Index"
            },
            "MaxConcurrency": self.rng.range(1, 10),
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": start,
                "States": flow_order(body.states, &start)
            },
            "ResultPath": "$.mapped"
        });
        if self.rng.chance(50) {
            let handler = self.handler(scope);
            state["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}]);
        }
        self.add(scope, &name, finish(state, next));
        name
    }
}

/// Adds the transition: `Next` when there is a following state, `End` otherwise.
fn finish(mut state: Value, next: Option<&str>) -> Value {
    match next {
        Some(next) => state["Next"] = json!(next),
        None => state["End"] = json!(true),
    }
    state
}

/// `total` split into `parts` positive sizes, as evenly as possible.
fn split(total: usize, parts: usize) -> Vec<usize> {
    let parts = parts.clamp(1, total.max(1));
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

/// `ValidateOrder2` → `validate-order2`, for function names.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Reorders a `States` object breadth-first from `start`, as people write them (the builder
/// creates states back to front).
fn flow_order(mut states: Map<String, Value>, start: &str) -> Map<String, Value> {
    let mut ordered = Map::new();
    let mut queue = VecDeque::from([start.to_string()]);
    while let Some(name) = queue.pop_front() {
        let Some(state) = states.remove(&name) else {
            continue;
        };
        for key in ["Next", "Default"] {
            if let Some(target) = state.get(key).and_then(Value::as_str) {
                queue.push_back(target.to_string());
            }
        }
        for list in ["Choices", "Catch"] {
            for item in state.get(list).and_then(Value::as_array).into_iter().flatten() {
                if let Some(target) = item.get("Next").and_then(Value::as_str) {
                    queue.push_back(target.to_string());
                }
            }
        }
        ordered.insert(name, state);
    }
    ordered.extend(states);
    ordered
}

/// Parallel and Map alternating `levels` deep; every level has a state before and after the
/// nested one, and every nested state catches into a recovery state of its own scope.
fn deep_machine(levels: usize) -> Generated {
    let mut count = 0;
    let mut start = format!("Leaf{levels}");
    let mut states = Map::new();
    states.insert(
        start.clone(),
        json!({"Type": "Pass", "Result": {"depth": levels}, "ResultPath": "$.leaf", "End": true}),
    );
    count += 1;
    for level in (1..=levels).rev() {
        let enter = format!("Enter{level}");
        let nest = format!("Nest{level}");
        let recover = format!("Recover{level}");
        let leave = format!("Leave{level}");
        let body = json!({"StartAt": start, "States": states});
        let mut nested = if level % 2 == 0 {
            json!({"Type": "Parallel", "Branches": [body], "ResultPath": format!("$.level{level}")})
        } else {
            let mut processor = body;
            processor["ProcessorConfig"] = json!({"Mode": "INLINE"});
            json!({
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"items.$": "$.items", "value.$": "$$.Map.Item.Value"},
                "MaxConcurrency": 2,
                "ItemProcessor": processor,
                "ResultPath": format!("$.level{level}")
            })
        };
        nested["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": recover}]);
        nested["Next"] = json!(leave);
        states = Map::new();
        states.insert(
            enter.clone(),
            json!({"Type": "Pass", "Parameters": {"items.$": "$.items", "level": level}, "Next": nest}),
        );
        states.insert(nest, nested);
        states.insert(
            recover,
            json!({"Type": "Pass", "Result": "recovered", "ResultPath": "$.status", "Next": leave}),
        );
        states.insert(leave, json!({"Type": "Pass", "End": true}));
        count += 4;
        start = enter;
    }
    Generated {
        definition: json!({
            "Comment": format!("Parallel and Map alternating {levels} levels deep"),
            "StartAt": start,
            "States": states
        }),
        states: count,
    }
}
