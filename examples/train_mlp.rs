//! Trains a small neural network by gradient descent with a compiled *symbolic* gradient — the
//! seed's use case.
//!
//! The network: 2 inputs, 6 hidden units (three ReLU, three sigmoid), one output logit `z`;
//! the loss is the mean binary cross-entropy written stably as `softplus(z) - t*z` over a
//! fixed data set (points of the plane labelled by whether they lie inside a circle). The
//! loss is one `Expr` in the 25 parameters; `symdiff_rewrite::gradient` differentiates it
//! once (one reverse sweep in the e-graph's language), `symdiff_codegen::compile_many`
//! compiles loss and gradient into one native function, and every step calls it. Every
//! `check_every` steps the compiled gradient is checked against reverse-mode AD
//! (`symdiff_ad::Tape`) at the current parameters.
//!
//! ```text
//! cargo run --release --example train_mlp
//! ```
//!
//! A small run of it is a test of the root package (`cargo test --example train_mlp`, also
//! part of `cargo test`).

use std::error::Error;
use std::time::Instant;
use symdiff::ad::{Tape, WengertList};
use symdiff::codegen::compile_many;
use symdiff::{var, CmpOp, Expr};

/// How to train.
struct Config {
    /// Number of data points.
    points: usize,
    /// Gradient-descent steps.
    steps: usize,
    /// Learning rate.
    rate: f64,
    /// Check the compiled gradient against reverse AD every this many steps.
    check_every: usize,
    /// Print the loss as it falls.
    verbose: bool,
}

/// What training did.
struct Report {
    /// The loss before the first step.
    initial_loss: f64,
    /// The loss after the last step.
    final_loss: f64,
    /// The largest relative difference between the compiled symbolic gradient and reverse AD.
    worst_gradient_error: f64,
    /// The fraction of data points classified right at the end (`sigmoid(z) > 1/2`).
    accuracy: f64,
    /// Nodes of the loss and of its simplified gradient (DAG).
    loss_dag: usize,
    gradient_dag: usize,
}

const HIDDEN: usize = 6;

/// A tiny deterministic generator (xorshift64*): the example needs no `rand`.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
    }
}

/// The parameter names, in the order of the parameter vector.
fn parameter_names() -> Vec<String> {
    let mut names = Vec::new();
    for j in 0..HIDDEN {
        names.push(format!("w{j}_0"));
        names.push(format!("w{j}_1"));
        names.push(format!("b{j}"));
        names.push(format!("v{j}"));
    }
    names.push("c".into());
    names
}

/// The network's logit at the input `(x0, x1)` (constants), in the parameters.
fn logit(x0: f64, x1: f64) -> Expr {
    let constant = |v: f64| Expr::from(symdiff::BigRational::from_float(v).expect("finite"));
    let mut z = var("c");
    for j in 0..HIDDEN {
        let pre = var(&format!("w{j}_0")) * constant(x0)
            + var(&format!("w{j}_1")) * constant(x1)
            + var(&format!("b{j}"));
        let unit = if j % 2 == 0 {
            pre.relu()
        } else {
            pre.sigmoid()
        };
        z = z + var(&format!("v{j}")) * unit;
    }
    z
}

/// The data set: points of `[-1, 1]²`, labelled 1 inside the circle of radius 0.6.
fn data(points: usize, rng: &mut Rng) -> Vec<(f64, f64, f64)> {
    (0..points)
        .map(|_| {
            let (x0, x1) = (rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0));
            let label = if x0 * x0 + x1 * x1 < 0.36 { 1.0 } else { 0.0 };
            (x0, x1, label)
        })
        .collect()
}

