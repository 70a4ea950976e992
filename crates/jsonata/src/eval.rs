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

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::ast::{Ast, BinaryOp, Kind, Lambda, Node, Path, SortTerm, Stage};
use super::error::JsonataError;
use super::functions::{self, Builtin};
use super::signature::Signature;
use super::value::{deep_equal, strict_equal, Flags, Map, Val};
use aslkit_base::Span;

/// How deeply evaluation may nest before it is stopped with `U1001`.
pub const MAX_DEPTH: usize = 2000;

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

/// Evaluates `ast` against `input` (`None`: no input at all, JSONata's "undefined").
///
/// Returns `Ok(None)` when the result is undefined. Evaluation runs on a thread of its own with
/// a large stack, so that deeply nested (non-tail) recursion ends in `U1001`, not a crash.
pub fn evaluate(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Option<Value>, JsonataError> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(512 * 1024 * 1024)
            .spawn_scoped(scope, || evaluate_here(ast, input, bindings));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(JsonataError::new(
                    "U1001",
                    Span::default(),
                    "evaluation stopped: stack overflow",
                ))
            }),
            Err(_) => evaluate_here(ast, input, bindings),
        }
    })
}

/// [`evaluate`] on the calling thread.
pub fn evaluate_here(ast: &Ast, input: Option<&Value>, bindings: &Bindings) -> Result<Option<Value>, JsonataError> {
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
    let result = ev.eval(&ast.root, input.as_ref(), &root)?;
    match result {
        Some(Val::Num(n)) if !n.is_finite() => Err(err("D1001", ast.root.span, "number out of range")),
        Some(v) => Ok(Some(v.to_json())),
        None => Ok(None),
    }
}

pub(crate) type R<'a> = Result<Option<Val<'a>>, JsonataError>;

pub(crate) fn err(code: &'static str, span: Span, message: impl Into<String>) -> JsonataError {
    JsonataError::new(code, span, message)
}

/// A scope of variable bindings. A name bound to "undefined" still shadows outer bindings,
/// as in jsonata-js.
pub(crate) struct Frame<'a> {
    vars: RefCell<HashMap<String, Option<Val<'a>>>>,
    parent: Option<Env<'a>>,
}

pub(crate) type Env<'a> = Rc<Frame<'a>>;

impl<'a> Frame<'a> {
    pub(crate) fn new(parent: Option<&Env<'a>>) -> Env<'a> {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: parent.cloned(),
        })
    }

    pub(crate) fn bind(&self, name: &str, value: Option<Val<'a>>) {
        self.vars.borrow_mut().insert(name.to_string(), value);
    }

    /// Looks a name up through the enclosing frames, then among the built-in functions.
    pub(crate) fn lookup(&self, name: &str) -> Option<Val<'a>> {
        let mut frame = self;
        loop {
            if let Some(v) = frame.vars.borrow().get(name) {
                return v.clone();
            }
            match &frame.parent {
                Some(p) => frame = p,
                None => return functions::lookup(name).map(|b| Val::Func(Rc::new(Func::Builtin(b)))),
            }
        }
    }
}

/// A function value.
pub(crate) enum Func<'a> {
    /// A lambda closed over its environment (also a tail-call thunk when `def.thunk`).
    Lambda {
        def: &'a Lambda,
        /// The parameters still to bind (fewer than `def.params` after partial application).
        params: Vec<&'a str>,
        signature: Option<&'a Signature>,
        input: Option<Val<'a>>,
        env: Env<'a>,
    },
    Builtin(&'static Builtin),
    /// A built-in with some arguments fixed (`None` marks a `?` placeholder).
    Partial {
        func: Val<'a>,
        args: Vec<Option<Option<Val<'a>>>>,
    },
    /// `f ~> g`: `g(f(x))`.
    Chain(Val<'a>, Val<'a>),
    Regex(Rc<regex::Regex>),
    /// `| pattern | update, delete |`.
    Transform {
        pattern: &'a Node,
        update: &'a Node,
        delete: Option<&'a Node>,
        env: Env<'a>,
    },
}

impl Func<'_> {
    /// How many arguments the function takes (jsonata-js's `getFunctionArity`), which decides
    /// what higher-order functions pass to it.
    pub(crate) fn arity(&self) -> usize {
        match self {
            Func::Lambda { params, .. } => params.len(),
            Func::Builtin(b) => b.arity,
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Chain(..) | Func::Regex(_) | Func::Transform { .. } => 1,
        }
    }
}

/// Per-evaluation state.
pub(crate) struct Evaluator<'a> {
    depth: Cell<usize>,
    pub(crate) now_millis: i64,
    rng: Cell<u64>,
    validators: RefCell<HashMap<*const Signature, Rc<super::validate::Validator>>>,
    /// Ties the evaluator to the tree whose functions it calls.
    tree: std::marker::PhantomData<&'a Node>,
}

/// What a built-in sees besides its arguments.
pub(crate) struct Call<'a, 'e> {
    pub env: &'e Env<'a>,
    pub span: Span,
}

fn tuple_get<'a>(t: &Map<'a>, key: &str) -> Option<Val<'a>> {
    t.get(key).cloned()
}

fn frame_from_tuple<'a>(env: &Env<'a>, tuple: &Map<'a>) -> Env<'a> {
    let frame = Frame::new(Some(env));
    for (k, v) in tuple {
        frame.bind(k, Some(v.clone()));
    }
    frame
}

fn ancestor_name(label: usize) -> String {
    format!("!{label}")
}

