//! A state's input and output processing, in both query languages.
//!
//! JSONPath states: `InputPath` → `Parameters` (or `ItemSelector`) → the work → `ResultSelector`
//! → `ResultPath` (into the *raw* state input) → `OutputPath`; `Assign` sees the result after
//! `ResultSelector`. JSONata states: `Arguments` → the work → `Output` and `Assign`, with
//! `$states` = `{input, result, errorOutput, context}` and workflow variables as `$name`.
//!
//! Every function returns the AWS error name and the detail that follows the "An error
//! occurred while executing the state …" prefix; the engine adds the prefix.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::expr::intrinsics::Entropy;
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::expr::jsonpath::{self, Context};
use crate::expr::payload;
use crate::expr::reference_path::{self, Roots};
use crate::expr::{jsonata, jsonpath::eval::PathError};
use crate::model::state_fields::StateFields;

use super::errors::names;

/// A failure of input or output processing: the AWS error name and the detail of its cause
/// (the engine adds the "An error occurred while executing the state …" prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoError {
    /// `States.Runtime`, `States.QueryEvaluationError`, `States.IntrinsicFailure`, …
    pub error: String,
    pub detail: String,
}

impl IoError {
    pub fn new(error: impl Into<String>, detail: impl Into<String>) -> IoError {
        IoError {
            error: error.into(),
            detail: detail.into(),
        }
    }
}

fn runtime(detail: impl Into<String>) -> IoError {
    IoError::new(names::RUNTIME, detail)
}

/// What JSONPath expressions read: `$$` and the variables in scope.
#[derive(Clone, Copy)]
pub struct PathScope<'a> {
    pub context_object: &'a Value,
    pub variables: &'a Map<String, Value>,
}

impl<'a> PathScope<'a> {
    pub fn context(&self, input: &'a Value) -> Context<'a> {
        Context::new(input)
            .with_context_object(self.context_object)
            .with_variables(self.variables)
    }
}

/// `InputPath` / `OutputPath`: absent keeps the value (borrowed: most states have neither
/// field, and copying every input twice was most of a long loop's work), `null` gives `{}`, a
/// path selects.
pub fn select_path<'v>(field: Option<&Value>, value: &'v Value, scope: &PathScope) -> Result<Cow<'v, Value>, IoError> {
    match field {
        None => Ok(Cow::Borrowed(value)),
        Some(Value::Null) => Ok(Cow::Owned(Value::Object(Map::new()))),
        Some(Value::String(path)) => read_path(path, value, scope)
            .map(Cow::Owned)
            .map_err(|e| runtime(e.cause_for_field(path))),
        Some(other) => Err(runtime(format!("Invalid path {other}"))),
    }
}

/// `OutputPath` applied to a value the state owns: without the field, the value itself.
fn select_owned(field: Option<&Value>, value: Value, scope: &PathScope) -> Result<Value, IoError> {
    match field {
        None => Ok(value),
        field => select_path(field, &value, scope).map(Cow::into_owned),
    }
}

/// Reads one JSONPath (`$.a`, `$$.Execution.Id`, `$var`), parsed once per text
/// ([`payload::parsed`]).
pub fn read_path(path: &str, value: &Value, scope: &PathScope) -> Result<Value, PathError> {
    let invalid = |e: crate::expr::SyntaxError| PathError::Invalid { message: e.message };
    if path.starts_with('$') {
        if let payload::PayloadExpr::Path(parsed) = &*payload::parsed(path).map_err(invalid)? {
            return jsonpath::eval::evaluate(parsed, &scope.context(value));
        }
    }
    let parsed = jsonpath::parse(path).map_err(invalid)?;
    jsonpath::eval::evaluate(&parsed, &scope.context(value))
}

/// `Parameters`, `ResultSelector`, `ItemSelector` and JSONPath `Assign`: a payload template.
pub fn template(
    template: &Value,
    input: &Value,
    scope: &PathScope,
    entropy: &mut dyn Entropy,
) -> Result<Value, IoError> {
    payload::evaluate_template(template, &scope.context(input), entropy)
        .map_err(|e| IoError::new(e.error_name().to_string(), e.to_string()))
}

