//! Duration and cost of a simulated run, from its virtual timeline.
//!
//! Duration: from the execution's start to its end on the virtual clock. Each top-level state's
//! share is the time between its entry and its exit (a retried state's waits included). The
//! critical path follows the states that made the run as long as it was: at the top level every
//! state is on it; inside a Parallel or Map, the branch or iteration that ended last, and so on
//! at every depth of nesting.
//!
//! Cost, as AWS prices it: a Standard workflow pays per state transition, an Express workflow per
//! request plus per GB-second of duration at the memory it used. The prices are a table the user
//! can override ([`Prices`]); the defaults are AWS's published prices for US East (N. Virginia).

use serde_json::{json, Value};

use super::{Execution, MachineType, StateRecord};

/// Prices for the cost estimate, in US dollars.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// Standard: per state transition.
    pub per_transition: f64,
    /// Express: per request (execution).
    pub per_request: f64,
    /// Express: per GB-second of duration (first pricing tier).
    pub per_gb_second: f64,
    /// When the prices were taken (ISO date), shown beside the estimate.
    pub as_of: String,
}

impl Default for Prices {
    /// AWS Step Functions pricing, US East (N. Virginia), <https://aws.amazon.com/step-functions/pricing/>:
    /// Standard $0.025 per 1,000 state transitions; Express $1.00 per million requests and
    /// $0.00001667 per GB-second (first 1,000 hours of GB-seconds per month).
    fn default() -> Prices {
        Prices {
            per_transition: 0.025 / 1000.0,
            per_request: 1.0 / 1_000_000.0,
            per_gb_second: 0.000_016_67,
            as_of: "2026-12-06".to_string(),
        }
    }
}

impl Prices {
    /// The default table with the members of `overrides` (a JSON object with any of
    /// `per_transition`, `per_request`, `per_gb_second`, `as_of`) in place.
    pub fn with_overrides(overrides: &Value) -> Result<Prices, String> {
        let mut prices = Prices::default();
        let Some(object) = overrides.as_object() else {
            return Err("the price table must be a JSON object".to_string());
        };
        for (key, value) in object {
            let number = || {
                value
                    .as_f64()
                    .filter(|n| *n >= 0.0)
                    .ok_or_else(|| format!("price \"{key}\" must be a non-negative number"))
            };
            match key.as_str() {
                "per_transition" => prices.per_transition = number()?,
                "per_request" => prices.per_request = number()?,
                "per_gb_second" => prices.per_gb_second = number()?,
                "as_of" => prices.as_of = value.as_str().ok_or("\"as_of\" must be a string")?.to_string(),
                other => {
                    return Err(format!(
                        "unknown price \"{other}\" (known: per_transition, per_request, per_gb_second, as_of)"
                    ))
                }
            }
        }
        Ok(prices)
    }
}

/// Settings for the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct CostOptions {
    pub machine_type: MachineType,
    /// Express: the memory the workflow uses, in MB (billed in 64 MB steps).
    pub memory_mb: u64,
    pub prices: Prices,
}

impl Default for CostOptions {
    fn default() -> CostOptions {
        CostOptions {
            machine_type: MachineType::Standard,
            memory_mb: 64,
            prices: Prices::default(),
        }
    }
}

/// One top-level state's share of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub name: String,
    pub millis: i64,
    /// `millis` as a fraction of the whole run (0 when the run took no time).
    pub fraction: f64,
}

/// Duration, shares, critical path and cost of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub duration_millis: i64,
    /// Per top-level state, summed over the times it was entered, in order of first entry.
    pub shares: Vec<Share>,
    /// The states (with their pointers) the run's length depends on, in order.
    pub critical_path: Vec<String>,
    /// State transitions as AWS bills them: every state entered.
    pub transitions: usize,
    pub cost_usd: f64,
    pub options: CostOptions,
}

