//! Binary operators: `and` / `or` short-circuit here, everything else works on two values.

use aslkit_base::Span;

use crate::ast::{BinaryOp, Node};
use crate::error::JsonataError;
use crate::functions;
use crate::runtime::{err, Evaluator, R};
use crate::value::{deep_equal, js_str_cmp, strict_equal, truthy, Env, Val};

impl<'a> Evaluator<'a> {
    pub(super) fn eval_binary(
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
        let result = binary(op, l, r, span)?;
        if let (BinaryOp::Concat, Some(Val::Str(text))) = (op, &result) {
            self.charge_string(text.len(), span)?;
        }
        Ok(result)
    }

    /// Charges building a string of `len` bytes to the evaluation's budget: a step per
    /// [`BYTES_PER_STEP`] bytes, so that a loop growing a string ends in bounded time, and no
    /// string over [`MAX_STRING`] bytes.
    pub(crate) fn charge_string(&self, len: usize, span: Span) -> Result<(), JsonataError> {
        if len > MAX_STRING {
            return Err(err(
                "D3141",
                span,
                format!("a string of {len} bytes is over the limit of {MAX_STRING}"),
            ));
        }
        let steps = self.steps.get() + (len / BYTES_PER_STEP) as u64;
        if steps > super::MAX_STEPS {
            return Err(err(
                "U1001",
                span,
                "Expression evaluation timeout: Check for infinite loop",
            ));
        }
        self.steps.set(steps);
        Ok(())
    }
}

/// Bytes of a built string that count as one evaluation step.
pub const BYTES_PER_STEP: usize = 64;

/// The longest string `&` builds (16 MiB, the size of the largest input aslkit reads).
pub const MAX_STRING: usize = 16 * 1024 * 1024;

pub(super) fn non_finite(n: f64, span: Span) -> Result<f64, JsonataError> {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(err("D1001", span, "number out of range"))
    }
}

/// The operators evaluated on two values (everything but `and` and `or`).
pub(super) fn binary<'a>(op: BinaryOp, l: Option<Val<'a>>, r: Option<Val<'a>>, span: Span) -> R<'a> {
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
