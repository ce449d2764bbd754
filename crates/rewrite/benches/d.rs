//! End-to-end `d` (differentiate + simplify + extract) on the seed examples and the logistic
//! map. Run: `cargo bench -p symdiff-rewrite --bench d`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;
use symdiff_expr::{parse, var, Expr};

fn logistic(k: usize) -> Expr {
    let x = var("x");
    (1..k).fold(x, |l, _| 4 * l * (1 - l))
}

fn seed(c: &mut Criterion) {
    let mut group = c.benchmark_group("d/seed");
    let f1 = parse("4*(cos(x) + 2*x - exp(x))^2").unwrap();
    let f2 = parse("x1*x2 + x2 - ln(x1)").unwrap();
    group.bench_function("4*(cos(x) + 2*x - exp(x))^2 by x", |b| {
        b.iter(|| symdiff_rewrite::d(black_box(&f1), "x").unwrap())
    });
    group.bench_function("x1*x2 + x2 - ln(x1) by x1", |b| {
        b.iter(|| symdiff_rewrite::d(black_box(&f2), "x1").unwrap())
    });
    group.bench_function("x1*x2 + x2 - ln(x1) gradient", |b| {
        b.iter(|| symdiff_rewrite::gradient(black_box(&f2), &["x1", "x2"]).unwrap())
    });
    group.finish();
}

fn logistic_map(c: &mut Criterion) {
    let mut group = c.benchmark_group("d/logistic");
    for k in [5, 10, 12, 15, 20] {
        let f = logistic(k);
        group.bench_with_input(BenchmarkId::from_parameter(k), &f, |b, f| {
            b.iter(|| symdiff_rewrite::d(black_box(f), "x").unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2)).sample_size(20);
    targets = seed, logistic_map
}
criterion_main!(benches);
