//! Evaluating a parsed [`Path`] against a state's data, the way Step Functions does.
//!
//! Step Functions runs paths through Jayway JsonPath, so this evaluator follows Jayway's rules
//! rather than RFC 9535's:
//!
//! - A *definite* path (only field names, single indexes, a leaf union of names, functions)
//!   yields one value, or fails with [`PathError::NotFound`] when nothing matches
//!   (`No results for path: $['missing']`). Any other path yields an array, possibly empty.
//! - A missing field in the middle of a definite path, or a step that meets the wrong kind of
//!   value (a field of a string, an index of an object), fails too, with Jayway's wording. The
//!   same situations below a wildcard, slice, union or filter are skipped silently.
//! - `[?(…)]` applied to an object tests the object itself; applied to an array it tests each
//!   element. Comparisons coerce the way Jayway's `ValueNode`s do (`'1' == 1` is true, a
//!   missing operand is equal to nothing, so `!=` holds), `=~` must match the whole string.
//! - A function step (`.length()`, `.max()`, …) takes the output of the path before it: the
//!   value of a definite prefix, or the array of matches of an indefinite one.
//!
//! Inputs: the path and a [`Context`] (the state input for `$`, the context object for `$$`,
//! the workflow variables for `$name`). Output: an owned [`Value`]. Nothing here does I/O or
//! reads the clock; errors are data, and the simulator turns them into `States.Runtime` failures
//! with AWS's wording (see [`PathError::cause_for_field`]).

use std::cmp::Ordering;
use std::sync::LazyLock;

use serde_json::{Map, Number, Value};

use super::{Filter, Operand, Path, RelOp, Root, Selector, Slice, Step, StepKind};

/// What a path reads from.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// `$`: the state input (or whatever the field applies to: the raw result for
    /// `ResultSelector`, the effective input for `Parameters`).
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context_object: &'a Value,
    /// `$name`: the workflow variables in scope.
    pub variables: &'a Map<String, Value>,
}

