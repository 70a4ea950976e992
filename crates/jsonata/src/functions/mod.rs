//! The JSONata standard library, plus the functions Step Functions adds.
//!
//! One table, one row per function: `(name, signature, arity, implementation)`. The signature
//! is jsonata-js's (checked by [`super::validate`] before the implementation runs, which can
//! then trust the types); `arity` is how many arguments a higher-order function passes when
//! it calls this one (JavaScript's `Function.length`). `$eval` is absent on purpose: Step
//! Functions replaces it with `$parse`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::error::JsonataError;
use super::validate::Validator;
use super::value::{BuiltinRef, Val};
use crate::runtime::{Call, Evaluator, R};

mod array;
mod aws;
mod datetime;
mod format;
mod number_format;
mod numeric;
mod object;
pub(crate) mod regex;
pub(crate) mod string;

pub(crate) type Args<'a> = Vec<Option<Val<'a>>>;
pub(crate) type Imp = for<'a, 'e> fn(&'e Evaluator<'a>, &'e Call<'a, 'e>, Args<'a>) -> R<'a>;

/// One built-in function.
pub(crate) struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub arity: usize,
    pub imp: Imp,
}

macro_rules! builtins {
    ($(($name:literal, $sig:literal, $arity:literal, $imp:path)),* $(,)?) => {
        &[$(Builtin { name: $name, signature: $sig, arity: $arity, imp: $imp }),*]
    };
}

/// Every built-in, by name (without `$`).
pub(crate) static TABLE: &[Builtin] = builtins![
    // strings
    ("string", "<x-b?:s>", 1, string::string),
    ("length", "<s-:n>", 1, string::length),
    ("substring", "<s-nn?:s>", 3, string::substring),
    ("substringBefore", "<s-s:s>", 2, string::substring_before),
    ("substringAfter", "<s-s:s>", 2, string::substring_after),
    ("lowercase", "<s-:s>", 1, string::lowercase),
    ("uppercase", "<s-:s>", 1, string::uppercase),
    ("trim", "<s-:s>", 1, string::trim),
    ("pad", "<s-ns?:s>", 3, string::pad),
    ("contains", "<s-(sf):b>", 2, string::contains),
    ("split", "<s-(sf)n?:a<s>>", 3, string::split),
    ("join", "<a<s>s?:s>", 2, string::join),
    ("match", "<s-f<s:o>n?:a<o>>", 3, string::match_),
    ("replace", "<s-(sf)(sf)n?:s>", 4, string::replace),
    ("base64encode", "<s-:s>", 1, string::base64encode),
    ("base64decode", "<s-:s>", 1, string::base64decode),
    ("encodeUrlComponent", "<s-:s>", 1, string::encode_url_component),
    ("encodeUrl", "<s-:s>", 1, string::encode_url),
    ("decodeUrlComponent", "<s-:s>", 1, string::decode_url_component),
    ("decodeUrl", "<s-:s>", 1, string::decode_url),
    // numbers
    ("number", "<(nsb)-:n>", 1, numeric::number),
    ("abs", "<n-:n>", 1, numeric::abs),
    ("floor", "<n-:n>", 1, numeric::floor),
    ("ceil", "<n-:n>", 1, numeric::ceil),
    ("round", "<n-n?:n>", 2, numeric::round),
    ("power", "<n-n:n>", 2, numeric::power),
    ("sqrt", "<n-:n>", 1, numeric::sqrt),
    ("formatBase", "<n-n?:s>", 2, numeric::format_base),
    ("formatNumber", "<n-so?:s>", 3, number_format::format_number),
    ("formatInteger", "<n-s:s>", 2, format::format_integer),
    ("parseInteger", "<s-s:n>", 2, format::parse_integer),
    ("random", "<n?:n>", 0, numeric::random),
    ("sum", "<a<n>:n>", 1, numeric::sum),
    ("max", "<a<n>:n>", 1, numeric::max),
    ("min", "<a<n>:n>", 1, numeric::min),
    ("average", "<a<n>:n>", 1, numeric::average),
    // booleans
    ("boolean", "<x-:b>", 1, numeric::boolean),
    ("not", "<x-:b>", 1, numeric::not),
    ("exists", "<x:b>", 1, numeric::exists),
    // arrays
    ("count", "<a:n>", 1, array::count),
    ("append", "<xx:a>", 2, array::append),
    ("sort", "<af?:a>", 2, array::sort),
    ("reverse", "<a:a>", 1, array::reverse),
    ("shuffle", "<a:a>", 1, array::shuffle),
    ("distinct", "<x:x>", 1, array::distinct),
    ("zip", "<a+>", 0, array::zip),
    ("map", "<af>", 2, array::map),
    ("filter", "<af>", 2, array::filter),
    ("single", "<af?>", 2, array::single),
    ("reduce", "<afj?:j>", 3, array::reduce),
    // objects
    ("keys", "<x-:a<s>>", 1, object::keys),
    ("lookup", "<x-s:x>", 2, object::lookup),
    ("spread", "<x-:a<o>>", 1, object::spread),
    ("merge", "<a<o>:o>", 1, object::merge),
    ("each", "<o-f:a>", 2, object::each),
    ("sift", "<o-f?:o>", 2, object::sift),
    ("error", "<s?:x>", 1, object::error),
    ("assert", "<bs?:x>", 2, object::assert),
    ("type", "<x:s>", 1, object::type_),
    ("clone", "<(oa)-:o>", 1, object::clone),
    // date and time
    ("now", "<s?s?:s>", 2, datetime::now),
    ("millis", "<:n>", 0, datetime::millis),
    ("fromMillis", "<n-s?s?:s>", 3, datetime::from_millis),
    ("toMillis", "<s-s?:n>", 2, datetime::to_millis),
    // Step Functions
    ("partition", "<an:a>", 2, aws::partition),
    ("range", "<nnn?:a>", 3, aws::range),
    ("hash", "<s-s?:s>", 2, aws::hash),
    ("uuid", "<:s>", 0, aws::uuid),
    ("parse", "<s-:x>", 1, aws::parse),
];

