use crate::check::expressions::{in_string, PathField, PathKind};
use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::expr::{jsonpath, SyntaxError};

declare_rule! {
    /// ## What it does
    /// Checks that every path field of a JSONPath state holds a well-formed path: `InputPath`,
    /// `OutputPath`, `ItemsPath`, `ResultPath` (also in catchers), the Choice rule `Variable` and
    /// `…Path` comparisons, and the `…Path` settings (`SecondsPath`, `TimestampPath`,
    /// `TimeoutSecondsPath`, `HeartbeatSecondsPath`, `MaxConcurrencyPath`,
    /// `ToleratedFailure…Path`, `MaxItemsPath`, `MaxItemsPerBatchPath`,
    /// `MaxInputBytesPerBatchPath`). `ErrorPath` and `CausePath` of a Fail state may also hold an
    /// intrinsic function call, which must then be well-formed.
    ///
    /// A path starts with `$` (the state input), `$$` (the context object) or `$name` (a
    /// variable), followed by steps: `.field`, `['field']`, `[0]`, `[*]`, `..field`, `[?(…)]`.
    /// The diagnostic points at the character where the path stops making sense.
    ///
    /// ## Why it matters
    /// Step Functions rejects the definition (`SCHEMA_VALIDATION_FAILED`: "The value for the
    /// field '…' must be a valid JSONPath").
    ///
    /// ## Example
    /// ```json
    /// "Lookup": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///            "ResultPath": ".guid", "End": true}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Lookup": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///            "ResultPath": "$.guid", "End": true}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html>
    /// - <https://states-language.net/spec.html#path>
    pub struct InvalidPath {
        code: "ASL201",
        name: "invalid-path",
        summary: "A path field does not hold a well-formed JSONPath",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl InvalidPath {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        for (field, parsed) in facts.path_fields().iter().zip(facts.parsed_path_fields()) {
            let (Some(text), Some(Err(error))) = (field.value.as_str(), parsed) else {
                continue;
            };
            let d = diagnostic(ctx, field, text, (**error).clone());
            ctx.report(d);
        }
    }
}

fn diagnostic(ctx: &Context<'_, '_>, field: &PathField, text: &str, error: SyntaxError) -> Diagnostic {
    let intrinsic_allowed = field.kind == PathKind::ReferenceOrStringIntrinsic;
    let what = if intrinsic_allowed {
        "a valid path or intrinsic function call"
    } else {
        "a valid path"
    };
    // The detail goes in the message too: JSON, SARIF and GitHub output have no labels.
    let mut d = ctx
        .diagnostic(format!("`{}` is not {what}: {}", field.label(), error.message))
        .at(in_string(&field.pointer(), text, error.span))
        .label("here");
    if text.starts_with("States.") && !intrinsic_allowed {
        d = d.note(
            "intrinsic functions are only evaluated in payload templates (keys ending in `.$`) \
             and in a Fail state's `ErrorPath` and `CausePath`",
        );
    } else if let Some(fixed) = suggestion(text) {
        d = d.help(format!("a path starts with `$`: did you mean \"{fixed}\"?"));
    }
    d
}

/// A likely intended path for text that forgot its `$`: `.guid` → `$.guid`, `guid` → `$.guid`.
fn suggestion(text: &str) -> Option<String> {
    if text.starts_with('$') || text.is_empty() {
        return None;
    }
    let candidate = if text.starts_with('.') || text.starts_with('[') {
        format!("${text}")
    } else {
        format!("$.{text}")
    };
    jsonpath::parse(&candidate).is_ok().then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggests_the_missing_dollar() {
        assert_eq!(suggestion(".guid").as_deref(), Some("$.guid"));
        assert_eq!(suggestion("Error").as_deref(), Some("$.Error"));
        assert_eq!(suggestion("a b"), None);
        assert_eq!(suggestion("$.a b"), None);
    }
}
