//! Several expressions printed as one block: the bindings of their shared subexpressions once,
//! then every entry, separated by `;`. A gradient, a Jacobian or a Hessian printed this way is
//! as large as its DAG, not one copy of the shared part per entry, and [`parse_many`] reads the
//! block back into its entries.
//!
//! ```text
//! t1 = 1 - x;            bindings, definitions before uses
//! t2 = 4*x*t1;
//! # d/dx                 optional label: a comment up to the end of the line
//! 4*t1 - 4*x;            entries, in order, separated by `;`
//! # d/dy
//! t2*y
//! ```
//!
//! The grammar is the one of [`parse`](crate::parse) with several expressions instead of one: a
//! binding `name = expr;` is visible in every later statement, every other statement is an
//! entry. A block of one entry without labels is exactly what [`Expr::to_infix`] prints, so
//! `parse` reads it too. Printing and reading are iterative and linear in the DAG of the entries.

use crate::error::ParseError;
use crate::expr::Expr;
use crate::parse::parse_statements;
use crate::print::{write_infix_block, Sharing, DEFAULT_WIDTH};

/// The entries as one block of infix text at [`DEFAULT_WIDTH`] columns with [`Sharing::Auto`]
/// (see the [module docs](crate::print_many)); [`parse_many`] reads it back.
///
/// ```
/// use symdiff_expr::{parse_many, to_infix_many, var};
/// let x = var("x");
/// let mut l = x;
/// for _ in 0..6 { l = 4 * l * (1 - l); }
/// let entries = [l, l * x, l.sin()];
/// let text = to_infix_many(&entries);
/// // The shared logistic map is printed once, not once per entry.
/// assert_eq!(text.matches("4*x*(1 - x)").count(), 1);
/// assert!(text.ends_with(";\nt6;\nt6*x;\nsin(t6)"), "{text}");
/// assert_eq!(parse_many(&text).unwrap(), entries);
/// ```
pub fn to_infix_many(entries: &[Expr]) -> String {
    to_infix_many_with::<&str>(entries, &[], DEFAULT_WIDTH, Sharing::Auto)
}

/// [`to_infix_many`] with labels, a line width and a sharing mode. Entry `i` is preceded by the
/// comment line `# labels[i]` when `labels` has an `i`-th element (line breaks in a label
/// become spaces). An empty `entries` prints as the empty string.
///
/// ```
/// use symdiff_expr::{parse, parse_many, to_infix_many_with, Sharing};
/// let entries = [parse("y").unwrap(), parse("x").unwrap()];
/// let text = to_infix_many_with(&entries, &["d/dx", "d/dy"], 80, Sharing::Auto);
/// assert_eq!(text, "# d/dx\ny;\n# d/dy\nx");
/// assert_eq!(parse_many(&text).unwrap(), entries);
/// ```
pub fn to_infix_many_with<L: AsRef<str>>(
    entries: &[Expr],
    labels: &[L],
    width: usize,
    sharing: Sharing,
) -> String {
    let mut out = String::new();
    write_infix_block(&mut out, entries, width, sharing, |i, out| {
        if let Some(label) = labels.get(i) {
            out.push_str("# ");
            out.extend(label.as_ref().chars().map(|c| match c {
                '\n' | '\r' => ' ',
                c => c,
            }));
            out.push('\n');
        }
    });
    out
}

