use serde_json::Value;

use crate::check::{Context, MachineType};
use crate::declare_rule;
use crate::model::StateType;

declare_rule! {
    /// ## What it does
    /// In an Express state machine (`--type express`, or `StateMachineType: EXPRESS` in a
    /// template), reports literal durations longer than the five minutes an Express execution
    /// may run: the top-level `TimeoutSeconds`, a Task's `TimeoutSeconds` and a Wait's
    /// `Seconds`.
    ///
    /// It does not fire on Standard machines, nor on durations taken from the input
    /// (`SecondsPath`, `TimeoutSecondsPath`, JSONata expressions) or on `Timestamp` waits,
    /// whose length is only known at run time.
    ///
    /// ## Why it matters
    /// An Express execution is stopped after 300 seconds, whatever the definition says: a
    /// longer Wait or timeout is never reached, and the execution ends as timed out — with
    /// at-least-once Express semantics, possibly after side effects it will repeat.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Cool", "States": {"Cool": {"Type": "Wait", "Seconds": 600, "End": true}}}
    /// ```
    /// (checked with `--type express`)
    ///
    /// ## Use instead
    /// ```json
    /// {"StartAt": "Cool", "States": {"Cool": {"Type": "Wait", "Seconds": 60, "End": true}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html> (Express: "up to five minutes")
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html>
    pub struct ExpressDurationLimit {
        code: "ASL315",
        name: "express-duration-limit",
        summary: "An Express machine waits or times out after more than its 5-minute limit",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// The longest an Express execution runs.
const EXPRESS_LIMIT_SECONDS: u64 = 300;

impl ExpressDurationLimit {
    fn check(ctx: &mut Context<'_, '_>) {
        if ctx.options.machine_type != MachineType::Express {
            return;
        }
        let mut found = Vec::new();
        if let Some(seconds) = ctx
            .machine
            .object
            .and_then(|o| o.get("TimeoutSeconds"))
            .and_then(Value::as_u64)
        {
            found.push((
                ctx.machine.field_pointer("TimeoutSeconds"),
                "the state machine's `TimeoutSeconds`".to_string(),
                seconds,
            ));
        }
        for (_, state) in ctx.machine.all_states() {
            let field = match state.kind {
                Some(StateType::Task) => "TimeoutSeconds",
                Some(StateType::Wait) => "Seconds",
                _ => continue,
            };
            if let Some(seconds) = state.get(field).and_then(Value::as_u64) {
                found.push((
                    state.field_pointer(field),
                    format!("`{field}` of \"{}\"", state.name),
                    seconds,
                ));
            }
        }
        for (pointer, what, seconds) in found {
            if seconds <= EXPRESS_LIMIT_SECONDS {
                continue;
            }
            let d = ctx
                .diagnostic(format!(
                    "{what} is {seconds} s, but an Express execution ends after {EXPRESS_LIMIT_SECONDS} s"
                ))
                .at_value(pointer)
                .label("longer than an Express execution can run")
                .help("keep it under 300 seconds, or use a Standard state machine for long waits");
            ctx.report(d);
        }
    }
}
