//! The scale benchmark of issue 9: gradients (and a sparse Hessian) of large functions, end to
//! end through the public API, one process per case so that peak memory is the case's own (the
//! full table runs each case in 3 fresh processes and prints the fastest by CPU time). Each
//! process makes one tiny warm-up call first, so the one-time compilation of the rule table is
//! not counted.
//!
//! ```text
//! cargo run --release -p symdiff-rewrite --example scale            # the full table
//! cargo run --release -p symdiff-rewrite --example scale -- --quick # small sizes only
//! cargo run --release -p symdiff-rewrite --example scale -- rosenbrock 1000   # one case
//! ```
//!
//! Prints a markdown table: input DAG nodes, result DAG nodes (raw = as built by the sweep,
//! result = after simplification where it runs), the time of the API call (differentiate +
//! simplify + extract; building the input is not counted) as CPU time and wall-clock time (on
//! a shared machine the two differ: CPU time is the cost, wall time includes waiting for a
//! core), CPU time per input node, and the peak resident memory of the process (VmHWM, which
//! includes building the input). Function definitions are those of issue 9's table.
//! `SCALE_PHASES=1` also prints the phase times of each call, `SCALE_PRINT=1` the CPU time of
//! printing the result as one block (`to_infix_many`) and of reading it back (to stderr).

use std::process::Command;
use std::time::Instant;
use symdiff_expr::{parse, var, Expr};
use symdiff_rewrite::{gradient, sparse_hessian, Stats};

/// `sum_{i<n} 100*(x_{i+1} - x_i^2)^2 + (1 - x_i)^2` (input DAG 8,994 nodes at n = 1000).
fn rosenbrock(n: usize) -> (Expr, Vec<String>) {
    let names: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let xs: Vec<Expr> = names.iter().map(|s| var(s)).collect();
    let mut f: Option<Expr> = None;
    for i in 0..n - 1 {
        let t = 100 * (xs[i + 1] - xs[i].pow(2)).pow(2) + (1 - xs[i]).pow(2);
        f = Some(f.map_or(t, |f| f + t));
    }
    (f.expect("n >= 2"), names)
}

/// `sum_k v_k * tanh(sum_j W_kj * x_j + b_k)` with 10 inputs `x_j` (not differentiated); the
/// gradient is with respect to the `units * 12` parameters `W`, `b`, `v`.
fn tanh_net(units: usize) -> (Expr, Vec<String>) {
    let inputs: Vec<Expr> = (0..10).map(|j| var(&format!("in{j}"))).collect();
    let mut names = Vec::new();
    let mut f: Option<Expr> = None;
    for k in 0..units {
        let mut s: Option<Expr> = None;
        for (j, &x) in inputs.iter().enumerate() {
            let w = format!("w{k}_{j}");
            let term = var(&w) * x;
            names.push(w);
            s = Some(s.map_or(term, |s| s + term));
        }
        let (b, v) = (format!("b{k}"), format!("v{k}"));
        let unit = var(&v) * (s.expect("10 inputs") + var(&b)).tanh();
        names.push(b);
        names.push(v);
        f = Some(f.map_or(unit, |f| f + unit));
    }
    (f.expect("units >= 1"), names)
}

/// The logistic map `l_{k+1} = 4 l_k (1 - l_k)` to depth `n`, derivative with respect to `x`.
fn logistic(n: usize) -> (Expr, Vec<String>) {
    let mut l = var("x");
    for _ in 0..n {
        l = 4 * l * (1 - l);
    }
    (l, vec!["x".into()])
}

/// `sum_{i<j} 1/sqrt((x_i-x_j)^2 + (y_i-y_j)^2)` over `n` points, gradient in all coordinates.
fn pair_potential(n: usize) -> (Expr, Vec<String>) {
    let mut names = Vec::new();
    for i in 0..n {
        names.push(format!("x{i}"));
        names.push(format!("y{i}"));
    }
    let xs: Vec<Expr> = (0..n).map(|i| var(&format!("x{i}"))).collect();
    let ys: Vec<Expr> = (0..n).map(|i| var(&format!("y{i}"))).collect();
    let mut f: Option<Expr> = None;
    for i in 0..n {
        for j in i + 1..n {
            let r2 = (xs[i] - xs[j]).pow(2) + (ys[i] - ys[j]).pow(2);
            let t = 1 / r2.sqrt();
            f = Some(f.map_or(t, |f| f + t));
        }
    }
    (f.expect("n >= 2"), names)
}

/// `sum_k (y_k - a*exp(-b*t_k))^2` over `n` data points (exact decimal data), gradient in
/// `a`, `b`.
fn least_squares(n: usize) -> (Expr, Vec<String>) {
    let (a, b) = (var("a"), var("b"));
    let mut f: Option<Expr> = None;
    for k in 0..n {
        let t = k as f64 / n as f64 * 10.0;
        let y = 2.5 * (-1.3 * t).exp() + 0.01 * ((k * 7919 % 1000) as f64 / 1000.0 - 0.5);
        let (t, y) = (
            parse(&format!("{t:.6}")).expect("a decimal"),
            parse(&format!("{y:.6}")).expect("a decimal"),
        );
        let r = (y - a * (-(b * t)).exp()).pow(2);
        f = Some(f.map_or(r, |f| f + r));
    }
    (f.expect("n >= 1"), vec!["a".into(), "b".into()])
}

