//! ns per evaluation of symbolic derivatives: the tree-walking interpreter (`Expr::eval`), the
//! compiled closure, the batch evaluator (per point) and a hand-written native Rust function,
//! for (a) the logistic-map derivative at k = 12, (b) d/dx of the seed's
//! `4*(cos(x) + 2*x - exp(x))^2`, (c) the gradient of a 100-variable function.
//!
//! Also measured: an alternative closure compiler (each instruction a boxed closure, "closure
//! threading") against the instruction interpreter that `Compiled` uses.
//!
//! Run: `cargo bench -p symdiff-codegen --bench eval -- --warm-up-time 1 --measurement-time 2`.
//! After the benchmarks a markdown table (median ns per evaluation, ratio to native) is printed.

use criterion::{Criterion, Throughput};
use std::hint::black_box;
use symdiff_codegen::{compile, compile_gradient, Compiled, CompiledGradient, Instr, Program};
use symdiff_expr::{var, Expr, Point};

/// Points per benchmark iteration (the batch path evaluates them in one call).
const POINTS: usize = 1024;
/// Points for the 100-variable gradient (each evaluation is ~100 sin + 100 cos).
const GRAD_POINTS: usize = 64;
const N: usize = 100;

// ---------------------------------------------------------------------------------------------
// The cases.

fn logistic(k: usize) -> Expr {
    let mut l = var("x");
    for _ in 1..k {
        l = 4 * l * (1 - l);
    }
    l
}

/// d/dx l_12, hand-written forward mode: the natural native code for this derivative.
#[inline(never)]
fn logistic_d_native(x: f64) -> f64 {
    let (mut l, mut dl) = (x, 1.0);
    for _ in 1..12 {
        dl = 4.0 * (dl * (1.0 - l) - l * dl);
        l = 4.0 * l * (1.0 - l);
    }
    dl
}

/// d/dx 4*(cos(x) + 2*x - exp(x))^2, by hand.
#[inline(never)]
fn seed_d_native(x: f64) -> f64 {
    let e = x.exp();
    8.0 * (x.cos() + 2.0 * x - e) * (2.0 - x.sin() - e)
}

fn coefficient(i: usize) -> f64 {
    1.0 + i as f64 / 64.0
}

fn coefficient_expr(i: usize) -> Expr {
    Expr::from(64 + i as i64) / 64
}

/// f = sum_{i<99} sin(a_i x_i) x_{i+1}.
fn hundred_vars() -> (Expr, Vec<String>) {
    let names: Vec<String> = (0..N).map(|i| format!("x{i}")).collect();
    let x: Vec<Expr> = names.iter().map(|n| var(n)).collect();
    let mut f = (coefficient_expr(0) * x[0]).sin() * x[1];
    for i in 1..N - 1 {
        f = f + (coefficient_expr(i) * x[i]).sin() * x[i + 1];
    }
    (f, names)
}

/// Value and gradient of `hundred_vars`, by hand.
#[inline(never)]
fn hundred_native(x: &[f64], grad: &mut [f64]) -> f64 {
    grad.fill(0.0);
    let mut value = 0.0;
    for i in 0..N - 1 {
        let a = coefficient(i);
        let (s, c) = (a * x[i]).sin_cos();
        value += s * x[i + 1];
        grad[i] += a * c * x[i + 1];
        grad[i + 1] += s;
    }
    value
}

// ---------------------------------------------------------------------------------------------
// Closure threading: the alternative to the instruction interpreter, measured here.

type Step = Box<dyn Fn(&mut [f64]) + Send + Sync>;

