//! The implementations of the 18 intrinsic functions, one function each, wired into the rows
//! of [`super::FUNCTIONS`].
//!
//! Each takes the evaluated arguments (arity is already checked) and returns the value or a
//! message for `States.IntrinsicFailure`. Where the AWS developer guide fixes a behaviour it is
//! followed: numbers given where integers are expected are rounded to the nearest integer, as
//! Java's `Math.round` does (halves go up: 2.5 → 3, −2.5 → −2); `States.ArrayRange` makes at
//! most 1 000 elements; `States.Base64Encode`, `Base64Decode` and `Hash` take at most 10 000
//! characters; `States.JsonMerge` only merges shallowly. `States.Format` renders values as
//! Step Functions' Java runtime prints them: strings as they are, objects as `{a=1, b=[]}`.

use serde_json::{Map, Value};

use super::eval::{Args, Entropy};
use super::TemplatePiece;
use crate::expr::codec;

/// The most elements `States.ArrayRange` may produce.
const MAX_RANGE: i128 = 1000;
/// The most characters `States.Base64Encode`, `Base64Decode` and `Hash` accept.
const MAX_CHARS: usize = 10_000;

/// How a value is named in messages: its type and, when short, the value itself.
fn describe(value: &Value) -> String {
    let text = value.to_string();
    let kind = match value {
        Value::Null => return "null".to_string(),
        Value::Bool(_) => "the boolean",
        Value::Number(_) => "the number",
        Value::String(_) => "the string",
        Value::Array(_) => "the array",
        Value::Object(_) => "the object",
    };
    if text.chars().count() <= 40 {
        format!("{kind} {text}")
    } else {
        kind.trim_start_matches("the ").to_string()
    }
}

fn ordinal(index: usize) -> &'static str {
    ["first", "second", "third"].get(index).copied().unwrap_or("next")
}

fn string<'v>(args: &'v Args, index: usize) -> Result<&'v str, String> {
    match &args.values[index] {
        Value::String(s) => Ok(s),
        other => Err(format!(
            "the {} argument must be a string, but it is {}",
            ordinal(index),
            describe(other)
        )),
    }
}

fn array<'v>(args: &'v Args, index: usize) -> Result<&'v Vec<Value>, String> {
    match &args.values[index] {
        Value::Array(items) => Ok(items),
        other => Err(format!(
            "the {} argument must be an array, but it is {}",
            ordinal(index),
            describe(other)
        )),
    }
}

fn object<'v>(args: &'v Args, index: usize) -> Result<&'v Map<String, Value>, String> {
    match &args.values[index] {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "the {} argument must be a JSON object, but it is {}",
            ordinal(index),
            describe(other)
        )),
    }
}

/// Argument `index` as an integer, a fractional number rounded as Step Functions rounds it.
fn integer(args: &Args, index: usize) -> Result<i64, String> {
    let value = &args.values[index];
    let number = match value {
        Value::Number(n) => n,
        other => {
            return Err(format!(
                "the {} argument must be an integer, but it is {}",
                ordinal(index),
                describe(other)
            ))
        }
    };
    if let Some(i) = number.as_i64() {
        return Ok(i);
    }
    match number.as_f64().map(java_round) {
        Some(Some(i)) => Ok(i),
        _ => Err(format!(
            "the {} argument, {number}, is out of the integer range",
            ordinal(index)
        )),
    }
}

/// Java's `Math.round`: the nearest integer, halves rounded up (towards positive infinity).
pub fn java_round(x: f64) -> Option<i64> {
    let floor = x.floor();
    let rounded = if x - floor >= 0.5 { floor + 1.0 } else { floor };
    // 2^63 is the first double past i64::MAX; NaN is in no range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (-LIMIT..LIMIT).contains(&rounded).then_some(rounded as i64)
}

/// The length of a string as Java counts it (UTF-16 code units), for the documented limits.
fn java_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn check_length(s: &str) -> Result<(), String> {
    let len = java_len(s);
    if len > MAX_CHARS {
        Err(format!(
            "the input has {len} characters; at most {MAX_CHARS} are allowed"
        ))
    } else {
        Ok(())
    }
}

