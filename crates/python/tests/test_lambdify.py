"""lambdify: scalars and NumPy batches, shapes, broadcasting, no copies of the inputs, the GIL
released during evaluation, agreement with the interpreter and with SymPy's lambdify."""

import threading
import time
import tracemalloc

import numpy as np
import pytest

import symdiff
from conftest import FUNCTIONS


def points(n, seed=3):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.3, 1.9, n), rng.uniform(0.3, 1.9, n)


@pytest.mark.parametrize("text", FUNCTIONS)
def test_batch_equals_scalar_calls_and_eval(text):
    f = symdiff.parse(text)
    grad = symdiff.gradient(f, ["x", "y"])
    g = symdiff.lambdify(["x", "y"], grad)
    xs, ys = points(1000)
    batch = g(xs, ys)
    assert batch.shape == (2, 1000) and batch.dtype == np.float64
    for i in range(0, 1000, 97):
        scalar = g(float(xs[i]), float(ys[i]))
        assert scalar.shape == (2,)
        np.testing.assert_array_equal(batch[:, i], scalar)
        for k in range(2):
            assert batch[k, i] == pytest.approx(
                grad[k].eval(x=xs[i], y=ys[i]), rel=1e-13, abs=1e-13
            )


def test_single_expression_returns_float_and_array():
    f = symdiff.lambdify("x", "x*sin(x)")
    value = f(0.5)
    assert type(value) is float and value == pytest.approx(0.5 * np.sin(0.5), rel=1e-15)
    assert f(np.float64(0.5)) == value
    assert f(2) == pytest.approx(2 * np.sin(2))
    out = f(np.array([0.5, 1.0]))
    assert out.shape == (2,)
    assert f.vars == ["x"] and f.shape == () and len(f.exprs) == 1


def test_shapes_broadcasting_and_conversions():
    g = symdiff.lambdify(["x", "y"], [["x + y", "x*y"], ["x - y", "y"]])
    assert g.shape == (2, 2)
    xs = np.arange(6.0).reshape(2, 3)
    out = g(xs, 10.0)
    assert out.shape == (2, 2, 2, 3)
    np.testing.assert_array_equal(out[0, 1], xs * 10)
    # Broadcasting of different shapes, lists, ints, float32, non-contiguous views.
    col = np.arange(3.0).reshape(3, 1)
    row = np.arange(4.0).reshape(1, 4)
    np.testing.assert_array_equal(g(col, row)[0, 0], col + row)
    np.testing.assert_array_equal(g([1, 2], [3, 4])[0, 1], [3.0, 8.0])
    np.testing.assert_array_equal(
        g(np.float32([1, 2]), np.arange(4.0)[::2])[1, 0], [1.0, 0.0]
    )
    assert g(1.0, 2.0).shape == (2, 2)
    assert g(np.array(1.0), np.array(2.0)).shape == (2, 2)
    assert g(np.zeros(0), np.zeros(0)).shape == (2, 2, 0)
    with pytest.raises(ValueError):
        g(np.zeros(3), np.zeros(4))


def test_inputs_are_not_copied():
    g = symdiff.lambdify(["x", "y"], symdiff.gradient("x^2*y + sin(x*y)", ["x", "y"]))
    xs, ys = points(500_000)
    g(xs, ys)  # warm up (imports, thread pool)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = g(xs, ys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Only the output is allocated: copies of the two inputs would add 8 MB.
    assert out.nbytes == 8_000_000
    assert peak < out.nbytes + 1_000_000, peak


def test_gil_is_released_during_batch_evaluation():
    f = symdiff.lambdify(["x"], "sin(x)*exp(cos(x))*tanh(x)", parallel=False)
    big = np.linspace(0.0, 1.0, 3_000_000)
    window = {}

    def work():
        window["start"] = time.perf_counter()
        f(big)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=work)
    stamps = []
    thread.start()
    while thread.is_alive():
        stamps.append(time.perf_counter())
    thread.join()
    inside = sum(window["start"] < s < window["end"] for s in stamps)
    # With the GIL held for the whole call this loop could not run during it.
    assert inside > 100, (inside, window["end"] - window["start"])


def test_parallel_and_serial_agree():
    text = "sin(x)*exp(-y^2) + x/y"
    xs, ys = points(100_000)
    a = symdiff.lambdify(["x", "y"], text)(xs, ys)
    b = symdiff.lambdify(["x", "y"], text, parallel=False)(xs, ys)
    np.testing.assert_array_equal(a, b)


def test_agrees_with_sympy_lambdify():
    sympy = pytest.importorskip("sympy")
    xs, ys = points(2000)
    for text in FUNCTIONS:
        grad = symdiff.gradient(text, ["x", "y"])
        ours = symdiff.lambdify(["x", "y"], grad)(xs, ys)
        sx, sy = sympy.symbols("x y", real=True)
        theirs = sympy.lambdify((sx, sy), [g.to_sympy() for g in grad], "numpy")(xs, ys)
        theirs = np.array([np.broadcast_to(t, xs.shape) for t in theirs], dtype=float)
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_program_introspection():
    g = symdiff.lambdify(["x", "y"], ["sin(x)*y", "sin(x) + y"])
    assert g.instructions == 3  # sin(x) once
    assert "sin(r0)" in g.program()
    assert "Lambdified(" in repr(g)


def test_misaligned_arrays_are_accepted():
    # Arrays received over a network (Dask's workers) can be contiguous but misaligned.
    raw = np.zeros(8 * 100 + 1, dtype=np.uint8)
    misaligned = raw[1:].view(np.float64)
    assert not misaligned.flags.aligned
    misaligned[:] = np.linspace(0.0, 1.0, 100)
    f = symdiff.lambdify("x", "x*sin(x)")
    np.testing.assert_array_equal(f(misaligned), f(np.linspace(0.0, 1.0, 100)))
