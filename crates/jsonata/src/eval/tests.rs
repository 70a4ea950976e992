//! The evaluator on hand-written expressions, one language feature per test.

use crate::tests_support::run;

const ORDERS: &str = r#"{
  "customer": "Ada",
  "orders": [
    {"id": "o1", "items": [{"sku": "a", "qty": 2, "price": 5}, {"sku": "b", "qty": 1, "price": 20}]},
    {"id": "o2", "items": [{"sku": "a", "qty": 1, "price": 5}]}
  ]
}"#;

fn check(cases: &[(&str, &str)], input: Option<&str>) {
    for (expr, expected) in cases {
        assert_eq!(run(expr, input), *expected, "{expr}");
    }
}

#[test]
fn paths_map_over_arrays_and_flatten() {
    check(
        &[
            ("customer", r#""Ada""#),
            ("orders.id", r#"["o1","o2"]"#),
            ("orders.items.sku", r#"["a","b","a"]"#),
            ("orders[1].items.sku", r#""a""#),
            ("orders[1].items.sku[]", r#"["a"]"#),
            ("orders.items[-1].sku", r#"["b","a"]"#),
            ("orders.items[qty > 1].sku", r#""a""#),
            ("nothing.at.all", "undefined"),
            ("$sum(orders.items.(qty * price))", "35"),
        ],
        Some(ORDERS),
    );
}

#[test]
fn singletons_collapse_unless_kept() {
    check(
        &[("[1]", "[1]"), ("$.x", "1"), ("$.x[]", "[1]"), ("[[1, 2]].$", "[1,2]")],
        Some(r#"{"x": 1}"#),
    );
}

#[test]
fn input_arrays_are_one_value() {
    check(&[("$", "[1,2]"), ("$[0]", "1"), ("$count($)", "2")], Some("[1, 2]"));
}

#[test]
fn wildcards_and_descendants() {
    check(
        &[("*", r#"[1,{"c":3}]"#), ("**.c", "3"), ("$count(**)", "4")],
        Some(r#"{"a": 1, "b": {"c": 3}}"#),
    );
}

#[test]
fn group_by_and_object_constructors() {
    check(
        &[
            ("orders.items{sku: $sum(qty)}", r#"{"a":3,"b":1}"#),
            ("{'n': 1, 'm': [2]}", r#"{"n":1,"m":[2]}"#),
            ("{1: 2}", "error T1003"),
            ("orders{'k': id, 'k': id}", "error D1009"),
        ],
        Some(ORDERS),
    );
}

#[test]
fn sort_and_positional_bindings() {
    check(
        &[
            ("orders.items^(>price, sku).sku", r#"["b","a","a"]"#),
            ("orders.items#$i[$i = 1].sku", r#""b""#),
            (
                "orders@$o.($o.items).{'o': $o.id, 's': sku}",
                r#"[{"o":"o1","s":"a"},{"o":"o1","s":"b"},{"o":"o2","s":"a"}]"#,
            ),
            (
                "orders.items.{'order': %.id, 'sku': sku}",
                r#"[{"order":"o1","sku":"a"},{"order":"o1","sku":"b"},{"order":"o2","sku":"a"}]"#,
            ),
            ("[{'a': 1}, {'a': 'x'}]^(a)", "error T2007"),
        ],
        Some(ORDERS),
    );
}

#[test]
fn operators_and_their_type_errors() {
    check(
        &[
            ("1 + 2 * 3 - 4 / 8", "6.5"),
            ("7 % 3", "1"),
            ("'a' + 1", "error T2001"),
            ("1 - 'a'", "error T2002"),
            ("1 < 'a'", "error T2009"),
            ("{} < 1", "error T2010"),
            ("'a' & 1.0 & true & null", r#""a1truenull""#),
            ("2 in [1, 2]", "true"),
            ("[1..3, 5]", "[1,2,3,5]"),
            ("[1.5..3]", "error T2003"),
            ("1 = 1.0 and 'x' != 'y'", "true"),
            ("nothing = nothing", "false"),
            ("-'x'", "error D1002"),
            ("1/0", "error D1001"),
            ("true ? 'y' : 'n'", r#""y""#),
            ("false ? 1", "undefined"),
        ],
        None,
    );
}

#[test]
fn blocks_bindings_and_closures() {
    check(
        &[
            ("($a := 1; ($a := 2); $a)", "1"),
            ("($add := function($x, $y) { $x + $y }; $add(1, 2))", "3"),
            ("($k := function($n) { function($x) { $x * $n } }; $k(3)(4))", "12"),
            ("($tail := $substring(?, 1); $tail('abc'))", r#""bc""#),
            ("($f := $uppercase ~> $substring(?, 0, 2); $f('hello'))", r#""HE""#),
            ("'hello' ~> $uppercase()", r#""HELLO""#),
            ("function($s)<s:s>{ $s }(1)", "error T0410"),
            ("uppercase('x')", "error T1005"),
            ("$nothing()", "error T1006"),
        ],
        None,
    );
}

#[test]
fn tail_calls_do_not_grow_the_stack() {
    let expr = "($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(100000, 0))";
    assert_eq!(run(expr, None), "100000");
}

#[test]
fn deep_non_tail_recursion_stops_with_an_error() {
    let expr = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))";
    assert_eq!(run(expr, None), "error U1001");
}

#[test]
fn transforms_copy_and_modify() {
    check(
        &[
            (
                "$ ~> |orders.items[sku = 'a']|{'price': price * 2}, ['qty']|",
                r#"{"customer":"Ada","orders":[{"id":"o1","items":[{"sku":"a","price":10},{"sku":"b","qty":1,"price":20}]},{"id":"o2","items":[{"sku":"a","price":10}]}]}"#,
            ),
            ("$ ~> |customer|'x'|", "error T2011"),
        ],
        Some(ORDERS),
    );
}

#[test]
fn regexes_follow_javascript() {
    check(
        &[
            ("$match('ab12', /[a-z](\\d)/).groups", r#"["1"]"#),
            ("$replace('aaa', /a/, 'b', 2)", r#""bba""#),
            ("$split('x', /y*/)", "error D1004"),
            ("/^A/i('abc').match", r#""a""#),
        ],
        None,
    );
}

#[test]
fn variables_come_from_the_bindings() {
    use crate::{evaluate, parse, Bindings};
    let mut bindings = Bindings::default();
    bindings
        .variables
        .insert("states".into(), serde_json::json!({"input": {"n": 2}}));
    let ast = parse("$states.input.n * 3").unwrap();
    assert_eq!(evaluate(&ast, None, &bindings).unwrap(), Some(serde_json::json!(6)));
}

/// A closure bound in the frame it captures is a reference cycle; the evaluation clears its
/// frames when it ends, so none outlives it (found by fuzzing with the leak sanitizer).
#[test]
fn closures_do_not_outlive_the_evaluation() {
    use crate::value::LIVE_FRAMES;
    let before = LIVE_FRAMES.with(|n| n.get());
    for expr in [
        "($add := function($n) { function($m) { $n + $m } }; $add(2)(3))",
        "($f := function($n) { $n = 0 ? 0 : $f($n - 1) }; $f(50))",
        "($f := function($n) { $n }; $g := $f; [1,2] ~> $map($g))",
    ] {
        let ast = crate::parse(expr).expect("parses");
        // on this thread: the counter is per thread
        let _ = super::evaluate_here(&ast, None, &super::Bindings::default());
        assert_eq!(LIVE_FRAMES.with(|n| n.get()), before, "{expr}");
    }
}
