//! Reference Paths: JSONPaths that name exactly one node.
//!
//! `ResultPath` (and the `…Path` fields that read one setting: `SecondsPath`,
//! `TimeoutSecondsPath`, `MaxConcurrencyPath`, …) take a Reference Path: a path made only of
//! field names (`.name`, `['name']`) and indexes (`[0]`), with no wildcard, deep scan, filter,
//! slice, union or function. Parsing is the JSONPath parser's; this module only adds the
//! restriction, and says which step breaks it.
//!
//! Which roots are allowed depends on the field: `ResultPath` writes into the state input, so it
//! cannot start at a variable (`$name`); fields that read a value can. Reading is
//! [`jsonpath::evaluate`]; writing, what `ResultPath` does with a state's result, is [`set`].

use serde_json::{Map, Value};

use super::jsonpath::{self, Path, Root, Selector, StepKind};
use super::{Span, SyntaxError};

/// Which roots a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roots {
    /// `$` and `$$`: a place to write (`ResultPath`).
    Input,
    /// `$`, `$$` and `$name`: a value to read.
    Any,
}

/// Why a string is not a Reference Path.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Not a JSONPath at all.
    Syntax(SyntaxError),
    /// A JSONPath, but one that can select several nodes; `span` is the offending step.
    Indefinite {
        span: Span,
        /// What the step is, e.g. "a wildcard (`*`)".
        what: &'static str,
    },
    /// A workflow variable where only the state input can be named.
    Variable { span: Span, name: String },
}

impl Error {
    pub fn span(&self) -> Span {
        match self {
            Error::Syntax(e) => e.span,
            Error::Indefinite { span, .. } | Error::Variable { span, .. } => *span,
        }
    }
}

/// Parses `s` as a Reference Path.
pub fn parse(s: &str, roots: Roots) -> Result<Path, Error> {
    let path = jsonpath::parse(s).map_err(Error::Syntax)?;
    check(&path, roots)?;
    Ok(path)
}

/// Checks that an already parsed path is a Reference Path.
pub fn check(path: &Path, roots: Roots) -> Result<(), Error> {
    if let (Root::Variable(name), Roots::Input) = (&path.root, roots) {
        return Err(Error::Variable {
            span: path.root_span,
            name: name.clone(),
        });
    }
    if let Some(step) = path.first_indefinite_step() {
        return Err(Error::Indefinite {
            span: step.span,
            what: step.describe(),
        });
    }
    Ok(())
}

/// Why a `ResultPath` cannot put a value into a state's input.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    /// A step goes through something that cannot hold it: `$.a.b` where `a` is a number, or
    /// `$.x` into an input that is an array. AWS fails with `States.ReferencePathConflict`;
    /// `input` is the whole input, as AWS quotes it.
    #[error("Unable to apply step \"{step}\" to input {input}")]
    Conflict { step: String, input: Value },
    /// The input is a JSON string, which AWS reports with the whole path rather than a step.
    #[error("Unable to apply ReferencePath {path} to input {input}")]
    NotAnObject { path: String, input: Value },
    /// The path cannot name a place to write: it starts at `$$` or a variable, or has a step
    /// that is not a field name or an index. Validation rejects these before a run.
    #[error("{path} is not a Reference Path into the state input")]
    NotWritable { path: String },
}

impl WriteError {
    /// The error name a state fails with.
    pub fn error_name(&self) -> &'static str {
        match self {
            WriteError::Conflict { .. } | WriteError::NotAnObject { .. } => crate::error_names::REFERENCE_PATH_CONFLICT,
            WriteError::NotWritable { .. } => crate::error_names::RUNTIME,
        }
    }
}

/// Writes `value` at `path` inside `target`, as `ResultPath` does: `$` replaces the whole
/// target; otherwise missing fields on the way are created as empty objects, an existing field
/// is replaced, and an index must name an element that exists. On error `target` is unchanged.
pub fn set(target: &mut Value, path: &Path, value: Value) -> Result<(), WriteError> {
    let shown = display(path);
    if path.root != Root::Input {
        return Err(WriteError::NotWritable { path: shown });
    }
    let Some((last, through)) = path.steps.split_last() else {
        *target = value;
        return Ok(());
    };
    if target.is_string() {
        return Err(WriteError::NotAnObject {
            path: shown,
            input: target.clone(),
        });
    }
    // Check the whole way first so that a failed write leaves the input as it was.
    // `None` stands for a field that does not exist yet, which will be an empty object.
    let mut probe: Option<&Value> = Some(target);
    for step in path.steps.iter() {
        let place = Place::of(&step.kind).ok_or_else(|| WriteError::NotWritable { path: shown.clone() })?;
        let fits = match probe {
            Some(node) => place.fits(node),
            None => matches!(place, Place::Field(_)),
        };
        if !fits {
            return Err(WriteError::Conflict {
                step: place.to_string(),
                input: target.clone(),
            });
        }
        probe = probe.and_then(|node| place.get(node));
    }
    let mut node = target;
    for step in through {
        let place = Place::of(&step.kind).ok_or_else(|| WriteError::NotWritable { path: shown.clone() })?;
        node = place.get_or_create(node);
    }
    let place = Place::of(&last.kind).ok_or(WriteError::NotWritable { path: shown })?;
    place.put(node, value);
    Ok(())
}

