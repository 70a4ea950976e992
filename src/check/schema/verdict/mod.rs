//! A yes/no answer to "does this definition satisfy `schemas/asl.schema.json`?", without
//! compiling the schema with `jsonschema`.
//!
//! Almost every definition a user checks is valid, and for those the only question is yes or
//! no. `jsonschema` answers it quickly once compiled, but compiling the schema (including
//! validating the schema itself against the draft 2020-12 meta-schema, which it offers no way to
//! skip) cost about 85% of the instructions of validating one small file. So the schema is
//! interpreted here instead: [`build`] reads it into a small tree of checks with every `$ref`
//! resolved to an index, and [`Verdict::is_valid`] walks that tree, allocating nothing. Only when
//! the answer is "no" does the caller compile `jsonschema` to collect the errors it reports, so
//! the diagnostics are exactly what `jsonschema` finds.
//!
//! The semantics are draft 2020-12's as `jsonschema` 0.61 implements them: an integer is a
//! number with no fractional part (`1.0` is one), numbers compare exactly (`1 == 1.0`, and a
//! float against an integer bound without rounding), `pattern` searches a string. Only the
//! keywords the schema uses are understood; [`build`] refuses a schema with any other keyword,
//! or with a `pattern` other than the two recognised ones, so an edit to the schema can slow
//! validation down (the caller then uses `jsonschema` for the answer too) but never make the two
//! disagree. `tests.rs` compares both answers on the fixtures, the examples and systematic
//! mutations of them.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

mod build;
mod raw;
#[cfg(test)]
mod tests;

pub(super) use build::build;

/// An index into [`Verdict::nodes`].
type Id = u32;

/// The compiled schema: node 0 is the root.
pub(super) struct Verdict {
    nodes: Vec<Box<[Check]>>,
    /// Per node, the [`Kind`]s of value it may reject: a value of another kind is valid
    /// without reading the node (an empty schema rejects none, `{"type": "string"}` all but
    /// strings, `{"minProperties": 1}` only objects).
    rejects: Vec<u8>,
    /// Per node, the kinds of value its `type` admits, where the kind alone decides (any kind
    /// when it has no `type`): those checks are taken out of the node and answered here, before
    /// its other checks run, rather than each as a check of its own. A `type` that admits
    /// `integer` but not `number` stays a check (1.5 is a number and not an integer).
    types: Vec<u8>,
}

/// The kinds of JSON value, as bits.
struct Kind;

impl Kind {
    const NULL: u8 = 1;
    const BOOLEAN: u8 = 2;
    const NUMBER: u8 = 4;
    const STRING: u8 = 8;
    const ARRAY: u8 = 16;
    const OBJECT: u8 = 32;
    const ALL: u8 = 63;
}

/// One keyword of a schema node. A node holds its checks cheapest first; an empty node accepts
/// everything (the schema `true` or `{}`).
#[derive(Debug)]
enum Check {
    /// The schema `false`.
    Never,
    Type(Types),
    Const(Scalar),
    Enum(Box<[Scalar]>),
    Minimum(Num),
    Maximum(Num),
    Pattern(Pattern),
    Required(Box<[Box<str>]>),
    /// `properties` and `additionalProperties`, and the `required` fields among `properties`
    /// (a bit per field of `named`), checked in one pass over the members.
    Properties {
        named: Names,
        rest: Rest,
        required: u64,
        /// The node's other checks that depend only on which named fields are present (`oneOf`
        /// of `required`, `not: {required: …}`), moved here where that is known as a bit set.
        presence: Box<[Presence]>,
    },
    /// An `enum` of strings only.
    Strings(Names),
    MinProperties(usize),
    MaxProperties(usize),
    PropertyNames(Id),
    Items(Id),
    MinItems(usize),
    Ref(Id),
    Not(Id),
    AllOf(Box<[Id]>),
    AnyOf(Box<[Id]>),
    OneOf(Box<[Id]>),
    If {
        condition: Id,
        then: Option<Id>,
        otherwise: Option<Id>,
    },
    /// An `allOf` of `if: {type: object, properties: {KEY: {const: "…"}}, required: [KEY]},
    /// then: …` (how a schema dispatches on a field, here on a state's `Type`): the `then` of the
    /// case the value of `key` names, found by one lookup instead of one `if` per case.
    Switch {
        key: Box<str>,
        cases: Names,
    },
}

