use serde_json::{json, Value};

use super::*;
use crate::expr::intrinsics::parse;

/// Entropy that always draws the same bits, and the UUID of the developer guide's example.
struct Fixed(u64);

impl Entropy for Fixed {
    fn next_u64(&mut self) -> u64 {
        self.0
    }

    fn uuid(&mut self) -> String {
        "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8".to_string()
    }
}

/// Evaluates `call` with `input` as `$`; a failure as its message.
fn eval(call: &str, input: Value) -> Result<Value, String> {
    let parsed = parse(call).unwrap_or_else(|e| panic!("{call}: {e}"));
    evaluate(&parsed, &Context::new(&input), &mut Fixed(455)).map_err(|e| e.to_string())
}

/// The message of a call that must fail with `States.IntrinsicFailure`.
fn failure(call: &str, input: Value) -> String {
    let parsed = parse(call).unwrap_or_else(|e| panic!("{call}: {e}"));
    let err = evaluate(&parsed, &Context::new(&input), &mut Fixed(0)).expect_err(call);
    assert_eq!(err.error_name(), "States.IntrinsicFailure", "{call}: {err}");
    err.to_string()
}

// One test per example of https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html

#[test]
fn array() {
    assert_eq!(eval("States.Array($.Id)", json!({"Id": 123456})), Ok(json!([123456])));
}

#[test]
fn array_partition() {
    let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]});
    assert_eq!(
        eval("States.ArrayPartition($.inputArray,4)", input),
        Ok(json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]))
    );
}

#[test]
fn array_contains() {
    let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5});
    assert_eq!(
        eval("States.ArrayContains($.inputArray, $.lookingFor)", input),
        Ok(json!(true))
    );
}

#[test]
fn array_range() {
    assert_eq!(
        eval("States.ArrayRange(1, 9, 2)", json!({})),
        Ok(json!([1, 3, 5, 7, 9]))
    );
}

#[test]
fn array_get_item() {
    let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5});
    assert_eq!(eval("States.ArrayGetItem($.inputArray, $.index)", input), Ok(json!(6)));
}

#[test]
fn array_length() {
    let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]});
    assert_eq!(eval("States.ArrayLength($.inputArray)", input), Ok(json!(9)));
}

#[test]
fn array_unique() {
    let input = json!({"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]});
    assert_eq!(eval("States.ArrayUnique($.inputArray)", input), Ok(json!([1, 2, 3, 4])));
}

#[test]
fn base64_encode() {
    let input = json!({"input": "Data to encode"});
    assert_eq!(
        eval("States.Base64Encode($.input)", input),
        Ok(json!("RGF0YSB0byBlbmNvZGU="))
    );
}

#[test]
fn base64_decode() {
    // The guide shows "Decoded data", which is not what this Base64 text decodes to.
    let input = json!({"base64": "RGF0YSB0byBlbmNvZGU="});
    assert_eq!(
        eval("States.Base64Decode($.base64)", input),
        Ok(json!("Data to encode"))
    );
}

#[test]
fn hash() {
    // The guide prints 39 hex digits, one dropped; this is the SHA-1 of "input data".
    let input = json!({"Data": "input data", "Algorithm": "SHA-1"});
    assert_eq!(
        eval("States.Hash($.Data, $.Algorithm)", input),
        Ok(json!("aaff4a450a104cd177d28d18d74485e8cae074b7"))
    );
}

#[test]
fn json_merge() {
    let input = json!({
        "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
        "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}
    });
    assert_eq!(
        eval("States.JsonMerge($.json1, $.json2, false)", input),
        Ok(json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}))
    );
}

#[test]
fn string_to_json() {
    let input = json!({"escapedJsonString": "{\"foo\": \"bar\"}"});
    assert_eq!(
        eval("States.StringToJson($.escapedJsonString)", input),
        Ok(json!({"foo": "bar"}))
    );
}

#[test]
fn json_to_string() {
    let input = json!({"unescapedJson": {"foo": "bar"}});
    assert_eq!(
        eval("States.JsonToString($.unescapedJson)", input),
        Ok(json!("{\"foo\":\"bar\"}"))
    );
}

#[test]
fn math_random() {
    // The guide's output is 456; with these fixed random bits, so is ours.
    let input = json!({"start": 1, "end": 999});
    assert_eq!(eval("States.MathRandom($.start, $.end)", input), Ok(json!(456)));
}

#[test]
fn math_add() {
    let input = json!({"value1": 111, "step": -1});
    assert_eq!(eval("States.MathAdd($.value1, $.step)", input), Ok(json!(110)));
}

#[test]
fn string_split() {
    let input = json!({"inputString": "1,2,3,4,5", "splitter": ","});
    assert_eq!(
        eval("States.StringSplit($.inputString, $.splitter)", input),
        Ok(json!(["1", "2", "3", "4", "5"]))
    );
}

#[test]
fn string_split_on_several_delimiters() {
    let input = json!({"inputString": "This.is+a,test=string", "splitter": ".+,="});
    assert_eq!(
        eval("States.StringSplit($.inputString, $.splitter)", input),
        Ok(json!(["This", "is", "a", "test", "string"]))
    );
}