fn threaded(p: &Program) -> impl Fn(&[f64]) -> f64 {
    let steps: Vec<Step> = p
        .instructions()
        .iter()
        .map(|&i| -> Step {
            macro_rules! un {
                ($d:expr, $a:expr, $f:expr) => {{
                    let (d, a) = ($d as usize, $a as usize);
                    let f = $f;
                    Box::new(move |r: &mut [f64]| r[d] = f(r[a]))
                }};
            }
            macro_rules! bin {
                ($d:expr, $a:expr, $b:expr, $f:expr) => {{
                    let (d, a, b) = ($d as usize, $a as usize, $b as usize);
                    let f = $f;
                    Box::new(move |r: &mut [f64]| r[d] = f(r[a], r[b]))
                }};
            }
            match i {
                Instr::Add { dst, a, b } => bin!(dst, a, b, |x, y| x + y),
                Instr::Sub { dst, a, b } => bin!(dst, a, b, |x, y| x - y),
                Instr::Mul { dst, a, b } => bin!(dst, a, b, |x, y| x * y),
                Instr::Div { dst, a, b } => bin!(dst, a, b, |x, y| x / y),
                Instr::Pow { dst, a, b } => bin!(dst, a, b, symdiff_expr::pow_f64),
                Instr::AddImm { dst, a, imm } => un!(dst, a, move |x| x + imm),
                Instr::ImmSub { dst, a, imm } => un!(dst, a, move |x| imm - x),
                Instr::MulImm { dst, a, imm } => un!(dst, a, move |x| x * imm),
                Instr::DivImm { dst, a, imm } => un!(dst, a, move |x| x / imm),
                Instr::ImmDiv { dst, a, imm } => un!(dst, a, move |x| imm / x),
                Instr::PowImm { dst, a, imm } => un!(dst, a, move |x: f64| x.powf(imm)),
                Instr::ImmPow { dst, a, imm } => {
                    un!(dst, a, move |x| symdiff_expr::pow_f64(imm, x))
                }
                Instr::Powi { dst, a, n } => un!(dst, a, move |x: f64| x.powi(n)),
                Instr::Neg { dst, a } => un!(dst, a, |x: f64| -x),
                Instr::Sin { dst, a } => un!(dst, a, f64::sin),
                Instr::Cos { dst, a } => un!(dst, a, f64::cos),
                Instr::Tan { dst, a } => un!(dst, a, f64::tan),
                Instr::Asin { dst, a } => un!(dst, a, f64::asin),
                Instr::Acos { dst, a } => un!(dst, a, f64::acos),
                Instr::Atan { dst, a } => un!(dst, a, f64::atan),
                Instr::Sinh { dst, a } => un!(dst, a, f64::sinh),
                Instr::Cosh { dst, a } => un!(dst, a, f64::cosh),
                Instr::Tanh { dst, a } => un!(dst, a, f64::tanh),
                Instr::Exp { dst, a } => un!(dst, a, f64::exp),
                Instr::Ln { dst, a } => un!(dst, a, f64::ln),
                Instr::Sqrt { dst, a } => un!(dst, a, f64::sqrt),
                Instr::Const { dst, imm } => {
                    let d = dst as usize;
                    Box::new(move |r: &mut [f64]| r[d] = imm)
                }
            }
        })
        .collect();
    let registers = p.registers();
    let n = p.vars().len();
    let out = match p.outputs()[0] {
        symdiff_codegen::Output::Reg(r) => r as usize,
        symdiff_codegen::Output::Const(_) => unimplemented!("constant output"),
    };
    move |args: &[f64]| {
        let mut regs = [0.0; 64];
        assert!(registers <= 64);
        regs[..n].copy_from_slice(args);
        for s in &steps {
            s(&mut regs);
        }
        regs[out]
    }
}

// ---------------------------------------------------------------------------------------------
// Benchmarks.

fn points(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / n as f64)
        .collect()
}

/// One-variable derivative: interpreter, closure, threaded closure, batch, native.
fn bench_scalar(c: &mut Criterion, group: &str, df: Expr, xs: &[f64], native: fn(f64) -> f64) {
    let compiled: Compiled = compile(&df, &["x"]).unwrap();
    // The compiled code and the native function agree.
    for &x in xs.iter().step_by(97) {
        let (a, b) = (compiled.call(&[x]), native(x));
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{group}: {a} vs {b}"
        );
    }
    println!(
        "{group}: derivative DAG {} nodes, program {} instructions, {} registers",
        df.subexpressions().len(),
        compiled.program().instructions().len(),
        compiled.program().registers()
    );
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(xs.len() as u64));
    let pts: Vec<Point> = xs.iter().map(|&x| Point::new().with("x", x)).collect();
    g.bench_function("interpreter", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for p in &pts {
                s += df.eval(black_box(p)).unwrap();
            }
            s
        })
    });
    let closure = compiled.clone().into_closure();
    g.bench_function("closure", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for &x in xs {
                s += closure(&[black_box(x)]);
            }
            s
        })
    });
    let threaded = threaded(compiled.program());
    g.bench_function("closure-threaded", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for &x in xs {
                s += threaded(&[black_box(x)]);
            }
            s
        })
    });
    let mut out = vec![0.0; xs.len()];
    g.bench_function("batch", |b| {
        b.iter(|| {
            compiled.eval_batch(&[black_box(xs)], &mut out).unwrap();
            out[0]
        })
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for &x in xs {
                s += native(black_box(x));
            }
            s
        })
    });
    g.finish();
}

