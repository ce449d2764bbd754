//! Results are a function of the input alone: `d`, `simplify`, `gradient` and `hessian` give the
//! same expressions whatever else the process interned before (or while) they run. Store ids
//! follow the order in which a process first builds each node, so anything that breaks a tie by
//! an id, or by an e-graph id derived from one, would differ between a fresh process and one
//! that built other expressions first.
//!
//! The test runs itself twice as a child process: once fresh, once after interning a few
//! thousand unrelated expressions (which gives the inputs' and results' nodes other ids in
//! another relative order), and compares the printed results; then it computes them again on
//! two threads at once (in opposite orders) while a third interns unrelated expressions.
//!
//! The time limit is far above what the inputs need: with the default 100 ms, results *do*
//! depend on timing (six threads sharing two cores changed the Hessian or the simplified form of
//! 6-7 of 434 such inputs), because the simplification stops at a wall-clock limit.

mod common;

use rand::rngs::StdRng;
use rand::SeedableRng;
use std::process::Command;
use std::time::Duration;
use symdiff_expr::{parse, Expr};
use symdiff_rewrite::{d_with, gradient_with, hessian_with, simplify_with, Options};

/// The environment variable that makes the test a child: `fresh` or `perturbed`.
const MODE: &str = "SYMDIFF_DETERMINISM_CHILD";
const BEGIN: &str = "---- results ----";
const END: &str = "---- end ----";
const VARS: [&str; 2] = ["x", "y"];

/// Inputs where ties are common: commuted operands, repeated factors, several equally small
/// forms, functions whose derivatives share subexpressions.
const CASES: &[&str] = &[
    "sin(x)*cos(y) + cos(x)*sin(y)",
    "(x + y)^2 - (y + x)^2 + x*y",
    "exp(x*y)*ln(x + y)",
    "atan2(y, x) + hypot(x, y)",
    "4*x*(1 - x) + y*x*(1 - y)",
    "x/(y + 1) + y/(x + 1)",
    "sqrt(x^2 + y^2)*tanh(x - y)",
    "(1 - x)^2 + 100*(y - x^2)^2",
    "if(x > y, x*sin(y), y*sin(x))",
    "sigmoid(x*y + 1)*softplus(x - y)",
];

/// Random inputs (seeded) on top of [`CASES`].
const RANDOM_CASES: usize = 150;

fn options() -> Options {
    Options {
        time_limit: Duration::from_secs(600),
        ..Options::default()
    }
}

fn inputs() -> Vec<Expr> {
    let mut rng = StdRng::seed_from_u64(19);
    let mut inputs: Vec<Expr> = CASES.iter().map(|s| parse(s).unwrap()).collect();
    inputs.extend((0..RANDOM_CASES).map(|_| common::random_expr(&mut rng, &VARS, 4)));
    inputs
}

fn show(entries: &[Expr]) -> String {
    entries
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// Every result for every input, one block of text per input (errors included: they must
/// agree too).
fn results(inputs: &[Expr]) -> Vec<String> {
    let options = options();
    inputs
        .iter()
        .map(|e| {
            let d = d_with(e, &["x"], &options).map(|r| r.expr.to_string());
            let s = simplify_with(e, &options).map(|r| r.expr.to_string());
            let g = gradient_with(e, &VARS, &options).map(|r| show(&r.entries));
            let h = hessian_with(e, &VARS, &options).map(|r| show(&r.entries));
            format!("{e}\n  d: {d:?}\n  simplify: {s:?}\n  gradient: {g:?}\n  hessian: {h:?}\n")
        })
        .collect()
}

/// Interns unrelated expressions over the same variables (and others), so that the nodes the
/// inputs and results share with them get early ids in an order unrelated to the inputs'.
fn perturb_store() {
    let mut rng = StdRng::seed_from_u64(0x5eed);
    for name in ["z", "y", "w", "x"] {
        parse(name).unwrap();
    }
    let mut junk = Vec::new();
    for depth in (1..=4).rev() {
        for _ in 0..1000 {
            junk.push(common::random_expr(&mut rng, &["y", "w", "x"], depth));
        }
    }
    // Something to keep: the expressions stay stored either way.
    assert!(junk.iter().any(|e| e.to_string().contains('y')));
}

fn child_results(mode: &str) -> String {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "results_do_not_depend_on_what_was_interned_before",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MODE, mode)
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "child ({mode}) failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let start = stdout.find(BEGIN).expect("the child prints its results") + BEGIN.len();
    let end = stdout.find(END).expect("the child ends its results");
    stdout[start..end].trim_start_matches('\n').to_string()
}

/// Asserts that two runs printed the same results, naming the first line that differs.
fn assert_same(expected: &str, got: &str, when: &str) {
    for (a, b) in expected.lines().zip(got.lines()) {
        assert_eq!(a, b, "a result differs {when}");
    }
    assert_eq!(expected.lines().count(), got.lines().count(), "{when}");
}

#[test]
fn results_do_not_depend_on_what_was_interned_before() {
    match std::env::var(MODE).as_deref() {
        Ok(mode) => {
            if mode == "perturbed" {
                perturb_store();
            }
            let inputs: Vec<String> = inputs().iter().map(|e| e.to_string()).collect();
            // Parse the inputs from text (as a fresh process would build them).
            let inputs: Vec<Expr> = inputs.iter().map(|s| parse(s).unwrap()).collect();
            println!("{BEGIN}\n{}{END}", results(&inputs).concat());
        }
        Err(_) => {
            let fresh = child_results("fresh");
            let cases = CASES.len() + RANDOM_CASES;
            assert_eq!(fresh.matches("\n  hessian: ").count(), cases);
            let perturbed = child_results("perturbed");
            assert_same(&fresh, &perturbed, "after other expressions were interned");
            let inputs = inputs();
            let reversed: Vec<Expr> = inputs.iter().rev().copied().collect();
            let (forward, backward) = std::thread::scope(|s| {
                let forward = s.spawn(|| results(&inputs));
                let backward = s.spawn(|| results(&reversed));
                s.spawn(perturb_store);
                (forward.join().unwrap(), backward.join().unwrap())
            });
            assert_same(&fresh, &forward.concat(), "on a thread while others intern");
            let backward: String = backward.iter().rev().map(String::as_str).collect();
            assert_same(
                &fresh,
                &backward,
                "on a thread while others intern, inputs reversed",
            );
        }
    }
}
