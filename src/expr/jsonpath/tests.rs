use serde_json::json;

use super::*;

fn ok(s: &str) -> Path {
    match parse(s) {
        Ok(p) => p,
        Err(e) => panic!("{s:?} should parse: {e} at {}", e.span),
    }
}

/// The span and message of the error for `s`.
fn err(s: &str) -> (Span, String) {
    match parse(s) {
        Ok(p) => panic!("{s:?} should not parse, got {p:?}"),
        Err(e) => (e.span, e.message),
    }
}

fn child(name: &str) -> StepKind {
    StepKind::Child(Selector::Name(name.into()))
}

#[test]
fn roots() {
    assert_eq!(ok("$").root, Root::Input);
    assert_eq!(ok("$$").root, Root::Context);
    assert_eq!(ok("$$.Execution.Id").root, Root::Context);
    assert_eq!(ok("$order").root, Root::Variable("order".into()));
    assert_eq!(ok("$order.id[0]").variable(), Some("order"));
}

#[test]
fn dot_and_bracket_children() {
    let p = ok("$.store['book'][\"title\"]");
    let kinds: Vec<_> = p.steps.iter().map(|s| s.kind.clone()).collect();
    assert_eq!(kinds, [child("store"), child("book"), child("title")]);
    assert_eq!(p.steps[1].span, Span::new(7, 15));
}

#[test]
fn names_keep_punctuation_like_jayway() {
    assert_eq!(ok("$.order-id").steps[0].kind, child("order-id"));
    assert_eq!(ok("$.a:b$c").steps[0].kind, child("a:b$c"));
    assert_eq!(ok("$.ünïcödé").steps[0].kind, child("ünïcödé"));
    // Jayway ends a dot-notation name only at `.`, `[` or `(`.
    assert_eq!(ok("$.a]").steps[0].kind, child("a]"));
}

#[test]
fn indexes_slices_unions() {
    assert_eq!(ok("$.a[0]").steps[1].kind, StepKind::Child(Selector::Index(0)));
    assert_eq!(ok("$.a[-1]").steps[1].kind, StepKind::Child(Selector::Index(-1)));
    assert_eq!(
        ok("$.a[0, 2]").steps[1].kind,
        StepKind::Child(Selector::Indices(vec![0, 2]))
    );
    assert_eq!(
        ok("$.a[1:3]").steps[1].kind,
        StepKind::Child(Selector::Slice(Slice {
            start: Some(1),
            end: Some(3),
            step: None
        }))
    );
    assert_eq!(
        ok("$.a[::2]").steps[1].kind,
        StepKind::Child(Selector::Slice(Slice {
            start: None,
            end: None,
            step: Some(2)
        }))
    );
    assert_eq!(
        ok("$['a','b']").steps[0].kind,
        StepKind::Child(Selector::Names(vec!["a".into(), "b".into()]))
    );
}

#[test]
fn wildcards_and_deep_scan() {
    assert_eq!(ok("$.a.*").steps[1].kind, StepKind::Child(Selector::Wildcard));
    assert_eq!(ok("$.a[*]").steps[1].kind, StepKind::Child(Selector::Wildcard));
    assert_eq!(
        ok("$..price").steps[0].kind,
        StepKind::Descendant(Selector::Name("price".into()))
    );
    assert_eq!(ok("$..*").steps[0].kind, StepKind::Descendant(Selector::Wildcard));
    assert_eq!(ok("$..[0]").steps[0].kind, StepKind::Descendant(Selector::Index(0)));
}

#[test]
fn filters() {
    let p = ok("$.store.book[?(@.price < 10 && !(@.isbn) || @.tag in ['a', 'b'])]");
    let StepKind::Child(Selector::Filter(f)) = &p.steps[2].kind else {
        panic!("{p:?}")
    };
    let Filter::Or(alternatives) = f.as_ref() else {
        panic!("{f:?}")
    };
    assert_eq!(alternatives.len(), 2);
    let Filter::And(both) = &alternatives[0] else { panic!() };
    assert!(matches!(
        &both[0],
        Filter::Compare { op: RelOp::Lt, right: Operand::Literal(v), .. } if *v == json!(10)
    ));
    assert!(matches!(&both[1], Filter::Not(inner) if matches!(inner.as_ref(), Filter::Exists(_))));
    assert!(matches!(
        &alternatives[1],
        Filter::Compare { op: RelOp::In, right: Operand::Literal(v), .. } if *v == json!(["a", "b"])
    ));
}

