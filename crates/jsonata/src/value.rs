//! The values a JSONata evaluation works with: JSON plus functions, sequences and tuple streams.
//!
//! jsonata-js evaluates over JavaScript values and marks its arrays with hidden flags: a
//! *sequence* is an array made by the evaluator (a singleton sequence collapses to its item,
//! an empty one to "undefined"), `keepSingleton` keeps a singleton sequence an array (`[]`
//! after a step), `cons` marks an array built by `[…]` (not flattened into the enclosing path),
//! `outerWrapper` wraps an input document that is itself an array, and `tupleStream` marks the
//! stream of variable bindings that `@`, `#` and `%` need. [`Val`] carries the same flags on its
//! arrays, so the evaluator can follow jsonata-js line for line. "Undefined" is `None` around a
//! `Val`, never a value of its own.
//!
//! Numbers are `f64` as in JavaScript; [`js_number`] prints them as JavaScript does.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value;

use crate::ast::{Lambda, Node};
use crate::error::JsonataError;
use crate::signature::Signature;

/// The hidden flags jsonata-js puts on its arrays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub sequence: bool,
    pub keep_singleton: bool,
    pub cons: bool,
    pub outer_wrapper: bool,
    pub tuple_stream: bool,
}

impl Flags {
    pub(crate) const SEQUENCE: Flags = Flags {
        sequence: true,
        keep_singleton: false,
        cons: false,
        outer_wrapper: false,
        tuple_stream: false,
    };
}

pub(crate) type Map<'a> = IndexMap<String, Val<'a>>;

/// A JSONata value. `'a` is the lifetime of the syntax tree the functions in it come from.
#[derive(Clone)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Vec<Val<'a>>>, Flags),
    Obj(Rc<Map<'a>>),
    Func(Rc<Func<'a>>),
}

impl<'a> Val<'a> {
    pub(crate) fn str(s: &str) -> Val<'a> {
        Val::Str(Rc::from(s))
    }

    /// A plain array (what `[…]` and most functions make).
    pub(crate) fn array(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Arr(Rc::new(items), Flags::default())
    }

    /// An evaluator-made sequence.
    pub(crate) fn seq(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Arr(Rc::new(items), Flags::SEQUENCE)
    }

    pub(crate) fn object(map: Map<'a>) -> Val<'a> {
        Val::Obj(Rc::new(map))
    }

    pub(crate) fn is_array(&self) -> bool {
        matches!(self, Val::Arr(..))
    }

    pub(crate) fn is_sequence(&self) -> bool {
        matches!(self, Val::Arr(_, f) if f.sequence)
    }

    pub(crate) fn is_function(&self) -> bool {
        matches!(self, Val::Func(_))
    }

    pub(crate) fn flags(&self) -> Flags {
        match self {
            Val::Arr(_, f) => *f,
            _ => Flags::default(),
        }
    }

    /// The items of an array; a non-array is a sequence of one.
    pub(crate) fn items(&self) -> Vec<Val<'a>> {
        match self {
            Val::Arr(items, _) => items.to_vec(),
            other => vec![other.clone()],
        }
    }

    pub(crate) fn as_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// jsonata-js's `getSymbol`: the letter a signature uses for this value's type.
    pub(crate) fn symbol(&self) -> char {
        match self {
            Val::Null => 'l',
            Val::Bool(_) => 'b',
            Val::Num(_) => 'n',
            Val::Str(_) => 's',
            Val::Arr(..) => 'a',
            Val::Obj(_) => 'o',
            Val::Func(_) => 'f',
        }
    }

    /// `$type`'s name for this value.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Arr(..) => "array",
            Val::Obj(_) => "object",
            Val::Func(_) => "function",
        }
    }

    /// The value with its array flags changed.
    pub(crate) fn with_flags(self, f: impl FnOnce(&mut Flags)) -> Val<'a> {
        match self {
            Val::Arr(items, mut flags) => {
                f(&mut flags);
                Val::Arr(items, flags)
            }
            other => other,
        }
    }

    pub(crate) fn from_json(v: &Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Val::str(s),
            Value::Array(items) => Val::array(items.iter().map(Val::from_json).collect()),
            Value::Object(map) => Val::object(map.iter().map(|(k, v)| (k.clone(), Val::from_json(v))).collect()),
        }
    }

    /// The JSON form of a result, as `JSON.stringify` would give it: functions become `""`
    /// at the top, are left out of objects and become `null` in arrays.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => number_json(*n),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Arr(items, _) => Value::Array(
                items
                    .iter()
                    .map(|v| if v.is_function() { Value::Null } else { v.to_json() })
                    .collect(),
            ),
            Val::Obj(map) => Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.is_function())
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Val::Func(_) => Value::String(String::new()),
        }
    }
}

