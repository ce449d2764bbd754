"""Evaluate a compiled symbolic gradient over a large dask.array on a Dask cluster.

symdiff differentiates the function once, compiles the gradient into one straight-line program
(``symdiff.lambdify``), and Dask ships that compiled function -- pickled as its expressions,
recompiled on each worker -- to every block of the input arrays. Each block is evaluated by
symdiff's batch evaluator with the GIL released.

Run it on a local cluster (one process per worker)::

    python examples/python/dask_gradient.py --points 20000000 --chunk 1000000 --workers 2

or on a real cluster by giving its scheduler's address (the same code runs there; the workers
need ``pip install ./crates/python``)::

    python examples/python/dask_gradient.py --scheduler tcp://scheduler:8786 --points 1000000000
"""

import argparse
import time

import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

import symdiff

# A smooth function of two variables: Rosenbrock's valley plus an oscillating bump.
FUNCTION = "(1 - x)^2 + 100*(y - x^2)^2 + sin(x*y)*exp(-(x^2 + y^2)/4)"
VARIABLES = ["x", "y"]


def compiled_gradient():
    """The gradient of FUNCTION as one compiled function of (x, y) returning shape (2, n).

    parallel=False: Dask already runs one task per worker thread, so each block is evaluated on
    the thread that runs it.
    """
    gradient = symdiff.gradient(FUNCTION, VARIABLES)
    return symdiff.lambdify(VARIABLES, gradient, parallel=False)


def numpy_gradient(x, y):
    """The same gradient written by hand in NumPy (to check the compiled one)."""
    bump = np.exp(-(x**2 + y**2) / 4)
    dx = -2 * (1 - x) - 400 * x * (y - x**2) + (y * np.cos(x * y) - x / 2 * np.sin(x * y)) * bump
    dy = 200 * (y - x**2) + (x * np.cos(x * y) - y / 2 * np.sin(x * y)) * bump
    return np.stack([dx, dy])


def gradient_over(x, y, grad):
    """The gradient at every point of the 1-D dask arrays x and y: a (2, n) dask array."""
    return da.map_blocks(
        grad, x, y, new_axis=0, chunks=((2,), x.chunks[0]), dtype=np.float64
    )


def run(client, points, chunk, seed=0):
    """Evaluates the gradient at `points` random points in blocks of `chunk`; returns
    (mean gradient norm, largest difference from the NumPy gradient on the first block,
    seconds)."""
    grad = compiled_gradient()
    rng = da.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=points, chunks=chunk)
    y = rng.uniform(-1.0, 3.0, size=points, chunks=chunk)
    g = gradient_over(x, y, grad)
    start = time.perf_counter()
    mean_norm = float(da.sqrt((g**2).sum(axis=0)).mean().compute())
    seconds = time.perf_counter() - start
    xb, yb = x.blocks[0].compute(), y.blocks[0].compute()
    check = float(np.max(np.abs(g.blocks[:, 0].compute() - numpy_gradient(xb, yb))))
    return mean_norm, check, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers")
    parser.add_argument("--scheduler", help="address of an existing cluster's scheduler")
    args = parser.parse_args(argv)
    if args.scheduler:
        with Client(args.scheduler) as client:
            result = run(client, args.points, args.chunk)
    else:
        with LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster, Client(cluster) as client:
            result = run(client, args.points, args.chunk)
    mean_norm, check, seconds = result
    print(f"gradient of {FUNCTION}")
    print(f"{args.points} points in blocks of {args.chunk}: {seconds:.2f} s")
    print(f"mean |grad| = {mean_norm:.6f}; max |symdiff - numpy| on block 0 = {check:.2e}")
    return result


if __name__ == "__main__":
    main()
