fn main() {
    for s in std::env::args().skip(1) {
        let e = symdiff_expr::parse(&s).unwrap();
        match symdiff_rewrite::d(&e, "x") {
            Ok(d) => println!("d/dx {s} = {}", d.expr),
            Err(err) => println!("{s}: {err}"),
        }
    }
}
