//! Forward and reverse mode, step by step: the primal/tangent and primal/adjoint traces of the
//! seed document's `y = x1*x2 + x2 - ln(x1)` at (3, -4) and of Baydin et al.'s
//! `y = ln(x1) + x1*x2 - sin(x2)` at (2, 5).
//!
//! Run with `cargo run --example forward_reverse`.

use symdiff::ad::{forward_trace, gradient, reverse_trace, Tape};
use symdiff::{parse, Point};

fn show(source: &str, point: &str) -> Result<(), Box<dyn std::error::Error>> {
    let f = parse(source)?;
    let at: Point = point.parse()?;
    println!("==== y = {f} at {at}\n");
    // Forward mode: one pass per input direction, each giving one partial derivative.
    for var in ["x1", "x2"] {
        let trace = forward_trace(f, &at, &Point::new().with(var, 1.0))?;
        println!("{trace}\n");
    }
    // Reverse mode: one forward sweep and one backward sweep give every partial derivative.
    println!("{}\n", reverse_trace(f, &at)?);
    let g = gradient(f, &at)?;
    println!(
        "y = {:.6}, ∂y/∂x1 = {:.6}, ∂y/∂x2 = {:.6} (tape of {} entries)\n",
        g.value,
        g.partials[0],
        g.partials[1],
        Tape::new(f)?.len()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    show("x1*x2 + x2 - ln(x1)", "x1=3, x2=-4")?;
    show("ln(x1) + x1*x2 - sin(x2)", "x1=2, x2=5")?;
    Ok(())
}
