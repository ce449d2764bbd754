//! The JIT and the interpreter agree bit for bit: on random programs (scalar, several outputs,
//! batches, `try_call`), on their gradients and Hessians, and on programs long enough to be
//! split into several native functions. (Both agree with forward-mode AD: `proptest.rs` checks
//! the default backend, the JIT where the host has one, against it, and this file checks the
//! interpreter against the JIT.)

mod common;

use common::{ast, ast_with_conditions, coordinate, gradient_coordinate, same};
use proptest::prelude::*;
use symdiff_codegen::{
    compile_gradient_with, compile_hessian_with, compile_many_with, compile_with, Backend,
    CompileError,
};
use symdiff_expr::{var, Expr};
use symdiff_rewrite::DiffError;

const VARS: [&str; 2] = ["x", "y"];

fn jit_is_used() -> bool {
    Backend::Jit.effective() == Backend::Jit
}

fn all_same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| same(x, y))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn jit_equals_interpreter(
        trees in prop::collection::vec(ast_with_conditions(), 1..4),
        points in prop::collection::vec((coordinate(), coordinate()), 1..6),
    ) {
        let exprs: Vec<Expr> = trees.iter().map(|t| t.build()).collect();
        let jit = compile_many_with(&exprs, &VARS, Backend::Jit).unwrap();
        let interpreter = compile_many_with(&exprs, &VARS, Backend::Interpreter).unwrap();
        prop_assert_eq!(jit.backend(), Backend::Jit.effective());
        let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        let batch = |f: &symdiff_codegen::CompiledMany| {
            let mut outs = vec![vec![0.0; points.len()]; exprs.len()];
            let mut slices: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            f.eval_batch(&[&xs, &ys], &mut slices).unwrap();
            outs
        };
        let (batch_jit, batch_interpreter) = (batch(&jit), batch(&interpreter));
        for (i, &(x, y)) in points.iter().enumerate() {
            let (a, b) = (jit.call(&[x, y]), interpreter.call(&[x, y]));
            prop_assert!(all_same(&a, &b), "{exprs:?} at ({x}, {y}): JIT {a:?}, interpreter {b:?}");
            for k in 0..exprs.len() {
                prop_assert!(same(batch_jit[k][i], b[k]), "batch JIT {} vs {}", batch_jit[k][i], b[k]);
                prop_assert!(same(batch_interpreter[k][i], b[k]));
            }
            match (jit.try_call(&[x, y]), interpreter.try_call(&[x, y])) {
                (Ok(a), Ok(b)) => prop_assert!(all_same(&a, &b)),
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{exprs:?} at ({x}, {y}): JIT {a:?}, interpreter {b:?}"),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn jit_gradients_and_hessians_equal_the_interpreter(
        tree in ast(),
        points in prop::collection::vec((gradient_coordinate(), gradient_coordinate()), 1..4),
    ) {
        let e = tree.build();
        // An input whose derivative is undefined everywhere (`x^0^(-1)`) has no gradient.
        let gj = compile_gradient_with(&e, &VARS, Backend::Jit);
        prop_assume!(!matches!(gj, Err(CompileError::Diff(DiffError::UndefinedEverywhere(_)))));
        let gj = gj.unwrap();
        let hj = compile_hessian_with(&e, &VARS, Backend::Jit);
        // Likewise a Hessian can be undefined everywhere where the gradient is not (`0/0`).
        prop_assume!(!matches!(hj, Err(CompileError::Diff(DiffError::UndefinedEverywhere(_)))));
        let hj = hj.unwrap();
        // The interpreter runs the same derivatives (differentiating `e` again is not
        // guaranteed to give the same expressions while other threads intern nodes, and a
        // differently associated sum rounds differently).
        let interpreter = |roots: &[Expr]| compile_many_with(roots, &VARS, Backend::Interpreter).unwrap();
        let (gi, hi) = (interpreter(gj.program().roots()), interpreter(hj.program().roots()));
        for &(x, y) in &points {
            let ((vj, dj), all) = (gj.call(&[x, y]), gi.call(&[x, y]));
            prop_assert!(same(vj, all[0]) && all_same(&dj, &all[1..]), "{e} at ({x}, {y}): {dj:?} vs {all:?}");
            let ((vj, dj, hhj), all) = (hj.call(&[x, y]), hi.call(&[x, y]));
            prop_assert!(same(vj, all[0]) && all_same(&dj, &all[1..3]) && all_same(&hhj, &all[3..]),
                "{e} at ({x}, {y}): Hessian {hhj:?} vs {all:?}");
            match (hj.try_call(&[x, y]), hi.try_call(&[x, y])) {
                (Ok(a), Ok(b)) => prop_assert!(same(a.0, b[0]) && all_same(&a.2, &b[3..])),
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{e} at ({x}, {y}): JIT {a:?}, interpreter {b:?}"),
            }
            // The batch loop over the same point (twice: one pair of lanes).
            let mut outs = vec![vec![0.0; 2]; all.len()];
            let mut slices: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            hj.eval_batch(&[&[x, x], &[y, y]], &mut slices).unwrap();
            for (k, &v) in all.iter().enumerate() {
                prop_assert!(same(outs[k][0], v) && same(outs[k][1], v), "{e} at ({x}, {y}): batch output {k}");
            }
        }
    }
}

/// A sum of `n` terms `sin(a_i x) * y^i`-like pieces: long enough to be split into several
/// native functions, with values live across the chunk boundaries.
fn long_program(n: usize) -> Expr {
    let (x, y) = (var("x"), var("y"));
    let mut acc = x;
    let mut total = Expr::from(0);
    for i in 0..n {
        acc = (acc * y + Expr::from(i as i64 % 7)).sin();
        total = total + acc * x;
    }
    total
}

#[test]
fn long_programs_are_split_and_still_agree() {
    let e = long_program(6_000); // about 24 000 instructions: three chunks
    let jit = compile_with(&e, &VARS, Backend::Jit).unwrap();
    let interpreter = compile_with(&e, &VARS, Backend::Interpreter).unwrap();
    assert!(jit.program().instructions().len() > 20_000);
    for (x, y) in [(0.3, 0.7), (-1.2, 0.4), (2.0, -0.9)] {
        let (a, b) = (jit.call(&[x, y]), interpreter.call(&[x, y]));
        assert!(same(a, b), "{a} vs {b}");
        assert_eq!(jit.try_call(&[x, y]), interpreter.try_call(&[x, y]));
    }
    let xs = [0.1, 0.2, 0.3];
    let ys = [0.5, -0.5, 0.25];
    let (mut a, mut b) = ([0.0; 3], [0.0; 3]);
    jit.eval_batch(&[&xs, &ys], &mut a).unwrap();
    interpreter.eval_batch(&[&xs, &ys], &mut b).unwrap();
    assert!(all_same(&a, &b));
    // A domain error inside the second chunk is found and named.
    let bad = long_program(3_000) + var("x").ln();
    let jit = compile_with(&bad, &VARS, Backend::Jit).unwrap();
    let err = jit.try_call(&[-1.0, 0.5]).unwrap_err();
    assert!(err.to_string().contains("ln(-1)"), "{err}");
}

#[test]
fn chunked_programs_write_every_kind_of_output() {
    // Outputs final in the first chunk, in a later one, an argument, a constant, and a gradient
    // whose entries become final in different chunks: all written straight to the caller's
    // slices by the chunk that completes them.
    let (x, y) = (var("x"), var("y"));
    let long = long_program(2_500);
    let early = (x * y).sin();
    let exprs = [early, long, x, Expr::from(5) / 2, long * early + y];
    let jit = compile_many_with(&exprs, &VARS, Backend::Jit).unwrap();
    let interpreter = compile_many_with(&exprs, &VARS, Backend::Interpreter).unwrap();
    assert!(jit.program().instructions().len() > 9_000);
    for (x, y) in [(0.3, 0.7), (-1.2, 0.4), (2.0, -0.9)] {
        let (a, b) = (jit.call(&[x, y]), interpreter.call(&[x, y]));
        assert!(all_same(&a, &b), "{a:?} vs {b:?}");
        assert_eq!(a[2], x);
        assert_eq!(a[3], 2.5);
        assert_eq!(jit.try_call(&[x, y]), interpreter.try_call(&[x, y]));
    }
    let g = long_program(1_200);
    let jit = compile_gradient_with(&g, &VARS, Backend::Jit).unwrap();
    let interpreter = compile_gradient_with(&g, &VARS, Backend::Interpreter).unwrap();
    assert!(jit.program().instructions().len() > 5_000);
    for (x, y) in [(0.3, 0.7), (-1.2, 0.4)] {
        let ((va, ga), (vb, gb)) = (jit.call(&[x, y]), interpreter.call(&[x, y]));
        assert!(
            same(va, vb) && all_same(&ga, &gb),
            "{va} {ga:?} vs {vb} {gb:?}"
        );
    }
}

#[test]
fn batches_of_many_variables_and_chunked_gradients_agree() {
    // Many inputs and outputs in the native batch loop, and a gradient longer than the batch
    // loop takes (split into chunks, evaluated point by point, each output segment in its
    // place).
    for n in [40, 1_200] {
        let names: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
        let vars: Vec<&str> = names.iter().map(String::as_str).collect();
        let x: Vec<Expr> = names.iter().map(|v| var(v)).collect();
        let mut f = Expr::from(0);
        for i in 0..n - 1 {
            f = f + 100 * (x[i + 1] - x[i].pow(2)).pow(2) + (1 - x[i]).pow(2);
        }
        let jit = compile_gradient_with(&f, &vars, Backend::Jit).unwrap();
        let interpreter = compile_gradient_with(&f, &vars, Backend::Interpreter).unwrap();
        // The longer one exceeds the batch loop's limit (BATCH_MAX, 16,000 instructions).
        assert!(n < 1_000 || jit.program().instructions().len() > 16_000);
        let points = 3;
        let columns: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..points)
                    .map(|p| ((i * 7 + p * 3) % 11) as f64 / 5.0 - 1.0)
                    .collect()
            })
            .collect();
        let inputs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let batch = |g: &symdiff_codegen::CompiledGradient| {
            let mut outs = vec![vec![0.0; points]; n + 1];
            let mut slices: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            g.eval_batch(&inputs, &mut slices).unwrap();
            outs
        };
        let (a, b) = (batch(&jit), batch(&interpreter));
        for (k, (a, b)) in a.iter().zip(&b).enumerate() {
            assert!(all_same(a, b), "n = {n}, output {k}: {a:?} vs {b:?}");
        }
        let point: Vec<f64> = columns.iter().map(|c| c[1]).collect();
        let (v, g) = jit.call(&point);
        assert!(same(v, b[0][1]) && (0..n).all(|i| same(g[i], b[i + 1][1])));
    }
}