/// `ResultPath`: absent puts the result in place of the input, `null` discards it, a path
/// writes it into (a copy of) the input.
pub fn result_path(field: Option<&Value>, input: &Value, result: Value) -> Result<Value, IoError> {
    match field {
        None => Ok(result),
        Some(Value::Null) => Ok(input.clone()),
        Some(Value::String(path)) => {
            let parsed = result_path_parsed(path).ok_or_else(|| runtime(format!("Invalid path {path}")))?;
            let mut out = input.clone();
            reference_path::set(&mut out, &parsed, result)
                .map_err(|e| IoError::new(e.error_name().to_string(), e.to_string()))?;
            Ok(out)
        }
        Some(other) => Err(runtime(format!("Invalid path {other}"))),
    }
}

/// How many `ResultPath`s [`result_path_parsed`] keeps (per thread) before it starts over.
const PARSED_RESULT_PATHS: usize = 1024;

thread_local! {
    static RESULT_PATHS: crate::expr::ParseCache<jsonpath::Path> = crate::expr::ParseCache::new(PARSED_RESULT_PATHS);
}

/// A `ResultPath` parsed, once per text and thread (`None` when it does not parse): parsing it
/// at every state entered was a tenth of a long loop's work.
fn result_path_parsed(path: &str) -> Option<Rc<jsonpath::Path>> {
    RESULT_PATHS
        .with(|cache| cache.get_or_parse(path, |p| reference_path::parse(p, Roots::Input)))
        .ok()
}

/// A JSONPath state's input side: `InputPath` gives the effective input, then `Parameters`
/// (when the state has them) builds the work's input from it.
pub struct PathInput {
    pub effective: Value,
    /// `Parameters` evaluated against the effective input (`None` without `Parameters`).
    pub parameters: Option<Value>,
}

/// `InputPath`, then `Parameters`.
pub fn path_input(
    fields: &StateFields,
    input: &Value,
    scope: &PathScope,
    entropy: &mut dyn Entropy,
) -> Result<PathInput, IoError> {
    let effective = select_path(fields.input_path(), input, scope)?;
    let parameters = match fields.parameters() {
        Some(p) => Some(template(p, &effective, scope, entropy)?),
        None => None,
    };
    Ok(PathInput {
        effective: effective.into_owned(),
        parameters,
    })
}

/// A JSONPath state's output side: `ResultSelector` (when `select`) shapes the result, `Assign`
/// sees the shaped result, `ResultPath` puts it into the raw input, `OutputPath` selects the
/// output. Returns the output and what `Assign` evaluated (stored once the state succeeds).
pub fn path_output(
    fields: &StateFields,
    raw_input: &Value,
    result: Value,
    select: bool,
    scope: &PathScope,
    entropy: &mut dyn Entropy,
) -> Result<(Value, Option<Value>), IoError> {
    let result = match fields.result_selector().filter(|_| select) {
        Some(selector) => template(selector, &result, scope, entropy)?,
        None => result,
    };
    let assigned = match fields.assign() {
        Some(assign) => Some(template(assign, &result, scope, entropy)?),
        None => None,
    };
    let combined = result_path(fields.result_path(), raw_input, result)?;
    let output = select_owned(fields.output_path(), combined, scope)?;
    Ok((output, assigned))
}

/// A JSONata state's (or catcher's, or Choice rule's) output side: `Assign` and `Output`
/// (`default` without `Output`), both evaluated with the same `$states`. Returns the output
/// and what `Assign` evaluated.
pub fn jsonata_output(
    assign: Option<&Value>,
    output: Option<&Value>,
    default: Value,
    scope: &JsonataScope,
) -> Result<(Value, Option<Value>), IoError> {
    let assigned = match assign {
        Some(assign) => Some(jsonata_field(assign, "Assign", scope)?),
        None => None,
    };
    let output = match output {
        Some(output) => jsonata_field(output, "Output", scope)?,
        None => default,
    };
    Ok((output, assigned))
}

