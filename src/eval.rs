//! One expression, evaluated as a Step Functions state would evaluate it: the library side of
//! `aslkit eval`.
//!
//! JSONata expressions run on the JSONata 2.0.6 engine (`expr::jsonata`) with Step Functions'
//! extra functions; JSONPath expressions are a path (`$.items[0]`, `$$.Execution.Id`, `$var`)
//! or an intrinsic function call (`States.Format('{}', $.a)`), as in a `….$` field. Bindings
//! become `$name` variables in both languages. Errors carry JSONata's codes (`T2001`, `S0203`)
//! or the `States.*` error name a state would fail with.

use serde_json::{Map, Value};

use crate::expr::intrinsics;
use crate::expr::intrinsics::eval::SplitMix64;
use crate::expr::jsonata;
use crate::expr::jsonpath::eval::{self as path_eval, Context};
use crate::expr::payload::{parse_payload_value, PayloadExpr};
use crate::simulate::errors::names;

/// The query language of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Jsonata,
    Jsonpath,
}

/// What an expression evaluated to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Value(Value),
    /// JSONata's "no value" (a path that matched nothing, an absent input).
    Undefined,
    Error {
        code: String,
        message: String,
    },
}

/// Evaluates `expression` against `input` (`None`: no input at all) with `bindings` as
/// variables. A JSONata expression may be written bare or wrapped in `{% … %}`.
pub fn evaluate(language: Language, expression: &str, input: Option<&Value>, bindings: &Map<String, Value>) -> Outcome {
    match language {
        Language::Jsonata => evaluate_jsonata(expression, input, bindings),
        Language::Jsonpath => evaluate_jsonpath(expression, input, bindings),
    }
}

fn evaluate_jsonata(expression: &str, input: Option<&Value>, bindings: &Map<String, Value>) -> Outcome {
    let trimmed = expression.trim();
    let source = trimmed
        .strip_prefix("{%")
        .and_then(|rest| rest.strip_suffix("%}"))
        .unwrap_or(expression);
    let ast = match jsonata::parse(source) {
        Ok(ast) => ast,
        Err(e) => return error(e.code, e.message),
    };
    let bindings = jsonata::Bindings {
        variables: bindings.clone(),
        now_millis: None,
        random_seed: None,
    };
    match jsonata::evaluate(&ast, input, &bindings) {
        Ok(Some(value)) => Outcome::Value(value),
        Ok(None) => Outcome::Undefined,
        Err(e) => error(e.code, e.message),
    }
}

fn evaluate_jsonpath(expression: &str, input: Option<&Value>, bindings: &Map<String, Value>) -> Outcome {
    let parsed = match parse_payload_value(expression.trim()) {
        Ok(parsed) => parsed,
        Err(e) => {
            return error(
                names::RUNTIME,
                format!(
                    "'{expression}' is not a JSONPath or an intrinsic function call: {}",
                    e.message
                ),
            )
        }
    };
    let null = Value::Null;
    let ctx = Context::new(input.unwrap_or(&null)).with_variables(bindings);
    let result = match parsed {
        PayloadExpr::Path(path) => path_eval::evaluate(&path, &ctx).map_err(|e| (names::RUNTIME, e.to_string())),
        PayloadExpr::Intrinsic(call) => {
            // Fresh entropy per run: `States.UUID` and unseeded `States.MathRandom` vary.
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            let mut entropy = SplitMix64::new(seed);
            intrinsics::eval::evaluate(&call, &ctx, &mut entropy).map_err(|e| (e.error_name(), e.to_string()))
        }
    };
    match result {
        Ok(value) => Outcome::Value(value),
        Err((code, message)) => error(code, message),
    }
}

fn error(code: impl Into<String>, message: impl Into<String>) -> Outcome {
    Outcome::Error {
        code: code.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(language: Language, expression: &str, input: Option<Value>) -> Outcome {
        let mut bindings = Map::new();
        bindings.insert("rate".into(), json!(2));
        evaluate(language, expression, input.as_ref(), &bindings)
    }

    #[test]
    fn jsonata_values_undefined_and_errors() {
        let input = Some(json!({"items": [{"price": 3}, {"price": 4}]}));
        assert_eq!(
            run(Language::Jsonata, "$sum(items.price) * $rate", input.clone()),
            Outcome::Value(json!(14))
        );
        assert_eq!(
            run(Language::Jsonata, "{% $count(items) %}", input.clone()),
            Outcome::Value(json!(2))
        );
        assert_eq!(run(Language::Jsonata, "missing", input), Outcome::Undefined);
        assert!(matches!(run(Language::Jsonata, "'a' + 1", None), Outcome::Error { code, .. } if code == "T2001"));
        assert!(matches!(run(Language::Jsonata, "(1", None), Outcome::Error { code, .. } if code == "S0203"));
    }

    #[test]
    fn jsonpath_paths_intrinsics_and_variables() {
        let input = Some(json!({"a": {"b": [1, 2, 3]}, "name": "World"}));
        assert_eq!(
            run(Language::Jsonpath, "$.a.b[1]", input.clone()),
            Outcome::Value(json!(2))
        );
        assert_eq!(
            run(Language::Jsonpath, "$rate", input.clone()),
            Outcome::Value(json!(2))
        );
        assert_eq!(
            run(Language::Jsonpath, "States.Format('Hello {}', $.name)", input.clone()),
            Outcome::Value(json!("Hello World"))
        );
        assert!(
            matches!(run(Language::Jsonpath, "$.nope", input.clone()), Outcome::Error { code, .. } if code == "States.Runtime")
        );
        assert!(
            matches!(run(Language::Jsonpath, "States.ArrayGetItem($.a.b, 9)", input), Outcome::Error { code, .. } if code == "States.IntrinsicFailure")
        );
    }
}
