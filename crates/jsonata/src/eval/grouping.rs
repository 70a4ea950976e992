//! Object constructors and group-by: jsonata-js's `evaluateGroupExpression`, on values and on
//! tuple streams. Both group their members by the keys of the pairs the same way
//! ([`Evaluator::group_by`]); they differ only in what a member is and how a group's members
//! become the input of the value expression.

use indexmap::IndexMap;

use super::{frame_from_tuple, tuple_get};
use crate::ast::Node;
use crate::error::JsonataError;
use crate::runtime::{err, Evaluator, R};
use crate::value::{append, Env, Map, Val};

/// Per key, in the order keys were first made: the members (by index) and the pair that made it.
type Groups = IndexMap<String, (Vec<usize>, usize)>;

impl<'a> Evaluator<'a> {
    /// jsonata-js's `evaluateGroupExpression` on values (object constructors and group-by).
    pub(super) fn eval_group(
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
        let groups = self.group_by(pairs, items.len(), |i, key| self.eval(key, items[i].as_ref(), env))?;
        let mut out = Map::new();
        for (key, (members, pi)) in groups {
            let data = members.iter().fold(None, |data, &i| append(data, items[i].clone()));
            if let Some(v) = self.eval(&pairs[pi].1, data.as_ref(), env)? {
                out.insert(key, v);
            }
        }
        Ok(Val::object(out))
    }

    pub(super) fn eval_group_tuples(
        &self,
        pairs: &'a [(Node, Node)],
        tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        let mut tuples = tuples;
        if tuples.is_empty() {
            tuples.push(Map::new());
        }
        let frames: Vec<Env<'a>> = tuples.iter().map(|t| frame_from_tuple(env, t)).collect();
        let groups = self.group_by(pairs, tuples.len(), |i, key| {
            self.eval(key, tuple_get(&tuples[i], "@").as_ref(), &frames[i])
        })?;
        let mut out = Map::new();
        for (key, (members, pi)) in groups {
            // jsonata-js's `reduceTupleStream`: each binding becomes the append of its values.
            let mut reduced: Map<'a> = tuples[members[0]].clone();
            for &i in &members[1..] {
                for (k, v) in &tuples[i] {
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

    /// Evaluates every pair's key for each of `count` members (`key_of(member, key)`), member by
    /// member, and groups the members by key. A key that is undefined skips the member for that
    /// pair; one that is not a string is `T1003`; two pairs making the same key is `D1009`.
    fn group_by(
        &self,
        pairs: &'a [(Node, Node)],
        count: usize,
        key_of: impl Fn(usize, &'a Node) -> R<'a>,
    ) -> Result<Groups, JsonataError> {
        let mut groups = Groups::new();
        for member in 0..count {
            for (pi, (k, _)) in pairs.iter().enumerate() {
                let key = match key_of(member, k)? {
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
                    Some((members, idx)) => {
                        if *idx != pi {
                            return Err(err(
                                "D1009",
                                k.span,
                                format!("multiple key definitions evaluate to same key: {key:?}"),
                            ));
                        }
                        members.push(member);
                    }
                    None => {
                        groups.insert(key.to_string(), (vec![member], pi));
                    }
                }
            }
        }
        Ok(groups)
    }
}
