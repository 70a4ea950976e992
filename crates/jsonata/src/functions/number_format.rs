//! `$formatNumber`: XPath F&O 3.1 `format-number` picture strings, as jsonata-js implements
//! them.
//!
//! A picture is one or two sub-pictures (positive`;`negative), each a passive prefix, an
//! active part of digits (`0` mandatory, `#` optional, or any family from `zero-digit`),
//! grouping and decimal separators and an optional exponent (`e0`), then a passive suffix; `%`
//! and `‰` scale by 100 and 1000. The options object renames any of these characters. The
//! picture is validated (`D3080`…`D3093`) as jsonata-js does. jsonata-js's quirks are kept on
//! purpose so that results agree: without a decimal separator the suffix stands for the
//! fractional part, the exponent is located relative to the whole sub-picture, and grouping
//! positions after the first are searched in the integer part.

use super::numeric::round_half_even;
use super::{arg, num_arg, str_arg, Args};
use crate::error::JsonataError;
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::Val;
use aslkit_base::Span;

/// The characters a picture uses, after the options are applied.
struct Props {
    decimal: Vec<char>,
    grouping: Vec<char>,
    exponent: Vec<char>,
    minus: Vec<char>,
    percent: Vec<char>,
    per_mille: Vec<char>,
    zero: Vec<char>,
    digit: Vec<char>,
    pattern: Vec<char>,
    /// The ten digits of the family that starts at `zero`.
    family: Vec<char>,
}

impl Props {
    fn is_family(&self, c: char) -> bool {
        self.family.contains(&c)
    }

    fn is(&self, c: char, s: &[char]) -> bool {
        s.len() == 1 && s[0] == c
    }

    fn is_digit_sign(&self, c: char) -> bool {
        self.is_family(c) || self.is(c, &self.digit)
    }

    fn is_active(&self, c: char) -> bool {
        self.is_family(c)
            || [
                &self.decimal,
                &self.exponent,
                &self.grouping,
                &self.digit,
                &self.pattern,
            ]
            .iter()
            .any(|s| self.is(c, s))
    }
}

/// The first index at or after `from` where `needle` occurs in `hay` (JavaScript's `indexOf`).
fn index_of(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from.min(hay.len()));
    }
    (from..hay.len().saturating_sub(needle.len() - 1)).find(|i| hay[*i..].starts_with(needle))
}

fn last_index_of(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    (0..hay.len().saturating_sub(needle.len() - 1))
        .rev()
        .find(|i| hay[*i..].starts_with(needle))
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    index_of(hay, needle, 0).is_some()
}

/// JavaScript's `substring(from, to)`: bounds clamped to the text, swapped if reversed.
fn substring(s: &[char], from: usize, to: usize) -> Vec<char> {
    let (a, b) = (from.min(s.len()), to.min(s.len()));
    s[a.min(b)..a.max(b)].to_vec()
}

/// JavaScript's `slice` index: negative counts from the end.
fn slice_index(len: usize, i: i64) -> usize {
    if i < 0 {
        (len as i64 + i).max(0) as usize
    } else {
        (i as usize).min(len)
    }
}

fn insert_at(s: &mut Vec<char>, at: i64, what: &[char]) {
    let at = slice_index(s.len(), at);
    s.splice(at..at, what.iter().copied());
}

/// One sub-picture, split (F&O 4.7.2 as jsonata-js reads it).
#[derive(Clone)]
struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    picture: Vec<char>,
}

