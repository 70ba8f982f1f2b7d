"""The shared checkpoint store, stage rules, pin mechanics and cue-grid convention of the oculomotor papers."""

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.errors import DataError
from paperrepro.oculomotor.performance import group_by_stage, spread_pick, stage_by_threshold
from paperrepro.oculomotor.pin import register, sha256_file, write_bundle
from paperrepro.oculomotor.plotting import compass_to_task, grid_cell, location_cells
from paperrepro.oculomotor.store import LoadedStore, PinnedFile, kernel_dataset, log_to_dataset, weights_dataset


def _log(n=6):
    """A log whose perf entries are one evaluation ahead of ``trials`` (written between two checkpoints)."""
    log = {"trials": [1280 * i for i in range(n)], "times": [float(i) for i in range(n + 1)], "perf_avg": [0.0] * (n + 1)}
    for task in ("odr", "odrd"):
        log["perf_" + task] = list(np.linspace(0.2, 1.0, n + 1))
    return log


def _weights(trial, n_in=15, n=4, n_out=9):
    rng = np.random.default_rng(trial)
    return {
        "kernel": rng.standard_normal((n_in + n, n)).astype(np.float32),
        "bias": rng.standard_normal(n).astype(np.float32),
        "w_out": rng.standard_normal((n, n_out)).astype(np.float32),
        "b_out": rng.standard_normal(n_out).astype(np.float32),
    }


def test_log_to_dataset_trims_and_skips_summaries():
    ds = log_to_dataset(_log())
    assert ds["task"].values.tolist() == ["odr", "odrd"]  # perf_avg is not a task
    assert ds.sizes["log_trial"] == 6 and "cost" not in ds  # trimmed to the trials; no cost_ entries in this log
    assert ds["wall_time"].values[-1] == 5.0 and ds["perf"].sel(task="odr").values[-1] == pytest.approx(0.2 + 0.8 * 5 / 6)


def test_both_bundle_layouts_read_to_the_same_weights(tmp_path):
    log = log_to_dataset(_log())
    trials = log["log_trial"].values
    store = LoadedStore(trials, log, _weights)
    split = weights_dataset(store, [1280, 3840]).merge(log.assign(cost=log["perf"] * 0))
    split.attrs["config_json"] = "{}"
    split.to_netcdf(tmp_path / "split.nc")
    kernel = kernel_dataset(store, [1280, 3840], {"rule": ["odr", "odrd"], "eval_trials": ("eval", trials)})
    kernel["perf"] = (("rule", "eval"), log["perf"].values.T)
    kernel.to_netcdf(tmp_path / "kernel.nc")
    a, b = PinnedFile(tmp_path / "split.nc"), PinnedFile(tmp_path / "kernel.nc")
    for t in (1280, 3840):
        for name, value in _weights(t).items():
            np.testing.assert_array_equal(a.weights(t)[name], value)
            np.testing.assert_array_equal(b.weights(t)[name], value)
    xr.testing.assert_equal(a.log["perf"], b.log["perf"])
    assert a.attrs["source"] == b.attrs["source"] == "pinned"
    with pytest.raises(DataError, match="not in the bundle"):
        b.weights(0)


def test_stage_rules():
    perf = [0.2, 0.35, 0.36, 0.65, 0.66, 1.0]
    assert stage_by_threshold(perf).tolist() == ["early", "early", "mid", "mid", "mature", "mature"]
    assert group_by_stage([1, 2, 3, 4, 5, 6], perf) == {"early": [1, 2], "mid": [3, 4], "mature": [5, 6]}
    assert spread_pick(list(range(10)), 4) == [0, 3, 6, 9] and spread_pick([5, 6], 4) == [5, 6]
    assert spread_pick(list(range(10)), None) == list(range(10))


def test_write_bundle_registers_and_refuses_large_files(tmp_path):
    registry = tmp_path / "registry.txt"
    registry.write_text("# head\nx.nc sha256:00 committed\n")
    ds = xr.Dataset({"a": ("i", np.arange(1000.0))})
    path, sha = write_bundle(ds, tmp_path / "x.nc", max_bytes=10**6, registry=registry)
    assert sha == sha256_file(path) and registry.read_text() == f"# head\nx.nc sha256:{sha} committed\n"
    register(registry, "y.nc", "ab")
    assert registry.read_text().splitlines()[-1] == "y.nc sha256:ab committed"
    with pytest.raises(DataError, match="MB"):
        write_bundle(ds, tmp_path / "big.nc", max_bytes=100)
    assert not (tmp_path / "big.nc").exists()


def test_cue_grid_convention():
    assert grid_cell(0) == (1, 2) and grid_cell(90) == (0, 1) and grid_cell(180) == (1, 0) and grid_cell(270) == (2, 1)
    assert compass_to_task(0) == 90 and compass_to_task(90) == 0
    # the maturation figure (compass view, as the authors' 115.png) and the accuracy one (the convention itself)
    compass = location_cells(8, compass=True)
    assert [compass[loc][0] * 3 + compass[loc][1] for loc in range(8)] == [1, 2, 5, 8, 7, 6, 3, 0]
    assert location_cells(8)[1] == (0, 2) and location_cells(8)[3] == (0, 0)