/// Computes the statistics of a finished run.
pub fn stats(execution: &Execution, options: &CostOptions) -> Stats {
    let duration = (execution.end_millis - execution.start_millis).max(0);
    let mut shares: Vec<Share> = Vec::new();
    for s in execution.states.iter().filter(|s| s.depth == 0) {
        let millis = spent(s, execution.end_millis);
        match shares.iter_mut().find(|x| *x.name == *s.name) {
            Some(x) => x.millis += millis,
            None => shares.push(Share {
                name: s.name.to_string(),
                millis,
                fraction: 0.0,
            }),
        }
    }
    for s in &mut shares {
        s.fraction = if duration > 0 {
            s.millis as f64 / duration as f64
        } else {
            0.0
        };
    }
    let transitions = execution.states.len();
    let cost_usd = match options.machine_type {
        MachineType::Standard => transitions as f64 * options.prices.per_transition,
        MachineType::Express => {
            // Express bills duration in 100 ms steps and memory in 64 MB steps.
            let billed_millis = ((duration + 99) / 100).max(1) * 100;
            let billed_mb = options.memory_mb.div_ceil(64).max(1) * 64;
            let gb_seconds = billed_mb as f64 / 1024.0 * billed_millis as f64 / 1000.0;
            options.prices.per_request + gb_seconds * options.prices.per_gb_second
        }
    };
    Stats {
        duration_millis: duration,
        shares,
        critical_path: critical_path(&execution.states, execution.end_millis),
        transitions,
        cost_usd,
        options: options.clone(),
    }
}

fn spent(s: &StateRecord, end: i64) -> i64 {
    (s.exited_millis.unwrap_or(end) - s.entered_millis).max(0)
}

/// The critical path: every top-level state, and inside a Parallel or Map the chain of states
/// that ended last: the nested state that exited last, the state of the same scope that exited
/// as it entered, and so on back to the branch's start; each state on that chain is expanded the
/// same way, at every depth of nesting.
fn critical_path(states: &[StateRecord], end: i64) -> Vec<String> {
    let mut path = Vec::new();
    for (i, s) in states.iter().enumerate() {
        if s.depth != 0 {
            continue;
        }
        path.push(s.pointer.to_string());
        let nested: Vec<&StateRecord> = states[i + 1..].iter().take_while(|n| n.depth > 0).collect();
        expand(&nested, s, end, &mut path);
    }
    path
}

/// Appends the chain that ended last among the states nested directly in `parent` (a Parallel
/// or Map state), each followed by its own chain.
fn expand(nested: &[&StateRecord], parent: &StateRecord, end: i64, path: &mut Vec<String>) {
    let exit = |n: &StateRecord| n.exited_millis.unwrap_or(end);
    let depth = parent.depth + 1;
    let prefix = format!("{}/", parent.pointer);
    let inside: Vec<&StateRecord> = nested
        .iter()
        .copied()
        .filter(|n| n.pointer.starts_with(&prefix) && n.entered_millis >= parent.entered_millis)
        .collect();
    let Some(last) = inside.iter().filter(|n| n.depth == depth).max_by_key(|n| exit(n)) else {
        return;
    };
    let mut chain = vec![*last];
    let mut current = *last;
    while let Some(before) = inside.iter().rev().find(|n| {
        n.depth == depth
            && scope_of(&n.pointer) == scope_of(&current.pointer)
            && exit(n) == current.entered_millis
            && !std::ptr::eq(**n, current)
    }) {
        if chain.iter().any(|c| std::ptr::eq(*c, *before)) {
            break;
        }
        chain.push(before);
        current = before;
    }
    for member in chain.into_iter().rev() {
        path.push(member.pointer.to_string());
        expand(&inside, member, end, path);
    }
}

/// The scope a state pointer belongs to: the pointer without its `/States/<name>` tail.
fn scope_of(pointer: &str) -> &str {
    pointer.rfind("/States/").map_or(pointer, |i| &pointer[..i])
}

/// The statistics as JSON (the `stats` member of `simulate --format json --stats`).
pub fn to_json(stats: &Stats) -> Value {
    json!({
        "duration_seconds": stats.duration_millis as f64 / 1000.0,
        "states": stats.shares.iter().map(|s| json!({
            "name": s.name, "seconds": s.millis as f64 / 1000.0, "share": s.fraction,
        })).collect::<Vec<_>>(),
        "critical_path": stats.critical_path,
        "transitions": stats.transitions,
        "cost": {
            "usd": stats.cost_usd,
            "type": match stats.options.machine_type { MachineType::Standard => "STANDARD", MachineType::Express => "EXPRESS" },
            "memory_mb": stats.options.memory_mb,
            "prices": {
                "per_transition": stats.options.prices.per_transition,
                "per_request": stats.options.prices.per_request,
                "per_gb_second": stats.options.prices.per_gb_second,
                "as_of": stats.options.prices.as_of,
            }
        }
    })
}