fn split_parts(sub: &[char], p: &Props) -> Parts {
    let significant = |c: char| p.is_active(c) && !p.is(c, &p.exponent);
    let prefix_len = sub.iter().position(|c| significant(*c)).unwrap_or(sub.len());
    let suffix_start = sub
        .iter()
        .rposition(|c| significant(*c))
        .map_or(sub.len(), |i| i + 1)
        .max(prefix_len);
    let prefix = sub[..prefix_len].to_vec();
    let suffix = sub[suffix_start..].to_vec();
    let active = sub[prefix_len..suffix_start].to_vec();
    let (mantissa, exponent) = match index_of(sub, &p.exponent, prefix_len) {
        Some(e) if e <= sub.len() - suffix.len() => {
            (substring(&active, 0, e), Some(substring(&active, e + 1, active.len())))
        }
        _ => (active.clone(), None),
    };
    let (integer, fractional) = match index_of(&mantissa, &p.decimal, 0) {
        Some(d) => (mantissa[..d].to_vec(), substring(&mantissa, d + 1, mantissa.len())),
        None => (mantissa.clone(), suffix.clone()),
    };
    Parts {
        prefix,
        suffix,
        active,
        mantissa,
        exponent,
        integer,
        fractional,
        picture: sub.to_vec(),
    }
}

/// F&O 4.7.3: the last failed check wins, as in jsonata-js.
fn validate(parts: &Parts, p: &Props) -> Option<&'static str> {
    let sub = &parts.picture;
    let mut error = None;
    let decimal_pos = index_of(sub, &p.decimal, 0);
    if decimal_pos != last_index_of(sub, &p.decimal) {
        error = Some("D3081");
    }
    if index_of(sub, &p.percent, 0) != last_index_of(sub, &p.percent) {
        error = Some("D3082");
    }
    if index_of(sub, &p.per_mille, 0) != last_index_of(sub, &p.per_mille) {
        error = Some("D3083");
    }
    if contains(sub, &p.percent) && contains(sub, &p.per_mille) {
        error = Some("D3084");
    }
    if !parts.mantissa.iter().any(|c| p.is_digit_sign(*c)) {
        error = Some("D3085");
    }
    if parts.active.iter().any(|c| !p.is_active(*c)) {
        error = Some("D3086");
    }
    let is_grouping = |i: Option<usize>| i.and_then(|i| sub.get(i)).is_some_and(|c| p.is(*c, &p.grouping));
    match decimal_pos {
        Some(d) => {
            if is_grouping(d.checked_sub(1)) || is_grouping(Some(d + 1)) {
                error = Some("D3087");
            }
        }
        None => {
            if parts.integer.last().is_some_and(|c| p.is(*c, &p.grouping)) {
                error = Some("D3088");
            }
        }
    }
    let double: Vec<char> = p.grouping.iter().chain(p.grouping.iter()).copied().collect();
    if contains(sub, &double) {
        error = Some("D3089");
    }
    if let Some(o) = index_of(&parts.integer, &p.digit, 0) {
        if parts.integer[..o].iter().any(|c| p.is_family(*c)) {
            error = Some("D3090");
        }
    }
    if let Some(o) = last_index_of(&parts.fractional, &p.digit) {
        if parts.fractional[o.min(parts.fractional.len())..]
            .iter()
            .any(|c| p.is_family(*c))
        {
            error = Some("D3091");
        }
    }
    if let Some(exp) = &parts.exponent {
        if !exp.is_empty() && (contains(sub, &p.percent) || contains(sub, &p.per_mille)) {
            error = Some("D3092");
        }
        if exp.is_empty() || exp.iter().any(|c| !p.is_family(*c)) {
            error = Some("D3093");
        }
    }
    error
}

