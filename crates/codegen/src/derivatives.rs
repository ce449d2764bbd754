//! Compiled gradients, Jacobians and Hessians: the symbolic derivatives of `symdiff-rewrite`
//! (extracted together, sharing subexpressions) compiled with the function itself into one
//! program, so that the value and every partial derivative come from one pass that computes
//! each shared subexpression once.

use crate::accessors::{compiled_accessors, entry_points};
use crate::backend::Backend;
use crate::error::{BatchError, CallError, CompileError};
use crate::function::Function;
use crate::program::Program;
use crate::rust_source::{emit, Return};
use symdiff_expr::Expr;
use symdiff_rewrite::Derivatives;

/// Lowers `[value..., entries...]` after checking that `exprs` only use `vars` (before paying
/// for differentiation).
fn program_of(
    exprs: &[Expr],
    vars: &[&str],
    derive: impl FnOnce() -> Result<Vec<Derivatives>, symdiff_rewrite::DiffError>,
) -> Result<Program, CompileError> {
    Program::new(exprs, vars)?;
    let mut all = exprs.to_vec();
    for d in derive()? {
        all.extend_from_slice(&d.entries);
    }
    Program::new(&all, vars)
}

entry_points! {
    /// Compiles `expr` and its gradient with respect to `vars` (the symbolic partial derivatives of
    /// [`symdiff_rewrite::gradient`]) into one program.
    ///
    /// # Errors
    /// As [`compile`](crate::compile), plus [`CompileError::Diff`] when differentiation fails.
    ///
    /// ```
    /// let f = symdiff_expr::parse("x1*x2 + x2 - ln(x1)").unwrap();
    /// let g = symdiff_codegen::compile_gradient(&f, &["x1", "x2"]).unwrap();
    /// let (value, grad) = g.call(&[3.0, -4.0]);
    /// assert!((value + 17.0986122886681).abs() < 1e-12);
    /// assert!((grad[0] - (-4.0 - 1.0 / 3.0)).abs() < 1e-15);
    /// assert_eq!(grad[1], 4.0);
    /// ```
    compile_gradient,
    /// As [`compile_gradient`], run by the given [`Backend`].
    ///
    /// # Errors
    /// As [`compile_gradient`].
    ///
    /// ```
    /// use symdiff_codegen::{compile_gradient_with, Backend};
    /// let f = symdiff_expr::parse("x*y").unwrap();
    /// let g = compile_gradient_with(&f, &["x", "y"], Backend::Interpreter).unwrap();
    /// assert_eq!(g.call(&[2.0, 5.0]), (10.0, vec![5.0, 2.0]));
    /// ```
    compile_gradient_with(expr: &Expr, vars: &[&str]; backend) -> CompiledGradient {
        let program = program_of(std::slice::from_ref(expr), vars, || {
            Ok(vec![symdiff_rewrite::gradient(expr, vars)?])
        })?;
        Ok(CompiledGradient {
            f: Function::new(program, vec![1, vars.len()], backend),
        })
    }
}

entry_points! {
    /// Compiles `exprs` and their Jacobian with respect to `vars` into one program.
    ///
    /// # Errors
    /// As [`compile_gradient`].
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let f = [parse("r*cos(t)").unwrap(), parse("r*sin(t)").unwrap()];
    /// let j = symdiff_codegen::compile_jacobian(&f, &["r", "t"]).unwrap();
    /// let (values, jac) = j.call(&[2.0, 0.0]);
    /// assert_eq!(values, vec![2.0, 0.0]);
    /// assert_eq!(jac, vec![1.0, -0.0, 0.0, 2.0]); // [[cos t, -r sin t], [sin t, r cos t]]
    /// ```
    compile_jacobian,
    /// As [`compile_jacobian`], run by the given [`Backend`].
    ///
    /// # Errors
    /// As [`compile_gradient`].
    ///
    /// ```
    /// use symdiff_codegen::{compile_jacobian_with, Backend};
    /// let f = [symdiff_expr::parse("x*y").unwrap()];
    /// let j = compile_jacobian_with(&f, &["x", "y"], Backend::Interpreter).unwrap();
    /// assert_eq!(j.call(&[2.0, 3.0]), (vec![6.0], vec![3.0, 2.0]));
    /// ```
    compile_jacobian_with(exprs: &[Expr], vars: &[&str]; backend) -> CompiledJacobian {
        let program = program_of(exprs, vars, || {
            Ok(vec![symdiff_rewrite::jacobian(exprs, vars)?])
        })?;
        let m = exprs.len();
        Ok(CompiledJacobian {
            f: Function::new(program, vec![m, m * vars.len()], backend),
            rows: m,
        })
    }
}