/// How `States.Format` prints a value: strings as they are, other scalars as JSON, arrays and
/// objects as Java's collections print themselves (`[a, b]`, `{k=v, k2=v2}`).
pub fn java_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(java_text).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}={}", java_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// A template that came from the data rather than the definition: `{}` is a placeholder and
/// nothing is escaped.
fn runtime_template(s: &str) -> Vec<TemplatePiece> {
    let mut pieces = Vec::new();
    for (i, text) in s.split("{}").enumerate() {
        if i > 0 {
            pieces.push(TemplatePiece::Placeholder);
        }
        if !text.is_empty() {
            pieces.push(TemplatePiece::Text(text.to_string()));
        }
    }
    pieces
}

pub fn format(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let pieces = match args.literal(0) {
        Some(literal) => literal.template(),
        None => runtime_template(string(args, 0)?),
    };
    let values = &args.values[1..];
    let placeholders = pieces.iter().filter(|p| **p == TemplatePiece::Placeholder).count();
    if placeholders != values.len() {
        return Err(format!(
            "the format string has {placeholders} placeholder{} but {} value{} follow{} it",
            if placeholders == 1 { "" } else { "s" },
            values.len(),
            if values.len() == 1 { "" } else { "s" },
            if values.len() == 1 { "s" } else { "" },
        ));
    }
    let mut values = values.iter();
    let mut out = String::new();
    for piece in pieces {
        match piece {
            TemplatePiece::Text(text) => out.push_str(&text),
            TemplatePiece::Placeholder => out.extend(values.next().map(java_text)),
        }
    }
    Ok(Value::String(out))
}

pub fn string_to_json(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let text = string(args, 0)?;
    // Step Functions reads a blank string as JSON null.
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("the string is not valid JSON: {e}"))
}

pub fn json_to_string(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    Ok(Value::String(args.values[0].to_string()))
}

pub fn array_of(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    Ok(Value::Array(args.values.clone()))
}

pub fn array_partition(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let items = array(args, 0)?;
    let size = integer(args, 1)?;
    let Some(size) = usize::try_from(size).ok().filter(|&s| s > 0) else {
        return Err(format!("the chunk size must be a positive integer, but it is {size}"));
    };
    Ok(Value::Array(
        items.chunks(size).map(|c| Value::Array(c.to_vec())).collect(),
    ))
}

pub fn array_contains(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    Ok(Value::Bool(array(args, 0)?.contains(&args.values[1])))
}

pub fn array_range(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let (start, end, step) = (integer(args, 0)?, integer(args, 1)?, integer(args, 2)?);
    if step == 0 {
        return Err("the step must not be 0".to_string());
    }
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (end - start) / step + 1
    };
    if count > MAX_RANGE {
        return Err(format!(
            "the range has {count} elements; at most {MAX_RANGE} are allowed"
        ));
    }
    Ok(Value::Array(
        (0..count).map(|i| Value::from((start + i * step) as i64)).collect(),
    ))
}

pub fn array_get_item(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let items = array(args, 0)?;
    let index = match &args.values[1] {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    };
    let Some(index) = index else {
        return Err(format!(
            "the index must be an integer, but it is {}",
            describe(&args.values[1])
        ));
    };
    usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| {
            format!(
                "the index {index} is out of bounds for an array of {} elements",
                items.len()
            )
        })
}

pub fn array_length(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    Ok(Value::from(array(args, 0)?.len()))
}

/// The items in first-seen order, each once. Items are compared through a canonical text
/// (object keys sorted, as JSON equality ignores their order), in a hash set: comparing each
/// item with every one kept was quadratic.
pub fn array_unique(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let items = array(args, 0)?;
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    let mut unique: Vec<Value> = Vec::new();
    for item in items {
        let mut key = String::new();
        canonical(item, &mut key);
        if seen.insert(key) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

/// A text equal for two values exactly when the values are equal (`serde_json`'s equality).
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for v in items {
                canonical(v, out);
                out.push(',');
            }
            out.push(']');
        }
        // -0.0 equals 0.0.
        Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => out.push_str("0.0"),
        other => out.push_str(&other.to_string()),
    }
}

pub fn base64_encode(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let text = string(args, 0)?;
    check_length(text)?;
    Ok(Value::String(codec::base64_encode(text.as_bytes())))
}

pub fn base64_decode(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let text = string(args, 0)?;
    check_length(text)?;
    let bytes = codec::base64_decode(text)?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| "the decoded data is not UTF-8 text".to_string())
}