static NULL: Value = Value::Null;
static NO_VARIABLES: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl<'a> Context<'a> {
    /// A context with `input` for `$`, a `null` context object and no variables.
    pub fn new(input: &'a Value) -> Context<'a> {
        Context {
            input,
            context_object: &NULL,
            variables: &NO_VARIABLES,
        }
    }

    pub fn with_context_object(self, context_object: &'a Value) -> Context<'a> {
        Context { context_object, ..self }
    }

    pub fn with_variables(self, variables: &'a Map<String, Value>) -> Context<'a> {
        Context { variables, ..self }
    }
}

/// Why a path could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum PathError {
    /// The path cannot be followed in this data: a definite path that selects nothing
    /// (`$.missing` → `No results for path: $['missing']`), a missing field in the middle of a
    /// definite path (`$.a.b` without `a` → `Missing property in path $['a']`), or a step that
    /// meets the wrong kind of value (`$.name.first` where `name` is a string).
    ///
    /// `detail` is worded as Jayway words it, because AWS quotes it in its error causes.
    #[error("{detail}")]
    NotFound { detail: String },
    /// `$name` names no variable in scope: `$order` before anything assigned `order`.
    #[error("The variable '{name}' is not defined")]
    UnknownVariable { name: String },
    /// The path is well-formed but cannot run: an unknown function (`$.a.foo()`), an
    /// aggregate of nothing (`$.empty.max()`), an invalid regular expression (`=~ /(/`).
    #[error("{message}")]
    Invalid { message: String },
}

impl PathError {
    fn not_found(detail: impl Into<String>) -> PathError {
        PathError::NotFound { detail: detail.into() }
    }

    fn invalid(message: impl Into<String>) -> PathError {
        PathError::Invalid {
            message: message.into(),
        }
    }

    /// The `States.Runtime` cause AWS gives when a path field (`InputPath`, `OutputPath`,
    /// `ItemsPath`, …) fails, `path` being the path as written:
    /// `Invalid path '$.x' : No results for path: $['x']`.
    pub fn cause_for_field(&self, path: &str) -> String {
        format!("Invalid path '{path}' : {self}")
    }
}

/// Evaluates `path`: one value for a definite path, an array of every match otherwise.
pub fn evaluate(path: &Path, ctx: &Context) -> Result<Value, PathError> {
    let evaluator = Evaluator {
        ctx,
        steps: &path.steps,
    };
    let root = root_value(&path.root, ctx)?;
    match evaluator.select(vec![root], 0) {
        Ok(values) => evaluator.finish(values),
        // Step Functions answers an indefinite path whose definite prefix is missing
        // (`$.items[*]` on `{}`) with an empty array, not an error.
        Err(PathError::NotFound { detail }) if !evaluator.definite() && detail.starts_with("Missing property") => {
            Ok(Value::Array(Vec::new()))
        }
        Err(e) => Err(e),
    }
}

/// Whether `path` selects something, for Choice rules' `IsPresent`: a definite path that
/// matches nothing is absent; every other error is still an error.
pub fn is_present(path: &Path, ctx: &Context) -> Result<bool, PathError> {
    match evaluate(path, ctx) {
        Ok(_) => Ok(true),
        Err(PathError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Jayway's normalized form of a path, the one its messages quote: `$['a'][0][*]`.
pub fn normalized(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for step in steps {
        match &step.kind {
            StepKind::Child(selector) => push_selector(&mut out, selector),
            StepKind::Descendant(selector) => {
                out.push_str("..");
                push_selector(&mut out, selector);
            }
            StepKind::Function { name, .. } => {
                out.push('.');
                out.push_str(name);
                out.push_str("()");
            }
        }
    }
    out
}

fn push_selector(out: &mut String, selector: &Selector) {
    let joined = |items: Vec<String>| items.join(",");
    let text = match selector {
        Selector::Name(name) => format!("['{name}']"),
        Selector::Names(names) => format!("[{}]", joined(names.iter().map(|n| format!("'{n}'")).collect())),
        Selector::Wildcard => "[*]".to_string(),
        Selector::Index(i) => format!("[{i}]"),
        Selector::Indices(indices) => format!("[{}]", joined(indices.iter().map(i64::to_string).collect())),
        Selector::Slice(Slice { start, end, step }) => {
            let show = |n: &Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
            match step {
                Some(step) => format!("[{}:{}:{step}]", show(start), show(end)),
                None => format!("[{}:{}]", show(start), show(end)),
            }
        }
        Selector::Filter(_) => "[?]".to_string(),
    };
    out.push_str(&text);
}

/// The value a root names. `@` outside a filter (which the parser does not produce) reads as
/// `$`.
fn root_value<'a>(root: &Root, ctx: &Context<'a>) -> Result<&'a Value, PathError> {
    match root {
        Root::Input | Root::Current => Ok(ctx.input),
        Root::Context => Ok(ctx.context_object),
        Root::Variable(name) => ctx
            .variables
            .get(name)
            .ok_or_else(|| PathError::UnknownVariable { name: name.clone() }),
    }
}

use crate::expr::type_name;

/// Evaluates the steps of one path; filters make nested evaluators for their own paths.
struct Evaluator<'c, 'a> {
    ctx: &'c Context<'a>,
    steps: &'c [Step],
}

impl<'c, 'a> Evaluator<'c, 'a> {
    /// Whether step `i` can select at most one node, as Jayway's `isTokenDefinite`.
    fn token_definite(&self, i: usize) -> bool {
        match &self.steps[i].kind {
            StepKind::Child(Selector::Name(_) | Selector::Index(_)) => true,
            // `['a','b']` as the last step merges the fields into one object.
            StepKind::Child(Selector::Names(_)) => self.is_leaf(i),
            StepKind::Function { .. } => true,
            StepKind::Child(_) | StepKind::Descendant(_) => false,
        }
    }

    /// Whether every step before `i` is definite: only then does a step that cannot apply
    /// fail the path instead of being skipped.
    fn upstream_definite(&self, i: usize) -> bool {
        (0..i).all(|j| self.token_definite(j))
    }

    fn is_leaf(&self, i: usize) -> bool {
        i + 1 == self.steps.len()
    }

    /// Whether the whole path yields one value: every step after the last function (which
    /// turns whatever it gets into one value) is definite.
    fn definite(&self) -> bool {
        let start = self
            .steps
            .iter()
            .rposition(|s| matches!(s.kind, StepKind::Function { .. }))
            .map_or(0, |i| i + 1);
        (start..self.steps.len()).all(|i| self.token_definite(i))
    }

    fn finish(&self, values: Vec<Value>) -> Result<Value, PathError> {
        if self.definite() {
            values
                .into_iter()
                .next()
                .ok_or_else(|| PathError::not_found(format!("No results for path: {}", normalized(self.steps))))
        } else {
            Ok(Value::Array(values))
        }
    }

    /// The nodes selected by the steps from `start` on, applied to `nodes`.
    fn select(&self, mut nodes: Vec<&Value>, start: usize) -> Result<Vec<Value>, PathError> {
        for i in start..self.steps.len() {
            match &self.steps[i].kind {
                StepKind::Function { name, args } => {
                    let input = self.function_input(i, nodes)?;
                    let result = self.call(name, args, &input)?;
                    return self.select(vec![&result], i + 1);
                }
                StepKind::Child(Selector::Names(names)) if self.is_leaf(i) => {
                    return self.merge(i, names, nodes);
                }
                _ => {
                    let mut next = Vec::new();
                    for node in nodes {
                        self.apply(i, node, &mut next)?;
                    }
                    nodes = next;
                }
            }
        }
        Ok(nodes.into_iter().cloned().collect())
    }

    /// What a function at step `i` is applied to: the output of the path before it.
    fn function_input(&self, i: usize, nodes: Vec<&Value>) -> Result<Value, PathError> {
        if self.upstream_definite(i) {
            nodes
                .first()
                .map(|v| (*v).clone())
                .ok_or_else(|| PathError::not_found(format!("No results for path: {}", normalized(&self.steps[..i]))))
        } else {
            Ok(Value::Array(nodes.into_iter().cloned().collect()))
        }
    }

    /// A leaf union of names, `$['a','b']`: one object holding the fields that exist.
    fn merge(&self, i: usize, names: &[String], nodes: Vec<&Value>) -> Result<Vec<Value>, PathError> {
        let mut out = Vec::new();
        for node in nodes {
            match node {
                Value::Object(map) => {
                    let merged: Map<String, Value> = names
                        .iter()
                        .filter_map(|n| map.get(n).map(|v| (n.clone(), v.clone())))
                        .collect();
                    out.push(Value::Object(merged));
                }
                other if self.upstream_definite(i) => self.not_an_object(i, other)?,
                _ => {}
            }
        }
        Ok(out)
    }

    /// Applies step `i` to one node.
    fn apply<'v>(&self, i: usize, node: &'v Value, out: &mut Vec<&'v Value>) -> Result<(), PathError> {
        match &self.steps[i].kind {
            StepKind::Child(selector) => self.child(i, selector, node, self.upstream_definite(i), out),
            StepKind::Descendant(selector) => self.scan(i, selector, node, out),
            // Functions are applied to the whole node list by `select`.
            StepKind::Function { .. } => Ok(()),
        }
    }

    /// A child selector; `strict` says whether a step that cannot apply is an error.
    fn child<'v>(
        &self,
        i: usize,
        selector: &Selector,
        node: &'v Value,
        strict: bool,
        out: &mut Vec<&'v Value>,
    ) -> Result<(), PathError> {
        match selector {
            Selector::Name(name) => self.property(i, name, node, strict, out)?,
            Selector::Names(names) => match node {
                Value::Object(map) => out.extend(names.iter().filter_map(|n| map.get(n))),
                other if strict => self.not_an_object(i, other)?,
                _ => {}
            },
            Selector::Wildcard => match node {
                Value::Object(map) => out.extend(map.values()),
                Value::Array(items) => out.extend(items),
                _ => {}
            },
            Selector::Index(index) => {
                if let Some(items) = self.array(i, node, strict)? {
                    out.extend(element(items, *index));
                }
            }
            Selector::Indices(indices) => {
                if let Some(items) = self.array(i, node, strict)? {
                    out.extend(indices.iter().filter_map(|&index| element(items, index)));
                }
            }
            Selector::Slice(slice) => {
                if let Some(items) = self.array(i, node, strict)? {
                    for index in slice_indices(slice, items.len())? {
                        out.extend(element(items, index));
                    }
                }
            }
            Selector::Filter(filter) => match node {
                Value::Object(_) => out.extend(self.accept(filter, node)?.then_some(node)),
                Value::Array(items) => {
                    for item in items {
                        if self.accept(filter, item)? {
                            out.push(item);
                        }
                    }
                }
                other if strict => {
                    return Err(PathError::not_found(format!(
                        "Filter: {} can not be applied to primitives. Current context is: {other}",
                        normalized(&self.steps[i..]).trim_start_matches('$')
                    )))
                }
                _ => {}
            },
        }
        Ok(())
    }

    fn property<'v>(
        &self,
        i: usize,
        name: &str,
        node: &'v Value,
        strict: bool,
        out: &mut Vec<&'v Value>,
    ) -> Result<(), PathError> {
        let Value::Object(map) = node else {
            return if strict { self.not_an_object(i, node) } else { Ok(()) };
        };
        match map.get(name) {
            Some(value) => out.push(value),
            // A missing leaf is simply no match; a missing field that the rest of a definite
            // path should go through is an error of its own.
            None if !self.is_leaf(i) && strict => {
                return Err(PathError::not_found(format!(
                    "Missing property in path {}",
                    normalized(&self.steps[..=i])
                )))
            }
            None => {}
        }
        Ok(())
    }

    fn not_an_object(&self, i: usize, found: &Value) -> Result<(), PathError> {
        Err(PathError::not_found(format!(
            "Expected to find an object with property {} in path {} but found '{}'. This is not a json object.",
            normalized(&self.steps[i..=i]).trim_start_matches('$'),
            normalized(&self.steps[..i]),
            type_name(found)
        )))
    }

    /// The elements of `node` for an index or slice step, or why there are none.
    fn array<'v>(&self, i: usize, node: &'v Value, strict: bool) -> Result<Option<&'v Vec<Value>>, PathError> {
        match node {
            Value::Array(items) => Ok(Some(items)),
            _ if !strict => Ok(None),
            Value::Null => Err(PathError::not_found(format!(
                "The path {} is null",
                normalized(&self.steps[..i])
            ))),
            other => Err(PathError::not_found(format!(
                "Filter: {} can only be applied to arrays. Current context is: {other}",
                normalized(&self.steps[i..]).trim_start_matches('$')
            ))),
        }
    }

    /// A deep scan: the selector applied to `node` and every node below it, in document order,
    /// each container before its descendants. Nothing below a scan is strict.
    fn scan<'v>(
        &self,
        i: usize,
        selector: &Selector,
        node: &'v Value,
        out: &mut Vec<&'v Value>,
    ) -> Result<(), PathError> {
        let children: Box<dyn Iterator<Item = &'v Value>> = match node {
            Value::Object(map) => Box::new(map.values()),
            Value::Array(items) => Box::new(items.iter()),
            // Jayway walks containers only: scalars are reached as children, never as roots.
            _ => return Ok(()),
        };
        if self.scan_matches(selector, node)? {
            self.child(i, selector, node, false, out)?;
        }
        for child in children {
            self.scan(i, selector, child, out)?;
        }
        Ok(())
    }

    /// Which containers a scan applies its selector to, as Jayway's scan predicates decide.
    fn scan_matches(&self, selector: &Selector, node: &Value) -> Result<bool, PathError> {
        Ok(match selector {
            Selector::Name(name) => node.as_object().is_some_and(|m| m.contains_key(name)),
            Selector::Names(_) => node.is_object(),
            Selector::Wildcard => true,
            Selector::Index(_) | Selector::Indices(_) | Selector::Slice(_) => node.is_array(),
            Selector::Filter(filter) => self.accept(filter, node)?,
        })
    }

    /// Runs a path written inside a filter or as a function argument, `@` being `current`.
    fn run<'p>(&self, path: &'p Path, current: &Value) -> Result<(Vec<Value>, Evaluator<'p, 'a>), PathError>
    where
        'c: 'p,
    {
        let inner = Evaluator {
            ctx: self.ctx,
            steps: &path.steps,
        };
        let root = match &path.root {
            Root::Current => current,
            other => root_value(other, self.ctx)?,
        };
        let values = inner.select(vec![root], 0)?;
        Ok((values, inner))
    }

    fn accept(&self, filter: &Filter, current: &Value) -> Result<bool, PathError> {
        Ok(match filter {
            Filter::Or(alternatives) => {
                for f in alternatives {
                    if self.accept(f, current)? {
                        return Ok(true);
                    }
                }
                false
            }
            Filter::And(all) => {
                for f in all {
                    if !self.accept(f, current)? {
                        return Ok(false);
                    }
                }
                true
            }
            Filter::Not(inner) => !self.accept(inner, current)?,
            Filter::Exists(path) => self.exists(path, current)?,
            Filter::Compare { left, op, right } => {
                if *op == RelOp::Exists {
                    let Operand::Path(path) = left else {
                        return Ok(false);
                    };
                    let wanted = matches!(right, Operand::Literal(Value::Bool(true)));
                    return Ok(self.exists(path, current)? == wanted);
                }
                let left = self.operand(left, current)?;
                let right = self.operand(right, current)?;
                compare(&left, *op, &right)?
            }
        })
    }

    /// `[?(@.isbn)]`: the path selects something (a definite path has a value, even `null`;
    /// an indefinite one matches at least one node).
    fn exists(&self, path: &Path, current: &Value) -> Result<bool, PathError> {
        match self.run(path, current) {
            Ok((values, _)) => Ok(!values.is_empty()),
            Err(PathError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn operand(&self, operand: &Operand, current: &Value) -> Result<Node, PathError> {
        Ok(match operand {
            Operand::Literal(value) => Node::Json(value.clone()),
            Operand::Regex { pattern, flags } => Node::Pattern {
                pattern: pattern.clone(),
                flags: flags.clone(),
            },
            Operand::Path(path) => match self.run(path, current) {
                Ok((values, inner)) => match inner.finish(values) {
                    Ok(value) => Node::Json(value),
                    Err(PathError::NotFound { .. }) => Node::Undefined,
                    Err(e) => return Err(e),
                },
                Err(PathError::NotFound { .. }) => Node::Undefined,
                Err(e) => return Err(e),
            },
        })
    }

    /// Calls the function `name` on `input`, the output of the path before it.
    fn call(&self, name: &str, args: &[Operand], input: &Value) -> Result<Value, PathError> {
        let Some((_, function)) = PATH_FUNCTIONS.iter().find(|(n, _)| *n == name) else {
            return Err(PathError::invalid(format!(
                "Function with name: {name} does not exist."
            )));
        };
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(match arg {
                Operand::Literal(value) => value.clone(),
                Operand::Path(path) => {
                    let (found, inner) = self.run(path, input)?;
                    inner.finish(found)?
                }
                Operand::Regex { .. } => {
                    return Err(PathError::invalid(format!(
                        "a regular expression cannot be an argument of {name}()"
                    )))
                }
            });
        }
        function(input, &values).map_err(PathError::invalid)
    }
}

/// The element at `index`, counting from the end when negative.
fn element(items: &[Value], index: i64) -> Option<&Value> {
    let len = items.len() as i64;
    let effective = if index < 0 { len + index } else { index };
    usize::try_from(effective).ok().and_then(|i| items.get(i))
}

/// The indexes a slice visits, with Jayway's rules for `[a:]`, `[:b]` and `[a:b]` (negative
/// bounds count from the end) and Python's when a step is given.
fn slice_indices(slice: &Slice, len: usize) -> Result<Vec<i64>, PathError> {
    let len = len as i64;
    let Slice { start, end, step } = *slice;
    if let Some(step) = step {
        return python_slice(start, end, step, len);
    }
    Ok(match (start, end) {
        (Some(from), None) => {
            let from = if from < 0 { (len + from).max(0) } else { from };
            (from..len).collect()
        }
        (None, Some(to)) => {
            let to = if to < 0 { len + to } else { to.min(len) };
            (0..to).collect()
        }
        // Jayway does not resolve a negative start here: each index is resolved on its own
        // (so `[-2:3]` visits the last two elements, then the first three). Indexes before
        // `-len` select nothing, so they are not visited at all.
        (Some(from), Some(to)) => (from.max(-len)..to.min(len)).collect(),
        (None, None) => (0..len).collect(),
    })
}

fn python_slice(start: Option<i64>, end: Option<i64>, step: i64, len: i64) -> Result<Vec<i64>, PathError> {
    if step == 0 {
        return Err(PathError::invalid("slice step cannot be zero"));
    }
    let resolve = |bound: i64, low: i64, high: i64| {
        let b = if bound < 0 { bound + len } else { bound };
        b.clamp(low, high)
    };
    let mut out = Vec::new();
    if step > 0 {
        let from = start.map_or(0, |s| resolve(s, 0, len));
        let to = end.map_or(len, |e| resolve(e, 0, len));
        let mut i = Some(from);
        while let Some(index) = i.filter(|&index| index < to) {
            out.push(index);
            i = index.checked_add(step);
        }
    } else {
        let from = start.map_or(len - 1, |s| resolve(s, -1, len - 1));
        let to = end.map_or(-1, |e| resolve(e, -1, len - 1));
        let mut i = Some(from);
        while let Some(index) = i.filter(|&index| index > to) {
            out.push(index);
            i = index.checked_add(step);
        }
    }
    Ok(out)
}

/// A filter operand once evaluated, as Jayway's `ValueNode`s: a JSON value, nothing (a path
/// that matched nothing), or a regular expression.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Undefined,
    Json(Value),
    Pattern { pattern: String, flags: String },
}

