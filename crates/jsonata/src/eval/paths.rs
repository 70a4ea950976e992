//! Paths: steps, tuple streams (`@` and `#` bindings), filters, wildcards and descendants —
//! jsonata-js's `evaluatePath`, `evaluateStep`, `evaluateTupleStep` and `evaluateFilter`.

use std::rc::Rc;

use super::{ancestor_name, is_array_of_numbers};
use crate::ast::{Kind, Node, Path, Stage};
use crate::error::JsonataError;
use crate::runtime::{Evaluator, R};
use crate::value::{truthy, Env, Flags, Frame, Map, Val};

impl<'a> Evaluator<'a> {
    pub(super) fn eval_path(&self, node: &'a Node, path: &'a Path, input: Option<&Val<'a>>, env: &Env<'a>) -> R<'a> {
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

    pub(super) fn eval_step(
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

    pub(super) fn eval_tuple_step(
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

    pub(super) fn eval_stages(
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
    pub(super) fn predicate_keeps(res: &Option<Val<'a>>, index: usize, len: usize) -> bool {
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

    pub(super) fn filter_tuples(
        &self,
        pred: &'a Node,
        tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Vec<Map<'a>>, JsonataError> {
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
}

pub(super) fn tuple_get<'a>(t: &Map<'a>, key: &str) -> Option<Val<'a>> {
    t.get(key).cloned()
}

pub(super) fn frame_from_tuple<'a>(env: &Env<'a>, tuple: &Map<'a>) -> Env<'a> {
    let frame = Frame::new(Some(env));
    for (k, v) in tuple {
        frame.bind(k, Some(v.clone()));
    }
    frame
}

pub(super) fn flatten_into<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>) {
    match v {
        Val::Arr(items, _) => items.iter().for_each(|i| flatten_into(i, out)),
        other => out.push(other.clone()),
    }
}

pub(super) fn wildcard<'a>(input: Option<&Val<'a>>) -> Option<Val<'a>> {
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

pub(super) fn descendants<'a>(input: Option<&Val<'a>>) -> Option<Val<'a>> {
    let input = input?;
    let mut out = Vec::new();
    recurse_descendants(input, &mut out);
    if out.len() == 1 {
        out.pop()
    } else {
        Some(Val::seq(out))
    }
}

pub(super) fn recurse_descendants<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>) {
    match v {
        Val::Arr(items, _) => items.iter().for_each(|i| recurse_descendants(i, out)),
        Val::Obj(m) => {
            out.push(v.clone());
            m.values().for_each(|i| recurse_descendants(i, out));
        }
        other => out.push(other.clone()),
    }
}
