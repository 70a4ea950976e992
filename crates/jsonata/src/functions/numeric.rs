//! Numeric and boolean functions.

use super::{arg, num_arg, some_num, Args};
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::truthy;
use crate::value::{js_number, Val};

pub(crate) fn number<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let n = match arg(&a, 0) {
        None => return Ok(None),
        Some(Val::Num(n)) => *n,
        Some(Val::Bool(b)) => f64::from(u8::from(*b)),
        Some(Val::Str(s)) => parse_number(s).ok_or_else(|| err("D3030", c.span, "unable to cast value to a number"))?,
        Some(_) => return Err(err("D3030", c.span, "unable to cast value to a number")),
    };
    some_num(n)
}

/// jsonata-js's accepted number strings: JSON-style decimals, and `0x`, `0o`, `0b` integers.
fn parse_number(s: &str) -> Option<f64> {
    let radix = |prefix: &[&str], radix: u32| -> Option<f64> {
        let rest = prefix.iter().find_map(|p| s.strip_prefix(p))?;
        u64::from_str_radix(rest, radix).ok().map(|n| n as f64)
    };
    if let Some(n) = radix(&["0x", "0X"], 16)
        .or_else(|| radix(&["0o", "0O"], 8))
        .or_else(|| radix(&["0b", "0B"], 2))
    {
        return Some(n);
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    if let Some(e) = exponent {
        if !digits(e.strip_prefix(['+', '-']).unwrap_or(e)) {
            return None;
        }
    }
    let n: f64 = s.parse().ok()?;
    n.is_finite().then_some(n)
}

pub(crate) fn abs<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(num_arg(&a, 0).map(|n| Val::Num(n.abs())))
}

pub(crate) fn floor<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(num_arg(&a, 0).map(|n| Val::Num(n.floor())))
}

pub(crate) fn ceil<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(num_arg(&a, 0).map(|n| Val::Num(n.ceil())))
}

/// `n` with its decimal exponent moved by `by`, through its string form (as jsonata-js does,
/// to avoid the binary error of multiplying by a power of ten).
fn shift(n: f64, by: i64) -> f64 {
    let s = js_number(n);
    let (m, e) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    format!("{m}e{}", e + by).parse().unwrap_or(n)
}

/// `$round`: half to even, at `precision` decimal places.
pub(crate) fn round_half_even(n: f64, precision: i64) -> f64 {
    let v = if precision != 0 { shift(n, precision) } else { n };
    let mut r = (v + 0.5).floor();
    if (r - v).abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    if precision != 0 {
        r = shift(r, -precision);
    }
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

pub(crate) fn round<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(n) = num_arg(&a, 0) else {
        return Ok(None);
    };
    let precision = num_arg(&a, 1).unwrap_or(0.0).trunc() as i64;
    some_num(round_half_even(n, precision))
}

pub(crate) fn power<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let (Some(b), Some(e)) = (num_arg(&a, 0), num_arg(&a, 1)) else {
        return Ok(None);
    };
    let r = b.powf(e);
    if !r.is_finite() {
        return Err(err(
            "D3061",
            c.span,
            "the power function has resulted in a value that cannot be represented",
        ));
    }
    some_num(r)
}

pub(crate) fn sqrt<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(n) = num_arg(&a, 0) else {
        return Ok(None);
    };
    if n < 0.0 {
        return Err(err(
            "D3060",
            c.span,
            "the sqrt function cannot be applied to a negative number",
        ));
    }
    some_num(n.sqrt())
}

/// `$random()`, and Step Functions' `$random(seed)`: the same seed gives the same number.
pub(crate) fn random<'a>(ev: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    match num_arg(&a, 0) {
        Some(seed) => {
            let mut z = seed.to_bits().wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            some_num((z >> 11) as f64 / (1u64 << 53) as f64)
        }
        None => some_num(ev.random()),
    }
}

fn numbers(a: &Args) -> Option<Vec<f64>> {
    arg(a, 0).map(|v| v.items().iter().filter_map(Val::as_num).collect())
}

pub(crate) fn sum<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(numbers(&a).map(|ns| Val::Num(ns.iter().sum())))
}

pub(crate) fn max<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(numbers(&a)
        .filter(|ns| !ns.is_empty())
        .map(|ns| Val::Num(ns.iter().copied().fold(f64::NEG_INFINITY, f64::max))))
}

pub(crate) fn min<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(numbers(&a)
        .filter(|ns| !ns.is_empty())
        .map(|ns| Val::Num(ns.iter().copied().fold(f64::INFINITY, f64::min))))
}

pub(crate) fn average<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(numbers(&a)
        .filter(|ns| !ns.is_empty())
        .map(|ns| Val::Num(ns.iter().sum::<f64>() / ns.len() as f64)))
}

pub(crate) fn boolean<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(arg(&a, 0).map(|v| Val::Bool(truthy(v))))
}

pub(crate) fn not<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(arg(&a, 0).map(|v| Val::Bool(!truthy(v))))
}

pub(crate) fn exists<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(Some(Val::Bool(arg(&a, 0).is_some())))
}

pub(crate) fn format_base<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(n) = num_arg(&a, 0) else {
        return Ok(None);
    };
    let n = round_half_even(n, 0);
    let radix = num_arg(&a, 1).map_or(10.0, |r| round_half_even(r, 0));
    if !(2.0..=36.0).contains(&radix) {
        return Err(err(
            "D3100",
            c.span,
            "the radix of the formatBase function must be between 2 and 36",
        ));
    }
    let radix = radix as u64;
    let mut m = n.abs() as u64;
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit((m % radix) as u32, radix as u32).unwrap_or('0'));
        m /= radix;
        if m == 0 {
            break;
        }
    }
    if n < 0.0 {
        digits.push('-');
    }
    Ok(Some(Val::str(&digits.iter().rev().collect::<String>())))
}
