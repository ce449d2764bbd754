//! Compiled functions: [`compile`] / [`compile_many`] (and their `_with` forms that choose the
//! [`Backend`]), thin views of the shared core [`Function`].
//!
//! The fast paths ([`Compiled::call`], the closures, the batch evaluators) follow IEEE 754: a
//! domain error gives NaN or an infinity, exactly as [`Semantics::Ieee`] would.
//! [`Compiled::try_call`] instead checks the arguments and every operation and reports the first
//! that is not a finite real number, like [`Expr::eval`] does.
//!
//! [`Semantics::Ieee`]: symdiff_expr::Semantics::Ieee
//! [`Expr::eval`]: symdiff_expr::Expr::eval

use crate::accessors::{compiled_accessors, entry_points};
use crate::backend::Backend;
use crate::error::{BatchError, CallError, CompileError};
use crate::function::Function;
use crate::program::Program;
use symdiff_expr::Expr;

entry_points! {
    /// Compiles `expr` into a function of `vars` (in that order).
    ///
    /// # Errors
    /// A variable of `expr` missing from `vars` ([`CompileError::UnknownVariable`], naming it), an
    /// unevaluated derivative ([`CompileError::Derivative`]), a duplicate or invalid name in `vars`.
    ///
    /// ```
    /// use symdiff_codegen::compile;
    /// let f = compile(&symdiff_expr::parse("x1*x2 + x2 - ln(x1)").unwrap(), &["x1", "x2"]).unwrap();
    /// assert!((f.call(&[3.0, -4.0]) - (-17.0986122886681)).abs() < 1e-12);
    /// assert!(compile(&symdiff_expr::parse("x*z").unwrap(), &["x"]).unwrap_err().to_string().contains("`z`"));
    /// ```
    compile,
    /// As [`compile`], run by the given [`Backend`].
    ///
    /// # Errors
    /// As [`compile`].
    ///
    /// ```
    /// use symdiff_codegen::{compile_with, Backend};
    /// let e = symdiff_expr::parse("sin(x)^2 + y").unwrap();
    /// let jit = compile_with(&e, &["x", "y"], Backend::Jit).unwrap();
    /// let interpreter = compile_with(&e, &["x", "y"], Backend::Interpreter).unwrap();
    /// assert_eq!(jit.call(&[0.7, 2.0]).to_bits(), interpreter.call(&[0.7, 2.0]).to_bits());
    /// ```
    compile_with(expr: &Expr, vars: &[&str]; backend) -> Compiled {
        let program = Program::new(std::slice::from_ref(expr), vars)?;
        Ok(Compiled {
            f: Function::new(program, vec![1], backend),
        })
    }
}

entry_points! {
    /// Compiles several expressions of the same variables into one program that computes their
    /// shared subexpressions once.
    ///
    /// # Errors
    /// As [`compile`].
    ///
    /// ```
    /// use symdiff_codegen::compile_many;
    /// use symdiff_expr::parse;
    /// let f = compile_many(&[parse("sin(x)*y").unwrap(), parse("sin(x)+y").unwrap()], &["x", "y"]).unwrap();
    /// assert_eq!(f.program().instructions().len(), 3); // sin(x) once
    /// assert_eq!(f.call(&[0.0, 2.0]), vec![0.0, 2.0]);
    /// ```
    compile_many,
    /// As [`compile_many`], run by the given [`Backend`].
    ///
    /// # Errors
    /// As [`compile`].
    ///
    /// ```
    /// use symdiff_codegen::{compile_many_with, Backend};
    /// let e = [symdiff_expr::parse("x+1").unwrap(), symdiff_expr::parse("x*2").unwrap()];
    /// let f = compile_many_with(&e, &["x"], Backend::Interpreter).unwrap();
    /// assert_eq!(f.call(&[3.0]), vec![4.0, 6.0]);
    /// ```
    compile_many_with(exprs: &[Expr], vars: &[&str]; backend) -> CompiledMany {
        let program = Program::new(exprs, vars)?;
        let segments = vec![program.outputs().len()];
        Ok(CompiledMany {
            f: Function::new(program, segments, backend),
        })
    }
}

