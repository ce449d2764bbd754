"""SymPy interop: to_sympy and from_sympy round trips, and derivatives that agree with SymPy's."""

import math
import random

import pytest

import symdiff
from conftest import FUNCTIONS

sympy = pytest.importorskip("sympy")


def sympy_value(e, point):
    subs = {sympy.Symbol(k, real=True): v for k, v in point.items()}
    return float(e.evalf(subs=subs))


@pytest.mark.parametrize("text", FUNCTIONS + ["-x/y + 2^(-x)", "x^(1/3) - pi*e + 0.25"])
def test_round_trip_through_sympy(text):
    f = symdiff.parse(text)
    s = f.to_sympy()
    back = symdiff.from_sympy(s)
    rng = random.Random(5)
    for _ in range(5):
        point = {"x": rng.uniform(0.3, 1.9), "y": rng.uniform(0.3, 1.9)}
        expected = f.eval(point)
        assert math.isclose(sympy_value(s, point), expected, rel_tol=1e-12)
        assert math.isclose(back.eval(point), expected, rel_tol=1e-12)


def test_exact_constants_and_names():
    s = symdiff.parse("x/3 + ln(x) + pi*e").to_sympy()
    x = sympy.Symbol("x", real=True)
    assert s == x / 3 + sympy.log(x) + sympy.pi * sympy.E
    assert symdiff.to_sympy(symdiff.parse("1/3")) == sympy.Rational(1, 3)
    assert symdiff.from_sympy(sympy.Rational(-3, 4) * x) == -symdiff.parse("3/4") * symdiff.var("x")
    assert symdiff.from_sympy(sympy.Float("0.1")) == symdiff.parse("0.1")
    assert symdiff.from_sympy(sympy.Integer(10) ** 40) == symdiff.parse("1" + "0" * 40)
    assert symdiff.from_sympy("sin(x)**2") == symdiff.parse("sin(x)^2")
    assert str(symdiff.from_sympy(x / sympy.Symbol("y") - x)) in {"x/y - x", "-x + x/y"}


def test_derivatives_agree_with_sympy():
    rng = random.Random(9)
    for text in FUNCTIONS:
        f = symdiff.parse(text)
        s = f.to_sympy()
        for v in ["x", "y"]:
            ours = symdiff.d(f, v)
            theirs = sympy.diff(s, sympy.Symbol(v, real=True))
            for _ in range(3):
                point = {"x": rng.uniform(0.3, 1.9), "y": rng.uniform(0.3, 1.9)}
                assert math.isclose(
                    ours.eval(point), sympy_value(theirs, point), rel_tol=1e-10, abs_tol=1e-12
                )


def test_deep_sympy_expression_converts_without_recursion():
    x = sympy.Symbol("x")
    e = x
    for _ in range(3000):  # deeper than Python's recursion limit
        e = sympy.sin(e, evaluate=False)
    f = symdiff.from_sympy(e)
    assert f.metrics()["depth"] == 3001


def test_unsupported_constructs_are_value_errors():
    x = sympy.Symbol("x")
    with pytest.raises(ValueError, match="zeta"):
        symdiff.from_sympy(sympy.zeta(x))
    with pytest.raises(ValueError):
        symdiff.from_sympy(sympy.I * x)
