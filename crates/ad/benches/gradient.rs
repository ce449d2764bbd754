//! The cheap-gradient principle, measured: the gradient of an n = 100 variable function by
//! reverse mode against one function evaluation, against n forward-mode passes, and against one
//! vector-dual forward pass.
//!
//! Functions: `sum_i sin(a_i*x_i)*x_(i+1)` and the Rosenbrock function
//! `sum_i 100*(x_(i+1) - x_i^2)^2 + (1 - x_i)^2`.
//!
//! Run: `cargo bench -p symdiff-ad --bench gradient -- --warm-up-time 1 --measurement-time 3`.
//! After criterion's report a summary prints the ratios (medians of repeated timings).

use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Instant;
use symdiff_ad::{Dual, Tape, TapeBuffers, WengertList};
use symdiff_expr::{var, Expr, Semantics};

const N: usize = 100;

fn vars() -> Vec<Expr> {
    (0..N).map(|i| var(&format!("x{i:03}"))).collect()
}

/// `sum_i sin(a_i*x_i)*x_(i+1)` with `a_i = 1 + i/100`.
fn sin_chain() -> Expr {
    let x = vars();
    let mut sum: Option<Expr> = None;
    for i in 0..N - 1 {
        let a = symdiff_expr::parse(&format!("{}", 1.0 + i as f64 / 100.0)).unwrap();
        let term = (a * x[i]).sin() * x[i + 1];
        sum = Some(match sum {
            Some(s) => s + term,
            None => term,
        });
    }
    sum.unwrap()
}

/// The n-dimensional Rosenbrock function.
fn rosenbrock() -> Expr {
    let x = vars();
    let mut sum: Option<Expr> = None;
    for i in 0..N - 1 {
        let term = 100 * (x[i + 1] - x[i].pow(2)).pow(2) + (1 - x[i]).pow(2);
        sum = Some(match sum {
            Some(s) => s + term,
            None => term,
        });
    }
    sum.unwrap()
}

fn point() -> Vec<f64> {
    (0..N)
        .map(|i| 0.5 + 0.3 * ((i * 7) % 11) as f64 / 11.0)
        .collect()
}

/// The four contenders for one function, each a closure timing one full computation.
struct Contenders {
    program: WengertList,
    tape: Tape,
    inputs: Vec<f64>,
}

impl Contenders {
    fn new(f: Expr) -> Self {
        let program = WengertList::new(f).unwrap();
        let tape = Tape::from_program(program.clone());
        Contenders {
            program,
            tape,
            inputs: point(),
        }
    }

    fn eval(&self, buffer: &mut Vec<f64>) -> f64 {
        self.program
            .node_values_into(&self.inputs, Semantics::Strict, buffer)
            .unwrap();
        buffer[self.program.roots()[0] as usize]
    }

    fn reverse(&self, buffers: &mut TapeBuffers, gradient: &mut [f64]) -> f64 {
        self.tape
            .gradient_into(&self.inputs, buffers, gradient)
            .unwrap()
    }

    fn forward_n(&self, duals: &mut [Dual], buffer: &mut Vec<Dual>, gradient: &mut [f64]) {
        let root = self.program.roots()[0] as usize;
        for i in 0..duals.len() {
            duals[i].eps = 1.0;
            self.program
                .node_values_into(duals, Semantics::Strict, buffer)
                .unwrap();
            gradient[i] = buffer[root].eps;
            duals[i].eps = 0.0;
        }
    }

    fn vector_dual(&self) -> Vec<f64> {
        self.program.forward_gradient(&self.inputs).unwrap().1
    }
}

