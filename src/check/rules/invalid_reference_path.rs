use crate::check::expressions::{in_string, PathKind};
use crate::check::Context;
use crate::declare_rule;
use crate::expr::payload::PayloadExpr;
use crate::expr::reference_path::{self, Error, Roots};

declare_rule! {
    /// ## What it does
    /// Checks that the fields that take a *Reference Path* hold one: a path that names exactly
    /// one node, written only with `.field`, `['field']` and `[index]` — no wildcard (`*`), deep
    /// scan (`..`), filter (`[?(…)]`), slice (`[1:3]`), union (`[0,1]`) or function
    /// (`.length()`). These fields are `ResultPath` (also in catchers), `ItemsPath`, the
    /// `…Path` comparison operands of Choice rules (`StringEqualsPath`, …), `SecondsPath`,
    /// `TimestampPath`, `TimeoutSecondsPath`, `HeartbeatSecondsPath`, `MaxConcurrencyPath`,
    /// `ToleratedFailureCountPath`, `ToleratedFailurePercentagePath`, `MaxItemsPath`,
    /// `MaxItemsPerBatchPath`, `MaxInputBytesPerBatchPath`, and the paths of `ErrorPath` and
    /// `CausePath`.
    ///
    /// `ResultPath` also cannot start at a variable (`$name`): it says where in the state's input
    /// the result goes.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`). A path that may select
    /// several nodes cannot say where to write one result, nor which single number to wait for.
    ///
    /// ## Example
    /// ```json
    /// "Save": {"Type": "Pass", "ResultPath": "$.results[*]", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Save": {"Type": "Pass", "ResultPath": "$.results", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html#amazon-states-language-reference-paths>
    /// - <https://states-language.net/spec.html#ref-paths>
    pub struct InvalidReferencePath {
        code: "ASL202",
        name: "invalid-reference-path",
        summary: "A field that takes a Reference Path holds a path that can select several nodes",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl InvalidReferencePath {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (field, parsed) in facts.path_fields().iter().zip(facts.parsed_path_fields()) {
            let roots = match field.kind {
                PathKind::Path => continue,
                PathKind::Reference(roots) => roots,
                PathKind::ReferenceOrStringIntrinsic => Roots::Any,
            };
            let Some(text) = field.value.as_str().filter(|t| t.starts_with('$')) else {
                continue;
            };
            // Syntax errors are ASL201's. (A string from `$` parses as a path in every kind.)
            let Some(Ok(parsed)) = parsed else { continue };
            let PayloadExpr::Path(path) = &**parsed else {
                continue;
            };
            let error = match reference_path::check(path, roots) {
                Ok(()) | Err(Error::Syntax(_)) => continue,
                Err(error) => error,
            };
            let (label, pointer) = (field.label(), field.pointer());
            let d = match error {
                Error::Indefinite { span, what } => ctx
                    .diagnostic(format!("`{}` must be a Reference Path, but it contains {what}", label))
                    .at(in_string(&pointer, text, span))
                    .label("may select any number of nodes")
                    .note(
                        "a Reference Path names exactly one node: use only `.field`, \
                         `['field']` and `[index]` steps",
                    ),
                Error::Variable { span, name } => ctx
                    .diagnostic(format!("`{}` cannot start at the variable `${name}`", label))
                    .at(in_string(&pointer, text, span))
                    .label("a variable")
                    .help(format!(
                        "`{}` says where in the state input the result goes; to keep a \
                         result in a variable, use `Assign`",
                        label
                    )),
                Error::Syntax(_) => continue,
            };
            ctx.report(d);
        }
    }
}