/// A condition on which of the fields named in `properties` an object has, each field a bit.
#[derive(Debug)]
enum Presence {
    /// `required`: all of these.
    Has(u64),
    Not(Box<Presence>),
    All(Box<[Presence]>),
    Any(Box<[Presence]>),
    One(Box<[Presence]>),
}

impl Presence {
    fn holds(&self, seen: u64) -> bool {
        match self {
            Presence::Has(fields) => seen & fields == *fields,
            Presence::Not(p) => !p.holds(seen),
            Presence::All(ps) => ps.iter().all(|p| p.holds(seen)),
            Presence::Any(ps) => ps.iter().any(|p| p.holds(seen)),
            Presence::One(ps) => ps.iter().filter(|p| p.holds(seen)).count() == 1,
        }
    }
}

/// The names of `properties`, found by a small open-addressing hash table.
#[derive(Debug)]
struct Names {
    names: Box<[(Box<str>, Id)]>,
    /// A power of two long, at least twice as long as `names`, so a probe always ends.
    slots: Box<[Slot]>,
    /// 32 minus the number of bits of a slot index.
    shift: u32,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// [`Names::tag`] of the name.
    tag: u32,
    /// Index + 1 into `names`; 0 for an empty slot.
    index: u16,
}

impl Names {
    fn new(names: Vec<(Box<str>, Id)>) -> Option<Names> {
        let size = (names.len() * 2).max(4).next_power_of_two();
        let mut slots = vec![Slot::default(); size].into_boxed_slice();
        let shift = 32 - size.trailing_zeros();
        for (i, (name, _)) in names.iter().enumerate() {
            let tag = Names::tag(name);
            let mut slot = (tag.wrapping_mul(0x9E37_79B1) >> shift) as usize;
            while slots[slot].index != 0 {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = Slot {
                tag,
                index: u16::try_from(i + 1).ok()?,
            };
        }
        Some(Names {
            names: names.into_boxed_slice(),
            slots,
            shift,
        })
    }

    /// The index in `names` of `key`. Inlined where members are read in an optimised build (the
    /// call cost a fifth of a lookup); not in a debug build, where the frames of the recursion
    /// would grow.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn find(&self, key: &str) -> Option<usize> {
        let tag = Names::tag(key);
        let mask = self.slots.len() - 1;
        let mut slot = (tag.wrapping_mul(0x9E37_79B1) >> self.shift) as usize;
        loop {
            let Slot { tag: t, index } = self.slots[slot & mask];
            let i = usize::from(index).checked_sub(1)?;
            // The tags differ for all but the name itself, almost always.
            if t == tag && same_bytes(self.names[i].0.as_bytes(), key.as_bytes()) {
                return Some(i);
            }
            slot += 1;
        }
    }

    /// Length, first, middle and last byte: enough to tell field names apart.
    #[inline]
    fn tag(key: &str) -> u32 {
        let b = key.as_bytes();
        match b {
            [] => 0,
            [first, ..] => u32::from_le_bytes([b.len() as u8, *first, b[b.len() / 2], b[b.len() - 1]]),
        }
    }
}

/// Whether `a` and `b` are the same bytes, without calling `memcmp` for the short strings
/// field names are: two (possibly overlapping) words from each end compare all of them.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| <[u8; 8]>::try_from(&s[at..at + 8]).map_or(0, u64::from_le_bytes);
    let half = |s: &[u8], at: usize| <[u8; 4]>::try_from(&s[at..at + 4]).map_or(0, u32::from_le_bytes);
    match n {
        0..=3 => a == b,
        4..=8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        9..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// What `additionalProperties` says about members not named in `properties`.
#[derive(Debug, Clone, Copy)]
enum Rest {
    Any,
    None,
    Schema(Id),
}

/// The two patterns the schema uses, matched by hand.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pattern {
    /// `^(Ref|Fn::[A-Za-z0-9]+)$`: the name of a CloudFormation intrinsic function.
    IntrinsicName,
    /// `^\{%[\s\S]*%\}$`: a whole JSONata expression.
    Jsonata,
}