/// Compares two operands with one of Jayway's relational operators.
fn compare(left: &Node, op: RelOp, right: &Node) -> Result<bool, PathError> {
    use Node::Json;
    Ok(match op {
        RelOp::Eq => loose_eq(left, right),
        RelOp::Ne => !loose_eq(left, right),
        RelOp::StrictEq => same_kind(left, right) && loose_eq(left, right),
        RelOp::StrictNe => !(same_kind(left, right) && loose_eq(left, right)),
        RelOp::Lt | RelOp::Le | RelOp::Gt | RelOp::Ge => {
            let ordering = match (left, right) {
                (Json(Value::Number(a)), Json(Value::Number(b))) => number_cmp(a, b),
                (Json(Value::String(a)), Json(Value::String(b))) => Some(java_cmp(a, b)),
                _ => None,
            };
            match (ordering, op) {
                (Some(o), RelOp::Lt) => o == Ordering::Less,
                (Some(o), RelOp::Le) => o != Ordering::Greater,
                (Some(o), RelOp::Gt) => o == Ordering::Greater,
                (Some(o), _) => o != Ordering::Less,
                (None, _) => false,
            }
        }
        RelOp::Regex => match (left, right) {
            (Node::Pattern { pattern, flags }, value) | (value, Node::Pattern { pattern, flags }) => {
                if matches!(value, Node::Pattern { .. }) {
                    return Ok(false);
                }
                regex_matches(pattern, flags, &regex_input(value))?
            }
            _ => false,
        },
        RelOp::In | RelOp::Nin => {
            let found = match (left, list(right)) {
                (Json(value), Some(items)) => contains(items, value),
                _ => false,
            };
            found == (op == RelOp::In)
        }
        RelOp::Contains => match (left, right) {
            (Json(Value::String(haystack)), Json(Value::String(needle))) => haystack.contains(needle.as_str()),
            (Json(Value::Array(items)), Json(needle)) => items.iter().any(|item| loose_eq_values(item, needle)),
            _ => false,
        },
        RelOp::SubsetOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => l.iter().all(|x| contains(r, x)),
            _ => false,
        },
        RelOp::AnyOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => l.iter().any(|x| contains(r, x)),
            _ => false,
        },
        RelOp::NoneOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => !l.iter().any(|x| contains(r, x)),
            _ => false,
        },
        // Jayway: every required value is in the left array; a left operand that is JSON but
        // not an array passes vacuously.
        RelOp::All => match (left, list(right)) {
            (Json(Value::Array(have)), Some(required)) => required.iter().all(|x| contains(have, x)),
            (Json(Value::Object(_)), Some(_)) => true,
            _ => false,
        },
        RelOp::Size => match (left, right) {
            (Json(value), Json(Value::Number(n))) => {
                let expected = n.as_f64().map(|f| f.trunc() as i64);
                let size = match value {
                    Value::String(s) => Some(s.encode_utf16().count() as i64),
                    Value::Array(items) => Some(items.len() as i64),
                    Value::Object(map) => Some(map.len() as i64),
                    _ => None,
                };
                size.is_some() && size == expected
            }
            _ => false,
        },
        RelOp::Empty => match (left, right) {
            (Json(value), Json(Value::Bool(wanted))) => {
                let empty = match value {
                    Value::String(s) => Some(s.is_empty()),
                    Value::Array(items) => Some(items.is_empty()),
                    Value::Object(map) => Some(map.is_empty()),
                    _ => None,
                };
                empty == Some(*wanted)
            }
            _ => false,
        },
        // `exists` is handled before the operands are evaluated; `type` and `matches` take
        // operands (a Java class, a predicate) that a path string cannot express.
        RelOp::Exists | RelOp::Type | RelOp::Matches => false,
    })
}

