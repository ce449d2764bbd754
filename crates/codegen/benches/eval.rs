//! Compiled derivatives against hand-written Rust, and the JIT's compile time.
//!
//! Rows (the table of issue 10): (a) d/dx of the seed's `4*(cos(x) + 2*x - exp(x))^2`,
//! (b) d/dx of the logistic map at k = 12, (c) Rosenbrock n = 1000, value, (d) Rosenbrock
//! n = 1000, value and gradient (`compile_gradient` + `call_into`). The Rosenbrock sum is
//! measured in two associations, each against a hand-written function computing the same
//! expression in the same order (the values agree bit for bit): (c)/(d) `f + (a_i + b_i)`
//! (the Rust `f += a + b`), (c')/(d') `(f + a_i) + b_i` (the Rust `f = f + a + b`). Columns: the
//! JIT, the interpreter (`Backend::Interpreter`), the JIT's batch loop (per point), and a
//! hand-written Rust function called once per point.
//!
//! Then the compile time of `compile_with(.., Backend::Jit)` for programs of 10^2 to 10^6
//! instructions, split into lowering + register allocation (`Program::new`) and the JIT.
//!
//! Run: `cargo bench -p symdiff-codegen --bench eval -- --warm-up-time 1 --measurement-time 2`.
//! After the benchmarks two markdown tables are printed (criterion medians, and interleaved
//! thread-CPU-time medians).

use criterion::{Criterion, Throughput};
use std::hint::black_box;
#[cfg(not(unix))]
use std::time::Instant;
use symdiff_codegen::{compile_gradient_with, compile_with, Backend, Program};
use symdiff_expr::{var, Expr};

/// Instructions per native function (`CHUNK` in `src/jit.rs`), for the compile-time table.
const CHUNK: usize = 4_000;

/// Points per benchmark iteration for the one-variable rows.
const POINTS: usize = 1024;
/// Points per iteration for the Rosenbrock rows.
const ROSEN_POINTS: usize = 16;
const N: usize = 1000;

// ---------------------------------------------------------------------------------------------
// The cases and their hand-written versions.

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

/// How the Rosenbrock sum is associated. Both the symbolic input and the hand-written Rust
/// compute the same expression in the same order (compiled code never reassociates a float
/// expression), so each pair is a like-for-like comparison.
#[derive(Clone, Copy)]
enum Sum {
    /// `f = f + (100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2)`: one dependent addition per term (the
    /// Rust `f += a + b`).
    Grouped,
    /// `f = f + 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2`, which parses as `(f + a) + b`: two
    /// dependent additions per term.
    Chained,
}

/// Rosenbrock: sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
fn rosenbrock(names: &[String], sum: Sum) -> Expr {
    let x: Vec<Expr> = names.iter().map(|n| var(n)).collect();
    let mut f = Expr::from(0);
    for i in 0..x.len() - 1 {
        let (a, b) = (100 * (x[i + 1] - x[i].pow(2)).pow(2), (1 - x[i]).pow(2));
        f = match sum {
            Sum::Grouped => f + (a + b),
            Sum::Chained => f + a + b,
        };
    }
    f
}

/// The term `i` of the hand-written Rosenbrock, `(100 a^2, b^2, a, b)`, rounded as the symbolic
/// `100*(x_{i+1} - x_i^2)^2` and `(1 - x_i)^2` are.
#[inline(always)]
fn rosenbrock_term(x: &[f64], i: usize) -> (f64, f64, f64, f64) {
    let (a, b) = (x[i + 1] - x[i] * x[i], 1.0 - x[i]);
    (100.0 * (a * a), b * b, a, b)
}

#[inline(never)]
fn rosenbrock_native(x: &[f64]) -> f64 {
    let mut f = 0.0;
    for i in 0..x.len() - 1 {
        let (p, q, _, _) = rosenbrock_term(x, i);
        f += p + q;
    }
    f
}

