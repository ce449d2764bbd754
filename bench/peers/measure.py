#!/usr/bin/env python3
"""Measure SymPy's and SymEngine's derivatives on symdiff's swell families.

Writes one CSV row per (engine, stage, family, n) with the same size definitions as symdiff's
`metrics` (crates/expr/src/metrics.rs), so the swell report (crates/swell) can put both sides next
to each other.

Families (mirrors crates/swell/src/families.rs; keep the two in sync):

    logistic     l_1 = x, l_(k+1) = 4*l_k*(1 - l_k); k = 1..20; d/dx
    seed_square  4*(cos(x) + 2*x - exp(x))^2; d/dx
    seed_log     x1*x2 + x2 - ln(x1); gradient (x1, x2)
    prod_sin     prod_(k=1..n) sin(k*x) (sin(x) for k = 1); n = 1..20; d/dx
    nested_sin   sin(sin(...sin(x))), n sines; n = 1..20; d/dx
    exp_sin      exp(sin(exp(...(x)))), n functions alternating, outermost exp; n = 1..20; d/dx
    poly_pow     (x^2 + 3*x + 1)^n (the base itself for n = 1); n = 1..50; d/dx
    rational     (x^2 + 1)/(x^3 - 2*x + 5); d/dx
    neural       sum_(i=1..n) w_i*sin(a_i*x + b_i*y), w_i = 1/(i+1), a_i = i+1, b_i = 1/(i+1)
                 (exact rationals); gradient (x, y)
    rosenbrock   sum_(i=1..n-1) 100*(x_(i+1) - x_i^2)^2 + (1 - x_i)^2; gradient (x1..xn)

Size definitions (symdiff's nodes are binary; SymPy's Add and Mul are n-ary):

    * a leaf (Symbol, Integer, Rational, Float, pi, E, ...) counts 1;
    * an Add or Mul with m arguments counts m - 1 (the binary nodes it stands for);
    * any other node (Pow, sin, exp, ...) counts 1;
    * tree = the expression unfolded into a tree (each use of a shared subexpression counts);
    * dag  = distinct subexpressions (each distinct SymPy object once, weighted as above);
    * *_ops = the same without leaves; several roots (a gradient) share one DAG and sum trees.

SymPy's own representation is kept: `a - b` is Add(a, Mul(-1, b)) and `a/b` is Mul(a, Pow(b, -1)),
so a subtraction costs 3 nodes where symdiff's costs 1; SymEngine writes exp(u) as E**u (a Pow
and the leaf E: one node more than SymPy's exp). The `*_native` columns count every SymPy
node as 1 (len(preorder_traversal)), the convention behind DESIGN.md's "390,146 nodes, DAG 134".

Each measurement runs in a forked child with a time limit; a timeout or error is a row with
status `timeout`/`error`, never a failure. Once a stage times out in a family, larger n of that
stage are recorded as `skipped` (they would only take longer).

Usage: measure.py [--quick] [--out peers.csv] [--diff-timeout S] [--simplify-timeout S]
"""

import argparse
import csv
import multiprocessing as mp
import sys
import time
import traceback

FAMILIES_FULL = {
    "logistic": list(range(1, 21)),
    "seed_square": [1],
    "seed_log": [1],
    "prod_sin": list(range(1, 21)),
    "nested_sin": list(range(1, 21)),
    "exp_sin": list(range(1, 21)),
    "poly_pow": list(range(1, 51)),
    "rational": [1],
    "neural": [1, 2, 3, 5, 10, 20, 30, 50, 75, 100],
    "rosenbrock": [2, 3, 4, 5, 10, 20, 30, 50, 75, 100],
}

FAMILIES_QUICK = {
    "logistic": [1, 2, 3, 4, 6, 8, 10, 12],
    "seed_square": [1],
    "seed_log": [1],
    "prod_sin": [1, 2, 5, 10],
    "nested_sin": [1, 2, 5, 10],
    "exp_sin": [1, 2, 5, 10],
    "poly_pow": [1, 2, 5, 10, 20],
    "rational": [1],
    "neural": [1, 5, 10],
    "rosenbrock": [2, 5, 10],
}

