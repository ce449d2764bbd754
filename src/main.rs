//! The `symdiff` command line (its code is the `symdiff-cli` crate, `crates/cli`).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    symdiff_cli::main()
}
