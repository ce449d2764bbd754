//! Errors: compiling ([`CompileError`]), calling ([`CallError`]) and batch evaluation
//! ([`BatchError`]).

use symdiff_expr::EvalError;

/// Why an expression could not be compiled.
///
/// ```
/// use symdiff_codegen::{compile, CompileError};
/// let f = symdiff_expr::parse("x*y").unwrap();
/// let err = compile(&f, &["x"]).unwrap_err();
/// assert_eq!(err, CompileError::UnknownVariable { name: "y".into(), vars: vec!["x".into()] });
/// assert!(err.to_string().contains("`y`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The expression uses a variable that is not among the compiled function's arguments.
    #[error("variable `{name}` is not an argument of the compiled function (arguments: [{}]); add it to the variable list", .vars.join(", "))]
    UnknownVariable {
        /// The missing variable.
        name: String,
        /// The argument list that was given.
        vars: Vec<String>,
    },
    /// The same variable appears twice in the argument list.
    #[error("variable `{0}` appears twice in the argument list")]
    DuplicateVariable(String),
    /// An argument name is not an identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    #[error("`{0}` is not a valid variable name")]
    InvalidVariable(String),
    /// The expression still contains an unevaluated derivative `d(var, expr)`.
    #[error("cannot compile the unevaluated derivative `{0}`: differentiate it first")]
    Derivative(String),
    /// An operator the compiler does not implement yet.
    #[error("cannot compile `{0}` yet")]
    Unsupported(&'static str),
    /// A generated function name is not a Rust identifier.
    #[error("`{0}` is not a valid Rust function name")]
    InvalidName(String),
    /// The symbolic derivative could not be computed.
    #[error("differentiation failed: {0}")]
    Diff(#[from] symdiff_rewrite::DiffError),
}

/// Why a call of a compiled function failed (only [`try_call`](crate::Compiled::try_call) and
/// its multi-output siblings report these; the fast paths follow IEEE 754).
///
/// ```
/// use symdiff_codegen::{compile, CallError};
/// let f = compile(&symdiff_expr::parse("ln(x)").unwrap(), &["x"]).unwrap();
/// assert_eq!(f.try_call(&[1.0, 2.0]), Err(CallError::Arity { expected: 1, found: 2 }));
/// let err = f.try_call(&[-1.0]).unwrap_err();
/// assert!(err.to_string().contains("ln(-1)"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// The number of arguments differs from the number of compiled variables.
    #[error("wrong number of arguments: the compiled function takes {expected}, got {found}")]
    Arity {
        /// How many arguments the function takes.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// An operation (or an argument) is not a finite real number: [`EvalError::Domain`]
    /// (`op` is the operation with its arguments, such as `ln(-1)` or `1/0`, or an argument
    /// such as `x=NaN`), the one definition of evaluation errors in `symdiff-expr`.
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Why a batch evaluation was rejected (the shapes of its inputs and outputs).
///
/// ```
/// use symdiff_codegen::{compile, BatchError};
/// let f = compile(&symdiff_expr::parse("x+y").unwrap(), &["x", "y"]).unwrap();
/// let mut out = [0.0; 2];
/// let err = f.eval_batch(&[&[1.0, 2.0], &[3.0]], &mut out).unwrap_err();
/// assert_eq!(err, BatchError::InputLength { var: "y".into(), expected: 2, found: 1 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// The number of input slices differs from the number of variables.
    #[error("expected one input slice per variable ({expected}), got {found}")]
    InputCount {
        /// How many variables the program has.
        expected: usize,
        /// How many slices were given.
        found: usize,
    },
    /// The number of output slices differs from the number of outputs.
    #[error("expected one output slice per output ({expected}), got {found}")]
    OutputCount {
        /// How many outputs the program has.
        expected: usize,
        /// How many slices were given.
        found: usize,
    },
    /// An input slice's length differs from the number of points (the first output's length).
    #[error("input slice for `{var}` has {found} values but there are {expected} points")]
    InputLength {
        /// The variable.
        var: String,
        /// The number of points.
        expected: usize,
        /// The slice's length.
        found: usize,
    },
    /// An output slice's length differs from the number of points.
    #[error("output slice {index} has {found} values but there are {expected} points")]
    OutputLength {
        /// Which output.
        index: usize,
        /// The number of points.
        expected: usize,
        /// The slice's length.
        found: usize,
    },
}
