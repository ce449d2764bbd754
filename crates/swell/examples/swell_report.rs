//! Writes the swell report: `cargo run --release -p symdiff-swell --example swell_report -- [--quick] [OUT]`
//! (the same as `symdiff report [--quick] [--out OUT]`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let out = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "reports".into());
    let mut options = symdiff_swell::ReportOptions::new(out);
    if quick {
        options = options.quick();
    }
    match symdiff_swell::run_report(&options) {
        Ok(summary) => {
            for f in &summary.findings {
                println!("- {f}");
            }
            println!(
                "{} members ({} at a limit, {} failed) in {:.1} s; wrote {}",
                summary.members,
                summary.limited,
                summary.errors,
                summary.elapsed.as_secs_f64(),
                summary.out.display()
            );
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