#[test]
fn uuid() {
    assert_eq!(
        eval("States.UUID()", json!({})),
        Ok(json!("ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8"))
    );
}

#[test]
fn format_with_a_literal_template() {
    let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
    assert_eq!(
        eval("States.Format('Hello, my name is {}.', $.name)", input),
        Ok(json!("Hello, my name is Arnav."))
    );
}

#[test]
fn format_with_a_template_from_the_input() {
    let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
    assert_eq!(
        eval("States.Format($.template, $.name)", input),
        Ok(json!("Hello, my name is Arnav."))
    );
}

#[test]
fn nested_calls() {
    // The guide's nine-deep `myArn` example.
    let input =
        json!({"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.2"}});
    let call = "States.Format('{}.{}.{}', \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), \
        States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 2))";
    assert_eq!(eval(call, input), Ok(json!("1.0.2")));
}

// What the guide leaves out, pinned to executions recorded on AWS (LocalStack's validated
// snapshots of `States.Format`, `States.MathAdd` and the escape sequences).

#[test]
fn format_prints_values_as_the_java_runtime_does() {
    let rows = [
        (json!("HelloWorld"), "HelloWorld"),
        (json!(""), ""),
        (json!(null), "null"),
        (json!(1), "1"),
        (json!(1.1), "1.1"),
        (json!(true), "true"),
        (json!("{\"Arg1\": 1, \"Arg2\": []}"), "{\"Arg1\": 1, \"Arg2\": []}"),
        (json!({"Arg1": 1, "Arg2": []}), "{Arg1=1, Arg2=[]}"),
        (json!(["a", {"b": null}]), "[a, {b=null}]"),
    ];
    for (value, printed) in rows {
        let input = json!({"v": value});
        assert_eq!(
            eval("States.Format('Formatting argument {}.', $.v)", input),
            Ok(json!(format!("Formatting argument {printed}."))),
            "{value}"
        );
    }
}

#[test]
fn format_escapes() {
    let rows = [
        (
            r"States.Format('\{} is not a placeholder; {} is', 'this')",
            "{} is not a placeholder; this is",
        ),
        (r"States.Format('It\'s {}', 'mine')", "It's mine"),
        (r"States.Format('a \\ b')", r"a \ b"),
        (r"States.StringSplit('Hello\'World', '\'')", "[\"Hello\",\"World\"]"),
    ];
    for (call, expected) in rows {
        let got = eval(call, json!({})).map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        });
        assert_eq!(got.as_deref(), Ok(expected), "{call}");
    }
}

#[test]
fn integers_are_rounded_like_java() {
    let rows = [
        ("States.MathAdd(1.49, 1.50)", json!(3)),
        ("States.MathAdd(2.5, 0)", json!(3)),
        ("States.MathAdd(-2.5, 0)", json!(-2)),
        ("States.MathAdd(-0.5, 0.5)", json!(1)),
        ("States.ArrayRange(0.6, 2.4, 1)", json!([1, 2])),
        (
            "States.ArrayPartition(States.Array(1, 2, 3), 1.5)",
            json!([[1, 2], [3]]),
        ),
    ];
    for (call, expected) in rows {
        assert_eq!(eval(call, json!({})), Ok(expected), "{call}");
    }
}

#[test]
fn other_behaviours() {
    let rows = [
        ("States.ArrayRange(9, 1, -3)", json!([9, 6, 3])),
        ("States.ArrayRange(5, 1, 1)", json!([])),
        ("States.ArrayPartition(States.Array(), 2)", json!([])),
        ("States.ArrayContains(States.Array(1, 'a'), 'a')", json!(true)),
        ("States.ArrayContains(States.Array(1.0), 1)", json!(false)),
        (
            "States.ArrayUnique(States.Array(null, null, true, 'x', 'x'))",
            json!([null, true, "x"]),
        ),
        ("States.StringSplit(',a,,b,', ',')", json!(["a", "b"])),
        ("States.StringSplit('abc', '')", json!(["abc"])),
        (
            "States.JsonToString(States.Array(1, 'two', null))",
            json!("[1,\"two\",null]"),
        ),
        ("States.StringToJson('[1, 2]')", json!([1, 2])),
        (
            "States.Hash('input data', 'MD5')",
            json!("812f45842bc6d66ee14572ce20db8e86"),
        ),
        (
            "States.Hash('input data', 'SHA-256')",
            json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        ),
        ("States.Base64Encode('')", json!("")),
        ("States.Format('no placeholders')", json!("no placeholders")),
    ];
    for (call, expected) in rows {
        assert_eq!(eval(call, json!({})), Ok(expected), "{call}");
    }
}

#[test]
fn seeded_math_random_is_reproducible() {
    let first = eval("States.MathRandom(0, 999, 3)", json!({})).unwrap();
    assert_eq!(eval("States.MathRandom(0, 999, 3)", json!({})), Ok(first.clone()));
    let n = first.as_i64().unwrap();
    assert!((0..999).contains(&n), "{n}");
}