/// A number as JSON: integral values as integers, so `3.0` prints as `3`.
pub(crate) fn number_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// jsonata-js's `isDeepEqual`.
pub(crate) fn deep_equal<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Arr(x, _), Val::Arr(y, _)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| deep_equal(a, b)),
        (Val::Obj(x), Val::Obj(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Val::Func(x), Val::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// JavaScript's `===`: objects, arrays and functions by identity.
pub(crate) fn strict_equal<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    match (a, b) {
        (Val::Arr(x, _), Val::Arr(y, _)) => Rc::ptr_eq(x, y),
        (Val::Obj(x), Val::Obj(y)) => Rc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}

/// ECMAScript `Number::toString`: shortest round-trip digits, exponent form from `1e21` up and
/// below `1e-6`.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // `{:e}` gives the shortest round-trip digits: "1.2345e-7".
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let e: i64 = exp.parse().unwrap_or(0);
    let n10 = e + 1;
    let body = if k <= n10 && n10 <= 21 {
        format!("{digits}{}", "0".repeat((n10 - k) as usize))
    } else if 0 < n10 && n10 <= 21 {
        format!("{}.{}", &digits[..n10 as usize], &digits[n10 as usize..])
    } else if -6 < n10 && n10 <= 0 {
        format!("0.{}{digits}", "0".repeat((-n10) as usize))
    } else {
        let exp_sign = if n10 - 1 < 0 { '-' } else { '+' };
        let rest = if k > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        format!("{rest}e{exp_sign}{}", (n10 - 1).abs())
    };
    format!("{sign}{body}")
}

/// `Number(n.toPrecision(15))`: how jsonata-js rounds numbers before printing them.
pub(crate) fn round15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// Appends `JSON.stringify` of `v` (with jsonata's number rounding) to `out`; `indent` > 0
/// pretty-prints.
pub(crate) fn stringify(v: &Val, indent: usize, level: usize, out: &mut String) {
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => {
            if n.is_finite() {
                out.push_str(&js_number(round15(*n)));
            } else {
                out.push_str("null");
            }
        }
        Val::Str(s) => out.push_str(&Value::String(s.to_string()).to_string()),
        Val::Func(_) => out.push_str("\"\""),
        Val::Arr(items, _) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, level + 1, out);
                stringify(item, indent, level + 1, out);
            }
            newline(indent, level, out);
            out.push(']');
        }
        Val::Obj(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, level + 1, out);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if indent > 0 {
                    out.push(' ');
                }
                stringify(item, indent, level + 1, out);
            }
            newline(indent, level, out);
            out.push('}');
        }
    }
}

fn newline(indent: usize, level: usize, out: &mut String) {
    if indent > 0 {
        out.push('\n');
        out.push_str(&" ".repeat(indent * level));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_does() {
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1e20), "100000000000000000000");
        assert_eq!(js_number(1e-7), "1e-7");
        assert_eq!(js_number(0.000001), "0.000001");
        assert_eq!(js_number(-2.5), "-2.5");
        assert_eq!(js_number(round15(22.0 / 7.0)), "3.14285714285714");
        assert_eq!(js_number(1.5e300), "1.5e+300");
    }
}

