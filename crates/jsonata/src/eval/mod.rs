//! The JSONata evaluator: walks an [`Ast`] over a JSON input, as jsonata-js 2.0.6 does.
//!
//! The structure follows jsonata-js's `evaluate` function by function (paths, steps, tuple
//! streams, filters, group-by, sort, operators, functions and lambdas, transforms), so that the
//! same expression gives the same result, the same "undefined" or the same error code. The
//! standard library lives in `super::functions`, one table row per function.
//!
//! Three departures from the JavaScript, all invisible in results: values are immutable
//! (`Val` shares its arrays and objects), so a transform rebuilds the objects its pattern
//! matched instead of mutating them; a tail call is trampolined through the thunks the
//! post-parse pass made, so deep recursion in JSONata does not deepen the Rust stack; and
//! nesting is bounded ([`MAX_DEPTH`]), giving error `U1001` instead of a stack overflow.
//!
//! By concern: this file holds the entry points and the dispatch on node kinds; `paths` the
//! steps, tuple streams and filters; `grouping` object constructors and group-by; `sorting`
//! order-by; `operators` the binary operators; `apply` calls, lambdas and partial
//! application; `transform` `| … | … |`. The types they share with the built-ins live in
//! `crate::runtime` and `crate::value`, so the built-ins never reach into this module.

mod apply;
mod grouping;
mod operators;
mod paths;
mod sorting;
mod transform;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use crate::ast::{Ast, Kind, Node, Stage};
use crate::error::JsonataError;
use crate::functions;
use crate::runtime::{err, Evaluator, R};
use crate::validate::Validator;
use crate::value::{lookup_field, truthy, Env, Flags, Frame, Func, Val};
use aslkit_base::Span;
use paths::{descendants, frame_from_tuple, tuple_get, wildcard};

/// How deeply evaluation may nest before it is stopped with `U1001`.
pub const MAX_DEPTH: usize = 2000;

/// How many evaluation steps one evaluation may take before it is stopped with `U1001`
/// ("Expression evaluation timeout", as jsonata-js's time box says): infinite tail recursion
/// runs in constant stack and would otherwise never end.
pub const MAX_STEPS: u64 = 5_000_000;

/// What an evaluation can see besides its input: variables, and the clock and random source
/// (injectable so that simulations are reproducible).
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// Variables, by name without `$` (`states` binds `$states`).
    pub variables: serde_json::Map<String, Value>,
    /// The instant `$now()` and `$millis()` report, in milliseconds since the epoch; `None`
    /// reads the system clock once per evaluation.
    pub now_millis: Option<i64>,
    /// Seed of `$random()`, `$shuffle` and `$uuid`; `None` seeds from the clock.
    pub random_seed: Option<u64>,
}

/// What an expression evaluated to, for a host that must tell a function from a value (Step
/// Functions refuses a function as a field's value, where `JSON.stringify` would give `""`).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Value(Value),
    /// The expression's value is a function (a lambda or a built-in).
    Function,
    Undefined,
}

/// Evaluates `ast` against `input` (`None`: no input at all, JSONata's "undefined").
///
/// Returns `Ok(None)` when the result is undefined, and `""` for a function, as
/// `JSON.stringify` would. Evaluation runs on a thread of its own with a large stack, so that
/// deeply nested (non-tail) recursion ends in `U1001`, not a crash.
pub fn evaluate(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Option<Value>, JsonataError> {
    evaluate_outcome(ast, input, bindings).map(Outcome::into_json)
}

/// The stack an evaluation needs to reach [`MAX_DEPTH`] (in a debug build too) and end in
/// `U1001` rather than overflow.
pub const STACK_BYTES: usize = 512 * 1024 * 1024;

thread_local! {
    /// The stack of the current thread, as its creator declared it ([`declare_stack`]).
    static DECLARED_STACK: Cell<usize> = const { Cell::new(0) };
}

/// Declares that the calling thread was created with `bytes` of stack. With at least
/// [`STACK_BYTES`], evaluations run on it directly; otherwise each one runs on a thread of
/// its own with that stack (a thread per call, which a long simulation feels). The command
/// line runs on one such thread for its whole life.
pub fn declare_stack(bytes: usize) {
    DECLARED_STACK.with(|s| s.set(bytes));
}

/// [`evaluate`], telling a function result apart.
pub fn evaluate_outcome(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Outcome, JsonataError> {
    if DECLARED_STACK.with(Cell::get) >= STACK_BYTES {
        return outcome_here(ast, input, bindings);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || {
                declare_stack(STACK_BYTES);
                outcome_here(ast, input, bindings)
            });
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(JsonataError::new(
                    "U1001",
                    Span::default(),
                    "evaluation stopped: stack overflow",
                ))
            }),
            Err(_) => outcome_here(ast, input, bindings),
        }
    })
}

