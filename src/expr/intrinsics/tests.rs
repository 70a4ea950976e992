use super::*;

fn ok(s: &str) -> Call {
    match parse(s) {
        Ok(c) => c,
        Err(e) => panic!("{s:?} should parse: {e} at {}", e.span),
    }
}

fn err(s: &str) -> Span {
    match parse(s) {
        Ok(c) => panic!("{s:?} should not parse: {c:?}"),
        Err(e) => e.span,
    }
}

fn problems(s: &str) -> Vec<String> {
    check(&ok(s)).iter().map(Problem::message).collect()
}

#[test]
fn arguments_of_every_kind() {
    let c = ok("States.Array('a', -1.5, 2, true, false, null, $.x, $$.Task.Token, $v[0], States.UUID())");
    let kinds: Vec<_> = c
        .args
        .iter()
        .map(|a| match &a.kind {
            ArgKind::String(_) => "string",
            ArgKind::Number(_) => "number",
            ArgKind::Boolean(_) => "boolean",
            ArgKind::Null => "null",
            ArgKind::Path(_) => "path",
            ArgKind::Call(_) => "call",
        })
        .collect();
    assert_eq!(
        kinds,
        ["string", "number", "number", "boolean", "boolean", "null", "path", "path", "path", "call"]
    );
    assert_eq!(c.args[6].span, Span::new(46, 49));
}

#[test]
fn path_arguments_keep_absolute_spans() {
    let c = ok("States.Format('{}', $.a.b)");
    let ArgKind::Path(p) = &c.args[1].kind else { panic!() };
    assert_eq!(p.span, Span::new(20, 25));
    assert_eq!(p.steps[1].span, Span::new(23, 25));
}

#[test]
fn whitespace_between_tokens_and_after_the_call() {
    ok("States.Format( 'a {}' ,  $.b )   ");
    ok("States.Format('one {}\ntwo {}', $.a, 'b')");
}

#[test]
fn escapes() {
    let c = ok(r"States.Format('it\'s \{literal\} and {} \\', $.x)");
    let ArgKind::String(s) = &c.args[0].kind else { panic!() };
    assert_eq!(s.value(), r"it's {literal} and {} \");
    assert_eq!(s.placeholders(), 1);
}

#[test]
fn nested_calls() {
    let c = ok("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), $.x)");
    let ArgKind::Call(inner) = &c.args[1].kind else {
        panic!()
    };
    assert_eq!(inner.name, "States.ArrayGetItem");
    assert_eq!(inner.span, Span::new(23, 77));
}

#[test]
fn syntax_errors_point_at_the_failing_character() {
    assert_eq!(err("  States.Format($.a)"), Span::new(0, 1));
    assert_eq!(err("States.JsonToString($"), Span::point(21));
    assert_eq!(err("States.StringToJson $.escaped)"), Span::new(20, 29));
    assert_eq!(err("States. "), Span::point(8));
    assert_eq!(err("States.Format('abc"), Span::new(14, 18));
    assert_eq!(err("States.Format('a' 'b')"), Span::new(18, 21));
    assert_eq!(err("States.Format('a',)"), Span::new(18, 19));
    assert_eq!(err("States.Format(abc)"), Span::new(14, 17));
    assert_eq!(err("States.Format($.a b)"), Span::new(18, 19));
    assert_eq!(err("States.Format($.)"), Span::point(16));
    assert_eq!(err("States.UUID() x"), Span::new(14, 15));
    assert_eq!(err("States.Format(\"a\")"), Span::new(14, 15));
}

#[test]
fn unknown_functions() {
    assert_eq!(
        problems("States.Xyz($.a)"),
        ["`States.Xyz` is not an intrinsic function"]
    );
    assert_eq!(
        check(&ok("States.Format('{}', Foo.Bar())"))[0].span(),
        Span::new(20, 27)
    );
}

#[test]
fn arity() {
    assert_eq!(
        problems("States.UUID($.a)"),
        ["`States.UUID` takes no arguments, but is given 1"]
    );
    assert_eq!(
        problems("States.MathRandom(1)"),
        ["`States.MathRandom` takes 2 to 3 arguments, but is given 1"]
    );
    assert!(problems("States.MathRandom(1, 9, 7)").is_empty());
    assert!(problems("States.Array()").is_empty());
}

#[test]
fn literal_argument_types() {
    assert_eq!(
        problems("States.MathAdd(1, '-1')"),
        ["argument 2 of `States.MathAdd` must be a number, not a string"]
    );
    assert_eq!(
        problems("States.ArrayLength('abc')"),
        ["argument 1 of `States.ArrayLength` must be an array, not a string"]
    );
    assert!(problems("States.MathAdd($.a, States.ArrayLength($.b))").is_empty());
    assert!(problems("States.JsonMerge($.a, $.b, false)").is_empty());
    assert_eq!(check(&ok("States.Base64Encode(12)"))[0].span(), Span::new(20, 22));
}

#[test]
fn format_placeholders_must_match_the_arguments() {
    assert_eq!(
        problems("States.Format('{} and {}', $.a)"),
        ["the `States.Format` template has 2 `{}` placeholders, but 1 value follows"]
    );
    assert!(problems(r"States.Format('\{\} {}', $.a)").is_empty());
    assert!(problems("States.Format($.template, $.a, $.b)").is_empty());
    assert!(problems("States.Format('no placeholders')").is_empty());
}

#[test]
fn nesting_is_limited_to_ten() {
    let nest = |n: usize| {
        let mut s = "$.a".to_string();
        for _ in 0..n {
            s = format!("States.JsonToString({s})");
        }
        s
    };
    assert!(problems(&nest(10)).is_empty());
    let p = check(&ok(&nest(11)));
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].message(),
        "intrinsic functions are nested 11 levels deep; at most 10 are allowed"
    );
    assert_eq!(p[0].span(), Span::new(200, 219));
}
