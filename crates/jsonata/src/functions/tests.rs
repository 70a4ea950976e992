//! One line per built-in: each row of the table does what its name says. A test also checks
//! that no row goes without its line.

use super::TABLE;
use crate::tests_support::run;

/// `(function, expression, outcome)`: the outcome is the JSON result, `undefined`, or
/// `error CODE`.
const CASES: &[(&str, &str, &str)] = &[
    (
        "string",
        "$string([1.50, 'x', {'a': 1e21}])",
        r#""[1.5,\"x\",{\"a\":1e+21}]""#,
    ),
    ("length", "$length('añb𝄞')", "4"),
    ("substring", "$substring('añb𝄞xyz', -4, 2)", r#""𝄞x""#),
    ("substringBefore", "$substringBefore('key=value', '=')", r#""key""#),
    ("substringAfter", "$substringAfter('key=value', '=')", r#""value""#),
    ("lowercase", "$lowercase('MiXeD')", r#""mixed""#),
    ("uppercase", "$uppercase('MiXeD')", r#""MIXED""#),
    ("trim", "$trim('  two \n  words ')", r#""two words""#),
    ("pad", "$pad('7', -3, '0')", r#""007""#),
    ("contains", "$contains('order-1234', /\\d{4}/)", "true"),
    ("split", "$split('a, b,c', /,\\s*/)", r#"["a","b","c"]"#),
    ("join", "$join(['x', 'y', 'z'], '-')", r#""x-y-z""#),
    ("match", "$match('a1b22', /\\d+/).match", r#"["1","22"]"#),
    (
        "replace",
        "$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')",
        r#""Smith, John""#,
    ),
    ("base64encode", "$base64encode('héllo')", r#""aMOpbGxv""#),
    ("base64decode", "$base64decode('aMOpbGxv')", r#""héllo""#),
    (
        "encodeUrlComponent",
        "$encodeUrlComponent('a b/c?')",
        r#""a%20b%2Fc%3F""#,
    ),
    (
        "encodeUrl",
        "$encodeUrl('https://x.org/a b?q=1')",
        r#""https://x.org/a%20b?q=1""#,
    ),
    ("decodeUrlComponent", "$decodeUrlComponent('a%20b%2Fc')", r#""a b/c""#),
    ("decodeUrl", "$decodeUrl('a%20b%2Fc')", r#""a b%2Fc""#),
    ("number", "$number('0x1F') + $number('-1.5e1')", "16"),
    ("abs", "$abs(-3.5)", "3.5"),
    ("floor", "$floor(-3.5)", "-4"),
    ("ceil", "$ceil(3.1)", "4"),
    ("round", "[$round(2.5), $round(3.5), $round(1.255, 2)]", "[2,4,1.26]"),
    ("power", "$power(2, 10)", "1024"),
    ("sqrt", "$sqrt(-1)", "error D3060"),
    ("formatBase", "$formatBase(255, 16)", r#""ff""#),
    (
        "parseInteger",
        "[$parseInteger('1,234', '#,##0'), $parseInteger('forty-second', 'w;o'), $parseInteger('XIV', 'I')]",
        "[1234,42,14]",
    ),
    (
        "formatInteger",
        "[$formatInteger(1234567, '#,##0'), $formatInteger(42, 'w;o'), $formatInteger(14, 'I')]",
        r#"["1,234,567","forty-second","XIV"]"#,
    ),
    ("formatNumber", "$formatNumber(1234.5, '#,##0.00')", r#""1,234.50""#),
    ("random", "($r := $random(); $r >= 0 and $r < 1)", "true"),
    ("sum", "$sum([1, 2, 3.5])", "6.5"),
    ("max", "$max([3, 9, 1])", "9"),
    ("min", "$min([])", "undefined"),
    ("average", "$average([1, 2, 6])", "3"),
    (
        "boolean",
        "[$boolean(''), $boolean([0, 1]), $boolean({})]",
        "[false,true,false]",
    ),
    ("not", "$not('x')", "false"),
    ("exists", "$exists(nothing.here)", "false"),
    ("count", "$count([1, [2, 3]])", "2"),
    ("append", "$append(1, [2, 3])", "[1,2,3]"),
    ("sort", "$sort([3, 1, 2], function($a, $b) { $a < $b })", "[3,2,1]"),
    ("reverse", "$reverse(['a', 'b'])", r#"["b","a"]"#),
    ("shuffle", "$sort($shuffle([3, 1, 2]))", "[1,2,3]"),
    (
        "distinct",
        "$distinct([1, 'a', 1, {'k': 1}, {'k': 1}])",
        r#"[1,"a",{"k":1}]"#,
    ),
    ("zip", "$zip([1, 2, 3], ['a', 'b'])", r#"[[1,"a"],[2,"b"]]"#),
    ("map", "$map([1, 2], function($v, $i) { $v * 10 + $i })", "[10,21]"),
    ("filter", "$filter([1, 2, 3, 4], function($v) { $v % 2 = 0 })", "[2,4]"),
    ("single", "$single([1, 2, 3], function($v) { $v > 1 })", "error D3138"),
    (
        "reduce",
        "$reduce([1, 2, 3], function($acc, $v) { $acc * 10 + $v })",
        "123",
    ),
    ("keys", "$keys([{'a': 1}, {'b': 2, 'a': 3}])", r#"["a","b"]"#),
    ("lookup", "$lookup({'a': 1}, 'a')", "1"),
    ("spread", "$spread({'a': 1, 'b': 2})", r#"[{"a":1},{"b":2}]"#),
    ("merge", "$merge([{'a': 1}, {'a': 2, 'b': 3}])", r#"{"a":2,"b":3}"#),
    (
        "each",
        "$each({'a': 1, 'b': 2}, function($v, $k) { $k & $v })",
        r#"["a1","b2"]"#,
    ),
    ("sift", "$sift({'a': 1, 'b': 2}, function($v) { $v > 1 })", r#"{"b":2}"#),
    ("error", "$error('stop')", "error D3137"),
    ("assert", "$assert(1 = 2, 'not equal')", "error D3141"),
    (
        "type",
        "[$type(null), $type([]), $type($sum)]",
        r#"["null","array","function"]"#,
    ),
    ("clone", "$clone({'a': [1]})", r#"{"a":[1]}"#),
    ("now", "$now()", r#""2024-01-02T03:04:05.678Z""#),
    ("millis", "$millis()", "1704164645678"),
    (
        "fromMillis",
        "$fromMillis(0, '[D1o] [MNn] [Y]')",
        r#""1st January 1970""#,
    ),
    (
        "toMillis",
        "$toMillis('2nd Jan 2024', '[D1o] [MNn,3-3] [Y]')",
        "1704153600000",
    ),
    ("partition", "$partition([1, 2, 3, 4, 5], 2)", "[[1,2],[3,4],[5]]"),
    ("range", "$range(10, 0, -5)", "[10,5,0]"),
    (
        "hash",
        "$hash('abc', 'SHA-1')",
        r#""a9993e364706816aba3e25717850c26c9cd0d89d""#,
    ),
    ("uuid", "$substring($uuid(), 14, 1)", r#""4""#),
    ("parse", "$parse('{\"a\": [1, true]}')", r#"{"a":[1,true]}"#),
];

#[test]
fn every_builtin_does_what_its_row_says() {
    for (name, expr, expected) in CASES {
        assert_eq!(run(expr, None), *expected, "${name}: {expr}");
    }
}

#[test]
fn every_builtin_has_a_case() {
    for b in TABLE {
        assert!(
            CASES.iter().any(|(name, ..)| *name == b.name),
            "no case for ${}",
            b.name
        );
    }
}

#[test]
fn signatures_of_builtins_all_parse() {
    for b in TABLE {
        assert!(super::validator(b).is_ok(), "${} has a bad signature", b.name);
    }
}