#[test]
fn intermediate_domain_errors_are_caught_even_when_the_result_is_finite() {
    // atan(1/x) is finite at x = 0, but 1/0 is not: try_call reports it, as `Expr::eval` does.
    let e = symdiff_expr::parse("atan(1/x) + y").unwrap();
    for backend in [Backend::Jit, Backend::Interpreter] {
        let f = compile_with(&e, &VARS, backend).unwrap();
        assert_eq!(f.call(&[0.0, 1.0]), std::f64::consts::FRAC_PI_2 + 1.0);
        let err = f.try_call(&[0.0, 1.0]).unwrap_err();
        assert!(err.to_string().contains("division by zero"), "{err}");
        assert_eq!(
            f.try_call(&[1.0, 1.0]),
            Ok(std::f64::consts::FRAC_PI_4 + 1.0)
        );
    }
}

#[test]
fn the_jit_is_used_on_supported_hosts() {
    if cfg!(any(target_arch = "x86_64", target_arch = "aarch64"))
        && std::env::var_os("SYMDIFF_NO_JIT").is_none()
    {
        assert!(jit_is_used());
        let f = compile_with(&var("x").sin(), &["x"], Backend::Jit).unwrap();
        assert_eq!(f.backend(), Backend::Jit);
    }
}

#[test]
fn dropping_the_last_handle_frees_the_code() {
    // Many short-lived functions: the memory of each is returned (run under a leak checker to
    // see it; here it must simply not crash or exhaust memory). Clones share the code.
    for i in 0..2_000 {
        let f = compile_with(&(var("x") * i), &["x"], Backend::Jit).unwrap();
        let g = f.clone();
        drop(f);
        assert_eq!(g.call(&[2.0]), 2.0 * i as f64);
    }
}

