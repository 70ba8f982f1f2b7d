"""Sequentiality index: synthetic anchors (paperrepro/memory_factors/sequentiality.py) and a per-unit loop reference."""

import numpy as np
import pytest

from paperrepro.memory_factors.sequentiality import passes, peak_order, sequentiality_index

T = np.arange(150.0)[:, None]
CENTRES = np.linspace(0, 149, 500)[None, :]


def _trials(pattern):
    return np.repeat(pattern[None], 4, axis=0)


def _bumps(sd, amp):
    return amp * np.exp(-((T - CENTRES) ** 2) / (2 * sd**2))


STEP = np.repeat((T >= 25).astype(float), 500, axis=1)
ANCHORS = [
    (_bumps(10, 1), 4.9765, 2.9942, 1.9824),
    (_bumps(5, 2), 5.8200, 2.9933, 2.8267),
    (_bumps(3, 3), 6.5655, 2.9933, 3.5722),
    (_bumps(20, 1), 4.2805, 2.9935, 1.2870),
    (STEP, -0.4857, 0.0360, -0.5217),
    (STEP + 0.01 * np.random.RandomState(0).rand(150, 500), 3.1575, 2.9765, 0.1810),
    (np.repeat(np.clip((T - 25) / 125, 0, None), 500, axis=1), 0.9180, 0.0360, 0.8820),
    (np.repeat(np.where(T >= 25, np.exp(-(T - 25) / 200), 0.0), 500, axis=1), -0.1889, 0.0360, -0.2249),
    (np.random.RandomState(1).rand(150, 500), 3.1900, 2.9840, 0.2059),
]


@pytest.mark.parametrize("pattern,si,entropy,log_r2b", ANCHORS)
def test_anchors(pattern, si, entropy, log_r2b):
    res = sequentiality_index(_trials(pattern))
    assert res.si == pytest.approx(si, abs=1e-4)
    assert res.entropy == pytest.approx(entropy, abs=1e-4)
    assert res.log_r2b == pytest.approx(log_r2b, abs=1e-4)


def test_no_selected_unit_is_nan():
    res = sequentiality_index(_trials(_bumps(3, 1)))
    assert np.isnan(res.si) and np.all(res.n_selected == 0)


def _reference_si(hidden, n_bins=20, window=5, threshold=0.1):
    """Straight per-trial, per-unit transcription of the definition in paperrepro/memory_factors/sequentiality.py."""
    values = []
    for a in hidden:
        sel = np.flatnonzero(a.mean(0) > threshold)
        if sel.size == 0:
            values.append(np.nan)
            continue
        peaks = np.array([np.argmax(a[:, j]) for j in sel])
        counts, _ = np.histogram(peaks, bins=n_bins)
        q = (counts + 0.1) / np.sum(counts + 0.1)
        ent = -np.sum(q * np.log(q))
        r = []
        for j, p in zip(sel, peaks, strict=False):
            lo, hi = np.clip(p - window // 2, 0, a.shape[0] - 1), np.clip(p + window // 2, 0, a.shape[0] - 1)
            outside = np.r_[0:lo, hi : a.shape[0]]
            with np.errstate(divide="ignore", invalid="ignore"):
                r.append(np.log(a[lo:hi, j].mean()) - np.log(a[outside, j].mean()))
        values.append(np.nanmean(r) + ent)
    return np.nanmean(values)


def test_matches_reference_loop_with_edge_peaks():
    rng = np.random.default_rng(3)
    hidden = rng.random((6, 150, 40)) * (rng.random((6, 1, 40)) < 0.7)
    hidden[:, 0, :5] = 5.0  # peaks at t = 0
    hidden[:, 149, 5:10] = 5.0  # peaks at t = 149 (excluded from their own ridge)
    hidden[5] = 0.0
    hidden[5, 60, :] = 1.0  # every selected unit peaks at the same step
    hidden[5, 61, :] = 20.0
    assert sequentiality_index(hidden).si == pytest.approx(_reference_si(hidden), rel=1e-12)


def test_zero_background_counts_inf_units():
    a = np.zeros((1, 150, 3))
    a[0, 70:72, :] = 10.0
    res = sequentiality_index(a)
    assert res.si == np.inf and res.n_inf_units == 3


def test_pass_filter_and_peak_order():
    assert passes(0.49) and not passes(0.5) and not passes(np.nan) and not passes(np.inf)
    mean = np.zeros((150, 3))
    mean[100, 0], mean[10, 1], mean[50, 2] = 30.0, 30.0, 30.0
    units, peaks = peak_order(mean)
    assert list(units) == [1, 2, 0] and list(peaks) == [10, 50, 100]
