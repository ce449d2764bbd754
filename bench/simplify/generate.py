#!/usr/bin/env python3
"""Generates the simplification proxy suite: textbook-style integrands f in six chapters,
integrated by SymPy (per-item timeout; only those SymPy integrates are kept), written as
`integrands.csv` with columns chapter, f, F in symdiff's infix syntax.

Run from this directory with the venv's Python (see README.md):
    .venv/bin/python generate.py            # writes integrands.csv
The candidate list is deterministic (no randomness), so the CSV is reproducible up to SymPy's
version (recorded in the README).
"""

import csv
import signal
import sys

import sympy as sp
from sympy.printing.str import StrPrinter

x = sp.Symbol("x")
TIMEOUT_S = 8

# Functions symdiff's parser knows (SymPy names): anything else in F is dropped.
ALLOWED_FUNCS = {
    sp.sin, sp.cos, sp.tan, sp.asin, sp.acos, sp.atan, sp.sinh, sp.cosh, sp.tanh,
    sp.exp, sp.log, sp.asinh, sp.acosh, sp.atanh, sp.Abs, sp.sign, sp.erf, sp.erfc,
}


class SymdiffPrinter(StrPrinter):
    """SymPy's str printer with symdiff's spelling: `^` for powers, `e` for Euler's number."""

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Abs(self, expr):
        return "abs(%s)" % self._print(expr.args[0])


def to_symdiff(expr):
    return SymdiffPrinter({"order": "none"}).doprint(expr).replace("**", "^")


