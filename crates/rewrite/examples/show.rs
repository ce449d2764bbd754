//! Differentiates an expression and prints the result with its statistics:
//! `cargo run --release -p symdiff-rewrite --example show -- "x^3 - 7*x^2" x`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let f = symdiff_expr::parse(&args[1]).expect("parses");
    let r = symdiff_rewrite::d(&f, &args[2]).expect("differentiates");
    println!("{}", r.expr.to_infix(100, symdiff_expr::Sharing::Always));
    println!("{:#?}", r.stats);
}