fn bench(c: &mut Criterion) {
    for (name, f) in [("sin_chain", sin_chain()), ("rosenbrock", rosenbrock())] {
        let k = Contenders::new(f);
        // all four agree
        let (mut buffers, mut g) = (TapeBuffers::default(), vec![0.0; N]);
        k.reverse(&mut buffers, &mut g);
        let mut duals: Vec<Dual> = k.inputs.iter().map(|&x| Dual::constant(x)).collect();
        let (mut dbuf, mut g2) = (Vec::new(), vec![0.0; N]);
        k.forward_n(&mut duals, &mut dbuf, &mut g2);
        let g3 = k.vector_dual();
        for i in 0..N {
            assert!((g[i] - g2[i]).abs() <= 1e-12 * g[i].abs().max(1.0));
            assert!((g[i] - g3[i]).abs() <= 1e-12 * g[i].abs().max(1.0));
        }

        let mut group = c.benchmark_group(format!("gradient/{name}"));
        let mut buffer = Vec::new();
        group.bench_function(BenchmarkId::new("eval", N), |b| {
            b.iter(|| black_box(k.eval(&mut buffer)))
        });
        group.bench_function(BenchmarkId::new("reverse", N), |b| {
            b.iter(|| black_box(k.reverse(&mut buffers, &mut g)))
        });
        group.bench_function(BenchmarkId::new("forward_n_passes", N), |b| {
            b.iter(|| k.forward_n(&mut duals, &mut dbuf, black_box(&mut g2)))
        });
        group.bench_function(BenchmarkId::new("vector_dual", N), |b| {
            b.iter(|| black_box(k.vector_dual()))
        });
        group.finish();
    }
}

/// Nanoseconds per call of `f` over `reps` calls.
fn time_ns(f: &mut impl FnMut(), reps: u32) -> f64 {
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    t.elapsed().as_nanos() as f64 / reps as f64
}

/// Medians over `rounds` rounds of the time of `base` and of the ratios `other / base`, each
/// round timing them back to back so that a load change on a shared machine hits both.
fn ratios(
    base: &mut impl FnMut(),
    base_reps: u32,
    others: &mut [(&mut dyn FnMut(), u32)],
    rounds: usize,
) -> (f64, Vec<f64>) {
    let mut bases = Vec::with_capacity(rounds);
    let mut rs: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); others.len()];
    for _ in 0..rounds {
        let t = time_ns(base, base_reps);
        bases.push(t);
        for (k, (f, reps)) in others.iter_mut().enumerate() {
            let mut call = || f();
            rs[k].push(time_ns(&mut call, *reps) / t);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut bases), rs.iter_mut().map(median).collect())
}

fn summary() {
    println!("\nsummary (n = {N}; medians of 31 rounds, each timing all four back to back):");
    println!(
        "{:<11} {:>5} {:>9} {:>10} {:>13} {:>13} {:>9}",
        "function", "tape", "eval", "reverse", "forward x n", "vector dual", "fwd-n/rev"
    );
    for (name, f) in [("sin_chain", sin_chain()), ("rosenbrock", rosenbrock())] {
        let k = Contenders::new(f);
        let mut buffer = Vec::new();
        let (mut buffers, mut g) = (TapeBuffers::default(), vec![0.0; N]);
        let mut duals: Vec<Dual> = k.inputs.iter().map(|&x| Dual::constant(x)).collect();
        let (mut dbuf, mut g2) = (Vec::new(), vec![0.0; N]);
        let mut eval = || {
            let _ = black_box(k.eval(&mut buffer));
        };
        let mut reverse = || {
            let _ = black_box(k.reverse(&mut buffers, &mut g));
        };
        let mut forward = || k.forward_n(&mut duals, &mut dbuf, black_box(&mut g2));
        let mut vdual = || {
            let _ = black_box(k.vector_dual());
        };
        let (t, r) = ratios(
            &mut eval,
            2000,
            &mut [(&mut reverse, 2000), (&mut forward, 20), (&mut vdual, 100)],
            31,
        );
        println!(
            "{:<11} {:>5} {:>7.2}µs {:>9.2}x {:>12.1}x {:>12.1}x {:>8.1}x",
            name,
            k.tape.len(),
            t / 1e3,
            r[0],
            r[1],
            r[2],
            r[1] / r[0]
        );
    }
    println!("(reverse, forward x n and vector dual are multiples of one evaluation)");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        summary();
    }
}
