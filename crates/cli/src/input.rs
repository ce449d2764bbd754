//! Reading an expression argument: the text itself, `-` for standard input, `@path` for a file.
//! Every source is read through one size limit ([`max_input_bytes`], `--max-input-bytes`), so
//! `@/dev/zero` or an endless pipe is refused after at most that many bytes, never read forever.

use crate::error::CliError;
use std::io::Read;
use std::sync::OnceLock;
use symdiff_expr::Expr;

/// The default input size limit: 256 MiB, far above any expression worth typing or generating.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;

static MAX_INPUT_BYTES: OnceLock<u64> = OnceLock::new();

/// Sets the input size limit for the rest of the process (once, from `main`).
pub fn set_max_input_bytes(limit: u64) {
    let _ = MAX_INPUT_BYTES.set(limit);
}

/// The input size limit in bytes (see [`set_max_input_bytes`]).
pub fn max_input_bytes() -> u64 {
    *MAX_INPUT_BYTES.get_or_init(|| DEFAULT_MAX_INPUT_BYTES)
}

/// The `EXPR` argument of every single-expression subcommand, declared once: use it in a
/// subcommand's `Args` as `#[command(flatten)] pub expr: ExprInput` (hyphen values are allowed so
/// that `-x^2` is an expression, not an option).
#[derive(Debug, Clone, clap::Args)]
pub struct ExprInput {
    /// The expression, e.g. "4*(cos(x) + 2*x - exp(x))^2" (or `-` for stdin, `@path` for a file).
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: ExprArg,
}

impl ExprInput {
    /// Reads and parses the expression (see [`ExprArg::parse`]).
    pub fn parse(&self) -> Result<Expr, CliError> {
        self.expr.parse()
    }
}

/// An expression argument as given on the command line (the text of [`ExprInput`], or one of
/// several expressions).
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

fn too_large(source: &str, limit: u64) -> CliError {
    CliError::input(format!(
        "{source} is larger than the input limit of {limit} bytes \
         (raise it with --max-input-bytes)"
    ))
}

/// Reads all of `reader` as UTF-8 text, refusing more than `limit` bytes: at most `limit + 1`
/// bytes are ever read or held, and the buffer grows by fallible allocation, so even a limit
/// larger than the memory is an error, never an abort. `expected` is the size when it is known
/// (a regular file): the text is then read into one allocation of that size, never moved.
pub fn read_limited(
    reader: impl Read,
    limit: u64,
    source: &str,
    expected: u64,
) -> Result<String, CliError> {
    let out_of_memory = |len: usize| {
        CliError::input(format!(
            "cannot read {source}: out of memory after {len} bytes"
        ))
    };
    let mut reader = reader.take(limit.saturating_add(1));
    let mut bytes: Vec<u8> = Vec::new();
    // One byte more than expected: reading it means the input grew past what was expected.
    let capacity = usize::try_from(expected.min(limit).saturating_add(1)).unwrap_or(usize::MAX);
    bytes
        .try_reserve_exact(capacity)
        .map_err(|_| out_of_memory(0))?;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CliError::input(format!("cannot read {source}: {e}"))),
        };
        if bytes.len() + n > bytes.capacity() {
            // Doubling, as `Vec` would, but an allocation failure is an error.
            let want = (bytes.len() + n).max(2 * bytes.capacity());
            bytes
                .try_reserve_exact(want - bytes.len())
                .or_else(|_| bytes.try_reserve_exact(n))
                .map_err(|_| out_of_memory(bytes.len()))?;
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    if bytes.len() as u64 > limit {
        return Err(too_large(source, limit));
    }
    String::from_utf8(bytes).map_err(|e| {
        CliError::input(format!(
            "cannot read {source}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

impl ExprArg {
    /// The source text and a description of where it came from (for error messages).
    pub fn read(&self) -> Result<(String, String), CliError> {
        let limit = max_input_bytes();
        if self.text == "-" {
            let source = "standard input".to_string();
            let text = read_limited(std::io::stdin().lock(), limit, &source, 0)?;
            return Ok((text, source));
        }
        if let Some(path) = self.text.strip_prefix('@') {
            return Ok((read_file(path)?, format!("`{path}`")));
        }
        if self.text.len() as u64 > limit {
            return Err(too_large("EXPR", limit));
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

/// The text of the file named by an `@path` argument, through the input size limit. A path
/// that is missing or not a regular file (a directory, `/dev/zero`'s endless stream is read
/// only up to the limit) is bad input (exit code 2) naming the path.
pub fn read_file(path: &str) -> Result<String, CliError> {
    let source = format!("`{path}`");
    let limit = max_input_bytes();
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("cannot read {source}: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| CliError::input(format!("cannot read {source}: {e}")))?;
    if meta.is_dir() {
        return Err(CliError::input(format!("cannot read {source}: not a file")));
    }
    // A regular file's size is known: refuse it without reading.
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(&source, limit));
    }
    let size = if meta.is_file() { meta.len() } else { 0 };
    read_limited(file, limit, &source, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_after_the_limit() {
        let endless = std::io::repeat(b'x');
        let err = read_limited(endless, 1000, "standard input", 0).unwrap_err();
        assert!(err
            .message
            .contains("larger than the input limit of 1000 bytes"));
        assert_eq!(read_limited(&b"x+1"[..], 3, "EXPR", 0).unwrap(), "x+1");
        assert!(read_limited(&b"x+1"[..], 2, "EXPR", 0).is_err());
        // A size hint (right, too small, too large) changes nothing but the allocations.
        for expected in [3, 1, 100] {
            assert_eq!(
                read_limited(&b"x+1"[..], 3, "EXPR", expected).unwrap(),
                "x+1"
            );
            assert!(read_limited(&b"x+1"[..], 2, "EXPR", expected).is_err());
        }
    }
}
