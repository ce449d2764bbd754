"""The Dask example (examples/python/dask_gradient.py) at a small size on a LocalCluster with
two worker processes: the compiled gradient is pickled to the workers and agrees with NumPy."""

import pathlib
import runpy

import numpy as np
import pytest

pytest.importorskip("dask.distributed")

EXAMPLE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "python" / "dask_gradient.py"


def test_dask_example_runs_on_a_local_cluster():
    example = runpy.run_path(str(EXAMPLE), run_name="dask_gradient")
    mean_norm, check, _ = example["main"](["--points", "200000", "--chunk", "50000", "--workers", "2"])
    assert check < 1e-9
    # The same mean computed without Dask or symdiff.
    import dask.array as da

    rng = da.random.default_rng(0)
    x = rng.uniform(-2.0, 2.0, size=200_000, chunks=50_000).compute()
    y = rng.uniform(-1.0, 3.0, size=200_000, chunks=50_000).compute()
    expected = np.sqrt((example["numpy_gradient"](x, y) ** 2).sum(axis=0)).mean()
    assert mean_norm == pytest.approx(expected, rel=1e-12)