/// A built-in function: its row in the table of built-ins (`functions::TABLE`) and its arity,
/// so that values need not know the table's types.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinRef {
    pub(crate) index: usize,
    pub(crate) arity: usize,
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
    Builtin(BuiltinRef),
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

/// A scope of variable bindings. A name bound to "undefined" still shadows outer bindings,
/// as in jsonata-js.
pub(crate) struct Frame<'a> {
    vars: RefCell<HashMap<String, Option<Val<'a>>>>,
    parent: Option<Env<'a>>,
    /// Every frame of the evaluation, shared by all of them: a closure bound in the frame it
    /// captures (`$f := function(){ … }`) is a reference cycle that reference counting never
    /// frees, so the evaluation clears them all when it ends ([`Frame::release_all`]).
    frames: Rc<Frames<'a>>,
}

#[cfg(test)]
thread_local! {
    /// Frames created and not yet freed on this thread (tests prove closures do not leak).
    pub(crate) static LIVE_FRAMES: Cell<isize> = const { Cell::new(0) };
}

#[cfg(test)]
impl Drop for Frame<'_> {
    fn drop(&mut self) {
        LIVE_FRAMES.with(|n| n.set(n.get() - 1));
    }
}

/// The frames of one evaluation (weak, so that a frame no closure holds is freed as usual).
pub(crate) struct Frames<'a> {
    list: RefCell<Vec<std::rc::Weak<Frame<'a>>>>,
    /// When the list reaches this length, frames already freed are dropped from it.
    prune_at: Cell<usize>,
}

pub(crate) type Env<'a> = Rc<Frame<'a>>;

impl<'a> Frame<'a> {
    pub(crate) fn new(parent: Option<&Env<'a>>) -> Env<'a> {
        let frames = match parent {
            Some(p) => p.frames.clone(),
            None => Rc::new(Frames {
                list: RefCell::new(Vec::new()),
                prune_at: Cell::new(1024),
            }),
        };
        let frame = Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: parent.cloned(),
            frames: frames.clone(),
        });
        let mut list = frames.list.borrow_mut();
        if list.len() >= frames.prune_at.get() {
            list.retain(|f| f.strong_count() > 0);
            frames.prune_at.set((list.len() * 2).max(1024));
        }
        list.push(Rc::downgrade(&frame));
        #[cfg(test)]
        LIVE_FRAMES.with(|n| n.set(n.get() + 1));
        frame
    }

    /// Ends the evaluation this frame belongs to: clears the bindings of every frame still
    /// alive, which breaks the cycles closures make with the frames they capture.
    pub(crate) fn release_all(&self) {
        let list = std::mem::take(&mut *self.frames.list.borrow_mut());
        for frame in list.iter().filter_map(std::rc::Weak::upgrade) {
            let vars = std::mem::take(&mut *frame.vars.borrow_mut());
            drop(frame);
            drop(vars);
        }
    }

    pub(crate) fn bind(&self, name: &str, value: Option<Val<'a>>) {
        self.vars.borrow_mut().insert(name.to_string(), value);
    }

    /// Looks a name up through the enclosing frames (the evaluator falls back to the built-in
    /// functions).
    pub(crate) fn lookup(&self, name: &str) -> Option<Val<'a>> {
        let mut frame = self;
        loop {
            if let Some(v) = frame.vars.borrow().get(name) {
                return v.clone();
            }
            match &frame.parent {
                Some(p) => frame = p,
                None => return None,
            }
        }
    }
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

/// A copy in which every object and array is new (so that identities mark positions).
pub(crate) fn deep_clone<'a>(v: &Val<'a>) -> Val<'a> {
    match v {
        Val::Arr(items, _) => Val::array(items.iter().map(deep_clone).collect()),
        Val::Obj(m) => Val::object(m.iter().map(|(k, v)| (k.clone(), deep_clone(v))).collect()),
        other => other.clone(),
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
