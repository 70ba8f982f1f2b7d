"""Per-figure analyses on small synthetic data."""

import numpy as np
import pytest

from paperrepro.accuracy import analysis as an
from paperrepro.accuracy.simulate import NOISE_MODES, Behaviour, ModeBatch, simulate_batch
from paperrepro.accuracy.trials import best_cue

from .synthetic import memory_network


def test_gaussian_fit_of_the_original_tuning():
    tuning = [-0.19, 0.31, 0.89, 1.20, 1.33, 1.08, 0.43, -0.10, -0.19]
    (a, mu, sigma), x, curve = an.fit_tuning(tuning)
    assert a == pytest.approx(6.71, abs=0.01) and mu == pytest.approx(3.66, abs=0.01)
    assert sigma == pytest.approx(1.67, abs=0.01)
    assert x[0] == pytest.approx(-0.1) and x[-1] == pytest.approx(8.0) and curve.max() == pytest.approx(1.41, abs=0.01)


def test_endpoints_histograms_and_summary():
    behs = {
        "early": [Behaviour(np.zeros(4), np.array([1, 0, 0, 0], bool), np.array([10.0, 50, 90, 170]))],
        "mid": [Behaviour(np.zeros(2), np.array([1, 0], bool), np.array([3.0, 40]))],
        "mature": [Behaviour(np.zeros(3), np.array([1, 1, 1], bool), np.array([1.0, 2, 8]))],
    }
    ds = an.endpoints_dataset(behs, {"early": [1], "mid": [2], "mature": [3]})
    np.testing.assert_allclose(ds["correct_fraction"], [0.25, 0.5, 1.0])
    assert int(ds["count"].sel(stage="early", outcome="error").sum()) == 3
    assert float(ds["median_deviation"].sel(stage="early", outcome="error")) == 90
    assert int(ds["count"].sel(stage="mature", outcome="correct")[0]) == 2
    assert np.isnan(float(ds["median_deviation"].sel(stage="mature", outcome="error")))


@pytest.fixture(scope="module")
def batches():
    return [simulate_batch(memory_network(1.0), "odr3000", s) for s in range(2)]


def test_psth_fano_r_and_weights_on_the_memory_network(batches):
    b = batches[0]
    ds = an.psth_dataset({"early": [b], "mid": [b], "mature": [b]}, {s: [0.5] for s in an.STAGES}, {s: [1280] for s in an.STAGES})
    assert ds["psth"].dims == ("noise_mode", "stage", "outcome", "cue", "time") and ds.sizes["time"] == 250
    assert float(ds["cue_peak"].sel(noise_mode="paired", stage="mature", outcome="correct")) > 1
    assert int(ds["n_delay_units"].sel(noise_mode="paired", stage="early")) == 9

    fano = an.fano_dataset(b, 1280)
    assert list(fano["tuning_argmax"].values) == [4, 4]
    assert float(fano["tuning"].sel(noise_mode="paired", position=4)) > float(fano["tuning"].sel(noise_mode="paired", position=0))

    rt = an.r_tuning_dataset(batches, [0, 1], 1280)
    assert rt["r"].shape == (2, 2, 9)
    np.testing.assert_array_equal(rt["r"][..., 0], rt["r"][..., 8])
    rd = an.r_distribution_dataset(batches, [0, 1], 1280, 9)
    assert list(rd["noise_mode"].values) == list(NOISE_MODES)
    assert float(rd["r_mean_over_seeds"].sel(noise_mode="paired")) > float(rd["r_mean_over_seeds"].sel(noise_mode="two_pass"))

    best, _ = best_cue(b.mode(True))
    w = an.weights_dataset(memory_network(1.0), best, 8, 1280)
    assert float(w["best_location_step_min"]) >= 0 and w["w_rec"].shape == (9, 9)
    order = w["unit"].values
    np.testing.assert_array_equal(w["w_rec"].values, memory_network(1.0)["kernel"][15:][order][:, order].T)

    unit = an.single_unit_dataset(b.mode(False), 2, 1280)
    assert unit["rate"].shape == (8, 16, 250) and int(unit["n_trials"].sum()) == int(b.behaviour_b.correct.sum())

    heat = an.heatmap_dataset([b.mode(True)], 2, 1280)
    assert heat.sizes["row"] == 9 and float(heat["best_location_step_min"]) >= 0


def test_input_weight_histograms():
    rng = np.random.default_rng(0)
    kernels = {s: rng.normal(size=(271, 256)) for s in an.STAGES}
    ds = an.input_weights_dataset({"8loc": kernels}, {"8loc": 8}, {"8loc": {"early": 1, "mid": 2, "mature": 3}})
    assert ds["n_total"].values.tolist() == [[2048, 2048, 2048]]
    ring = kernels["mid"][1:9]
    assert int(ds["n_negative"].sel(model="8loc", stage="mid")) == int((ring < 0).sum())
    assert int(ds["count"].sel(model="8loc", stage="mid").sum()) == int((np.abs(ring) <= 3).sum())


def _locations_of(mb: ModeBatch, locations) -> ModeBatch:
    idx = np.flatnonzero(np.isin(mb.location, locations))
    beh = mb.behaviour
    return ModeBatch(
        mb.rate[:, idx],
        Behaviour(beh.angle[idx], beh.correct[idx], beh.error_deg[idx]),
        mb.location[idx],
        mb.n_loc,
        mb.epochs,
        mb.mode,
    )


def test_heatmap_of_location_chunks_equals_the_whole_batch():
    whole = simulate_batch(memory_network(1.0), "odr3000", noise_seed=2).mode(True)
    chunks = [_locations_of(whole, locs) for locs in ([0, 1, 2], [3, 4, 5], [6, 7])]
    expected = an.heatmap_dataset([whole], 5, 1280)
    got = an.heatmap_dataset(chunks, 5, 1280)
    np.testing.assert_array_equal(got["unit"], expected["unit"])
    np.testing.assert_array_equal(got["activity"], expected["activity"])
    assert got.attrs == expected.attrs
