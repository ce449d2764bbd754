//! Reading an expression argument: the text itself, `-` for standard input, `@path` for a file.

use crate::error::CliError;
use std::io::Read;
use symdiff_expr::Expr;

/// An expression argument as given on the command line.
///
/// Use it in a subcommand's `Args` as
/// `#[arg(value_name = "EXPR", allow_hyphen_values = true)] expr: ExprArg` (hyphen values so
/// that `-x^2` is an expression, not an option).
#[derive(Debug, Clone)]
pub struct ExprArg {
    /// The raw argument.
    pub text: String,
}

impl std::str::FromStr for ExprArg {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ExprArg {
            text: s.to_string(),
        })
    }
}

impl ExprArg {
    /// The source text and a description of where it came from (for error messages).
    pub fn read(&self) -> Result<(String, String), CliError> {
        if self.text == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::input(format!("cannot read standard input: {e}")))?;
            return Ok((text, "standard input".to_string()));
        }
        if let Some(path) = self.text.strip_prefix('@') {
            return Ok((read_file(path)?, format!("`{path}`")));
        }
        Ok((self.text.clone(), "EXPR".to_string()))
    }

    /// Reads and parses the expression.
    pub fn parse(&self) -> Result<Expr, CliError> {
        let (text, source) = self.read()?;
        symdiff_expr::parse(&text).map_err(|err| CliError::parse(&source, &err))
    }

    /// Reads and parses one or more expressions separated by `;`, with optional shared
    /// bindings: the block format of [`symdiff_expr::parse_many`].
    pub fn parse_many(&self) -> Result<Vec<Expr>, CliError> {
        let (text, source) = self.read()?;
        symdiff_expr::parse_many(&text).map_err(|err| CliError::parse(&source, &err))
    }
}

/// The text of the file named by an `@path` argument. A path that is missing or not a regular
/// file is bad input (exit code 2) naming the path.
pub fn read_file(path: &str) -> Result<String, CliError> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(CliError::input(format!("cannot read `{path}`: not a file")))
        }
        Err(e) => return Err(CliError::input(format!("cannot read `{path}`: {e}"))),
        Ok(_) => {}
    }
    std::fs::read_to_string(path).map_err(|e| CliError::input(format!("cannot read `{path}`: {e}")))
}