/// jsonata-js's `fn.append` for values: the result is a plain (non-sequence) array.
pub(crate) fn append<'a>(a: Option<Val<'a>>, b: Option<Val<'a>>) -> Option<Val<'a>> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => {
            let mut items = a.items();
            match b {
                Val::Arr(more, _) => items.extend(more.iter().cloned()),
                other => items.push(other),
            }
            Some(Val::array(items))
        }
    }
}

/// jsonata-js's `fn.boolean` (`None` for undefined).
pub(crate) fn truthy(v: &Val) -> bool {
    match v {
        Val::Arr(items, _) => match items.len() {
            0 => false,
            1 => truthy(&items[0]),
            _ => items.iter().any(truthy),
        },
        Val::Str(s) => !s.is_empty(),
        Val::Num(n) => *n != 0.0 && !n.is_nan(),
        Val::Obj(m) => !m.is_empty(),
        Val::Bool(b) => *b,
        Val::Null => false,
        Val::Func(_) => false,
    }
}

fn is_array_of_numbers(v: &Val) -> bool {
    matches!(v, Val::Arr(items, _) if items.iter().all(|i| matches!(i, Val::Num(_))))
}

impl<'a> Evaluator<'a> {
    /// The next number of the evaluation's random source, in `[0, 1)` (splitmix64).
    pub(crate) fn random(&self) -> f64 {
        let mut z = self.rng.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.rng.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn eval(&self, node: &'a Node, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH {
            return Err(err("U1001", node.span, "evaluation nested too deeply (stack overflow)"));
        }
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
                    env.lookup(name)
                }
            }
            Kind::Wildcard => wildcard(input),
            Kind::Descendant => descendants(input),
            Kind::Parent { label } => env.lookup(&ancestor_name(*label)),
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

    fn eval_path(&self, node: &'a Node, path: &'a Path, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
        let first_is_variable = path.steps.first().is_some_and(|s| matches!(s.kind, Kind::Variable(_)));
        let mut input_seq: Vec<Option<Val<'a>>> = match input {
            Some(Val::Arr(items, _)) if !first_is_variable => items.iter().cloned().map(Some).collect(),
            other => vec![other.cloned()],
        };
        let mut result_seq: Option<Val<'a>> = None;
        let mut is_tuple = false;
        let mut tuples: Option<Vec<Map<'a>>> = None;
        let last = path.steps.len().saturating_sub(1);
        for (i, step) in path.steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if i == 0 && step.cons_array {
                let seq = Val::seq(input_seq.iter().flatten().cloned().collect());
                let seq = if input_seq.len() == 1 && input_seq[0].is_none() {
                    None
                } else {
                    Some(seq)
                };
                result_seq = self.eval(step, seq.as_ref().or(input), env)?;
            } else if is_tuple {
                tuples = Some(self.eval_tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                result_seq = Some(self.eval_step(step, &input_seq, env, i == last)?);
            }
            if !is_tuple {
                match &result_seq {
                    Some(Val::Arr(items, _)) if !items.is_empty() => {}
                    _ => break,
                }
            }
            if step.focus.is_none() {
                input_seq = match &result_seq {
                    Some(Val::Arr(items, _)) => items.iter().cloned().map(Some).collect(),
                    _ => Vec::new(),
                };
            }
        }
        if is_tuple {
            let tuples = tuples.unwrap_or_default();
            if node.tuple {
                result_seq = Some(Val::Arr(
                    Rc::new(tuples.into_iter().map(Val::object).collect()),
                    Flags {
                        sequence: true,
                        tuple_stream: true,
                        ..Flags::default()
                    },
                ));
            } else {
                let items: Vec<Val<'a>> = tuples.iter().filter_map(|t| tuple_get(t, "@")).collect();
                if let Some(g) = &node.group {
                    return Ok(Some(self.eval_group_tuples(&g.pairs, tuples, env)?));
                }
                result_seq = Some(Val::seq(items));
            }
        }
        if path.keep_singleton_array {
            if let Some(r) = result_seq.take() {
                let f = r.flags();
                let r = if r.is_array() && f.cons && !f.sequence {
                    Val::seq(vec![r])
                } else {
                    r
                };
                result_seq = Some(r.with_flags(|f| f.keep_singleton = true));
            }
        }
        if let Some(g) = &node.group {
            return Ok(Some(self.eval_group(&g.pairs, result_seq, false, env)?));
        }
        Ok(result_seq)
    }

    fn eval_step(
        &self,
        step: &'a Node,
        input: &[Option<Val<'a>>],
        env: &Env<'a>,
        last_step: bool,
    ) -> Result<Val<'a>, JsonataError> {
        if let Kind::Sort(terms) = &step.kind {
            let items: Vec<Val<'a>> = input.iter().flatten().cloned().collect();
            let mut result = Some(self.sort_values(terms, items, env)?);
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    result = Some(self.filter(expr, result, env)?);
                }
            }
            return Ok(result.unwrap_or_else(|| Val::seq(Vec::new())));
        }
        let mut results: Vec<Val<'a>> = Vec::new();
        for item in input {
            let mut res = self.eval(step, item.as_ref(), env)?;
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    res = Some(self.filter(expr, res, env)?);
                }
            }
            if let Some(r) = res {
                results.push(r);
            }
        }
        if last_step && results.len() == 1 && results[0].is_array() && !results[0].is_sequence() {
            return Ok(results.swap_remove(0));
        }
        let mut out = Vec::new();
        for r in results {
            match r {
                Val::Arr(items, f) if !f.cons => out.extend(items.iter().cloned()),
                other => out.push(other),
            }
        }
        Ok(Val::seq(out))
    }

    fn eval_tuple_step(
        &self,
        step: &'a Node,
        input: &[Option<Val<'a>>],
        tuples: Option<Vec<Map<'a>>>,
        env: &Env<'a>,
    ) -> Result<Vec<Map<'a>>, JsonataError> {
        if let Kind::Sort(terms) = &step.kind {
            let result = match tuples {
                Some(t) => self.sort_tuples(terms, t, env)?,
                None => {
                    let items: Vec<Val<'a>> = input.iter().flatten().cloned().collect();
                    let sorted = self.sort_values(terms, items, env)?;
                    let sorted = match sorted {
                        Val::Arr(items, _) => items.to_vec(),
                        other => vec![other],
                    };
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Map::new();
                            t.insert("@".into(), v);
                            if let Some(ix) = &step.index {
                                t.insert(ix.clone(), Val::Num(i as f64));
                            }
                            t
                        })
                        .collect()
                }
            };
            return self.eval_stages(&step.stages, result, env);
        }
        let tuples = tuples.unwrap_or_else(|| {
            input
                .iter()
                .map(|item| {
                    let mut t = Map::new();
                    if let Some(v) = item {
                        t.insert("@".into(), v.clone());
                    }
                    t
                })
                .collect()
        });
        let mut result = Vec::new();
        for tb in &tuples {
            let step_env = frame_from_tuple(env, tb);
            let context = tuple_get(tb, "@");
            let Some(res) = self.eval(step, context.as_ref(), &step_env)? else {
                continue;
            };
            let (items, is_stream) = match res {
                Val::Arr(items, f) => (items.to_vec(), f.tuple_stream),
                other => (vec![other], false),
            };
            for (bb, item) in items.into_iter().enumerate() {
                let mut tuple = tb.clone();
                if is_stream {
                    if let Val::Obj(o) = item {
                        for (k, v) in o.iter() {
                            tuple.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    if let Some(f) = &step.focus {
                        tuple.insert(f.clone(), item);
                    } else {
                        tuple.insert("@".into(), item);
                    }
                    if let Some(ix) = &step.index {
                        tuple.insert(ix.clone(), Val::Num(bb as f64));
                    }
                    if let Some(a) = step.ancestor {
                        match &context {
                            Some(c) => tuple.insert(ancestor_name(a), c.clone()),
                            None => tuple.shift_remove(&ancestor_name(a)),
                        };
                    }
                }
                result.push(tuple);
            }
        }
        self.eval_stages(&step.stages, result, env)
    }

    fn eval_stages(
        &self,
        stages: &'a [Stage],
        mut tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Vec<Map<'a>>, JsonataError> {
        for stage in stages {
            match stage {
                Stage::Filter { expr, .. } => tuples = self.filter_tuples(expr, tuples, env)?,
                Stage::Index { name, .. } => {
                    for (i, t) in tuples.iter_mut().enumerate() {
                        t.insert(name.clone(), Val::Num(i as f64));
                    }
                }
            }
        }
        Ok(tuples)
    }

    /// Which positions of a sequence of `len` items the predicate value `res` at `index`
    /// keeps: numbers select by position, anything else by truth.
    fn predicate_keeps(res: &Option<Val<'a>>, index: usize, len: usize) -> bool {
        let Some(res) = res else {
            return false;
        };
        let numbers: Option<Vec<f64>> = match res {
            Val::Num(n) => Some(vec![*n]),
            v if is_array_of_numbers(v) => Some(v.items().iter().filter_map(Val::as_num).collect()),
            _ => None,
        };
        match numbers {
            Some(ns) => ns.iter().any(|n| {
                let mut i = n.floor();
                if i < 0.0 {
                    i += len as f64;
                }
                i == index as f64
            }),
            None => truthy(res),
        }
    }

    fn filter_tuples(&self, pred: &'a Node, tuples: Vec<Map<'a>>, env: &Env<'a>) -> Result<Vec<Map<'a>>, JsonataError> {
        let len = tuples.len();
        if let Kind::Number(n) = pred.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            return Ok(if index >= 0.0 && (index as usize) < len {
                vec![tuples[index as usize].clone()]
            } else {
                Vec::new()
            });
        }
        let mut out = Vec::new();
        for (index, t) in tuples.into_iter().enumerate() {
            let frame = frame_from_tuple(env, &t);
            let res = self.eval(pred, tuple_get(&t, "@").as_ref(), &frame)?;
            if Self::predicate_keeps(&res, index, len) {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// jsonata-js's `evaluateFilter` on values.
    pub(crate) fn filter(
        &self,
        pred: &'a Node,
        input: Option<Val<'a>>,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        if let Some(Val::Arr(items, flags)) = &input {
            if flags.tuple_stream {
                let tuples = items
                    .iter()
                    .map(|t| match t {
                        Val::Obj(m) => (**m).clone(),
                        _ => Map::new(),
                    })
                    .collect();
                let kept = self.filter_tuples(pred, tuples, env)?;
                return Ok(Val::Arr(Rc::new(kept.into_iter().map(Val::object).collect()), *flags));
            }
        }
        let items: Vec<Option<Val<'a>>> = match input {
            Some(Val::Arr(items, _)) => items.iter().cloned().map(Some).collect(),
            other => vec![other],
        };
        let len = items.len();
        if let Kind::Number(n) = pred.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            if index >= 0.0 && (index as usize) < len {
                if let Some(item) = &items[index as usize] {
                    return Ok(if item.is_array() {
                        item.clone()
                    } else {
                        Val::seq(vec![item.clone()])
                    });
                }
            }
            return Ok(Val::seq(Vec::new()));
        }
        let mut out = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let res = self.eval(pred, item.as_ref(), env)?;
            if Self::predicate_keeps(&res, index, len) {
                out.extend(item);
            }
        }
        Ok(Val::seq(out))
    }

    /// jsonata-js's `evaluateGroupExpression` on values (object constructors and group-by).
    fn eval_group(
        &self,
        pairs: &'a [(Node, Node)],
        input: Option<Val<'a>>,
        _reduce: bool,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        if let Some(Val::Arr(items, f)) = &input {
            if f.tuple_stream {
                let tuples = items
                    .iter()
                    .map(|t| match t {
                        Val::Obj(m) => (**m).clone(),
                        _ => Map::new(),
                    })
                    .collect();
                return self.eval_group_tuples(pairs, tuples, env);
            }
        }
        let mut items: Vec<Option<Val<'a>>> = match input {
            Some(Val::Arr(items, _)) => items.iter().cloned().map(Some).collect(),
            other => vec![other],
        };
        if items.is_empty() {
            items.push(None);
        }
        // key -> (data, index of the pair that made it)
        let mut groups: indexmap::IndexMap<String, (Option<Val<'a>>, usize)> = indexmap::IndexMap::new();
        for item in &items {
            for (pi, (k, _)) in pairs.iter().enumerate() {
                let key = self.eval(k, item.as_ref(), env)?;
                let key = match key {
                    None => continue,
                    Some(Val::Str(s)) => s,
                    Some(_) => {
                        return Err(err(
                            "T1003",
                            k.span,
                            "key in object structure must evaluate to a string",
                        ))
                    }
                };
                match groups.get_mut(&*key) {
                    Some((data, idx)) => {
                        if *idx != pi {
                            return Err(err(
                                "D1009",
                                k.span,
                                format!("multiple key definitions evaluate to same key: {key:?}"),
                            ));
                        }
                        *data = append(data.take(), item.clone());
                    }
                    None => {
                        groups.insert(key.to_string(), (item.clone(), pi));
                    }
                }
            }
        }
        let mut out = Map::new();
        for (key, (data, pi)) in groups {
            if let Some(v) = self.eval(&pairs[pi].1, data.as_ref(), env)? {
                out.insert(key, v);
            }
        }
        Ok(Val::object(out))
    }

    fn eval_group_tuples(
        &self,
        pairs: &'a [(Node, Node)],
        tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        let mut tuples = tuples;
        if tuples.is_empty() {
            tuples.push(Map::new());
        }
        let mut groups: indexmap::IndexMap<String, (Vec<Map<'a>>, usize)> = indexmap::IndexMap::new();
        for t in &tuples {
            let frame = frame_from_tuple(env, t);
            for (pi, (k, _)) in pairs.iter().enumerate() {
                let key = match self.eval(k, tuple_get(t, "@").as_ref(), &frame)? {
                    None => continue,
                    Some(Val::Str(s)) => s,
                    Some(_) => {
                        return Err(err(
                            "T1003",
                            k.span,
                            "key in object structure must evaluate to a string",
                        ))
                    }
                };
                match groups.get_mut(&*key) {
                    Some((data, idx)) => {
                        if *idx != pi {
                            return Err(err(
                                "D1009",
                                k.span,
                                format!("multiple key definitions evaluate to same key: {key:?}"),
                            ));
                        }
                        data.push(t.clone());
                    }
                    None => {
                        groups.insert(key.to_string(), (vec![t.clone()], pi));
                    }
                }
            }
        }
        let mut out = Map::new();
        for (key, (data, pi)) in groups {
            // jsonata-js's `reduceTupleStream`: each binding becomes the append of its values.
            let mut reduced: Map<'a> = data[0].clone();
            for t in &data[1..] {
                for (k, v) in t {
                    let merged = append(reduced.get(k).cloned(), Some(v.clone()));
                    if let Some(m) = merged {
                        reduced.insert(k.clone(), m);
                    }
                }
            }
            let context = reduced.shift_remove("@");
            let frame = frame_from_tuple(env, &reduced);
            if let Some(v) = self.eval(&pairs[pi].1, context.as_ref(), &frame)? {
                out.insert(key, v);
            }
        }
        Ok(Val::object(out))
    }

    /// Compares two sort keys; `Ok(true)` means `a` goes after `b`.
    fn sort_swap(terms: &'a [SortTerm], a: &[Option<Val<'a>>], b: &[Option<Val<'a>>]) -> Result<bool, JsonataError> {
        let mut comp = 0;
        for (i, term) in terms.iter().enumerate() {
            let (aa, bb) = (&a[i], &b[i]);
            match (aa, bb) {
                (None, None) => continue,
                (None, _) => {
                    comp = 1;
                    continue;
                }
                (_, None) => {
                    comp = -1;
                    continue;
                }
                _ => {}
            }
            let ordering = match (aa, bb) {
                (Some(Val::Num(x)), Some(Val::Num(y))) => x.partial_cmp(y),
                (Some(Val::Str(x)), Some(Val::Str(y))) => Some(js_str_cmp(x, y)),
                (Some(Val::Num(_) | Val::Str(_)), Some(Val::Num(_) | Val::Str(_))) => {
                    return Err(err(
                        "T2007",
                        term.expression.span,
                        "type mismatch when comparing values in order-by clause",
                    ))
                }
                _ => {
                    return Err(err(
                        "T2008",
                        term.expression.span,
                        "the expressions within an order-by clause must evaluate to numeric or string values",
                    ))
                }
            };
            comp = match ordering {
                Some(std::cmp::Ordering::Less) => -1,
                Some(std::cmp::Ordering::Greater) => 1,
                _ => continue,
            };
            if term.descending {
                comp = -comp;
            }
            if comp != 0 {
                break;
            }
        }
        Ok(comp == 1)
    }

    fn sort_values(&self, terms: &'a [SortTerm], items: Vec<Val<'a>>, env: &Env<'a>) -> Result<Val<'a>, JsonataError> {
        if items.len() <= 1 {
            return Ok(Val::seq(items));
        }
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                keys.push(self.eval(&term.expression, Some(&item), env)?);
            }
            keyed.push((keys, item));
        }
        let sorted = merge_sort(keyed, &mut |a, b| Self::sort_swap(terms, &a.0, &b.0))?;
        Ok(Val::seq(sorted.into_iter().map(|(_, v)| v).collect()))
    }

    fn sort_tuples(
        &self,
        terms: &'a [SortTerm],
        tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Vec<Map<'a>>, JsonataError> {
        if tuples.len() <= 1 {
            return Ok(tuples);
        }
        let mut keyed = Vec::with_capacity(tuples.len());
        for t in tuples {
            let frame = frame_from_tuple(env, &t);
            let context = tuple_get(&t, "@");
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                keys.push(self.eval(&term.expression, context.as_ref(), &frame)?);
            }
            keyed.push((keys, t));
        }
        let sorted = merge_sort(keyed, &mut |a, b| Self::sort_swap(terms, &a.0, &b.0))?;
        Ok(sorted.into_iter().map(|(_, t)| t).collect())
    }

    fn eval_binary(
        &self,
        op: BinaryOp,
        lhs: &'a Node,
        rhs: &'a Node,
        span: Span,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
    ) -> R<'a> {
        let l = self.eval(lhs, input, env)?;
        match op {
            BinaryOp::And => {
                let lb = l.as_ref().is_some_and(truthy);
                if !lb {
                    return Ok(Some(Val::Bool(false)));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Some(Val::Bool(r.as_ref().is_some_and(truthy))));
            }
            BinaryOp::Or => {
                if l.as_ref().is_some_and(truthy) {
                    return Ok(Some(Val::Bool(true)));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Some(Val::Bool(r.as_ref().is_some_and(truthy))));
            }
            _ => {}
        }
        let r = self.eval(rhs, input, env)?;
        binary(op, l, r, span)
    }

    fn eval_apply(&self, lhs: &'a Node, rhs: &'a Node, span: Span, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
        let l = self.eval(lhs, input, env)?;
        if let Kind::Function { procedure, args } = &rhs.kind {
            return self.eval_function(procedure, args, rhs.span, Some(l), input, env);
        }
        let func = self.eval(rhs, input, env)?;
        let Some(func @ Val::Func(_)) = func else {
            return Err(err(
                "T2006",
                span,
                "the right side of the function application operator ~> must be a function",
            ));
        };
        match l {
            Some(f @ Val::Func(_)) => Ok(Some(Val::Func(Rc::new(Func::Chain(f, func))))),
            other => self.apply(&func, vec![other], None, env, span),
        }
    }

    fn eval_function(
        &self,
        procedure: &'a Node,
        args: &'a [Node],
        span: Span,
        applied_to: Option<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
    ) -> R<'a> {
        let proc = self.eval(procedure, input, env)?;
        if proc.is_none() {
            if let Kind::Path(p) = &procedure.kind {
                if let Some(Kind::Name(name)) = p.steps.first().map(|s| &s.kind) {
                    if env.lookup(name).is_some() {
                        return Err(err(
                            "T1005",
                            span,
                            format!("attempted to invoke a non-function; did you mean ${name}?"),
                        )
                        .with_token(name.clone()));
                    }
                }
            }
        }
        let mut evaluated = Vec::with_capacity(args.len() + 1);
        if let Some(a) = applied_to {
            evaluated.push(a);
        }
        for arg in args {
            evaluated.push(self.eval(arg, input, env)?);
        }
        match proc {
            Some(f @ Val::Func(_)) => self.apply(&f, evaluated, input, env, span),
            _ => Err(err("T1006", span, "attempted to invoke a non-function")),
        }
    }

    fn eval_partial(
        &self,
        procedure: &'a Node,
        args: &'a [Node],
        span: Span,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
    ) -> R<'a> {
        let mut evaluated = Vec::with_capacity(args.len());
        for arg in args {
            if matches!(arg.kind, Kind::Placeholder) {
                evaluated.push(None);
            } else {
                evaluated.push(Some(self.eval(arg, input, env)?));
            }
        }
        let proc = self.eval(procedure, input, env)?;
        match proc {
            Some(Val::Func(f)) => match &*f {
                Func::Lambda {
                    def,
                    params,
                    input,
                    env,
                    ..
                } => {
                    let frame = Frame::new(Some(env));
                    let mut unbound = Vec::new();
                    for (i, p) in params.iter().enumerate() {
                        match evaluated.get(i) {
                            Some(None) => unbound.push(*p),
                            Some(Some(v)) => frame.bind(p, v.clone()),
                            None => frame.bind(p, None),
                        }
                    }
                    Ok(Some(Val::Func(Rc::new(Func::Lambda {
                        def,
                        params: unbound,
                        signature: None,
                        input: input.clone(),
                        env: frame,
                    }))))
                }
                _ => Ok(Some(Val::Func(Rc::new(Func::Partial {
                    func: Val::Func(f.clone()),
                    args: evaluated,
                })))),
            },
            None if matches!(&procedure.kind, Kind::Path(p) if p.steps.first().is_some_and(|s| matches!(&s.kind, Kind::Name(n) if env.lookup(n).is_some()))) => {
                Err(err(
                    "T1007",
                    span,
                    "attempted to partially apply a non-function; did you mean to use the $ prefix?",
                ))
            }
            _ => Err(err("T1008", span, "attempted to partially apply a non-function")),
        }
    }

    /// jsonata-js's `apply`: calls `func`, then keeps calling while the result is a tail-call
    /// thunk.
    pub(crate) fn apply(
        &self,
        func: &Val<'a>,
        args: Vec<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        let mut result = self.apply_inner(func, args, input, env, span)?;
        loop {
            let thunk = match &result {
                Some(Val::Func(f)) => match &**f {
                    Func::Lambda {
                        def,
                        input: t_input,
                        env: t_env,
                        ..
                    } if def.thunk => Some((def, t_input.clone(), t_env.clone())),
                    _ => None,
                },
                _ => None,
            };
            let Some((def, t_input, t_env)) = thunk else {
                return Ok(result);
            };
            let Kind::Function { procedure, args } = &def.body.kind else {
                return Ok(result);
            };
            let next = self.eval(procedure, t_input.as_ref(), &t_env)?;
            let mut evaluated = Vec::with_capacity(args.len());
            for arg in args {
                evaluated.push(self.eval(arg, t_input.as_ref(), &t_env)?);
            }
            result = match next {
                Some(f @ Val::Func(_)) => self.apply_inner(&f, evaluated, input, env, def.body.span)?,
                _ => return Err(err("T1006", def.body.span, "attempted to invoke a non-function")),
            };
        }
    }

    fn apply_inner(
        &self,
        func: &Val<'a>,
        args: Vec<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        let Val::Func(f) = func else {
            return Err(err("T1006", span, "attempted to invoke a non-function"));
        };
        match &**f {
            Func::Lambda {
                def,
                params,
                signature,
                input: l_input,
                env: l_env,
            } => {
                let args = match signature {
                    Some(sig) => self.validator(sig)?.validate(args, input, span)?,
                    None => args,
                };
                let frame = Frame::new(Some(l_env));
                for (i, p) in params.iter().enumerate() {
                    frame.bind(p, args.get(i).cloned().flatten());
                }
                if def.thunk {
                    // Hand the thunk back to the trampoline in `apply`.
                    return Ok(Some(Val::Func(Rc::new(Func::Lambda {
                        def,
                        params: Vec::new(),
                        signature: None,
                        input: l_input.clone(),
                        env: frame,
                    }))));
                }
                self.eval(&def.body, l_input.as_ref(), &frame)
            }
            Func::Builtin(b) => {
                let args = functions::validator(b)
                    .map_err(|e| err("S0401", span, e.message))?
                    .validate(args, input, span)?;
                let call = Call { env, span };
                (b.imp)(self, &call, args).map_err(|mut e| {
                    if e.span == Span::default() {
                        e.span = span;
                        e.position = span.start;
                    }
                    e
                })
            }
            Func::Partial { func, args: fixed } => {
                let mut supplied = args.into_iter();
                let mut full = Vec::with_capacity(fixed.len());
                for a in fixed {
                    match a {
                        Some(v) => full.push(v.clone()),
                        None => full.push(supplied.next().flatten()),
                    }
                }
                self.apply(func, full, input, env, span)
            }
            Func::Chain(first, second) => {
                let mid = self.apply(first, args, input, env, span)?;
                self.apply(second, vec![mid], input, env, span)
            }
            Func::Regex(re) => {
                let s = args.into_iter().next().flatten();
                match s {
                    Some(Val::Str(s)) => Ok(functions::regex::match_object(re, &s, 0)),
                    _ => Ok(None),
                }
            }
            Func::Transform {
                pattern,
                update,
                delete,
                env: t_env,
            } => {
                let arg = args.into_iter().next().flatten();
                match &arg {
                    None => return Ok(None),
                    Some(Val::Obj(_) | Val::Arr(..)) => {}
                    Some(_) => {
                        return Err(err(
                            "T0410",
                            span,
                            "argument 1 of the transform does not match its signature",
                        ))
                    }
                }
                self.transform(arg, pattern, update, *delete, t_env, span)
            }
        }
    }

    fn validator(&self, sig: &'a Signature) -> Result<Rc<super::validate::Validator>, JsonataError> {
        let key = sig as *const Signature;
        if let Some(v) = self.validators.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = Rc::new(super::validate::Validator::new(sig));
        self.validators.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    /// Applies a transform to `arg`: clones it, finds the objects `pattern` matches in the
    /// clone, and rebuilds the clone with each match updated and pruned.
    fn transform(
        &self,
        arg: Option<Val<'a>>,
        pattern: &'a Node,
        update: &'a Node,
        delete: Option<&'a Node>,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        let Some(arg) = arg else {
            return Ok(None);
        };
        let cloned = deep_clone(&arg);
        let matches = self.eval(pattern, Some(&cloned), env)?;
        let matches = match matches {
            None => return Ok(Some(cloned)),
            Some(Val::Arr(items, _)) => items.to_vec(),
            Some(other) => vec![other],
        };
        // Updates keyed by the identity of the matched object in the clone.
        let mut changes: HashMap<*const Map<'a>, Map<'a>> = HashMap::new();
        for m in &matches {
            let Val::Obj(obj) = m else {
                // jsonata-js mutates whatever matched; only objects can take new fields.
                let up = self.eval(update, Some(m), env)?;
                check_update(&up, update.span)?;
                if let Some(d) = delete {
                    let dels = self.eval(d, Some(m), env)?;
                    check_deletions(&dels, d.span)?;
                }
                continue;
            };
            let key = Rc::as_ptr(obj);
            let mut current = changes.get(&key).cloned().unwrap_or_else(|| (**obj).clone());
            let up = self.eval(update, Some(&Val::object(current.clone())), env)?;
            check_update(&up, update.span)?;
            if let Some(Val::Obj(u)) = up {
                for (k, v) in u.iter() {
                    current.insert(k.clone(), v.clone());
                }
            }
            if let Some(d) = delete {
                let dels = self.eval(d, Some(&Val::object(current.clone())), env)?;
                check_deletions(&dels, d.span)?;
                if let Some(dels) = dels {
                    for name in dels.items() {
                        if let Val::Str(s) = name {
                            current.shift_remove(&*s);
                        }
                    }
                }
            }
            changes.insert(key, current);
        }
        let _ = span;
        Ok(Some(rebuild(&cloned, &changes)))
    }
}

