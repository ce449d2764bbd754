#!/usr/bin/env python3
"""Gradients and Hessians at scale: CasADi (SX) on the workloads of symdiff issue 9.

Each workload is built twice from one definition: as a CasADi SX expression (measured here) and
as symdiff input text (written with --write-inputs, so the symdiff side differentiates exactly the
same function):

    rosenbrock  n      sum_{i=1}^{n-1} 100*(x{i+1} - x{i}^2)^2 + (1 - x{i})^2; wrt x1..x{n}
    tanh_net    H      sum_{k<H} v{k}*tanh(w{k}_0*in0 + ... + w{k}_9*in9 + b{k}): one hidden
                       layer, 10 inputs in0..in9 (symbolic, not differentiated), H units; wrt
                       the 12*H parameters w{k}_{j}, b{k}, v{k} (unit by unit)
    logistic    k      l0 = x, l{m+1} = 4*l{m}*(1 - l{m}); d l{k} / dx
    pair        N      sum_{i<j<N} 1/sqrt((x{i} - x{j})^2 + (y{i} - y{j})^2); wrt x0, y0, x1, y1, ...
    lsq         K      sum_{k<K} (y_k - a*exp(-(b*t_k)))^2 with t_k = 10*k/K and
                       y_k = 2.5*exp(-1.3*t_k) + 0.01*((7919*k mod 1000)/1000 - 0.5), both
                       rounded to 6 decimals (exact decimals in symdiff); wrt a, b

These are the definitions of symdiff's own scale benchmark (crates/rewrite/examples/scale.rs);
keep the two in sync.

Measured per (workload, size), each in a fresh forked child (so peak memory is its own):

    input_instructions     n_instructions() of Function([X, inputs], [f])
    gradient_ms            casadi.gradient(f, X) + Function([X, inputs], [g]) construction
    gradient_instructions  n_instructions() of that Function
    hessian_ms, hessian_nnz, hessian_instructions
                           casadi.hessian(f, X) + Function construction (sizes where the
                           Hessian is sparse or small), nnz of the full (symmetric) matrix
    peak_rss_mb            the child's peak resident memory

Times are the minimum over repeats (up to 5, while the total stays under ~2 s). A child that
exceeds --timeout seconds is a row with status `timeout`.

With --symdiff BIN, the same inputs also go through the symdiff command line, one process per
(workload, size), into --symdiff-out (default scale_symdiff_cli.csv):

    cli_ms        wall time of `symdiff grad @input --wrt @vars --format json` (the fastest of
                  up to 3 runs)
    api_ms        the `time_ms.total` that run reports (the library call: differentiate,
                  simplify, extract)
    parse_ms      wall time of `symdiff stats @input` (start, read, parse, size metrics; the
                  fastest of up to 3 runs)
    result_dag    `stats.simplified.dag`; input_dag: `stats.input.dag`
    output_bytes  size of the printed JSON
    peak_rss_mb   the process's peak resident memory
    hessian_ms, hessian_nnz
                  wall time and `sparsity.nnz` of `symdiff hessian` (the upper triangle; CasADi's
                  nnz counts both triangles)

Once a size times out, larger sizes of that workload are skipped (status `skipped`).

With --table, prints the two CSVs side by side as the markdown tables of the README and exits.

Usage: scale_casadi.py [--out scale_casadi.csv] [--quick] [--write-inputs DIR] [--timeout S]
                       [--symdiff BIN] [--symdiff-out CSV] [--no-casadi] [--table]
"""

import argparse
import csv
import multiprocessing as mp
import os
import json
import math
import resource
import subprocess
import sys
import tempfile
import time

SIZES_FULL = {
    "rosenbrock": [100, 1000, 3000, 10_000, 100_000, 111_112],
    "tanh_net": [10, 100, 300, 1000, 3000],
    "logistic": [100, 1000, 10_000],
    "pair": [10, 30, 100, 300],
    "lsq": [1000, 10_000],
}
SIZES_QUICK = {
    "rosenbrock": [100, 1000],
    "tanh_net": [10, 100],
    "logistic": [100, 1000],
    "pair": [10, 30],
    "lsq": [1000],
}
# The Hessian is measured where it is sparse or small enough to form.
HESSIAN_MAX = {"rosenbrock": 10_000, "tanh_net": 10, "logistic": 10_000, "pair": 30, "lsq": 10_000}
INPUTS = 10  # tanh_net inputs

HEADER = [
    "engine", "version", "workload", "n", "variables", "input_instructions", "gradient_ms",
    "gradient_instructions", "hessian_ms", "hessian_nnz", "hessian_instructions", "peak_rss_mb",
    "status", "note",
]


