//! String functions. Lengths and positions count Unicode code points, as jsonata-js does
//! (it splits strings with `Array.from`); `$match` reports UTF-16 offsets like JavaScript.

use super::regex::{all_matches, Found};
use super::{arg, num_arg, some_num, some_str, str_arg, Args};
use crate::error::JsonataError;
use crate::runtime::{err, Call, Evaluator, R};
use crate::value::{js_number, round15, stringify, Map, Val};
use aslkit_base::codec;
use aslkit_base::Span;

/// jsonata-js's `fn.string`.
pub(crate) fn to_string(v: &Val, pretty: bool, span: Span) -> Result<String, JsonataError> {
    match v {
        Val::Str(s) => Ok(s.to_string()),
        Val::Func(_) => Ok(String::new()),
        Val::Num(n) if !n.is_finite() => Err(err(
            "D3001",
            span,
            "attempting to invoke string function on Infinity or NaN",
        )),
        Val::Num(n) => Ok(js_number(round15(*n))),
        other => {
            check_finite(other, span)?;
            let v = match other {
                Val::Arr(items, f) if f.outer_wrapper && !items.is_empty() => &items[0],
                v => v,
            };
            let mut out = String::new();
            stringify(v, if pretty { 2 } else { 0 }, 0, &mut out);
            Ok(out)
        }
    }
}

fn check_finite(v: &Val, span: Span) -> Result<(), JsonataError> {
    match v {
        Val::Num(n) if !n.is_finite() => Err(err("D1001", span, "number out of range")),
        Val::Arr(items, _) => items.iter().try_for_each(|i| check_finite(i, span)),
        Val::Obj(m) => m.values().try_for_each(|i| check_finite(i, span)),
        _ => Ok(()),
    }
}

pub(crate) fn string<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let pretty = matches!(arg(&a, 1), Some(Val::Bool(true)));
    some_str(&to_string(v, pretty, c.span)?)
}

pub(crate) fn length<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    match str_arg(&a, 0) {
        Some(s) => some_num(s.chars().count() as f64),
        None => Ok(None),
    }
}

/// JavaScript's `ToIntegerOrInfinity` then `slice` clamping, for a length of `len`.
fn slice_index(i: f64, len: usize) -> usize {
    let i = if i.is_nan() { 0.0 } else { i.trunc() };
    let len_f = len as f64;
    if i < 0.0 {
        (len_f + i).max(0.0) as usize
    } else {
        i.min(len_f) as usize
    }
}

pub(crate) fn substring<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len();
    let mut start = num_arg(&a, 1).unwrap_or(0.0);
    if len as f64 + start < 0.0 {
        start = 0.0;
    }
    let out: String = match num_arg(&a, 2) {
        Some(l) => {
            if l <= 0.0 {
                return some_str("");
            }
            let end = if start >= 0.0 {
                start + l
            } else {
                len as f64 + start + l
            };
            let (from, to) = (slice_index(start, len), slice_index(end, len));
            if from >= to {
                String::new()
            } else {
                chars[from..to].iter().collect()
            }
        }
        None => chars[slice_index(start, len)..].iter().collect(),
    };
    some_str(&out)
}

pub(crate) fn substring_before<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let t = str_arg(&a, 1).unwrap_or("");
    some_str(s.find(t).map_or(s, |p| &s[..p]))
}

pub(crate) fn substring_after<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let t = str_arg(&a, 1).unwrap_or("");
    some_str(s.find(t).map_or(s, |p| &s[p + t.len()..]))
}

pub(crate) fn lowercase<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(str_arg(&a, 0).map(|s| Val::str(&s.to_lowercase())))
}

pub(crate) fn uppercase<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(str_arg(&a, 0).map(|s| Val::str(&s.to_uppercase())))
}