entry_points! {
    /// Compiles `expr`, its gradient and its Hessian with respect to `vars` into one program.
    ///
    /// # Errors
    /// As [`compile_gradient`].
    ///
    /// ```
    /// let f = symdiff_expr::parse("x^2*y").unwrap();
    /// let h = symdiff_codegen::compile_hessian(&f, &["x", "y"]).unwrap();
    /// let (value, grad, hess) = h.call(&[3.0, 2.0]);
    /// assert_eq!(value, 18.0);
    /// assert_eq!(grad, vec![12.0, 9.0]);
    /// assert_eq!(hess, vec![4.0, 6.0, 6.0, 0.0]);
    /// ```
    compile_hessian,
    /// As [`compile_hessian`], run by the given [`Backend`].
    ///
    /// # Errors
    /// As [`compile_gradient`].
    ///
    /// ```
    /// use symdiff_codegen::{compile_hessian_with, Backend};
    /// let f = symdiff_expr::parse("x^3").unwrap();
    /// let h = compile_hessian_with(&f, &["x"], Backend::Interpreter).unwrap();
    /// assert_eq!(h.call(&[2.0]), (8.0, vec![12.0], vec![12.0]));
    /// ```
    compile_hessian_with(expr: &Expr, vars: &[&str]; backend) -> CompiledHessian {
        let program = program_of(std::slice::from_ref(expr), vars, || {
            Ok(vec![
                symdiff_rewrite::gradient(expr, vars)?,
                symdiff_rewrite::hessian(expr, vars)?,
            ])
        })?;
        let n = vars.len();
        Ok(CompiledHessian {
            f: Function::new(program, vec![1, n, n * n], backend),
        })
    }
}

/// Emits `pub fn name(x: f64, ...) -> (f64, [f64; N])` returning the value of `expr` and its
/// gradient with respect to `vars` (see [`to_rust_source`](crate::to_rust_source)).
///
/// # Errors
/// As [`to_rust_source`](crate::to_rust_source), plus [`CompileError::Diff`].
///
/// ```
/// let f = symdiff_expr::parse("x*y + sin(x)").unwrap();
/// let src = symdiff_codegen::to_rust_source_gradient("f", &f, &["x", "y"]).unwrap();
/// assert!(src.contains("pub fn f(x: f64, y: f64) -> (f64, [f64; 2]) {"), "{src}");
/// ```
pub fn to_rust_source_gradient(
    name: &str,
    expr: &Expr,
    vars: &[&str],
) -> Result<String, CompileError> {
    Program::new(std::slice::from_ref(expr), vars)?;
    let g = symdiff_rewrite::gradient(expr, vars)?;
    let mut all = vec![*expr];
    all.extend_from_slice(&g.entries);
    emit(name, &all, vars, Return::ValueAndArray)
}

/// A compiled function with its gradient. Program outputs: the value, then `∂f/∂vars[i]`.
///
/// ```
/// let f = symdiff_expr::parse("x^2 + 3*y").unwrap();
/// let g = symdiff_codegen::compile_gradient(&f, &["x", "y"]).unwrap();
/// let mut grad = [0.0; 2];
/// assert_eq!(g.call_into(&[2.0, 1.0], &mut grad), 7.0);
/// assert_eq!(grad, [4.0, 3.0]);
/// ```
#[derive(Debug, Clone)]
pub struct CompiledGradient {
    f: Function,
}