/// A compiled scalar function of several variables. Cheap to call from many threads at once
/// (`Send + Sync`) and to clone (clones share the program and the machine code, which is freed
/// when the last clone drops).
///
/// ```
/// use symdiff_codegen::compile;
/// use symdiff_expr::var;
/// let x = var("x");
/// let f = compile(&(4 * (x.cos() + 2 * x - x.exp()).pow(2)), &["x"]).unwrap();
/// assert_eq!(f.call(&[0.0]), 0.0);
/// let g = f.into_closure();
/// assert!((g(&[1.0]) - 4.0 * (1f64.cos() + 2.0 - 1f64.exp()).powi(2)).abs() < 1e-14);
/// ```
#[derive(Debug, Clone)]
pub struct Compiled {
    f: Function,
}

impl Compiled {
    /// The value at `args` (one per variable, in the order given to [`compile`]). Domain errors
    /// follow IEEE 754 (`ln(-1)` is NaN, `1/0` is infinite).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables: the message is
    /// "symdiff compiled function: expected N arguments (x, y), got M". Use
    /// [`try_call`](Self::try_call) to get an error instead.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x/y").unwrap(), &["x", "y"]).unwrap();
    /// assert_eq!(f.call(&[1.0, 4.0]), 0.25);
    /// assert_eq!(f.call(&[1.0, 0.0]), f64::INFINITY);
    /// ```
    #[inline]
    pub fn call(&self, args: &[f64]) -> f64 {
        self.f.call_scalar(args)
    }

    /// The value at `args`, checking the number of arguments and reporting the first argument
    /// or operation that is not a finite real number (as [`Expr::eval`] does).
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Eval`].
    ///
    /// ```
    /// use symdiff_codegen::{compile, CallError};
    /// let f = compile(&symdiff_expr::parse("sqrt(x - 1)").unwrap(), &["x"]).unwrap();
    /// assert_eq!(f.try_call(&[5.0]), Ok(2.0));
    /// assert!(matches!(f.try_call(&[0.0]), Err(CallError::Eval(symdiff_expr::EvalError::Domain { .. }))));
    /// assert!(matches!(f.try_call(&[]), Err(CallError::Arity { expected: 1, found: 0 })));
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<f64, CallError> {
        let mut out = [0.0];
        self.f.try_call(args, &mut [&mut out])?;
        Ok(out[0])
    }

    /// The function as a closure (panics like [`call`](Self::call) on a wrong number of
    /// arguments).
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"]).unwrap();
    /// let f = f.into_closure();
    /// let handle = std::thread::spawn(move || f(&[2.0, 3.0]));
    /// assert_eq!(handle.join().unwrap(), 6.0);
    /// ```
    pub fn into_closure(self) -> impl Fn(&[f64]) -> f64 + Send + Sync + Clone + 'static {
        move |args| self.call(args)
    }

    /// Evaluates at many points: `inputs[v][i]` is variable `v` at point `i`; `out[i]` receives
    /// the value at point `i`. Vectorised over chunks of points; IEEE 754 semantics.
    ///
    /// # Errors
    /// [`BatchError`] when the number or lengths of the slices do not match.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x*y + 1").unwrap(), &["x", "y"]).unwrap();
    /// let (x, y) = ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]);
    /// let mut out = [0.0; 3];
    /// f.eval_batch(&[&x, &y], &mut out).unwrap();
    /// assert_eq!(out, [5.0, 11.0, 19.0]);
    /// ```
    pub fn eval_batch(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), BatchError> {
        self.f.eval_batch(inputs, &mut [out])
    }

    /// As [`eval_batch`](Self::eval_batch), split over the rayon thread pool when there are
    /// enough points (see [`PAR_MIN_POINTS`](crate::PAR_MIN_POINTS)).
    ///
    /// # Errors
    /// As [`eval_batch`](Self::eval_batch).
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("sin(x)").unwrap(), &["x"]).unwrap();
    /// let x: Vec<f64> = (0..100_000).map(|i| i as f64 * 1e-3).collect();
    /// let mut out = vec![0.0; x.len()];
    /// f.eval_batch_par(&[&x], &mut out).unwrap();
    /// assert_eq!(out[1234], (1.234f64).sin());
    /// ```
    pub fn eval_batch_par(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), BatchError> {
        self.f.eval_batch_par(inputs, &mut [out])
    }
}

