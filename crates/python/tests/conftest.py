"""Shared helpers of the pytest suite (the package must be installed: pip install ./crates/python)."""

import math
import random

import pytest

import symdiff

# Expressions over x and y, defined where x in [0.2, 2] and y in [0.2, 2] (the sampler's box).
FUNCTIONS = [
    "4*(cos(x) + 2*x - exp(x))^2",
    "x*y + y - ln(x)",
    "sin(x*y)/(1 + x^2) + sqrt(x + y)",
    "exp(-x^2)*tanh(y) - atan(x/y)",
    "(x + y)^3*cosh(x - y) + asin(x/3)",
    "x^y + y^x",
    "1/(x*y) - tan(x/2)*sinh(y)",
]


def central_difference(f, point, var, h=1e-6):
    """The central difference of f (a Python function of a dict) in `var` at `point`."""
    up = dict(point)
    down = dict(point)
    up[var] += h
    down[var] -= h
    return (f(up) - f(down)) / (2 * h)


def close(a, b, rel=1e-6, abs_=1e-8):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@pytest.fixture
def rng():
    return random.Random(12)


@pytest.fixture
def x():
    return symdiff.var("x")


@pytest.fixture
def y():
    return symdiff.var("y")
