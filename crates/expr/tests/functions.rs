//! The functions of the language beyond arithmetic: every one-argument and two-argument
//! function, `if` with comparisons and `and`/`or`/`not`. Each parses, prints (infix that reads
//! back, LaTeX), evaluates with the one semantics, and bad uses are clear parse errors.

use symdiff_expr::{
    parse, parse_sexp, var, CmpOp, EvalError, Expr, Func, Func2, ParseErrorKind, Point, Semantics,
};

fn at(x: f64) -> Point {
    Point::new().with("x", x)
}

#[test]
fn every_function_parses_prints_and_reads_back() {
    let x = var("x");
    for f in Func::ALL {
        let text = format!("{}(x + 1)", f.name());
        let e = parse(&text).unwrap();
        assert_eq!(e, (x + 1).apply(f));
        assert_eq!(e.to_string(), text);
        assert_eq!(parse_sexp(&e.to_sexp().unwrap()).unwrap(), e);
        assert_eq!(Expr::from_json(&e.to_json()).unwrap(), e);
        assert_eq!(e.metrics().ops[f.name()].dag, 1);
    }
    for f in Func2::ALL {
        let text = format!("{}(x, 2*x)", f.name());
        let e = parse(&text).unwrap();
        assert_eq!(e, x.apply2(f, 2 * x));
        assert_eq!(e.to_string(), text);
        assert_eq!(parse_sexp(&e.to_sexp().unwrap()).unwrap(), e);
        assert_eq!(Expr::from_json(&e.to_json()).unwrap(), e);
    }
}

#[test]
fn conditions_print_with_minimal_parentheses_and_read_back() {
    for text in [
        "if(x > 0, x, 0)",
        "if(x <= y, x, y)",
        "if(x == 0, 1, sin(x)/x)",
        "if(x != 0 and y >= 1, x, y)",
        "if(x < 0 or y < 0 and x > 1, 1, 2)",
        "if((x < 0 or y < 0) and x > 1, 1, 2)",
        "if(not x < 0, 1, 2)",
        "if(not (x < 0 and y < 0), 1, 2)",
        "if(not not x < 0, 1, 2)",
        "if(x - 1 < -y^2, -x, x)",
        "if(if(x > 0, x, y) > 1, 2, 3)*x",
        "max(x, 0) + min(x, 0)",
        "atan2(y, x) - hypot(x, y)",
    ] {
        let e = parse(text).unwrap();
        assert_eq!(e.to_string(), text);
    }
    // `and` binds tighter than `or`; `not` tighter than `and`, looser than a comparison.
    assert_eq!(
        parse("if(a < 1 or b < 1 and c < 1, 1, 2)").unwrap(),
        parse("if(a < 1 or (b < 1 and c < 1), 1, 2)").unwrap()
    );
    assert_eq!(
        parse("if(not a < 1 and b < 1, 1, 2)").unwrap(),
        parse("if((not (a < 1)) and b < 1, 1, 2)").unwrap()
    );
    assert_eq!(
        parse("if(-a + 1 < b*2, 1, 2)").unwrap(),
        Expr::if_else(Expr::compare(CmpOp::Lt, -var("a") + 1, var("b") * 2), 1, 2)
    );
}

#[test]
fn a_shared_condition_is_bound_and_reads_back() {
    let x = var("x");
    let c = Expr::compare(CmpOp::Gt, x.sin(), 0);
    let e = Expr::if_else(c, x, 0) + Expr::if_else(c, 1, x);
    let text = e.to_infix(100, symdiff_expr::Sharing::Always);
    assert!(text.contains(" > 0;"), "the condition is bound: {text}");
    assert_eq!(parse(&text).unwrap(), e);
}

#[test]
fn latex_forms() {
    let latex = |s: &str| parse(s).unwrap().to_latex();
    assert_eq!(latex("abs(x)"), r"\lvert x\rvert");
    assert_eq!(latex("max(x, 0)"), r"\max\left(x, 0\right)");
    assert_eq!(
        latex("atan2(y, x)"),
        r"\operatorname{atan2}\left(y, x\right)"
    );
    assert_eq!(latex("cbrt(x)"), r"\sqrt[3]{x}");
    assert_eq!(latex("log10(x)"), r"\log_{10}\left(x\right)");
    assert_eq!(latex("sign(x)"), r"\operatorname{sgn}\left(x\right)");
    assert_eq!(latex("sigmoid(x)"), r"\operatorname{sigmoid}\left(x\right)");
    assert_eq!(
        latex("if(x >= 0 and not y == 1, x, -x)"),
        r"\begin{cases} x & \text{if } x \ge 0 \land \lnot y = 1 \\ -x & \text{otherwise} \end{cases}"
    );
}

