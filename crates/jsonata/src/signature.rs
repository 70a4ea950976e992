//! Function signatures: the `<n-n:n>` after a lambda's parameters.
//!
//! A signature lists one symbol per parameter: `s` string, `n` number, `b` boolean, `l` null,
//! `o` object, `a` array, `f` function, `j` any JSON value, `x` anything, `(sn)` a choice. `-`
//! after a parameter means "use the context when the argument is missing", `?` optional, `+`
//! one or more; `a<n>` and `f<n:n>` give element and function types. The return type after `:`
//! is ignored, as jsonata-js ignores it. Parsing follows jsonata-js: unknown characters are
//! skipped, and only the two errors it raises are errors here.

use super::error::JsonataError;
use aslkit_base::Span;

/// A parsed signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The signature as written, without whitespace, `<` and `>` included.
    pub definition: String,
    pub params: Vec<Param>,
}

/// One parameter of a signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Param {
    /// The type symbol (`s`, `n`, `b`, `l`, `o`, `a`, `f`, `j`, `x`), or `(…)` for a choice.
    pub symbol: String,
    /// `a<n>`, `f<s:n>`: the text between the angle brackets.
    pub subtype: Option<String>,
    /// `-`: the context value stands in for a missing argument.
    pub use_context: bool,
    /// `?`: may be omitted.
    pub optional: bool,
    /// `+`: one or more arguments.
    pub repeated: bool,
}

/// Parses a signature; errors carry the offset of the offending character in `sig` as their
/// span (the caller moves it to the expression).
pub(crate) fn parse(sig: &str) -> Result<Signature, JsonataError> {
    let chars: Vec<char> = sig.chars().collect();
    let mut params: Vec<Param> = Vec::new();
    // The parameter being written before its type symbol arrives; modifiers seen before any
    // parameter land here, as in jsonata-js.
    let mut pending = Param::default();
    let mut position = 1;
    while position < chars.len() {
        let symbol = chars[position];
        let prev = match params.last_mut() {
            Some(p) => p,
            None => &mut pending,
        };
        match symbol {
            ':' => break,
            's' | 'n' | 'b' | 'l' | 'o' | 'a' | 'f' | 'j' | 'x' => {
                let mut p = std::mem::take(&mut pending);
                p.symbol = symbol.to_string();
                params.push(p);
            }
            '-' => {
                prev.use_context = true;
                prev.optional = true;
            }
            '?' => prev.optional = true,
            '+' => prev.repeated = true,
            '(' => {
                let end = closing(&chars, position, '(', ')');
                let choice: String = chars[position + 1..end.min(chars.len())].iter().collect();
                if choice.contains('<') {
                    return Err(JsonataError::new(
                        "S0402",
                        Span::point(position),
                        "choice groups containing parameterized types are not supported",
                    )
                    .with_token(choice));
                }
                let mut p = std::mem::take(&mut pending);
                p.symbol = format!("({choice})");
                params.push(p);
                position = end;
            }
            '<' => {
                let applies = params.last().is_some_and(|p| p.symbol == "a" || p.symbol == "f");
                match params.last_mut() {
                    Some(p) if applies => {
                        let end = closing(&chars, position, '<', '>');
                        p.subtype = Some(chars[position + 1..end.min(chars.len())].iter().collect());
                        position = end;
                    }
                    last => {
                        let of = last.map_or(String::new(), |p| p.symbol.clone());
                        return Err(JsonataError::new(
                            "S0401",
                            Span::point(position),
                            "type parameters can only be applied to functions and arrays",
                        )
                        .with_token(of));
                    }
                }
            }
            _ => {}
        }
        position += 1;
    }
    Ok(Signature {
        definition: sig.to_string(),
        params,
    })
}

/// Index of the bracket closing the one at `start` (or the length when there is none).
fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut position = start;
    while position < chars.len() {
        position += 1;
        match chars.get(position) {
            Some(&c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(&c) if c == open => depth += 1,
            _ => {}
        }
    }
    position
}
