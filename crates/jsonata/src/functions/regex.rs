//! JavaScript regular expressions on the `regex` crate, and jsonata-js's matcher protocol.
//!
//! A regex literal `/…/flags` is a JavaScript `RegExp`. The patterns JSONata users write use
//! the common subset both engines share; the differences that matter are bridged here: `\d`
//! and `\w` are ASCII-only in JavaScript, and the flags are `i` and `m`. Successive matches
//! follow a global `RegExp`'s `lastIndex`, including jsonata-js's error `D1004` for a pattern
//! that matches the empty string and so would never advance.

use super::super::error::JsonataError;
use super::super::value::{Map, Val};
use crate::runtime::{err, Call, Evaluator};
use crate::value::Func;

/// Translates a JavaScript pattern and compiles it.
pub(crate) fn compile(pattern: &str, flags: &str) -> Result<regex::Regex, String> {
    let mut out = String::new();
    if flags.contains('i') {
        out.push_str("(?i)");
    }
    if flags.contains('m') {
        out.push_str("(?m)");
    }
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('w') => out.push_str("[A-Za-z0-9_]"),
            Some('W') => out.push_str("[^A-Za-z0-9_]"),
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push_str("\\\\"),
        }
    }
    regex::Regex::new(&out).map_err(|e| format!("invalid regular expression: {e}"))
}

/// One match: byte offsets into the subject, and the capture groups.
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub groups: Vec<Option<String>>,
}

fn find_at(re: &regex::Regex, s: &str, at: usize) -> Option<Found> {
    let caps = re.captures_at(s, at)?;
    let whole = caps.get(0)?;
    Some(Found {
        start: whole.start(),
        end: whole.end(),
        text: whole.as_str().to_string(),
        groups: caps.iter().skip(1).map(|g| g.map(|m| m.as_str().to_string())).collect(),
    })
}

/// The successive matches of `pattern` in `s`, at most `limit` of them. `pattern` is a regex
/// value, or a function following jsonata-js's matcher protocol: called with the string, it
/// returns `{match, start, end, groups, next}` (offsets in UTF-16 units), where `next()` gives
/// the following match, and "undefined" when there are no more.
pub(crate) fn all_matches<'a>(
    ev: &Evaluator<'a>,
    c: &Call<'a, '_>,
    pattern: &Val<'a>,
    s: &str,
    limit: Option<usize>,
) -> Result<Vec<Found>, JsonataError> {
    let span = c.span;
    let Val::Func(f) = pattern else {
        return Ok(Vec::new());
    };
    let Func::Regex(re) = &**f else {
        return custom_matches(ev, c, pattern, s, limit);
    };
    let mut out = Vec::new();
    let Some(mut current) = find_at(re, s, 0) else {
        return Ok(out);
    };
    loop {
        let last_index = current.end;
        out.push(current);
        if limit.is_some_and(|l| out.len() >= l) || last_index >= s.len() {
            break;
        }
        match find_at(re, s, last_index) {
            None => break,
            Some(next) if next.text.is_empty() => {
                return Err(err("D1004", span, "regular expression matches zero length string"))
            }
            Some(next) => current = next,
        }
    }
    Ok(out)
}

/// The byte offset of the character at UTF-16 offset `at` (the end of `s` past it).
fn byte_offset(s: &str, at: f64) -> usize {
    let mut units = 0.0;
    for (i, ch) in s.char_indices() {
        if units >= at {
            return i;
        }
        units += ch.len_utf16() as f64;
    }
    s.len()
}

fn custom_matches<'a>(
    ev: &Evaluator<'a>,
    c: &Call<'a, '_>,
    matcher: &Val<'a>,
    s: &str,
    limit: Option<usize>,
) -> Result<Vec<Found>, JsonataError> {
    let mut out: Vec<Found> = Vec::new();
    let mut result = ev.apply_callback(matcher, vec![Some(Val::str(s))], None, c.env, c.span)?;
    while let Some(r) = result {
        let Val::Obj(o) = &r else {
            return Err(err(
                "T1010",
                c.span,
                "the matcher function argument does not return the correct object structure",
            ));
        };
        let start = o.get("start").and_then(Val::as_num);
        let next = o.get("next").filter(|n| n.is_function());
        if start.is_none()
            && o.get("end").and_then(Val::as_num).is_none()
            && !o.get("groups").is_some_and(Val::is_array)
            && next.is_none()
        {
            return Err(err(
                "T1010",
                c.span,
                "the matcher function argument does not return the correct object structure",
            ));
        }
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let text = o.get("match").and_then(Val::as_str).unwrap_or("").to_string();
        let start16 = start.unwrap_or(0.0);
        // Offsets never go back, so that the callers' slices stay in order.
        let from = out.last().map_or(0, |m| m.end);
        let begin = byte_offset(s, start16).max(from);
        let end = byte_offset(s, start16 + text.encode_utf16().count() as f64).max(begin);
        let groups = o
            .get("groups")
            .map(|g| g.items().iter().map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        out.push(Found {
            start: begin,
            end,
            text,
            groups,
        });
        result = match next {
            Some(f) => ev.apply_callback(f, Vec::new(), None, c.env, c.span)?,
            None => None,
        };
    }
    Ok(out)
}

/// What calling a regex on a string gives: the first match as `{match, start, end, groups}`.
pub(crate) fn match_object<'a>(re: &regex::Regex, s: &str, at: usize) -> Option<Val<'a>> {
    let m = find_at(re, s, at)?;
    let mut o = Map::new();
    o.insert("match".into(), Val::str(&m.text));
    o.insert("start".into(), Val::Num(s[..m.start].encode_utf16().count() as f64));
    o.insert("end".into(), Val::Num(s[..m.end].encode_utf16().count() as f64));
    o.insert(
        "groups".into(),
        Val::array(
            m.groups
                .iter()
                .map(|g| g.as_deref().map_or(Val::str(""), Val::str))
                .collect(),
        ),
    );
    Some(Val::object(o))
}
