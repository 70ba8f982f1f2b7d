"""Smoke-scale figure computation on fake run folders (hand-built network, synthetic learning curves), two training
seeds: every figure of the 8-location model gains a ``train_seed`` dimension."""

import dataclasses

import numpy as np
import pytest

from paperrepro.accuracy.figures import REGISTRY
from paperrepro.accuracy.params import Params
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import build
from paperrepro.core.reference import load_checks

from .synthetic import fake_run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("acc")
    fake_run(root / "data" / "accuracy" / "run0")
    fake_run(root / "data" / "accuracy" / "run1", n_evals=70)
    fake_run(root / "data" / "accuracy" / "run360", n_evals=50, odr_rule="odr")
    params = Params(
        source="run",
        train_seeds=(0, 1),
        run_prefix="run",
        run_360="run360",
        n_noise_seeds=3,
        heatmap_location=2,
        locations_per_batch=3,
    )
    ctx = RunContext("accuracy", "smoke", params, data_dir=root / "data")
    return {name: build(fig, ctx, folder=root / "figures") for name, fig in REGISTRY.figures.items()}, ctx


def test_every_figure_builds_with_sourced_references(built):
    results, _ = built
    assert set(results) == {
        "psth",
        "psth_odrd",
        "endpoints",
        "r_tuning",
        "r_distribution",
        "fano",
        "single_unit",
        "weights",
        "input_weights",
        "heatmap360",
    }
    for name, result in results.items():
        assert result.png.stat().st_size > 1000 and result.data.stat().st_size < 1_000_000
        assert load_checks(REGISTRY.get(name).reference_file)


def test_smoke_figure_data(built):
    from paperrepro.core.activity import read_netcdf

    results, _ = built
    ds = {name: read_netcdf(r.data) for name, r in results.items()}
    for name, data in ds.items():
        assert ("train_seed" in data.dims) == (name != "heatmap360"), name
        assert name == "heatmap360" or data["train_seed"].values.tolist() == [0, 1]
    ends = ds["endpoints"]
    assert np.all(ends["correct_fraction"].sel(stage="mature") > ends["correct_fraction"].sel(stage="early"))
    psth = ds["psth"]
    assert psth["psth"].dims == ("train_seed", "noise_mode", "stage", "outcome", "cue", "time")
    assert np.all(psth["perf"].diff("stage") > 0) and psth["n_checkpoints"].values.tolist() == [[5, 5, 5]] * 2
    assert psth["checkpoints_mature"].dims == ("train_seed",)  # different logs, different checkpoints
    assert len(set(psth["checkpoints_mature"].values)) == 2
    assert ds["psth_odrd"].sizes["cue"] == 2
    rd = ds["r_distribution"]
    assert rd.sizes["noise_seed"] == 3 and np.allclose(rd["r_mean_original"], 0.0869634, atol=1e-6)
    assert np.all(rd["r_mean_over_seeds"].sel(noise_mode="paired") > 0.1)
    assert np.all(abs(rd["r_mean_over_seeds"].sel(noise_mode="two_pass")) < 0.1)
    assert ds["r_tuning"]["r"].shape == (2, 2, 3, 9)
    assert int(ds["weights"].attrs["paired_noise"]) == 0 and ds["weights"]["w_rec"].shape == (2, 9, 9)
    assert ds["input_weights"].attrs["input_weights_360_model"].startswith("360loc_odr: 1.5-s ODR")
    assert list(ds["input_weights"]["model"].values) == ["8loc_odr3000", "360loc_odr"]
    assert ds["input_weights"]["n_total"].values.tolist() == [[[72, 72, 72]] * 2] * 2
    one = ds["input_weights"].sel(train_seed=0)
    assert not np.array_equal(
        one["checkpoint_trials"].values[0], one["checkpoint_trials"].values[1]
    )  # different logs, different picks
    heat = ds["heatmap360"]
    assert heat.attrs["rule"] == "odr" and heat.sizes == {"row": 9, "time": 175}
    assert heat.attrs["cue_location"] == 2 and heat.attrs["n_correct_trials"] > 0
    assert float(heat["best_location_step_min"]) >= 0
    assert ds["fano"]["tuning_argmax"].values.tolist() == [[4, 4]] * 2


def test_missing_bundle_says_what_to_do(built):
    _, ctx = built
    pinned = dataclasses.replace(ctx, params=Params(source="pinned", train_seeds=(7,), bundle_360="absent.nc"))
    with pytest.raises(DataError, match="8loc_odr3000_seed7.nc.*paperrepro.accuracy.pin --model 8loc_odr3000"):
        REGISTRY.get("fano").compute(pinned)
    with pytest.raises(DataError, match="paperrepro.accuracy.pin --model 360loc_odr"):
        REGISTRY.get("heatmap360").compute(pinned)


def test_figures_module_holds_registrations_only():
    """Every registered figure computes in figure_data and draws in plots; figures.py defines no function itself."""
    import inspect

    from paperrepro.accuracy import figure_data, plots
    from paperrepro.accuracy import figures as figs

    for fig in REGISTRY.figures.values():
        assert fig.compute.__module__ == figure_data.__name__ and fig.plot.__module__ == plots.__name__
    own = [n for n, f in inspect.getmembers(figs, inspect.isfunction) if f.__module__ == figs.__name__]
    assert own == []