/// One step of a Reference Path, as a place to write.
enum Place<'p> {
    Field(&'p str),
    Element(i64),
}

impl<'p> Place<'p> {
    fn of(kind: &'p StepKind) -> Option<Place<'p>> {
        match kind {
            StepKind::Child(Selector::Name(name)) => Some(Place::Field(name)),
            StepKind::Child(Selector::Index(index)) => Some(Place::Element(*index)),
            _ => None,
        }
    }

    /// Whether this step can be applied to `node` (to read through it or write into it).
    fn fits(&self, node: &Value) -> bool {
        match (self, node) {
            (Place::Field(_), Value::Object(_)) => true,
            (Place::Element(index), Value::Array(items)) => position(items.len(), *index).is_some(),
            _ => false,
        }
    }

    fn get<'v>(&self, node: &'v Value) -> Option<&'v Value> {
        match (self, node) {
            (Place::Field(name), Value::Object(map)) => map.get(*name),
            (Place::Element(index), Value::Array(items)) => position(items.len(), *index).and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The node this step leads to, creating an empty object for a missing field. Only called
    /// on paths that [`Place::fits`] accepted, so the fallbacks are never taken.
    fn get_or_create<'v>(&self, node: &'v mut Value) -> &'v mut Value {
        match self {
            Place::Field(name) => {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                match node {
                    Value::Object(map) => map.entry(name.to_string()).or_insert_with(|| Value::Object(Map::new())),
                    other => other,
                }
            }
            Place::Element(index) => {
                let at = node.as_array().and_then(|items| position(items.len(), *index));
                match (at, node) {
                    (Some(i), Value::Array(items)) => &mut items[i],
                    (_, other) => other,
                }
            }
        }
    }

    fn put(&self, node: &mut Value, value: Value) {
        match (self, node) {
            (Place::Field(name), Value::Object(map)) => {
                map.insert(name.to_string(), value);
            }
            (Place::Element(index), Value::Array(items)) => {
                if let Some(i) = position(items.len(), *index) {
                    items[i] = value;
                }
            }
            _ => {}
        }
    }
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Field(name) => write!(f, "{name}"),
            Place::Element(index) => write!(f, "[{index}]"),
        }
    }
}

/// The position of element `index` (negative from the end) in an array of `len` elements.
fn position(len: usize, index: i64) -> Option<usize> {
    let effective = if index < 0 { len as i64 + index } else { index };
    usize::try_from(effective).ok().filter(|&i| i < len)
}

