//! Bad input: domain errors name the operation and the point, missing variables are named, an
//! empty domain is reported instead of passing, and nothing panics.

use symdiff_ad::{
    central_difference, check, check_against, check_str, complex_step, derivative, gradient,
    hessian, jvp, vjp, AdError, CheckError, CheckOptions, Method, Tape, Verdict, WengertList,
};
use symdiff_expr::{parse, EvalError, Point, Semantics};

fn p(s: &str) -> Point {
    s.parse().unwrap()
}

#[test]
fn domain_errors_name_operation_and_point() {
    let cases = [
        ("ln(x)", "x=-1", "ln(-1)", "not real"),
        ("sqrt(x) + y", "x=-1,y=2", "sqrt(-1)", "not real"),
        ("1/x", "x=0", "1/0", "division by zero"),
        ("x/(y - 1)", "x=2,y=1", "2/0", "division by zero"),
        ("acos(x)", "x=1.5", "acos(1.5)", "not real"),
        ("x^y", "x=-2,y=0.5", "(-2)^0.5", "integer exponent"),
        (
            "x^(1/3)",
            "x=-8",
            "(-8)^0.3333333333333333",
            "integer exponent",
        ),
        ("max(ln(x), y)", "x=-1,y=0", "ln(-1)", "not real"),
        ("if(y > 0, x, sqrt(x))", "x=-1,y=0", "sqrt(-1)", "not real"),
    ];
    for (src, at, op, why) in cases {
        let f = parse(src).unwrap();
        for err in [
            gradient(f, &p(at)).unwrap_err(),
            derivative(f, &p(at), "x").unwrap_err(),
            hessian(f, &p(at)).unwrap_err(),
            complex_step(f, &p(at), "x").unwrap_err(),
        ] {
            let AdError::Eval {
                error: EvalError::Domain { op: o, why: w },
                point: Some(point),
            } = &err
            else {
                panic!("{src}: {err:?}")
            };
            assert_eq!(o, op, "{src}");
            assert!(w.contains(why), "{src}: {w}");
            assert_eq!(point, &p(at).to_string(), "{src}");
        }
    }
}

#[test]
fn negative_bases_with_variable_exponents() {
    // The language's one power: (-2)^y is -8 at y = 3 (as `Expr::eval` and compiled code say);
    // the derivative of f^g with a varying g is defined where f > 0 only (d-pow's domain, as
    // in JAX), in every direction.
    let f = parse("x^y").unwrap();
    assert_eq!(
        WengertList::new(f).unwrap().eval(&[-2.0, 3.0]).unwrap(),
        -8.0
    );
    for var in ["x", "y"] {
        let err = derivative(f, &p("x=-2,y=3"), var).unwrap_err();
        assert!(err.to_string().contains("derivative not finite"), "{err}");
    }
    let err = gradient(f, &p("x=-2,y=3")).unwrap_err();
    assert!(err.to_string().contains("derivative not finite"), "{err}");
    // a locally constant integer exponent changes nothing: x^max(x, 0) at x < 0
    let g = parse("x^max(x, 0)").unwrap();
    assert_eq!(WengertList::new(g).unwrap().eval(&[-0.5]).unwrap(), 1.0);
    assert!(derivative(g, &p("x=-0.5"), "x").is_err());
    // nor does an exponent whose tangent underflowed to 0: tanh(-456) = -1 exactly
    let h = parse("(-1)^tanh(x)").unwrap();
    assert_eq!(WengertList::new(h).unwrap().eval(&[-456.0]).unwrap(), -1.0);
    assert!(derivative(h, &p("x=-456"), "x").is_err());
    assert!(hessian(h, &p("x=-456")).is_err());
    assert!(complex_step(h, &p("x=-456"), "x").is_err());
    // in the branch not taken, it does not matter
    let g = parse("if(x > 0, x^y, y)").unwrap();
    assert_eq!(
        gradient(g, &p("x=-2,y=3")).unwrap().partials,
        vec![0.0, 1.0]
    );
}

#[test]
fn untaken_branches_report_no_error() {
    let f = parse("if(x > 0, sqrt(x), -x) + max(x, ln(x + 2))").unwrap();
    let at = p("x=-1");
    let g = gradient(f, &at).unwrap();
    assert_eq!(g.partials, vec![-1.0 + 1.0 / 1.0]);
    assert_eq!(derivative(f, &at, "x").unwrap(), 0.0);
    assert!(hessian(f, &at).is_ok());
    // the branch taken still reports its error
    let err = gradient(parse("if(x < 0, sqrt(x), x)").unwrap(), &at).unwrap_err();
    assert!(err.to_string().starts_with("sqrt(-1)"), "{err}");
}

