//! The Rust side of the benchmark in `bench/bench_lambdify.py`: times the batch evaluator of
//! `symdiff-codegen` called from Rust on copies of the benchmark's inputs, so the Python
//! overhead of `Lambdified.__call__` can be measured against the same work without Python.

use crate::lambdify::Lambdified;
use numpy::{PyReadonlyArray1, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::time::Instant;

/// `_time_rust_batch(f, inputs, repeats, parallel=True)`: seconds of each of `repeats` calls of
/// the Rust batch path (`CompiledMany::eval_batch_par`, or `eval_batch`) of the compiled `f` on
/// `inputs` (one 1-D float64 array per variable, copied into Rust vectors before timing).
/// Benchmark support, not API.
#[pyfunction]
#[pyo3(signature = (f, inputs, repeats, parallel=true))]
pub fn _time_rust_batch(
    py: Python<'_>,
    f: &Lambdified,
    inputs: Vec<PyReadonlyArray1<'_, f64>>,
    repeats: usize,
    parallel: bool,
) -> PyResult<Vec<f64>> {
    let columns: Vec<Vec<f64>> = inputs
        .iter()
        .map(|a| a.as_slice().map(<[f64]>::to_vec))
        .collect::<Result<_, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let points = inputs.first().map_or(0, |a| a.len());
    let compiled = f.compiled();
    py.detach(|| {
        let ins: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let mut outs = vec![vec![0.0; points]; compiled.outputs()];
        let mut times = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let mut refs: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
            let start = Instant::now();
            let result = if parallel {
                compiled.eval_batch_par(&ins, &mut refs)
            } else {
                compiled.eval_batch(&ins, &mut refs)
            };
            times.push(start.elapsed().as_secs_f64());
            result.map_err(|e| PyValueError::new_err(e.to_string()))?;
        }
        Ok(times)
    })
}
