//! Evaluating JSONPath Choice rules: every comparison operator of
//! [`crate::model::choice::OPERATORS`], their `…Path` variants, the type tests and
//! `And`/`Or`/`Not`.
//!
//! A comparison whose variable has the wrong type is simply false (`StringEquals` on a
//! number); only a `Variable` path that matches nothing is an error (`States.Runtime`), except
//! for `IsPresent`, which exists to ask exactly that.

use serde_json::Value;

use super::context::nanos_of;
use super::io::{read_path, IoError, PathScope};
use crate::expr::jsonpath::eval::PathError;
use crate::model::choice::{operator, Operand};
use crate::model::timestamp;

/// Whether `rule` holds for `input`.
pub fn holds(rule: &Value, input: &Value, scope: &PathScope) -> Result<bool, IoError> {
    if let Some(rules) = rule.get("And").and_then(Value::as_array) {
        for r in rules {
            if !holds(r, input, scope)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(rules) = rule.get("Or").and_then(Value::as_array) {
        for r in rules {
            if holds(r, input, scope)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(inner) = rule.get("Not") {
        return Ok(!holds(inner, input, scope)?);
    }
    let Some(object) = rule.as_object() else {
        return Ok(false);
    };
    let Some((name, expected)) = object.iter().find(|(k, _)| operator(k).is_some()) else {
        return Ok(false);
    };
    let Some(op) = operator(name) else {
        return Ok(false);
    };
    let variable = object.get("Variable").and_then(Value::as_str).unwrap_or("$");
    let value = match read_path(variable, input, scope) {
        Ok(v) => Some(v),
        Err(PathError::NotFound { .. }) => None,
        Err(e) => return Err(("States.Runtime".into(), e.cause_for_field(variable))),
    };
    if name == "IsPresent" {
        return Ok(value.is_some() == (expected.as_bool() == Some(true)));
    }
    let Some(value) = value else {
        return Err((
            "States.Runtime".into(),
            format!("Invalid path '{variable}': The choice state's condition path references an invalid value."),
        ));
    };
    if op.operand == Operand::TypeTest {
        let want = expected.as_bool() == Some(true);
        let is = match name.as_str() {
            "IsNull" => value.is_null(),
            "IsNumeric" => value.is_number(),
            "IsString" => value.is_string(),
            "IsBoolean" => value.is_boolean(),
            "IsTimestamp" => value.as_str().is_some_and(|s| timestamp::parse(s).is_ok()),
            _ => false,
        };
        return Ok(is == want);
    }
    let (base, expected) = if op.operand == Operand::Path {
        let path = expected.as_str().unwrap_or("$");
        let other =
            read_path(path, input, scope).map_err(|e| ("States.Runtime".to_string(), e.cause_for_field(path)))?;
        (name.trim_end_matches("Path"), other)
    } else {
        (name.as_str(), expected.clone())
    };
    Ok(compare(base, &value, &expected))
}

/// Applies a non-path comparison operator (`StringEquals`, `NumericLessThan`, …).
pub fn compare(op: &str, value: &Value, expected: &Value) -> bool {
    use std::cmp::Ordering::*;
    let test = |ordering: Option<std::cmp::Ordering>, suffix: &str| {
        let Some(o) = ordering else { return false };
        match suffix {
            "Equals" => o == Equal,
            "LessThan" => o == Less,
            "GreaterThan" => o == Greater,
            "LessThanEquals" => o != Greater,
            "GreaterThanEquals" => o != Less,
            _ => false,
        }
    };
    if op == "StringMatches" {
        return match (value.as_str(), expected.as_str()) {
            (Some(v), Some(p)) => wildcard_match(p, v),
            _ => false,
        };
    }
    if let Some(suffix) = op.strip_prefix("String") {
        let ordering = match (value.as_str(), expected.as_str()) {
            (Some(a), Some(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
            _ => None,
        };
        return test(ordering, suffix);
    }
    if let Some(suffix) = op.strip_prefix("Numeric") {
        let ordering = match (value.as_f64(), expected.as_f64()) {
            (Some(a), Some(b)) if value.is_number() && expected.is_number() => a.partial_cmp(&b),
            _ => None,
        };
        return test(ordering, suffix);
    }
    if op == "BooleanEquals" {
        return matches!((value.as_bool(), expected.as_bool()), (Some(a), Some(b)) if a == b);
    }
    if let Some(suffix) = op.strip_prefix("Timestamp") {
        let instant = |v: &Value| v.as_str().and_then(|s| timestamp::parse(s).ok()).map(|t| nanos_of(&t));
        let ordering = match (instant(value), instant(expected)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        };
        return test(ordering, suffix);
    }
    false
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => toks.push(Tok::Char(n)),
                None => toks.push(Tok::Char('\\')),
            },
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic greedy matching with backtracking to the last star.
    let (mut p, mut t, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Star) => {
                star = Some(p);
                mark = t;
                p += 1;
            }
            _ => match star {
                Some(s) => {
                    p = s + 1;
                    mark += 1;
                    t = mark;
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    fn check(rule: Value, input: Value) -> Result<bool, IoError> {
        let vars = Map::new();
        let ctx = Value::Null;
        holds(
            &rule,
            &input,
            &PathScope {
                context_object: &ctx,
                variables: &vars,
            },
        )
    }

    #[test]
    fn operators() {
        let input = json!({"n": 5, "s": "log-2024.txt", "t": "2024-01-01T00:00:00Z", "m": 5.0, "b": true});
        assert!(check(json!({"Variable": "$.n", "NumericGreaterThan": 4}), input.clone()).unwrap());
        assert!(check(json!({"Variable": "$.n", "NumericEqualsPath": "$.m"}), input.clone()).unwrap());
        assert!(!check(json!({"Variable": "$.s", "NumericEquals": 5}), input.clone()).unwrap());
        assert!(check(json!({"Variable": "$.s", "StringMatches": "log-*.txt"}), input.clone()).unwrap());
        assert!(check(
            json!({"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:01Z"}),
            input.clone()
        )
        .unwrap());
        assert!(check(json!({"Variable": "$.x", "IsPresent": false}), input.clone()).unwrap());
        assert!(check(
            json!({"Not": {"Variable": "$.b", "BooleanEquals": false}}),
            input.clone()
        )
        .unwrap());
        assert!(check(
            json!({"And": [{"Variable": "$.t", "IsTimestamp": true}, {"Variable": "$.n", "IsNumeric": true}]}),
            input.clone()
        )
        .unwrap());
        assert!(check(json!({"Variable": "$.x", "IsNull": true}), input).is_err());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.log", "a.log"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b", "acb c"));
        assert!(wildcard_match(r"a\*", "a*"));
        assert!(!wildcard_match(r"a\*", "ab"));
        assert!(wildcard_match("*", ""));
    }
}