impl CompiledGradient {
    /// The value and the gradient at `args` (IEEE 754 semantics).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables (see
    /// [`Compiled::call`](crate::Compiled::call)).
    ///
    /// ```
    /// let g = symdiff_codegen::compile_gradient(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"]).unwrap();
    /// assert_eq!(g.call(&[2.0, 5.0]), (10.0, vec![5.0, 2.0]));
    /// ```
    pub fn call(&self, args: &[f64]) -> (f64, Vec<f64>) {
        let mut grad = vec![0.0; self.f.arity()];
        let value = self.call_into(args, &mut grad);
        (value, grad)
    }

    /// The value at `args`, writing the gradient into `grad` (no allocation for small
    /// programs).
    ///
    /// # Panics
    /// If `args.len()` or `grad.len()` differs from the number of variables.
    ///
    /// ```
    /// let g = symdiff_codegen::compile_gradient(&symdiff_expr::parse("x^3").unwrap(), &["x"]).unwrap();
    /// let mut grad = [0.0];
    /// assert_eq!(g.call_into(&[2.0], &mut grad), 8.0);
    /// assert_eq!(grad, [12.0]);
    /// ```
    #[inline]
    pub fn call_into(&self, args: &[f64], grad: &mut [f64]) -> f64 {
        assert_eq!(
            grad.len(),
            self.f.arity(),
            "symdiff compiled gradient: the gradient slice must have one element per variable"
        );
        let mut value = [0.0];
        self.f.call(args, &mut [&mut value, grad]);
        value[0]
    }

    /// The value and gradient, checking arguments and every operation (see
    /// [`Compiled::try_call`](crate::Compiled::try_call)).
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Eval`].
    ///
    /// ```
    /// let g = symdiff_codegen::compile_gradient(&symdiff_expr::parse("ln(x)").unwrap(), &["x"]).unwrap();
    /// assert_eq!(g.try_call(&[1.0]), Ok((0.0, vec![1.0])));
    /// assert!(g.try_call(&[0.0]).is_err());
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<(f64, Vec<f64>), CallError> {
        let mut grad = vec![0.0; self.f.arity()];
        let mut value = [0.0];
        self.f.try_call(args, &mut [&mut value, &mut grad])?;
        Ok((value[0], grad))
    }

    /// As a closure returning the value and the gradient.
    ///
    /// ```
    /// let g = symdiff_codegen::compile_gradient(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"]).unwrap();
    /// let g = g.into_closure();
    /// assert_eq!(g(&[1.0, 2.0]).1, vec![2.0, 1.0]);
    /// ```
    pub fn into_closure(
        self,
    ) -> impl Fn(&[f64]) -> (f64, Vec<f64>) + Send + Sync + Clone + 'static {
        move |args| self.call(args)
    }

    /// Evaluates at many points: `outputs[0]` receives the values, `outputs[1 + i]` the partial
    /// derivatives by `vars[i]` (see [`Program::eval_batch`]).
    ///
    /// # Errors
    /// [`BatchError`] when the slices do not match.
    ///
    /// ```
    /// let g = symdiff_codegen::compile_gradient(&symdiff_expr::parse("x^2").unwrap(), &["x"]).unwrap();
    /// let (mut v, mut dx) = ([0.0; 2], [0.0; 2]);
    /// g.eval_batch(&[&[1.0, 3.0]], &mut [&mut v, &mut dx]).unwrap();
    /// assert_eq!((v, dx), ([1.0, 9.0], [2.0, 6.0]));
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.f.eval_batch(inputs, outputs)
    }
}

/// Compiled functions with their Jacobian. Program outputs: the `m` values, then the `m × n`
/// Jacobian row-major (row `i` is the gradient of function `i`).
///
/// ```
/// use symdiff_expr::parse;
/// let j = symdiff_codegen::compile_jacobian(&[parse("x*y").unwrap(), parse("x+y").unwrap()], &["x", "y"]).unwrap();
/// assert_eq!(j.call(&[2.0, 3.0]), (vec![6.0, 5.0], vec![3.0, 2.0, 1.0, 1.0]));
/// ```
#[derive(Debug, Clone)]
pub struct CompiledJacobian {
    f: Function,
    rows: usize,
}

