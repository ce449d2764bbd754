#!/usr/bin/env bash
# Measure SymPy and SymEngine on symdiff's swell families; writes bench/peers/peers.csv.
#
#   bench/peers/run.sh [--quick] [measure.py options...]
#
# PEERS_CSV=path writes elsewhere (default: bench/peers/peers.csv); PYTHON=python3.x picks the
# interpreter that creates the virtual environment.
#
# Creates a virtual environment in bench/peers/.venv (python3 -m venv) and installs sympy and
# symengine into it. A missing python3, or a failed install, is recorded in peers.csv as rows with
# status "missing" (the swell report shows them) and the script still exits 0.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
out="${PEERS_CSV:-$here/peers.csv}"
venv="$here/.venv"
header="engine,version,stage,family,n,status,time_ms,tree,dag,tree_ops,dag_ops,tree_native,dag_native,cse_ops,cse_count_ops,note"

missing() {
    echo "peers: $1" >&2
    {
        echo "$header"
        echo "sympy,,diff,,,missing,,,,,,,,,,\"$1\""
        echo "symengine,,diff,,,missing,,,,,,,,,,\"$1\""
    } >"$out"
    exit 0
}

python="${PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || missing "$python not found"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" || missing "python3 -m venv failed"
fi
"$venv/bin/python" -c "import sympy, symengine" 2>/dev/null ||
    "$venv/bin/pip" install --quiet sympy symengine ||
    echo "peers: pip install failed; engines that do not import are recorded as missing" >&2
"$venv/bin/python" "$here/measure.py" --out "$out" "$@"
echo "peers: done" >&2
