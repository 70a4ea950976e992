//! The table of intrinsic functions: one row per `States.*` function.
//!
//! A row says how many arguments the function takes and, where the type of an argument is
//! fixed, which type. Validation uses the arity and rejects *literal* arguments of the wrong
//! type (`States.MathAdd(1, 'one')`); paths and nested calls are only known at run time. The
//! last column is the implementation, in [`super::builtins`], that [`super::eval`] runs.

/// The type an argument must have, or a function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    Any,
    String,
    Number,
    Boolean,
    Array,
    Object,
}

impl ArgType {
    /// "a string", "an array", … for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ArgType::Any => "any value",
            ArgType::String => "a string",
            ArgType::Number => "a number",
            ArgType::Boolean => "a boolean",
            ArgType::Array => "an array",
            ArgType::Object => "an object",
        }
    }
}

/// One intrinsic function.
#[derive(Debug)]
pub struct Function {
    /// The full name, `States.Format`.
    pub name: &'static str,
    pub min_args: usize,
    /// `None` for functions that take any number of arguments.
    pub max_args: Option<usize>,
    /// Types of the arguments in order; the last one repeats for variadic functions.
    pub params: &'static [ArgType],
    pub returns: ArgType,
    /// A call that the docs give as an example.
    pub example: &'static str,
    /// What the function computes.
    pub eval: Builtin,
}

/// Functions are told apart by name (unique, checked by a test); comparing the `eval` function
/// pointers would not be meaningful.
impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        self.name == other.name
    }
}

impl Eq for Function {}

impl Function {
    /// The type of argument `index` (0-based).
    pub fn param(&self, index: usize) -> ArgType {
        self.params
            .get(index)
            .or(self.params.last())
            .copied()
            .unwrap_or(ArgType::Any)
    }

    /// "2 arguments", "1 or 2 arguments", "at least 1 argument", "no arguments".
    pub fn arity(&self) -> String {
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        match self.max_args {
            Some(0) => "no arguments".to_string(),
            Some(max) if max == self.min_args => format!("{max} {}", plural(max)),
            Some(max) => format!("{} to {max} arguments", self.min_args),
            None if self.min_args == 0 => "any number of arguments".to_string(),
            None => format!("at least {} {}", self.min_args, plural(self.min_args)),
        }
    }

    pub fn accepts(&self, count: usize) -> bool {
        count >= self.min_args && self.max_args.is_none_or(|max| count <= max)
    }
}

use super::builtins as b;
use super::eval::Builtin;
use ArgType as T;

macro_rules! row {
    ($name:literal, $min:expr, $max:expr, [$($p:expr),*], $ret:expr, $ex:literal, $eval:expr) => {
        Function {
            name: $name,
            min_args: $min,
            max_args: $max,
            params: &[$($p),*],
            returns: $ret,
            example: $ex,
            eval: $eval,
        }
    };
}

/// Every intrinsic function, as documented in "Intrinsic functions for JSONPath states".
pub static FUNCTIONS: &[Function] = &[
    row!(
        "States.Format",
        1,
        None,
        [T::String, T::Any],
        T::String,
        "States.Format('Hello, {}', $.name)",
        b::format
    ),
    row!(
        "States.StringToJson",
        1,
        Some(1),
        [T::String],
        T::Any,
        "States.StringToJson($.escaped)",
        b::string_to_json
    ),
    row!(
        "States.JsonToString",
        1,
        Some(1),
        [T::Any],
        T::String,
        "States.JsonToString($.data)",
        b::json_to_string
    ),
    row!(
        "States.Array",
        0,
        None,
        [T::Any],
        T::Array,
        "States.Array('Foo', 2020, $.id)",
        b::array_of
    ),
    row!(
        "States.ArrayPartition",
        2,
        Some(2),
        [T::Array, T::Number],
        T::Array,
        "States.ArrayPartition($.inputArray, 4)",
        b::array_partition
    ),
    row!(
        "States.ArrayContains",
        2,
        Some(2),
        [T::Array, T::Any],
        T::Boolean,
        "States.ArrayContains($.inputArray, $.lookingFor)",
        b::array_contains
    ),
    row!(
        "States.ArrayRange",
        3,
        Some(3),
        [T::Number, T::Number, T::Number],
        T::Array,
        "States.ArrayRange(1, 9, 2)",
        b::array_range
    ),
    row!(
        "States.ArrayGetItem",
        2,
        Some(2),
        [T::Array, T::Number],
        T::Any,
        "States.ArrayGetItem($.inputArray, $.index)",
        b::array_get_item
    ),
    row!(
        "States.ArrayLength",
        1,
        Some(1),
        [T::Array],
        T::Number,
        "States.ArrayLength($.inputArray)",
        b::array_length
    ),
    row!(
        "States.ArrayUnique",
        1,
        Some(1),
        [T::Array],
        T::Array,
        "States.ArrayUnique($.inputArray)",
        b::array_unique
    ),
    row!(
        "States.Base64Encode",
        1,
        Some(1),
        [T::String],
        T::String,
        "States.Base64Encode($.input)",
        b::base64_encode
    ),
    row!(
        "States.Base64Decode",
        1,
        Some(1),
        [T::String],
        T::String,
        "States.Base64Decode($.base64)",
        b::base64_decode
    ),
    row!(
        "States.Hash",
        2,
        Some(2),
        [T::Any, T::String],
        T::String,
        "States.Hash($.Data, $.Algorithm)",
        b::hash
    ),
    row!(
        "States.JsonMerge",
        3,
        Some(3),
        [T::Object, T::Object, T::Boolean],
        T::Object,
        "States.JsonMerge($.json1, $.json2, false)",
        b::json_merge
    ),
    row!(
        "States.MathRandom",
        2,
        Some(3),
        [T::Number, T::Number, T::Number],
        T::Number,
        "States.MathRandom($.start, $.end)",
        b::math_random
    ),
    row!(
        "States.MathAdd",
        2,
        Some(2),
        [T::Number, T::Number],
        T::Number,
        "States.MathAdd($.value1, $.step)",
        b::math_add
    ),
    row!(
        "States.StringSplit",
        2,
        Some(2),
        [T::String, T::String],
        T::Array,
        "States.StringSplit($.inputString, $.splitter)",
        b::string_split
    ),
    row!("States.UUID", 0, Some(0), [], T::String, "States.UUID()", b::uuid),
];