impl CompiledJacobian {
    /// The values and the Jacobian (row-major) at `args` (IEEE 754 semantics).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let j = symdiff_codegen::compile_jacobian(&[parse("x^2").unwrap()], &["x"]).unwrap();
    /// assert_eq!(j.call(&[3.0]), (vec![9.0], vec![6.0]));
    /// ```
    pub fn call(&self, args: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut values = vec![0.0; self.rows];
        let mut jac = vec![0.0; self.rows * self.f.arity()];
        self.call_into(args, &mut values, &mut jac);
        (values, jac)
    }

    /// Writes the values and the Jacobian (row-major) at `args`.
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables, `values.len()` from the number of
    /// functions, or `jacobian.len()` from their product.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let j = symdiff_codegen::compile_jacobian(&[parse("x*y").unwrap()], &["x", "y"]).unwrap();
    /// let (mut v, mut jac) = ([0.0], [0.0; 2]);
    /// j.call_into(&[2.0, 3.0], &mut v, &mut jac);
    /// assert_eq!((v, jac), ([6.0], [3.0, 2.0]));
    /// ```
    #[inline]
    pub fn call_into(&self, args: &[f64], values: &mut [f64], jacobian: &mut [f64]) {
        let (m, n) = (self.rows, self.f.arity());
        assert!(
            values.len() == m && jacobian.len() == m * n,
            "symdiff compiled Jacobian: expected {m} values and {} Jacobian entries, got {} and {}",
            m * n,
            values.len(),
            jacobian.len()
        );
        self.f.call(args, &mut [values, jacobian]);
    }

    /// The values and the Jacobian, checking arguments and every operation.
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Eval`].
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let j = symdiff_codegen::compile_jacobian(&[parse("sqrt(x)").unwrap()], &["x"]).unwrap();
    /// assert_eq!(j.try_call(&[4.0]), Ok((vec![2.0], vec![0.25])));
    /// assert!(j.try_call(&[-4.0]).is_err());
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<(Vec<f64>, Vec<f64>), CallError> {
        let m = self.rows;
        let mut values = vec![0.0; m];
        let mut jac = vec![0.0; m * self.f.arity()];
        self.f.try_call(args, &mut [&mut values, &mut jac])?;
        Ok((values, jac))
    }

    /// The number of functions (rows of the Jacobian).
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let j = symdiff_codegen::compile_jacobian(&[parse("x").unwrap(), parse("y").unwrap()], &["x", "y"]).unwrap();
    /// assert_eq!(j.rows(), 2);
    /// ```
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Evaluates at many points: `outputs[..m]` receive the values, `outputs[m + i*n + j]` the
    /// entry `∂f_i/∂x_j`.
    ///
    /// # Errors
    /// [`BatchError`] when the slices do not match.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let j = symdiff_codegen::compile_jacobian(&[parse("2*x").unwrap()], &["x"]).unwrap();
    /// let (mut v, mut d) = ([0.0; 2], [0.0; 2]);
    /// j.eval_batch(&[&[1.0, 2.0]], &mut [&mut v, &mut d]).unwrap();
    /// assert_eq!((v, d), ([2.0, 4.0], [2.0, 2.0]));
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.f.eval_batch(inputs, outputs)
    }
}

/// A compiled function with its gradient and Hessian (what Newton's method needs). Program
/// outputs: the value, the `n` partial derivatives, then the `n × n` Hessian row-major.
///
/// ```
/// let h = symdiff_codegen::compile_hessian(&symdiff_expr::parse("x*y^2").unwrap(), &["x", "y"]).unwrap();
/// let (v, g, hess) = h.call(&[1.0, 3.0]);
/// assert_eq!((v, g, hess), (9.0, vec![9.0, 6.0], vec![0.0, 6.0, 6.0, 2.0]));
/// ```
#[derive(Debug, Clone)]
pub struct CompiledHessian {
    f: Function,
}

