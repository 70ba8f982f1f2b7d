"""The figures' data functions on a small synthetic result set (no training, no pinned files), their registration
and their drawing."""

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.config import RunContext
from paperrepro.core.figures import render
from paperrepro.memory_factors import analysis, figure_data
from paperrepro.memory_factors.figures import REGISTRY
from paperrepro.memory_factors.params import Params

CONDITIONS = ("hebbian", "tethered", "dynamic_input", "variable_delay", "multitask")
N_SEEDS = 6
N_UNITS = 5
N_STEPS = 12
MAX_LAG = 2
#: a network of every condition whose seed is this one fails the pass filter
FAILED_SEED = 2
#: Delta SI built into each condition (basic partner SI + shift)
SHIFT = {"basic": 0.0, "hebbian": -0.5, "tethered": 0.2, "dynamic_input": 0.5, "variable_delay": -0.5, "multitask": 0.5}


def synthetic_results() -> tuple[xr.Dataset, xr.Dataset]:
    """A network table of 2AFC and DE-1 basic networks (6 seeds), each condition paired with them (multitask: COMP-2AFC
    only), and an examples dataset of two networks."""
    rng = np.random.default_rng(0)
    rows = []
    for task in ("2AFC", "DE-1"):
        for seed in range(1, N_SEEDS + 1):
            for condition in ("basic", *CONDITIONS):
                if condition == "multitask" and task != "2AFC":
                    continue
                rows.append((condition, task, "COMP" if condition == "multitask" else "", 0.95, 0.1 * seed, seed))
    n = len(rows)
    si = np.array([1.0 + s + (0.5 if t == "DE-1" else 0.0) + SHIFT[c] for c, t, _, _, s, _ in rows])
    passed = np.array([seed != FAILED_SEED for *_, seed in rows])
    coords = {
        name: ("network", np.array([r[i] for r in rows]))
        for i, name in enumerate(("condition", "task", "first_task", "lambda0", "sigma0", "seed"))
    }
    coords["job"] = coords["seed"]
    coords["rho"] = ("network", np.zeros(n))
    coords["key"] = ("network", np.array([f"{r[0]}/{r[1]}/rho0/job{r[5]:03d}" for r in rows]))
    table = xr.Dataset(
        {
            "SI": ("network", np.where(passed, si, np.nan)),
            "SI_unfiltered": ("network", si),
            "SI_entropy": ("network", si / 2),
            "SI_logr2b": ("network", si / 2),
            "infloss_test": ("network", np.where(passed, 0.1, 0.9)),
            "passed": ("network", passed.astype(np.int8)),
            "iterations": ("network", np.full(n, 100, np.int64)),
            "extensions": ("network", np.zeros(n, np.int32)),
            "weight_profile": (("network", "lag"), rng.standard_normal((n, 2 * MAX_LAG + 1))),
            "asymmetry": ("network", si + 0.01 * rng.standard_normal(n)),
            "infloss_train": (("network", "report"), np.linspace(1.0, 0.1, 3)[None, :].repeat(n, 0)),
        },
        coords={"network": np.arange(n), "lag": np.arange(-MAX_LAG, MAX_LAG + 1), "report": [0, 50, 100], **coords},
    )
    # example activity: unit u peaks at step 2 u (units sorted by peak are 0..4); unit 4 silent in the second example
    mean = np.zeros((2, N_STEPS, N_UNITS))
    for u in range(N_UNITS):
        mean[:, 2 * u, u] = 1.0 + u
    mean[1, :, N_UNITS - 1] = 0.0
    examples = xr.Dataset(
        {
            "mean_activity": (("example", "time", "unit"), mean),
            "example_si": ("example", [1.1, 2.2]),
        },
        coords={"example": [0, 1], "time": 20.0 * np.arange(N_STEPS), "example_key": ("example", ["low", "high"])},
    )
    return table, examples


@pytest.fixture(scope="module")
def results():
    return synthetic_results()


