//! Behaviour of compiled functions: values, errors, sharing, register reuse, batches.

use symdiff_codegen::{
    compile, compile_many, BatchError, CallError, CompileError, Instr, Output, Program,
};
use symdiff_expr::{parse, var, BinOp, Expr, Point, Semantics};

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn logistic(k: usize) -> Expr {
    let mut l = var("x");
    for _ in 1..k {
        l = 4 * l * (1 - l);
    }
    l
}

#[test]
fn agrees_bitwise_with_the_interpreter() {
    let exprs = [
        "x1*x2 + x2 - ln(x1)",
        "4*(cos(x1) + 2*x1 - exp(x1))^2",
        "sqrt(x1^2 + x2^2) / (1 + tanh(x1*x2))",
        "x1^x2 + 2^x1 + x1^0.5 + x1^(1/3) - pi*e",
        "atan(x1/x2) + asin(x1/10) + acos(-x2/10) + sinh(x1) - cosh(x2) + tan(x1)",
        "-(x1 - 3) * (x2 - 0.1) / (x1 - 0.7)",
    ];
    for src in exprs {
        let e = parse(src).unwrap();
        let f = compile(&e, &["x1", "x2"]).unwrap();
        for (a, b) in [(3.0, -4.0), (0.5, 0.25), (1.5, 2.0), (7.0, 3.0)] {
            let p = Point::new().with("x1", a).with("x2", b);
            let want = e.eval_with(&p, Semantics::Ieee).unwrap();
            let got = f.call(&[a, b]);
            assert!(same(got, want), "{src} at ({a}, {b}): {got} vs {want}");
        }
    }
}

#[test]
fn integer_powers_match_powi_bit_for_bit() {
    let x = var("x");
    for n in -40..=40 {
        let e = x.pow(n);
        let f = compile(&e, &["x"]).unwrap();
        for v in [
            0.0,
            -0.0,
            1.1,
            -1.7,
            3.3e10,
            -2.5e-9,
            0.999_999_9,
            1e300,
            f64::NAN,
        ] {
            let want = v.powi(n);
            assert!(same(f.call(&[v]), want), "x^{n} at {v}");
        }
    }
    // |n| <= 16 are multiplications: x^13 = x * x^4 * x^8 needs 3 squarings + 2 products.
    let p = Program::new(&[x.pow(13)], &["x"]).unwrap();
    assert_eq!(p.instructions().len(), 5);
    assert!(p
        .instructions()
        .iter()
        .all(|i| matches!(i, Instr::Binary { op: BinOp::Mul, .. })));
    let p = Program::new(&[x.pow(-2)], &["x"]).unwrap();
    assert!(
        matches!(p.instructions()[1], Instr::ImmBinary { op: BinOp::Div, imm, .. } if imm == 1.0)
    );
    let p = Program::new(&[x.pow(17)], &["x"]).unwrap();
    assert!(matches!(p.instructions(), [Instr::Powi { n: 17, .. }]));
    assert_eq!(
        Program::new(&[x.pow(0)], &["x"]).unwrap().outputs(),
        &[Output::Const(1.0)]
    );
}

#[test]
fn shared_subexpressions_are_computed_once_and_registers_reused() {
    let l = logistic(30);
    let p = Program::new(&[l], &["x"]).unwrap();
    assert_eq!(p.instructions().len(), 3 * 29);
    assert!(p.registers() <= 3, "{}", p.registers());
    let f = compile(&l, &["x"]).unwrap();
    let want = l.eval(&Point::new().with("x", 0.3)).unwrap();
    assert_eq!(f.call(&[0.3]), want);

    // Commuted duplicates and repeated squarings are value-numbered.
    let (x, y) = (var("x"), var("y"));
    let p = Program::new(&[x * y + y * x + x.pow(2) * x.pow(4)], &["x", "y"]).unwrap();
    // x*y, (x*y)+(x*y), x*x, (x*x)*(x*x), x^2*x^4, sum
    assert_eq!(p.instructions().len(), 6, "{p}");
}

#[test]
fn constants_fold_and_stay_exact() {
    let e = parse("2*pi*x + sin(1)*cos(1) - 1/3").unwrap();
    let p = Program::new(&[e], &["x"]).unwrap();
    assert_eq!(p.instructions().len(), 3, "{p}"); // (2*pi)*x, + folded sin(1)*cos(1), - 1/3
    let f = compile(&e, &["x"]).unwrap();
    let want = e.eval(&Point::new().with("x", 0.7)).unwrap();
    assert_eq!(f.call(&[0.7]), want);
    let c = compile(&parse("ln(2) + 1").unwrap(), &[]).unwrap();
    assert_eq!(c.call(&[]), 2f64.ln() + 1.0);
    assert!(c.program().instructions().is_empty());
}

