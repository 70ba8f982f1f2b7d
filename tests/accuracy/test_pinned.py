"""The committed pinned checkpoints rebuild the committed quick-profile figure data (through the pooch registry)."""
import numpy as np
import pytest
import xarray as xr

from paperrepro.accuracy.figures import REGISTRY
from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf
from paperrepro.core.figures import build

FAST = ("fano", "single_unit", "weights", "input_weights")  # about 1-2 s each
COMMITTED = paths.PACKAGE_DIR.parent / "figures" / "accuracy"


def _rebuild(name: str, folder):
    ctx = REGISTRY.context("quick")
    figure = REGISTRY.get(name)
    if figure.missing_data:
        pytest.skip(f"{name} waits for {figure.missing_data}")
    result = build(figure, ctx, check=True, folder=folder)
    assert result.checks and result.passed, [(r.check.name, r.computed_text()) for r in result.checks if not r.passed]
    return read_netcdf(result.data), read_netcdf(COMMITTED / f"{name}.nc")


def _assert_same_data(new: xr.Dataset, old: xr.Dataset) -> None:
    assert set(new.data_vars) == set(old.data_vars)
    for name, var in old.data_vars.items():
        if np.issubdtype(var.dtype, np.number):
            np.testing.assert_allclose(new[name].values, var.values, rtol=1e-6, atol=1e-9, equal_nan=True,
                                       err_msg=name)
        else:
            np.testing.assert_array_equal(new[name].values, var.values, err_msg=name)


@pytest.mark.parametrize("name", FAST)
def test_pinned_bundles_rebuild_the_committed_data(name, tmp_path):
    _assert_same_data(*_rebuild(name, tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in REGISTRY.names if n not in FAST])
def test_pinned_bundles_rebuild_every_other_figure(name, tmp_path):
    """psth, endpoints, R figures and heatmap360 (≈ 70 s in all; heatmap360 needs ≈ 2.7 GB)."""
    _assert_same_data(*_rebuild(name, tmp_path))
