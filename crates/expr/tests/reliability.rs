//! Regressions of issue 13 that live in `symdiff-expr`: exact constants in evaluation, points
//! that are not finite, and variable names that would not read back.

use symdiff_expr::{
    check_variable_name, parse, try_var, var, EvalError, NameError, Point, PointError,
};

/// Row 8: an exact integer power was rounded to 49.00000000000001, making `(-2)^...` non-real.
#[test]
fn exact_constants_are_folded_exactly_in_evaluation() {
    let p = Point::new();
    assert_eq!(
        parse("(-2)^((1/7)^(-2))").unwrap().eval(&p).unwrap(),
        -(2f64.powi(49))
    );
    assert_eq!(parse("(-8)^(3*(1/3))").unwrap().eval(&p).unwrap(), -8.0);
    assert_eq!(parse("(0.1 + 0.2)*10").unwrap().eval(&p).unwrap(), 3.0);
    // Not rational: f64 takes over.
    let v = parse("2^(1/2)").unwrap().eval(&p).unwrap();
    assert!((v - 2f64.sqrt()).abs() < 1e-15);
    // Mixed with variables: the constant part is still exact.
    let p = Point::new().with("x", 1.0);
    assert_eq!(
        parse("x*(-2)^((1/7)^(-2))").unwrap().eval(&p).unwrap(),
        -(2f64.powi(49))
    );
    // A huge exact power is not computed exactly (bounded cost) and overflows in f64.
    assert!(parse("3^100000").unwrap().eval(&p).is_err());
}

/// Row 6: a non-finite value was reported as `x=NaN`.
#[test]
fn a_non_finite_value_is_named() {
    let x = var("x");
    for (v, text) in [(f64::INFINITY, "x=inf"), (f64::NEG_INFINITY, "x=-inf")] {
        let err = x.eval(&Point::new().with("x", v)).unwrap_err();
        assert!(
            matches!(&err, EvalError::Domain { op, .. } if op == text),
            "{err}"
        );
    }
    assert!(matches!(
        "x=inf".parse::<Point>(),
        Err(PointError::NotFinite { .. })
    ));
}

/// Row 12: `var("")` and `var("2x")` printed text that does not parse back.
#[test]
fn variable_names_are_validated_once() {
    assert_eq!(try_var(""), Err(NameError::Empty));
    assert!(matches!(try_var("2x"), Err(NameError::NotAnIdentifier(_))));
    assert!(matches!(try_var("x y"), Err(NameError::NotAnIdentifier(_))));
    assert!(matches!(try_var("cos"), Err(NameError::Reserved(..))));
    assert!(std::panic::catch_unwind(|| var("2x")).is_err());
    // The same definition in every reader: what try_var accepts, the parsers read back.
    for name in ["x", "_t", "d", "e1", "x_2"] {
        let v = try_var(name).unwrap();
        assert!(check_variable_name(name).is_ok());
        assert_eq!(parse(&v.to_string()).unwrap(), v);
        assert_eq!(symdiff_expr::parse_sexp(&v.to_sexp().unwrap()).unwrap(), v);
        assert!(format!("{name}=1").parse::<Point>().is_ok());
    }
    for name in ["pi", "sin", "log", "2x"] {
        assert!(format!("{name}=1").parse::<Point>().is_err(), "{name}");
    }
    assert_eq!(parse("d*2").unwrap(), var("d") * 2);
    assert_eq!(parse_sexp_ok("(* d 2)"), var("d") * 2);
}

fn parse_sexp_ok(text: &str) -> symdiff_expr::Expr {
    symdiff_expr::parse_sexp(text).unwrap()
}
