//! `symdiff compile EXPR [--wrt x,y] [--gradient] [--emit rust|program] [--name NAME]`: the
//! expression (and with `--gradient` its gradient) as a standalone Rust function, or as the
//! straight-line program the compiled closure runs.

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output;
use symdiff_codegen::{Backend, CompileError};

/// What `symdiff compile` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Emit {
    /// A standalone, dependency-free `pub fn` (shared subexpressions as `let` bindings).
    #[default]
    Rust,
    /// The straight-line register program of the compiled closure.
    Program,
}

/// Arguments of `symdiff compile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    #[command(flatten)]
    pub wrt: crate::args::Wrt,
    /// Also compute the gradient with respect to the arguments: the function returns
    /// `(f64, [f64; N])`.
    #[arg(long)]
    pub gradient: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Emit::Rust)]
    pub emit: Emit,
    /// The name of the emitted function.
    #[arg(long, value_name = "NAME", default_value = "f")]
    pub name: String,
}

fn compile_error(err: CompileError) -> CliError {
    match err {
        CompileError::Diff(e) => CliError::diff(e),
        other => CliError::input(other.to_string()),
    }
}

/// Runs `symdiff compile`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let vars = args.wrt.variables(&[expr])?;
    if args.gradient && vars.is_empty() {
        return Err(CliError::input(
            "the expression has no variables: name them with --wrt",
        ));
    }
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let text = match (args.emit, args.gradient) {
        (Emit::Rust, false) => symdiff_codegen::to_rust_source(&args.name, &expr, &names),
        (Emit::Rust, true) => symdiff_codegen::to_rust_source_gradient(&args.name, &expr, &names),
        // Only the program is printed: no need for the JIT's machine code.
        (Emit::Program, false) => {
            symdiff_codegen::compile_with(&expr, &names, Backend::Interpreter)
                .map(|c| c.program().to_string())
        }
        (Emit::Program, true) => {
            symdiff_codegen::compile_gradient_with(&expr, &names, Backend::Interpreter)
                .map(|c| c.program().to_string())
        }
    }
    .map_err(compile_error)?;
    output::print(text.trim_end())
}
