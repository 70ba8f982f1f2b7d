"""The grid summaries of the analysis module on constructed data with known answers, and the figures' data functions
on a small synthetic grid (no networks simulated)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from paperrepro.rotational import analysis as an
from paperrepro.rotational import figure_data
from paperrepro.rotational.figures import REGISTRY
from paperrepro.rotational.model import CONDITIONS

ASSOCIATION = (0.0, 0.5, 0.95)
STRUCTURE = (0.0, 0.25, 0.5)
SEEDS = (0, 1)
TRIALS_PER_CONDITION = 3


def synthetic_grid() -> xr.Dataset:
    """A grid of 3 x 3 x 2 networks, association fastest, with known AUCs, counts and projections.

    postdiction AUC = 0.9 - 0.4 * association (sensory) and 0.8 (memory); counts: stable = 10 + 20 * structure + seed,
    memory-only = 5 (the other categories 0); projections: the AX0 read-out scores X trials +1 and A trials -1.
    """
    rows = [(a, s, seed) for seed in SEEDS for s in STRUCTURE for a in ASSOCIATION]
    n = len(rows)
    assoc = np.array([r[0] for r in rows])
    struct = np.array([r[1] for r in rows])
    seed = np.array([r[2] for r in rows])
    postdiction = np.zeros((n, len(an.READOUTS), len(an.LABELS), len(an.SUBSETS)))
    postdiction[:, 0] = (0.9 - 0.4 * assoc)[:, None, None]
    postdiction[:, 1] = 0.8
    counts = np.zeros((n, len(an.CATEGORIES)), np.int64)
    counts[:, an.CATEGORIES.index("AA")] = 10 + np.round(20 * struct).astype(np.int64) + seed
    counts[:, an.CATEGORIES.index("0A")] = 5
    conditions = np.repeat(np.arange(len(CONDITIONS)), TRIALS_PER_CONDITION)
    x_trial = an.labels(conditions, "AX")
    y_score = np.zeros((n, len(an.READOUTS), 2, conditions.size))
    y_score[:, 0] = 2.0 * x_trial - 1.0
    y_score[:, 1] = np.linspace(-1, 1, conditions.size)  # AX1: scores rise with the trial index (X trials last)
    y_score[:, 1, :, 0] = np.nan  # a trial not scored
    return xr.Dataset(
        {
            "auc": (("network", "readout", "labels", "t_test"), np.full((n, 4, 2, 2), 0.7)),
            "postdiction": (("network", "readout", "labels", "subset"), postdiction),
            "angle": (("network", "axis_pair"), np.full((n, 3), 90.0)),
            "zscore": (("network", "labels", "t", "unit"), np.zeros((n, 2, 2, 4))),
            "counts": (("network", "category"), counts),
            "y_score": (("network", "readout", "t_test", "trial"), y_score),
        },
        coords={
            "network": np.arange(n),
            "association": ("network", assoc),
            "structure_cov": ("network", struct),
            "structure": ("network", struct),
            "seed": ("network", seed),
            "readout": list(an.READOUTS),
            "labels": list(an.LABELS),
            "t_test": [0, 1],
            "subset": list(an.SUBSETS),
            "axis_pair": list(an.AXIS_PAIRS),
            "category": list(an.CATEGORIES),
            "trial": np.arange(conditions.size),
            "condition": ("trial", np.array(CONDITIONS)[conditions]),
        },
        attrs={"source": "synthetic", "projection_trials": "all"},
    )


@pytest.fixture(scope="module")
def grid():
    return synthetic_grid()


def test_level_slope_and_extreme_difference_of_a_linear_variable():
    levels = np.array([0.0, 0.25, 1.0])
    da = xr.DataArray(3.0 * levels[:, None] + np.array([0.0, 2.0]), dims=("structure", "seed"), coords={"structure": levels})
    assert an.level_slope(da, "structure") == pytest.approx(3.0)
    assert float(an.extreme_difference(da, "structure")) == pytest.approx(3.0)


def test_projection_auc_and_condition_index():
    conditions = an.condition_index(np.array(["AC", "XC*", "AC*", "XC"]))
    assert conditions.tolist() == [0, 3, 1, 2]
    scores = xr.DataArray([[-1.0, 1.0, -2.0, 2.0], [1.0, -1.0, 2.0, np.nan]], dims=("readout", "trial"))
    auc = an.projection_auc(scores, conditions, "AX")
    assert auc.dims == ("readout",)
    assert float(auc[0]) == 1.0  # X trials (conditions 2, 3) all above A trials
    assert float(auc[1]) == 0.0  # reversed; the NaN trial is left out


def test_example_network_is_the_first_at_highest_association_and_median_structure(grid):
    example = an.example_network(grid["association"], grid["structure"])
    one = grid.sel(network=example)
    assert float(one["association"]) == max(ASSOCIATION) and float(one["structure"]) == 0.25 and int(one["seed"]) == 0


def test_registrations_are_the_data_functions():
    for name, figure in REGISTRY.figures.items():
        assert figure.compute is getattr(figure_data, name) and figure.compute.__name__ == name


def test_postdiction_data_extremes(grid):
    ds = figure_data.model_postdiction_data(grid)
    assert float(ds["sensory_unexp_drop"]) == pytest.approx(0.4 * max(ASSOCIATION))
    assert float(ds["memory_unexp_change"]) == pytest.approx(0.0)
    assert ds["auc"].sizes == {"readout": 2, "subset": 2, "association": 3, "structure": 3, "seed": 2}


def test_selectivity_counts_data_groups_and_structure_effects(grid):
    ds = figure_data.model_selectivity_counts_data(grid)
    assert (ds["group_counts"].sel(group="memory_only") == 5).all()
    np.testing.assert_array_equal(
        ds["group_counts"].sel(group="stable", association=0.0, seed=1).values, 11 + np.round(20 * np.array(STRUCTURE))
    )
    assert float(ds["stable_switching_structure_effect"]) == pytest.approx(10.0)  # 20 * (0.5 - 0)
    assert float(ds["memory_only_structure_effect"]) == 0.0
    assert float(ds["stable_switching_slope"]) == pytest.approx(20.0)


def test_rotation_projection_data_of_the_example(grid):
    ds = figure_data.model_rotation_projection_data(grid)
    assert ds.attrs["example_association"] == max(ASSOCIATION) and ds.attrs["example_structure"] == 0.25
    assert (ds["projection_auc"].sel(readout="AX0") == 1.0).all() and (ds["projection_auc"].sel(readout="AX1") == 1.0).all()
    assert ds["first"].values.tolist() == [c[0] for c in np.repeat(CONDITIONS, TRIALS_PER_CONDITION)]


def test_association_sweep_slopes(grid):
    ds = figure_data.association_sweep_data(grid)
    assert float(ds["slope"].sel(metric="sensory_unexp")) == pytest.approx(-0.4)
    assert float(ds["slope"].sel(metric="memory_unexp")) == pytest.approx(0.0, abs=1e-12)
    assert float(ds["mean"].sel(metric="angle_sen_cc", association=0.5)) == 90.0
