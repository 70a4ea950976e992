//! Transforms (`| pattern | update, delete |`): the clone is rebuilt with each match updated
//! and pruned, since values are immutable.

use std::collections::HashMap;
use std::rc::Rc;

use aslkit_base::Span;

use crate::ast::Node;
use crate::error::JsonataError;
use crate::runtime::{err, Evaluator, R};
use crate::value::{deep_clone, Env, Map, Val};

impl<'a> Evaluator<'a> {
    /// Applies a transform to `arg`: clones it, finds the objects `pattern` matches in the
    /// clone, and rebuilds the clone with each match updated and pruned.
    pub(super) fn transform(
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

pub(super) fn check_update(up: &Option<Val>, span: Span) -> Result<(), JsonataError> {
    match up {
        None | Some(Val::Obj(_)) => Ok(()),
        Some(_) => Err(err(
            "T2011",
            span,
            "the insert/update clause of the transform expression must evaluate to an object",
        )),
    }
}

pub(super) fn check_deletions(dels: &Option<Val>, span: Span) -> Result<(), JsonataError> {
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

pub(super) fn rebuild<'a>(v: &Val<'a>, changes: &HashMap<*const Map<'a>, Map<'a>>) -> Val<'a> {
    match v {
        Val::Arr(items, f) => Val::Arr(Rc::new(items.iter().map(|i| rebuild(i, changes)).collect()), *f),
        Val::Obj(m) => {
            let base = changes.get(&Rc::as_ptr(m)).unwrap_or(m);
            Val::object(base.iter().map(|(k, v)| (k.clone(), rebuild(v, changes))).collect())
        }
        other => other.clone(),
    }
}