impl CompiledHessian {
    /// The value, the gradient and the Hessian (row-major) at `args` (IEEE 754 semantics).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables.
    ///
    /// ```
    /// let h = symdiff_codegen::compile_hessian(&symdiff_expr::parse("x^3").unwrap(), &["x"]).unwrap();
    /// assert_eq!(h.call(&[2.0]), (8.0, vec![12.0], vec![12.0]));
    /// ```
    pub fn call(&self, args: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let n = self.f.arity();
        let (mut grad, mut hess) = (vec![0.0; n], vec![0.0; n * n]);
        let value = self.call_into(args, &mut grad, &mut hess);
        (value, grad, hess)
    }

    /// The value at `args`, writing the gradient and the Hessian (row-major).
    ///
    /// # Panics
    /// If `args.len()` or `grad.len()` differs from the number of variables `n`, or
    /// `hessian.len()` from `n * n`.
    ///
    /// ```
    /// let h = symdiff_codegen::compile_hessian(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"]).unwrap();
    /// let (mut g, mut hess) = ([0.0; 2], [0.0; 4]);
    /// assert_eq!(h.call_into(&[2.0, 3.0], &mut g, &mut hess), 6.0);
    /// assert_eq!((g, hess), ([3.0, 2.0], [0.0, 1.0, 1.0, 0.0]));
    /// ```
    #[inline]
    pub fn call_into(&self, args: &[f64], grad: &mut [f64], hessian: &mut [f64]) -> f64 {
        let n = self.f.arity();
        assert!(
            grad.len() == n && hessian.len() == n * n,
            "symdiff compiled Hessian: expected {n} gradient and {} Hessian entries, got {} and {}",
            n * n,
            grad.len(),
            hessian.len()
        );
        let mut value = [0.0];
        self.f.call(args, &mut [&mut value, grad, hessian]);
        value[0]
    }

    /// The value, gradient and Hessian, checking arguments and every operation.
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Eval`].
    ///
    /// ```
    /// let h = symdiff_codegen::compile_hessian(&symdiff_expr::parse("ln(x)").unwrap(), &["x"]).unwrap();
    /// assert_eq!(h.try_call(&[1.0]), Ok((0.0, vec![1.0], vec![-1.0])));
    /// assert!(h.try_call(&[1.0, 2.0]).is_err());
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<(f64, Vec<f64>, Vec<f64>), CallError> {
        let n = self.f.arity();
        let (mut grad, mut hess) = (vec![0.0; n], vec![0.0; n * n]);
        let mut value = [0.0];
        self.f
            .try_call(args, &mut [&mut value, &mut grad, &mut hess])?;
        Ok((value[0], grad, hess))
    }

    /// Evaluates at many points: `outputs[0]` the values, `outputs[1..=n]` the gradient,
    /// `outputs[1 + n + i*n + j]` the Hessian entry `(i, j)`.
    ///
    /// # Errors
    /// [`BatchError`] when the slices do not match.
    ///
    /// ```
    /// let h = symdiff_codegen::compile_hessian(&symdiff_expr::parse("x^2").unwrap(), &["x"]).unwrap();
    /// let (mut v, mut g, mut hh) = ([0.0; 1], [0.0; 1], [0.0; 1]);
    /// h.eval_batch(&[&[3.0]], &mut [&mut v, &mut g, &mut hh]).unwrap();
    /// assert_eq!((v, g, hh), ([9.0], [6.0], [2.0]));
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.f.eval_batch(inputs, outputs)
    }
}

compiled_accessors!(
    CompiledGradient,
    "symdiff_codegen::compile_gradient(&symdiff_expr::parse(\"x*y\").unwrap(), &[\"x\", \"y\"]).unwrap()"
);
compiled_accessors!(
    CompiledJacobian,
    "symdiff_codegen::compile_jacobian(&[symdiff_expr::parse(\"x*y\").unwrap()], &[\"x\", \"y\"]).unwrap()"
);
compiled_accessors!(
    CompiledHessian,
    "symdiff_codegen::compile_hessian(&symdiff_expr::parse(\"x*y\").unwrap(), &[\"x\", \"y\"]).unwrap()"
);