/// The statistics for people: duration, shares, critical path, cost.
pub fn to_human(stats: &Stats) -> String {
    let mut out = format!("duration  {} s\n", stats.duration_millis as f64 / 1000.0);
    let width = stats.shares.iter().map(|s| s.name.chars().count()).max().unwrap_or(0);
    for s in &stats.shares {
        out.push_str(&format!(
            "  {:<width$}  {:>8} s  {:>3.0}%\n",
            s.name,
            s.millis as f64 / 1000.0,
            s.fraction * 100.0
        ));
    }
    out.push_str(&format!("critical path  {}\n", stats.critical_path.join(" → ")));
    let kind = match stats.options.machine_type {
        MachineType::Standard => "Standard: per state transition".to_string(),
        MachineType::Express => format!("Express: per request and GB-second at {} MB", stats.options.memory_mb),
    };
    out.push_str(&format!(
        "cost  ${:.8} for {} transitions ({kind}; prices of {})\n",
        stats.cost_usd, stats.transitions, stats.options.prices.as_of
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{Execution, Status};

    fn record(name: &str, depth: usize, entered: i64, exited: i64) -> StateRecord {
        StateRecord {
            name: name.into(),
            kind: "Wait",
            pointer: format!("/States/{name}").into(),
            depth,
            input: crate::simulate::Payload::Omitted,
            output: None,
            attempts: 1,
            entered_millis: entered,
            exited_millis: Some(exited),
            variables: None,
        }
    }

    fn at(pointer: &str, depth: usize, entered: i64, exited: i64) -> StateRecord {
        StateRecord {
            pointer: pointer.into(),
            ..record("x", depth, entered, exited)
        }
    }

    #[test]
    fn critical_path_goes_through_nested_parallels() {
        // P runs two branches; branch 1 holds a Parallel Q whose branch 1 (a 5 s Wait) ends last.
        let p = "/States/P";
        let b0 = "/States/P/Branches/0/States";
        let b1 = "/States/P/Branches/1/States";
        let states = vec![
            at(p, 0, 0, 6000),
            at(&format!("{b0}/A"), 1, 0, 2000),
            at(&format!("{b1}/Q"), 1, 0, 5000),
            at(&format!("{b1}/Q/Branches/0/States/W1"), 2, 0, 1000),
            at(&format!("{b1}/Q/Branches/1/States/W2"), 2, 0, 5000),
            at(&format!("{b1}/After"), 1, 5000, 6000),
            at("/States/Done", 0, 6000, 6000),
        ];
        assert_eq!(
            critical_path(&states, 6000),
            [
                p.to_string(),
                format!("{b1}/Q"),
                format!("{b1}/Q/Branches/1/States/W2"),
                format!("{b1}/After"),
                "/States/Done".to_string()
            ]
        );
    }

    #[test]
    fn shares_and_costs() {
        let execution = Execution {
            status: Status::Succeeded,
            output: None,
            error: None,
            cause: None,
            states: vec![record("A", 0, 0, 1000), record("B", 0, 1000, 4000)],
            history: Vec::new(),
            start_millis: 0,
            end_millis: 4000,
        };
        let s = stats(&execution, &CostOptions::default());
        assert_eq!(s.duration_millis, 4000);
        assert_eq!(s.shares[1].fraction, 0.75);
        assert!((s.cost_usd - 2.0 * 0.000_025).abs() < 1e-12);
        let express = CostOptions {
            machine_type: MachineType::Express,
            memory_mb: 128,
            ..CostOptions::default()
        };
        let e = stats(&execution, &express);
        // 1 request + 0.125 GB × 4 s.
        assert!((e.cost_usd - (0.000_001 + 0.5 * 0.000_016_67)).abs() < 1e-12);
        let custom =
            Prices::with_overrides(&serde_json::json!({"per_transition": 1.0, "as_of": "2030-01-01"})).unwrap();
        assert_eq!(custom.per_transition, 1.0);
        assert!(Prices::with_overrides(&serde_json::json!({"nope": 1})).is_err());
    }
}