fn bench_gradient(c: &mut Criterion) {
    let (f, names) = hundred_vars();
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    let grad = symdiff_rewrite::gradient(&f, &vars).unwrap();
    let compiled: CompiledGradient = compile_gradient(&f, &vars).unwrap();
    println!(
        "gradient-100: program {} instructions, {} registers",
        compiled.program().instructions().len(),
        compiled.program().registers()
    );
    // GRAD_POINTS points, as one slice per variable (for the batch) and as rows.
    let rows: Vec<Vec<f64>> = (0..GRAD_POINTS)
        .map(|p| {
            (0..N)
                .map(|i| ((p * 31 + i * 7) % 23) as f64 / 11.0 - 1.0)
                .collect()
        })
        .collect();
    let columns: Vec<Vec<f64>> = (0..N)
        .map(|i| rows.iter().map(|r| r[i]).collect())
        .collect();
    {
        let (v, g) = compiled.call(&rows[3]);
        let mut gn = vec![0.0; N];
        let vn = hundred_native(&rows[3], &mut gn);
        assert!((v - vn).abs() < 1e-9);
        for i in 0..N {
            assert!(
                (g[i] - gn[i]).abs() < 1e-9,
                "partial {i}: {} vs {}",
                g[i],
                gn[i]
            );
        }
    }
    let mut group = c.benchmark_group("gradient-100");
    group.throughput(Throughput::Elements(GRAD_POINTS as u64));
    let pts: Vec<Point> = rows
        .iter()
        .map(|r| vars.iter().zip(r).map(|(v, &x)| (*v, x)).collect())
        .collect();
    group.bench_function("interpreter", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for p in &pts {
                s += f.eval(black_box(p)).unwrap();
                for e in &grad.entries {
                    s += e.eval(p).unwrap();
                }
            }
            s
        })
    });
    let mut gbuf = vec![0.0; N];
    group.bench_function("closure", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for r in &rows {
                s += compiled.call_into(black_box(r), &mut gbuf);
            }
            s
        })
    });
    let inputs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let mut outs: Vec<Vec<f64>> = vec![vec![0.0; GRAD_POINTS]; N + 1];
    group.bench_function("batch", |b| {
        b.iter(|| {
            let mut o: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            compiled.eval_batch(black_box(&inputs), &mut o).unwrap();
        })
    });
    group.bench_function("native", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for r in &rows {
                s += hundred_native(black_box(r), &mut gbuf);
            }
            s
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let l = logistic(12);
    let dl = symdiff_rewrite::d(&l, "x").unwrap().expr;
    bench_scalar(
        c,
        "logistic-12",
        dl,
        &points(0.05, 0.95, POINTS),
        logistic_d_native,
    );
    let x = var("x");
    let seed = 4 * (x.cos() + 2 * x - x.exp()).pow(2);
    let ds = symdiff_rewrite::d(&seed, "x").unwrap().expr;
    bench_scalar(c, "seed", ds, &points(-2.0, 2.0, POINTS), seed_d_native);
    bench_gradient(c);
}

// ---------------------------------------------------------------------------------------------
// The summary table, from criterion's saved estimates.

fn criterion_dir() -> std::path::PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return std::path::PathBuf::from(target).join("criterion");
    }
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion")
}

/// Median ns per iteration of a saved benchmark (the median resists the preemptions of a
/// shared machine better than the mean).
fn mean_ns(group: &str, bench: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(bench)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary() {
    let rows = [
        ("logistic-12", "(a) logistic map k = 12, d/dx", POINTS),
        ("seed", "(b) d/dx 4*(cos(x) + 2*x - exp(x))^2", POINTS),
        (
            "gradient-100",
            "(c) value + gradient, 100 variables",
            GRAD_POINTS,
        ),
    ];
    println!("\n| case | interpreter | closure | batch (per point) | native | closure / native | batch / native | closure-threaded |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (group, label, n) in rows {
        let per = |b: &str| mean_ns(group, b).map(|t| t / n as f64);
        let fmt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1} ns"));
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a / b),
            _ => "–".to_string(),
        };
        let (i, c, b, n, t) = (
            per("interpreter"),
            per("closure"),
            per("batch"),
            per("native"),
            per("closure-threaded"),
        );
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} |",
            fmt(i),
            fmt(c),
            fmt(b),
            fmt(n),
            ratio(c, n),
            ratio(b, n),
            fmt(t)
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    summary();
}