fn check_update(up: &Option<Val>, span: Span) -> Result<(), JsonataError> {
    match up {
        None | Some(Val::Obj(_)) => Ok(()),
        Some(_) => Err(err(
            "T2011",
            span,
            "the insert/update clause of the transform expression must evaluate to an object",
        )),
    }
}

fn check_deletions(dels: &Option<Val>, span: Span) -> Result<(), JsonataError> {
    match dels {
        None => Ok(()),
        Some(v) if v.items().iter().all(|i| matches!(i, Val::Str(_))) => Ok(()),
        Some(_) => Err(err(
            "T2012",
            span,
            "the delete clause of the transform expression must evaluate to a string or array of strings",
        )),
    }
}

/// A copy in which every object and array is new (so that identities mark positions).
pub(crate) fn deep_clone<'a>(v: &Val<'a>) -> Val<'a> {
    match v {
        Val::Arr(items, _) => Val::array(items.iter().map(deep_clone).collect()),
        Val::Obj(m) => Val::object(m.iter().map(|(k, v)| (k.clone(), deep_clone(v))).collect()),
        other => other.clone(),
    }
}

fn rebuild<'a>(v: &Val<'a>, changes: &HashMap<*const Map<'a>, Map<'a>>) -> Val<'a> {
    match v {
        Val::Arr(items, f) => Val::Arr(Rc::new(items.iter().map(|i| rebuild(i, changes)).collect()), *f),
        Val::Obj(m) => {
            let base = changes.get(&Rc::as_ptr(m)).unwrap_or(m);
            Val::object(base.iter().map(|(k, v)| (k.clone(), rebuild(v, changes))).collect())
        }
        other => other.clone(),
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

/// jsonata-js's `fn.lookup`: a field of an object, mapped over arrays.
pub(crate) fn lookup_field<'a>(input: Option<&Val<'a>>, key: &str) -> Option<Val<'a>> {
    match input? {
        Val::Arr(items, _) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match lookup_field(Some(item), key) {
                    Some(Val::Arr(more, _)) => out.extend(more.iter().cloned()),
                    Some(v) => out.push(v),
                    None => {}
                }
            }
            Some(Val::seq(out))
        }
        Val::Obj(m) => m.get(key).cloned(),
        _ => None,
    }
}

