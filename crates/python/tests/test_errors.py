"""Errors are Python exceptions: ParseError (ValueError) with the caret message, DomainError
(ValueError and ArithmeticError) naming the operation, TypeError for wrong argument counts."""

import pytest

import symdiff


def test_parse_error_is_a_value_error_with_a_caret():
    with pytest.raises(ValueError) as info:
        symdiff.parse("x + * 2")
    assert isinstance(info.value, symdiff.ParseError)
    message = str(info.value)
    assert "column 5" in message
    lines = message.splitlines()
    caret_line = next(line for line in lines if line.strip().startswith("|") and "^" in line)
    source_line = next(line for line in lines if "x + * 2" in line)
    assert source_line.index("*") == caret_line.index("^")


def test_unknown_function_and_wrong_function_arity_are_parse_errors():
    for text in ["foo(x)", "sin(x, y)", "2 x", "(x", ""]:
        with pytest.raises(symdiff.ParseError):
            symdiff.parse(text)


def test_domain_errors_name_the_operation():
    with pytest.raises(ArithmeticError) as info:
        symdiff.parse("ln(x)").eval(x=-1)
    assert "ln(-1)" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, symdiff.DomainError)
    with pytest.raises(symdiff.DomainError, match="division by zero"):
        symdiff.parse("1/x").eval(x=0)


def test_missing_values_and_argument_counts_are_type_errors():
    f = symdiff.parse("x*y")
    with pytest.raises(TypeError, match="`y`"):
        f.eval(x=1)
    g = symdiff.lambdify(["x", "y"], f)
    with pytest.raises(TypeError, match=r"2 arguments \(x, y\), got 1"):
        g(1.0)
    with pytest.raises(TypeError):
        g(1.0, 2.0, 3.0)
    with pytest.raises(TypeError):
        symdiff.d(f)


def test_differentiation_errors():
    with pytest.raises(symdiff.DifferentiationError):
        symdiff.gradient("x*y", [])
    with pytest.raises(ValueError):
        symdiff.d("x*y", "x+y")
    with pytest.raises(ValueError):
        symdiff.d("x", "x", time_limit=-1)


def test_compile_errors_name_the_variable():
    with pytest.raises(ValueError, match="`z`"):
        symdiff.lambdify(["x"], "x*z")
    with pytest.raises(ValueError):
        symdiff.lambdify(["x"], [["x"], ["x", "x"]])


def test_lambdified_arithmetic_follows_ieee_like_numpy():
    import math

    f = symdiff.lambdify(["x"], "ln(x)")
    assert math.isnan(f(-1.0))
    assert symdiff.lambdify(["x"], "1/x")(0.0) == float("inf")