/// The elements of an array operand.
fn list(node: &Node) -> Option<&Vec<Value>> {
    match node {
        Node::Json(Value::Array(items)) => Some(items),
        _ => None,
    }
}

/// Whether `items` holds `wanted`, compared as Jayway's value lists compare.
fn contains(items: &[Value], wanted: &Value) -> bool {
    items.iter().any(|item| loose_eq_values(wanted, item))
}

/// Whether two operands are of the same `ValueNode` class, for `===`.
fn same_kind(a: &Node, b: &Node) -> bool {
    let kind = |n: &Node| match n {
        Node::Undefined => 0,
        Node::Pattern { .. } => 1,
        Node::Json(Value::Null) => 2,
        Node::Json(Value::Bool(_)) => 3,
        Node::Json(Value::Number(_)) => 4,
        Node::Json(Value::String(_)) => 5,
        Node::Json(Value::Array(_) | Value::Object(_)) => 6,
    };
    kind(a) == kind(b)
}

/// Jayway's `==`: strings and numbers compare across types (the left operand's type decides
/// how), containers compare structurally, and an undefined operand equals nothing.
fn loose_eq(left: &Node, right: &Node) -> bool {
    match (left, right) {
        (Node::Json(l), Node::Json(r)) => loose_eq_values(l, r),
        (Node::Pattern { pattern: a, flags: f }, Node::Pattern { pattern: b, flags: g }) => a == b && f == g,
        _ => false,
    }
}

