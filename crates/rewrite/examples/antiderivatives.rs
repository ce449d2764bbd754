//! The simplification proxy suite (`bench/simplify/`): for each integrand `f` and its SymPy
//! antiderivative `F`, differentiates `F`, checks the derivative's value against `f` at a few
//! points, and asks whether `simplify(d(F) - f)` reaches `0`. Writes one CSV row per item and
//! prints a per-chapter table. As a control, `simplify(d(F) - g)` for `g` the integrand at a
//! slightly scaled argument (`x` → `1001/1000*x`) must never reach `0` (a false zero would be
//! an unsound simplification).
//!
//! `cargo run --release -p symdiff-rewrite --example antiderivatives -- \
//!     bench/simplify/integrands.csv bench/simplify/symdiff_results.csv`

use std::collections::BTreeMap;
use std::time::Instant;
use symdiff_expr::{parse, Expr, Point};
use symdiff_rewrite::{d, simplify};

/// Points where the derivative is compared with the integrand (in (-1, 4): inverse
/// trigonometric functions of `2*x + 1` live on [-1, 0]) (those where either is undefined
/// are skipped; at least two must remain).
const POINTS: [f64; 12] = [
    -0.71, -0.29, 0.23, 0.37, 0.51, 0.64, 0.79, 1.43, 1.91, 2.17, 2.83, 3.61,
];

/// Relative agreement the value check asks for (of `d(F)` and `f`, each evaluated in f64).
const TOLERANCE: f64 = 1e-12;

#[derive(Default)]
struct Tally {
    items: usize,
    zero: usize,
    false_zero: usize,
    values_ok: usize,
    simplify_ms: Vec<f64>,
}

struct Row {
    chapter: String,
    variant: String,
    f: String,
    big_f: String,
}

/// The rows of a CSV with (at least) the columns `chapter`, `f` and `F`, and optionally
/// `variant` (how `F` was rewritten: the hard set), found by name.
fn read(path: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let need = |name: &str| column(name).unwrap_or_else(|| panic!("{path}: no column {name}"));
    let (chapter, f, big_f, variant) = (need("chapter"), need("f"), need("F"), column("variant"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            Row {
                chapter: r[chapter].to_string(),
                variant: variant.map_or_else(String::new, |v| r[v].to_string()),
                f: r[f].to_string(),
                big_f: r[big_f].to_string(),
            }
        })
        .collect()
}

/// The largest relative difference of `a` and `b` over [`POINTS`] where both are defined, or
/// `None` when fewer than two points are.
fn max_relative_error(a: Expr, b: Expr) -> Option<f64> {
    let mut worst = 0.0f64;
    let mut defined = 0;
    for x in POINTS {
        let point: Point = format!("x={x}").parse().expect("a point");
        let (Ok(u), Ok(v)) = (a.eval(&point), b.eval(&point)) else {
            continue;
        };
        if !u.is_finite() || !v.is_finite() {
            continue;
        }
        defined += 1;
        worst = worst.max((u - v).abs() / v.abs().max(1.0));
    }
    (defined >= 2).then_some(worst)
}

/// `text` with the variable `x` replaced by `1001/1000*x` (identifiers are maximal runs of
/// letters, digits and `_`, so `exp` is untouched).
fn perturbed(text: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(if word == "x" { "(1001/1000*x)" } else { word });
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_zero(e: &Result<symdiff_rewrite::Simplified, symdiff_rewrite::DiffError>) -> bool {
    e.as_ref()
        .is_ok_and(|r| r.expr.as_constant().is_some_and(|c| c.is_zero()))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let input = args
        .get(1)
        .map_or("bench/simplify/integrands.csv", String::as_str);
    let output = args
        .get(2)
        .map_or("bench/simplify/symdiff_results.csv", String::as_str);
    let mut out = csv::Writer::from_path(output).unwrap_or_else(|e| panic!("{output}: {e}"));
    out.write_record([
        "chapter",
        "variant",
        "f",
        "F",
        "dF",
        "residual",
        "zero",
        "value_ok",
        "max_rel_err",
        "d_ms",
        "simplify_ms",
    ])
    .expect("writes");
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for row in read(input) {
        let (f, big_f) = match (parse(&row.f), parse(&row.big_f)) {
            (Ok(f), Ok(g)) => (f, g),
            (a, b) => {
                eprintln!(
                    "does not parse: {} | {}: {:?} {:?}",
                    row.f,
                    row.big_f,
                    a.err(),
                    b.err()
                );
                continue;
            }
        };
        let tally = tallies.entry(row.chapter.clone()).or_default();
        tally.items += 1;
        let start = Instant::now();
        let derivative = match d(&big_f, "x") {
            Ok(r) => r.expr,
            Err(e) => {
                eprintln!("d fails on {}: {e}", row.big_f);
                continue;
            }
        };
        let d_ms = start.elapsed().as_secs_f64() * 1e3;
        let error = max_relative_error(derivative, f);
        let value_ok = error.is_some_and(|e| e <= TOLERANCE);
        let start = Instant::now();
        let residual = simplify(&(derivative - f));
        let simplify_ms = start.elapsed().as_secs_f64() * 1e3;
        let zero = is_zero(&residual);
        let residual = residual.map(|r| r.expr);
        let control = parse(&perturbed(&row.f)).expect("the perturbed integrand parses");
        let false_zero = is_zero(&simplify(&(derivative - control)));
        if false_zero {
            eprintln!("FALSE ZERO: d({}) - {}", row.big_f, perturbed(&row.f));
        }
        tally.zero += usize::from(zero);
        tally.false_zero += usize::from(false_zero);
        tally.values_ok += usize::from(value_ok);
        tally.simplify_ms.push(simplify_ms);
        out.write_record([
            row.chapter.clone(),
            row.variant.clone(),
            row.f.clone(),
            row.big_f.clone(),
            derivative.to_string(),
            residual.map_or_else(|e| format!("error: {e}"), |r| r.to_string()),
            zero.to_string(),
            value_ok.to_string(),
            error.map_or("undefined".into(), |e| format!("{e:.1e}")),
            format!("{d_ms:.3}"),
            format!("{simplify_ms:.3}"),
        ])
        .expect("writes");
    }
    out.flush().expect("writes");
    println!("| chapter | items | symdiff 0 | false 0 (control) | values ok | simplify median ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut all = Tally::default();
    for (chapter, t) in &mut tallies {
        print_row(chapter, t);
        all.items += t.items;
        all.zero += t.zero;
        all.false_zero += t.false_zero;
        all.values_ok += t.values_ok;
        all.simplify_ms.extend(&t.simplify_ms);
    }
    print_row("all", &mut all);
}

fn print_row(chapter: &str, t: &mut Tally) {
    t.simplify_ms.sort_by(f64::total_cmp);
    let median = t
        .simplify_ms
        .get(t.simplify_ms.len() / 2)
        .copied()
        .unwrap_or(0.0);
    let max = t.simplify_ms.last().copied().unwrap_or(0.0);
    println!(
        "| {chapter} | {} | {} | {} | {} | {median:.2} | {max:.1} |",
        t.items, t.zero, t.false_zero, t.values_ok
    );
}