#[test]
fn evaluation_uses_the_one_semantics() {
    let eval = |s: &str, x: f64| parse(s).unwrap().eval(&at(x));
    assert_eq!(eval("softplus(x)", 800.0).unwrap(), 800.0);
    assert_eq!(eval("sigmoid(x)", -800.0).unwrap(), 0.0);
    assert_eq!(eval("log1p(x)", 1e-17).unwrap(), 1e-17);
    assert_eq!(eval("relu(x)", -3.0).unwrap(), 0.0);
    assert_eq!(eval("abs(x)", -3.0).unwrap(), 3.0);
    assert_eq!(eval("max(x, 2)", 3.0).unwrap(), 3.0);
    assert_eq!(eval("min(x, 2)", 3.0).unwrap(), 2.0);
    assert_eq!(eval("hypot(x, 4)", 3.0).unwrap(), 5.0);
    assert_eq!(eval("atan2(x, -1)", 0.0).unwrap(), std::f64::consts::PI);
    assert_eq!(eval("cbrt(x)", -27.0).unwrap(), -3.0);
    assert_eq!(eval("if(x > 0 and x < 1, 1, 2)", 0.5).unwrap(), 1.0);
    assert_eq!(eval("if(x > 0 and x < 1, 1, 2)", 1.5).unwrap(), 2.0);
    assert_eq!(eval("if(not x > 0 or x == 7, 1, 2)", 7.0).unwrap(), 1.0);
    for f in Func::ALL.into_iter().filter(|f| f.domain(0.5).is_none()) {
        let v = (var("x")).apply(f).eval(&at(0.5));
        assert_eq!(v.unwrap(), f.apply(0.5), "{}", f.name());
    }
}

#[test]
fn domain_errors_are_named() {
    let message = |s: &str, x: f64| parse(s).unwrap().eval(&at(x)).unwrap_err().to_string();
    assert_eq!(
        message("acosh(x)", 0.5),
        "acosh(0.5) is not a finite real number (not real)"
    );
    assert_eq!(
        message("atanh(x)", 1.0),
        "atanh(1) is not a finite real number (pole)"
    );
    assert_eq!(
        message("log10(x)", -1.0),
        "log10(-1) is not a finite real number (not real)"
    );
    assert_eq!(
        message("x/(x - 1)", 1.0),
        "1/0 is not a finite real number (division by zero)"
    );
    assert!(message("exp(x)", 1000.0).contains("overflow"));
}

#[test]
fn the_branch_not_taken_does_not_count() {
    let f = parse("if(x > 0, ln(x), -x)").unwrap();
    assert_eq!(f.eval(&at(-2.0)).unwrap(), 2.0);
    assert_eq!(f.eval(&at(1.0)).unwrap(), 0.0);
    // the taken branch still reports its error
    let g = parse("if(x > -1, ln(x), 0)").unwrap();
    assert!(matches!(g.eval(&at(-0.5)), Err(EvalError::Domain { .. })));
    // IEEE semantics selects a value, NaN or not
    assert!(g.eval_with(&at(-0.5), Semantics::Ieee).unwrap().is_nan());
    // a shared node in both branches is evaluated once
    let h = parse("t = sqrt(x); if(x >= 0, t, 0) + if(x < 0, 0, t)").unwrap();
    assert_eq!(h.eval(&at(4.0)).unwrap(), 4.0);
    assert_eq!(h.eval(&at(-4.0)).unwrap(), 0.0);
}

fn error(source: &str) -> symdiff_expr::ParseError {
    let err = parse(source).expect_err("must be refused");
    let text = err.to_string();
    assert!(text.contains(&format!("line {}, column {}", err.line, err.column)));
    err
}

