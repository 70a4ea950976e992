//! JSON Pointers (RFC 6901): the one set of helpers every layer uses to build, split and resolve
//! them. Pointers are plain `String`s from the root of the *file*, so a finding in a definition
//! nested in a template points at the right place; `""` is the root.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    // This runs for every pointer made, mostly on short names: a plain pass over a short token
    // costs less than memchr's set-up; memchr looks at a long one many bytes at a time.
    let bytes = token.as_bytes();
    let special = if bytes.len() <= 32 {
        bytes.iter().fold(false, |found, &b| found | (b == b'~') | (b == b'/'))
    } else {
        memchr::memchr2(b'~', b'/', bytes).is_some()
    };
    if special {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undoes the escaping of one reference token.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends an escaped reference token to a pointer.
pub fn child(pointer: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut s = String::with_capacity(pointer.len() + token.len() + 1);
    s.push_str(pointer);
    s.push('/');
    s.push_str(&token);
    s
}

/// The unescaped reference tokens of a pointer (none for the root).
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(unescape_token).collect()
}

/// Whether `pointer` is `ancestor` or lies under it (`/a/b` is under `/a`, `/ab` is not).
pub fn is_same_or_under(pointer: &str, ancestor: &str) -> bool {
    pointer == ancestor || (pointer.starts_with(ancestor) && pointer.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

/// Resolves a pointer in a value.
pub fn lookup<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        Some(value)
    } else {
        value.pointer(pointer)
    }
}

/// Calls `f(object, key, value, pointer)` for every member of every object in `value`, at any
/// depth, arrays included.
pub fn for_each_member<'a>(
    value: &'a Value,
    pointer: &str,
    f: &mut impl FnMut(&'a Map<String, Value>, &'a str, &'a Value, &str),
) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                let p = child(pointer, key);
                f(object, key, v, &p);
                for_each_member(v, &p, f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for_each_member(v, &child(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

/// [`for_each_member`] without the pointers: `f(object, key, value)` for every member of every
/// object in `value`, at any depth, arrays included, in the same order. For the walks that need
/// a member's pointer only when they report it ([`member_pointer`]).
pub fn for_each_member_value<'a>(value: &'a Value, f: &mut impl FnMut(&'a Map<String, Value>, &'a str, &'a Value)) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                f(object, key, v);
                for_each_member_value(v, f);
            }
        }
        Value::Array(items) => {
            for v in items {
                for_each_member_value(v, f);
            }
        }
        _ => {}
    }
}

/// The pointer [`for_each_member`] gives the member whose value is `target` (the same node, by
/// address) inside `value`, found at `pointer`; `None` when `target` is not a member's value.
pub fn member_pointer(value: &Value, pointer: &str, target: &Value) -> Option<String> {
    match value {
        Value::Object(object) => member_pointer_in(object, pointer, target),
        _ => member_pointer_from(value, pointer, target),
    }
}

/// [`member_pointer`] inside an object given as a map.
pub fn member_pointer_in(object: &Map<String, Value>, pointer: &str, target: &Value) -> Option<String> {
    for (key, v) in object {
        if std::ptr::eq(v, target) {
            return Some(child(pointer, key));
        }
        if let Some(found) = member_pointer_from(v, &child(pointer, key), target) {
            return Some(found);
        }
    }
    None
}

/// [`member_pointer`] below `value` (not `value` itself).
fn member_pointer_from(value: &Value, pointer: &str, target: &Value) -> Option<String> {
    /// The tokens from `value` down to `target`, innermost first.
    fn trail<'v>(value: &'v Value, target: &Value, out: &mut Vec<Cow<'v, str>>) -> bool {
        match value {
            Value::Object(object) => {
                for (key, v) in object {
                    if std::ptr::eq(v, target) || trail(v, target, out) {
                        out.push(Cow::Borrowed(key));
                        return true;
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if trail(v, target, out) {
                        out.push(Cow::Owned(i.to_string()));
                        return true;
                    }
                }
            }
            _ => {}
        }
        false
    }
    let mut tokens = Vec::new();
    if !trail(value, target, &mut tokens) {
        return None;
    }
    let mut out = pointer.to_string();
    for token in tokens.iter().rev() {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    Some(out)
}

/// Calls `f(string, pointer)` for every string in `value`, at any depth (keys excluded).
pub fn for_each_string<'a>(value: &'a Value, pointer: &str, f: &mut impl FnMut(&'a str, &str)) {
    match value {
        Value::String(s) => f(s, pointer),
        Value::Object(object) => {
            for (key, v) in object {
                for_each_string(v, &child(pointer, key), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for_each_string(v, &child(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_escaping() {
        let pointer = child(&child("", "a/b"), "c~d");
        assert_eq!(pointer, "/a~1b/c~0d");
        assert_eq!(tokens(&pointer), ["a/b", "c~d"]);
        assert!(tokens("").is_empty());
    }

    #[test]
    fn member_pointers_are_those_the_walk_gives() {
        let value = serde_json::json!({"a/b": [{"c": {"d~": 1}}, 2], "e": {"f": [[{"g": true}]]}});
        let mut walked = Vec::new();
        for_each_member(&value, "/T", &mut |_, _, v, p| {
            walked.push((v as *const Value, p.to_string()))
        });
        let mut found = Vec::new();
        for_each_member_value(&value, &mut |_, _, v| {
            found.push((v as *const Value, member_pointer(&value, "/T", v).unwrap_or_default()))
        });
        assert_eq!(walked.len(), 6);
        assert_eq!(found, walked);
        assert_eq!(member_pointer(&value, "/T", &value), None);
    }

    #[test]
    fn under_means_on_a_token_boundary() {
        assert!(is_same_or_under("/a/b", "/a"));
        assert!(is_same_or_under("/a", "/a"));
        assert!(!is_same_or_under("/ab", "/a"));
        assert!(is_same_or_under("/a", ""));
    }

    #[test]
    fn lookup_of_the_root_is_the_value() {
        let value = serde_json::json!({"a/b": [1, 2]});
        assert_eq!(lookup(&value, ""), Some(&value));
        assert_eq!(lookup(&value, "/a~1b/1"), Some(&serde_json::json!(2)));
        assert_eq!(lookup(&value, "/x"), None);
    }
}