/// The analysed sub-picture (F&O 4.7.4).
#[derive(Clone)]
struct Pic {
    integer_grouping: Vec<usize>,
    regular: usize,
    min_integer: usize,
    scaling: i32,
    prefix: Vec<char>,
    fractional_grouping: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: Vec<char>,
    picture: Vec<char>,
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn analyse(parts: &Parts, p: &Props) -> Pic {
    let grouping_positions = |part: &[char], to_left: bool| {
        let mut out = Vec::new();
        let mut at = index_of(part, &p.grouping, 0);
        while let Some(g) = at {
            let side = if to_left {
                substring(part, 0, g)
            } else {
                substring(part, g, part.len())
            };
            out.push(side.iter().filter(|c| p.is_digit_sign(**c)).count());
            at = index_of(&parts.integer, &p.grouping, g + 1);
        }
        out
    };
    let integer_grouping = grouping_positions(&parts.integer, false);
    let regular = match integer_grouping.split_first() {
        None => 0,
        Some((first, rest)) => {
            let factor = rest.iter().fold(*first, |a, b| gcd(a, *b));
            let ok = (1..=integer_grouping.len()).all(|i| integer_grouping.contains(&(i * factor)));
            if ok {
                factor
            } else {
                0
            }
        }
    };
    let fractional_grouping = grouping_positions(&parts.fractional, true);
    let family_count = |s: &[char]| s.iter().filter(|c| p.is_family(**c)).count();
    let mut min_integer = family_count(&parts.integer);
    let scaling = min_integer as i32;
    let mut min_fraction = family_count(&parts.fractional);
    let mut max_fraction = parts.fractional.iter().filter(|c| p.is_digit_sign(**c)).count();
    let exponent = parts.exponent.is_some();
    if min_integer == 0 && max_fraction == 0 {
        if exponent {
            min_fraction = 1;
            max_fraction = 1;
        } else {
            min_integer = 1;
        }
    }
    if exponent && min_integer == 0 && contains(&parts.integer, &p.digit) {
        min_integer = 1;
    }
    if min_integer == 0 && min_fraction == 0 {
        min_fraction = 1;
    }
    Pic {
        integer_grouping,
        regular,
        min_integer,
        scaling,
        prefix: parts.prefix.clone(),
        fractional_grouping,
        min_fraction,
        max_fraction,
        min_exponent: parts.exponent.as_deref().map_or(0, family_count),
        suffix: parts.suffix.clone(),
        picture: parts.picture.clone(),
    }
}

/// `toFixed`, in the picture's digit family.
fn make_string(value: f64, dp: usize, p: &Props) -> Vec<char> {
    format!("{:.dp$}", value.abs())
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => p.family.get(d as usize).copied().unwrap_or(c),
            None => c,
        })
        .collect()
}