impl Pattern {
    const INTRINSIC_NAME: &'static str = r"^(Ref|Fn::[A-Za-z0-9]+)$";
    const JSONATA: &'static str = r"^\{%[\s\S]*%\}$";

    fn of(pattern: &str) -> Option<Pattern> {
        match pattern {
            Pattern::INTRINSIC_NAME => Some(Pattern::IntrinsicName),
            Pattern::JSONATA => Some(Pattern::Jsonata),
            _ => None,
        }
    }

    fn matches(self, s: &str) -> bool {
        match self {
            Pattern::IntrinsicName => {
                s == "Ref"
                    || s.strip_prefix("Fn::")
                        .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()))
            }
            // `{%` and `%}` do not overlap: `{%}` is not an expression.
            Pattern::Jsonata => s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}"),
        }
    }
}

/// A set of JSON Schema type names.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Types(u8);

impl Types {
    const NULL: u8 = 1;
    const BOOLEAN: u8 = 2;
    const OBJECT: u8 = 4;
    const ARRAY: u8 = 8;
    const NUMBER: u8 = 16;
    const INTEGER: u8 = 32;
    const STRING: u8 = 64;

    fn bit(name: &str) -> Option<u8> {
        Some(match name {
            "null" => Types::NULL,
            "boolean" => Types::BOOLEAN,
            "object" => Types::OBJECT,
            "array" => Types::ARRAY,
            "number" => Types::NUMBER,
            "integer" => Types::INTEGER,
            "string" => Types::STRING,
            _ => return None,
        })
    }

    fn admits(self, instance: Instance<'_>) -> bool {
        let bits = match instance {
            Instance::Name(_) => Types::STRING,
            Instance::Json(value) => match value {
                Value::Null => Types::NULL,
                Value::Bool(_) => Types::BOOLEAN,
                Value::Object(_) => Types::OBJECT,
                Value::Array(_) => Types::ARRAY,
                Value::String(_) => Types::STRING,
                // An integer is also a number.
                Value::Number(n) if is_integer(n) => Types::NUMBER | Types::INTEGER,
                Value::Number(_) => Types::NUMBER,
            },
        };
        self.0 & bits != 0
    }
}

