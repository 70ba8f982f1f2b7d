"""Selectivity, PSTH, tuning, decoding and stage reductions on synthetic data with known answers (docs/maturation.md)."""

import numpy as np
import pytest
import xarray as xr
from sklearn.svm import SVC

from paperrepro.maturation import analysis as an
from paperrepro.maturation.decoding import cross_temporal_accuracy, intercepts64, svc_predict, window_features
from paperrepro.maturation.selectivity import TYPE_CODES, checkpoint_summary, location_psth, neuron_info, rotate_tuning

EPOCHS = {"fix1": (0, 5), "stim1": (5, 10), "delay1": (10, 20)}


def _synthetic_h(seed=0):
    """4 units, 8 locations × 16 trials: exh (+0.2 everywhere, +1.2 at loc 2), mix (+ at 5, − at 1),
    unmodulated, inh (all −, most at 6)."""
    rng = np.random.default_rng(seed)
    T, B, N = 20, 128, 4
    loc = np.arange(B) // 16
    h = 1.0 + 0.02 * rng.standard_normal((T, B, N))
    stim = slice(5, 10)
    h[stim, :, 0] += 0.2
    h[stim, loc == 2, 0] += 1.0
    h[10:20, loc == 2, 0] += 0.5
    h[stim, loc == 5, 1] += 1.0
    h[stim, loc == 1, 1] -= 0.5
    h[stim, :, 3] -= 0.3
    h[stim, loc == 6, 3] -= 0.3
    return h.astype(np.float32)


def test_neuron_info_types_pref_and_values():
    info = neuron_info(_synthetic_h(), EPOCHS, "stim1")
    assert info["selective"].tolist() == [True, True, False, True]
    assert info["active"][[0, 1, 3]].all()
    assert info["unit_type"][[0, 1, 3]].tolist() == [TYPE_CODES["exh"], TYPE_CODES["mix"], TYPE_CODES["inh"]]
    assert info["selected"].tolist() == [True, True, False, False]
    assert info["pref"][0] == 2 and info["pref"][1] == 5
    np.testing.assert_allclose(info["fr_norm"][2, 0], 1.2, atol=0.03)
    np.testing.assert_allclose(info["fr_norm"][1, 1], -0.5, atol=0.03)
    assert info["n_resp_locs"][0] >= 1 and info["n_zero_baseline"] == 0
    delay = neuron_info(_synthetic_h(), EPOCHS, "delay1")
    np.testing.assert_allclose(delay["fr_norm"][2, 0], 0.5, atol=0.03)


def test_zero_baseline_is_nan_and_counted():
    h = _synthetic_h()
    h[:, :16, 2] = 0.0  # unit 2 silent at location 0
    info = neuron_info(h, EPOCHS, "stim1")
    assert info["n_zero_baseline"] == 1 and np.isnan(info["fr_norm"][0, 2])


def test_psth_and_rotation():
    h = _synthetic_h()
    P = location_psth(h, EPOCHS)
    assert P.shape == (8, 20, 4)
    np.testing.assert_allclose(P[2, 7, 0], 1.2, atol=0.05)
    np.testing.assert_allclose(P[2, :5, 0].mean(), 0.0, atol=1e-6)
    fr = np.arange(8, dtype=float)[:, None] * np.ones((1, 2))
    rot = rotate_tuning(fr, np.array([2, 7]))
    assert rot.shape == (9, 2) and rot[4, 0] == 2 and rot[4, 1] == 7 and rot[8, 0] == rot[0, 0] == 6
    ds = checkpoint_summary(h, EPOCHS, ("stim1", "delay1"), dt=20.0)
    assert ds["n_selected"].sel(epoch="stim1").item() == 2
    np.testing.assert_allclose(ds["tuning"].sel(epoch="stim1", position=4), 1.1, atol=0.05)  # (1.2 + 1.0) / 2
    np.testing.assert_allclose(ds["tuning"].sel(epoch="stim1", position=0), -0.15, atol=0.05)  # (0.2 - 0.5) / 2
    np.testing.assert_allclose(ds["psth"].sel(epoch="stim1", condition="pref").isel(time=7), 1.1, atol=0.05)
    assert ds["time"].values[1] == 20.0 and ds["time"].attrs["units"] == "ms"
    assert np.isnan(ds["height"].sel(epoch="stim1").values[[2, 3]]).all()