pub(crate) fn trim<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for ch in s.chars() {
        if matches!(ch, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(ch);
            in_space = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    let out = out.strip_suffix(' ').unwrap_or(out);
    some_str(out)
}

/// The widest string `$pad` makes.
const MAX_PAD: usize = 10_000_000;

pub(crate) fn pad<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let width = num_arg(&a, 1).unwrap_or(0.0).trunc();
    let ch = match str_arg(&a, 2) {
        Some(c) if !c.is_empty() => c,
        _ => " ",
    };
    let pad_len = width.abs() - s.chars().count() as f64;
    if pad_len <= 0.0 {
        return some_str(s);
    }
    // A string of a billion characters is a mistake or an attack, not a padded value.
    if pad_len > MAX_PAD as f64 {
        return Err(err(
            "D3141",
            c.span,
            format!("$pad: a width of {width} is over the limit of {MAX_PAD} characters"),
        ));
    }
    let padding: String = ch.chars().cycle().take(pad_len as usize).collect();
    if width > 0.0 {
        some_str(&format!("{s}{padding}"))
    } else {
        some_str(&format!("{padding}{s}"))
    }
}

pub(crate) fn contains<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let found = match arg(&a, 1) {
        Some(Val::Str(t)) => s.contains(&**t),
        Some(pattern) => !all_matches(ev, c, pattern, s, Some(1))?.is_empty(),
        None => false,
    };
    Ok(Some(Val::Bool(found)))
}

fn limit_arg(a: &Args, i: usize, code: &'static str, span: Span) -> Result<Option<usize>, JsonataError> {
    match num_arg(a, i) {
        None => Ok(None),
        Some(l) if l < 0.0 => Err(err(code, span, "the limit must be a non-negative number")),
        Some(l) => Ok(Some(l.floor() as usize)),
    }
}

pub(crate) fn split<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let limit = limit_arg(&a, 2, "D3020", c.span)?;
    let mut parts: Vec<String> = Vec::new();
    if limit != Some(0) {
        match arg(&a, 1) {
            Some(Val::Str(sep)) => {
                if sep.is_empty() {
                    parts = s.chars().map(String::from).collect();
                } else {
                    parts = s.split(&**sep).map(String::from).collect();
                }
                if let Some(l) = limit {
                    parts.truncate(l);
                }
            }
            Some(pattern) => {
                let found = all_matches(ev, c, pattern, s, limit)?;
                let mut start = 0;
                for m in &found {
                    parts.push(s[start..m.start].to_string());
                    start = m.end;
                }
                if limit.is_none_or(|l| found.len() < l) {
                    parts.push(s[start..].to_string());
                }
            }
            None => {}
        }
    }
    Ok(Some(Val::array(parts.iter().map(|p| Val::str(p)).collect())))
}

pub(crate) fn join<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(v) = arg(&a, 0) else {
        return Ok(None);
    };
    let sep = str_arg(&a, 1).unwrap_or("");
    let parts: Vec<String> = v.items().iter().filter_map(|i| i.as_str().map(String::from)).collect();
    some_str(&parts.join(sep))
}

fn match_value<'a>(s: &str, m: &Found) -> Val<'a> {
    let mut o = Map::new();
    o.insert("match".into(), Val::str(&m.text));
    o.insert("index".into(), Val::Num(s[..m.start].encode_utf16().count() as f64));
    o.insert(
        "groups".into(),
        Val::array(
            m.groups
                .iter()
                .map(|g| g.as_deref().map_or(Val::str(""), Val::str))
                .collect(),
        ),
    );
    Val::object(o)
}

pub(crate) fn match_<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    let limit = limit_arg(&a, 2, "D3040", c.span)?;
    if limit == Some(0) {
        return Ok(Some(Val::seq(Vec::new())));
    }
    let Some(pattern) = arg(&a, 1) else {
        return Ok(None);
    };
    let found = all_matches(ev, c, pattern, s, limit)?;
    Ok(Some(Val::seq(found.iter().map(|m| match_value(s, m)).collect())))
}