pub fn hash(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let data = string(args, 0)?;
    check_length(data)?;
    let bytes = data.as_bytes();
    let algorithm = string(args, 1)?;
    let digest = codec::digest(algorithm, bytes).ok_or_else(|| {
        format!("the algorithm '{algorithm}' is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512")
    })?;
    Ok(Value::String(digest))
}

pub fn json_merge(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let (first, second) = (object(args, 0)?, object(args, 1)?);
    match &args.values[2] {
        Value::Bool(false) => {}
        Value::Bool(true) => return Err("deep merging is not supported: the third argument must be false".to_string()),
        other => {
            return Err(format!(
                "the third argument must be the boolean false, but it is {}",
                describe(other)
            ))
        }
    }
    let mut merged = first.clone();
    for (key, value) in second {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

pub fn math_random(args: &Args, entropy: &mut dyn Entropy) -> Result<Value, String> {
    let (start, end) = (integer(args, 0)?, integer(args, 1)?);
    if end <= start {
        return Err(format!("the end ({end}) must be greater than the start ({start})"));
    }
    let range = (i128::from(end) - i128::from(start)) as u128;
    let offset = match args.values.get(2) {
        Some(_) => JavaRandom::new(integer(args, 2)?).below(range),
        None => u128::from(entropy.next_u64()) % range,
    };
    Ok(Value::from((i128::from(start) + offset as i128) as i64))
}

pub fn math_add(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let mut sum = 0i64;
    for index in 0..2 {
        let n = integer(args, index)?;
        if i32::try_from(n).is_err() {
            return Err(format!(
                "the {} argument, {n}, is outside the range -2147483648 to 2147483647",
                ordinal(index)
            ));
        }
        sum += n;
    }
    Ok(Value::from(sum))
}

pub fn string_split(args: &Args, _: &mut dyn Entropy) -> Result<Value, String> {
    let (text, delimiters) = (string(args, 0)?, string(args, 1)?);
    Ok(Value::Array(
        text.split(|c| delimiters.contains(c))
            .filter(|part| !part.is_empty())
            .map(|part| Value::String(part.to_string()))
            .collect(),
    ))
}

pub fn uuid(_: &Args, entropy: &mut dyn Entropy) -> Result<Value, String> {
    Ok(Value::String(entropy.uuid()))
}

/// `java.util.Random`, so that a seeded `States.MathRandom` gives a fixed number per seed,
/// as the guide promises, and plausibly the number a Java runtime would give.
struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_deec_e66d;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> JavaRandom {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xb)) & Self::MASK;
        (self.seed >> (48 - bits)) as i64 as i32
    }

    /// `nextInt(bound)` for bounds that fit an `int`, `nextLong() mod bound` beyond.
    fn below(&mut self, bound: u128) -> u128 {
        let Ok(bound32) = i32::try_from(bound) else {
            let high = i64::from(self.next(32)) << 32;
            let long = high.wrapping_add(i64::from(self.next(32)));
            return u128::from(long as u64) % bound;
        };
        if bound32 & -bound32 == bound32 {
            return ((i64::from(bound32) * i64::from(self.next(31))) >> 31) as u128;
        }
        loop {
            let bits = self.next(31);
            let value = bits % bound32;
            // Java's rejection test, which relies on `int` overflow.
            if bits.wrapping_sub(value).wrapping_add(bound32 - 1) >= 0 {
                return value as u128;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_random_matches_the_jdk() {
        // `new Random(42).nextInt()` and `new Random(0).nextInt()` in any JDK.
        assert_eq!(JavaRandom::new(42).next(32), -1170105035);
        assert_eq!(JavaRandom::new(0).next(32), -1155484576);
    }

    #[test]
    fn java_rounding() {
        let rows = [
            (0.5, 1),
            (1.5, 2),
            (2.5, 3),
            (-0.5, 0),
            (-1.5, -1),
            (-2.5, -2),
            (1.49, 1),
            (-1.51, -2),
        ];
        for (x, rounded) in rows {
            assert_eq!(java_round(x), Some(rounded), "{x}");
        }
        assert_eq!(java_round(f64::NAN), None);
        assert_eq!(java_round(1e300), None);
    }
}