#[test]
fn bad_programs_are_compile_errors() {
    let e = parse("x*y + z").unwrap();
    match compile(&e, &["x", "y"]) {
        Err(CompileError::UnknownVariable { name, .. }) => assert_eq!(name, "z"),
        other => panic!("{other:?}"),
    }
    let d = parse("d(x, x^2) + 1").unwrap();
    let err = compile(&d, &["x"]).unwrap_err();
    assert_eq!(err, CompileError::Derivative("d(x, x^2)".into()));
    assert_eq!(
        compile(&e, &["x", "y", "x"]).unwrap_err(),
        CompileError::DuplicateVariable("x".into())
    );
    assert_eq!(
        compile(&e, &["x", "y", "z w"]).unwrap_err(),
        CompileError::InvalidVariable("z w".into())
    );
}

#[test]
#[should_panic(expected = "expected 2 arguments (x, y), got 1")]
fn call_with_wrong_arity_panics_with_a_clear_message() {
    let f = compile(&parse("x*y").unwrap(), &["x", "y"]).unwrap();
    f.call(&[1.0]);
}

#[test]
fn try_call_reports_domain_errors_like_the_interpreter() {
    let cases = [
        ("ln(x)", -1.0, "ln(-1)"),
        ("1/x", 0.0, "1/0"),
        ("sqrt(x - 2)", 1.0, "sqrt(-1)"),
        ("exp(x)^0 + x", 1000.0, "exp(1000)"),
        ("x*ln(0)", 1.0, "ln(0)"),
        ("x + 10^400", 1.0, "10"),
    ];
    for (src, x, op_contains) in cases {
        let e = parse(src).unwrap();
        let f = compile(&e, &["x"]).unwrap();
        let err = f.try_call(&[x]).unwrap_err();
        let interp = e.eval(&Point::new().with("x", x)).unwrap_err();
        assert_eq!(err.to_string(), interp.to_string(), "{src}");
        assert!(err.to_string().contains(op_contains), "{src}: {err}");
    }
    let f = compile(&parse("x + 1").unwrap(), &["x", "y"]).unwrap();
    // y is not used: a NaN there is fine; a NaN in x is reported.
    assert_eq!(f.try_call(&[1.0, f64::NAN]), Ok(2.0));
    assert!(matches!(
        f.try_call(&[f64::NAN, 0.0]),
        Err(CallError::Eval(symdiff_expr::EvalError::Domain { .. }))
    ));
    // Intermediate overflow that the result hides is still an error, as in the interpreter.
    let e = parse("1/exp(x)").unwrap();
    let f = compile(&e, &["x"]).unwrap();
    assert_eq!(f.call(&[1000.0]), 0.0);
    assert!(f.try_call(&[1000.0]).is_err());
    assert!(e.eval(&Point::new().with("x", 1000.0)).is_err());
}

#[test]
fn many_outputs_share_work() {
    let (x, y) = (var("x"), var("y"));
    let s = (x * y).sin();
    let f = compile_many(&[s * x, s * y, s, x, Expr::from(3)], &["x", "y"]).unwrap();
    assert_eq!(f.program().instructions().len(), 4);
    let out = f.call(&[0.5, 2.0]);
    let sv = 1f64.sin();
    assert_eq!(out, vec![sv * 0.5, sv * 2.0, sv, 0.5, 3.0]);
    assert_eq!(f.try_call(&[0.5, 2.0]).unwrap(), out);
    let g = f.clone().into_closure();
    assert_eq!(g(&[0.5, 2.0]), out);
}

#[test]
fn closures_are_send_sync_and_thread_safe() {
    let f = compile(&logistic(8), &["x"]).unwrap().into_closure();
    let want = f(&[0.3]);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(f(&[0.3]), want));
        }
    });
}

#[test]
fn large_programs_use_the_heap_register_file() {
    let vars: Vec<String> = (0..200).map(|i| format!("x{i}")).collect();
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let terms: Vec<Expr> = names.iter().map(|v| var(v).sin()).collect();
    let f = compile_many(&terms, &names).unwrap();
    let args: Vec<f64> = (0..200).map(|i| i as f64 * 0.01).collect();
    let out = f.call(&args);
    assert!(f.program().registers() >= 200);
    for (i, v) in out.iter().enumerate() {
        assert_eq!(*v, args[i].sin());
    }
}