/// Compiles `src` over `x`, `y` with both backends.
fn both(src: &str) -> Vec<symdiff_codegen::Compiled> {
    let e = symdiff_expr::parse(src).unwrap();
    [Backend::Jit, Backend::Interpreter]
        .into_iter()
        .map(|b| compile_with(&e, &VARS, b).unwrap())
        .collect()
}

#[test]
fn two_argument_functions_at_kinks_and_ties() {
    let nan = f64::NAN;
    for f in both("max(x, y)") {
        // A tie takes the first argument (visible in the sign of zero); NaN propagates.
        assert!(f.call(&[-0.0, 0.0]).is_sign_negative());
        assert!(f.call(&[0.0, -0.0]).is_sign_positive());
        assert!(f.call(&[1.0, nan]).is_nan() && f.call(&[nan, 1.0]).is_nan());
        assert_eq!(f.call(&[-3.0, 2.0]), 2.0);
        assert_eq!(f.try_call(&[2.0, 2.0]), Ok(2.0));
    }
    for f in both("min(x, y)") {
        assert!(f.call(&[0.0, -0.0]).is_sign_positive());
        assert!(f.call(&[-0.0, 0.0]).is_sign_negative());
        assert!(f.call(&[nan, 1.0]).is_nan());
        assert_eq!(f.call(&[-3.0, 2.0]), -3.0);
    }
    for f in both("atan2(y, x) + hypot(x, y)") {
        assert_eq!(f.call(&[0.0, 0.0]), 0.0);
        assert_eq!(f.call(&[0.0, 1.0]), std::f64::consts::FRAC_PI_2 + 1.0);
    }
    for f in both("hypot(x, y)") {
        assert_eq!(f.call(&[3e300, 4e300]), 5e300);
        assert_eq!(f.try_call(&[3e300, 4e300]), Ok(5e300));
    }
    // Constant operands are materialised in registers.
    for f in both("max(x, 2) + min(3, y)") {
        assert_eq!(f.call(&[2.0, 5.0]), 5.0);
        assert_eq!(f.call(&[1.0, -1.0]), 1.0);
    }
}