/// Draft 2020-12's integer, as `jsonschema` decides it: any number with no fractional part.
fn is_integer(n: &Number) -> bool {
    n.is_u64() || n.is_i64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// A JSON number in the representation serde_json parsed it into.
#[derive(Debug, Clone, Copy)]
enum Num {
    U(u64),
    I(i64),
    F(f64),
}

impl Num {
    fn of(n: &Number) -> Option<Num> {
        if let Some(u) = n.as_u64() {
            Some(Num::U(u))
        } else if let Some(i) = n.as_i64() {
            Some(Num::I(i))
        } else {
            n.as_f64().map(Num::F)
        }
    }

    /// Exact comparison, without rounding an integer to a float or a float to an integer
    /// (`None` only for NaN, which JSON cannot spell).
    fn compare(self, other: Num) -> Option<Ordering> {
        match (self.integer(), other.integer()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            (None, Some(b)) => float_vs_integer(self.float(), b),
            (Some(a), None) => float_vs_integer(other.float(), a).map(Ordering::reverse),
            (None, None) => self.float().partial_cmp(&other.float()),
        }
    }

    fn integer(self) -> Option<i128> {
        match self {
            Num::U(u) => Some(i128::from(u)),
            Num::I(i) => Some(i128::from(i)),
            Num::F(_) => None,
        }
    }

    fn float(self) -> f64 {
        match self {
            Num::F(f) => f,
            // Not reached: `compare` only asks floats.
            Num::U(u) => u as f64,
            Num::I(i) => i as f64,
        }
    }
}

/// `f` against an integer within the range of `u64` or `i64`, exactly.
fn float_vs_integer(f: f64, b: i128) -> Option<Ordering> {
    const TWO_TO_64: f64 = 18_446_744_073_709_551_616.0;
    const MINUS_TWO_TO_63: f64 = -9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= TWO_TO_64 {
        return Some(Ordering::Greater);
    }
    if f < MINUS_TWO_TO_63 {
        return Some(Ordering::Less);
    }
    // Exact: |f| < 2^64, so its integer part fits an i128.
    let whole = f.trunc() as i128;
    Some(whole.cmp(&b).then_with(|| {
        let fraction = f.fract();
        if fraction > 0.0 {
            Ordering::Greater
        } else if fraction < 0.0 {
            Ordering::Less
        } else {
            Ordering::Equal
        }
    }))
}

/// A `const` or `enum` value (the schema compares no arrays or objects).
#[derive(Debug)]
enum Scalar {
    Null,
    Bool(bool),
    Number(Num),
    String(Box<str>),
}

impl Scalar {
    fn equals(&self, instance: Instance<'_>) -> bool {
        match (self, instance) {
            (Scalar::String(s), Instance::Name(name)) => same_bytes(s.as_bytes(), name.as_bytes()),
            (_, Instance::Name(_)) => false,
            (Scalar::String(s), Instance::Json(Value::String(v))) => same_bytes(s.as_bytes(), v.as_bytes()),
            (Scalar::Bool(b), Instance::Json(Value::Bool(v))) => b == v,
            (Scalar::Null, Instance::Json(Value::Null)) => true,
            (Scalar::Number(n), Instance::Json(Value::Number(v))) => {
                Num::of(v).and_then(|v| v.compare(*n)) == Some(Ordering::Equal)
            }
            _ => false,
        }
    }
}

/// What a schema node is applied to: a value of the definition, or the name of a member (for
/// `propertyNames`), which is a string.
#[derive(Clone, Copy)]
enum Instance<'a> {
    Json(&'a Value),
    Name(&'a str),
}

impl<'a> Instance<'a> {
    fn kind(self) -> u8 {
        match self {
            Instance::Name(_) | Instance::Json(Value::String(_)) => Kind::STRING,
            Instance::Json(Value::Null) => Kind::NULL,
            Instance::Json(Value::Bool(_)) => Kind::BOOLEAN,
            Instance::Json(Value::Number(_)) => Kind::NUMBER,
            Instance::Json(Value::Array(_)) => Kind::ARRAY,
            Instance::Json(Value::Object(_)) => Kind::OBJECT,
        }
    }

    fn string(self) -> Option<&'a str> {
        match self {
            Instance::Json(Value::String(s)) => Some(s),
            Instance::Name(s) => Some(s),
            Instance::Json(_) => None,
        }
    }

    fn number(self) -> Option<Num> {
        match self {
            Instance::Json(Value::Number(n)) => Num::of(n),
            _ => None,
        }
    }

    fn object(self) -> Option<&'a Map<String, Value>> {
        match self {
            Instance::Json(Value::Object(o)) => Some(o),
            _ => None,
        }
    }

    fn array(self) -> Option<&'a [Value]> {
        match self {
            Instance::Json(Value::Array(a)) => Some(a),
            _ => None,
        }
    }
}

impl Verdict {
    /// Whether `value` satisfies the schema.
    pub(super) fn is_valid(&self, value: &Value) -> bool {
        self.valid(0, Instance::Json(value))
    }

    #[inline]
    fn valid(&self, id: Id, instance: Instance<'_>) -> bool {
        let kind = instance.kind();
        self.rejects[id as usize] & kind == 0 || (self.types[id as usize] & kind != 0 && self.checks(id, instance))
    }

    fn checks(&self, id: Id, instance: Instance<'_>) -> bool {
        self.nodes[id as usize].iter().all(|check| self.passes(check, instance))
    }

