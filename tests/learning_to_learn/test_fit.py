"""Fig. 1 exponential fit: synthetic data with known parameters, and the published fits."""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro.learning_to_learn import fit


def test_fit_recovers_known_parameters():
    x = np.arange(1000.0)
    y = fit.exp_model(x, 120.0, -1.0 / 30.0, 20.0)
    result = fit.fit_learning_curve(y)
    assert result["TC"] == pytest.approx(30.0, rel=1e-6)
    assert result["AS"] == pytest.approx(20.0, rel=1e-6)
    assert result["SC"] == pytest.approx(120.0, rel=1e-6)


def test_fit_with_noise_and_start_bounds():
    rng = np.random.default_rng(0)
    x = np.arange(1000.0)
    y = fit.exp_model(x, 150.0, -1.0 / 40.0, 22.0) + rng.normal(0, 5.0, x.size)
    p0, (lo, hi) = fit.fit_start_and_bounds(y)
    assert p0[2] == pytest.approx(y[-31:].mean())
    assert hi[0] == pytest.approx(2 * (y - p0[2])[:30].mean()) and hi[2] == pytest.approx(2 * p0[2])
    result = fit.fit_learning_curve(y)
    assert result["TC"] == pytest.approx(40.0, rel=0.1)
    assert result["AS"] == pytest.approx(22.0, abs=1.0)


def test_fit_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        fit.fit_learning_curve(np.array([1.0, np.nan] * 40))


def test_movmean_even_window_matches_matlab():
    y = np.arange(10.0)
    out = fit.movmean(y, 4)  # MATLAB: 2 before, 1 after
    assert out[0] == pytest.approx(np.mean(y[0:2]))
    assert out[5] == pytest.approx(np.mean(y[3:7]))
    assert out[9] == pytest.approx(np.mean(y[7:10]))


def test_fit_reproduces_published_f1_perfFit(authors_mirror):
    """Our port of fig1.m's fit, applied to the authors' C, gives the authors' f1_perfFit.mat."""
    from paperrepro.learning_to_learn import published

    ref = published.published_fit()
    for seed in range(10):
        result = fit.fit_learning_curve(published.published_conv(seed))
        for key in ("TC", "AS", "SC"):
            assert result[key] == pytest.approx(ref[key][seed], rel=1e-5), (seed, key)