#[test]
fn generated_uuids_are_version_4() {
    let parsed = parse("States.UUID()").unwrap();
    let mut entropy = SplitMix64::new(7);
    let a = evaluate(&parsed, &Context::new(&json!({})), &mut entropy).unwrap();
    let b = evaluate(&parsed, &Context::new(&json!({})), &mut entropy).unwrap();
    assert_ne!(a, b);
    let text = a.as_str().unwrap();
    assert_eq!(text.len(), 36);
    assert_eq!(&text[14..15], "4");
    assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "{text}");
    assert_eq!(uuid_v4(0, 0), "00000000-0000-4000-8000-000000000000");
}

/// Each row: a call that AWS rejects at run time, and our message.
#[test]
fn failures() {
    let big = "x".repeat(10_001);
    let input = json!({"big": big, "list": [1, 2, 3], "text": "abc"});
    let rows = [
        (
            "States.ArrayGetItem($.list, 3)",
            "States.ArrayGetItem: the index 3 is out of bounds for an array of 3 elements",
        ),
        (
            "States.ArrayGetItem($.list, -1)",
            "States.ArrayGetItem: the index -1 is out of bounds for an array of 3 elements",
        ),
        (
            "States.ArrayGetItem($.list, 1.5)",
            "States.ArrayGetItem: the index must be an integer, but it is the number 1.5",
        ),
        (
            "States.ArrayLength($.text)",
            "States.ArrayLength: the first argument must be an array, but it is the string \"abc\"",
        ),
        (
            "States.ArrayPartition($.list, 0)",
            "States.ArrayPartition: the chunk size must be a positive integer, but it is 0",
        ),
        (
            "States.ArrayRange(1, 2, 0)",
            "States.ArrayRange: the step must not be 0",
        ),
        (
            "States.ArrayRange(1, 1001, 1)",
            "States.ArrayRange: the range has 1001 elements; at most 1000 are allowed",
        ),
        (
            "States.Base64Encode($.big)",
            "States.Base64Encode: the input has 10001 characters; at most 10000 are allowed",
        ),
        (
            "States.Base64Decode('!!')",
            "States.Base64Decode: '!' at position 0 is not a Base64 character",
        ),
        (
            "States.Hash($.big, 'MD5')",
            "States.Hash: the input has 10001 characters; at most 10000 are allowed",
        ),
        (
            "States.Hash('a', 'SHA-3')",
            "States.Hash: the algorithm 'SHA-3' is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
        ),
        (
            "States.JsonMerge($, $, true)",
            "States.JsonMerge: deep merging is not supported: the third argument must be false",
        ),
        (
            "States.JsonMerge($.list, $, false)",
            "States.JsonMerge: the first argument must be a JSON object, but it is the array [1,2,3]",
        ),
        (
            "States.MathAdd(2147483648, 1)",
            "States.MathAdd: the first argument, 2147483648, is outside the range -2147483648 to 2147483647",
        ),
        (
            "States.MathAdd('1', 1)",
            "States.MathAdd: the first argument must be an integer, but it is the string \"1\"",
        ),
        (
            "States.MathRandom(5, 5)",
            "States.MathRandom: the end (5) must be greater than the start (5)",
        ),
        (
            "States.StringToJson('{')",
            "States.StringToJson: the string is not valid JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            "States.Format($.text, 1)",
            "States.Format: the format string has 0 placeholders but 1 value follows it",
        ),
        (
            "States.Format($.list)",
            "States.Format: the first argument must be a string, but it is the array [1,2,3]",
        ),
        ("States.UUID(1)", "States.UUID: takes no arguments, but is given 1"),
        ("States.Nope()", "States.Nope: this is not an intrinsic function"),
    ];
    for (call, message) in rows {
        assert_eq!(failure(call, input.clone()), message, "{call}");
    }
}

#[test]
fn path_arguments_that_match_nothing_are_runtime_errors() {
    let parsed = parse("States.Format('{}', $.missing)").unwrap();
    let err = evaluate(&parsed, &Context::new(&json!({})), &mut Fixed(0)).unwrap_err();
    assert_eq!(err.error_name(), "States.Runtime");
    assert_eq!(err.to_string(), "No results for path: $['missing']");
    assert!(matches!(err, IntrinsicError::Path { span, .. } if span == Span::new(20, 29)));
}

#[test]
fn every_function_has_an_implementation_that_runs() {
    // Each row's documented example runs against an input that has what it reads.
    let input = json!({
        "name": "n", "escaped": "{}", "data": {}, "id": 1, "inputArray": [1, 2], "lookingFor": 1,
        "index": 0, "input": "x", "base64": "eA==", "Data": "x", "Algorithm": "MD5",
        "json1": {}, "json2": {}, "start": 1, "end": 2, "value1": 1, "step": 1,
        "inputString": "a,b", "splitter": ","
    });
    for function in crate::expr::intrinsics::FUNCTIONS {
        assert!(eval(function.example, input.clone()).is_ok(), "{}", function.example);
    }
}