#[test]
fn wrong_arity_names_the_function_and_the_count() {
    let err = error("max(x)");
    assert_eq!(
        err.kind,
        ParseErrorKind::WrongArity {
            name: "max".into(),
            expected: 2,
            found: 1
        }
    );
    assert!(err
        .to_string()
        .contains("`max` takes 2 arguments but was given 1"));
    assert!(err.to_string().contains("max(a, b)"));
    let err = error("atan2(y, x, 1)");
    assert!(err.to_string().contains("atan2(y, x)"), "{err}");
    let err = error("if(x > 0, 1)");
    assert_eq!(
        err.kind,
        ParseErrorKind::WrongArity {
            name: "if".into(),
            expected: 3,
            found: 2
        }
    );
    assert!(err.to_string().contains("if(condition, a, b)"), "{err}");
    let err = error("relu(x, y)");
    assert!(err.to_string().contains("`relu` takes 1 argument"), "{err}");
    let err = error("hypot");
    assert!(
        err.to_string().contains("after the function `hypot`"),
        "{err}"
    );
}

#[test]
fn a_condition_outside_if_is_an_error_saying_so() {
    for (source, column, culprit) in [
        ("x > 0", 1, "`x > 0`"),
        ("x + (y > 0)", 5, "`(y > 0)`"),
        ("sin(x == 1)", 5, "`x == 1`"),
        ("if(x > 0, x < 1, 0)", 11, "`x < 1`"),
        ("-(x < 1)", 2, "`(x < 1)`"),
        ("max(x, not y > 1)", 8, "`not y > 1`"),
        ("c = x > 0; c*2", 12, "`c`"),
    ] {
        let err = error(source);
        assert_eq!(err.kind, ParseErrorKind::ConditionOutsideIf, "{source}");
        assert_eq!(err.column, column, "{source}: {err}");
        assert_eq!(err.found, culprit, "{source}");
        assert!(
            err.to_string()
                .contains("only valid as the first argument of `if`"),
            "{err}"
        );
    }
    // a bound condition used where a condition belongs is fine
    assert_eq!(
        parse("c = x > 0; if(c, x, 0)").unwrap(),
        parse("if(x > 0, x, 0)").unwrap()
    );
}

#[test]
fn a_number_where_a_condition_belongs_is_an_error() {
    for (source, column) in [
        ("if(x, 1, 2)", 4),
        ("if(x + 1, 1, 2)", 4),
        ("if(x > 0 and y, 1, 2)", 14),
        ("if(not x, 1, 2)", 8),
    ] {
        let err = error(source);
        assert_eq!(err.kind, ParseErrorKind::ExpectedCondition, "{source}");
        assert_eq!(err.column, column, "{source}: {err}");
        assert!(err.to_string().contains("x > 0"), "{err}");
    }
}

#[test]
fn comparisons_do_not_chain() {
    let err = error("if(0 < x < 1, x, 0)");
    assert_eq!(err.kind, ParseErrorKind::ChainedComparison);
    assert_eq!(err.column, 10);
    assert!(err.to_string().contains("0 < x and x < 1"), "{err}");
    let err = error("if(a == b == c, 1, 0)");
    assert_eq!(err.kind, ParseErrorKind::ChainedComparison);
}

#[test]
fn keywords_are_not_names() {
    for source in ["and + 1", "if + 1", "x or 1", "or", "if = 2; if"] {
        let err = error(source);
        assert!(
            matches!(
                err.kind,
                ParseErrorKind::UnexpectedToken
                    | ParseErrorKind::UnexpectedEnd
                    | ParseErrorKind::ExpectedCondition
                    | ParseErrorKind::ConditionOutsideIf
            ),
            "{source}: {err:?}"
        );
    }
    let err = error("x ! y");
    assert!(err.to_string().contains("not"), "{err}");
}

#[test]
fn sexp_and_json_readers_check_kinds() {
    assert_eq!(
        parse_sexp("(if (and (< x 0) (not (== y 1))) (max x y) (atan2 y x))").unwrap(),
        parse("if(x < 0 and not y == 1, max(x, y), atan2(y, x))").unwrap()
    );
    let err = parse_sexp("(+ x (< x 1))").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::ConditionOutsideIf);
    let err = parse_sexp("(if x 1 2)").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::ExpectedCondition);
    let err = parse_sexp("(max x)").unwrap_err();
    assert!(matches!(
        err.kind,
        ParseErrorKind::WrongArity { expected: 2, .. }
    ));
    let json = serde_json::json!({"nodes": [["var", "x"], ["<", 0, 0], ["+", 0, 1]], "root": 2});
    let err = Expr::from_json(&json).unwrap_err();
    assert!(err.to_string().contains("condition"), "{err}");
}
