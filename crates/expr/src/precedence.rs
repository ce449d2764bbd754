//! Operator precedence of the infix language, loosest first: the one table that the parser
//! (`parse.rs`) and the printers (`print.rs`, `print_many.rs`) read, so that what is printed
//! without parentheses parses back to the same tree.
//!
//! Unary minus binds tighter than `*` and looser than `^` (`-x^2` is `-(x^2)`); `not` binds
//! tighter than `and` and looser than a comparison. `^` is right-associative, the other binary
//! operators left-associative.

/// `or`.
pub(crate) const OR: u8 = 1;
/// `and`.
pub(crate) const AND: u8 = 2;
/// Prefix `not`.
pub(crate) const NOT: u8 = 3;
/// `<`, `<=`, `>`, `>=`, `==`, `!=`.
pub(crate) const COMPARISON: u8 = 4;
/// Binary `+` and `-`.
pub(crate) const SUM: u8 = 5;
/// `*` and `/`.
pub(crate) const PRODUCT: u8 = 6;
/// Prefix `-`.
pub(crate) const NEGATION: u8 = 7;
/// `^`.
pub(crate) const POWER: u8 = 8;
/// A number, a variable, a call or a parenthesised expression: never needs parentheses.
pub(crate) const ATOM: u8 = 9;