fn loose_eq_values(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::String(a), Value::Number(b)) => *a == b.to_string(),
        (Value::Number(a), Value::Number(b)) => number_cmp(a, b) == Some(Ordering::Equal),
        (Value::Number(a), Value::String(b)) => {
            parse_number(b).is_some_and(|b| number_cmp(a, &b) == Some(Ordering::Equal))
        }
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, Value::Null) => true,
        (Value::Array(_), Value::Array(_)) | (Value::Object(_), Value::Object(_)) => l == r,
        _ => false,
    }
}

fn number_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// A string read as a number the way `BigDecimal` would: digits, sign, point, exponent.
fn parse_number(s: &str) -> Option<Number> {
    let numeric = !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    if !numeric {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::from(i));
    }
    s.parse::<f64>().ok().and_then(Number::from_f64)
}

/// Java's `String.compareTo`: by UTF-16 code units.
fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// What `=~` matches against: strings and numbers as text, booleans as `true`/`false`,
/// anything else as the empty string.
fn regex_input(node: &Node) -> String {
    match node {
        Node::Json(Value::String(s)) => s.clone(),
        Node::Json(Value::Number(n)) => n.to_string(),
        Node::Json(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// Whether the whole of `input` matches `/pattern/flags`, as Java's `Matcher.matches`.
fn regex_matches(pattern: &str, flags: &str, input: &str) -> Result<bool, PathError> {
    // Java's flags that have an inline equivalent; `u`, `U`, `d` and `c` change nothing that
    // Rust's Unicode-aware matching does not already do.
    let inline: String = flags.chars().filter(|c| matches!(c, 'i' | 'm' | 's' | 'x')).collect();
    let prefix = if inline.is_empty() {
        String::new()
    } else {
        format!("(?{inline})")
    };
    let regex = fancy_regex::Regex::new(&format!(r"{prefix}\A(?:{pattern})\z"))
        .map_err(|e| PathError::invalid(format!("invalid regular expression /{pattern}/: {e}")))?;
    regex
        .is_match(input)
        .map_err(|e| PathError::invalid(format!("regular expression /{pattern}/ failed: {e}")))
}

type PathFunction = fn(&Value, &[Value]) -> Result<Value, String>;

/// Jayway's path functions, applied to the output of the path before them.
static PATH_FUNCTIONS: &[(&str, PathFunction)] = &[
    ("min", |input, args| {
        aggregate(input, args, |ns| ns.iter().copied().fold(f64::INFINITY, f64::min))
    }),
    ("max", |input, args| {
        aggregate(input, args, |ns| ns.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    }),
    ("avg", |input, args| {
        aggregate(input, args, |ns| ns.iter().sum::<f64>() / ns.len() as f64)
    }),
    ("sum", |input, args| aggregate(input, args, |ns| ns.iter().sum())),
    ("stddev", |input, args| {
        aggregate(input, args, |ns| {
            let n = ns.len() as f64;
            let mean = ns.iter().sum::<f64>() / n;
            (ns.iter().map(|x| x * x).sum::<f64>() / n - mean * mean).sqrt()
        })
    }),
    ("length", |input, _| Ok(length(input))),
    ("size", |input, _| Ok(length(input))),
    ("keys", |input, _| {
        Ok(match input {
            Value::Object(map) => Value::Array(map.keys().map(|k| Value::String(k.clone())).collect()),
            _ => Value::Null,
        })
    }),
    ("concat", |input, args| {
        let mut text = String::new();
        let strings = match input {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for value in strings.into_iter().chain(args) {
            if let Value::String(s) = value {
                text.push_str(s);
            }
        }
        Ok(Value::String(text))
    }),
    ("append", |input, args| {
        Ok(match input {
            Value::Array(items) => Value::Array(items.iter().chain(args).cloned().collect()),
            other => other.clone(),
        })
    }),
    ("first", |input, _| Ok(nth(input, 0))),
    ("last", |input, _| Ok(nth(input, -1))),
    ("index", |input, args| match args.first().and_then(Value::as_i64) {
        Some(i) => Ok(nth(input, i)),
        None => Err("index() takes an integer argument".to_string()),
    }),
];

fn length(input: &Value) -> Value {
    match input {
        Value::Array(items) => Value::from(items.len()),
        Value::Object(map) => Value::from(map.len()),
        _ => Value::Null,
    }
}

fn nth(input: &Value, index: i64) -> Value {
    match input {
        Value::Array(items) => element(items, index).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// An aggregate over the numbers of an array (other elements are ignored) and of the
/// arguments; like Jayway's, the result is a floating-point number.
fn aggregate(input: &Value, args: &[Value], f: fn(&[f64]) -> f64) -> Result<Value, String> {
    let mut numbers = Vec::new();
    let mut collect = |value: &Value| match value {
        Value::Number(n) => numbers.extend(n.as_f64()),
        Value::Array(items) => numbers.extend(items.iter().filter_map(Value::as_f64)),
        _ => {}
    };
    if let Value::Array(_) = input {
        collect(input);
    }
    args.iter().for_each(&mut collect);
    if numbers.is_empty() {
        return Err("Aggregation function attempted to calculate value using empty array".to_string());
    }
    Ok(Value::from(f(&numbers)))
}

#[cfg(test)]
mod tests;
