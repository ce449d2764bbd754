#!/usr/bin/env bash
# Gradients and Hessians at scale: CasADi beside symdiff on the workloads of issue 9, in one run.
#
#   bench/peers/run_scale.sh [--quick] [scale_casadi.py options...]
#
# 1. Creates a virtual environment in bench/peers/.venv-scale (PYTHON=python3.x picks the
#    interpreter) and installs CasADi from PyPI into it.
# 2. Builds the symdiff command line in release mode (SYMDIFF=path uses that binary instead).
# 3. Runs scale_casadi.py: CasADi's gradient + Function construction, instruction counts and
#    Hessians -> bench/peers/scale_casadi.csv; the same functions (written as symdiff input
#    text) through `symdiff grad` and `symdiff hessian` -> bench/peers/scale_symdiff_cli.csv.
# 4. When symdiff's own scale benchmark exists (crates/rewrite/examples/scale.rs), runs it too
#    -> bench/peers/scale_symdiff_api.md (its markdown table: CPU and wall time of the API call,
#    result DAG, peak memory).
#
# The machine may be shared: run it when it is quiet, and compare figures from one run only.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv-scale"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -c "import casadi" 2>/dev/null || "$venv/bin/pip" install --quiet casadi

symdiff="${SYMDIFF:-}"
if [ -z "$symdiff" ]; then
    (cd "$root" && cargo build --release --quiet -p symdiff --bin symdiff)
    symdiff="$root/target/release/symdiff"
fi

"$venv/bin/python" "$here/scale_casadi.py" --symdiff "$symdiff" "$@"

if [ -f "$root/crates/rewrite/examples/scale.rs" ]; then
    quick=""
    for arg in "$@"; do [ "$arg" = "--quick" ] && quick="--quick"; done
    (cd "$root" && cargo run --release --quiet -p symdiff-rewrite --example scale -- $quick) \
        >"$here/scale_symdiff_api.md"
fi
echo "scale: done" >&2