# ---- the workloads, once for CasADi (a numeric-like builder) and once as symdiff text ----------

def lsq_data(k, n):
    """t_k and y_k as decimal strings with 6 digits (as scale.rs writes them)."""
    t = k / n * 10.0
    y = 2.5 * math.exp(-1.3 * t) + 0.01 * ((k * 7919 % 1000) / 1000.0 - 0.5)
    return f"{t:.6f}", f"{y:.6f}"


def build_casadi(ca, workload, n):
    """(f, X, other inputs) as CasADi SX."""
    SX = ca.SX
    if workload == "rosenbrock":
        x = SX.sym("x", n)  # x[i] is x{i+1}
        f = 0
        for i in range(n - 1):
            f = f + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
        return f, x, []
    if workload == "tanh_net":
        xin = SX.sym("in", INPUTS)
        params = []
        f = 0
        for j in range(n):
            w = [SX.sym(f"w{j}_{i}") for i in range(INPUTS)]
            b, v = SX.sym(f"b{j}"), SX.sym(f"v{j}")
            params += w + [b, v]
            s = w[0] * xin[0]
            for i in range(1, INPUTS):
                s = s + w[i] * xin[i]
            f = f + v * ca.tanh(s + b)
        return f, ca.vertcat(*params), [xin]
    if workload == "logistic":
        x = SX.sym("x")
        l = x
        for _ in range(n):
            l = 4 * l * (1 - l)
        return l, x, []
    if workload == "pair":
        x, y = SX.sym("x", n), SX.sym("y", n)
        f = 0
        for i in range(n):
            for j in range(i + 1, n):
                f = f + 1 / ca.sqrt((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2)
        X = ca.vertcat(*[v for i in range(n) for v in (x[i], y[i])])
        return f, X, []
    if workload == "lsq":
        a, b = SX.sym("a"), SX.sym("b")
        f = 0
        for k in range(n):
            t, y = (float(s) for s in lsq_data(k, n))
            f = f + (y - a * ca.exp(-(b * t))) ** 2
        return f, ca.vertcat(a, b), []
    raise ValueError(workload)


def symdiff_text(workload, n):
    """(expression text, variables) in symdiff's syntax: the same function as build_casadi."""
    if workload == "rosenbrock":
        terms = [f"100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(1, n)]
        return " + ".join(terms), [f"x{i}" for i in range(1, n + 1)]
    if workload == "tanh_net":
        terms, params = [], []
        for j in range(n):
            w = [f"w{j}_{i}" for i in range(INPUTS)]
            params += w + [f"b{j}", f"v{j}"]
            s = " + ".join(f"{w[i]}*in{i}" for i in range(INPUTS))
            terms.append(f"v{j}*tanh({s} + b{j})")
        return " + ".join(terms), params
    if workload == "logistic":
        lines = ["l1 = 4*x*(1 - x);"]
        lines += [f"l{m + 1} = 4*l{m}*(1 - l{m});" for m in range(1, n - 1)]
        last = f"l{n - 1}" if n > 1 else "x"
        lines.append(f"4*{last}*(1 - {last})")
        return "\n".join(lines), ["x"]
    if workload == "pair":
        terms = [
            f"1/sqrt((x{i} - x{j})^2 + (y{i} - y{j})^2)"
            for i in range(n) for j in range(i + 1, n)
        ]
        return " + ".join(terms), [v for i in range(n) for v in (f"x{i}", f"y{i}")]
    if workload == "lsq":
        terms = []
        for k in range(n):
            t, y = lsq_data(k, n)
            terms.append(f"({y} - a*exp(-(b*{t})))^2")
        return " + ".join(terms), ["a", "b"]
    raise ValueError(workload)


# ---- measuring ---------------------------------------------------------------------------------

def best_of(fn, budget=2.0, repeats=5):
    """(minimum seconds, last result) over up to `repeats` runs while the total stays in budget."""
    best, total, result = float("inf"), 0.0, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best, total = min(best, dt), total + dt
        if total > budget:
            break
    return best, result


def measure(workload, n, queue):
    import casadi as ca
    row = {"engine": "casadi", "version": ca.__version__, "workload": workload, "n": n}
    f, X, others = build_casadi(ca, workload, n)
    row["variables"] = X.numel()
    inputs = [X] + others
    row["input_instructions"] = ca.Function("f", inputs, [f]).n_instructions()

    def grad():
        g = ca.gradient(f, X)
        return ca.Function("g", inputs, [g])

    dt, g = best_of(grad)
    row["gradient_ms"] = f"{dt * 1e3:.3f}"
    row["gradient_instructions"] = g.n_instructions()
    if n <= HESSIAN_MAX[workload]:
        def hess():
            h, _ = ca.hessian(f, X)
            return h, ca.Function("h", inputs, [h])

        dt, (h, hf) = best_of(hess)
        row["hessian_ms"] = f"{dt * 1e3:.3f}"
        row["hessian_nnz"] = h.nnz()
        row["hessian_instructions"] = hf.n_instructions()
    row["peak_rss_mb"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}"
    row["status"] = "ok"
    queue.put(row)


def run_one(workload, n, timeout):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=measure, args=(workload, n, queue))
    child.start()
    child.join(timeout)
    base = {"engine": "casadi", "workload": workload, "n": n}
    if child.is_alive():
        child.kill()
        child.join()
        return {**base, "status": "timeout", "note": f"over {timeout} s"}
    if queue.empty():
        return {**base, "status": "error", "note": f"exit code {child.exitcode}"}
    return queue.get()


SYMDIFF_HEADER = [
    "engine", "workload", "n", "variables", "input_dag", "cli_ms", "api_ms", "parse_ms",
    "result_dag", "output_bytes", "peak_rss_mb", "hessian_ms", "hessian_nnz", "status", "note",
]


def run_timed(cmd, timeout):
    """(wall seconds, stdout bytes, peak RSS in MB, exit code); None on a timeout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                return None
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        out.seek(0)
        return wall, out.read(), usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best_run(cmd, timeout, budget=3.0, repeats=3):
    """The run with the least wall time among up to `repeats` (while they total under
    `budget` seconds): the machine may be shared, as for CasADi's best_of."""
    best, total = None, 0.0
    for _ in range(repeats):
        run = run_timed(cmd, timeout)
        if run is None or run[3] != 0:
            return run if best is None else best
        if best is None or run[0] < best[0]:
            best = run
        total += run[0]
        if total > budget:
            break
    return best


def measure_symdiff(binary, workload, n, directory, timeout):
    stem = os.path.join(directory, f"{workload}_{n}")
    expr, wrt = "@" + stem + ".txt", "@" + stem + ".vars"
    row = {"engine": "symdiff-cli", "workload": workload, "n": n}
    parse = best_run([binary, "stats", expr], timeout)
    grad = best_run([binary, "grad", expr, "--wrt", wrt, "--format", "json"], timeout)
    if grad is None:
        return {**row, "status": "timeout", "note": f"grad over {timeout:.0f} s"}
    wall, out, rss, code = grad
    if code != 0:
        return {**row, "status": "error", "note": f"grad exit code {code}"}
    j = json.loads(out)
    stats = j["stats"]
    row.update({
        "variables": len(j["variables"]),
        "input_dag": stats["input"]["dag"],
        "cli_ms": f"{wall * 1e3:.1f}",
        "api_ms": f"{stats['time_ms']['total']:.1f}",
        "parse_ms": f"{parse[0] * 1e3:.1f}" if parse else "",
        "result_dag": stats["simplified"]["dag"],
        "output_bytes": len(out),
        "peak_rss_mb": f"{rss:.1f}",
        "status": "ok",
    })
    if n <= HESSIAN_MAX[workload]:
        hess = best_run([binary, "hessian", expr, "--wrt", wrt, "--format", "json"], timeout)
        if hess is None:
            row["note"] = f"hessian over {timeout:.0f} s"
        elif hess[3] == 0:
            row["hessian_ms"] = f"{hess[0] * 1e3:.1f}"
            row["hessian_nnz"] = json.loads(hess[1])["sparsity"]["nnz"]
        else:
            row["note"] = f"hessian exit code {hess[3]}"
    return row


def write_csv(path, header, rows):
    with open(path, "w", newline="") as out:
        w = csv.DictWriter(out, fieldnames=header)
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in header})


