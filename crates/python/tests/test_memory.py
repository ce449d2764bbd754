"""Memory of a long-running process: the expression store is global and append-only
(ARCHITECTURE.md, invariant 3), so distinct expressions cost memory for the life of the process;
re-building existing ones costs nothing, and the e-graph of each call is freed.

These tests measure it: 10^5 distinct expressions differentiated in a loop, the store's node
count (exact) and the resident set size (RSS, from /proc) before and after. The figures are
printed (`pytest -s`) and recorded in ARCHITECTURE.md.
"""

import sys

import pytest

import symdiff
from symdiff import _symdiff

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the resident set size from /proc"
)


def rss_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def differentiate_distinct(count, simplify):
    """Differentiates `count` distinct expressions (each new to the store); returns
    (store nodes added, RSS bytes added)."""
    x = symdiff.var("x")
    nodes, rss = _symdiff._store_nodes(), rss_bytes()
    for k in range(count):
        f = symdiff.sin(k * x) * x + k
        symdiff.d(f, "x", simplify=simplify)
    return _symdiff._store_nodes() - nodes - 1, rss_bytes() - rss


def test_distinct_expressions_cost_a_bounded_amount_each_and_repeats_cost_nothing():
    symdiff.d("sin(x)*x + 1", "x", simplify=False)  # warm up: imports, first allocations
    count = 100_000
    # Raw derivatives (simplify=False) keep the loop at ~10 s; they are larger than simplified
    # ones, so they store at least as many nodes.
    nodes, rss = differentiate_distinct(count, simplify=False)
    print(
        f"\n{count} distinct derivatives: {nodes} store nodes ({nodes / count:.1f} per expression),"
        f" RSS +{rss / 1e6:.1f} MB ({rss / max(nodes, 1):.0f} bytes per node)"
    )
    assert 5 * count <= nodes <= 20 * count  # input and derivative nodes, nothing else
    assert rss <= 150 * nodes  # ~40 bytes per node measured; an e-graph leak would be ~100 KB/call

    # The same expressions again: hash-consing finds every node, nothing is added.
    again_nodes, again_rss = differentiate_distinct(10_000, simplify=False)
    print(f"10^4 repeated derivatives: {again_nodes} store nodes, RSS +{again_rss / 1e6:.2f} MB")
    assert again_nodes == 0
    assert again_rss < 2_000_000


def test_the_e_graph_of_each_call_is_freed():
    symdiff.d("sin(x)*x + 1", "x")
    count = 2_000
    nodes, rss = differentiate_distinct(count, simplify=True)
    print(f"\n{count} simplified derivatives: {nodes} store nodes, RSS +{rss / 1e6:.2f} MB")
    # Each call builds an e-graph of ~150 nodes and ~50 classes (several KB); only the result's
    # nodes may stay.
    assert rss <= 150 * nodes + 1_000_000
