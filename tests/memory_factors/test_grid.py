"""Units of work, per-network result files (skip, config hash), summary."""

import numpy as np
import pytest

from paperrepro.core.activity import read_netcdf
from paperrepro.core.errors import DataError
from paperrepro.memory_factors.grid import grid_specs, network_specs, run_networks, summarize
from paperrepro.memory_factors.params import LAMBDA_GRID, SIGMA0_GRID, Params


def test_grid_layout():
    assert sum(lam + sig > 1 for lam in LAMBDA_GRID for sig in SIGMA0_GRID) == 70
    specs = grid_specs(Params())
    count = {}
    for s in specs:
        count[s.condition] = count.get(s.condition, 0) + 1
    assert count == {"basic": 700, "hebbian": 700, "tethered": 700, "dynamic_input": 600, "variable_delay": 300, "multitask": 400}
    job37 = next(s for s in specs if s.condition == "basic" and s.task == "2AFC" and s.job == 37)
    assert job37.lambda0 == pytest.approx(LAMBDA_GRID[6]) and job37.sigma0 == pytest.approx(SIGMA0_GRID[3])
    assert job37.seed == 37 and job37.key == "basic/2AFC/rho0/job037"
    assert len({s.key for s in specs}) == len(specs)


def test_quick_design():
    keys = [s.key for s in network_specs(Params(design="quick", rho=(0.0, 1e-4)))]
    assert keys[:3] == [
        "basic/2AFC/rho0/lambda0.96_sigma0",
        "basic/2AFC/rho0/lambda0.96_sigma0.2",
        "basic/COMP/rho0/lambda0.96_sigma0",
    ]
    assert "multitask/COMP-2AFC/rho0/lambda0.96_sigma0.2" in keys and len(keys) == 9


TINY = dict(
    design="quick",
    n_hidden=12,
    n_iterations=11,
    n_test_batches=3,
    n_si_batches=2,
    monitor_every=5,
    keep_hidden="examples",
    conditions=("basic", "variable_delay", "multitask"),
)


def test_run_skip_and_summary(tmp_path):
    params = Params(**TINY)
    specs = network_specs(params)
    paths = run_networks(specs, params, tmp_path)
    ds = read_netcdf(paths[0])
    assert ds["hidden"].shape == (100, 150, 12) and ds.attrs["status"] == "complete"
    assert ds["infloss_train"].sizes["report"] == 3 and ds["time"].attrs["units"] == "ms"
    assert ds.attrs["passed"] in (0, 1) and (ds.attrs["passed"] == 1 or np.isnan(ds.attrs["SI"]))
    vardelay = read_netcdf(next(p for p in paths if "variable_delay" in str(p)))
    assert "hidden" not in vardelay and "delay" in vardelay.coords
    assert np.isfinite(vardelay.attrs["SI_vardelay_all"])
    multi = read_netcdf(next(p for p in paths if "multitask" in str(p)))
    assert "infloss_train_first" in multi and np.isfinite(multi.attrs["infloss_test_first"])
    mtimes = [p.stat().st_mtime_ns for p in paths]
    run_networks(specs, params, tmp_path)  # complete results are skipped
    assert [p.stat().st_mtime_ns for p in paths] == mtimes
    with pytest.raises(DataError, match="another configuration"):
        run_networks(specs[:1], Params(**{**TINY, "lr": 1e-3}), tmp_path)
    summary = summarize(paths)
    assert summary.sizes["network"] == len(specs)
    assert set(summary["condition"].values) == {"basic", "variable_delay", "multitask"}


def test_batched_block_path(tmp_path):
    params = Params(**{**TINY, "conditions": ("basic",)})
    specs = network_specs(params)[:2]  # same column (basic 2AFC), two sigma0
    batched = run_networks(specs, params, tmp_path / "b", block_size=2)
    single = run_networks(specs, params, tmp_path / "s")
    for b, s in zip(batched, single, strict=False):
        np.testing.assert_allclose(read_netcdf(b)["W_hh"], read_netcdf(s)["W_hh"], rtol=1e-4, atol=1e-6)
