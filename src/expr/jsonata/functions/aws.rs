//! Date and time, and the functions Step Functions adds to JSONata (`$partition`, `$range`,
//! `$hash`, `$random(seed)`, `$uuid`, `$parse`).
//!
//! The clock is the evaluation's ([`super::super::Bindings::now_millis`]), fixed for the whole
//! evaluation as in jsonata-js. Timestamps without a picture string are ISO 8601 in UTC, as
//! JavaScript's `Date#toISOString` prints them. Codes for the Step Functions functions are our
//! own (`D3200`…): AWS reports any failure as `States.QueryEvaluationError`.

use crate::expr::codec;

use super::{arg, num_arg, some_num, some_str, str_arg, Args};
use crate::expr::jsonata::eval::{err, Call, Evaluator, R};
use crate::expr::jsonata::value::Val;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `Date#toISOString`.
pub(crate) fn iso(millis: f64) -> String {
    let ms = millis.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{}{:06}", if y < 0 { '-' } else { '+' }, y.abs())
    };
    format!(
        "{year}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// ISO 8601 (the forms jsonata-js accepts without a picture) → milliseconds.
fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let t = s.get(from..from + len)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let year = num(0, 4)?;
    let mut pos = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(pos) == Some(&b'-') {
        month = num(pos + 1, 2)?;
        pos += 3;
        if b.get(pos) == Some(&b'-') {
            day = num(pos + 1, 2)?;
            pos += 3;
        }
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    if b.get(pos) == Some(&b'T') {
        let h = num(pos + 1, 2)?;
        let mi = num(pos + 4, 2)?;
        let sec = num(pos + 7, 2)?;
        ms += ((h * 60 + mi) * 60 + sec) * 1000;
        pos += 9;
        if b.get(pos) == Some(&b'.') {
            let digits: String = s[pos + 1..].chars().take_while(char::is_ascii_digit).collect();
            let frac: f64 = format!("0.{digits}").parse().ok()?;
            ms += (frac * 1000.0).floor() as i64;
            pos += 1 + digits.len();
        }
    }
    match s.get(pos..)? {
        "" | "Z" => {}
        tz => {
            let sign = match tz.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = tz[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 {
                return None;
            }
            let h: i64 = digits[..2].parse().ok()?;
            let m: i64 = digits[2..].parse().ok()?;
            ms -= sign * (h * 60 + m) * 60_000;
        }
    }
    Some(ms as f64)
}

pub(crate) fn now<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, _: Args<'a>) -> R<'a> {
    some_str(&iso(ev.now_millis as f64))
}

pub(crate) fn millis<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, _: Args<'a>) -> R<'a> {
    some_num(ev.now_millis as f64)
}

pub(crate) fn from_millis<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(ms) = num_arg(&a, 0) else {
        return Ok(None);
    };
    if arg(&a, 1).is_some() || arg(&a, 2).is_some() {
        return Err(err("D3133", c.span, "picture strings are not supported yet"));
    }
    some_str(&iso(ms))
}

pub(crate) fn to_millis<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    if arg(&a, 1).is_some() {
        return Err(err("D3133", c.span, "picture strings are not supported yet"));
    }
    match parse_iso(s) {
        Some(ms) => some_num(ms),
        None => Err(err(
            "D3110",
            c.span,
            "the timestamp cannot be parsed: it is not ISO 8601",
        )),
    }
}

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
