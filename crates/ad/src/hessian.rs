//! Second derivatives with [`HyperDual`] numbers: one pass per Hessian entry of the upper
//! triangle (`n(n+1)/2` passes), each exact up to rounding — no step size, no cancellation.

use crate::error::AdError;
use crate::eval::WengertList;
use crate::hyper_dual::HyperDual;
use serde::Serialize;
use symdiff_expr::{Expr, Point};

/// A value, its gradient and its Hessian.
///
/// ```
/// let h = symdiff_ad::hessian(symdiff_expr::parse("x^2*y").unwrap(), &"x=1,y=2".parse().unwrap()).unwrap();
/// assert_eq!((h.value, h.gradient.clone()), (2.0, vec![4.0, 1.0]));
/// assert_eq!(h.matrix, vec![vec![4.0, 2.0], vec![2.0, 0.0]]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hessian {
    /// The function value.
    pub value: f64,
    /// The variables, in the order of the rows and columns.
    pub vars: Vec<String>,
    /// The gradient.
    pub gradient: Vec<f64>,
    /// The symmetric matrix of second partial derivatives, row by row.
    pub matrix: Vec<Vec<f64>>,
}

impl WengertList {
    /// The second partial derivative `∂²f/∂x_i∂x_j` of the first output at `inputs`, in one
    /// hyper-dual pass.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("x^2*y^3").unwrap()).unwrap();
    /// assert_eq!(p.second_derivative(&[1.0, 2.0], 0, 1).unwrap(), 2.0 * 3.0 * 4.0);
    /// ```
    pub fn second_derivative(&self, inputs: &[f64], i: usize, j: usize) -> Result<f64, AdError> {
        Ok(self.hyper_pass(inputs, i, j)?.e12)
    }

    fn hyper_pass(&self, inputs: &[f64], i: usize, j: usize) -> Result<HyperDual, AdError> {
        let n = inputs.len();
        if i >= n || j >= n {
            return Err(AdError::Length {
                what: "inputs (index out of range)",
                expected: i.max(j) + 1,
                found: n,
            });
        }
        let seeded: Vec<HyperDual> = inputs
            .iter()
            .enumerate()
            .map(|(k, &x)| HyperDual::seeded(x, k, i, j))
            .collect();
        self.eval(&seeded)
    }

    /// The value, gradient and Hessian of the first output at `inputs`.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("x*y + sin(x)").unwrap()).unwrap();
    /// let (v, g, h) = p.hessian(&[0.0, 2.0]).unwrap();
    /// assert_eq!((v, g), (0.0, vec![3.0, 0.0]));
    /// assert_eq!(h, vec![vec![0.0, 1.0], vec![1.0, 0.0]]);
    /// ```
    #[allow(clippy::type_complexity, clippy::needless_range_loop)]
    pub fn hessian(&self, inputs: &[f64]) -> Result<(f64, Vec<f64>, Vec<Vec<f64>>), AdError> {
        self.check_inputs(inputs.len())?;
        let n = inputs.len();
        let mut value = 0.0;
        if n == 0 {
            value = self.eval::<f64>(inputs)?;
        }
        let mut gradient = vec![0.0; n];
        let mut matrix = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in i..n {
                let h = self.hyper_pass(inputs, i, j)?;
                if i == j {
                    value = h.re;
                    gradient[i] = h.e1;
                }
                matrix[i][j] = h.e12;
                matrix[j][i] = h.e12;
            }
        }
        Ok((value, gradient, matrix))
    }
}

/// The value, gradient and Hessian of `expr` at `point` (variables sorted by name).
///
/// ```
/// use symdiff_ad::hessian;
/// use symdiff_expr::parse;
/// // Rosenbrock at its minimum (1, 1): Hessian [[802, -400], [-400, 200]]
/// let f = parse("(1 - x)^2 + 100*(y - x^2)^2").unwrap();
/// let h = hessian(f, &"x=1, y=1".parse().unwrap()).unwrap();
/// assert_eq!(h.gradient, vec![0.0, 0.0]);
/// assert_eq!(h.matrix, vec![vec![802.0, -400.0], vec![-400.0, 200.0]]);
/// ```
pub fn hessian(expr: Expr, point: &Point) -> Result<Hessian, AdError> {
    let program = WengertList::new(expr)?;
    let inputs = program.inputs(point)?;
    let (value, gradient, matrix) = program.hessian(&inputs)?;
    Ok(Hessian {
        value,
        vars: program.vars().to_vec(),
        gradient,
        matrix,
    })
}