/// The built-in called `name`.
pub(crate) fn lookup(name: &str) -> Option<BuiltinRef> {
    static INDEX: OnceLock<HashMap<&'static str, BuiltinRef>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            TABLE
                .iter()
                .enumerate()
                .map(|(index, b)| (b.name, BuiltinRef { index, arity: b.arity }))
                .collect()
        })
        .get(name)
        .copied()
}

/// The row of a built-in [`lookup`] found.
pub(crate) fn get(b: BuiltinRef) -> &'static Builtin {
    &TABLE[b.index]
}

/// The compiled signature of a built-in.
pub(crate) fn validator(b: &'static Builtin) -> Result<&'static Validator, JsonataError> {
    static CACHE: OnceLock<HashMap<&'static str, Result<Validator, JsonataError>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        TABLE
            .iter()
            .map(|b| (b.name, super::signature::parse(b.signature).map(|s| Validator::new(&s))))
            .collect()
    });
    match cache.get(b.name) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(e.clone()),
        None => Err(crate::error::err(
            "S0401",
            aslkit_base::Span::default(),
            "unknown built-in",
        )),
    }
}

/// The `i`th argument.
pub(crate) fn arg<'a, 'b>(args: &'b [Option<Val<'a>>], i: usize) -> Option<&'b Val<'a>> {
    args.get(i).and_then(Option::as_ref)
}

pub(crate) fn str_arg<'b>(args: &'b [Option<Val<'_>>], i: usize) -> Option<&'b str> {
    arg(args, i).and_then(Val::as_str)
}

pub(crate) fn num_arg(args: &[Option<Val<'_>>], i: usize) -> Option<f64> {
    arg(args, i).and_then(Val::as_num)
}

pub(crate) fn some_str<'a>(s: &str) -> R<'a> {
    Ok(Some(Val::str(s)))
}

pub(crate) fn some_num<'a>(n: f64) -> R<'a> {
    Ok(Some(Val::Num(n)))
}

/// jsonata-js's `hofFuncArgs`: the value, then its index and the whole collection if the
/// function takes them.
pub(crate) fn hof_args<'a>(func: &Val<'a>, value: Val<'a>, index: Val<'a>, whole: &Val<'a>) -> Args<'a> {
    let arity = match func {
        Val::Func(f) => f.arity(),
        _ => 1,
    };
    let mut out = vec![Some(value)];
    if arity >= 2 {
        out.push(Some(index));
    }
    if arity >= 3 {
        out.push(Some(whole.clone()));
    }
    out
}

#[cfg(test)]
mod datetime_tests;
#[cfg(test)]
mod matcher_tests;
#[cfg(test)]
mod number_format_tests;
#[cfg(test)]
mod tests;
