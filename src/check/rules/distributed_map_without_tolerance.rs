use crate::check::rules::map_concurrency::is_distributed;
use crate::check::Context;
use crate::declare_rule;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// Reports a Distributed Map state without `ToleratedFailurePercentage`,
    /// `ToleratedFailureCount` (or their `…Path` forms).
    ///
    /// It does not fire on inline Map states, nor when either tolerance is set — `0` included,
    /// which says "no failure is acceptable" on purpose. It is information, not a warning:
    /// failing the whole run on the first failed item is sometimes what you want.
    ///
    /// ## Why it matters
    /// A Distributed Map processes thousands to millions of items. By default one failed child
    /// execution fails the whole Map Run, and the work of every other item is thrown away (the
    /// error is `States.ExceedToleratedFailureThreshold`). Deciding how many failures are
    /// acceptable — and collecting them with `ResultWriter` — is part of designing the run.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 100,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    ///     "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 100,
    ///   "ToleratedFailurePercentage": 5,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    ///     "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    ///   "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html>
    pub struct DistributedMapWithoutTolerance {
        code: "ASL314",
        name: "distributed-map-without-tolerance",
        summary: "A Distributed Map fails the whole run on its first failed item (no tolerated failures set)",
        severity: Info,
        aws_code: None,
        group: Lint,
    }
}

impl DistributedMapWithoutTolerance {
    fn check(ctx: &mut Context<'_, '_>) {
        for (_, state) in ctx.machine.all_states() {
            if state.kind != Some(StateType::Map) || !is_distributed(state) {
                continue;
            }
            let tolerant = [
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
            ]
            .iter()
            .any(|f| state.has(f));
            if tolerant {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "Distributed Map \"{}\" fails the whole run on its first failed item",
                    state.name
                ))
                .at_key(state.pointer.clone())
                .label("no tolerated failures")
                .help("set `ToleratedFailurePercentage` or `ToleratedFailureCount` (0 to keep failing on the first, deliberately)");
            ctx.report(d);
        }
    }
}
