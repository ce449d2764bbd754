//! What a variable name is. This is the one definition: the infix parser's lexer, the
//! s-expression reader, [`Point`](crate::Point), [`var`](crate::var) / [`try_var`](crate::try_var)
//! and every crate that takes variable names from input check against it.
//!
//! An identifier is ASCII: a letter or `_`, then letters, digits or `_`. A *variable name* is an
//! identifier that is not a function (`sin`, `log`, `max`, ...), a keyword (`if`, `and`, `or`,
//! `not`) or a named constant (`pi`, `e`), since
//! those would read back as something else. `d` is a variable name: the parser reads `d` as the
//! derivative operator only when `(` follows, which a printed variable never is.

use crate::language::{Func, Func2, NamedConst};

/// Words of the condition syntax (`x > 0 and not y < 1`) and the piecewise function `if`.
pub(crate) const KEYWORDS: [&str; 4] = ["and", "or", "not", "if"];

/// Why a string is not a variable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The empty string.
    #[error("a variable name cannot be empty")]
    Empty,
    /// Not an identifier (`2x`, `x-y`, `θ`).
    #[error(
        "`{0}` is not a variable name: a name starts with an ASCII letter or `_` and continues \
         with letters, digits or `_`"
    )]
    NotAnIdentifier(String),
    /// A function's or a named constant's name.
    #[error("`{0}` is not a variable name: it names a {1}")]
    Reserved(String, &'static str),
}

/// Whether `b` may start an identifier: an ASCII letter or `_`.
pub(crate) fn is_identifier_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Whether `b` may continue an identifier: an ASCII letter, digit or `_`.
pub(crate) fn is_identifier_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `name` is an identifier (it may still be a function's or a constant's name).
///
/// ```
/// use symdiff_expr::is_identifier;
/// assert!(is_identifier("x_1") && is_identifier("_t") && is_identifier("sin"));
/// assert!(!is_identifier("") && !is_identifier("2x") && !is_identifier("x y"));
/// ```
pub fn is_identifier(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(|&b| is_identifier_start(b))
        && bytes.iter().all(|&b| is_identifier_continue(b))
}

/// Checks that `name` can name a variable: an identifier that is not a function, a keyword or a
/// named constant.
///
/// ```
/// use symdiff_expr::{check_variable_name, NameError};
/// assert!(check_variable_name("theta").is_ok());
/// assert!(check_variable_name("d").is_ok()); // `d(` is the derivative operator; `d` is not
/// assert_eq!(check_variable_name(""), Err(NameError::Empty));
/// assert!(check_variable_name("2x").is_err());
/// assert!(check_variable_name("sin").is_err());
/// assert!(check_variable_name("pi").is_err());
/// ```
pub fn check_variable_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if !is_identifier(name) {
        return Err(NameError::NotAnIdentifier(name.to_string()));
    }
    if Func::from_name(name).is_some() || Func2::from_name(name).is_some() {
        return Err(NameError::Reserved(name.to_string(), "function"));
    }
    if KEYWORDS.contains(&name) {
        return Err(NameError::Reserved(name.to_string(), "keyword"));
    }
    if name.parse::<NamedConst>().is_ok() {
        return Err(NameError::Reserved(name.to_string(), "named constant"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_name_is_reserved() {
        for f in Func::ALL {
            assert!(check_variable_name(f.name()).is_err(), "{}", f.name());
        }
        for f in Func2::ALL {
            assert!(check_variable_name(f.name()).is_err(), "{}", f.name());
        }
        for k in KEYWORDS {
            assert!(check_variable_name(k).is_err(), "{k}");
        }
        assert!(check_variable_name("log").is_err());
        assert!(check_variable_name("e").is_err());
        assert!(check_variable_name("e1").is_ok());
    }
}