def candidates():
    """(chapter, integrand) pairs, textbook style: products, powers, quotients, compositions."""
    out = []

    def add(chapter, text):
        out.append((chapter, sp.sympify(text, locals={"x": x})))

    # 1. Algebraic and rational functions.
    for k in range(0, 4):
        for base in ["(1 + x)", "(2 + 3*x)", "(1 - x)"]:
            for m in ["2", "3", "-1", "-2", "-3", "1/2", "-1/2", "3/2", "1/3"]:
                add("algebraic", f"x^{k}*{base}^({m})")
    for k in range(0, 4):
        for q in ["x^2 + 1", "x^2 + 4", "x^2 - 1", "x^2 + x + 1", "x^2 + 2*x + 2",
                  "(x + 1)*(x + 2)", "x*(x + 1)", "(x^2 + 1)^2", "x^3 + 1"]:
            add("algebraic", f"x^{k}/({q})")
    for k in range(0, 3):
        for r in ["sqrt(x^2 + 1)", "sqrt(1 - x^2)", "sqrt(x^2 + 4)", "sqrt(4 - x^2)",
                  "sqrt(x^2 - 1)", "sqrt(2*x + 1)"]:
            add("algebraic", f"x^{k}*{r}")
            add("algebraic", f"x^{k}/{r}")
    for t in ["(x^2 + 1)^3*x", "(x^3 + 2)^2*x^2", "x*(x^2 - 1)^4", "(1 + sqrt(x))^2",
              "1/(sqrt(x)*(1 + x))", "(x + 1)/(x - 1)", "(x^2 + 1)/(x + 1)", "x^(5/2)",
              "1/x^3", "(2*x + 3)/(x^2 + 3*x + 2)"]:
        add("algebraic", t)

    # 2. Trigonometric functions.
    for a in ["x", "2*x"]:
        for m in range(0, 4):
            for n in range(0, 4):
                if m + n:
                    add("trigonometric", f"sin({a})^{m}*cos({a})^{n}")
    for k in range(1, 4):
        for g in ["sin(x)", "cos(x)", "sin(2*x)", "cos(3*x)", "sin(x)^2", "cos(x)^2"]:
            add("trigonometric", f"x^{k}*{g}")
    for t in ["tan(x)", "tan(x)^2", "tan(x)^3", "tan(2*x)", "1/cos(x)^2", "1/sin(x)^2",
              "sin(x)/cos(x)^2", "cos(x)/sin(x)^2", "tan(x)/cos(x)^2", "sin(x)/(1 + cos(x))",
              "1/(1 + cos(x))", "1/(1 + sin(x))", "cos(x)/(1 + sin(x))", "sin(2*x)*cos(3*x)",
              "sin(x)*sin(3*x)", "cos(2*x)*cos(5*x)", "sin(x)^4", "cos(x)^4", "sin(x)^5",
              "cos(x)^5", "sin(x)^2*cos(x)^4", "sin(x)^4*cos(x)^2", "x*tan(x)^2",
              "x/cos(x)^2", "sin(sqrt(x))", "cos(x)*sin(sin(x))", "sin(x)*exp(cos(x))",
              "cos(x)/(2 + sin(x))", "sin(x)/(3 + cos(x))^2", "sin(x)*cos(x)/(1 + sin(x)^2)",
              "tan(x)^4", "sin(3*x)^2", "cos(x)^3/sin(x)^2", "x*sin(x^2)", "x*cos(x^2)"]:
        add("trigonometric", t)

    # 3. Hyperbolic functions.
    for a in ["x", "2*x"]:
        for m in range(0, 4):
            for n in range(0, 4):
                if m + n:
                    add("hyperbolic", f"sinh({a})^{m}*cosh({a})^{n}")
    for k in range(1, 4):
        for g in ["sinh(x)", "cosh(x)", "sinh(2*x)", "cosh(x)^2"]:
            add("hyperbolic", f"x^{k}*{g}")
    for t in ["tanh(x)", "tanh(x)^2", "tanh(x)^3", "1/cosh(x)^2", "1/sinh(x)^2",
              "tanh(x)/cosh(x)^2", "sinh(x)/cosh(x)^2", "exp(x)*sinh(x)", "exp(x)*cosh(x)",
              "exp(2*x)*sinh(x)", "exp(-x)*cosh(2*x)", "sinh(x)*cosh(2*x)",
              "sinh(2*x)*sinh(3*x)", "cosh(x)/(1 + sinh(x))", "sinh(x)/(1 + cosh(x))",
              "x*tanh(x)^2", "x/cosh(x)^2", "sinh(x)^4", "cosh(x)^4", "tanh(2*x)",
              "sinh(x)*exp(cosh(x))", "cosh(x)*sinh(sinh(x))", "x*sinh(x^2)",
              "x*cosh(x^2)", "sinh(sqrt(x))/sqrt(x)", "1/(cosh(x) + sinh(x))",
              "cosh(x)/(cosh(x) + sinh(x))", "sinh(x)^2*cosh(x)^2/2 + x"]:
        add("hyperbolic", t)

    # 4. Logarithms.
    for k in [-2, -1, 0, 1, 2, 3]:
        for n in [1, 2, 3]:
            add("logarithmic", f"x^({k})*log(x)^{n}")
    for t in ["log(x + 1)", "x*log(x + 1)", "x^2*log(x + 1)", "log(2*x + 3)", "x*log(2*x + 3)",
              "log(x^2 + 1)", "x*log(x^2 + 1)", "log(x^2 - 1)", "log(x)/(x + 1)^2",
              "log(x)/sqrt(x)", "sqrt(x)*log(x)", "x^(3/2)*log(x)", "1/(x*log(x))",
              "1/(x*log(x)^2)", "log(log(x))/x", "log(x)/(x*(1 + log(x)))", "log(x^2)",
              "log(3*x)^2", "log(x)*log(x + 1)", "log(1 + 1/x)", "log(x/(x + 1))",
              "log(sqrt(x))", "log(x)^2*x^4", "log(x)/x^3", "x*log(x)/(x^2 + 1)^2",
              "log(sin(x))*cos(x)", "log(cos(x))*tan(x)", "exp(x)*log(1 + exp(x))",
              "log(x)*sin(x)/x + cos(x)*log(x)", "log(x + sqrt(x^2 + 1))",
              "log(1 - x)", "log((1 + x)/(1 - x))", "x^3*log(x^2)", "log(x)^4/x",
              "(log(x) + 1)*x^x/x^x"]:
        add("logarithmic", t)

    # 5. Inverse trigonometric (and inverse hyperbolic) functions.
    for g in ["asin(x)", "acos(x)", "atan(x)", "asinh(x)", "atanh(x)"]:
        for k in range(0, 4):
            add("inverse_trig", f"x^{k}*{g}")
        add("inverse_trig", f"{g}^2")
    for t in ["asin(2*x)", "atan(x/2)", "atan(2*x)", "acos(x/3)", "asin(x)/sqrt(1 - x^2)",
              "atan(x)/(1 + x^2)", "atan(x)^2/(1 + x^2)", "asin(x)^2/sqrt(1 - x^2)",
              "x*asin(x)/sqrt(1 - x^2)", "atan(x)/x^2", "asin(x)/x^2", "acos(x)/x^2",
              "atan(sqrt(x))", "x*atan(x)^2", "atan(1/x)", "asin(sqrt(x))", "x*acos(x)^2",
              "exp(atan(x))/(1 + x^2)", "exp(asin(x))/sqrt(1 - x^2)", "atan(x)*log(1 + x^2)",
              "acosh(x)", "x*acosh(x)", "asinh(x)/sqrt(1 + x^2)", "atan(exp(x))*exp(x)",
              "asin(x)*x^2/sqrt(1 - x^2)", "atan(x)/(x^2*(1 + x^2))", "x^2*atan(x)/(1 + x^2)",
              "acos(2*x)", "atan(3*x + 1)", "asin(x/2)", "x*atan(2*x)", "atanh(2*x)"]:
        add("inverse_trig", t)

    # 6. Exponentials.
    for k in range(0, 4):
        for a in ["x", "2*x", "-x", "x/2"]:
            add("exponential", f"x^{k}*exp({a})")
    for a in ["x", "2*x", "-x"]:
        for g in ["sin(x)", "cos(x)", "sin(3*x)", "cos(2*x)"]:
            add("exponential", f"exp({a})*{g}")
    for t in ["exp(x)/(1 + exp(x))", "exp(2*x)/(1 + exp(x))", "1/(1 + exp(x))",
              "1/(exp(x) + exp(-x))", "exp(x)/(1 + exp(2*x))", "exp(x)*(1 + exp(x))^2",
              "exp(x)*sqrt(1 + exp(x))", "2^x", "x*2^x", "3^(2*x)", "2^x*3^x", "exp(sqrt(x))",
              "exp(sqrt(x))/sqrt(x)", "x*exp(x^2)", "x^3*exp(x^2)", "exp(1/x)/x^2",
              "exp(x)*(x + 1)^2", "exp(x)/x - exp(x)/x^2", "exp(x)*sin(x)^2",
              "exp(x)*cos(x)^2", "exp(-x)*x*sin(x)", "x*exp(x)*cos(x)", "exp(exp(x) + x)",
              "exp(2*x)*sin(3*x)", "exp(x)*log(x) + exp(x)/x", "exp(x)/(exp(x) + 2)^2",
              "(exp(x) + exp(-x))^2", "exp(x)*(sin(x) + cos(x))", "x*exp(-x^2/2)",
              "exp(3*x)*x^2", "exp(x)*tan(exp(x))", "exp(tan(x))/cos(x)^2"]:
        add("exponential", t)
    return out