def table(casadi_csv, symdiff_csv):
    """The README's tables: gradients (CasADi beside symdiff's library call), the command line,
    Hessians."""
    def load(path):
        with open(path, newline="") as f:
            return {(r["workload"], int(r["n"])): r for r in csv.DictReader(f)}

    ca, sd = load(casadi_csv), load(symdiff_csv)
    num = lambda v: f"{int(v):,}" if v not in ("", None) else "—"
    ms = lambda v: f"{float(v):,.1f}" if v not in ("", None) else "—"
    ok = lambda key: sd.get(key, {}).get("status") == "ok"
    print("| workload | n | variables | input DAG | CasADi: gradient + Function (ms) | CasADi: "
          "instructions | symdiff: gradient (ms) | symdiff: result DAG | result / CasADi "
          "| symdiff: µs per input node |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, c in ca.items():
        s = sd.get(key, {})
        if ok(key):
            api, dag = ms(s["api_ms"]), num(s["result_dag"])
            ratio = f"{int(s['result_dag']) / int(c['gradient_instructions']):.2f}"
            per_node = f"{float(s['api_ms']) * 1e3 / int(s['input_dag']):.1f}"
        else:
            api = dag = ratio = per_node = s.get("status", "—")
        print(f"| {key[0]} | {key[1]:,} | {num(c.get('variables'))} | "
              f"{num(s.get('input_dag') or c.get('input_instructions'))} | "
              f"{ms(c.get('gradient_ms'))} | {num(c.get('gradient_instructions'))} | {api} | "
              f"{dag} | {ratio} | {per_node} |")
    print()
    print("| `symdiff grad` of | n | CLI (ms) | parse (ms) | gradient (ms) | CLI / (gradient + "
          "parse) | output (bytes) | bytes per result node | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, s in sd.items():
        if not ok(key):
            continue
        base = float(s["api_ms"]) + float(s["parse_ms"] or 0)
        print(f"| {key[0]} | {key[1]:,} | {ms(s['cli_ms'])} | {ms(s['parse_ms'])} | "
              f"{ms(s['api_ms'])} | {float(s['cli_ms']) / base:.2f} | {num(s['output_bytes'])} | "
              f"{int(s['output_bytes']) / int(s['result_dag']):.1f} | {s['peak_rss_mb']} |")
    print()
    print("| Hessian of | n | CasADi: hessian + Function (ms) | CasADi: non-zeros | "
          "symdiff `hessian` CLI (ms) | symdiff: non-zeros |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, c in ca.items():
        s = sd.get(key, {})
        if not c.get("hessian_nnz") and not s.get("hessian_nnz"):
            continue
        print(f"| {key[0]} | {key[1]:,} | {ms(c.get('hessian_ms'))} | {num(c.get('hessian_nnz'))} "
              f"| {ms(s.get('hessian_ms')) if s.get('hessian_ms') else s.get('note') or '—'} "
              f"| {num(s.get('hessian_nnz'))} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "scale_casadi.csv"))
    p.add_argument("--quick", action="store_true", help="small sizes only")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per (workload, size)")
    p.add_argument("--write-inputs", metavar="DIR",
                   help="write DIR/<workload>_<n>.txt (symdiff text) and .vars (its variables)")
    p.add_argument("--no-casadi", action="store_true", help="do not measure CasADi")
    p.add_argument("--symdiff", metavar="BIN", help="also measure this symdiff binary")
    p.add_argument("--symdiff-out",
                   default=os.path.join(os.path.dirname(__file__), "scale_symdiff_cli.csv"))
    p.add_argument("--table", action="store_true", help="print the README tables and exit")
    args = p.parse_args()
    if args.table:
        table(args.out, args.symdiff_out)
        return
    sizes = SIZES_QUICK if args.quick else SIZES_FULL
    if args.symdiff and not args.write_inputs:
        args.write_inputs = tempfile.mkdtemp(prefix="symdiff-scale-")
    if args.write_inputs:
        os.makedirs(args.write_inputs, exist_ok=True)
        for workload, ns in sizes.items():
            for n in ns:
                text, variables = symdiff_text(workload, n)
                stem = os.path.join(args.write_inputs, f"{workload}_{n}")
                with open(stem + ".txt", "w") as out:
                    out.write(text + "\n")
                with open(stem + ".vars", "w") as out:
                    out.write("\n".join(variables) + "\n")
    if not args.no_casadi:
        rows = []
        for workload, ns in sizes.items():
            for n in ns:
                row = run_one(workload, n, args.timeout)
                print(f"casadi {workload} n={n}: {row.get('status')} gradient "
                      f"{row.get('gradient_ms')} ms, {row.get('gradient_instructions')} "
                      "instructions", file=sys.stderr, flush=True)
                rows.append(row)
        write_csv(args.out, HEADER, rows)
    if args.symdiff:
        rows = []
        for workload, ns in sizes.items():
            timed_out = False
            for n in ns:
                if timed_out:
                    rows.append({"engine": "symdiff-cli", "workload": workload, "n": n,
                                 "status": "skipped", "note": "a smaller size timed out"})
                    continue
                row = measure_symdiff(args.symdiff, workload, n, args.write_inputs, args.timeout)
                timed_out = row["status"] == "timeout"
                print(f"symdiff {workload} n={n}: {row['status']} cli {row.get('cli_ms')} ms, "
                      f"api {row.get('api_ms')} ms, result DAG {row.get('result_dag')}",
                      file=sys.stderr, flush=True)
                rows.append(row)
        write_csv(args.symdiff_out, SYMDIFF_HEADER, rows)


if __name__ == "__main__":
    main()