/// jsonata-js's expansion of `$0`, `$1`… and `$$` in a replacement string.
fn expand(replacement: &str, m: &Found) -> String {
    let chars: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] != '$' {
            out.push(chars[pos]);
            pos += 1;
            continue;
        }
        pos += 1;
        match chars.get(pos) {
            Some('$') => {
                out.push('$');
                pos += 1;
            }
            Some('0') => {
                out.push_str(&m.text);
                pos += 1;
            }
            _ => {
                let groups = m.groups.len();
                let max_digits = if groups == 0 {
                    1
                } else {
                    (groups as f64).log10().floor() as usize + 1
                };
                let digits_at = |n: usize| -> Option<usize> {
                    let s: String = chars[pos..(pos + n).min(chars.len())].iter().collect();
                    let d: String = s.chars().take_while(char::is_ascii_digit).collect();
                    d.parse().ok()
                };
                let mut index = digits_at(max_digits);
                if max_digits > 1 && index.is_some_and(|i| i > groups) {
                    index = digits_at(max_digits - 1);
                }
                match index {
                    Some(i) => {
                        if groups > 0 && i >= 1 {
                            if let Some(Some(g)) = m.groups.get(i - 1) {
                                out.push_str(g);
                            }
                        }
                        pos += i.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

pub(crate) fn replace<'a>(ev: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    if str_arg(&a, 1) == Some("") {
        return Err(err(
            "D3010",
            c.span,
            "second argument of replace function cannot be an empty string",
        ));
    }
    let limit = limit_arg(&a, 3, "D3011", c.span)?;
    if limit == Some(0) {
        return some_str(s);
    }
    let replacement = arg(&a, 2).cloned();
    match arg(&a, 1) {
        Some(Val::Str(pat)) => {
            let rep = match &replacement {
                Some(Val::Str(r)) => r.to_string(),
                _ => String::new(),
            };
            let mut out = String::new();
            let mut rest = s;
            let mut count = 0;
            while let Some(p) = rest.find(&**pat) {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&rest[..p]);
                out.push_str(&rep);
                rest = &rest[p + pat.len()..];
                count += 1;
            }
            out.push_str(rest);
            some_str(&out)
        }
        Some(pattern) => {
            let found = all_matches(ev, c, pattern, s, limit)?;
            let mut out = String::new();
            let mut pos = 0;
            for m in &found {
                out.push_str(&s[pos..m.start]);
                match &replacement {
                    Some(Val::Str(r)) => out.push_str(&expand(r, m)),
                    Some(f @ Val::Func(_)) => {
                        let v = ev.apply_callback(f, vec![Some(match_value(s, m))], None, c.env, c.span)?;
                        match v {
                            Some(Val::Str(r)) => out.push_str(&r),
                            _ => {
                                return Err(err(
                                    "D3012",
                                    c.span,
                                    "attempted to replace a matched string with a non-string value",
                                ))
                            }
                        }
                    }
                    _ => {}
                }
                pos = m.end;
            }
            out.push_str(&s[pos..]);
            some_str(&out)
        }
        None => Ok(None),
    }
}

pub(crate) fn base64encode<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    some_str(&codec::base64_encode(s.as_bytes()))
}

pub(crate) fn base64decode<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    let Some(s) = str_arg(&a, 0) else {
        return Ok(None);
    };
    some_str(&String::from_utf8_lossy(&codec::base64_decode_lenient(s)))
}

const URI_UNRESERVED: &str = "-_.!~*'()";
const URI_RESERVED: &str = ";,/?:@&=+$#";

fn encode(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() || keep.contains(ch) {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode(s: &str, reserved: &str, span: Span) -> Result<String, JsonataError> {
    let malformed = || err("D3140", span, "malformed URL passed to decode function");
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = s.get(i + 1..i + 3).ok_or_else(malformed)?;
        let b = u8::from_str_radix(hex, 16).map_err(|_| malformed())?;
        if b < 0x80 && reserved.contains(b as char) {
            out.extend_from_slice(&bytes[i..i + 3]);
        } else {
            out.push(b);
        }
        i += 3;
    }
    String::from_utf8(out).map_err(|_| malformed())
}

pub(crate) fn encode_url_component<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(str_arg(&a, 0).map(|s| Val::str(&encode(s, URI_UNRESERVED))))
}

pub(crate) fn encode_url<'a>(_: &Evaluator<'a>, _: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    Ok(str_arg(&a, 0).map(|s| Val::str(&encode(s, &format!("{URI_UNRESERVED}{URI_RESERVED}")))))
}

pub(crate) fn decode_url_component<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    match str_arg(&a, 0) {
        Some(s) => some_str(&decode(s, "", c.span)?),
        None => Ok(None),
    }
}

pub(crate) fn decode_url<'a>(_: &Evaluator<'a>, c: &Call<'a, '_>, a: Args<'a>) -> R<'a> {
    match str_arg(&a, 0) {
        Some(s) => some_str(&decode(s, URI_RESERVED, c.span)?),
        None => Ok(None),
    }
}
