"""Computed checks at small scale (`smoke` grid, 20 networks), every figure buildable, and the full quick profile (slow)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from paperrepro.core import reference
from paperrepro.core.config import RunContext
from paperrepro.core.figures import build
from paperrepro.rotational import figures as F
from paperrepro.rotational.network import grid_units, run_grid
from paperrepro.rotational.params import Params

SMOKE = Params(association=(0.0, 0.95, 2), structure_cov=(0.0, 0.45, 2), n_seeds=5, n_shuffles=200)


@pytest.fixture(scope="module")
def smoke_grid():
    return run_grid(SMOKE, base_seed=0)


def _pooled(da):
    return da.groupby("association").mean()


def test_grid_layout(smoke_grid):
    ds = smoke_grid
    assert ds.sizes["network"] == 20
    units = grid_units(SMOKE)
    assert [u.association for u in units[:2]] == [0.0, 0.95]  # association fastest
    assert ds["seed"].values.tolist() == [u.seed for u in units]
    assert ds["auc"].dims == ("network", "readout", "labels", "t_test")


def test_smoke_values(smoke_grid):
    """Paper-scale grid: AUC, interference and orthogonality against the references (docs/rotational.md)."""
    ds = smoke_grid
    auc = ds["auc"]
    for readout, labels, t, ref, tol in (
        ("AX0", "AX", 0, 0.911, 0.044),
        ("AX1", "AX", 1, 0.747, 0.055),
        ("CCprime0", "CCprime", 0, 0.499, 0.044),
        ("CCprime1", "CCprime", 1, 0.803, 0.055),
    ):
        pooled = _pooled(auc.sel(readout=readout, labels=labels, t_test=t)).values
        assert np.all(np.abs(pooled - ref) <= tol), (readout, pooled)
    sen = _pooled(ds["postdiction"].sel(readout="AX0", labels="AX", subset="unexp")).values
    mem = _pooled(ds["postdiction"].sel(readout="AX1", labels="AX", subset="unexp")).values
    assert sen[1] < 0.40 < 0.45 < sen[0]
    assert np.all(mem > 0.65)
    assert _pooled(ds["angle"].sel(axis_pair="sen_CC")).values[1] < 75.0


def test_grid_executor_independent(smoke_grid):
    small = Params(association=(0.0, 0.95, 2), structure_cov=(0.0, 0.45, 2), n_seeds=1, n_shuffles=200)
    with ThreadPoolExecutor(2) as pool:
        parallel = run_grid(small, map_fn=lambda fn, units: list(pool.map(fn, units)))
    np.testing.assert_array_equal(parallel["auc"].values, smoke_grid["auc"].values[:4])
    np.testing.assert_array_equal(parallel["zscore"].values, smoke_grid["zscore"].values[:4])


def test_every_figure_builds_and_its_checks_apply(tmp_path):
    """Every figure builds on a small grid with intermediate association levels, and every reference check finds
    its variable and selection in the figure data (the values are not judged at this scale)."""
    ctx = RunContext(
        "rotational", "smoke", Params(association=(0.0, 0.95, 3), structure_cov=(0.0, 0.45, 2), n_seeds=1, n_shuffles=100)
    )
    for name, figure in F.REGISTRY.figures.items():
        result = build(figure, ctx, check=True, folder=tmp_path)
        assert result.png.stat().st_size > 0 and result.data.stat().st_size < 1_000_000, name
        assert len(result.checks) == len(reference.load_checks(figure.reference_file)) > 0, name


@pytest.mark.slow
def test_quick_profile_against_references(tmp_path):
    """The default grid (the paper's 10 x 50, 500 networks; about 3 min of CPU) against every reference check."""
    ctx = RunContext("rotational", "quick", Params())
    failures = []
    for name, figure in F.REGISTRY.figures.items():
        result = build(figure, ctx, check=True, folder=tmp_path)
        failures += [(name, r.check.name, r.computed_text()) for r in result.checks if r.failed]
    assert not failures
