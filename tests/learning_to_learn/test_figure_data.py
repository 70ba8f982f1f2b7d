"""The figures' data functions on small synthetic per-network summaries with known answers (no training), their
registration, and their drawing."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import xarray as xr

from paperrepro.core.figures import render
from paperrepro.learning_to_learn import figure_data, plots
from paperrepro.learning_to_learn.analysis import GROUP, PERTURBATION_CONDITIONS
from paperrepro.learning_to_learn.figures import REGISTRY
from paperrepro.learning_to_learn.params import Params

matplotlib.use("Agg")

#: perturbation design of the synthetic summaries: 3 base problems, then 2 perturbed ones
PERT = Params(pert_base_problems=3, pert_problems=2, pert_max_trials=300)
N_LAGS = 2 * GROUP + 1


def perturbation_summary(seed: int) -> xr.Dataset:
    """Trials per run and problem: problem 1 of the control run 100 + seed; perturbed problems frozen 20 and 40, D->S
    60 and NaN (capped), S->S 30 and 30; a sixth problem beyond the design that must be ignored."""
    trials = np.array(
        [
            [100.0 + seed, 50, 40, 20, 40, 999],
            [100.0, 50, 40, 60, np.nan, 999],
            [100.0, 50, 40, 30, 30, 999],
        ]
    )
    return xr.Dataset(
        {"trials": (("condition", "problem"), trials)},
        coords={"condition": ["control", "ds", "ss"], "problem": np.arange(1, 7)},
    )


def cvfc_summary(seed: int, last_problem: int) -> xr.Dataset:
    """CVFC magnitude 1 / lag in group 1 (times 1 + seed), 2 / lag in group 2; suppression 1 along dZ, 2 across."""
    lags = np.arange(1, last_problem)
    problems = np.arange(2, last_problem + 1)
    groups = np.arange(1, (last_problem - 1) // GROUP + 1)
    magnitude = np.stack([(1.0 + seed) * g / lags for g in groups])
    return xr.Dataset(
        {
            "cvfc_group": (("group", "lag"), magnitude),
            "cvfc_sup": (("component", "problem"), np.stack([np.ones(problems.size), 2 * np.ones(problems.size)])),
            "dims": (("problem", "component"), np.ones((problems.size, 2))),
        },
        coords={"group": groups, "lag": lags, "component": ["par", "perp"], "problem": problems},
    )


def test_registrations_are_the_data_functions():
    assert REGISTRY.names == ["fig1", "fig2", "fig3", "fig5_6", "fig7"]
    for name, figure in REGISTRY.figures.items():
        assert figure.compute is getattr(figure_data, name) and figure.compute.__name__ == name
        assert figure.trains(Params(source="train")) and not figure.trains(Params(source="pinned"))


def test_fig3_data_means_caps_and_ratios():
    ds = figure_data.fig3_data({0: perturbation_summary(0), 1: perturbation_summary(1)}, PERT)
    assert list(ds["condition"].values) == list(PERTURBATION_CONDITIONS)
    np.testing.assert_array_equal(ds["trials"].sel(condition="problem1").values, [100.0, 101.0])
    np.testing.assert_allclose(ds["trials"].sel(network=0).values, [100.0, 30.0, (60 + 300) / 2, 30.0])
    assert int(ds["n_capped"].sel(network=1, condition="ds")) == 1 and int(ds["n_capped"].sel(condition="frozen").sum()) == 0
    np.testing.assert_allclose(ds["ratio_ds_frozen"].values, 180.0 / 30.0)
    np.testing.assert_allclose(ds["ratio_ds_ss"].values, 180.0 / 30.0)
    render(REGISTRY.get("fig3"), ds)


@pytest.mark.parametrize("last_problem", [2 * GROUP + 1, 8])
def test_fig7_data_lag_ratio(last_problem):
    ds = figure_data.fig7_data({s: cvfc_summary(s, N_LAGS + 1) for s in (0, 1)}, last_problem)
    assert ds.sizes["lag"] == last_problem - 1 and int(ds["problem"].max()) == last_problem
    far = min(figure_data.FIG7_FAR_LAG, last_problem - 1)
    np.testing.assert_allclose(ds["cvfc_lag1_over_lag10"].values, far)  # (1 / 1) / (1 / far)
    assert ds.sizes["group"] == max((last_problem - 1) // GROUP, 1)
    render(REGISTRY.get("fig7"), ds)


def test_fig2_data_takes_the_lowest_seed():
    def summary(seed: int) -> xr.Dataset:
        ds = xr.Dataset({name: ((), float(seed)) for name in figure_data.FIG2_VARIABLES})
        ds.attrs["fig2_problems"] = "2-51"
        return ds

    ds = figure_data.fig2_data({3: summary(3), 1: summary(1)})
    assert ds.attrs == {"problems": "2-51", "network": 1} and float(ds["power_share"]) == 1.0


def test_plot_helpers():
    np.testing.assert_array_equal(plots.group_centres(np.array([1, 2, 3])), [25, 75, 125])
    mean, sem = plots.mean_sem(np.array([[1.0, 2.0], [3.0, 6.0]]))
    np.testing.assert_allclose(mean, [2.0, 4.0])
    np.testing.assert_allclose(sem, [1.0, 2.0])
    np.testing.assert_array_equal(plots.mean_sem(np.array([[1.0, 2.0]]))[1], [0.0, 0.0])