/// Several compiled functions of the same variables, sharing their common work.
///
/// ```
/// use symdiff_codegen::compile_many;
/// use symdiff_expr::parse;
/// let f = compile_many(&[parse("x+y").unwrap(), parse("x*y").unwrap()], &["x", "y"]).unwrap();
/// let mut out = [0.0; 2];
/// f.call_into(&[2.0, 3.0], &mut out);
/// assert_eq!(out, [5.0, 6.0]);
/// ```
#[derive(Debug, Clone)]
pub struct CompiledMany {
    f: Function,
}

impl CompiledMany {
    /// The number of outputs.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::var("x"); 3], &["x"]).unwrap();
    /// assert_eq!(f.outputs(), 3);
    /// ```
    pub fn outputs(&self) -> usize {
        self.f.program().outputs().len()
    }

    /// All outputs at `args` (IEEE 754 semantics).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables (see [`Compiled::call`]).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x^2").unwrap(), symdiff_expr::parse("-x").unwrap()], &["x"]).unwrap();
    /// assert_eq!(f.call(&[3.0]), vec![9.0, -3.0]);
    /// ```
    pub fn call(&self, args: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.outputs()];
        self.f.call(args, &mut [&mut out]);
        out
    }

    /// All outputs at `args`, written to `out` (no allocation for small programs).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables or `out.len()` from the number of
    /// outputs.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap(), symdiff_expr::parse("x-1").unwrap()], &["x"]).unwrap();
    /// let mut out = [0.0; 2];
    /// f.call_into(&[1.0], &mut out);
    /// assert_eq!(out, [2.0, 0.0]);
    /// ```
    #[inline]
    pub fn call_into(&self, args: &[f64], out: &mut [f64]) {
        self.f.call(args, &mut [out]);
    }

    /// All outputs at `args`, checking arguments and every operation (see
    /// [`Compiled::try_call`]).
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Eval`].
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x").unwrap(), symdiff_expr::parse("1/x").unwrap()], &["x"]).unwrap();
    /// assert_eq!(f.try_call(&[2.0]), Ok(vec![2.0, 0.5]));
    /// assert!(f.try_call(&[0.0]).unwrap_err().to_string().contains("division by zero"));
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<Vec<f64>, CallError> {
        let mut out = vec![0.0; self.outputs()];
        self.f.try_call(args, &mut [&mut out])?;
        Ok(out)
    }

    /// The functions as one closure returning all outputs (panics like [`call`](Self::call)).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x*2").unwrap(), symdiff_expr::parse("x*3").unwrap()], &["x"]).unwrap();
    /// let f = f.into_closure();
    /// assert_eq!(f(&[1.0]), vec![2.0, 3.0]);
    /// ```
    pub fn into_closure(self) -> impl Fn(&[f64]) -> Vec<f64> + Send + Sync + Clone + 'static {
        move |args| self.call(args)
    }

    /// Evaluates every output at many points: `inputs[v][i]` is variable `v` at point `i`;
    /// `outputs[k][i]` receives output `k` at point `i`.
    ///
    /// # Errors
    /// [`BatchError`] when the number or lengths of the slices do not match.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap(), symdiff_expr::parse("2*x").unwrap()], &["x"]).unwrap();
    /// let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
    /// f.eval_batch(&[&[1.0, 2.0]], &mut [&mut a, &mut b]).unwrap();
    /// assert_eq!((a, b), ([2.0, 3.0], [2.0, 4.0]));
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.f.eval_batch(inputs, outputs)
    }

    /// As [`eval_batch`](Self::eval_batch), on the rayon thread pool for large inputs.
    ///
    /// # Errors
    /// As [`eval_batch`](Self::eval_batch).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap()], &["x"]).unwrap();
    /// let x = vec![1.0; 50_000];
    /// let mut y = vec![0.0; 50_000];
    /// f.eval_batch_par(&[&x], &mut [&mut y]).unwrap();
    /// assert!(y.iter().all(|&v| v == 2.0));
    /// ```
    pub fn eval_batch_par(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.f.eval_batch_par(inputs, outputs)
    }
}

compiled_accessors!(
    Compiled,
    "symdiff_codegen::compile(&symdiff_expr::parse(\"x*y\").unwrap(), &[\"x\", \"y\"]).unwrap()"
);
compiled_accessors!(
    CompiledMany,
    "symdiff_codegen::compile_many(&[symdiff_expr::parse(\"x*y\").unwrap()], &[\"x\", \"y\"]).unwrap()"
);
