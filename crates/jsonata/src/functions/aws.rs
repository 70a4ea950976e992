//! The functions Step Functions adds to JSONata (`$partition`, `$range`, `$hash`,
//! `$random(seed)`, `$uuid`, `$parse`).
//!
//! Codes for these functions are our own (`D3200`…): AWS reports any failure as
//! `States.QueryEvaluationError`.

use aslkit_base::codec;

use super::{arg, num_arg, some_str, str_arg, Args};
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::Val;

pub(crate) fn partition<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let size = num_arg(&a, 1).unwrap_or(0.0).floor();
    if size < 1.0 {
        return Err(err("D3200", c.span, "the partition size must be a positive integer"));
    }
    let items = v.items();
    let chunks = items.chunks(size as usize).map(|ch| Val::array(ch.to_vec())).collect();
    Ok(Some(Val::array(chunks)))
}

pub(crate) fn range<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(start), Some(end)) = (num_arg(&a, 0), num_arg(&a, 1)) else {
        return Ok(None);
    };
    let step = num_arg(&a, 2).unwrap_or(1.0);
    if step == 0.0 {
        return Err(err("D3201", c.span, "the step of $range must not be zero"));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x <= end) || (step < 0.0 && x >= end) {
        out.push(Val::Num(x));
        if out.len() > 10_000_000 {
            return Err(err("D2014", c.span, "$range would make more than 1e7 items"));
        }
        x += step;
    }
    // Step Functions returns a JSONata sequence: one number comes back alone (recorded on AWS:
    // `$range(1, 9, 9)` is `1`).
    if out.len() == 1 {
        return Ok(out.pop());
    }
    Ok(Some(Val::array(out)))
}

pub(crate) fn hash<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let data = s.as_bytes();
    let algorithm = str_arg(&a, 1).unwrap_or("SHA-256");
    let Some(digest) = codec::digest(algorithm, data) else {
        return Err(err(
            "D3202",
            c.span,
            format!("unknown hash algorithm {algorithm:?}: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        ));
    };
    some_str(&digest)
}

pub(crate) fn uuid<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, _: Args<'a>) -> R<'a> {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (ev.random() * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = codec::hex(&bytes);
    some_str(&format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

pub(crate) fn parse<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => Ok(Some(Val::from_json(&v))),
        Err(e) => Err(err("D3203", c.span, format!("$parse: the string is not JSON ({e})"))),
    }
}