#[test]
fn infinite_derivatives_are_errors_too() {
    // sqrt is finite at 0 but its derivative is not
    let f = parse("sqrt(x)").unwrap();
    assert_eq!(WengertList::new(f).unwrap().eval(&[0.0]).unwrap(), 0.0);
    let err = gradient(f, &p("x=0")).unwrap_err();
    assert!(err.to_string().contains("derivative not finite"), "{err}");
    assert!(derivative(f, &p("x=0"), "x").is_err());
}

#[test]
fn ieee_semantics_on_request() {
    let prog = WengertList::new(parse("ln(x) + 1/y").unwrap()).unwrap();
    let v: f64 = prog.eval_with(&[-1.0, 0.0], Semantics::Ieee).unwrap();
    assert!(v.is_nan());
    let tape = Tape::from_program(prog);
    let out = tape.vjp_with(&[1.0, 0.0], &[1.0], Semantics::Ieee).unwrap();
    assert_eq!(out.outputs[0], f64::INFINITY);
}

#[test]
fn integer_powers_of_negative_bases() {
    let f = parse("x^3 + x^(-2)").unwrap();
    let g = gradient(f, &p("x=-2")).unwrap();
    assert_eq!(g.value, -8.0 + 0.25);
    assert_eq!(g.partials[0], 12.0 + 0.25); // 3x^2 - 2x^-3
    assert_eq!(derivative(f, &p("x=-2"), "x").unwrap(), 12.25);
}

#[test]
fn missing_and_unknown_variables() {
    let f = parse("x*y").unwrap();
    assert_eq!(
        gradient(f, &p("x=1")).unwrap_err(),
        EvalError::UnboundVariable("y".into()).into()
    );
    assert!(gradient(f, &p("x=1"))
        .unwrap_err()
        .to_string()
        .contains("`y`"));
    assert!(matches!(
        central_difference(f, &p("x=1,y=2"), "z"),
        Err(AdError::UnknownVariable(..))
    ));
    // the derivative along a variable f does not have is 0
    assert_eq!(derivative(f, &p("x=1,y=2"), "z").unwrap(), 0.0);
    assert_eq!(jvp(f, &p("x=1,y=2"), &p("z=1")).unwrap().tangent, 0.0);
}

#[test]
fn wrong_lengths_are_errors() {
    let prog = WengertList::new(parse("x*y").unwrap()).unwrap();
    assert!(matches!(
        prog.eval::<f64>(&[1.0]),
        Err(AdError::Length { .. })
    ));
    assert!(matches!(
        prog.jvp(&[1.0, 2.0], &[1.0]),
        Err(AdError::Length { .. })
    ));
    assert!(matches!(
        prog.central_difference(&[1.0, 2.0], 5),
        Err(AdError::Length { .. })
    ));
    let f = [parse("x").unwrap(), parse("y").unwrap()];
    assert!(matches!(
        vjp(&f, &p("x=1,y=1"), &[1.0]),
        Err(AdError::Length { .. })
    ));
    let empty = WengertList::many(&[]).unwrap();
    assert!(empty.eval::<f64>(&[]).is_err());
}

#[test]
fn unevaluated_derivatives_are_refused() {
    let f = parse("d(x, x^2) + x").unwrap();
    assert!(matches!(
        gradient(f, &p("x=1")),
        Err(AdError::Eval {
            error: EvalError::Derivative(_),
            ..
        })
    ));
    let err = check(f, &["x"], &CheckOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            CheckError::Ad(AdError::Eval {
                error: EvalError::Derivative(_),
                ..
            })
        ) || matches!(err, CheckError::Symbolic(_))
    );
}

#[test]
fn empty_domains_report_no_valid_points() {
    for src in [
        "ln(-x^2 - 1)",
        "sqrt(-1 - x^2 - y^2)",
        "asin(x^2 + 2)",
        "acos(exp(x) + 1.5)",
    ] {
        let report = check_str(src, None, &CheckOptions::default()).unwrap();
        assert_eq!(report.verdict, Verdict::NoValidPoints, "{src}");
        assert!(!report.passed());
        assert_eq!(report.points, 0);
        assert!(report.to_string().contains("NO VALID POINTS"));
    }
}

