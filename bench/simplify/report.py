#!/usr/bin/env python3
"""Merges symdiff_results.csv and sympy_results.csv into the per-chapter markdown table of
README.md (rows are matched by chapter, f and F).

    .venv/bin/python report.py                      # the easy set
    .venv/bin/python report.py symdiff_results_hard.csv sympy_results_hard.csv
"""

import sys

import csv
import statistics
from collections import defaultdict


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main():
    ours = load(sys.argv[1] if len(sys.argv) > 1 else "symdiff_results.csv")
    theirs = {(r["chapter"], r["f"], r["F"]): r
              for r in load(sys.argv[2] if len(sys.argv) > 2 else "sympy_results.csv")}
    chapters = defaultdict(list)
    for r in ours:
        chapters[r["chapter"]].append(r)
    order = ["algebraic", "trigonometric", "hyperbolic", "logarithmic", "inverse_trig",
             "exponential"]
    print("| chapter | items | symdiff `0` | SymPy `0` | SymPy timeouts (5 s) | symdiff values ok "
          "| symdiff simplify ms (median / max) | SymPy s (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    total = defaultdict(int)
    all_ms, all_s = [], []
    for chapter in order + sorted(set(chapters) - set(order)):
        rows = chapters.get(chapter)
        if not rows:
            continue
        peer = [theirs[(chapter, r["f"], r["F"])] for r in rows]
        ms = [float(r["simplify_ms"]) for r in rows]
        secs = [float(p["seconds"]) for p in peer]
        counts = {
            "items": len(rows),
            "ours": sum(r["zero"] == "true" for r in rows),
            "sympy": sum(p["zero"] == "True" for p in peer),
            "timeouts": sum(p["timeout"] == "True" for p in peer),
            "values": sum(r["value_ok"] == "true" for r in rows),
        }
        for k, v in counts.items():
            total[k] += v
        all_ms += ms
        all_s += secs
        print(f"| {chapter} | {counts['items']} | {counts['ours']} | {counts['sympy']} "
              f"| {counts['timeouts']} | {counts['values']} "
              f"| {statistics.median(ms):.2f} / {max(ms):.1f} | {statistics.median(secs):.2f} |")
    print(f"| **all** | {total['items']} | {total['ours']} | {total['sympy']} "
          f"| {total['timeouts']} | {total['values']} "
          f"| {statistics.median(all_ms):.2f} / {max(all_ms):.1f} "
          f"| {statistics.median(all_s):.2f} |")


if __name__ == "__main__":
    main()
