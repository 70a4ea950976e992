//! Checking a call's arguments against a function signature, as jsonata-js does.
//!
//! jsonata-js turns a signature into a regular expression over one letter per argument
//! (`s` string, `n` number, `b` boolean, `l` null, `a` array, `o` object, `f` function, `m`
//! missing) and matches the call's letters against it: `T0410` when they do not match, `T0411`
//! when the context stands in for a missing argument of the wrong type, `T0412` when an array's
//! items are not of the declared type. Matched groups then say which argument fills which
//! parameter: a missing `-` argument takes the context, a non-array passed where an array is
//! expected becomes an array of one. The patterns are simple enough (one character class per
//! parameter, with `?` or `+`) that a small backtracking matcher replaces the regex engine.

use super::error::JsonataError;
use super::signature::{Param, Signature};
use super::value::Val;
use crate::error::err;
use aslkit_base::Span;

/// A compiled signature.
pub(crate) struct Validator {
    params: Vec<Compiled>,
}

struct Compiled {
    param: Param,
    /// The letters this parameter accepts.
    class: String,
    /// `?` (also implied by `-`).
    optional: bool,
    repeated: bool,
}

fn class_of(p: &Param) -> String {
    match p.symbol.as_str() {
        "a" | "x" => "asnblfom".into(),
        "f" => "f".into(),
        "j" => "asnblom".into(),
        s if s.starts_with('(') => format!("{}m", s.trim_start_matches('(').trim_end_matches(')')),
        s => format!("{s}m"),
    }
}

impl Validator {
    pub(crate) fn new(sig: &Signature) -> Validator {
        Validator {
            params: sig
                .params
                .iter()
                .map(|p| Compiled {
                    class: class_of(p),
                    optional: p.optional || p.use_context,
                    repeated: p.repeated,
                    param: p.clone(),
                })
                .collect(),
        }
    }

    /// Matches `letters` from parameter `pi` on; returns each parameter's match length.
    fn matches(&self, letters: &[char], pi: usize, at: usize, out: &mut Vec<usize>) -> bool {
        let Some(p) = self.params.get(pi) else {
            return at == letters.len();
        };
        let mut max = 0;
        while at + max < letters.len() && p.class.contains(letters[at + max]) {
            max += 1;
            if !p.repeated {
                break;
            }
        }
        let min = if p.optional { 0 } else { 1 };
        let mut n = max;
        loop {
            if n < min {
                return false;
            }
            out.push(n);
            if self.matches(letters, pi + 1, at + n, out) {
                return true;
            }
            out.pop();
            if n == 0 {
                return false;
            }
            n -= 1;
        }
    }

    /// How many letters the parameters up to `pi` can take as a prefix (for the error's index).
    fn good_to(&self, letters: &[char]) -> usize {
        let mut at = 0;
        for p in &self.params {
            let mut n = 0;
            while at + n < letters.len() && p.class.contains(letters[at + n]) {
                n += 1;
                if !p.repeated {
                    break;
                }
            }
            if n == 0 && !p.optional {
                return at;
            }
            at += n;
        }
        at
    }

    /// Validates `args` (the context is `input`) and returns the arguments the function gets.
    pub(crate) fn validate<'a>(
        &self,
        args: Vec<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        span: Span,
    ) -> Result<Vec<Option<Val<'a>>>, JsonataError> {
        let letters: Vec<char> = args.iter().map(|a| a.as_ref().map_or('m', Val::symbol)).collect();
        let mut lens = Vec::new();
        if !self.matches(&letters, 0, 0, &mut lens) {
            let at = self.good_to(&letters);
            return Err(err(
                "T0410",
                span,
                format!("argument {} of function does not match function signature", at + 1),
            ));
        }
        let mut out = Vec::with_capacity(args.len());
        let mut index = 0;
        for (p, len) in self.params.iter().zip(lens) {
            if len == 0 {
                if p.param.use_context {
                    let symbol = input.map_or('m', Val::symbol);
                    if p.class.contains(symbol) {
                        out.push(input.cloned());
                    } else {
                        return Err(err(
                            "T0411",
                            span,
                            format!(
                                "context value is not a compatible type with argument {} of function",
                                index + 1
                            ),
                        ));
                    }
                } else {
                    out.push(args.get(index).cloned().flatten());
                    index += 1;
                }
                continue;
            }
            for _ in 0..len {
                let arg = args.get(index).cloned().flatten();
                let single = letters[index];
                if p.param.symbol == "a" {
                    if single == 'm' {
                        out.push(None);
                        index += 1;
                        continue;
                    }
                    let mut ok = true;
                    if let Some(sub) = &p.param.subtype {
                        if single != 'a' {
                            ok = sub.len() == 1 && sub.starts_with(single);
                        } else if let Some(Val::Arr(items, _)) = &arg {
                            if let Some(first) = items.first() {
                                let t = first.symbol();
                                ok = sub.starts_with(t) && items.iter().all(|i| i.symbol() == t);
                            }
                        }
                    }
                    if !ok {
                        return Err(err(
                            "T0412",
                            span,
                            format!(
                                "argument {} of function must be an array of {}",
                                index + 1,
                                type_name(p.param.subtype.as_deref().unwrap_or(""))
                            ),
                        ));
                    }
                    out.push(match arg {
                        Some(v) if single != 'a' => Some(Val::array(vec![v])),
                        other => other,
                    });
                } else {
                    out.push(arg);
                }
                index += 1;
            }
        }
        Ok(out)
    }
}

fn type_name(sub: &str) -> &'static str {
    match sub {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => "values",
    }
}