#[inline(never)]
fn rosenbrock_chained_native(x: &[f64]) -> f64 {
    let mut f = 0.0;
    for i in 0..x.len() - 1 {
        let (p, q, _, _) = rosenbrock_term(x, i);
        f = f + p + q;
    }
    f
}

#[inline(always)]
fn rosenbrock_gradient_step(x: &[f64], grad: &mut [f64], i: usize, a: f64, b: f64) {
    grad[i] += -400.0 * a * x[i] - 2.0 * b;
    grad[i + 1] += 200.0 * a;
}

#[inline(never)]
fn rosenbrock_gradient_native(x: &[f64], grad: &mut [f64]) -> f64 {
    grad.fill(0.0);
    let mut f = 0.0;
    for i in 0..x.len() - 1 {
        let (p, q, a, b) = rosenbrock_term(x, i);
        f += p + q;
        rosenbrock_gradient_step(x, grad, i, a, b);
    }
    f
}

#[inline(never)]
fn rosenbrock_chained_gradient_native(x: &[f64], grad: &mut [f64]) -> f64 {
    grad.fill(0.0);
    let mut f = 0.0;
    for i in 0..x.len() - 1 {
        let (p, q, a, b) = rosenbrock_term(x, i);
        f = f + p + q;
        rosenbrock_gradient_step(x, grad, i, a, b);
    }
    f
}

// ---------------------------------------------------------------------------------------------
// Benchmarks.

fn points(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / n as f64)
        .collect()
}

/// One-variable derivative: JIT, interpreter, JIT batch, native.
/// One row of the interleaved CPU-time table: ns per point.
struct Ratio {
    label: &'static str,
    jit: f64,
    batch: f64,
    native: f64,
}

/// Rounds of the interleaved measurement.
const ROUNDS: usize = 31;