def test_registrations_are_named_data_functions():
    assert REGISTRY.names == [
        "coupling",
        "si_by_task",
        *CONDITIONS,
        "rho",
        "examples",
        "mechanism",
        "performance",
    ]
    for name in REGISTRY.names:
        compute = REGISTRY.get(name).compute
        assert compute is getattr(figure_data, name) and compute.__name__ == name and compute.__doc__


@pytest.mark.parametrize("condition", CONDITIONS)
def test_condition_figures_compute_their_own_condition(results, monkeypatch, tmp_path, condition):
    monkeypatch.setattr(figure_data, "load", lambda ctx: results)
    ctx = RunContext("memory_factors", "synthetic", Params(), seed=0, data_dir=tmp_path)
    ds = REGISTRY.get(condition).compute(ctx)
    assert ds.attrs["condition"] == condition
    xr.testing.assert_identical(ds, analysis.condition_delta(results[0], condition))
    first = ds["task_summary"].values[0]
    assert float(ds["delta_mean"].sel(task_summary=first)) == pytest.approx(SHIFT[condition])
    assert int(ds["n_pairs"].sel(task_summary=first)) == N_SEEDS - 1  # the failed seed is counted, not paired
    assert float(ds["pass_fraction_condition"].sel(task_summary=first)) == pytest.approx((N_SEEDS - 1) / N_SEEDS)
    render(REGISTRY.get(condition), ds)


def test_examples_data_sorts_and_normalises_the_rasters(results):
    table, examples = results
    ds = figure_data.examples_data(table, examples, si_threshold=0.01)
    assert ds["raster"].sizes == {"example": 2, "rank": N_UNITS, "time": N_STEPS}
    first = ds["raster"].sel(example=0).values
    np.testing.assert_array_equal(np.argmax(first, axis=1), 2 * np.arange(N_UNITS))  # peak order
    np.testing.assert_allclose(np.nanmax(first, axis=1), 1.0)
    assert np.isnan(ds["raster"].sel(example=1, rank=N_UNITS - 1)).all()  # one unit fewer selected
    basic_passing = (table["condition"] == "basic").values & (table["passed"] == 1).values
    assert ds.sizes["network"] == basic_passing.sum()
    np.testing.assert_allclose(np.sort(ds["si"].values), np.sort(table["SI"].values[basic_passing]))


def test_mechanism_data_keeps_passing_networks_and_correlates(results):
    table, _ = results
    ds = figure_data.mechanism_data(table)
    assert ds.sizes["network"] == int(table["passed"].sum()) and np.isfinite(ds["si"]).all()
    r, p = analysis.spearman(ds["si"].values, ds["asymmetry"].values)
    assert float(ds["spearman_asymmetry_si"]) == pytest.approx(r) and r > 0.9 and float(ds["spearman_p"]) == pytest.approx(p)


def test_performance_data_reports_failures(results):
    table, _ = results
    ds = figure_data.performance_data(table, pass_threshold=0.5)
    assert ds.sizes["network"] == table.sizes["network"]  # failed networks are kept
    assert float(ds["pass_fraction_all"]) == pytest.approx((N_SEEDS - 1) / N_SEEDS)
    assert float(ds["pass_fraction"].sel(condition="multitask", task_label="COMP-2AFC")) == pytest.approx((N_SEEDS - 1) / N_SEEDS)
    assert np.isnan(float(ds["pass_fraction"].sel(condition="multitask", task_label="DE-1")))
    assert float(ds["pass_threshold"]) == 0.5


@pytest.mark.parametrize("name", ["coupling", "si_by_task", "rho", "examples", "mechanism", "performance"])
def test_every_figure_draws_from_synthetic_results(results, monkeypatch, tmp_path, name):
    monkeypatch.setattr(figure_data, "load", lambda ctx: results)
    ctx = RunContext("memory_factors", "synthetic", Params(), seed=0, data_dir=tmp_path)
    figure = REGISTRY.get(name)
    fig = render(figure, figure.compute(ctx))
    assert fig.axes