/// Looks a function up by its full name (`States.Format`); names are case-sensitive.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::intrinsics::{check, parse};

    /// The row's example parses and passes every check.
    fn example_is_valid(name: &str) {
        let f = lookup(name).unwrap_or_else(|| panic!("{name} is in the table"));
        let call = parse(f.example).unwrap_or_else(|e| panic!("{}: {e}", f.example));
        assert_eq!(call.name, name);
        assert_eq!(check(&call), vec![], "{}", f.example);
    }

    #[test]
    fn format() {
        example_is_valid("States.Format")
    }
    #[test]
    fn string_to_json() {
        example_is_valid("States.StringToJson")
    }
    #[test]
    fn json_to_string() {
        example_is_valid("States.JsonToString")
    }
    #[test]
    fn array() {
        example_is_valid("States.Array")
    }
    #[test]
    fn array_partition() {
        example_is_valid("States.ArrayPartition")
    }
    #[test]
    fn array_contains() {
        example_is_valid("States.ArrayContains")
    }
    #[test]
    fn array_range() {
        example_is_valid("States.ArrayRange")
    }
    #[test]
    fn array_get_item() {
        example_is_valid("States.ArrayGetItem")
    }
    #[test]
    fn array_length() {
        example_is_valid("States.ArrayLength")
    }
    #[test]
    fn array_unique() {
        example_is_valid("States.ArrayUnique")
    }
    #[test]
    fn base64_encode() {
        example_is_valid("States.Base64Encode")
    }
    #[test]
    fn base64_decode() {
        example_is_valid("States.Base64Decode")
    }
    #[test]
    fn hash() {
        example_is_valid("States.Hash")
    }
    #[test]
    fn json_merge() {
        example_is_valid("States.JsonMerge")
    }
    #[test]
    fn math_random() {
        example_is_valid("States.MathRandom")
    }
    #[test]
    fn math_add() {
        example_is_valid("States.MathAdd")
    }
    #[test]
    fn string_split() {
        example_is_valid("States.StringSplit")
    }
    #[test]
    fn uuid() {
        example_is_valid("States.UUID")
    }

    #[test]
    fn the_table_has_the_18_documented_functions() {
        assert_eq!(FUNCTIONS.len(), 18);
        let mut names: Vec<_> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 18);
    }

    #[test]
    fn arity_wording() {
        assert_eq!(lookup("States.UUID").map(|f| f.arity()), Some("no arguments".into()));
        assert_eq!(
            lookup("States.MathRandom").map(|f| f.arity()),
            Some("2 to 3 arguments".into())
        );
        assert_eq!(
            lookup("States.Format").map(|f| f.arity()),
            Some("at least 1 argument".into())
        );
        assert_eq!(
            lookup("States.Array").map(|f| f.arity()),
            Some("any number of arguments".into())
        );
        assert_eq!(
            lookup("States.ArrayLength").map(|f| f.arity()),
            Some("1 argument".into())
        );
    }
}
