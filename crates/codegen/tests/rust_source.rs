//! Emitted Rust source compiles with the real compiler and agrees with the compiled closure.
//!
//! All functions go into one program, compiled by a single `rustc` invocation.

use std::fmt::Write;
use std::process::Command;
use symdiff_codegen::{
    compile_gradient, compile_many, to_rust_source, to_rust_source_gradient, to_rust_source_many,
    to_rust_source_value_and_gradient,
};
use symdiff_expr::{parse, var, Expr};

fn logistic(k: usize) -> Expr {
    let mut l = var("x");
    for _ in 1..k {
        l = 4 * l * (1 - l);
    }
    l
}

#[derive(PartialEq)]
enum Kind {
    Scalar,
    Many,
    Gradient,
    /// Differentiated by `symdiff-rewrite` (the closure is `compile_gradient`).
    SymbolicGradient,
}

struct Case {
    name: &'static str,
    kind: Kind,
    exprs: Vec<Expr>,
    vars: Vec<&'static str>,
    points: Vec<Vec<f64>>,
}

fn cases() -> Vec<Case> {
    let p = |s: &str| parse(s).unwrap();
    let pts2 = vec![vec![0.3, 0.7], vec![1.5, -2.0], vec![3.0, 0.25]];
    vec![
        Case {
            name: "seed",
            kind: Kind::Scalar,
            exprs: vec![p("4*(cos(x) + 2*x - exp(x))^2")],
            vars: vec!["x"],
            points: vec![vec![0.0], vec![0.5], vec![-1.25]],
        },
        Case {
            name: "logistic",
            kind: Kind::Scalar,
            exprs: vec![logistic(12)],
            vars: vec!["x"],
            points: vec![vec![0.1], vec![0.3], vec![0.77]],
        },
        Case {
            name: "everything",
            kind: Kind::Scalar,
            exprs: vec![p(
                "x^y + 2^x + y^(1/3) + x^-3 - pi*e + atan(x/y) + -sin(-x) - (x - (y - 1)) \
                 + sinh(y)/cosh(x) + tanh(x*y) + asin(y/10) + acos(-x/10) + tan(y) + sqrt(x^2 + 1) \
                 + ln(x^2 + 1)*exp(-y) + x/(y*3) + (-2)^x + x^17",
            )],
            vars: vec!["x", "y"],
            points: pts2.clone(),
        },
        Case {
            name: "helpers_min_max_and_stable_functions",
            kind: Kind::Scalar,
            exprs: vec![p(
                "max(x, y) + min(x, -y) + relu(x - 1) + sign(y) + sigmoid(x*y) + softplus(-x) \
                 + sigmoid(-800*x) + softplus(800*y) + max(relu(x), relu(y)) + log1p(x^2) + expm1(y) \
                 + cbrt(x - 2) + log10(y^2 + 1) + log2(x^2 + 3) + abs(y)",
            )],
            vars: vec!["x", "y"],
            points: vec![
                vec![0.3, 0.7],
                vec![1.5, -2.0],
                vec![-3.0, 0.0],
                vec![2.0, 2.0],
            ],
        },
        Case {
            name: "two_argument_functions_and_conditions",
            kind: Kind::Scalar,
            exprs: vec![p(
                "atan2(y, x) + hypot(x, y) + if(x > 0 and not(y >= 1) or x == y, x*y, -x) \
                 + if(y != 0, 1/y, 0)",
            )],
            vars: vec!["x", "y"],
            points: vec![
                vec![0.3, 0.7],
                vec![1.5, -2.0],
                vec![-3.0, 0.0],
                vec![2.0, 2.0],
            ],
        },
        Case {
            name: "keywords_and_clashes",
            kind: Kind::Scalar,
            exprs: vec![p("(type + t0)^2 * (type + t0) + symdiff_pow^type")],
            vars: vec!["type", "t0", "symdiff_pow"],
            points: vec![vec![0.5, 1.5, 2.0], vec![2.0, -0.5, 1.25]],
        },
        Case {
            name: "polar_and_constant",
            kind: Kind::Many,
            exprs: vec![p("r*cos(t)"), p("r*sin(t)"), p("r"), p("2*pi")],
            vars: vec!["r", "t"],
            points: pts2.clone(),
        },
        Case {
            name: "with_gradient",
            kind: Kind::Gradient,
            exprs: vec![p("x1*x2 + x2 - ln(x1)"), p("x2 - 1/x1"), p("x1 + 1")],
            vars: vec!["x1", "x2"],
            points: pts2.clone(),
        },
        Case {
            name: "symbolic_gradient",
            kind: Kind::SymbolicGradient,
            exprs: vec![p("x1*x2 + x2 - ln(x1) + sin(x1*x2)^2 / (1 + x2^2)")],
            vars: vec!["x1", "x2"],
            points: pts2,
        },
    ]
}