impl Outcome {
    /// The JSON form of the result (a function as `""`), `None` for undefined.
    pub fn into_json(self) -> Option<Value> {
        match self {
            Outcome::Value(v) => Some(v),
            Outcome::Function => Some(Value::String(String::new())),
            Outcome::Undefined => None,
        }
    }
}

/// [`evaluate`] on the calling thread.
pub fn evaluate_here(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Option<Value>, JsonataError> {
    outcome_here(ast, input, bindings).map(Outcome::into_json)
}

fn outcome_here(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Outcome, JsonataError> {
    let now = bindings.now_millis.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    });
    let seed = bindings.random_seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
    });
    let ev = Evaluator {
        depth: Cell::new(0),
        steps: Cell::new(0),
        now_millis: now,
        rng: Cell::new(seed ^ 0x5851_f42d_4c95_7f2d),
        validators: RefCell::new(HashMap::new()),
        tree: std::marker::PhantomData,
    };
    let root = Frame::new(None);
    for (name, value) in &bindings.variables {
        root.bind(name, Some(Val::from_json(value)));
    }
    let input = input.map(Val::from_json);
    root.bind("$", input.clone());
    let input = match input {
        Some(Val::Arr(items, flags)) if !flags.sequence => Some(Val::Arr(
            Rc::new(vec![Val::Arr(items, flags)]),
            Flags {
                sequence: true,
                outer_wrapper: true,
                ..Flags::default()
            },
        )),
        other => other,
    };
    let outcome = match ev.eval(&ast.root, input.as_ref(), &root) {
        Err(e) => Err(e),
        Ok(Some(Val::Num(n))) if !n.is_finite() => Err(err("D1001", ast.root.span, "number out of range")),
        Ok(Some(v)) if v.is_function() => Ok(Outcome::Function),
        Ok(Some(v)) => Ok(Outcome::Value(v.to_json())),
        Ok(None) => Ok(Outcome::Undefined),
    };
    drop(input);
    root.release_all();
    outcome
}

/// A variable: bound in `env` or an enclosing frame, or else a built-in function.
fn variable<'a>(env: &Env<'a>, name: &str) -> Option<Val<'a>> {
    env.lookup(name)
        .or_else(|| functions::lookup(name).map(|b| Val::Func(Rc::new(Func::Builtin(b)))))
}

fn ancestor_name(label: usize) -> String {
    format!("!{label}")
}

fn is_array_of_numbers(v: &Val) -> bool {
    matches!(v, Val::Arr(items, _) if items.iter().all(|i| matches!(i, Val::Num(_))))
}

