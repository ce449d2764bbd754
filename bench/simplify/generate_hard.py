#!/usr/bin/env python3
"""The hard set: the antiderivatives of integrands.csv rewritten in other equivalent forms, and
the integrands as the generator's textbook text (not SymPy's auto-simplified f), plus a few
parametric families integrated anew. Writes integrands_hard.csv (chapter, variant, f, F).

    .venv/bin/python generate_hard.py

Variants of each F (kept when they differ from F, are real and use functions symdiff knows):
expand, factor, together, expand_trig, rewrite(exp) (hyperbolic and trigonometric functions as
exponentials; complex results are dropped), rewrite(log) (inverse functions as logarithms),
`tan` and `tanh` written as quotients, and trigsimp.
"""

import csv
import signal
import sys

import sympy as sp

from generate import SymdiffPrinter, allowed, candidates, to_symdiff, x  # noqa: F401

TIMEOUT_S = 3
NAMES = {"x": x, "e": sp.E, "ln": sp.log, "abs": sp.Abs, "pi": sp.pi}


def from_symdiff(text):
    return sp.sympify(text.replace("^", "**"), locals=NAMES)


def quotients(F):
    return F.replace(sp.tan, lambda a: sp.sin(a) / sp.cos(a)).replace(
        sp.tanh, lambda a: sp.sinh(a) / sp.cosh(a))


VARIANTS = [
    ("expand", sp.expand),
    ("factor", sp.factor),
    ("together", sp.together),
    ("expand_trig", sp.expand_trig),
    ("rewrite_exp", lambda F: F.rewrite(sp.exp)),
    ("rewrite_log", lambda F: F.rewrite(sp.log)),
    ("quotients", quotients),
    ("trigsimp", sp.trigsimp),
]

# Parametric families a textbook has and the first set lacks.
EXTRA = [
    ("algebraic", t) for t in [
        "x*(3 + 2*x)^(5/2)", "x^2*(1 + 2*x)^(3/2)", "sqrt(9 - x^2)", "1/sqrt(9 - x^2)",
        "x/(2 + 3*x^2)^2", "x^3*(1 + x^2)^(3/2)", "x^3/sqrt(1 + x^2)", "1/(x*sqrt(4 + x^2))",
        "x/(3 + 2*x)^3", "x^2/(2 + 5*x)^2", "x*(5 - 2*x^2)^3", "1/(9*x^2 + 4)",
        "(3*x + 1)/(x^2 + 4*x + 13)", "x^5*(1 + x^3)^(1/2)", "1/(x^2*(1 + x))",
    ]
] + [
    ("trigonometric", t) for t in [
        "sin(3*x + 2)", "x*cos(2*x + 1)", "sin(x)^2*cos(x)^3", "1/(2 + cos(x))",
        "sin(x)/(1 + sin(x))", "cos(4*x)*sin(x)", "x^2*sin(3*x)",
    ]
] + [
    ("hyperbolic", t) for t in ["sinh(3*x + 1)", "x*cosh(2*x + 1)", "cosh(x)^3", "1/(1 + cosh(x))"]
] + [
    ("exponential", t) for t in ["exp(3*x + 2)", "x*exp(2 - 3*x)", "exp(2*x)*cos(3*x + 1)",
                                 "5^x*x", "exp(x)/(exp(2*x) + 4*exp(x) + 3)"]
] + [
    ("logarithmic", t) for t in ["log(3*x + 2)", "x*log(2*x + 5)", "log(x)/(2*x + 1)^2",
                                 "log(x^2 + 4)"]
] + [
    ("inverse_trig", t) for t in ["atan(3*x + 1)", "x*asin(x/3)", "asin(2*x + 1)",
                                  "atan(x)/(1 + x)^2"]
]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def timed(fn, *args, seconds=TIMEOUT_S):
    signal.alarm(seconds)
    try:
        return fn(*args)
    except Timeout:
        return None
    except Exception:  # noqa: BLE001 - SymPy raises many kinds; the variant is dropped
        return None
    finally:
        signal.alarm(0)


def main():
    signal.signal(signal.SIGALRM, _alarm)
    textbook = {}
    for chapter, text_f in candidates_text():
        textbook.setdefault((chapter, to_symdiff(sp.sympify(text_f, locals={"x": x}))), text_f)
    with open("integrands.csv") as f:
        rows = list(csv.DictReader(f))
    out = []
    for i, row in enumerate(rows):
        F = from_symdiff(row["F"])
        f_text = textbook.get((row["chapter"], row["f"]), row["f"])
        seen = {row["F"]}
        for name, fn in VARIANTS:
            G = timed(fn, F)
            if G is None or not allowed(G):
                continue
            text = to_symdiff(G)
            if text in seen:
                continue
            seen.add(text)
            out.append((row["chapter"], name, f_text, text))
        print(f"{i + 1}/{len(rows)}: {len(out)} variants", file=sys.stderr)
    for chapter, text_f in EXTRA:
        f = sp.sympify(text_f, locals={"x": x})
        F = timed(sp.integrate, f, x, seconds=8)
        if F is None or not allowed(F):
            print(f"extra dropped: {text_f}", file=sys.stderr)
            continue
        out.append((chapter, "new", text_f, to_symdiff(F)))
        for name, fn in VARIANTS:
            G = timed(fn, F)
            if G is not None and allowed(G) and to_symdiff(G) != to_symdiff(F):
                out.append((chapter, "new_" + name, text_f, to_symdiff(G)))
    with open("integrands_hard.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["chapter", "variant", "f", "F"])
        w.writerows(out)
    print(f"{len(out)} rows written", file=sys.stderr)


def candidates_text():
    """The generator's candidates as their source text (the textbook spelling)."""
    import generate

    texts = []
    original = generate.sp.sympify

    def recording(text, *args, **kwargs):
        texts.append(text)
        return original(text, *args, **kwargs)

    generate.sp.sympify = recording
    try:
        pairs = generate.candidates()
    finally:
        generate.sp.sympify = original
    return [(chapter, tidy(text)) for (chapter, _), text in zip(pairs, texts)]


def tidy(text):
    """Drops the template's `^0` factors and `^1` exponents: `x^0*(1 + x)^(2)` is `(1 + x)^(2)`."""
    import re

    text = re.sub(r"(x|\w+\([^()]*\))\^0\*", "", text)
    text = re.sub(r"\*(x|\w+\([^()]*\))\^0(?![0-9])", "", text)
    return re.sub(r"\^1(?![0-9/.])", "", text)


if __name__ == "__main__":
    main()
