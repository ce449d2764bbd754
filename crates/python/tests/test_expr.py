"""Expr: building, operators, printing, evaluation, functions."""

import math

import pytest

import symdiff
from conftest import FUNCTIONS


def test_parse_and_str_read_back():
    for text in FUNCTIONS:
        e = symdiff.parse(text)
        assert symdiff.parse(str(e)) == e
        assert symdiff.Expr(text) == e


def test_operators_with_numbers_and_exprs(x, y):
    assert str(x + 1) == "x + 1"
    assert str(1 + x) == "1 + x"
    assert str(2 * x - y / 3) == "2*x - y/3"
    assert str(x**2) == "x^2"
    assert str(2**x) == "2^x"
    assert str(-x) == "-x"
    assert +x == x
    assert x + 0.1 == symdiff.parse("x + 0.1")  # floats are read as their decimal text
    assert (x + 10**30) == symdiff.parse("x + 1000000000000000000000000000000")
    assert (x * y).eval(x=3, y=4) == 12.0


def test_equality_is_structural_and_hashable(x, y):
    assert x * y == symdiff.parse("x*y")
    assert x * y != y * x
    assert x != 1
    assert symdiff.parse("2") == 2
    assert len({x + 1, symdiff.parse("x+1"), x + 2}) == 2
    assert (x == "x") is False  # strings are not parsed by ==
    assert (x == float("nan")) is False
    assert x != float("inf")


def test_unsupported_operands_are_type_errors(x):
    with pytest.raises(TypeError):
        x + "y"
    with pytest.raises(TypeError):
        x * [1]
    with pytest.raises(TypeError):
        pow(x, 2, 3)


def test_division_by_constant_zero(x):
    with pytest.raises(ZeroDivisionError):
        x / 0


def test_repr_latex_and_sexp(x):
    f = x * symdiff.sin(x)
    assert repr(f) == "Expr('x*sin(x)')"
    assert eval(repr(f), {"Expr": symdiff.Expr}) == f
    assert f._repr_latex_().startswith("$") and "\\sin" in f._repr_latex_()
    assert f.sexp() == "(* x (sin x))"


def test_eval_keywords_dict_and_float(x, y):
    f = symdiff.parse("x1*x2 + x2 - ln(x1)")
    assert math.isclose(f.eval(x1=3, x2=-4), -17.0986122886681, rel_tol=1e-12)
    assert math.isclose(f.eval({"x1": 3}, x2=-4), -17.0986122886681, rel_tol=1e-12)
    assert float(symdiff.sqrt(2)) == math.sqrt(2)
    assert float(symdiff.pi) == math.pi


def test_functions_follow_the_language():
    names = symdiff.function_names()
    assert {"sin", "cos", "exp", "ln", "sqrt", "tanh"} <= set(names)
    for name in names:
        f = getattr(symdiff, name)
        assert f.__doc__ and name in f.__doc__
        assert str(f(symdiff.var("x"))) == f"{name}(x)"
    assert symdiff.log(symdiff.var("x")) == symdiff.ln(symdiff.var("x"))
    assert math.isclose(float(symdiff.exp(1)), math.e)


def test_structure_views(x, y):
    f = symdiff.sin(x) * (y + 1)
    assert f.op == "*"
    assert f.args == (symdiff.sin(x), y + 1)
    assert f.args[0].op == "sin" and f.args[0].args == (x,)
    assert x.op == "var" and x.name == "x"
    third = symdiff.parse("1/3")
    assert third.op == "num" and third.name == "1/3"
    assert symdiff.pi.op == "const" and symdiff.pi.name == "pi"
    assert f.variables == ["x", "y"]
    nodes = f.nodes()
    assert nodes[-1][0] == "*" and len(nodes) == 6


def test_metrics_count_shared_nodes_once(x):
    f = (x + 1) * (x + 1)
    m = f.metrics()
    assert (m["tree"], m["dag"], m["depth"]) == (7, 4, 3)


def test_symbols_and_var():
    a, b = symdiff.symbols("a, b")
    assert str(a + b) == "a + b"
    assert symdiff.symbols("t") == symdiff.var("t")
    for bad in ["x+y", "sin", "pi", "1x", "", "θ"]:
        with pytest.raises(ValueError):
            symdiff.var(bad)


def test_apply_is_generic(x):
    assert symdiff.apply("+", x, 1) == x + 1
    assert symdiff.apply("cos", 0) == symdiff.cos(0)
    with pytest.raises(ValueError):
        symdiff.apply("nosuchfunction", x)
    with pytest.raises(ValueError):
        symdiff.apply("sin", x, x)
    with pytest.raises(TypeError):
        symdiff.apply("sin")
