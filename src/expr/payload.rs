//! The values of `….$` keys: a path or an intrinsic function call.
//!
//! In a JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`, …)
//! a key ending in `.$` says "evaluate my value": the value must be a path (`$.a`, `$$.Task.Token`,
//! `$myVar`) or an intrinsic call (`States.Format(…)`). [`parse_payload_value`] decides which
//! from the first character and parses accordingly, so an error always speaks the grammar the
//! author was writing.
//!
//! [`evaluate_template`] builds the payload a template describes: static values are copied,
//! each `key.$` becomes `key` holding the value of its expression, recursively through objects
//! and arrays. Its errors carry what AWS's `States.Runtime` / `States.IntrinsicFailure` causes
//! quote: the field, the expression and the input.

use std::rc::Rc;

use serde_json::{Map, Value};

use super::intrinsics::{self, Call, Entropy, IntrinsicError};
use super::jsonpath::{self, Context, Path, PathError};
use super::{Chars, Span, SyntaxError};

/// A parsed `….$` value.
#[derive(Debug, Clone, PartialEq)]
pub enum PayloadExpr {
    Path(Path),
    Intrinsic(Call),
}

/// Parses the value of a `….$` key.
pub fn parse_payload_value(s: &str) -> Result<PayloadExpr, SyntaxError> {
    match s.chars().next() {
        Some('$') => jsonpath::parse(s).map(PayloadExpr::Path),
        Some(c) if c.is_whitespace() => Err(SyntaxError::new(
            Span::new(0, 1),
            "unexpected whitespace before the expression",
        )),
        Some(c) if (c.is_alphabetic() || c == '_') && looks_like_call(s) => {
            intrinsics::parse(s).map(PayloadExpr::Intrinsic)
        }
        _ => Err(SyntaxError::new(
            Span::new(0, s.chars().count()),
            "a path starts with `$`, `$$` or `$variable`, and an intrinsic function call looks \
             like `States.Format(…)`",
        )),
    }
}

/// How many parsed texts [`parsed`] keeps (per thread) before it starts over: far more than a
/// definition of AWS's 1 MiB holds in practice, and a bound on what a process that runs many
/// definitions keeps.
const PARSED_TEXTS: usize = 4096;

thread_local! {
    static PARSED: super::ParseCache<PayloadExpr> = super::ParseCache::new(PARSED_TEXTS);
}

/// [`parse_payload_value`], parsed once per text and thread (see [`super::ParseCache`]).
pub fn parsed(s: &str) -> Result<Rc<PayloadExpr>, SyntaxError> {
    PARSED.with(|cache| cache.get_or_parse(s, parse_payload_value))
}

/// Whether `s` reads as an attempt at a call: `Name(`, `States.…`.
fn looks_like_call(s: &str) -> bool {
    if s.starts_with("States.") {
        return true;
    }
    let name_end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    s[name_end..].trim_start().starts_with('(')
}

/// Whether a plain string looks like it was meant to be evaluated: a well-formed path from `$`
/// or `$$`, or a well-formed `States.` call. Variables (`$name`) do not count: a literal such as
/// `"$USD"` is common and legitimate.
pub fn looks_like_expression(s: &str) -> bool {
    let path_like = s == "$" || s.starts_with("$.") || s.starts_with("$[") || s.starts_with("$$");
    (path_like && jsonpath::parse(s).is_ok()) || (s.starts_with("States.") && intrinsics::parse(s).is_ok())
}

/// Why a payload template could not be evaluated. `field` is the key as written, `….$`
/// included, as AWS quotes it.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum PayloadError {
    /// A path (the value, or an argument of an intrinsic call) selected nothing:
    /// `"JobName.$": "$.JobName"` with input `{}`. `input` is the template's input as compact
    /// JSON.
    #[error("The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{input}'")]
    PathNotFound { field: String, path: String, input: String },
    /// A path could not be evaluated for another reason: an undefined variable, an invalid
    /// filter or function.
    #[error("The JSONPath '{path}' specified for the field '{field}' could not be evaluated: {error}")]
    Path {
        field: String,
        path: String,
        error: PathError,
    },
    /// An intrinsic function rejected its arguments: `"item.$": "States.ArrayGetItem($.a, 9)"`
    /// past the end of `a`.
    #[error("The function '{expression}' specified for the field '{field}' failed: {error}")]
    Intrinsic {
        field: String,
        expression: String,
        error: IntrinsicError,
    },
    /// The value of a `….$` key is not a path or an intrinsic call (validation rejects this
    /// before a run): `"a.$": 5`, `"a.$": "hello"`.
    #[error("The value of the field '{field}' is not a JSONPath or an intrinsic function: {reason}")]
    NotAnExpression { field: String, reason: String },
}

