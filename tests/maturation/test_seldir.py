"""The seldir figure (the authors' ``analysis/PSTH_seldir_analysis.py``): set logic, figure data and reference file."""

import dataclasses

import numpy as np
import pytest

from paperrepro.core.config import RunContext
from paperrepro.core.reference import evaluate, load_checks
from paperrepro.maturation import figures as figs
from paperrepro.maturation.activity import checkpoint_activity
from paperrepro.maturation.params import Params
from paperrepro.maturation.seldir import direction_overlap, period_medians
from paperrepro.maturation.selectivity import TYPE_CODES, neuron_info

from .conftest import make_fake_run


def original_counts(info_a: dict, info_b: dict) -> tuple[int, int, int]:
    """The original's set arithmetic on (unit, max_index) tuples of exh and mix units (PSTH_seldir_analysis.py)."""
    kinds = (TYPE_CODES["exh"], TYPE_CODES["mix"])

    def tuples(info):
        return [(u, int(info["pref"][u])) for u in np.flatnonzero(info["selective"]) if info["unit_type"][u] in kinds]

    n1, n2 = tuples(info_a), tuples(info_b)
    inter = {u for u, _ in n1} & {u for u, _ in n2}
    s1 = {x for x in n1 if x[0] in inter}
    s2 = {x for x in n2 if x[0] in inter}
    return len(inter), len(s1 & s2), len(s1 - s2)


def test_direction_overlap_matches_the_original_set_logic():
    rng = np.random.default_rng(4)
    sel_a, sel_b = rng.random((2, 50, 64)) < 0.6
    pref_a, pref_b = rng.integers(0, 3, (2, 50, 64))
    counts = direction_overlap(sel_a, pref_a, sel_b, pref_b)
    for c in range(50):
        both = sel_a[c] & sel_b[c]
        same = {(u, pref_a[c, u]) for u in np.flatnonzero(both)} & {(u, pref_b[c, u]) for u in np.flatnonzero(both)}
        assert counts["inter"][c] == both.sum() and counts["samedir"][c] == len(same)
    assert np.array_equal(counts["samedir"] + counts["diffdir"], counts["inter"])


def test_period_medians():
    import xarray as xr

    ds = xr.Dataset({"inter": ("checkpoint", [10, 12, 8, 4, 6]), "samedir": ("checkpoint", [10, 6, 8, 2, 6])})
    out = period_medians(ds, np.array([False, False, False, True, True]), n_units=20)
    np.testing.assert_allclose(out["inter_fraction"], [0.5, 0.25])
    np.testing.assert_allclose(out["same_fraction"], [1.0, 0.75])
    assert float(out["inter_change"]) == -5.0


@pytest.fixture
def smoke_ctx(tmp_path):
    data = tmp_path / "data"
    make_fake_run(data / "maturation" / "paper" / "seed0")
    params = dataclasses.replace(Params(), source="run", range_lead=4)
    return RunContext("maturation", "smoke", params, data_dir=data)


def test_seldir_figure_data(smoke_ctx):
    ds = figs.seldir(smoke_ctx)
    assert ds.sizes["checkpoint"] == 60 and ds.attrs["n_units"] == 16
    assert np.array_equal(ds["samedir"] + ds["diffdir"], ds["inter"])
    assert (ds["inter"] <= ds["n_selected"].min("selection")).all()
    # one checkpoint recomputed from the raw activity with the original's set logic
    trial = int(ds["checkpoint"].values[-1])
    store = figs.open_store(smoke_ctx)
    infos = []
    for task in ("odr", "odrd"):
        h, batch = checkpoint_activity(store, trial, task, smoke_ctx.params.noise_seed)
        infos.append(neuron_info(h, batch.epochs, "stim1"))
    one = ds.sel(checkpoint=trial)
    assert (int(one["inter"]), int(one["samedir"]), int(one["diffdir"])) == original_counts(*infos)
    checks = load_checks(figs.REGISTRY.get("seldir").reference_file)
    assert any(c.is_evidence for c in checks)
    assert len(evaluate(ds, checks, "quick")) == len(checks)  # every check names a variable and selection that exist