fn flatten_into<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>) {
    match v {
        Val::Arr(items, _) => items.iter().for_each(|i| flatten_into(i, out)),
        other => out.push(other.clone()),
    }
}

fn wildcard<'a>(input: Option<&Val<'a>>) -> Option<Val<'a>> {
    let input = match input? {
        Val::Arr(items, f) if f.outer_wrapper && !items.is_empty() => items[0].clone(),
        other => other.clone(),
    };
    let values: Vec<Val<'a>> = match &input {
        Val::Obj(m) => m.values().cloned().collect(),
        Val::Arr(items, _) => items.to_vec(),
        _ => return Some(Val::seq(Vec::new())),
    };
    let mut out = Vec::new();
    for v in values {
        match &v {
            Val::Arr(..) => flatten_into(&v, &mut out),
            _ => out.push(v),
        }
    }
    Some(Val::seq(out))
}

fn descendants<'a>(input: Option<&Val<'a>>) -> Option<Val<'a>> {
    let input = input?;
    let mut out = Vec::new();
    recurse_descendants(input, &mut out);
    if out.len() == 1 {
        out.pop()
    } else {
        Some(Val::seq(out))
    }
}

fn recurse_descendants<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>) {
    match v {
        Val::Arr(items, _) => items.iter().for_each(|i| recurse_descendants(i, out)),
        Val::Obj(m) => {
            out.push(v.clone());
            m.values().for_each(|i| recurse_descendants(i, out));
        }
        other => out.push(other.clone()),
    }
}

