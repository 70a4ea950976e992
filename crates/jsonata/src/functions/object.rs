//! Object functions, `$type`, `$error` and `$assert`.

use super::{arg, hof_args, str_arg, Args};
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::{append, deep_clone, lookup_field, truthy};
use crate::value::{Map, Val};

fn key_list<'a>(v: &Val<'a>, out: &mut Vec<String>) {
    match v {
        Val::Arr(items, _) => {
            for item in items.iter() {
                let mut inner = Vec::new();
                key_list(item, &mut inner);
                for k in inner {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
        Val::Obj(m) => out.extend(m.keys().cloned()),
        _ => {}
    }
}

pub(crate) fn keys<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let mut out = Vec::new();
    if let Some(v) = arg(&a, 0) {
        key_list(v, &mut out);
    }
    Ok(Some(Val::seq(out.iter().map(|k| Val::str(k)).collect())))
}

pub(crate) fn lookup<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let key = str_arg(&a, 1).unwrap_or("");
    Ok(lookup_field(arg(&a, 0), key))
}

fn spread_value<'a>(v: &Val<'a>) -> Option<Val<'a>> {
    match v {
        Val::Arr(items, _) => {
            let mut acc = Some(Val::seq(Vec::new()));
            for item in items.iter() {
                acc = append(acc, spread_value(item));
            }
            acc
        }
        Val::Obj(m) => Some(Val::seq(
            m.iter()
                .map(|(k, v)| {
                    let mut o = Map::new();
                    o.insert(k.clone(), v.clone());
                    Val::object(o)
                })
                .collect(),
        )),
        other => Some(other.clone()),
    }
}

pub(crate) fn spread<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(arg(&a, 0).and_then(spread_value))
}

pub(crate) fn merge<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let mut out = Map::new();
    for item in v.items() {
        if let Val::Obj(m) = item {
            for (k, v) in m.iter() {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Some(Val::object(out)))
}

pub(crate) fn each<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(o @ Val::Obj(m)), Some(f)) = (arg(&a, 0), arg(&a, 1)) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (k, v) in m.iter() {
        let args = hof_args(f, v.clone(), Val::str(k), o);
        if let Some(r) = ev.apply_callback(f, args, None, c.env, c.span)? {
            out.push(r);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(crate) fn sift<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(o @ Val::Obj(m)), Some(f)) = (arg(&a, 0), arg(&a, 1)) else {
        return Ok(None);
    };
    let mut out = Map::new();
    for (k, v) in m.iter() {
        let args = hof_args(f, v.clone(), Val::str(k), o);
        if ev
            .apply_callback(f, args, None, c.env, c.span)?
            .as_ref()
            .is_some_and(truthy)
        {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok((!out.is_empty()).then(|| Val::object(out)))
}

pub(crate) fn error<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let message = str_arg(&a, 0).unwrap_or("$error() function evaluated");
    Err(err("D3137", c.span, message))
}

pub(crate) fn assert<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    if matches!(arg(&a, 0), Some(Val::Bool(true))) {
        return Ok(None);
    }
    let message = str_arg(&a, 1).unwrap_or("$assert() statement failed");
    Err(err("D3141", c.span, message))
}

pub(crate) fn type_<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(arg(&a, 0).map(|v| Val::str(v.type_name())))
}

pub(crate) fn clone<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(arg(&a, 0).map(deep_clone))
}