def allowed(F):
    if F.has(sp.Integral) or F.has(sp.I) or F.has(sp.zoo) or F.has(sp.nan) or F.has(sp.oo):
        return False
    if F.has(sp.Piecewise) or F.has(sp.RootSum) or F.has(sp.Lambda):
        return False
    for f in F.atoms(sp.Function):
        if f.func not in ALLOWED_FUNCS:
            return False
    return True


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def main():
    signal.signal(signal.SIGALRM, _alarm)
    rows, seen = [], set()
    todo = candidates()
    for i, (chapter, f) in enumerate(todo):
        key = sp.srepr(f)
        if key in seen or f.is_constant():
            continue
        seen.add(key)
        signal.alarm(TIMEOUT_S)
        try:
            F = sp.integrate(f, x)
        except Timeout:
            print(f"timeout: {f}", file=sys.stderr)
            continue
        except Exception as e:  # noqa: BLE001 - SymPy raises many kinds; the item is dropped
            print(f"error: {f}: {type(e).__name__}", file=sys.stderr)
            continue
        finally:
            signal.alarm(0)
        if not allowed(F):
            print(f"dropped: {f} -> {F}", file=sys.stderr)
            continue
        rows.append((chapter, to_symdiff(f), to_symdiff(F)))
        print(f"{i + 1}/{len(todo)} {chapter}: {len(rows)} kept", file=sys.stderr)
    with open("integrands.csv", "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["chapter", "f", "F"])
        w.writerows(rows)
    print(f"{len(rows)} integrands written", file=sys.stderr)


if __name__ == "__main__":
    main()