def test_tuning_width_stage_mean_and_ttests():
    x = np.arange(9.0)
    curve = 3 * np.exp(-((x - 4) ** 2) / (2 * 0.8**2)) / (0.8 * np.sqrt(2 * np.pi)) - 0.2
    assert an.tuning_width(curve) == pytest.approx(1.6, abs=1e-3)
    assert np.isnan(an.tuning_width(np.full(9, np.nan)))
    da = xr.DataArray(np.arange(6.0), dims="checkpoint", coords={"checkpoint": [0, 1, 2, 3, 4, 5]})
    m = an.stage_mean(da, {"early": [0, 1], "mid": [], "mature": [4, 5]})
    assert m.sel(stage="early") == 0.5 and np.isnan(m.sel(stage="mid")) and m.sel(stage="mature") == 4.5
    rng = np.random.default_rng(0)
    height = np.full((3, 1, 50), np.nan)
    height[0, 0] = rng.normal(1.0, 0.1, 50)
    height[1, 0] = rng.normal(1.0, 0.1, 50)
    height[2, 0] = rng.normal(2.0, 0.1, 50)
    sm = xr.Dataset({"height": (("checkpoint", "epoch", "unit"), height)}, coords={"checkpoint": [0, 1, 2], "epoch": ["stim1"]})
    means, p = an.height_ttests(sm, {"early": [0], "mid": [1], "mature": [2]}, "stim1")
    np.testing.assert_allclose(means, [1.0, 1.0, 2.0], atol=0.05)
    assert p[0] > 0.01 and p[1] < 1e-10 and p[2] < 1e-10


def test_svc_predict_matches_sklearn():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(112, 12))
    y = np.repeat(np.arange(8), 14)
    X[np.arange(112), y] += 1.0
    clf = SVC().fit(X, y)
    test = rng.normal(size=(400, 12))
    np.testing.assert_array_equal(svc_predict(clf, test), clf.predict(test))
    # libsvm's intercepts (float32 kernel cache) re-derived in float64 from its own α by its own rule
    np.testing.assert_allclose(intercepts64(clf, X, y), clf.intercept_, atol=1e-5)
    np.testing.assert_array_equal(svc_predict(clf, test, intercepts64(clf, X, y)), clf.predict(test))


def test_decoder_stable_when_trials_differ_only_by_noise():
    """Pre-cue regime: a common activity pattern plus small trial noise (kernel ≈ 1, decision values ≈ 1e-3). The
    accuracy matrix must not change under 1e-6 relative perturbations of the activity."""
    rng = np.random.default_rng(3)
    T, B, N = 16, 128, 32
    h = 0.5 + 0.3 * rng.random(N) + 0.01 * rng.standard_normal((T, B, N))
    h[8:, np.arange(B), np.arange(B) // 16] += 0.5  # a cue code in the second half
    acc = cross_temporal_accuracy(h, window=2)
    noisy = cross_temporal_accuracy(h * (1 + 1e-6 * rng.standard_normal(h.shape)), window=2)
    np.testing.assert_array_equal(noisy, acc)
    assert np.diag(acc)[9:].min() == 1.0 and np.diag(acc)[:6].mean() < 0.4


def test_cross_temporal_decoding_known_window():
    rng = np.random.default_rng(2)
    T, B, N = 30, 128, 10
    h = rng.normal(size=(T, B, N))
    loc = np.arange(B) // 16
    h[10:20, np.arange(B), loc] += 3.0  # location code only in steps 10-19
    feats = window_features(h, 5)
    assert feats.shape == (26, 128, 10)
    np.testing.assert_allclose(feats[3], h[3:8].mean(axis=0))
    acc = cross_temporal_accuracy(h, window=5)
    assert acc.shape == (26, 26)
    assert np.diag(acc)[10:16].min() == 1.0
    assert np.diag(acc)[:5].mean() < 0.5
    assert acc[10:16, 10:16].min() == 1.0  # same code across the signal window
    held = cross_temporal_accuracy(h, window=5, offdiag_eval="held_out")
    np.testing.assert_array_equal(np.diag(held), np.diag(acc))
    with pytest.raises(ValueError):
        cross_temporal_accuracy(h, offdiag_eval="x")