#[test]
fn batches_agree_with_scalar_calls() {
    let e = parse("x^3*sin(y) - ln(x) + 1/y + x^y").unwrap();
    let f = compile(&e, &["x", "y"]).unwrap();
    for n in [0, 1, 31, 32, 33, 100, 20_000] {
        let xs: Vec<f64> = (0..n).map(|i| 0.1 + (i % 97) as f64 * 0.05).collect();
        let ys: Vec<f64> = (0..n).map(|i| -2.0 + (i % 89) as f64 * 0.07).collect();
        let mut out = vec![0.0; n];
        let mut par = vec![0.0; n];
        f.eval_batch(&[&xs, &ys], &mut out).unwrap();
        f.eval_batch_par(&[&xs, &ys], &mut par).unwrap();
        for i in 0..n {
            let want = f.call(&[xs[i], ys[i]]);
            assert!(same(out[i], want), "n={n}, i={i}");
            assert!(same(par[i], want), "n={n}, i={i}");
        }
    }
}

#[test]
fn batch_shapes_are_checked() {
    let f = compile_many(&[parse("x+y").unwrap(), parse("x").unwrap()], &["x", "y"]).unwrap();
    let (mut a, mut b) = (vec![0.0; 3], vec![0.0; 2]);
    let x = [1.0, 2.0, 3.0];
    assert_eq!(
        f.eval_batch(&[&x], &mut [&mut a, &mut b]),
        Err(BatchError::InputCount {
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        f.eval_batch(&[&x, &x], &mut [&mut a]),
        Err(BatchError::OutputCount {
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        f.eval_batch(&[&x, &x], &mut [&mut a, &mut b]),
        Err(BatchError::OutputLength {
            index: 1,
            expected: 3,
            found: 2
        })
    );
    let mut b = vec![0.0; 3];
    f.eval_batch(&[&x, &x], &mut [&mut a, &mut b]).unwrap();
    assert_eq!((a, b), (vec![2.0, 4.0, 6.0], vec![1.0, 2.0, 3.0]));
}

#[test]
fn exact_identities_are_removed() {
    let (x, y) = (var("x"), var("y"));
    let zero = Expr::from(0);
    // (0 + sin(x)*1 + y*x + 0 + 0 + 0) / 1: one addition survives the zeros after the first.
    let e = (zero + x.sin() * 1 + y * x + 0 + 0 + 0) / 1;
    let p = Program::new(&[e], &["x", "y"]).unwrap();
    // sin, 0 + sin (kept: sin may be -0), y*x, +, and nothing else.
    assert_eq!(p.instructions().len(), 4, "{p}");
    let f = compile(&e, &["x", "y"]).unwrap();
    for (a, b) in [(0.0, 0.0), (-0.0, 1.0), (-0.0, -0.0), (1.5, -2.0)] {
        let want = e
            .eval_with(&Point::new().with("x", a).with("y", b), Semantics::Ieee)
            .unwrap();
        assert!(same(f.call(&[a, b]), want), "({a}, {b})");
    }
    // x + 0 is kept when x may be -0 (it turns -0 into +0).
    let p = Program::new(&[x + 0], &["x"]).unwrap();
    assert_eq!(p.instructions().len(), 1);
    assert_eq!(
        compile(&(x + 0), &["x"]).unwrap().call(&[-0.0]).to_bits(),
        0
    );
    // -(-x) is x (the inner negation stays: it is a node `try_call` checks).
    let p = Program::new(&[-(-x)], &["x"]).unwrap();
    assert_eq!(p.outputs(), &[Output::Reg(0)]);
}

#[test]
fn deep_dags_compile_without_recursion() {
    // 30 000 nested operations: lowering, allocation and emission are all iterative.
    let l = logistic(10_000);
    let p = Program::new(&[l], &["x"]).unwrap();
    assert_eq!(p.instructions().len(), 3 * 9_999);
    let f = compile(&l, &["x"]).unwrap();
    assert!(f.call(&[0.3]).is_finite());
    let src = symdiff_codegen::to_rust_source("deep", &l, &["x"]).unwrap();
    assert_eq!(src.lines().count(), 10_003);
}
