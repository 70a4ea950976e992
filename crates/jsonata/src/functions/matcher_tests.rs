//! `$match`, `$split`, `$replace` and `$contains` with a function as the matcher.

use crate::tests_support::run;

/// A matcher function that finds every `x`, as jsonata-js's matcher protocol defines it.
const X_MATCHER: &str = "($m := function($str, $offset) {(
    $before := $substringBefore($str, 'x');
    $start := $length($before) + ($exists($offset) ? $offset : 0);
    $before != $str ? {'match': 'x', 'start': $start, 'end': $start + 1, 'groups': [],
      'next': function() { $m($substringAfter($str, 'x'), $start + 1) }}
  )}; ";

#[test]
fn functions_match_split_and_replace_as_matchers() {
    let cases = [
        ("$match('axbxc', $m).index", "[1,3]"),
        ("$split('axbxc', $m)", r#"["a","b","c"]"#),
        ("$replace('axbxc', $m, '-')", r#""a-b-c""#),
        ("$replace('axbxc', $m, '-', 1)", r#""a-bxc""#),
        ("$contains('abc', $m)", "false"),
        ("$split('abc', $uppercase)", "error T1010"),
    ];
    for (expr, expected) in cases {
        let expr = format!("{X_MATCHER}{expr})");
        assert_eq!(run(&expr, None), expected, "{expr}");
    }
}