#[test]
fn filter_operands() {
    ok("$[?(@.name =~ /foo.*?/i)]");
    ok("$[?(@.a == $.b)]");
    ok("$[?(@.a == $$.Execution.Id)]");
    ok("$[?(@.a == 'x' || @.a == \"y\")]");
    ok("$[?(@.a == true)]");
    ok("$[?(@.a != null)]");
    ok("$[?(@.a size 2)]");
    ok("$[?(@.a empty false)]");
    ok("$[?(@.a subsetof ['x'])]");
    ok("$[?(@ > 2)]");
    ok("$[?(@.a == {'k': 1})]");
    ok("$.a[?(@.b)].c");
    // Unquoted words compare as strings.
    let p = ok("$.a[?(@.key == FooBar)]");
    let StepKind::Child(Selector::Filter(f)) = &p.steps[1].kind else {
        panic!()
    };
    assert!(matches!(
        f.as_ref(),
        Filter::Compare { right: Operand::Literal(v), .. } if *v == json!("FooBar")
    ));
}

#[test]
fn length_minus_n_is_an_index_from_the_end() {
    for s in ["$[(@.length-1)].bar", "$[( @.length - 1 )]"] {
        assert_eq!(ok(s).steps[0].kind, StepKind::Child(Selector::Index(-1)), "{s}");
    }
    assert!(parse("$[(@.size-1)]").is_err());
}

#[test]
fn functions() {
    assert_eq!(
        ok("$.items.length()").steps[1].kind,
        StepKind::Function {
            name: "length".into(),
            args: vec![]
        }
    );
    ok("$.a.concat(\"x\", $.b)");
}

#[test]
fn definite_paths() {
    assert!(ok("$.a['b'][0][-1]").first_indefinite_step().is_none());
    assert_eq!(
        ok("$.a[*].b").first_indefinite_step().map(|s| s.span),
        Some(Span::new(3, 6))
    );
    assert_eq!(
        ok("$..b").first_indefinite_step().map(|s| s.describe()),
        Some("a deep scan (`..`)")
    );
}

#[test]
fn errors_point_at_the_failing_character() {
    assert_eq!(err("").0, Span::point(0));
    assert_eq!(err("foo").0.start, 0);
    assert_eq!(err("$.").0, Span::point(2));
    assert!(err("$.").1.contains("field name after `.`"));
    assert_eq!(err("$..").0, Span::point(3));
    assert_eq!(err("$...a").0, Span::new(3, 4));
    assert_eq!(err("$.a b").0, Span::new(3, 4));
    assert_eq!(err(" $.a").0, Span::new(0, 1));
    // Trailing whitespace is trimmed, as Jayway JsonPath does (ASL209 warns about it).
    assert_eq!(ok("$.a ").span, Span::new(0, 3));
    assert_eq!(err("$[").0, Span::point(2));
    assert_eq!(err("$[abc]").0, Span::new(2, 5));
    assert_eq!(err("$['a'").0, Span::point(5));
    assert_eq!(err("$['a").0.start, 2);
    assert_eq!(err("$[1.5]").0, Span::new(2, 5));
    assert_eq!(err("$[?(@.a = 1)]").0, Span::new(8, 9));
    assert_eq!(err("$[?(@.a == )]").0, Span::new(11, 12));
    assert_eq!(err("$[?(@.a)").0, Span::point(8));
    assert_eq!(err("$[?(1)]").0, Span::new(4, 5));
    assert_eq!(
        err("$[?(@.a == )]").1,
        "expected a value (a path, a string, a number, `true`, `false` or `null`), found `)`"
    );
    assert_eq!(err("$$23").0, Span::new(2, 3));
    assert_eq!(err("@.a").0, Span::new(0, 1));
}

#[test]
fn error_positions_count_characters_not_bytes() {
    assert_eq!(err("$.é.").0, Span::point(4));
}