fn bench_scalar(
    c: &mut Criterion,
    ratios: &mut Vec<Ratio>,
    (group, label): (&str, &'static str),
    df: Expr,
    xs: &[f64],
    native: fn(f64) -> f64,
) {
    let jit = compile_with(&df, &["x"], Backend::Jit).unwrap();
    let interpreter = compile_with(&df, &["x"], Backend::Interpreter).unwrap();
    for &x in xs.iter().step_by(97) {
        let (a, b) = (jit.call(&[x]), native(x));
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{group}: {a} vs {b}"
        );
        assert_eq!(a.to_bits(), interpreter.call(&[x]).to_bits());
    }
    println!(
        "{group}: program {} instructions, {} registers, backend {:?}",
        jit.program().instructions().len(),
        jit.program().registers(),
        jit.backend()
    );
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(xs.len() as u64));
    for (name, f) in [("jit", &jit), ("interpreter", &interpreter)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut s = 0.0;
                for &x in xs {
                    s += f.call(&[black_box(x)]);
                }
                s
            })
        });
    }
    let mut out = vec![0.0; xs.len()];
    g.bench_function("batch", |b| {
        b.iter(|| {
            jit.eval_batch(&[black_box(xs)], &mut out).unwrap();
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
    let t = interleaved(
        ROUNDS,
        20,
        &mut [
            &mut || {
                black_box(xs.iter().map(|&x| jit.call(&[black_box(x)])).sum::<f64>());
            },
            &mut || jit.eval_batch(&[black_box(xs)], &mut out).unwrap(),
            &mut || {
                black_box(xs.iter().map(|&x| native(black_box(x))).sum::<f64>());
            },
        ],
    );
    let per = |t: f64| t / xs.len() as f64;
    ratios.push(Ratio {
        label,
        jit: per(t[0]),
        batch: per(t[1]),
        native: per(t[2]),
    });
}

fn rosenbrock_rows() -> Vec<Vec<f64>> {
    (0..ROSEN_POINTS)
        .map(|p| {
            (0..N)
                .map(|i| ((p * 31 + i * 7) % 23) as f64 / 11.0 - 1.0)
                .collect()
        })
        .collect()
}

/// The names and hand-written functions of one association of the Rosenbrock sum.
struct Variant {
    suffix: &'static str,
    value_label: &'static str,
    gradient_label: &'static str,
    value_native: fn(&[f64]) -> f64,
    gradient_native: fn(&[f64], &mut [f64]) -> f64,
}

impl Variant {
    fn of(sum: Sum) -> Variant {
        match sum {
            Sum::Grouped => Variant {
                suffix: "",
                value_label: "(c) Rosenbrock n = 1000, value",
                gradient_label: "(d) Rosenbrock n = 1000, value + gradient",
                value_native: rosenbrock_native,
                gradient_native: rosenbrock_gradient_native,
            },
            Sum::Chained => Variant {
                suffix: "-chained",
                value_label: "(c') Rosenbrock n = 1000, value, chained sum",
                gradient_label: "(d') Rosenbrock n = 1000, value + gradient, chained sum",
                value_native: rosenbrock_chained_native,
                gradient_native: rosenbrock_chained_gradient_native,
            },
        }
    }
}

fn bench_rosenbrock(c: &mut Criterion, ratios: &mut Vec<Ratio>, sum: Sum) {
    let Variant {
        suffix,
        value_label,
        gradient_label,
        value_native,
        gradient_native,
    } = Variant::of(sum);
    let names: Vec<String> = (0..N).map(|i| format!("x{i}")).collect();
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    let f = rosenbrock(&names, sum);
    let rows = rosenbrock_rows();
    let columns: Vec<Vec<f64>> = (0..N)
        .map(|i| rows.iter().map(|r| r[i]).collect())
        .collect();
    let inputs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();

    // (c) value.
    let jit = compile_with(&f, &vars, Backend::Jit).unwrap();
    let interpreter = compile_with(&f, &vars, Backend::Interpreter).unwrap();
    println!(
        "rosenbrock-value{suffix}: program {} instructions, {} registers",
        jit.program().instructions().len(),
        jit.program().registers()
    );
    // The same expression, rounded the same way: the same bits.
    for r in &rows {
        let (a, b) = (jit.call(r), value_native(r));
        assert_eq!(a.to_bits(), b.to_bits(), "{a} vs {b}");
        assert_eq!(a.to_bits(), interpreter.call(r).to_bits());
    }
    let mut g = c.benchmark_group(format!("rosenbrock-value{suffix}"));
    g.throughput(Throughput::Elements(ROSEN_POINTS as u64));
    for (name, f) in [("jit", &jit), ("interpreter", &interpreter)] {
        g.bench_function(name, |b| {
            b.iter(|| rows.iter().map(|r| f.call(black_box(r))).sum::<f64>())
        });
    }
    let mut out = vec![0.0; ROSEN_POINTS];
    g.bench_function("batch", |b| {
        b.iter(|| {
            jit.eval_batch(black_box(&inputs), &mut out).unwrap();
            out[0]
        })
    });
    g.bench_function("native", |b| {
        b.iter(|| rows.iter().map(|r| value_native(black_box(r))).sum::<f64>())
    });
    g.finish();
    let t = interleaved(
        ROUNDS,
        10,
        &mut [
            &mut || {
                black_box(rows.iter().map(|r| jit.call(black_box(r))).sum::<f64>());
            },
            &mut || jit.eval_batch(black_box(&inputs), &mut out).unwrap(),
            &mut || {
                black_box(rows.iter().map(|r| value_native(black_box(r))).sum::<f64>());
            },
        ],
    );
    let per = |t: f64| t / ROSEN_POINTS as f64;
    ratios.push(Ratio {
        label: value_label,
        jit: per(t[0]),
        batch: per(t[1]),
        native: per(t[2]),
    });

    // (d) value and gradient.
    let jit = compile_gradient_with(&f, &vars, Backend::Jit).unwrap();
    let interpreter = compile_gradient_with(&f, &vars, Backend::Interpreter).unwrap();
    println!(
        "rosenbrock-gradient{suffix}: program {} instructions, {} registers",
        jit.program().instructions().len(),
        jit.program().registers()
    );
    let mut grad = vec![0.0; N];
    let mut grad_native = vec![0.0; N];
    let v = jit.call_into(&rows[3], &mut grad);
    let vn = gradient_native(&rows[3], &mut grad_native);
    assert_eq!(v.to_bits(), vn.to_bits());
    for i in 0..N {
        assert!((grad[i] - grad_native[i]).abs() <= 1e-9 * grad_native[i].abs().max(1.0));
    }
    let mut g = c.benchmark_group(format!("rosenbrock-gradient{suffix}"));
    g.throughput(Throughput::Elements(ROSEN_POINTS as u64));
    for (name, f) in [("jit", &jit), ("interpreter", &interpreter)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                rows.iter()
                    .map(|r| f.call_into(black_box(r), &mut grad))
                    .sum::<f64>()
            })
        });
    }
    let mut outs = vec![vec![0.0; ROSEN_POINTS]; N + 1];
    g.bench_function("batch", |b| {
        b.iter(|| {
            let mut o: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            jit.eval_batch(black_box(&inputs), &mut o).unwrap();
        })
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            rows.iter()
                .map(|r| gradient_native(black_box(r), &mut grad))
                .sum::<f64>()
        })
    });
    g.finish();
    let mut grad2 = vec![0.0; N];
    let t = interleaved(
        ROUNDS,
        10,
        &mut [
            &mut || {
                let s: f64 = rows
                    .iter()
                    .map(|r| jit.call_into(black_box(r), &mut grad))
                    .sum();
                black_box(s);
            },
            &mut || {
                let mut o: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
                jit.eval_batch(black_box(&inputs), &mut o).unwrap();
            },
            &mut || {
                let s: f64 = rows
                    .iter()
                    .map(|r| gradient_native(black_box(r), &mut grad2))
                    .sum();
                black_box(s);
            },
        ],
    );
    let per = |t: f64| t / ROSEN_POINTS as f64;
    ratios.push(Ratio {
        label: gradient_label,
        jit: per(t[0]),
        batch: per(t[1]),
        native: per(t[2]),
    });
}

