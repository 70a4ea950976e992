//! Evaluating intrinsic calls: `States.Format('Hello, {}', $.name)` → `"Hello, Arnav"`.
//!
//! A call is evaluated inside out: literal arguments are taken as written, path arguments are
//! evaluated with [`jsonpath::evaluate`] against the same [`Context`], nested calls first; then
//! the function's row in [`super::FUNCTIONS`] runs on the values (the implementations are in
//! [`super::builtins`]). The two functions that are not deterministic, `States.UUID` and
//! `States.MathRandom` without a seed, draw from an [`Entropy`] the caller supplies, so the
//! evaluator itself does no I/O and tests can fix the outcome.
//!
//! A function that rejects its arguments fails with `States.IntrinsicFailure`; a path argument
//! that matches nothing fails the way any path does (`States.Runtime`). See
//! [`IntrinsicError::error_name`].

use serde_json::Value;

use super::{ArgKind, Call, StringLiteral};
use crate::expr::jsonpath::{self, Context, PathError};
use crate::expr::Span;

/// Where `States.UUID` and unseeded `States.MathRandom` get their randomness.
pub trait Entropy {
    /// 64 fresh random bits.
    fn next_u64(&mut self) -> u64;

    /// A random version 4 UUID, `ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8`.
    fn uuid(&mut self) -> String {
        let (high, low) = (self.next_u64(), self.next_u64());
        uuid_v4(high, low)
    }
}

/// SplitMix64, a small seedable generator: enough for simulations, and reproducible.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }
}

impl Entropy for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A version 4 (random) UUID made of 128 bits, with the version and variant bits set.
pub fn uuid_v4(high: u64, low: u64) -> String {
    let high = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let low = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// The evaluated arguments of a call, handed to a function's implementation.
pub struct Args<'c> {
    pub values: Vec<Value>,
    call: &'c Call,
}

impl Args<'_> {
    /// Argument `index` when it was written as a string literal: `States.Format` reads its
    /// template from the literal, where `\{` and `{}` are still told apart.
    pub fn literal(&self, index: usize) -> Option<&StringLiteral> {
        match self.call.args.get(index).map(|a| &a.kind) {
            Some(ArgKind::String(literal)) => Some(literal),
            _ => None,
        }
    }
}

/// A function's implementation: the evaluated arguments in, the value or a message out.
pub type Builtin = fn(&Args, &mut dyn Entropy) -> Result<Value, String>;

/// Why an intrinsic call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum IntrinsicError {
    /// A path argument could not be evaluated: `States.Format('{}', $.missing)`. `span` is
    /// where the path is written in the call string.
    #[error("{error}")]
    Path { span: Span, error: PathError },
    /// The function rejected its arguments or could not compute a value:
    /// `States.ArrayGetItem($.list, 99)` past the end, `States.StringToJson('{')`.
    #[error("{function}: {message}")]
    Failure { function: String, message: String },
}

impl IntrinsicError {
    /// The error name a state fails with.
    pub fn error_name(&self) -> &'static str {
        match self {
            IntrinsicError::Path { .. } => crate::error_names::RUNTIME,
            IntrinsicError::Failure { .. } => crate::error_names::INTRINSIC_FAILURE,
        }
    }
}

/// Evaluates `call`, its arguments read against `ctx`.
pub fn evaluate(call: &Call, ctx: &Context, entropy: &mut dyn Entropy) -> Result<Value, IntrinsicError> {
    let failure = |message: String| IntrinsicError::Failure {
        function: call.name.clone(),
        message,
    };
    let Some(function) = call.function() else {
        return Err(failure("this is not an intrinsic function".to_string()));
    };
    if !function.accepts(call.args.len()) {
        return Err(failure(format!(
            "takes {}, but is given {}",
            function.arity(),
            call.args.len()
        )));
    }
    let mut values = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        values.push(match &arg.kind {
            ArgKind::String(literal) => Value::String(literal.value()),
            ArgKind::Number(n) => Value::Number(n.clone()),
            ArgKind::Boolean(b) => Value::Bool(*b),
            ArgKind::Null => Value::Null,
            ArgKind::Path(path) => {
                jsonpath::evaluate(path, ctx).map_err(|error| IntrinsicError::Path { span: path.span, error })?
            }
            ArgKind::Call(inner) => evaluate(inner, ctx, entropy)?,
        });
    }
    (function.eval)(&Args { values, call }, entropy).map_err(failure)
}

#[cfg(test)]
mod tests;