/// A path in dot notation, `$.a.b[0]`, for messages.
fn display(path: &Path) -> String {
    let mut out = match &path.root {
        Root::Input | Root::Current => "$".to_string(),
        Root::Context => "$$".to_string(),
        Root::Variable(name) => format!("${name}"),
    };
    for step in &path.steps {
        match &step.kind {
            StepKind::Child(Selector::Name(name)) if name.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                out.push('.');
                out.push_str(name);
            }
            StepKind::Child(Selector::Name(name)) => out.push_str(&format!("['{name}']")),
            StepKind::Child(Selector::Index(index)) => out.push_str(&format!("[{index}]")),
            _ => out.push_str(jsonpath::eval::normalized(std::slice::from_ref(step)).trim_start_matches('$')),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn definite_paths_are_reference_paths() {
        for s in ["$", "$.a", "$.a.b[0]", "$['a b'][3]", "$$.Execution.Input", "$.a[-1]"] {
            assert!(parse(s, Roots::Input).is_ok(), "{s}");
        }
        assert!(parse("$var.x", Roots::Any).is_ok());
    }

    #[test]
    fn indefinite_steps_are_reported_where_they_are() {
        let cases = [
            ("$.a[*]", Span::new(3, 6)),
            ("$.a.*", Span::new(3, 5)),
            ("$..a", Span::new(1, 4)),
            ("$.a[?(@.b)]", Span::new(3, 11)),
            ("$.a[0:2]", Span::new(3, 8)),
            ("$.a[0,1]", Span::new(3, 8)),
            ("$['a','b']", Span::new(1, 10)),
            ("$.a.length()", Span::new(3, 12)),
        ];
        for (s, span) in cases {
            match parse(s, Roots::Input) {
                Err(Error::Indefinite { span: got, .. }) => assert_eq!(got, span, "{s}"),
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn variables_cannot_be_written_to() {
        assert_eq!(
            parse("$foo.bar", Roots::Input),
            Err(Error::Variable {
                span: Span::new(0, 4),
                name: "foo".into()
            })
        );
    }

    /// Runs `ResultPath` `path` on `input` with `result`: the state output, or the error.
    fn write(input: Value, path: &str, result: Value) -> Result<Value, String> {
        let mut target = input;
        let path = jsonpath::parse(path).unwrap();
        set(&mut target, &path, result)
            .map(|()| target)
            .map_err(|e| e.to_string())
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
    #[test]
    fn aws_result_path_examples() {
        let input = json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions"});
        let result = json!("Hello, Step Functions!");
        let rows = [
            // Replace the input with the result.
            ("$", json!("Hello, Step Functions!")),
            // Include the result with the input.
            (
                "$.taskresult",
                json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions",
                       "taskresult": "Hello, Step Functions!"}),
            ),
            // Update a node in the input with the result.
            (
                "$.comment",
                json!({"comment": "Hello, Step Functions!", "details": "Default example", "who": "Step Functions"}),
            ),
        ];
        for (path, output) in rows {
            assert_eq!(write(input.clone(), path, result.clone()), Ok(output), "{path}");
        }
        let input = json!({"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar",
                           "string3": "baz"}, "who": "AWS Step Functions"});
        assert_eq!(
            write(input, "$.strings.lambdaresult", result.clone()),
            Ok(
                json!({"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar",
                      "string3": "baz", "lambdaresult": "Hello, Step Functions!"}, "who": "AWS Step Functions"})
            )
        );
        // Include the error and the input in a `Catch`.
        assert_eq!(
            write(json!({"foo": "bar"}), "$.error", json!({"Error": "Error here"})),
            Ok(json!({"foo": "bar", "error": {"Error": "Error here"}}))
        );
    }

    #[test]
    fn writes_create_missing_objects_and_replace_elements() {
        let rows = [
            (json!({}), "$.a.b.c", json!({"a": {"b": {"c": 1}}})),
            (json!({"a": {"x": 0}}), "$.a.b", json!({"a": {"x": 0, "b": 1}})),
            (json!({"a": [0, 0]}), "$.a[1]", json!({"a": [0, 1]})),
            (json!({"a": [{}, {}]}), "$.a[-1].b", json!({"a": [{}, {"b": 1}]})),
            (json!({"a b": {}}), "$['a b'].c", json!({"a b": {"c": 1}})),
        ];
        for (input, path, output) in rows {
            assert_eq!(write(input, path, json!(1)), Ok(output), "{path}");
        }
    }

    #[test]
    fn writes_through_non_objects_are_conflicts() {
        let rows = [
            (json!({"a": 1}), "$.a.b", r#"Unable to apply step "b" to input {"a":1}"#),
            (
                json!({"a": null}),
                "$.a.b",
                r#"Unable to apply step "b" to input {"a":null}"#,
            ),
            (json!([1]), "$.x", r#"Unable to apply step "x" to input [1]"#),
            (
                json!({"a": [1]}),
                "$.a[3]",
                r#"Unable to apply step "[3]" to input {"a":[1]}"#,
            ),
            (json!({}), "$.a[0]", r#"Unable to apply step "[0]" to input {}"#),
            (
                json!("text"),
                "$.x",
                r#"Unable to apply ReferencePath $.x to input "text""#,
            ),
            (json!({}), "$$.x", "$$.x is not a Reference Path into the state input"),
            (
                json!({}),
                "$.a[*]",
                "$.a[*] is not a Reference Path into the state input",
            ),
        ];
        for (input, path, message) in rows {
            assert_eq!(write(input, path, json!(1)), Err(message.to_string()), "{path}");
        }
        let mut target = json!({"a": 1});
        let err = set(&mut target, &jsonpath::parse("$.a.b").unwrap(), json!(2)).unwrap_err();
        assert_eq!(err.error_name(), "States.ReferencePathConflict");
        assert_eq!(target, json!({"a": 1}), "a failed write leaves the input alone");
    }

    #[test]
    fn syntax_errors_pass_through() {
        assert_eq!(parse(".guid", Roots::Input).unwrap_err().span(), Span::new(0, 1));
    }
}