#[test]
fn conditions_are_ieee_truth_values() {
    let nan = f64::NAN;
    for f in both("if(x < y, 1, 2) + 10*if(x != y, 1, 2) + 100*if(not(x >= y), 1, 2)") {
        assert_eq!(f.call(&[1.0, 2.0]), 1.0 + 10.0 + 100.0);
        assert_eq!(f.call(&[2.0, 2.0]), 2.0 + 20.0 + 200.0);
        // Every comparison with NaN is false, except `!=`.
        assert_eq!(f.call(&[nan, 2.0]), 2.0 + 10.0 + 100.0);
    }
    for f in both("if(x > 0 and y > 0 or x == -1, x*y, -1)") {
        assert_eq!(f.call(&[2.0, 3.0]), 6.0);
        assert_eq!(f.call(&[2.0, -3.0]), -1.0);
        assert_eq!(f.call(&[-1.0, -3.0]), 3.0);
    }
    for f in both("if(x <= y, x, y) - min(x, y)") {
        for (x, y) in [(1.0, 2.0), (2.0, 1.0), (-0.5, -0.5)] {
            assert_eq!(f.call(&[x, y]), 0.0);
        }
    }
}

#[test]
fn the_branch_not_taken_reports_no_domain_error() {
    for f in both("if(x > 0, ln(x), 0) + y") {
        assert_eq!(f.call(&[-1.0, 0.0]), 0.0);
        assert_eq!(f.try_call(&[-1.0, 0.0]), Ok(0.0));
        assert_eq!(f.try_call(&[0.0, 1.0]), Ok(1.0));
        assert_eq!(f.try_call(&[1.0, 0.0]), Ok(0.0));
    }
    // The taken branch's errors still count, and are named.
    for f in both("if(x > 0, 0, ln(x)) + y") {
        assert_eq!(f.try_call(&[1.0, 0.0]), Ok(0.0));
        assert!(f.call(&[-1.0, 0.0]).is_nan());
        let err = f.try_call(&[-1.0, 0.0]).unwrap_err();
        assert!(err.to_string().contains("ln(-1)"), "{err}");
    }
    // So do the condition's.
    for f in both("if(1/x > 0, 1, 2) + y") {
        let err = f.try_call(&[0.0, 0.0]).unwrap_err();
        assert!(err.to_string().contains("division by zero"), "{err}");
    }
}