fn format_number_with(value: f64, picture: &str, p: &Props, span: Span) -> Result<String, JsonataError> {
    let chars: Vec<char> = picture.chars().collect();
    let mut subs: Vec<Vec<char>> = Vec::new();
    let mut from = 0;
    while let Some(i) = index_of(&chars, &p.pattern, from).filter(|_| !p.pattern.is_empty()) {
        subs.push(chars[from..i].to_vec());
        from = i + p.pattern.len();
    }
    subs.push(chars[from..].to_vec());
    if subs.len() > 2 {
        return Err(err("D3080", span, "a number picture has at most two sub-pictures"));
    }
    let parts: Vec<Parts> = subs.iter().map(|s| split_parts(s, p)).collect();
    for part in &parts {
        if let Some(code) = validate(part, p) {
            return Err(err(
                code,
                span,
                format!("the number picture {picture:?} is not valid ({code})"),
            ));
        }
    }
    let mut pics: Vec<Pic> = parts.iter().map(|x| analyse(x, p)).collect();
    if pics.len() == 1 {
        let mut negative = pics[0].clone();
        negative.prefix = p.minus.iter().chain(negative.prefix.iter()).copied().collect();
        pics.push(negative);
    }
    let pic = if value >= 0.0 { &pics[0] } else { &pics[1] };
    let adjusted = if contains(&pic.picture, &p.percent) {
        value * 100.0
    } else if contains(&pic.picture, &p.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let (mut mantissa, mut exponent) = (adjusted, None);
    if pic.min_exponent != 0 {
        let max = 10f64.powi(pic.scaling);
        let min = 10f64.powi(pic.scaling - 1);
        let mut e = 0i64;
        // jsonata-js loops for ever on zero and negative numbers; we stop.
        for _ in 0..2000 {
            if mantissa >= min || mantissa <= 0.0 {
                break;
            }
            mantissa *= 10.0;
            e -= 1;
        }
        for _ in 0..2000 {
            if mantissa <= max {
                break;
            }
            mantissa /= 10.0;
            e += 1;
        }
        exponent = Some(e);
    }
    let rounded = round_half_even(mantissa, pic.max_fraction as i64);
    let mut s = make_string(rounded, pic.max_fraction, p);
    match s.iter().position(|c| *c == '.') {
        Some(i) => {
            s.splice(i..=i, p.decimal.iter().copied());
        }
        None => s.extend(p.decimal.iter().copied()),
    }
    let zero = p.zero.first().copied().filter(|_| p.zero.len() == 1);
    if let Some(z) = zero {
        let lead = s.iter().take_while(|c| **c == z).count();
        s.drain(..lead);
        while s.last() == Some(&z) {
            s.pop();
        }
    }
    let zero_str: Vec<char> = p.zero.clone();
    let pad = |n: i64| -> Vec<char> { (0..n.max(0)).flat_map(|_| zero_str.iter().copied()).collect() };
    let dpos = index_of(&s, &p.decimal, 0).map_or(-1, |d| d as i64);
    let pad_left = pic.min_integer as i64 - dpos;
    let pad_right = pic.min_fraction as i64 - (s.len() as i64 - dpos - 1);
    let mut out = pad(pad_left);
    out.extend(s);
    out.extend(pad(pad_right));
    let mut s = out;
    let mut dpos = index_of(&s, &p.decimal, 0).map_or(-1, |d| d as i64);
    if pic.regular > 0 {
        let groups = (dpos - 1).div_euclid(pic.regular as i64);
        for g in 1..=groups {
            insert_at(&mut s, dpos - g * pic.regular as i64, &p.grouping);
        }
    } else {
        for pos in &pic.integer_grouping {
            insert_at(&mut s, dpos - *pos as i64, &p.grouping);
            dpos += 1;
        }
    }
    let dpos = index_of(&s, &p.decimal, 0).map_or(-1, |d| d as i64);
    for pos in &pic.fractional_grouping {
        insert_at(&mut s, *pos as i64 + dpos + 1, &p.grouping);
    }
    let dpos = index_of(&s, &p.decimal, 0).map_or(-1, |d| d as i64);
    if !contains(&pic.picture, &p.decimal) || dpos == s.len() as i64 - 1 {
        s.pop();
    }
    if let Some(e) = exponent {
        let mut digits = make_string(e as f64, 0, p);
        let short = pic.min_exponent as i64 - digits.len() as i64;
        if short > 0 {
            let mut padded = pad(short);
            padded.extend(digits);
            digits = padded;
        }
        s.extend(p.exponent.iter().copied());
        if e < 0 {
            s.extend(p.minus.iter().copied());
        }
        s.extend(digits);
    }
    Ok(pic.prefix.iter().chain(s.iter()).chain(pic.suffix.iter()).collect())
}

pub(crate) fn format_number<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(value) = num_arg(&a, 0) else {
        return Ok(None);
    };
    let picture = str_arg(&a, 1).unwrap_or("");
    let option = |key: &str, default: &str| -> Vec<char> {
        let v = match arg(&a, 2) {
            Some(Val::Obj(o)) => o.get(key).and_then(Val::as_str).map(str::to_string),
            _ => None,
        };
        v.unwrap_or_else(|| default.to_string()).chars().collect()
    };
    let zero = option("zero-digit", "0");
    let z = zero.first().copied().unwrap_or('0') as u32;
    let family = (z..z + 10).filter_map(char::from_u32).collect();
    let props = Props {
        decimal: option("decimal-separator", "."),
        grouping: option("grouping-separator", ","),
        exponent: option("exponent-separator", "e"),
        minus: option("minus-sign", "-"),
        percent: option("percent", "%"),
        per_mille: option("per-mille", "\u{2030}"),
        zero,
        digit: option("digit", "#"),
        pattern: option("pattern-separator", ";"),
        family,
    };
    Ok(Some(Val::str(&format_number_with(value, picture, &props, c.span)?)))
}
