//! Array and higher-order functions.

use super::{arg, hof_args, some_num, Args};
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::{append as append_values, js_str_cmp, merge_sort, truthy};
use crate::value::{deep_equal, Val};

pub(crate) fn count<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    some_num(arg(&a, 0).map_or(0, |v| v.items().len()) as f64)
}

pub(crate) fn append<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let mut a = a.into_iter();
    let first = a.next().flatten();
    let second = a.next().flatten();
    Ok(append_values(first, second))
}

pub(crate) fn sort<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let items = v.items();
    if items.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    let sorted = match arg(&a, 1) {
        Some(f) => merge_sort(items, &mut |x, y| {
            let r = ev.apply_callback(f, vec![Some(x.clone()), Some(y.clone())], None, c.env, c.span)?;
            Ok(r.as_ref().is_some_and(truthy))
        })?,
        None => {
            let all_numbers = items.iter().all(|i| matches!(i, Val::Num(_)));
            let all_strings = items.iter().all(|i| matches!(i, Val::Str(_)));
            if !all_numbers && !all_strings {
                return Err(err(
                    "D3070",
                    c.span,
                    "the single argument form of the sort function can only be applied to an array of strings or an array of numbers",
                ));
            }
            merge_sort(items, &mut |x, y| {
                Ok(match (x, y) {
                    (Val::Num(p), Val::Num(q)) => p > q,
                    (Val::Str(p), Val::Str(q)) => js_str_cmp(p, q).is_gt(),
                    _ => false,
                })
            })?
        }
    };
    Ok(Some(Val::array(sorted)))
}

pub(crate) fn reverse<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let mut items = v.items();
    if items.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    items.reverse();
    Ok(Some(Val::array(items)))
}

pub(crate) fn shuffle<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let mut items = v.items();
    if items.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    for i in (1..items.len()).rev() {
        let j = (ev.random() * (i + 1) as f64).floor() as usize;
        items.swap(i, j.min(i));
    }
    Ok(Some(Val::array(items)))
}

pub(crate) fn distinct<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let Val::Arr(items, _) = v else {
        return Ok(Some(v.clone()));
    };
    if items.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    let mut out: Vec<Val<'a>> = Vec::new();
    for item in items.iter() {
        if !out.iter().any(|o| deep_equal(o, item)) {
            out.push(item.clone());
        }
    }
    Ok(Some(if v.is_sequence() {
        Val::seq(out)
    } else {
        Val::array(out)
    }))
}

pub(crate) fn zip<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let arrays: Vec<Vec<Val<'a>>> = a
        .iter()
        .map(|v| match v {
            Some(Val::Arr(items, _)) => items.to_vec(),
            _ => Vec::new(),
        })
        .collect();
    let len = arrays.iter().map(Vec::len).min().unwrap_or(0);
    let out = (0..len)
        .map(|i| Val::array(arrays.iter().map(|arr| arr[i].clone()).collect()))
        .collect();
    Ok(Some(Val::array(out)))
}

pub(crate) fn map<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&a, 0), arg(&a, 1)) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (i, item) in v.items().into_iter().enumerate() {
        let args = hof_args(f, item, Val::Num(i as f64), v);
        if let Some(r) = ev.apply_callback(f, args, None, c.env, c.span)? {
            out.push(r);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(crate) fn filter<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&a, 0), arg(&a, 1)) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (i, item) in v.items().into_iter().enumerate() {
        let args = hof_args(f, item.clone(), Val::Num(i as f64), v);
        if ev
            .apply_callback(f, args, None, c.env, c.span)?
            .as_ref()
            .is_some_and(truthy)
        {
            out.push(item);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(crate) fn single<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let mut found = None;
    for (i, item) in v.items().into_iter().enumerate() {
        let keep = match arg(&a, 1) {
            Some(f) => {
                let args = hof_args(f, item.clone(), Val::Num(i as f64), v);
                ev.apply_callback(f, args, None, c.env, c.span)?
                    .as_ref()
                    .is_some_and(truthy)
            }
            None => true,
        };
        if keep {
            if found.is_some() {
                return Err(err(
                    "D3138",
                    c.span,
                    "the $single() function expected exactly 1 matching result; instead it matched more",
                ));
            }
            found = Some(item);
        }
    }
    match found {
        Some(f) => Ok(Some(f)),
        None => Err(err(
            "D3139",
            c.span,
            "the $single() function expected exactly 1 matching result; instead it matched 0",
        )),
    }
}

pub(crate) fn reduce<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&a, 0), arg(&a, 1)) else {
        return Ok(None);
    };
    let arity = match f {
        Val::Func(func) => func.arity(),
        _ => 0,
    };
    if arity < 2 {
        return Err(err(
            "D3050",
            c.span,
            "the second argument of reduce function must be a function with at least two arguments",
        ));
    }
    let items = v.items();
    let (mut acc, start) = match arg(&a, 2) {
        None if !items.is_empty() => (Some(items[0].clone()), 1),
        init => (init.cloned(), 0),
    };
    for (i, item) in items.iter().enumerate().skip(start) {
        let mut args = vec![acc, Some(item.clone())];
        if arity >= 3 {
            args.push(Some(Val::Num(i as f64)));
        }
        if arity >= 4 {
            args.push(Some(v.clone()));
        }
        acc = ev.apply_callback(f, args, None, c.env, c.span)?;
    }
    Ok(acc)
}
