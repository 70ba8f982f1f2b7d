"""Every figure builds from a tiny quick-design run (untrained networks; all forced to pass)."""

import numpy as np
import pytest
import xarray as xr
from scipy.stats import spearmanr

from paperrepro.core.config import RunContext
from paperrepro.core.figures import build
from paperrepro.core.reference import evaluate, load_checks
from paperrepro.memory_factors.figures import REGISTRY, condition_delta, coupling_data, si_by_task_data, weight_profile
from paperrepro.memory_factors.grid import grid_specs
from paperrepro.memory_factors.params import Params

TINY = Params(design="quick", n_hidden=12, n_iterations=6, n_test_batches=2, n_si_batches=2, monitor_every=5,
              keep_hidden="examples", rho=(0.0, 1e-4), pass_threshold=1e9)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return RunContext("memory_factors", "smoke", TINY, seed=0, data_dir=tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize("name", REGISTRY.names)
def test_figure_builds(ctx, tmp_path, name):
    result = build(REGISTRY.get(name), ctx, folder=tmp_path)
    png, nc = REGISTRY.get(name).outputs(tmp_path)
    assert png.is_file() and nc.is_file() and nc.stat().st_size < 1_000_000
    assert result is not None


def test_weight_profile_forward_chain():
    w = np.zeros((4, 4))
    order = np.array([2, 0, 3, 1])
    for a, b in zip(order[:-1], order[1:], strict=False):
        w[a, b] = 1.0  # earlier -> later
    profile, asym = weight_profile(w, order, 3)
    assert profile[3 + 1] == 1.0 and profile[3 - 1] == 0.0 and asym > 0


# ------------------------------------------------- grid-design statistics and paper directions (no training)
GRID = Params(lambda0=(0.8, 0.9, 0.98), sigma0=(0.0, 0.2, 0.4))
TASK_SI = {"DE-1": 2.0, "2AFC": 2.2, "DE-2": 2.5, "GDE": 2.6, "CD": 3.0, "COMP": 3.2, "Sine": 3.4}


def synthetic_summary(hebbian_shift: float = -0.4, seed: int = 0) -> xr.Dataset:
    """A summary like grid.summarize() of a 3 x 3 grid: SI rises with sigma0; the last grid point fails."""
    specs = grid_specs(GRID)
    shift = {"basic": 0.0, "hebbian": hebbian_shift, "tethered": 0.1, "dynamic_input": 0.4, "variable_delay": -0.4,
             "multitask": 0.4}
    rng = np.random.default_rng(seed)
    si = np.array([TASK_SI[s.task] + 2.0 * s.sigma0 - s.lambda0 + shift[s.condition] for s in specs])
    si += 0.05 * rng.standard_normal(si.size)
    passed = np.array([s.job != 9 for s in specs])
    coords = {name: ("network", np.array([getattr(s, name) for s in specs]))
              for name in ("condition", "task", "first_task", "lambda0", "sigma0", "rho", "job", "seed")}
    data = {"SI": ("network", np.where(passed, si, np.nan)), "SI_unfiltered": ("network", si),
            "SI_entropy": ("network", si / 2), "SI_logr2b": ("network", si / 2),
            "infloss_test": ("network", np.where(passed, 0.1, 0.9)), "passed": ("network", passed.astype(np.int8)),
            "n_selected_mean": ("network", np.full(si.size, 10.0))}
    return xr.Dataset(data, coords={"network": np.arange(len(specs)), **coords})


def test_grid_statistics_on_a_synthetic_summary():
    summary = synthetic_summary()
    ds = coupling_data(summary, grid=True)
    assert (ds["spearman_si_sigma0"] > 0.5).all() and (ds["spearman_p"] < 0.05).all()
    basic = summary.isel(network=np.flatnonzero((summary["condition"] == "basic").values
                                                & (summary["task"] == "CD").values & (summary["passed"] == 1).values))
    expected = spearmanr(basic["sigma0"].values, basic["SI"].values)
    assert float(ds["spearman_si_sigma0"].sel(task="CD")) == pytest.approx(expected.statistic)
    np.testing.assert_allclose(ds["pass_fraction"], 8 / 9)
    assert ds["spearman_si_sigma0"].attrs["units"] == "1" and "Spearman" in ds["spearman_si_sigma0"].attrs["long_name"]
    assert "spearman_si_sigma0" not in coupling_data(summary, grid=False)

    hebbian = condition_delta(summary, "hebbian", grid=True)
    pairs = hebbian["delta_si"].where(hebbian["task"] == "GDE").values
    assert float(hebbian["delta_median"].sel(task_summary="GDE")) == pytest.approx(np.nanmedian(pairs))
    assert (hebbian["delta_median"] < 0).all() and (hebbian["wilcoxon_p"] < 0.05).all()
    assert (hebbian["n_pairs"] == 8).all() and np.allclose(hebbian["pass_fraction"], 8 / 9)
    assert hebbian["delta_median"].attrs["long_name"] == "median Delta SI"
    quick_like = condition_delta(summary, "hebbian")
    assert "delta_median" not in quick_like and "pass_fraction" not in quick_like
    multitask = condition_delta(summary, "multitask", grid=True)
    assert list(multitask["task_summary"].values) == ["CD-2AFC", "2AFC-CD", "2AFC-COMP", "COMP-2AFC"]


def paper_checks(summary: xr.Dataset) -> dict[str, list]:
    """The paper-profile reference checks of every figure with grid statistics, evaluated on ``summary``."""
    data = {"coupling": coupling_data(summary, grid=True), "si_by_task": si_by_task_data(summary)}
    for condition in ("hebbian", "variable_delay", "dynamic_input", "multitask"):
        data[condition] = condition_delta(summary, condition, grid=True)
    return {name: evaluate(ds, load_checks(REGISTRY.get(name).reference_file), "paper") for name, ds in data.items()}


def test_paper_directions_are_warnings():
    results = paper_checks(synthetic_summary())
    assert sum(len(r) for r in results.values()) == 7 + 6 + 14 + 6 + 8 + 8
    assert all(r.check.severity == "warn" and "VERIFY" in r.check.source for rs in results.values() for r in rs)
    assert all(r.outcome == "ok" for rs in results.values() for r in rs)
    flipped = paper_checks(synthetic_summary(hebbian_shift=0.4))
    assert {r.outcome for r in flipped["hebbian"] if r.check.variable == "delta_median"} == {"WARN"}
    assert all(r.passed for rs in flipped.values() for r in rs)
