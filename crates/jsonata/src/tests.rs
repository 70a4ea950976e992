//! Hand-written cases: every construct parses to the tree jsonata-js builds, and every syntax
//! error gets jsonata-js's code at the right place.
//!
//! Trees are compared through a compact S-expression rendering (`show`), so a case reads like the
//! expression it tests.

use super::ast::{Kind, Node, Stage};
use super::error::TOO_DEEP;
use super::parse;
use aslkit_base::Span;

/// Renders a tree: `(path a b)`, `(+ 1 2)`, steps with their annotations (`a[0]`, `a@$x`,
/// `a#$i`, `a{k: v}`, `a[]`, `a^0` for the ancestor label 0).
fn show(node: &Node) -> String {
    let list = |items: &[Node]| items.iter().map(show).collect::<Vec<_>>().join(" ");
    let mut out = match &node.kind {
        Kind::Path(p) => format!(
            "(path{} {})",
            if p.keep_singleton_array { "[]" } else { "" },
            list(&p.steps)
        ),
        Kind::Name(n) => n.clone(),
        Kind::String(s) => format!("{s:?}"),
        Kind::Number(n) => n.to_string(),
        Kind::Bool(b) => b.to_string(),
        Kind::Null => "null".to_string(),
        Kind::Regex(r) => format!("/{}/{}", r.pattern, r.flags),
        Kind::Variable(v) => format!("${v}"),
        Kind::Wildcard => "*".to_string(),
        Kind::Descendant => "**".to_string(),
        Kind::Parent { label } => format!("%{label}"),
        Kind::Binary { op, lhs, rhs } => format!("({} {} {})", op.as_str(), show(lhs), show(rhs)),
        Kind::Negate(e) => format!("(- {})", show(e)),
        Kind::Array(items) => format!("[{}]", list(items)),
        Kind::Object(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Kind::Block(items) => format!("(block {})", list(items)),
        Kind::Bind { name, value } => format!("(:= ${name} {})", show(value)),
        Kind::Apply { lhs, rhs } => format!("(~> {} {})", show(lhs), show(rhs)),
        Kind::Condition {
            condition,
            then,
            otherwise,
        } => match otherwise {
            Some(o) => format!("(? {} {} {})", show(condition), show(then), show(o)),
            None => format!("(? {} {})", show(condition), show(then)),
        },
        Kind::Function { procedure, args } => format!("(call {} {})", show(procedure), list(args)),
        Kind::Partial { procedure, args } => format!("(partial {} {})", show(procedure), list(args)),
        Kind::Placeholder => "?".to_string(),
        Kind::Lambda(l) if l.thunk => format!("(thunk {})", show(&l.body)),
        Kind::Lambda(l) => {
            let params: Vec<String> = l.params.iter().map(|p| format!("${p}")).collect();
            let sig = l.signature.as_ref().map(|s| s.definition.clone()).unwrap_or_default();
            format!("(lambda ({}){sig} {})", params.join(" "), show(&l.body))
        }
        Kind::Transform {
            pattern,
            update,
            delete,
        } => match delete {
            Some(d) => format!("(| {} {} {})", show(pattern), show(update), show(d)),
            None => format!("(| {} {})", show(pattern), show(update)),
        },
        Kind::Sort(terms) => format!(
            "(sort {})",
            terms
                .iter()
                .map(|t| format!("{}{}", if t.descending { ">" } else { "<" }, show(&t.expression)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    for stage in node.predicate.iter().chain(&node.stages) {
        match stage {
            Stage::Filter { expr, .. } => out.push_str(&format!("[{}]", show(expr))),
            Stage::Index { name, .. } => out.push_str(&format!("#${name}")),
        }
    }
    if let Some(f) = &node.focus {
        out.push_str(&format!("@${f}"));
    }
    if let Some(i) = &node.index {
        out.push_str(&format!("#${i}"));
    }
    if node.keep_array && !matches!(node.kind, Kind::Path(_)) {
        out.push_str("[]");
    }
    if let Some(a) = node.ancestor {
        out.push_str(&format!("^{a}"));
    }
    if let Some(g) = &node.group {
        let pairs: Vec<String> = g
            .pairs
            .iter()
            .map(|(k, v)| format!("{}: {}", show(k), show(v)))
            .collect();
        out.push_str(&format!("{{{}}}", pairs.join(", ")));
    }
    out
}

#[track_caller]
fn tree(expr: &str) -> String {
    match parse(expr) {
        Ok(ast) => show(&ast.root),
        Err(e) => panic!("{expr:?} should parse, got {} at {}: {}", e.code, e.span, e.message),
    }
}

/// The error code and span of an expression that must not parse.
#[track_caller]
fn error(expr: &str) -> (&'static str, Span) {
    match parse(expr) {
        Ok(ast) => panic!("{expr:?} should not parse, got {}", show(&ast.root)),
        Err(e) => (e.code, e.span),
    }
}

#[track_caller]
fn code(expr: &str) -> &'static str {
    error(expr).0
}

#[test]
fn literals() {
    assert_eq!(tree("\"hello\""), "\"hello\"");
    assert_eq!(tree("'say \"hi\"'"), "\"say \\\"hi\\\"\"");
    assert_eq!(tree(r#""a\"b\\c\/d\n\t\u00e9""#), "\"a\\\"b\\\\c/d\\n\\té\"");
    assert_eq!(tree(r#""\ud83d\ude00""#), "\"😀\"");
    assert_eq!(tree("42"), "42");
    assert_eq!(tree("3.5e2"), "350");
    assert_eq!(tree("-7"), "-7");
    assert_eq!(tree("true"), "true");
    assert_eq!(tree("false"), "false");
    assert_eq!(tree("null"), "null");
    assert_eq!(tree("/ab+c/i"), "/ab+c/i");
    assert_eq!(tree(r"/a\/b/"), r"/a\/b/");
    assert_eq!(tree("/[/]x/m"), "/[/]x/m");
}

#[test]
fn paths() {
    assert_eq!(tree("a"), "(path a)");
    assert_eq!(tree("a.b.c"), "(path a b c)");
    assert_eq!(tree("`a b`.\"c d\""), "(path a b c d)");
    assert_eq!(tree("$.a"), "(path $ a)");
    assert_eq!(tree("$$.a"), "(path $$ a)");
    assert_eq!(tree("a.*.b"), "(path a * b)");
    assert_eq!(tree("**.b"), "(path ** b)");
    assert_eq!(tree("a.and.or.in"), "(path a and or in)");
    assert_eq!(tree("a.$uppercase(b)"), "(path a (call $uppercase (path b)))");
    assert_eq!(tree("a.(b + 1)"), "(path a (block (+ (path b) 1)))");
    assert_eq!(tree("a.[b, c]"), "(path a [(path b) (path c)])");
}

#[test]
fn predicates_and_stages() {
    assert_eq!(tree("a[0]"), "(path a[0])");
    assert_eq!(tree("a.b[x > 1][0]"), "(path a b[(> (path x) 1)][0])");
    assert_eq!(tree("$x[0]"), "$x[0]");
    assert_eq!(tree("a.$x[0]"), "(path a $x[0])");
    assert_eq!(tree("a[]"), "(path[] a[])");
    assert_eq!(tree("a.b[0][]"), "(path[] a b[0][])");
    assert_eq!(tree("a[-1]"), "(path a[-1])");
}

#[test]
fn bindings_focus_and_index() {
    assert_eq!(tree("a@$x.b"), "(path a@$x b)");
    assert_eq!(tree("a#$i.b"), "(path a#$i b)");
    assert_eq!(tree("a[0]#$i"), "(path a[0]#$i)");
    assert_eq!(tree("$x#$i"), "(path $x#$i)");
    assert_eq!(tree("a@$x#$i"), "(path a@$x#$i)");
    assert_eq!(tree("$x := 1"), "(:= $x 1)");
    assert_eq!(tree("$a := $b := 2"), "(:= $a (:= $b 2))");
}

#[test]
fn group_sort_and_transform() {
    assert_eq!(tree("a{b: c}"), "(path a){(path b): (path c)}");
    assert_eq!(tree("a.b{c: d}"), "(path a b){(path c): (path d)}");
    assert_eq!(tree("a^(b)"), "(path a (sort <(path b)))");
    assert_eq!(tree("a^(<b, >c)"), "(path a (sort <(path b) >(path c)))");
    assert_eq!(tree("| a | {'x': 1} |"), "(| (path a) {\"x\": 1})");
    assert_eq!(tree("| a | {}, ['b'] |"), "(| (path a) {} [\"b\"])");
    assert_eq!(tree("$ ~> |a|{}|"), "(~> $ (| (path a) {}))");
    assert_eq!(tree("$ ~> $f[]"), "(~> $ $f[])[]");
}

#[test]
fn operators_and_precedence() {
    assert_eq!(tree("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(tree("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(tree("a & b"), "(& (path a) (path b))");
    assert_eq!(
        tree("a = 1 and b != 2 or c"),
        "(or (and (= (path a) 1) (!= (path b) 2)) (path c))"
    );
    assert_eq!(
        tree("1 < 2 and 3 <= 4 and 5 > 4 and 5 >= 5"),
        "(and (and (and (< 1 2) (<= 3 4)) (> 5 4)) (>= 5 5))"
    );
    assert_eq!(tree("a in [1, 2]"), "(in (path a) [1 2])");
    assert_eq!(tree("10 % 3 / 2"), "(/ (% 10 3) 2)");
    assert_eq!(tree("-a"), "(- (path a))");
    assert_eq!(
        tree("a ? b : c ? d : e"),
        "(? (path a) (path b) (? (path c) (path d) (path e)))"
    );
    assert_eq!(tree("a ? b"), "(? (path a) (path b))");
    assert_eq!(tree("x ~> $f ~> $g"), "(~> (~> (path x) $f) $g)");
    assert_eq!(tree("a / 2"), "(/ (path a) 2)");
    assert_eq!(tree("(a) / 2 / 4"), "(/ (/ (block (path a)) 2) 4)");
}

#[test]
fn constructors_blocks_and_ranges() {
    assert_eq!(tree("[]"), "[]");
    assert_eq!(tree("[1, [2]]"), "[1 [2]]");
    assert_eq!(tree("[1..5, 7]"), "[(.. 1 5) 7]");
    assert_eq!(tree("{}"), "{}");
    assert_eq!(tree("{'a': 1, 'b': [2]}"), "{\"a\": 1, \"b\": [2]}");
    assert_eq!(tree("()"), "(block )");
    assert_eq!(tree("(1; 2;)"), "(block 1 2)");
    assert_eq!(tree("($x := 1; $x + 1)"), "(block (:= $x 1) (+ $x 1))");
}

#[test]
fn functions_lambdas_and_partials() {
    assert_eq!(tree("$sum(a, 1)"), "(call $sum (path a) 1)");
    assert_eq!(tree("$f()"), "(call $f )");
    assert_eq!(tree("$substring(?, 0, 2)"), "(partial $substring ? 0 2)");
    assert_eq!(tree("function($x){$x * 2}"), "(lambda ($x) (* $x 2))");
    assert_eq!(tree("λ($x, $y){$x + $y}"), "(lambda ($x $y) (+ $x $y))");
    assert_eq!(tree("function($x)<n-n:n>{$x}"), "(lambda ($x)<n-n:n> $x)");
    assert_eq!(tree("function($a)<a<n>>{$a}"), "(lambda ($a)<a<n>> $a)");
    assert_eq!(
        tree("function($n){$n < 1 ? 1 : $f($n - 1)}"),
        "(lambda ($n) (? (< $n 1) 1 (thunk (call $f (- $n 1)))))"
    );
    assert_eq!(
        tree("function(){($x; $g())}"),
        "(lambda () (block (path x) (thunk (call $g ))))".replace("(path x)", "$x")
    );
}

#[test]
fn signatures_are_parsed() {
    let ast = parse("function($s, $n)<s-n?:s>{$s}").unwrap();
    let Kind::Lambda(l) = &ast.root.kind else {
        panic!("a lambda")
    };
    let sig = l.signature.as_ref().unwrap();
    assert_eq!(sig.params.len(), 2);
    assert_eq!(sig.params[0].symbol, "s");
    assert!(sig.params[0].use_context);
    assert_eq!(sig.params[1].symbol, "n");
    assert!(sig.params[1].optional);
    let ast = parse("function($f, $a)<f<n:n>(sa)+>{$f}").unwrap();
    let Kind::Lambda(l) = &ast.root.kind else {
        panic!("a lambda")
    };
    let sig = l.signature.as_ref().unwrap();
    assert_eq!(sig.params[0].subtype.as_deref(), Some("n:n"));
    assert_eq!(sig.params[1].symbol, "(sa)");
    assert!(sig.params[1].repeated);
}

#[test]
fn parent_operator_resolves_to_a_step() {
    assert_eq!(tree("a.b.%"), "(path a b^0 %0)");
    assert_eq!(tree("a.b.%.%"), "(path a^1 b^0 %0 %1)");
    assert_eq!(tree("a.b[%.c = 1]"), "(path a b[(= (path %0 c) 1)]^0)");
    assert_eq!(tree("a.b.(%.x)"), "(path a b^0 (block (path %0 x)))");
    // Two parent operators landing on one step share its label.
    assert_eq!(tree("a.b.[%.x, %.y]"), "(path a b^0 [(path %0 x) (path %0 y)])");
    // A step that a parent refers to binds tuples.
    let ast = parse("a.b.%").unwrap();
    let Kind::Path(p) = &ast.root.kind else {
        panic!("a path")
    };
    assert!(p.steps[1].tuple);
    assert!(!p.steps[0].tuple);
}

#[test]
fn comments_and_whitespace() {
    assert_eq!(tree("/* c */ a /* d */ . /**/ b"), "(path a b)");
    assert_eq!(tree("\n\ta\r\n+\u{b}1 "), "(+ (path a) 1)");
}

#[test]
fn names_end_only_at_operators_and_whitespace() {
    assert_eq!(tree("a'b"), "(path a'b)");
    assert_eq!(tree("$a$b"), "$a$b");
    assert_eq!(tree("héllo.wörld"), "(path héllo wörld)");
    assert_eq!(tree("`a.b`"), "(path a.b)");
}

#[test]
fn slash_is_a_regex_only_where_an_operand_is_expected() {
    assert_eq!(tree("$match(s, /x/)"), "(call $match (path s) /x/)");
    assert_eq!(tree("a ~> /x/"), "(~> (path a) /x/)");
    assert_eq!(tree("$f(/x/)"), "(call $f /x/)");
    // After an opening `(` or `[` of a block or an array jsonata-js reads `/` as division, so a
    // regex cannot come first there.
    assert_eq!(code("(/x/)"), "S0211");
    assert_eq!(code("[/x/]"), "S0211");
    assert_eq!(tree("[1, /x/]"), "[1 /x/]");
}

#[test]
fn lexical_errors() {
    assert_eq!(error("\"abc"), ("S0101", Span::new(0, 4)));
    assert_eq!(code("'abc"), "S0101");
    assert_eq!(error("1e999"), ("S0102", Span::new(0, 5)));
    assert_eq!(error(r#""\q""#), ("S0103", Span::new(1, 3)));
    assert_eq!(code(r#""\'""#), "S0103");
    assert_eq!(code(r#""\u12g4""#), "S0104");
    assert_eq!(code(r#""\u""#), "S0104");
    assert_eq!(error("`abc"), ("S0105", Span::new(0, 4)));
    assert_eq!(error("a /* open"), ("S0106", Span::new(2, 4)));
    assert_eq!(code("//"), "S0301");
    assert_eq!(code("$match(s, /abc)"), "S0302");
    assert_eq!(code("/(/"), "S0302");
}

#[test]
fn syntax_errors() {
    assert_eq!(error("a b"), ("S0201", Span::new(2, 3)));
    assert_eq!(code("$.7a"), "S0201");
    assert_eq!(error("[1,2)"), ("S0202", Span::new(4, 5)));
    assert_eq!(code("{'a' 1}"), "S0202");
    assert_eq!(error("$f(1"), ("S0203", Span::new(4, 4)));
    assert_eq!(code("(a; b"), "S0203");
    assert_eq!(code("[1,"), "S0203");
    assert_eq!(error("[1!2]"), ("S0204", Span::new(2, 3)));
    assert_eq!(code("a ~ b"), "S0204");
    assert_eq!(error("1 +"), ("S0207", Span::new(3, 3)));
    assert_eq!(code(""), "S0207");
    assert_eq!(code("   "), "S0207");
    assert_eq!(error("function(x){x}"), ("S0208", Span::new(9, 10)));
    assert_eq!(code("function($x, 2){x}"), "S0208");
    assert_eq!(code("[1,2]{'a': $}[0]"), "S0209");
    assert_eq!(code("[1,2]{'a': $}{'b': $}"), "S0210");
    assert_eq!(error(")"), ("S0211", Span::new(0, 1)));
    assert_eq!(code("@ a"), "S0211");
    assert_eq!(code("1 = = 2"), "S0211");
    assert_eq!(code("a ? ?"), "S0211");
    assert_eq!(error("a := 1"), ("S0212", Span::new(0, 1)));
    assert_eq!(code("$a[0] := 1"), "S0212");
    assert_eq!(error("a.7"), ("S0213", Span::new(2, 3)));
    assert_eq!(code("a.true"), "S0213");
    assert_eq!(code("a.null"), "S0213");
    assert_eq!(code("a.-1"), "S0213");
    assert_eq!(code("a@x"), "S0214");
    assert_eq!(code("a#1"), "S0214");
    assert_eq!(code("a[0]@$x"), "S0215");
    assert_eq!(code("a^(b)@$x"), "S0216");
    assert_eq!(code("%"), "S0217");
    assert_eq!(code("a.%.%"), "S0217");
    assert_eq!(code("$.%"), "S0217");
    assert_eq!(code("(%)"), "S0217");
    assert_eq!(code("function($x)<n<n>>{$x}"), "S0401");
    assert_eq!(code("function($x)<(sa<n>)>{$x}"), "S0402");
    assert_eq!(code("function($x)<n{$x}"), "S0202");
}

#[test]
fn the_first_error_wins() {
    // The parser fails before the post-parse pass looks at `7`.
    assert_eq!(code("a.7 )"), "S0201");
    // The post-parse pass reports the first problem in evaluation order.
    assert_eq!(code("a.7 +"), "S0213");
    assert_eq!(code("1 + a.7"), "S0213");
    assert_eq!(code("% + a.7"), "S0213");
    // The lexer is lazy: a bad string after a syntax error is never reached.
    assert_eq!(code("a b \"open"), "S0201");
}

#[test]
fn positions_count_characters() {
    assert_eq!(error("\"é\" é ,"), ("S0201", Span::new(4, 5)));
    assert_eq!(error("'😀' + )"), ("S0211", Span::new(6, 7)));
}

#[test]
fn nesting_is_bounded() {
    let deep = "(".repeat(100_000) + &")".repeat(100_000);
    assert_eq!(code(&deep), TOO_DEEP);
    let chain = vec!["a"; 100_000].join(" + ");
    assert_eq!(code(&chain), TOO_DEEP);
    let arrays = "[".repeat(5_000);
    assert_eq!(code(&arrays), TOO_DEEP);
    assert!(!parse(&"-".repeat(10_000)).unwrap_err().is_syntax_error());
    let fine = "(".repeat(100) + "1" + &")".repeat(100);
    assert!(parse(&fine).is_ok());
}

/// Expressions nested just under the limit, in every shape that recurses, parse in a thread
/// with a 2 MiB stack (the default for spawned threads) in a debug build.
#[test]
fn nesting_limit_fits_a_small_stack() {
    let n = super::parse::MAX_DEPTH as usize - 5;
    let shapes = [
        "(".repeat(n) + "1" + &")".repeat(n),
        "[".repeat(n) + "1" + &"]".repeat(n),
        "$f(".repeat(n) + &")".repeat(n),
        "a[".repeat(n) + "1" + &"]".repeat(n),
        "{'a':".repeat(n) + "1" + &"}".repeat(n),
        "-".repeat(n) + "a",
        vec!["a"; n].join("."),
        vec!["a"; n].join(" + "),
        "function($x){".repeat(n) + "1" + &"}".repeat(n),
        "a ? ".repeat(n) + "1",
        "|a|".repeat(n / 2) + "1" + &"|".repeat(n / 2),
    ];
    for shape in shapes {
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse(&shape).map(|_| ()).map_err(|e| (e.code, shape)))
            .unwrap();
        assert_eq!(handle.join().unwrap(), Ok(()));
    }
}
