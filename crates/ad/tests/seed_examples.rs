//! The worked examples: the seed document's `y = x1*x2 + x2 - ln(x1)` at (3, -4) and Baydin et
//! al.'s `y = ln(x1) + x1*x2 - sin(x2)` at (2, 5), by every method of the crate.

use symdiff_ad::{
    central_difference, check, complex_step, derivative, forward_gradient, forward_trace, gradient,
    hessian, jvp, reverse_trace, richardson, CheckOptions, Tape, TraceKind,
};
use symdiff_expr::{parse, Expr, Point};

struct Example {
    f: Expr,
    at: Point,
    value: f64,
    d1: f64,
    d2: f64,
}

fn seed() -> Example {
    Example {
        f: parse("x1*x2 + x2 - ln(x1)").unwrap(),
        at: "x1=3, x2=-4".parse().unwrap(),
        value: -16.0 - 3f64.ln(), // -17.0986...
        d1: -13.0 / 3.0,
        d2: 4.0,
    }
}

fn baydin() -> Example {
    Example {
        f: parse("ln(x1) + x1*x2 - sin(x2)").unwrap(),
        at: "x1=2, x2=5".parse().unwrap(),
        value: 2f64.ln() + 10.0 - 5f64.sin(), // 11.652...
        d1: 5.5,
        d2: 2.0 - 5f64.cos(), // 1.7163...
    }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

#[test]
fn the_published_numbers() {
    let s = seed();
    assert!(close(s.value, -17.0986, 1e-5));
    let b = baydin();
    assert!(close(b.value, 11.652, 1e-4));
    assert!(close(b.d2, 1.7163, 1e-4));
}

#[test]
fn forward_mode() {
    for e in [seed(), baydin()] {
        let j = jvp(e.f, &e.at, &"x1=1".parse().unwrap()).unwrap();
        assert!(close(j.value, e.value, 1e-15));
        assert!(close(j.tangent, e.d1, 1e-15));
        assert!(close(derivative(e.f, &e.at, "x2").unwrap(), e.d2, 1e-15));
        let g = forward_gradient(e.f, &e.at).unwrap();
        assert!(close(g.partials[0], e.d1, 1e-15) && close(g.partials[1], e.d2, 1e-15));
        // a direction mixing both inputs: ∇f · (1, 2)
        let j = jvp(e.f, &e.at, &"x1=1, x2=2".parse().unwrap()).unwrap();
        assert!(close(j.tangent, e.d1 + 2.0 * e.d2, 1e-15));
    }
}

#[test]
fn reverse_mode() {
    for e in [seed(), baydin()] {
        let g = gradient(e.f, &e.at).unwrap();
        assert!(close(g.value, e.value, 1e-15));
        assert!(close(g.get("x1").unwrap(), e.d1, 1e-15));
        assert!(close(g.get("x2").unwrap(), e.d2, 1e-15));
    }
    assert_eq!(Tape::new(seed().f).unwrap().len(), 6);
    assert_eq!(Tape::new(baydin().f).unwrap().len(), 7);
}

#[test]
fn traces() {
    for e in [seed(), baydin()] {
        let t = forward_trace(e.f, &e.at, &"x1=1".parse().unwrap()).unwrap();
        assert_eq!(t.kind, TraceKind::Forward);
        let y = t.row(&t.outputs[0]).unwrap();
        assert!(close(y.value, e.value, 1e-15) && close(y.derivative, e.d1, 1e-15));
        // inputs first, seeded as asked
        assert_eq!(
            (t.rows[0].name.as_str(), t.rows[0].definition.as_str()),
            ("v-1", "x1")
        );
        assert_eq!((t.rows[0].derivative, t.rows[1].derivative), (1.0, 0.0));

        let r = reverse_trace(e.f, &e.at).unwrap();
        assert_eq!(r.kind, TraceKind::Reverse);
        assert_eq!(r.row(&r.outputs[0]).unwrap().derivative, 1.0);
        assert!(close(r.row("v-1").unwrap().derivative, e.d1, 1e-15));
        assert!(close(r.row("v0").unwrap().derivative, e.d2, 1e-15));
        // ln(x1)'s adjoint is ±1 in both functions (it enters with sign -1 and +1)
        let ln = r
            .rows
            .iter()
            .find(|row| row.definition == "ln(v-1)")
            .unwrap();
        assert_eq!(ln.derivative.abs(), 1.0);
        let text = r.to_string();
        assert!(text.contains("adjoint") && text.contains("ln(v-1)"));
    }
    // the seed's table: v1 = x1*x2 = -12 with tangent x2 = -4 along x1
    let t = forward_trace(seed().f, &seed().at, &"x1=1".parse().unwrap()).unwrap();
    let v = t.rows.iter().find(|r| r.definition == "v-1*v0").unwrap();
    assert_eq!((v.value, v.derivative), (-12.0, -4.0));
}

#[test]
fn numeric_methods() {
    for e in [seed(), baydin()] {
        for (var, d) in [("x1", e.d1), ("x2", e.d2)] {
            assert!(close(
                central_difference(e.f, &e.at, var).unwrap().value,
                d,
                1e-9
            ));
            assert!(close(richardson(e.f, &e.at, var).unwrap().value, d, 1e-11));
            assert!(close(complex_step(e.f, &e.at, var).unwrap(), d, 1e-15));
        }
    }
}

#[test]
fn second_order() {
    // seed: f_x1x1 = 1/x1^2, f_x1x2 = 1, f_x2x2 = 0
    let h = hessian(seed().f, &seed().at).unwrap();
    assert!(close(h.matrix[0][0], 1.0 / 9.0, 1e-15));
    assert_eq!(
        (h.matrix[0][1], h.matrix[1][0], h.matrix[1][1]),
        (1.0, 1.0, 0.0)
    );
    // baydin: f_x1x1 = -1/x1^2, f_x2x2 = sin(x2)
    let h = hessian(baydin().f, &baydin().at).unwrap();
    assert!(close(h.matrix[0][0], -0.25, 1e-15));
    assert!(close(h.matrix[1][1], 5f64.sin(), 1e-15));
    assert!(close(h.gradient[1], baydin().d2, 1e-15));
}

#[test]
fn symbolic_cross_check() {
    for e in [seed(), baydin()] {
        let report = check(e.f, &["x1", "x2"], &CheckOptions::default()).unwrap();
        assert!(report.passed(), "{report}");
        assert_eq!(report.points, 20);
    }
}