#[test]
fn narrow_domains_are_found() {
    for src in [
        "sqrt(x - 5)",
        "ln(x - 20) * y",
        "asin(x*y)",
        "acos(x) + asin(y)",
        "1/(x - y)",
        "ln(ln(x))",
    ] {
        let report = check_str(
            src,
            None,
            &CheckOptions {
                points: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(report.points, 10, "{src}");
        assert!(report.passed(), "{report}");
    }
}

#[test]
fn wrong_derivatives_are_caught_by_every_method() {
    let f = parse("exp(x)*sin(y)").unwrap();
    let slightly_wrong = [
        parse("exp(x)*sin(y)").unwrap(),
        parse("exp(x)*cos(y)*1.0001").unwrap(),
    ];
    let report = check_against(f, &["x", "y"], &slightly_wrong, &CheckOptions::default()).unwrap();
    assert_eq!(report.verdict, Verdict::Disagree);
    for m in Method::ALL {
        assert!(
            !report.method(m).unwrap().passed,
            "{m:?} missed a 1e-4 error"
        );
    }
    assert!(report.to_string().contains("DISAGREEMENT"));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["verdict"], "disagree");
    assert_eq!(json["methods"][0]["method"], "forward-ad");
}

#[test]
fn symbolic_derivative_undefined_where_the_function_is_defined() {
    // d/dx ln(x^2) = 2/x; "2*ln(x)" differentiated gives the same, but an unsound symbolic
    // answer that brings ln(x) in for x < 0 must be caught.
    let f = parse("ln(x^2)").unwrap();
    let unsound = [parse("2/x + 0*ln(x)").unwrap()];
    let report = check_against(f, &["x"], &unsound, &CheckOptions::default()).unwrap();
    assert_eq!(report.verdict, Verdict::Disagree);
    assert!(report.symbolic_failures > 0);
    assert!(report
        .first_symbolic_failure
        .unwrap()
        .error
        .contains("ln(-"));
}

#[test]
fn singular_chain_rules_are_reported_not_disagreements() {
    // f = sqrt(atan2(if(x < y, y, 0), x)) where x >= y: the inner function is the constant 0
    // (x > 0), sqrt has no finite derivative at 0, and df/dx = 0 there. The chain rule's
    // formula -(t/2)/sqrt(atan2(t, x))/(t*t + x*x) is 0/0: undefined, not wrong.
    let f = parse("sqrt(atan2(if(x < y, y, 0), x))").unwrap();
    let chain_rule =
        [
            parse("-(if(x < y, y, 0)/2)/sqrt(atan2(if(x < y, y, 0), x))/(if(x < y, y, 0)^2 + x*x)")
                .unwrap(),
        ];
    let options = CheckOptions {
        points: 40,
        ..Default::default()
    };
    let report = check_against(f, &["x"], &chain_rule, &options).unwrap();
    assert!(report.symbolic_singular > 0, "{report}");
    assert_eq!(report.symbolic_failures, 0, "{report}");
    assert_eq!(report.verdict, Verdict::Agree, "{report}");
    assert!(report.to_string().contains("chain rule is singular"));
    // the same form with a gratuitous ln(x) is still caught where x < 0 and the chain rule is
    // regular (x < y: the inner function is atan2(y, x), not constant)
    let unsound = [parse(
        "-(if(x < y, y, 0)/2)/sqrt(atan2(if(x < y, y, 0), x))/(if(x < y, y, 0)^2 + x*x) + 0*ln(x)",
    )
    .unwrap()];
    let report = check_against(f, &["x"], &unsound, &options).unwrap();
    assert_eq!(report.verdict, Verdict::Disagree, "{report}");
    assert!(report.symbolic_failures > 0, "{report}");
}

#[test]
fn bad_check_arguments() {
    let o = CheckOptions::default();
    let f = parse("x").unwrap();
    assert!(matches!(
        check_str("x +", None, &o),
        Err(CheckError::Parse(_))
    ));
    assert!(matches!(
        check_str("3", None, &o),
        Err(CheckError::NoVariables)
    ));
    assert!(matches!(
        check_against(f, &["x", "x"], &[f, f], &o),
        Err(CheckError::DuplicateVariable(_))
    ));
    assert!(matches!(
        check_against(f, &["1x"], &[f], &o),
        Err(CheckError::BadVariable(_))
    ));
    assert!(matches!(
        check_against(
            f,
            &["x"],
            &[f],
            &CheckOptions {
                points: 0,
                ..o.clone()
            }
        ),
        Err(CheckError::InvalidOption(_))
    ));
    assert!(matches!(
        check_str("x", Some("sin"), &o),
        Err(CheckError::BadVariable(name)) if name == "sin"
    ));
    // a constant function differentiated by a named variable is fine: the derivative is 0
    let report = check_str("3", Some("x"), &o).unwrap();
    assert!(report.passed(), "{report}");
}
