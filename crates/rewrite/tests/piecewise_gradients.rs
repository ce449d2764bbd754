//! Reverse sweeps through `if`: a gradient is defined wherever the function and its forward
//! derivative are, even where the branch not taken is undefined (`acosh(x)` at `x < 1`).

use symdiff_expr::{parse, Point};
use symdiff_rewrite::{d, gradient_with, hessian_with, Options};

fn options(simplify: bool) -> Options {
    Options {
        simplify,
        ..Options::default()
    }
}

/// The gradient entry in `x` of `text` at each point, with and without simplification, equals
/// forward `d` there.
fn agrees_with_forward(text: &str, points: &[f64]) {
    let f = parse(text).unwrap();
    let forward = d(&f, "x").unwrap().expr;
    for simplify in [false, true] {
        let g = gradient_with(&f, &["x", "y"], &options(simplify)).unwrap();
        for &x in points {
            let at = Point::new().with("x", x).with("y", 0.5);
            let want = forward.eval(&at).unwrap();
            let got = g.entries[0].eval(&at).unwrap_or_else(|e| {
                panic!(
                    "gradient of {text} (simplify {simplify}) at x = {x}: {e}; entry {}",
                    g.entries[0]
                )
            });
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{text} at x = {x}: gradient {got}, forward d {want}"
            );
        }
    }
}

#[test]
fn a_branch_undefined_where_it_is_not_taken_leaves_the_gradient_defined() {
    agrees_with_forward("if(x > 1, acosh(x), x)", &[0.0, -3.0, 2.0, 5.0]);
    agrees_with_forward("if(x <= 1, x*y, ln(x - 1))", &[0.0, 1.0, 2.5]);
}

#[test]
fn guarded_paths_that_meet_stay_guarded() {
    // Two paths to acosh(x), both through branches taken only when x > 1.
    agrees_with_forward(
        "if(x > 1, acosh(x), 0) + if(x > 1, 2*acosh(x), x*y)",
        &[0.0, -1.0, 3.0],
    );
    // Nested conditions.
    agrees_with_forward(
        "if(x > 0, if(x > 1, sqrt(x - 1)*y, x), -x)",
        &[-2.0, 0.5, 4.0],
    );
}

#[test]
fn hessians_through_if_are_defined_where_the_function_is() {
    let f = parse("if(x > 1, acosh(x)*y, x*y)").unwrap();
    let h = hessian_with(&f, &["x", "y"], &options(true)).unwrap();
    let at = Point::new().with("x", 0.0).with("y", 2.0);
    // ∂²/∂x∂y of x*y is 1 on the branch taken.
    assert_eq!(h.entries[1].eval(&at).unwrap(), 1.0);
    assert_eq!(h.entries[0].eval(&at).unwrap(), 0.0);
}