/// A JSONata state's `Arguments` (`None` without them).
pub fn jsonata_arguments(fields: &StateFields, scope: &JsonataScope) -> Result<Option<Value>, IoError> {
    fields
        .arguments()
        .map(|a| jsonata_field(a, "Arguments", scope))
        .transpose()
}

/// What JSONata expressions see: `$states` and the workflow variables.
pub struct JsonataScope<'a> {
    pub variables: &'a Map<String, Value>,
    pub states: Value,
    pub now_millis: i64,
    pub seed: u64,
}

impl JsonataScope<'_> {
    fn bindings(&self) -> jsonata::Bindings {
        let mut variables = self.variables.clone();
        variables.insert("states".into(), self.states.clone());
        jsonata::Bindings {
            variables,
            now_millis: Some(self.now_millis),
            random_seed: Some(self.seed),
        }
    }
}

/// Evaluates a JSONata field value: `{% … %}` strings are evaluated, objects and arrays are
/// walked, other values are copied. `field` names the place for messages (`Output/result`).
/// An expression that yields nothing is a `States.QueryEvaluationError`.
pub fn jsonata_field(value: &Value, field: &str, scope: &JsonataScope) -> Result<Value, IoError> {
    let bindings = scope.bindings();
    jsonata_walk(value, field, &bindings)
}

fn jsonata_walk(value: &Value, field: &str, bindings: &jsonata::Bindings) -> Result<Value, IoError> {
    match value {
        Value::String(s) => match classify(s) {
            JsonataString::Expression { body } => match evaluate_jsonata(body, bindings, field)? {
                Some(v) => Ok(v),
                None => Err(query_error(format!(
                    "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                    body.trim()
                ))),
            },
            _ => Ok(value.clone()),
        },
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(k.clone(), jsonata_walk(v, &format!("{field}/{k}"), bindings)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| jsonata_walk(v, &format!("{field}[{i}]"), bindings))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Evaluates one `{% … %}` body; `Ok(None)` for undefined.
pub fn jsonata_expression(body: &str, field: &str, scope: &JsonataScope) -> Result<Option<Value>, IoError> {
    evaluate_jsonata(body, &scope.bindings(), field)
}

fn evaluate_jsonata(body: &str, bindings: &jsonata::Bindings, field: &str) -> Result<Option<Value>, IoError> {
    let shown = body.trim();
    let failed = |code: &str, message: &str| {
        query_error(format!(
            "The JSONata expression '{shown}' specified for the field '{field}' threw an error during evaluation. {code}: {message}"
        ))
    };
    let ast = jsonata::parse(body).map_err(|e| failed(e.code, &sentence(&e.message)))?;
    match jsonata::evaluate_outcome(&ast, None, bindings).map_err(|e| failed(e.code, &sentence(&e.message)))? {
        jsonata::Outcome::Value(v) => Ok(Some(v)),
        jsonata::Outcome::Undefined => Ok(None),
        // Recorded on AWS: a field whose expression yields a function fails the state.
        jsonata::Outcome::Function => Err(query_error(format!(
            "The JSONata expression '{shown}' specified for the field '{field}' returned an unsupported result type."
        ))),
    }
}

/// jsonata-js's messages, which AWS quotes, start with a capital letter.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn query_error(detail: impl Into<String>) -> IoError {
    IoError::new(names::QUERY_EVALUATION, detail)
}

pub use crate::expr::type_name;

/// The `$states` object.
pub fn states_binding(input: &Value, result: Option<&Value>, error_output: Option<&Value>, context: &Value) -> Value {
    let mut m = Map::new();
    m.insert("input".into(), input.clone());
    if let Some(r) = result {
        m.insert("result".into(), r.clone());
    }
    if let Some(e) = error_output {
        m.insert("errorOutput".into(), e.clone());
    }
    m.insert("context".into(), context.clone());
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn result_path_variants() {
        let input = json!({"a": 1});
        assert_eq!(result_path(None, &input, json!(2)).unwrap(), json!(2));
        assert_eq!(result_path(Some(&Value::Null), &input, json!(2)).unwrap(), input);
        assert_eq!(
            result_path(Some(&json!("$.r.x")), &input, json!(2)).unwrap(),
            json!({"a": 1, "r": {"x": 2}})
        );
    }
}