#[test]
fn emitted_source_compiles_and_agrees_with_the_closure() {
    let cases = cases();
    let mut src = String::new();
    let mut main = String::from("fn main() {\n");
    for case in &cases {
        let f = match case.kind {
            Kind::Scalar => to_rust_source(case.name, &case.exprs[0], &case.vars),
            Kind::Many => to_rust_source_many(case.name, &case.exprs, &case.vars),
            Kind::Gradient => to_rust_source_value_and_gradient(
                case.name,
                &case.exprs[0],
                &case.exprs[1..],
                &case.vars,
            ),
            Kind::SymbolicGradient => {
                to_rust_source_gradient(case.name, &case.exprs[0], &case.vars)
            }
        }
        .unwrap();
        src.push_str(&f);
        src.push('\n');
        for pt in &case.points {
            let args: Vec<String> = pt.iter().map(|v| format!("{v:?}")).collect();
            let call = format!("{}({})", case.name, args.join(", "));
            let line = match case.kind {
                Kind::Scalar => format!("[{call}]"),
                Kind::Many => call,
                Kind::Gradient | Kind::SymbolicGradient => {
                    format!("{{ let (v, g) = {call}; let mut all = vec![v]; all.extend(g); all }}")
                }
            };
            writeln!(main, "    println!(\"{{:?}}\", {line});").unwrap();
        }
    }
    main.push_str("}\n");
    src.push_str(&main);

    let dir = std::env::temp_dir().join(format!("symdiff-codegen-rustc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("main.rs");
    let exe = dir.join("main");
    std::fs::write(&file, &src).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args([
            "--edition",
            "2021",
            "--crate-type",
            "bin",
            "-D",
            "warnings",
            "-o",
        ])
        .arg(&exe)
        .arg(&file)
        .output()
        .expect("run rustc");
    assert!(
        out.status.success(),
        "rustc failed:\n{}\n--- source ---\n{src}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe)
        .output()
        .expect("run the compiled program");
    assert!(run.status.success());
    let stdout = String::from_utf8(run.stdout).unwrap();
    let mut lines = stdout.lines();
    for case in &cases {
        let f = compile_many(&case.exprs, &case.vars).unwrap();
        let g = (case.kind == Kind::SymbolicGradient)
            .then(|| compile_gradient(&case.exprs[0], &case.vars).unwrap());
        for pt in &case.points {
            let want = if let Some(g) = &g {
                let (v, grad) = g.call(pt);
                std::iter::once(v).chain(grad).collect()
            } else {
                f.call(pt)
            };
            let line = lines.next().expect("one line per call");
            let got: Vec<f64> = line
                .trim_matches(|c| c == '[' || c == ']')
                .split(", ")
                .map(|v| v.parse().unwrap())
                .collect();
            assert_eq!(got.len(), want.len(), "{}", case.name);
            for (g, w) in got.iter().zip(&want) {
                let close = (g - w).abs() <= 1e-12 * w.abs().max(1.0) || (g.is_nan() && w.is_nan());
                assert!(close, "{} at {pt:?}: emitted {g}, closure {w}", case.name);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
