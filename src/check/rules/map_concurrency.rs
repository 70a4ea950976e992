use serde_json::Value;

use crate::check::Context;
use crate::declare_rule;
use crate::model::{State, StateType};

declare_rule! {
    /// ## What it does
    /// Reports an inline Map state (no `ProcessorConfig.Mode` of `DISTRIBUTED`) without
    /// `MaxConcurrency` or `MaxConcurrencyPath`.
    ///
    /// It does not fire on Distributed Map states (their child executions are separate
    /// workflows), nor when a concurrency limit is set, whatever its value.
    ///
    /// ## Why it matters
    /// Without a limit, an inline Map starts as many iterations at once as Step Functions allows
    /// (up to 40): each item's Lambda calls, database writes or API requests arrive together,
    /// which is how a larger input turns into throttling errors, exhausted connection pools or
    /// Lambda concurrency taken from other functions. Setting `MaxConcurrency` makes the fan-out
    /// a decision (`0` still means "no limit", deliberately).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items",
    ///   "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 10,
    ///   "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html> (`MaxConcurrency`)
    pub struct MapWithoutConcurrencyLimit {
        code: "ASL313",
        name: "map-without-concurrency-limit",
        summary: "An inline Map state has no `MaxConcurrency`: its fan-out is unbounded",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// Whether a Map state runs in Distributed mode.
pub fn is_distributed(state: &State<'_>) -> bool {
    state
        .get("ItemProcessor")
        .and_then(|p| p.get("ProcessorConfig"))
        .and_then(|c| c.get("Mode"))
        .and_then(Value::as_str)
        == Some("DISTRIBUTED")
}

impl MapWithoutConcurrencyLimit {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Map)
                || is_distributed(state)
                || state.has("MaxConcurrency")
                || state.has("MaxConcurrencyPath")
            {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "Map state \"{}\" runs its iterations with no concurrency limit",
                    state.name
                ))
                .at_key(state.pointer.clone())
                .label("every item at once (up to 40)")
                .help("set `MaxConcurrency` to what the services it calls can take (0 means no limit, on purpose)");
            ctx.report(d);
        }
    }
}