COLUMNS = [
    "engine", "version", "stage", "family", "n", "status", "time_ms",
    "tree", "dag", "tree_ops", "dag_ops", "tree_native", "dag_native",
    "cse_ops", "cse_count_ops", "note",
]


def build(mod, family, n):
    """The family member as (list of roots to differentiate, list of variables)."""
    S = mod
    Rat = S.Rational
    x = S.Symbol("x")
    if family == "logistic":
        l = x
        for _ in range(n - 1):
            l = 4 * l * (1 - l)
        return l, [x]
    if family == "seed_square":
        return 4 * (S.cos(x) + 2 * x - S.exp(x)) ** 2, [x]
    if family == "seed_log":
        x1, x2 = S.Symbol("x1"), S.Symbol("x2")
        return x1 * x2 + x2 - S.log(x1), [x1, x2]
    if family == "prod_sin":
        f = S.sin(x)
        for k in range(2, n + 1):
            f = f * S.sin(k * x)
        return f, [x]
    if family == "nested_sin":
        f = x
        for _ in range(n):
            f = S.sin(f)
        return f, [x]
    if family == "exp_sin":
        f = x
        for i in reversed(range(n)):
            f = S.exp(f) if i % 2 == 0 else S.sin(f)
        return f, [x]
    if family == "poly_pow":
        p = x ** 2 + 3 * x + 1
        return (p if n == 1 else p ** n), [x]
    if family == "rational":
        return (x ** 2 + 1) / (x ** 3 - 2 * x + 5), [x]
    if family == "neural":
        y = S.Symbol("y")
        f = None
        for i in range(1, n + 1):
            w, a, b = Rat(1, i + 1), S.Integer(i + 1), Rat(1, i + 1)
            t = w * S.sin(a * x + b * y)
            f = t if f is None else f + t
        return f, [x, y]
    if family == "rosenbrock":
        xs = [S.Symbol(f"x{i}") for i in range(1, n + 1)]
        f = None
        for i in range(n - 1):
            t = 100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2
            f = t if f is None else f + t
        return f, xs
    raise ValueError(family)


def _weight(e):
    args = e.args
    if not args:
        return 1, True
    name = type(e).__name__
    if name in ("Add", "Mul"):
        return len(args) - 1, False
    return 1, False


def sizes(roots):
    """tree, dag, tree_ops, dag_ops, tree_native, dag_native of several roots sharing a DAG."""
    memo = {}  # expr -> (tree, tree_ops, tree_native)
    stack = []
    for r in roots:
        stack.append((r, False))
        while stack:
            e, expanded = stack.pop()
            if e in memo:
                continue
            if not expanded:
                stack.append((e, True))
                for c in e.args:
                    if c not in memo:
                        stack.append((c, False))
                continue
            w, leaf = _weight(e)
            t, to, tn = w, (0 if leaf else w), 1
            for c in e.args:
                ct, cto, ctn = memo[c]
                t += ct
                to += cto
                tn += ctn
            memo[e] = (t, to, tn)
    tree = sum(memo[r][0] for r in roots)
    tree_ops = sum(memo[r][1] for r in roots)
    tree_native = sum(memo[r][2] for r in roots)
    dag = dag_ops = 0
    for e in memo:
        w, leaf = _weight(e)
        dag += w
        dag_ops += 0 if leaf else w
    return dict(tree=tree, dag=dag, tree_ops=tree_ops, dag_ops=dag_ops,
                tree_native=tree_native, dag_native=len(memo))


def _engine(name):
    if name == "sympy":
        import sympy
        return sympy
    import symengine
    return symengine


def _derivatives(mod, family, n):
    f, xs = build(mod, family, n)
    return [f.diff(v) for v in xs]


def stage_diff(engine, family, n):
    mod = _engine(engine)
    f, xs = build(mod, family, n)
    if engine == "sympy":
        from sympy.core.cache import clear_cache
        clear_cache()
    t0 = time.perf_counter()
    ds = [f.diff(v) for v in xs]
    ms = (time.perf_counter() - t0) * 1e3
    row = sizes(ds)
    row["time_ms"] = ms
    return row


def stage_input(engine, family, n):
    mod = _engine(engine)
    f, _ = build(mod, family, n)
    row = sizes([f])
    row["time_ms"] = 0.0
    return row