impl<'a> Evaluator<'a> {
    pub(crate) fn eval(&self, node: &'a Node, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH {
            return Err(err("U1001", node.span, "evaluation nested too deeply (stack overflow)"));
        }
        let steps = self.steps.get() + 1;
        if steps > MAX_STEPS {
            return Err(err(
                "U1001",
                node.span,
                "Expression evaluation timeout: Check for infinite loop",
            ));
        }
        self.steps.set(steps);
        self.depth.set(depth);
        let result = self.eval_inner(node, input, env);
        self.depth.set(depth - 1);
        result
    }

    fn eval_inner(&self, node: &'a Node, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
        let mut result = match &node.kind {
            Kind::Path(path) => self.eval_path(node, path, input, env)?,
            Kind::Binary { op, lhs, rhs } => self.eval_binary(*op, lhs, rhs, node.span, input, env)?,
            Kind::Negate(expr) => match self.eval(expr, input, env)? {
                None => None,
                Some(Val::Num(n)) => Some(Val::Num(-n)),
                Some(_) => return Err(err("D1002", node.span, "cannot negate a non-numeric value")),
            },
            Kind::Array(items) => Some(self.eval_array(node, items, input, env)?),
            Kind::Object(pairs) => Some(self.eval_group(pairs, input.cloned(), false, env)?),
            Kind::Name(name) => lookup_field(input, name),
            Kind::String(s) => Some(Val::str(s)),
            Kind::Number(n) => Some(Val::Num(*n)),
            Kind::Bool(b) => Some(Val::Bool(*b)),
            Kind::Null => Some(Val::Null),
            Kind::Regex(r) => Some(Val::Func(Rc::new(Func::Regex(Rc::new(
                functions::regex::compile(&r.pattern, &r.flags).map_err(|m| err("S0302", node.span, m))?,
            ))))),
            Kind::Variable(name) => {
                if name.is_empty() {
                    match input {
                        Some(Val::Arr(items, f)) if f.outer_wrapper => items.first().cloned(),
                        other => other.cloned(),
                    }
                } else {
                    variable(env, name)
                }
            }
            Kind::Wildcard => wildcard(input),
            Kind::Descendant => descendants(input),
            Kind::Parent { label } => variable(env, &ancestor_name(*label)),
            Kind::Block(items) => {
                let frame = Frame::new(Some(env));
                let mut result = None;
                for item in items {
                    result = self.eval(item, input, &frame)?;
                }
                result
            }
            Kind::Bind { name, value } => {
                let v = self.eval(value, input, env)?;
                env.bind(name, v.clone());
                v
            }
            Kind::Apply { lhs, rhs } => self.eval_apply(lhs, rhs, node.span, input, env)?,
            Kind::Condition {
                condition,
                then,
                otherwise,
            } => {
                let c = self.eval(condition, input, env)?;
                if c.as_ref().is_some_and(truthy) {
                    self.eval(then, input, env)?
                } else if let Some(o) = otherwise {
                    self.eval(o, input, env)?
                } else {
                    None
                }
            }
            Kind::Function { procedure, args } => self.eval_function(procedure, args, node.span, None, input, env)?,
            Kind::Partial { procedure, args } => self.eval_partial(procedure, args, node.span, input, env)?,
            Kind::Lambda(def) => Some(Val::Func(Rc::new(Func::Lambda {
                def,
                params: def.params.iter().map(String::as_str).collect(),
                signature: def.signature.as_ref(),
                input: input.cloned(),
                env: env.clone(),
            }))),
            Kind::Transform {
                pattern,
                update,
                delete,
            } => Some(Val::Func(Rc::new(Func::Transform {
                pattern,
                update,
                delete: delete.as_deref(),
                env: env.clone(),
            }))),
            Kind::Sort(_) | Kind::Placeholder => None,
        };
        for stage in &node.predicate {
            if let Stage::Filter { expr, .. } = stage {
                result = Some(self.filter(expr, result, env)?);
            }
        }
        if !matches!(node.kind, Kind::Path(_)) {
            if let Some(g) = &node.group {
                result = Some(self.eval_group(&g.pairs, result, false, env)?);
            }
        }
        Ok(normalize(result, node.keep_array))
    }

    fn eval_array(
        &self,
        node: &'a Node,
        items: &'a [Node],
        input: Option<&Val<'a>>,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        let mut out: Vec<Val<'a>> = Vec::new();
        for item in items {
            let Some(value) = self.eval(item, input, env)? else {
                continue;
            };
            if matches!(item.kind, Kind::Array(_)) {
                out.push(value);
            } else {
                match value {
                    Val::Arr(more, _) => out.extend(more.iter().cloned()),
                    other => out.push(other),
                }
            }
        }
        Ok(Val::Arr(
            Rc::new(out),
            Flags {
                cons: node.cons_array,
                ..Flags::default()
            },
        ))
    }
}

/// The end of jsonata-js's `evaluate`: a sequence of one collapses to its item (unless it must
/// stay an array), an empty one to undefined.
fn normalize(result: Option<Val<'_>>, keep_array: bool) -> Option<Val<'_>> {
    match result {
        Some(Val::Arr(items, mut f)) if f.sequence && !f.tuple_stream => {
            if keep_array {
                f.keep_singleton = true;
            }
            match items.len() {
                0 => None,
                1 if !f.keep_singleton => Some(items[0].clone()),
                _ => Some(Val::Arr(items, f)),
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