fn train(config: &Config) -> Result<Report, Box<dyn Error>> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let data = data(config.points, &mut rng);
    // mean binary cross-entropy, -t ln σ(z) - (1 - t) ln(1 - σ(z)) = softplus(z) - t z
    let mut loss = Expr::from(0);
    let mut logits = Vec::new();
    for &(x0, x1, t) in &data {
        let z = logit(x0, x1);
        loss = loss + (z.softplus() - Expr::from(t as i64) * z);
        logits.push(z);
    }
    let loss = loss / Expr::from(data.len() as i64);
    let names = parameter_names();
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();

    let started = Instant::now();
    let gradient = symdiff::rewrite::gradient(&loss, &vars)?;
    let mut outputs = vec![loss];
    outputs.extend(gradient.entries.iter().copied());
    let compiled = compile_many(&outputs, &vars)?;
    let tape = Tape::from_program(WengertList::with_vars(&[loss], &vars)?);
    // the classifier: sigmoid(z) > 1/2 at each data point
    let correct: Vec<Expr> = logits
        .iter()
        .zip(&data)
        .map(|(&z, &(_, _, t))| {
            let inside = Expr::compare(CmpOp::Gt, z.sigmoid(), Expr::from(1) / 2);
            let predicted = Expr::if_else(inside, 1, 0);
            Expr::if_else(Expr::compare(CmpOp::Eq, predicted, t as i64), 1, 0)
        })
        .collect();
    let accuracy_of = compile_many(&correct, &vars)?;
    if config.verbose {
        println!(
            "loss: {} DAG nodes; gradient ({} entries): {} DAG nodes; differentiated and compiled in {:.1?}",
            gradient.stats.input.dag,
            names.len(),
            gradient.stats.simplified.dag,
            started.elapsed()
        );
    }

    let mut params: Vec<f64> = (0..names.len()).map(|_| rng.uniform(-1.0, 1.0)).collect();
    let mut out = vec![0.0; outputs.len()];
    let mut worst = 0.0f64;
    let mut initial_loss = f64::NAN;
    let mut last_loss = f64::NAN;
    for step in 0..=config.steps {
        compiled.call_into(&params, &mut out);
        let (value, grad) = (out[0], &out[1..]);
        if step == 0 {
            initial_loss = value;
        }
        last_loss = value;
        if step % config.check_every == 0 {
            let (reverse_value, reverse) = tape.gradient_at(&params)?;
            let scale = reverse.iter().fold(1e-300f64, |m, g| m.max(g.abs()));
            let error = grad
                .iter()
                .zip(&reverse)
                .fold(0.0f64, |m, (s, r)| m.max((s - r).abs() / scale));
            worst = worst.max(error);
            if config.verbose {
                println!(
                    "step {step:4}  loss {value:.6}  (reverse AD {reverse_value:.6}, gradient error {error:.1e})"
                );
            }
        }
        if step < config.steps {
            for (p, g) in params.iter_mut().zip(grad) {
                *p -= config.rate * g;
            }
        }
    }
    let right: f64 = accuracy_of.call(&params).iter().sum();
    Ok(Report {
        initial_loss,
        final_loss: last_loss,
        worst_gradient_error: worst,
        accuracy: right / data.len() as f64,
        loss_dag: gradient.stats.input.dag,
        gradient_dag: gradient.stats.simplified.dag,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let config = Config {
        points: 64,
        steps: 2000,
        rate: 0.5,
        check_every: 200,
        verbose: true,
    };
    let started = Instant::now();
    let report = train(&config)?;
    println!(
        "loss {:.4} -> {:.4} in {} steps ({:.1?}); accuracy {:.0}%; \
         compiled symbolic gradient = reverse AD to {:.1e}; DAG: loss {}, gradient {}",
        report.initial_loss,
        report.final_loss,
        config.steps,
        started.elapsed(),
        100.0 * report.accuracy,
        report.worst_gradient_error,
        report.loss_dag,
        report.gradient_dag
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small run: the loss falls, the compiled symbolic gradient equals reverse AD.
    #[test]
    fn a_small_network_learns_with_the_compiled_symbolic_gradient() {
        let config = Config {
            points: 24,
            steps: 300,
            rate: 0.5,
            check_every: 50,
            verbose: false,
        };
        let report = train(&config).unwrap();
        assert!(
            report.final_loss < 0.6 * report.initial_loss,
            "loss {} -> {}",
            report.initial_loss,
            report.final_loss
        );
        assert!(
            report.worst_gradient_error < 1e-12,
            "gradient error {}",
            report.worst_gradient_error
        );
        assert!(report.accuracy >= 0.75, "accuracy {}", report.accuracy);
    }
}