/// JavaScript's `<` on strings: by UTF-16 code units.
pub(crate) fn js_str_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// jsonata-js's merge sort: `swap(a, b)` says whether `b` must come before `a`. Stable.
pub(crate) fn merge_sort<T: Clone>(
    items: Vec<T>,
    swap: &mut dyn FnMut(&T, &T) -> Result<bool, JsonataError>,
) -> Result<Vec<T>, JsonataError> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut items = items;
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, swap)?;
    let right = merge_sort(right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => {
                if swap(a, b)? {
                    out.extend(r.next());
                } else {
                    out.extend(l.next());
                }
            }
            (Some(_), None) => out.extend(l.by_ref()),
            (None, Some(_)) => out.extend(r.by_ref()),
            (None, None) => break,
        }
    }
    Ok(out)
}

fn non_finite(n: f64, span: Span) -> Result<f64, JsonataError> {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(err("D1001", span, "number out of range"))
    }
}

/// The operators evaluated on two values (everything but `and` and `or`).
fn binary<'a>(op: BinaryOp, l: Option<Val<'a>>, r: Option<Val<'a>>, span: Span) -> R<'a> {
    use BinaryOp::*;
    match op {
        Add | Subtract | Multiply | Divide | Modulo => {
            let ln = match &l {
                None => None,
                Some(Val::Num(n)) => Some(non_finite(*n, span)?),
                Some(_) => {
                    return Err(err(
                        "T2001",
                        span,
                        format!(
                            "the left side of the {} operator must evaluate to a number",
                            op.as_str()
                        ),
                    ))
                }
            };
            let rn = match &r {
                None => None,
                Some(Val::Num(n)) => Some(non_finite(*n, span)?),
                Some(_) => {
                    return Err(err(
                        "T2002",
                        span,
                        format!(
                            "the right side of the {} operator must evaluate to a number",
                            op.as_str()
                        ),
                    ))
                }
            };
            let (Some(a), Some(b)) = (ln, rn) else {
                return Ok(None);
            };
            let v = match op {
                Add => a + b,
                Subtract => a - b,
                Multiply => a * b,
                Divide => a / b,
                _ => a % b,
            };
            // As in jsonata-js, only operands are checked: `1/0` is Infinity, an error
            // when it is used again or returned.
            Ok(Some(Val::Num(v)))
        }
        Equal | NotEqual => {
            let (Some(a), Some(b)) = (&l, &r) else {
                return Ok(Some(Val::Bool(false)));
            };
            let eq = deep_equal(a, b);
            Ok(Some(Val::Bool(if op == Equal { eq } else { !eq })))
        }
        Less | LessEqual | Greater | GreaterEqual => {
            let comparable = |v: &Option<Val>| matches!(v, None | Some(Val::Num(_) | Val::Str(_)));
            if !comparable(&l) || !comparable(&r) {
                return Err(err(
                    "T2010",
                    span,
                    format!(
                        "the expressions either side of operator {} must evaluate to numeric or string values",
                        op.as_str()
                    ),
                ));
            }
            let ord = match (&l, &r) {
                (None, _) | (_, None) => return Ok(None),
                (Some(Val::Num(a)), Some(Val::Num(b))) => a.partial_cmp(b),
                (Some(Val::Str(a)), Some(Val::Str(b))) => Some(js_str_cmp(a, b)),
                _ => {
                    return Err(err(
                        "T2009",
                        span,
                        format!(
                            "the values either side of operator {} must be of the same data type",
                            op.as_str()
                        ),
                    ))
                }
            };
            use std::cmp::Ordering as O;
            let b = match (op, ord) {
                (_, None) => false,
                (Less, Some(o)) => o == O::Less,
                (LessEqual, Some(o)) => o != O::Greater,
                (Greater, Some(o)) => o == O::Greater,
                (_, Some(o)) => o != O::Less,
            };
            Ok(Some(Val::Bool(b)))
        }
        Concat => {
            let mut s = String::new();
            for v in [&l, &r].into_iter().flatten() {
                s.push_str(&functions::string::to_string(v, false, span)?);
            }
            Ok(Some(Val::str(&s)))
        }
        In => {
            let (Some(a), Some(b)) = (&l, &r) else {
                return Ok(Some(Val::Bool(false)));
            };
            let found = b.items().iter().any(|item| strict_equal(item, a));
            Ok(Some(Val::Bool(found)))
        }
        Range => {
            let int = |v: &Option<Val>| match v {
                None => Ok(None),
                Some(Val::Num(n)) if n.fract() == 0.0 && n.is_finite() => Ok(Some(*n)),
                Some(_) => Err(()),
            };
            let a = int(&l).map_err(|_| {
                err(
                    "T2003",
                    span,
                    "the left side of the range operator (..) must evaluate to an integer",
                )
            })?;
            let b = int(&r).map_err(|_| {
                err(
                    "T2004",
                    span,
                    "the right side of the range operator (..) must evaluate to an integer",
                )
            })?;
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(None);
            };
            if a > b {
                return Ok(None);
            }
            if b - a + 1.0 > 1e7 {
                return Err(err(
                    "D2014",
                    span,
                    "the size of the sequence allocated by the range operator (..) must not exceed 1e7",
                ));
            }
            let items = (a as i64..=b as i64).map(|i| Val::Num(i as f64)).collect();
            Ok(Some(Val::seq(items)))
        }
        And | Or => Ok(None),
    }
}
