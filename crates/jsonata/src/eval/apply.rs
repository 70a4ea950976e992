//! Function application: calls, partial application, `~>`, lambdas with their signatures,
//! built-ins, and the trampoline that runs tail calls without deepening the stack.

use std::rc::Rc;

use aslkit_base::Span;

use super::{variable, Validator};
use crate::ast::{Kind, Node};
use crate::error::JsonataError;
use crate::functions;
use crate::runtime::{err, Call, Evaluator, R};
use crate::signature::Signature;
use crate::value::{Env, Frame, Func, Val};

/// How many levels of [`super::MAX_DEPTH`] a call from a built-in counts for.
const CALLBACK_WEIGHT: usize = 25;

impl<'a> Evaluator<'a> {
    pub(super) fn eval_apply(
        &self,
        lhs: &'a Node,
        rhs: &'a Node,
        span: Span,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
    ) -> R<'a> {
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

    pub(super) fn eval_function(
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
                    if variable(env, name).is_some() {
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

    pub(super) fn eval_partial(
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
            None if matches!(&procedure.kind, Kind::Path(p) if p.steps.first().is_some_and(|s| matches!(&s.kind, Kind::Name(n) if variable(env, n).is_some()))) => {
                Err(err(
                    "T1007",
                    span,
                    "attempted to partially apply a non-function; did you mean to use the $ prefix?",
                ))
            }
            _ => Err(err("T1008", span, "attempted to partially apply a non-function")),
        }
    }

    /// [`Self::apply`] for a function a built-in calls back (`$map`, `$sort`, `$filter`,
    /// `$reduce`…): the built-in's own native frames between two evaluations are large, so a
    /// callback counts [`CALLBACK_WEIGHT`] levels towards [`super::MAX_DEPTH`]; recursion
    /// through callbacks then ends in `U1001` before the stack does.
    pub(crate) fn apply_callback(
        &self,
        func: &Val<'a>,
        args: Vec<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        env: &Env<'a>,
        span: Span,
    ) -> R<'a> {
        let depth = self.depth.get() + CALLBACK_WEIGHT;
        if depth > super::MAX_DEPTH {
            return Err(err("U1001", span, "evaluation nested too deeply (stack overflow)"));
        }
        self.depth.set(depth);
        let result = self.apply(func, args, input, env, span);
        self.depth.set(depth - CALLBACK_WEIGHT);
        result
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

    pub(super) fn apply_inner(
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
                let b = functions::get(*b);
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

    pub(super) fn validator(&self, sig: &'a Signature) -> Result<Rc<Validator>, JsonataError> {
        let key = sig as *const Signature;
        if let Some(v) = self.validators.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = Rc::new(Validator::new(sig));
        self.validators.borrow_mut().insert(key, v.clone());
        Ok(v)
    }
}