def stage_simplify(engine, family, n):
    mod = _engine(engine)
    ds = _derivatives(mod, family, n)
    from sympy.core.cache import clear_cache
    clear_cache()
    t0 = time.perf_counter()
    ss = [mod.simplify(d) for d in ds]
    ms = (time.perf_counter() - t0) * 1e3
    row = sizes(ss)
    row["time_ms"] = ms
    return row


def stage_cse(engine, family, n):
    mod = _engine(engine)
    ds = _derivatives(mod, family, n)
    t0 = time.perf_counter()
    repl, reduced = mod.cse(ds)
    ms = (time.perf_counter() - t0) * 1e3
    rhs = [r for _, r in repl] + list(reduced)
    ops = sum(sizes([r])["tree_ops"] for r in rhs)
    row = {"time_ms": ms, "cse_ops": ops}
    if engine == "sympy":
        import sympy
        row["cse_count_ops"] = sum(sympy.count_ops(r) for r in rhs)
    return row


STAGES = {"input": stage_input, "diff": stage_diff, "simplify": stage_simplify, "cse": stage_cse}


def _child(conn, stage, engine, family, n):
    sys.setrecursionlimit(100000)
    try:
        conn.send(("ok", STAGES[stage](engine, family, n)))
    except BaseException as exc:  # noqa: BLE001 - any failure is a reported row
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:200]))
        traceback.print_exc(file=sys.stderr)


def run_limited(stage, engine, family, n, timeout):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, stage, engine, family, n))
    p.start()
    child.close()
    t0 = time.perf_counter()
    if parent.poll(timeout):
        try:
            status, payload = parent.recv()
        except EOFError:
            status, payload = "error", "worker died"
        p.join(5)
        if p.is_alive():
            p.kill()
        return status, payload
    p.kill()
    p.join()
    if p.exitcode not in (None, 0) and time.perf_counter() - t0 < timeout:
        return "error", f"worker exited with {p.exitcode}"
    return "timeout", f"no result within {timeout:g} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default="peers.csv")
    ap.add_argument("--diff-timeout", type=float, default=20.0)
    ap.add_argument("--simplify-timeout", type=float, default=10.0)
    ap.add_argument("--cse-timeout", type=float, default=10.0)
    ap.add_argument("--engines", default="sympy,symengine")
    ap.add_argument("--families", default="")
    args = ap.parse_args()

    families = FAMILIES_QUICK if args.quick else FAMILIES_FULL
    if args.families:
        families = {k: v for k, v in families.items() if k in args.families.split(",")}
    engines = []
    for name in args.engines.split(","):
        try:
            mod = _engine(name)
            engines.append((name, mod.__version__))
        except ImportError as exc:
            print(f"{name}: not importable ({exc}); recorded as missing", file=sys.stderr)
            engines.append((name, None))

    timeouts = {"input": args.diff_timeout, "diff": args.diff_timeout,
                "simplify": args.simplify_timeout, "cse": args.cse_timeout}
    plan = []
    for engine, version in engines:
        stages = ["input", "diff", "cse"] + (["simplify"] if engine == "sympy" else [])
        for stage in stages:
            plan.append((engine, version, stage))

    start = time.perf_counter()
    with open(args.out, "w", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=COLUMNS)
        out.writeheader()
        for family, ns in families.items():
            for engine, version, stage in plan:
                stopped = None
                for n in ns:
                    row = {"engine": engine, "version": version or "", "stage": stage,
                           "family": family, "n": n}
                    if version is None:
                        row.update(status="missing", note=f"{engine} is not installed")
                    elif stopped is not None:
                        row.update(status="skipped", note=f"{stage} timed out at n = {stopped}")
                    else:
                        status, payload = run_limited(stage, engine, family, n, timeouts[stage])
                        row["status"] = status
                        if status == "ok":
                            row.update(payload)
                            row["time_ms"] = f"{payload['time_ms']:.3f}"
                        else:
                            row["note"] = payload
                            if status == "timeout":
                                stopped = n
                    out.writerow(row)
                    fh.flush()
                    print(f"[{time.perf_counter() - start:7.1f}s] {engine:9} {stage:8} "
                          f"{family:11} n={n:<3} {row['status']} {row.get('time_ms', '')}",
                          file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
