"""Expressions and compiled functions pickle by value (the expression, never a handle), so
they can be shipped to other processes."""

import multiprocessing
import pickle

import numpy as np

import symdiff


def test_expr_pickles_by_value():
    x = symdiff.var("x")
    f = x
    for _ in range(12):
        f = 4 * f * (1 - f)  # a DAG whose tree has thousands of nodes
    for e in [f, symdiff.parse("x^(1/3) + 0.1 - pi*e"), symdiff.var("t"), symdiff.d(f, "x")]:
        data = pickle.dumps(e)
        assert pickle.loads(data) == e
    assert len(pickle.dumps(f)) < 10_000


def test_lambdified_pickles_and_recompiles():
    g = symdiff.lambdify(["x", "y"], [["x*y", "sin(x)"], ["y", "x + y"]], parallel=False)
    h = pickle.loads(pickle.dumps(g))
    xs = np.linspace(0, 1, 7)
    np.testing.assert_array_equal(g(xs, 2.0), h(xs, 2.0))
    assert h.vars == g.vars and h.shape == g.shape and h.exprs == g.exprs


def _evaluate_in_child(payload):
    f, expr = pickle.loads(payload)
    return f(np.array([0.25, 0.5])).tolist(), str(expr), expr.eval(x=0.25)


def test_a_fresh_process_rebuilds_them():
    df = symdiff.d("x*exp(sin(x))", "x")
    f = symdiff.lambdify("x", df)
    payload = pickle.dumps((f, df))
    context = multiprocessing.get_context("spawn")  # a new interpreter: a new expression store
    with context.Pool(1) as pool:
        values, text, value = pool.apply(_evaluate_in_child, (payload,))
    assert values == f(np.array([0.25, 0.5])).tolist()
    assert text == str(df)
    assert value == df.eval(x=0.25)