    fn passes(&self, check: &Check, instance: Instance<'_>) -> bool {
        match check {
            Check::Never => false,
            Check::Type(types) => types.admits(instance),
            Check::Const(value) => value.equals(instance),
            Check::Enum(values) => values.iter().any(|v| v.equals(instance)),
            Check::Minimum(limit) => instance
                .number()
                .is_none_or(|n| matches!(n.compare(*limit), Some(Ordering::Greater | Ordering::Equal))),
            Check::Maximum(limit) => instance
                .number()
                .is_none_or(|n| matches!(n.compare(*limit), Some(Ordering::Less | Ordering::Equal))),
            Check::Pattern(pattern) => instance.string().is_none_or(|s| pattern.matches(s)),
            Check::Required(names) => instance
                .object()
                .is_none_or(|o| names.iter().all(|name| member(o, name).is_some())),
            Check::Properties {
                named,
                rest,
                required,
                presence,
            } => instance.object().is_none_or(|o| {
                self.members(o, named, *rest)
                    .is_some_and(|seen| seen & required == *required && presence.iter().all(|p| p.holds(seen)))
            }),
            Check::Strings(names) => instance.string().is_some_and(|s| names.find(s).is_some()),
            Check::MinProperties(n) => instance.object().is_none_or(|o| o.len() >= *n),
            Check::MaxProperties(n) => instance.object().is_none_or(|o| o.len() <= *n),
            Check::PropertyNames(id) => instance
                .object()
                .is_none_or(|o| o.keys().all(|k| self.valid(*id, Instance::Name(k)))),
            Check::Items(id) => instance
                .array()
                .is_none_or(|a| a.iter().all(|v| self.valid(*id, Instance::Json(v)))),
            Check::MinItems(n) => instance.array().is_none_or(|a| a.len() >= *n),
            Check::Ref(id) => self.valid(*id, instance),
            Check::Not(id) => !self.valid(*id, instance),
            Check::AllOf(ids) => ids.iter().all(|id| self.valid(*id, instance)),
            Check::AnyOf(ids) => ids.iter().any(|id| self.valid(*id, instance)),
            Check::OneOf(ids) => {
                let mut valid = ids.iter().filter(|id| self.valid(**id, instance));
                valid.next().is_some() && valid.next().is_none()
            }
            Check::If {
                condition,
                then,
                otherwise,
            } => {
                let branch = if self.valid(*condition, instance) {
                    then
                } else {
                    otherwise
                };
                branch.is_none_or(|id| self.valid(id, instance))
            }
            Check::Switch { key, cases } => {
                let Some(Value::String(name)) = instance.object().and_then(|o| member(o, key)) else {
                    return true;
                };
                cases.find(name).is_none_or(|i| self.valid(cases.names[i].1, instance))
            }
        }
    }

    /// Whether every member is valid, and if so which named fields are present (a bit each,
    /// for the first 64).
    fn members(&self, object: &Map<String, Value>, named: &Names, rest: Rest) -> Option<u64> {
        let bit = |i: usize| 1u64.checked_shl(i as u32).unwrap_or(0);
        let mut seen = 0u64;
        if let Rest::Any = rest {
            // Only the named members matter: look them up rather than reading every member.
            for (i, (name, schema)) in named.names.iter().enumerate() {
                if let Some(value) = member(object, name) {
                    seen |= bit(i);
                    if !self.valid(*schema, Instance::Json(value)) {
                        return None;
                    }
                }
            }
            return Some(seen);
        }
        for (key, value) in object {
            let found = if named.names.is_empty() { None } else { named.find(key) };
            let schema = match found {
                Some(i) => {
                    seen |= bit(i);
                    named.names[i].1
                }
                None => match rest {
                    Rest::Any => continue,
                    Rest::None => return None,
                    Rest::Schema(id) => id,
                },
            };
            if !self.valid(schema, Instance::Json(value)) {
                return None;
            }
        }
        Some(seen)
    }
}

/// A member of an object. The objects of a definition are small, and comparing a few keys
/// (mostly only their lengths) is cheaper than hashing one.
fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if object.len() <= 32 {
        object
            .iter()
            .find(|(k, _)| same_bytes(k.as_bytes(), name.as_bytes()))
            .map(|(_, v)| v)
    } else {
        object.get(name)
    }
}