impl PayloadError {
    /// The error name a state fails with.
    pub fn error_name(&self) -> &'static str {
        match self {
            PayloadError::Intrinsic { error, .. } => error.error_name(),
            _ => crate::error_names::RUNTIME,
        }
    }
}

/// Builds the payload `template` describes (`Parameters`, `ResultSelector`, `ItemSelector`,
/// `Assign` in JSONPath states): paths and intrinsic calls in `….$` fields are evaluated
/// against `ctx`, everything else is copied.
pub fn evaluate_template(template: &Value, ctx: &Context, entropy: &mut dyn Entropy) -> Result<Value, PayloadError> {
    match template {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        let value = evaluate_field(key, value, ctx, entropy)?;
                        out.insert(name.to_string(), value);
                    }
                    None => {
                        out.insert(key.clone(), evaluate_template(value, ctx, entropy)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|item| evaluate_template(item, ctx, entropy))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Evaluates the value of the `….$` field `field`.
pub fn evaluate_field(
    field: &str,
    value: &Value,
    ctx: &Context,
    entropy: &mut dyn Entropy,
) -> Result<Value, PayloadError> {
    let Value::String(text) = value else {
        return Err(PayloadError::NotAnExpression {
            field: field.to_string(),
            reason: format!("it is not a string but {value}"),
        });
    };
    let expression = parsed(text).map_err(|e| PayloadError::NotAnExpression {
        field: field.to_string(),
        reason: e.message,
    })?;
    let path_error = |path: String, error: PathError| match error {
        PathError::NotFound { .. } => PayloadError::PathNotFound {
            field: field.to_string(),
            path,
            input: ctx.input.to_string(),
        },
        error => PayloadError::Path {
            field: field.to_string(),
            path,
            error,
        },
    };
    match &*expression {
        PayloadExpr::Path(path) => jsonpath::evaluate(path, ctx).map_err(|e| path_error(text.clone(), e)),
        PayloadExpr::Intrinsic(call) => intrinsics::evaluate(call, ctx, entropy).map_err(|error| match error {
            IntrinsicError::Path { span, error } => path_error(Chars::new(text).slice(span.start, span.end), error),
            error => PayloadError::Intrinsic {
                field: field.to_string(),
                expression: text.clone(),
                error,
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn classifies_by_first_character() {
        assert!(matches!(parse_payload_value("$.a"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(parse_payload_value("$$"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(parse_payload_value("$v.a"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(
            parse_payload_value("States.UUID()"),
            Ok(PayloadExpr::Intrinsic(_))
        ));
        // Unknown names parse; `intrinsics::check` reports them.
        assert!(matches!(
            parse_payload_value("States.Xyz($.a)"),
            Ok(PayloadExpr::Intrinsic(_)),
        ));
        assert!(matches!(
            parse_payload_value("JsonToString($)"),
            Ok(PayloadExpr::Intrinsic(_)),
        ));
    }

    #[test]
    fn errors() {
        let span = |s: &str| parse_payload_value(s).unwrap_err().span;
        assert_eq!(span(""), Span::point(0));
        assert_eq!(span("ipsum"), Span::new(0, 5));
        assert_eq!(span("23"), Span::new(0, 2));
        assert_eq!(span(" States.Array($.a)"), Span::new(0, 1));
        assert_eq!(span("$$23"), Span::new(2, 3));
        assert_eq!(span("States. "), Span::point(8));
    }

    /// Evaluates `template` against `input`, with a `$$` that has a task token.
    fn build(template: Value, input: Value) -> Result<Value, String> {
        let context = json!({"Task": {"Token": "token-1"}});
        let ctx = Context::new(&input).with_context_object(&context);
        let mut entropy = intrinsics::SplitMix64::new(1);
        evaluate_template(&template, &ctx, &mut entropy).map_err(|e| e.to_string())
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    #[test]
    fn aws_parameters_example() {
        let input = json!({
            "comment": "Example for Parameters.",
            "product": {
                "details": {"color": "blue", "size": "small", "material": "cotton"},
                "availability": "in stock", "sku": "2317", "cost": "$23"
            }
        });
        let template = json!({
            "comment": "Selecting what I care about.",
            "MyDetails": {
                "size.$": "$.product.details.size",
                "exists.$": "$.product.availability",
                "StaticValue": "foo"
            }
        });
        assert_eq!(
            build(template, input),
            Ok(json!({
                "comment": "Selecting what I care about.",
                "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}
            }))
        );
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    #[test]
    fn aws_result_selector_examples() {
        let result = json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {
                "SdkHttpMetadata": {"HttpHeaders": {"Content-Length": "1112"}, "HttpStatusCode": 200},
                "SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
                "ClusterId": "AKIAIOSFODNN7EXAMPLE"
            }
        });
        let template = json!({"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"});
        assert_eq!(
            build(template, result),
            Ok(json!({"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"}))
        );
        // Flattening an array of arrays.
        let template = json!({"flattenArray.$": "$[*][*]"});
        assert_eq!(
            build(template, json!([[1, 2], [3, 4]])),
            Ok(json!({"flattenArray": [1, 2, 3, 4]}))
        );
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
    #[test]
    fn intrinsics_in_templates() {
        assert_eq!(
            build(json!({"BuildId.$": "States.Array($.Id)"}), json!({"Id": 123456})),
            Ok(json!({"BuildId": [123456]}))
        );
    }

    #[test]
    fn templates_nest_through_objects_and_arrays() {
        let template = json!({
            "list": [{"a.$": "$.x"}, 1, "$.x", [{"b.$": "$$.Task.Token"}]],
            "static": {"c": null, "d.$": "$.x"},
            "plain": "$.not.evaluated"
        });
        assert_eq!(
            build(template, json!({"x": 42})),
            Ok(json!({
                "list": [{"a": 42}, 1, "$.x", [{"b": "token-1"}]],
                "static": {"c": null, "d": 42},
                "plain": "$.not.evaluated"
            }))
        );
    }

    #[test]
    fn template_errors_quote_the_field_and_input() {
        let rows = [
            (
                json!({"JobName.$": "$.JobName"}),
                "The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
            ),
            (
                json!({"x": [{"msg.$": "States.Format('{}', $.who)"}]}),
                "The JSONPath '$.who' specified for the field 'msg.$' could not be found in the input '{}'",
            ),
            (
                json!({"item.$": "States.ArrayGetItem(States.Array(), 0)"}),
                "The function 'States.ArrayGetItem(States.Array(), 0)' specified for the field 'item.$' failed: \
                 States.ArrayGetItem: the index 0 is out of bounds for an array of 0 elements",
            ),
            (
                json!({"v.$": "$undefined"}),
                "The JSONPath '$undefined' specified for the field 'v.$' could not be evaluated: \
                 The variable 'undefined' is not defined",
            ),
            (
                json!({"n.$": 5}),
                "The value of the field 'n.$' is not a JSONPath or an intrinsic function: it is not a string but 5",
            ),
        ];
        for (template, message) in rows {
            assert_eq!(
                build(template.clone(), json!({})),
                Err(message.to_string()),
                "{template}"
            );
        }
        let mut entropy = intrinsics::SplitMix64::new(1);
        let input = json!({});
        let failing = json!({"item.$": "States.ArrayGetItem(States.Array(), 0)"});
        let err = evaluate_template(&failing, &Context::new(&input), &mut entropy).unwrap_err();
        assert_eq!(err.error_name(), "States.IntrinsicFailure");
        let missing = json!({"a.$": "$.a"});
        let err = evaluate_template(&missing, &Context::new(&input), &mut entropy).unwrap_err();
        assert_eq!(err.error_name(), "States.Runtime");
    }

    #[test]
    fn expression_lookalikes() {
        assert!(looks_like_expression("$.a"));
        assert!(looks_like_expression("$$.Execution.Id"));
        assert!(looks_like_expression("States.Format('{}', $.a)"));
        assert!(!looks_like_expression("$USD"));
        assert!(!looks_like_expression("$5.00"));
        assert!(!looks_like_expression("hello"));
        assert!(!looks_like_expression("States.of the art"));
    }
}
