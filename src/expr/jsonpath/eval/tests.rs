use serde_json::{json, Value};

use super::*;
use crate::expr::jsonpath::parse;

/// Evaluates `path` against `input`; errors as their message.
fn eval(path: &str, input: &Value) -> Result<Value, String> {
    let parsed = parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    evaluate(&parsed, &Context::new(input)).map_err(|e| e.to_string())
}

/// Each row: a path, and what it evaluates to against the input.
fn check(input: &Value, rows: &[(&str, Value)]) {
    for (path, expected) in rows {
        assert_eq!(eval(path, input).as_ref(), Ok(expected), "{path}");
    }
}

fn check_errors(input: &Value, rows: &[(&str, &str)]) {
    for (path, expected) in rows {
        assert_eq!(eval(path, input), Err(expected.to_string()), "{path}");
    }
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
#[test]
fn aws_input_path_examples() {
    let input = json!({
        "comment": "Example for InputPath.",
        "dataset1": {"val1": 1, "val2": 2, "val3": 3},
        "dataset2": {"val1": "a", "val2": "b", "val3": "c"}
    });
    check(
        &input,
        &[("$.dataset2", json!({"val1": "a", "val2": "b", "val3": "c"}))],
    );
    check(&json!({"a": [1, 2, 3, 4]}), &[("$.a[0:2]", json!([1, 2]))]);
    // "Flattening an array of arrays" with `ResultSelector`.
    check(&json!([[1, 2], [3], []]), &[("$[*][*]", json!([1, 2, 3]))]);
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html
#[test]
fn aws_paths_example() {
    let input = json!({
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"}
    });
    check(
        &input,
        &[
            ("$.lambda", json!({"who": "AWS Step Functions"})),
            ("$.data", json!({"val1": 23, "val2": 17})),
        ],
    );
}

// https://states-language.net/spec.html#ref-paths
#[test]
fn spec_reference_path_examples() {
    let input = json!({"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}});
    check(
        &input,
        &[
            ("$", input.clone()),
            ("$.foo", json!(123)),
            ("$.bar", json!(["a", "b", "c"])),
            ("$.car.cdr", json!(true)),
            ("$['car']['cdr']", json!(true)),
            ("$.bar[1]", json!("b")),
            ("$.bar[-1]", json!("c")),
            ("$.bar[(@.length-2)]", json!("b")),
        ],
    );
}

fn bookstore() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

// https://github.com/json-path/JsonPath#path-examples (the semantics Step Functions uses)
#[test]
fn jayway_bookstore_examples() {
    let input = bookstore();
    let book = |i: usize| input["store"]["book"][i].clone();
    check(
        &input,
        &[
            (
                "$.store.book[*].author",
                json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
            ),
            (
                "$..author",
                json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
            ),
            (
                "$.store.*",
                json!([input["store"]["book"].clone(), input["store"]["bicycle"].clone()]),
            ),
            ("$.store..price", json!([8.95, 12.99, 8.99, 22.99, 19.95])),
            ("$..book[2]", json!([book(2)])),
            ("$..book[-2]", json!([book(2)])),
            ("$..book[0,1]", json!([book(0), book(1)])),
            ("$..book[:2]", json!([book(0), book(1)])),
            ("$..book[1:2]", json!([book(1)])),
            ("$..book[-2:]", json!([book(2), book(3)])),
            ("$..book[2:]", json!([book(2), book(3)])),
            ("$..book[?(@.isbn)]", json!([book(2), book(3)])),
            ("$.store.book[?(@.price < 10)]", json!([book(0), book(2)])),
            ("$..book[?(@.price <= $['expensive'])]", json!([book(0), book(2)])),
            ("$..book[?(@.author =~ /.*REES/i)]", json!([book(0)])),
            ("$.store.book.length()", json!(4)),
            ("$.store.book[*].price.max()", json!(22.99)),
        ],
    );
}

#[test]
fn definite_and_indefinite_results() {
    let input = json!({"a": {"b": null, "c": [1, 2, 3]}, "d": [{"e": 1}, {"f": 2}]});
    check(
        &input,
        &[
            // A field holding `null` is a match.
            ("$.a.b", json!(null)),
            // A leaf union of names is definite: it merges the fields that exist.
            ("$.a['b','c','zzz']", json!({"b": null, "c": [1, 2, 3]})),
            ("$.d[*]['e','f']", json!([{"e": 1}, {"f": 2}])),
            ("$.a.*['x','y']", json!([])),
            // Under an indefinite step, missing fields are skipped.
            ("$.d[*].e", json!([1])),
            ("$.d[*].zzz", json!([])),
            ("$.a.c[5:]", json!([])),
            ("$.a.c[::2]", json!([1, 3])),
            ("$.a.c[::-1]", json!([3, 2, 1])),
            ("$.a.*", json!([null, [1, 2, 3]])),
            ("$.a.c[-2:2]", json!([2, 3, 1, 2])),
            ("$.a.c[-99999999999999:1]", json!([1, 2, 3, 1])),
            ("$.a.c[::9223372036854775807]", json!([1])),
        ],
    );
    check_errors(&input, &[("$.a.c[7]", "No results for path: $['a']['c'][7]")]);
}

#[test]
fn indefinite_path_through_a_missing_field_is_empty() {
    // Recorded on AWS: `"item.$": "$.items[*]"` with no `items` gives `[]`, not an error.
    check(&json!({}), &[("$.missing[*]", json!([])), ("$.missing[1:]", json!([]))]);
}

#[test]
fn errors_use_jayway_wording() {
    let input = json!({"a": {"b": 1}, "s": "text", "n": null, "arr": [1]});
    check_errors(
        &input,
        &[
            ("$.missing", "No results for path: $['missing']"),
            ("$.a.missing", "No results for path: $['a']['missing']"),
            ("$.missing.b", "Missing property in path $['missing']"),
            (
                "$.s.first",
                "Expected to find an object with property ['first'] in path $['s'] but found 'string'. This is not a json object.",
            ),
            ("$.n[0]", "The path $['n'] is null"),
            (
                "$.a[0]",
                "Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}",
            ),
            (
                "$.s[?(@.x)]",
                "Filter: [?] can not be applied to primitives. Current context is: \"text\"",
            ),
            ("$.arr.foo()", "Function with name: foo does not exist."),
            (
                "$.a.max()",
                "Aggregation function attempted to calculate value using empty array",
            ),
        ],
    );
}

#[test]
fn error_causes_for_path_fields() {
    // As AWS reports a failed `InputPath` or `OutputPath`.
    let path = parse("$.Payload").unwrap();
    let err = evaluate(&path, &Context::new(&json!({}))).unwrap_err();
    assert_eq!(
        err.cause_for_field("$.Payload"),
        "Invalid path '$.Payload' : No results for path: $['Payload']"
    );
}

#[test]
fn roots() {
    let input = json!({"a": 1});
    let context = json!({"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Index": 2}}});
    let mut variables = Map::new();
    variables.insert("order".into(), json!({"id": 7, "items": [1, 2]}));
    let ctx = Context::new(&input)
        .with_context_object(&context)
        .with_variables(&variables);
    let run = |p: &str| evaluate(&parse(p).unwrap(), &ctx).map_err(|e| e.to_string());
    assert_eq!(run("$$.Execution.Id"), Ok(json!("arn:exec")));
    assert_eq!(run("$$"), Ok(context.clone()));
    assert_eq!(run("$order.id"), Ok(json!(7)));
    assert_eq!(run("$order.items[-1]"), Ok(json!(2)));
    assert_eq!(run("$nope.x"), Err("The variable 'nope' is not defined".to_string()));
    assert_eq!(run("$.a"), Ok(json!(1)));
}

#[test]
fn presence() {
    let input = json!({"a": null, "b": []});
    let present = |p: &str| is_present(&parse(p).unwrap(), &Context::new(&input));
    assert_eq!(present("$.a"), Ok(true));
    assert_eq!(present("$.zzz"), Ok(false));
    assert_eq!(present("$.b[*]"), Ok(true));
}

/// Filter predicates: each row is a filter over `items` and the ids it keeps.
#[test]
fn filter_operators() {
    let input = json!({"items": [
        {"id": 1, "n": 5, "s": "apple", "tags": ["a", "b"], "flag": true},
        {"id": 2, "n": "5", "s": "Banana", "tags": [], "flag": false},
        {"id": 3, "n": 10.5, "s": "", "tags": ["c"], "nested": {"x": 1}},
        {"id": 4, "s": "cherry", "tags": ["a", "c"]}
    ]});
    let rows: &[(&str, &[i64])] = &[
        ("@.n == 5", &[1, 2]),
        ("@.n === 5", &[1]),
        ("@.n !== 5", &[2, 3, 4]),
        ("@.n != 5", &[3, 4]),
        ("@.n > 5", &[3]),
        ("@.n >= 5", &[1, 3]),
        // Java's `compareTo`: upper case sorts before lower case.
        ("@.s < 'b'", &[1, 2, 3]),
        ("@.s =~ /b.*/i", &[2]),
        ("@.s =~ /an/", &[]),
        ("@.id in [1, 3]", &[1, 3]),
        ("@.id nin [1, 3]", &[2, 4]),
        ("@.tags contains 'c'", &[3, 4]),
        ("@.s contains 'err'", &[4]),
        ("@.tags subsetof ['a', 'b', 'c']", &[1, 2, 3, 4]),
        ("@.tags anyof ['b', 'c']", &[1, 3, 4]),
        ("@.tags noneof ['a']", &[2, 3]),
        ("@.tags all ['a', 'c']", &[4]),
        ("@.tags size 2", &[1, 4]),
        ("@.s size 6", &[2, 4]),
        ("@.tags empty true", &[2]),
        ("@.s empty false", &[1, 2, 4]),
        ("@.flag", &[1, 2]),
        ("!(@.flag)", &[3, 4]),
        ("@.flag == true || @.id == 4", &[1, 4]),
        ("@.tags.length() > 1 && @.id > 1", &[4]),
        ("@.nested exists true", &[3]),
        ("@.nested.x == 1", &[3]),
        ("@.n == $.items[0].n", &[1, 2]),
    ];
    for (filter, ids) in rows {
        let path = format!("$.items[?({filter})].id");
        assert_eq!(eval(&path, &input), Ok(json!(ids)), "{filter}");
    }
}

#[test]
fn filters_on_objects_test_the_object_itself() {
    let input = json!({"a": {"kind": "x"}, "b": {"kind": "y"}});
    check(&input, &[("$.a[?(@.kind == 'x')]", json!([{"kind": "x"}]))]);
    check(&input, &[("$..[?(@.kind == 'y')]", json!([{"kind": "y"}]))]);
}

#[test]
fn deep_scan_order() {
    let input = json!({"a": {"b": 1, "c": {"b": 2}}, "d": [{"b": 3}]});
    check(
        &input,
        &[
            ("$..b", json!([1, 2, 3])),
            (
                "$..*",
                json!([input["a"].clone(), input["d"].clone(), 1, {"b": 2}, 2, {"b": 3}, 3]),
            ),
            ("$..[0]", json!([{"b": 3}])),
        ],
    );
}

#[test]
fn functions() {
    let input = json!({"n": [1, 2, 3, 4], "o": {"x": 1, "y": 2}, "s": ["a", "b"]});
    check(
        &input,
        &[
            ("$.n.length()", json!(4)),
            ("$.n.size()", json!(4)),
            ("$.o.length()", json!(2)),
            ("$.n.min()", json!(1.0)),
            ("$.n.max()", json!(4.0)),
            ("$.n.avg()", json!(2.5)),
            ("$.n.sum()", json!(10.0)),
            ("$.n.sum(5)", json!(15.0)),
            ("$.n.stddev()", json!(1.118033988749895)),
            ("$.o.keys()", json!(["x", "y"])),
            ("$.s.concat('c')", json!("abc")),
            ("$.s.append('c')", json!(["a", "b", "c"])),
            ("$.n.first()", json!(1)),
            ("$.n.last()", json!(4)),
            ("$.n.index(1)", json!(2)),
            ("$..n.length()", json!(1)),
        ],
    );
}

#[test]
fn regular_expressions_must_compile() {
    let err = eval("$[?(@ =~ /(/)]", &json!([1])).unwrap_err();
    assert!(err.starts_with("invalid regular expression /(/"), "{err}");
    // Java-style look-ahead is supported.
    check(&json!(["ab", "ac"]), &[("$[?(@ =~ /a(?=b)./)]", json!(["ab"]))]);
}

#[test]
fn normalized_paths() {
    let n = |p: &str| normalized(&parse(p).unwrap().steps);
    assert_eq!(n("$.a[0]['b c'][*]"), "$['a'][0]['b c'][*]");
    assert_eq!(n("$..a[1:2][?(@.x)].length()"), "$..['a'][1:2][?].length()");
    assert_eq!(n("$['a','b'][0,1]"), "$['a','b'][0,1]");
}
