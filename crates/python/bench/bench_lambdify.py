"""Benchmark of symdiff's Python package (figures for the README's Python section).

1. A gradient evaluated at 10^6 points: ``symdiff.lambdify`` (thread pool, and one thread)
   against the same batch evaluator called from Rust (no Python in the timed region), and
   against SymPy's ``lambdify`` with NumPy on the same derivative (symdiff's, converted with
   ``to_sympy``) and on SymPy's own ``diff`` (with and without ``cse=True``).
2. The call overhead of a compiled scalar function from Python.

Run after ``pip install ./crates/python`` (with sympy)::

    python crates/python/bench/bench_lambdify.py            # 10^6 points, best of 7
    python crates/python/bench/bench_lambdify.py --points 100000 --repeats 3

Every time is the best of ``--repeats`` runs (wall clock, ``time.perf_counter``); the evaluators
run in turn within each round, so that the load of a shared machine hits them alike.
"""

import argparse
import os
import platform
import timeit

import numpy as np
import sympy

import symdiff
from symdiff import _symdiff

FUNCTIONS = {
    "rosenbrock+bump (x, y)": (
        "(1 - x)^2 + 100*(y - x^2)^2 + sin(x*y)*exp(-(x^2 + y^2)/4)",
        ["x", "y"],
    ),
    "seed example, 3 vars (x, y, z)": (
        "4*(cos(x) + 2*y - exp(z))^2 + x*y*z - ln(1 + x^2)*tanh(y*z)",
        ["x", "y", "z"],
    ),
}


def wall(call):
    """A timer for `call`: returns its wall-clock seconds."""

    def timed():
        start = timeit.default_timer()
        call()
        return timeit.default_timer() - start

    return timed


def round_robin(timers, repeats):
    """Best time of each timer, running them in turn `repeats` times, so that the load of a
    shared machine hits every evaluator alike."""
    times = [[] for _ in timers]
    for _ in range(repeats):
        for slot, timer in zip(times, timers):
            slot.append(timer())
    return [min(t) for t in times]


def bench_gradient(name, text, names, points, repeats):
    rng = np.random.default_rng(1)
    inputs = [rng.uniform(0.5, 1.5, points) for _ in names]
    grad = symdiff.gradient(text, names)
    g_par = symdiff.lambdify(names, grad)
    g_one = symdiff.lambdify(names, grad, parallel=False)
    symbols = [sympy.Symbol(n, real=True) for n in names]
    same = sympy.lambdify(symbols, [e.to_sympy() for e in grad], "numpy")
    f_sym = symdiff.parse(text).to_sympy()
    own = [sympy.diff(f_sym, s) for s in symbols]
    own_plain = sympy.lambdify(symbols, own, "numpy")
    own_cse = sympy.lambdify(symbols, own, "numpy", cse=True)

    ours = g_par(*inputs)
    for other in (same, own_plain, own_cse):
        theirs = np.array([np.broadcast_to(t, (points,)) for t in other(*inputs)])
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)

    labels_and_timers = [
        ("symdiff.lambdify (thread pool)", wall(lambda: g_par(*inputs))),
        ("symdiff.lambdify (parallel=False)", wall(lambda: g_one(*inputs))),
        (
            "Rust batch path, eval_batch_par",
            lambda: _symdiff._time_rust_batch(g_par, inputs, 1)[0],
        ),
        (
            "Rust batch path, eval_batch",
            lambda: _symdiff._time_rust_batch(g_par, inputs, 1, parallel=False)[0],
        ),
        ("SymPy lambdify (NumPy), same derivative", wall(lambda: same(*inputs))),
        ("SymPy lambdify (NumPy), sympy.diff", wall(lambda: own_plain(*inputs))),
        ("SymPy lambdify (NumPy, cse=True), sympy.diff", wall(lambda: own_cse(*inputs))),
    ]
    times = round_robin([t for _, t in labels_and_timers], repeats)
    rows = [(label, t) for (label, _), t in zip(labels_and_timers, times)]
    print(f"\n### Gradient of {name}: `{text}`, {points:,} points\n")
    print(f"symdiff program: {g_par.instructions} instructions for {len(names)} outputs\n")
    print("| evaluator | time (ms) | ns per point | vs symdiff.lambdify |")
    print("|---|---:|---:|---:|")
    base = rows[0][1]
    for label, seconds in rows:
        print(
            f"| {label} | {seconds * 1e3:.1f} | {seconds / points * 1e9:.1f} | {seconds / base:.2f}x |"
        )
    par, one, rust_par, rust_one = (r[1] for r in rows[:4])
    print(
        f"\nPython over Rust: {par / rust_par:.3f}x (thread pool), {one / rust_one:.3f}x (one thread)"
    )


def bench_call_overhead(number):
    identity = symdiff.lambdify("x", "x")
    small = symdiff.lambdify("x", "x*sin(x)")
    two = symdiff.lambdify(["x", "y"], "x*y + 1")
    x = sympy.Symbol("x")
    sympy_math = sympy.lambdify(x, x * sympy.sin(x), "math")

    def python_identity(v):
        return v

    rows = [
        ("symdiff: lambdify('x', 'x')(0.5)", "f(0.5)", identity),
        ("symdiff: lambdify('x', 'x*sin(x)')(0.5)", "f(0.5)", small),
        ("symdiff: lambdify(['x','y'], 'x*y + 1')(0.5, 2.0)", "f(0.5, 2.0)", two),
        ("Python: def f(v): return v; f(0.5)", "f(0.5)", python_identity),
        ("SymPy: lambdify(x, x*sin(x), 'math')(0.5)", "f(0.5)", sympy_math),
    ]
    print(f"\n### Scalar call overhead ({number:,} calls, best of 5)\n")
    print("| call | ns per call |")
    print("|---|---:|")
    for label, statement, function in rows:
        seconds = min(timeit.repeat(statement, globals={"f": function}, number=number, repeat=5))
        print(f"| {label} | {seconds / number * 1e9:.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--calls", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, SymPy {sympy.__version__},"
        f" {os.cpu_count()} CPUs"
    )
    for name, (text, names) in FUNCTIONS.items():
        bench_gradient(name, text, names, args.points, args.repeats)
    bench_call_overhead(args.calls)


if __name__ == "__main__":
    main()