/// The table of interleaved CPU-time medians.
fn print_ratios(ratios: &[Ratio]) {
    println!("\nInterleaved rounds ({ROUNDS}), thread CPU time, median ns per point:\n");
    println!("| program | JIT | JIT batch | hand-written Rust | JIT / Rust | batch / Rust |");
    println!("|---|---:|---:|---:|---:|---:|");
    for r in ratios {
        println!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.2}x | {:.2}x |",
            r.label,
            r.jit,
            r.batch,
            r.native,
            r.jit / r.native,
            r.batch / r.native
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Compile time.

/// A chain of about `n` instructions in two variables: logistic steps with a `sin` every
/// fourth step (so calls are part of the mix).
fn chain(n: usize) -> Expr {
    let (mut l, y) = (var("x"), var("y"));
    let mut k = 0;
    while 4 * k < n {
        l = if k % 4 == 3 {
            (l * y).sin()
        } else {
            4 * l * (1 - l)
        };
        k += 1;
    }
    l
}

/// CPU time of the calling thread, in seconds (time the thread was preempted does not count:
/// the machine is shared).
fn cpu_seconds() -> f64 {
    cpu_time::ThreadTime::now().as_duration().as_secs_f64()
}

/// The median of `runs` CPU timings of `f`, in seconds.
fn median_seconds(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let start = cpu_seconds();
            f();
            cpu_seconds() - start
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// Interleaved rounds: each round times `reps` calls of every contender (CPU time); returns
/// each contender's median time per call, in ns.
fn interleaved(rounds: usize, reps: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut times = vec![Vec::with_capacity(rounds); contenders.len()];
    for _ in 0..rounds {
        for (c, t) in contenders.iter_mut().zip(&mut times) {
            let start = cpu_seconds();
            for _ in 0..reps {
                c();
            }
            t.push((cpu_seconds() - start) / reps as f64 * 1e9);
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect()
}

fn compile_times() {
    println!("\nCompile time (thread CPU time, median):\n");
    println!("| instructions | functions | lowering + allocation | JIT | JIT per instruction |");
    println!("|---:|---:|---:|---:|---:|");
    for n in [100, 1_000, 10_000, 100_000, 1_000_000] {
        let e = chain(n * 16 / 11); // the chain has about 11 instructions per 16 steps
        let runs = if n >= 100_000 { 3 } else { 11 };
        let program = Program::new(&[e], &["x", "y"]).unwrap();
        let len = program.instructions().len();
        let lower = median_seconds(runs, || {
            black_box(Program::new(&[e], &["x", "y"]).unwrap());
        });
        let total = median_seconds(runs, || {
            black_box(compile_with(&e, &["x", "y"], Backend::Jit).unwrap());
        });
        let jit = (total - lower).max(0.0);
        println!(
            "| {len} | {} | {:.3} ms | {:.3} ms | {:.2} µs |",
            len.div_ceil(CHUNK),
            lower * 1e3,
            jit * 1e3,
            jit * 1e6 / len as f64
        );
    }
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
fn median_ns(group: &str, bench: &str) -> Option<f64> {
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
        ("seed", "(a) d/dx 4*(cos(x) + 2*x - exp(x))^2", POINTS),
        ("logistic-12", "(b) logistic map k = 12, d/dx", POINTS),
        (
            "rosenbrock-value",
            "(c) Rosenbrock n = 1000, value",
            ROSEN_POINTS,
        ),
        (
            "rosenbrock-gradient",
            "(d) Rosenbrock n = 1000, value + gradient",
            ROSEN_POINTS,
        ),
        (
            "rosenbrock-value-chained",
            "(c') Rosenbrock n = 1000, value, chained sum",
            ROSEN_POINTS,
        ),
        (
            "rosenbrock-gradient-chained",
            "(d') Rosenbrock n = 1000, value + gradient, chained sum",
            ROSEN_POINTS,
        ),
    ];
    println!("\n| program | JIT | interpreter | JIT batch, per point | hand-written Rust | JIT / Rust | batch / Rust |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (group, label, n) in rows {
        let per = |b: &str| median_ns(group, b).map(|t| t / n as f64);
        let fmt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1} ns"));
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a / b),
            _ => "–".to_string(),
        };
        let (j, i, b, n) = (per("jit"), per("interpreter"), per("batch"), per("native"));
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            fmt(j),
            fmt(i),
            fmt(b),
            fmt(n),
            ratio(j, n),
            ratio(b, n)
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut ratios = Vec::new();
    let x = var("x");
    let seed = 4 * (x.cos() + 2 * x - x.exp()).pow(2);
    let ds = symdiff_rewrite::d(&seed, "x").unwrap().expr;
    bench_scalar(
        &mut c,
        &mut ratios,
        ("seed", "(a) d/dx 4*(cos(x) + 2*x - exp(x))^2"),
        ds,
        &points(-2.0, 2.0, POINTS),
        seed_d_native,
    );
    let dl = symdiff_rewrite::d(&logistic(12), "x").unwrap().expr;
    bench_scalar(
        &mut c,
        &mut ratios,
        ("logistic-12", "(b) logistic map k = 12, d/dx"),
        dl,
        &points(0.05, 0.95, POINTS),
        logistic_d_native,
    );
    bench_rosenbrock(&mut c, &mut ratios, Sum::Grouped);
    bench_rosenbrock(&mut c, &mut ratios, Sum::Chained);
    c.final_summary();
    summary();
    print_ratios(&ratios);
    compile_times();
}