fn build(case: &str, n: usize) -> (Expr, Vec<String>) {
    match case {
        "rosenbrock" | "rosenbrock-hessian" => rosenbrock(n),
        "tanh-net" => tanh_net(n),
        "logistic" => logistic(n),
        "pair-potential" => pair_potential(n),
        "least-squares" => least_squares(n),
        _ => panic!("unknown case {case}"),
    }
}

/// Peak resident memory of this process, in MB (VmHWM).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU time of this process so far, in seconds (the machine may be shared: wall-clock time
/// counts time spent waiting for a core, CPU time does not).
fn cpu_seconds() -> f64 {
    cpu_time::ProcessTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// Runs one case in this process and prints its table row.
fn run_case(case: &str, n: usize) {
    let (f, names) = build(case, n);
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    // One tiny call first: the one-time set-up (compiling the rule table, ~0.5 ms) is not the
    // case's cost, as CasADi's best of repeated runs leaves out its own. It shares no node
    // with the case (`warm_up` is no case's variable).
    gradient(&(var("warm_up") * var("warm_up").sin()), &["warm_up"]).expect("warm-up");
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let (stats, what, entries): (Stats, String, Vec<Expr>) = if case == "rosenbrock-hessian" {
        let h = sparse_hessian(&f, &vars).expect("hessian");
        let nnz = h.entries.len();
        let entries = h.entries.iter().map(|e| e.expr).collect();
        (h.stats, format!("Hessian, {nnz} non-zeros"), entries)
    } else {
        let g = gradient(&f, &vars).expect("gradient");
        (g.stats, "gradient".into(), g.entries)
    };
    let wall = start.elapsed().as_secs_f64();
    let seconds = cpu_seconds() - cpu_start;
    if std::env::var_os("SCALE_PRINT").is_some() {
        // What the command line adds: printing the entries as one block, and reading it back.
        let cpu = cpu_seconds();
        let text = symdiff_expr::to_infix_many(&entries);
        let printed = cpu_seconds() - cpu;
        let back = symdiff_expr::parse_many(&text).expect("the printed block reads back");
        assert_eq!(back, entries);
        eprintln!(
            "{case} {n}: print {:.1} ms CPU ({} bytes), read back {:.1} ms CPU",
            printed * 1e3,
            text.len(),
            (cpu_seconds() - cpu - printed) * 1e3
        );
    }
    let input = stats.input.dag;
    if std::env::var_os("SCALE_PHASES").is_some() {
        eprintln!("{:?}", stats.time);
    }
    println!(
        "| {case} | {n} | {} | {what} | {input} | {} | {} | {:.1} | {:.1} | {:.0} | {:.0} | {} |",
        vars.len(),
        stats.raw.dag,
        stats.simplified.dag,
        seconds * 1e3,
        wall * 1e3,
        seconds * 1e9 / input as f64,
        peak_mb(),
        stats.egraph.stop_reason,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [case, n] = args.as_slice() {
        run_case(case, n.parse().expect("a size"));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let cases: &[(&str, &[usize])] = if quick {
        &[
            ("rosenbrock", &[100, 1000]),
            ("tanh-net", &[10, 100]),
            ("logistic", &[100, 1000]),
            ("pair-potential", &[10, 30]),
            ("least-squares", &[1000]),
            ("rosenbrock-hessian", &[1000]),
        ]
    } else {
        &[
            ("rosenbrock", &[100, 1000, 3000, 10_000, 100_000, 111_112]),
            ("tanh-net", &[10, 100, 300, 1000, 3000]),
            ("logistic", &[100, 1000, 10_000]),
            ("pair-potential", &[10, 30, 100, 300]),
            ("least-squares", &[10_000]),
            ("rosenbrock-hessian", &[100, 1000, 10_000]),
        ]
    };
    println!(
        "| case | n | variables | result | input DAG | raw DAG | result DAG | CPU ms | wall ms | CPU ns / input node | peak MB | simplification |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
    let exe = std::env::current_exe().expect("the example's path");
    for (case, sizes) in cases {
        for n in *sizes {
            // The fastest (CPU) of a few fresh processes, as the CasADi side takes the best of
            // up to 5 repeats: one run is at the mercy of the machine.
            let mut best: Option<(f64, String)> = None;
            for _ in 0..REPEATS {
                let out = Command::new(&exe)
                    .args([case.to_string(), n.to_string()])
                    .output()
                    .expect("run a case");
                if !out.status.success() {
                    let err = String::from_utf8_lossy(&out.stderr);
                    let last = err.lines().last().unwrap_or("failed").to_string();
                    best = Some((
                        f64::NAN,
                        format!("| {case} | {n} | | failed: {last} | | | | | | | | |\n"),
                    ));
                    break;
                }
                let row = String::from_utf8_lossy(&out.stdout).to_string();
                let cpu = cpu_ms(&row);
                if best.as_ref().is_none_or(|(b, _)| cpu < *b) {
                    best = Some((cpu, row));
                }
            }
            print!("{}", best.expect("at least one run").1);
        }
    }
}

/// Fresh processes per case in the full table (the fastest row is printed).
const REPEATS: usize = 3;

/// The CPU ms column of a row of the table.
fn cpu_ms(row: &str) -> f64 {
    row.split('|')
        .nth(8)
        .and_then(|cell| cell.trim().parse().ok())
        .unwrap_or(f64::INFINITY)
}
