#!/usr/bin/env python3
"""SymPy's side of the proxy suite: for each row of integrands.csv, whether
`simplify(diff(F, x) - f)` is 0, with a per-item timeout (a timeout counts as not 0).
Writes sympy_results.csv (chapter, f, F, zero, seconds, timeout).

    .venv/bin/python sympy_check.py                                        # the easy set
    .venv/bin/python sympy_check.py integrands_hard.csv sympy_results_hard.csv
"""

import csv
import signal
import sys
import time

import sympy as sp

x = sp.Symbol("x")
TIMEOUT_S = 5
NAMES = {"x": x, "e": sp.E, "ln": sp.log, "abs": sp.Abs, "pi": sp.pi}


def from_symdiff(text):
    return sp.sympify(text.replace("^", "**"), locals=NAMES)


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def main():
    signal.signal(signal.SIGALRM, _alarm)
    source = sys.argv[1] if len(sys.argv) > 1 else "integrands.csv"
    target = sys.argv[2] if len(sys.argv) > 2 else "sympy_results.csv"
    with open(source) as f:
        rows = list(csv.DictReader(f))
    out_rows = []
    for i, row in enumerate(rows):
        f, F = from_symdiff(row["f"]), from_symdiff(row["F"])
        start = time.perf_counter()
        zero, timeout = False, False
        signal.alarm(TIMEOUT_S)
        try:
            zero = sp.simplify(sp.diff(F, x) - f) == 0
        except Timeout:
            timeout = True
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - start
        out_rows.append((row["chapter"], row["f"], row["F"], zero, f"{seconds:.3f}", timeout))
        print(f"{i + 1}/{len(rows)} {zero} {seconds:.2f}s", file=sys.stderr)
    with open(target, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["chapter", "f", "F", "zero", "seconds", "timeout"])
        w.writerows(out_rows)


if __name__ == "__main__":
    main()