/// Reads a block printed by [`to_infix_many`] (or written by hand in the same grammar) back
/// into its entries, in order. `#` starts a comment that runs to the end of the line.
///
/// ```
/// use symdiff_expr::{parse, parse_many, ParseErrorKind};
/// let entries = parse_many("t1 = x*y; # shared\nt1 + 1; sin(t1)").unwrap();
/// assert_eq!(entries, [parse("x*y + 1").unwrap(), parse("sin(x*y)").unwrap()]);
/// // Errors point into the whole block.
/// let err = parse_many("x;\ny +").unwrap_err();
/// assert_eq!((err.line, err.kind.clone()), (2, ParseErrorKind::UnexpectedEnd));
/// ```
pub fn parse_many(source: &str) -> Result<Vec<Expr>, ParseError> {
    if !source.contains('#') {
        return parse_statements(source);
    }
    // Blank the comments out byte for byte: offsets, lines and columns stay those of `source`.
    let mut bytes = source.as_bytes().to_vec();
    let mut in_comment = false;
    for b in &mut bytes {
        match *b {
            b'\n' => in_comment = false,
            b'#' => in_comment = true,
            _ => {}
        }
        if in_comment {
            *b = b' ';
        }
    }
    let blanked = String::from_utf8(bytes).expect("only whole comments became spaces");
    parse_statements(&blanked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, var, ParseErrorKind};

    #[test]
    fn one_entry_is_what_to_infix_prints() {
        let x = var("x");
        let mut l = x;
        for _ in 0..8 {
            l = 4 * l * (1 - l);
        }
        for e in [x, l, x * (1 - x)] {
            assert_eq!(to_infix_many(&[e]), e.to_string());
            assert_eq!(parse(&to_infix_many(&[e])).unwrap(), e);
        }
    }

    #[test]
    fn bindings_are_printed_once_for_all_entries() {
        // A gradient-like family: every entry uses the same long chain.
        let x = var("x");
        let mut l = x;
        for _ in 0..30 {
            l = 4 * l * (1 - l);
        }
        let entries: Vec<Expr> = (1..=200).map(|k| l * k).collect();
        let text = to_infix_many(&entries);
        let one = to_infix_many(&entries[..1]);
        // 200 entries cost far less than 200 copies of the bindings.
        assert!(
            text.len() < one.len() + 200 * 20,
            "{} vs {}",
            text.len(),
            one.len()
        );
        assert_eq!(parse_many(&text).unwrap(), entries);
    }

    #[test]
    fn an_entry_may_be_a_binding_of_another() {
        let x = var("x");
        let s = (x + 1).sin();
        let entries = [s, s * s, x];
        let text = to_infix_many_with::<&str>(&entries, &[], 80, Sharing::Always);
        assert_eq!(text, "t1 = sin(x + 1);\nt1;\nt1*t1;\nx");
        assert_eq!(parse_many(&text).unwrap(), entries);
    }

    #[test]
    fn labels_are_comments() {
        let entries = [var("a"), var("b")];
        let text = to_infix_many_with(&entries, &["first\nline", "# second"], 80, Sharing::Auto);
        assert_eq!(text, "# first line\na;\n# # second\nb");
        assert_eq!(parse_many(&text).unwrap(), entries);
        assert_eq!(to_infix_many(&[]), "");
    }

    #[test]
    fn errors_name_the_place_in_the_block() {
        let err = parse_many("# a comment\nx + 1;\n\nsin(x, y)").unwrap_err();
        assert_eq!((err.line, err.column), (4, 1));
        assert!(matches!(err.kind, ParseErrorKind::WrongArity { .. }));
        assert_eq!(parse_many("").unwrap_err().kind, ParseErrorKind::Empty);
        assert_eq!(
            parse_many("# only").unwrap_err().kind,
            ParseErrorKind::Empty
        );
        // A trailing `;` promises an entry that never comes.
        assert_eq!(
            parse_many("x;").unwrap_err().kind,
            ParseErrorKind::UnexpectedEnd
        );
        assert!(parse_many("x y").is_err());
        assert!(parse_many("sin = x; sin").is_err());
        // A binding after the last entry is a binding without a use: still an error.
        assert!(parse_many("x; t = 1").is_err());
    }

    #[test]
    fn bindings_shadow_variables_from_their_statement_on() {
        let (x, y) = (var("x"), var("y"));
        assert_eq!(parse_many("y; y = x; y").unwrap(), [y, x]);
    }

    #[test]
    fn non_ascii_comments_are_blanked_whole() {
        assert_eq!(parse_many("x # ∂/∂x\n").unwrap(), [var("x")]);
    }
}
