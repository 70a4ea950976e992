//! Evaluating JSONPath Choice rules: every comparison operator of
//! [`crate::model::choice::OPERATORS`], their `…Path` variants, the type tests and
//! `And`/`Or`/`Not`.
//!
//! A comparison whose variable has the wrong type is simply false (`StringEquals` on a
//! number); only a `Variable` path that matches nothing is an error (`States.Runtime`), except
//! for `IsPresent`, which exists to ask exactly that.

use serde_json::Value;

use super::context::nanos_of;
use super::errors::names;
use super::io::{read_path, IoError, PathScope};
use crate::expr::jsonpath::eval::PathError;
use crate::model::choice::{Comparison, Family, Kind, Test, TypeTest};
use crate::model::timestamp;

/// Whether the JSONPath choice rule `rule` holds for `input`.
pub fn holds(rule: &Value, input: &Value, scope: &PathScope) -> Result<bool, IoError> {
    evaluate(&Test::of(rule), input, scope)
}

/// Whether a rule's test holds: `And` and `Or` stop at the first rule that decides them.
pub fn evaluate(test: &Test, input: &Value, scope: &PathScope) -> Result<bool, IoError> {
    match test {
        Test::And(tests) => {
            for t in tests {
                if !evaluate(t, input, scope)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Test::Or(tests) => {
            for t in tests {
                if evaluate(t, input, scope)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Test::Not(inner) => Ok(!evaluate(inner, input, scope)?),
        Test::Compare(comparison) => compare_at(comparison, input, scope),
        Test::Malformed => Ok(false),
    }
}

/// One comparison: reads `Variable` (default `$`) and, for `…Path` operators, the operand.
fn compare_at(comparison: &Comparison, input: &Value, scope: &PathScope) -> Result<bool, IoError> {
    let variable = comparison.variable.unwrap_or("$");
    let expected = comparison.operand;
    let value = match read_path(variable, input, scope) {
        Ok(v) => Some(v),
        Err(PathError::NotFound { .. }) => None,
        Err(e) => return Err(IoError::new(names::RUNTIME, e.cause_for_field(variable))),
    };
    let kind = comparison.operator.kind();
    if kind == Kind::Type(TypeTest::Present) {
        return Ok(value.is_some() == (expected.as_bool() == Some(true)));
    }
    let Some(value) = value else {
        return Err(IoError::new(
            names::RUNTIME,
            format!("Invalid path '{variable}': The choice state's condition path references an invalid value."),
        ));
    };
    if let Kind::Type(test) = kind {
        let want = expected.as_bool() == Some(true);
        let is = match test {
            TypeTest::Null => value.is_null(),
            TypeTest::Numeric => value.is_number(),
            TypeTest::String => value.is_string(),
            TypeTest::Boolean => value.is_boolean(),
            TypeTest::Timestamp => value.as_str().is_some_and(|s| timestamp::parse(s).is_ok()),
            TypeTest::Present => false,
        };
        return Ok(is == want);
    }
    if comparison.operator.reads_path() {
        let path = expected.as_str().unwrap_or("$");
        let other = read_path(path, input, scope).map_err(|e| IoError::new(names::RUNTIME, e.cause_for_field(path)))?;
        return Ok(compare(kind, &value, &other));
    }
    Ok(compare(kind, &value, expected))
}

/// Applies a comparison (`StringEquals`, `NumericLessThan`, …) to a value and its operand. A
/// value or operand of the wrong type makes the comparison false.
pub fn compare(kind: Kind, value: &Value, expected: &Value) -> bool {
    let (family, relation) = match kind {
        Kind::Matches => {
            return match (value.as_str(), expected.as_str()) {
                (Some(v), Some(p)) => wildcard_match(p, v),
                _ => false,
            }
        }
        Kind::Type(_) => return false,
        Kind::Compare(family, relation) => (family, relation),
    };
    let ordering = match family {
        Family::String => match (value.as_str(), expected.as_str()) {
            (Some(a), Some(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
            _ => None,
        },
        Family::Numeric => match (value.as_f64(), expected.as_f64()) {
            (Some(a), Some(b)) if value.is_number() && expected.is_number() => a.partial_cmp(&b),
            _ => None,
        },
        Family::Boolean => {
            return matches!((value.as_bool(), expected.as_bool()), (Some(a), Some(b)) if a == b);
        }
        Family::Timestamp => {
            let instant = |v: &Value| v.as_str().and_then(|s| timestamp::parse(s).ok()).map(|t| nanos_of(&t));
            match (instant(value), instant(expected)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => None,
            }
        }
    };
    ordering.is_some_and(|o| relation.holds(o))
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
