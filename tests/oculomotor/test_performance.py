"""Read-out, correctness rule and stage selection (docs/maturation.md; original RNN_BrainMaturation @ d793a1d)."""

import numpy as np
import pytest

from paperrepro.oculomotor.performance import (
    closest_representative,
    forward_smooth,
    popvec,
    saccade_endpoint,
    stage_by_threshold,
    trial_performance,
    window_stages,
)
from paperrepro.oculomotor.tasks import ring_bump


def _cosine_ring(angles: np.ndarray, n: int = 8) -> np.ndarray:
    """Ring activity whose population vector is exactly ``angles``."""
    pref = 2 * np.pi * np.arange(n) / n
    return 1 + 0.5 * np.cos(pref[None, :] - np.asarray(angles)[:, None])


def test_popvec():
    grid = 2 * np.pi * np.arange(8) / 8
    got = popvec(0.05 + ring_bump(grid, 8))
    np.testing.assert_allclose(np.angle(np.exp(1j * (got - grid))), 0, atol=1e-9)
    angles = np.array([0.3, np.pi, 5.9])
    np.testing.assert_allclose(popvec(_cosine_ring(angles)), angles, atol=1e-9)


def test_trial_performance_rule():
    target = np.array([0.0, np.pi / 2, np.pi, np.pi])
    y_hat = np.zeros((3, 4, 9))
    y_hat[-1, :, 1:] = _cosine_ring(np.array([0.0, np.pi / 2 + 0.21 * np.pi, np.pi + 0.19 * np.pi, np.pi]))
    y_hat[-1, :, 0] = [0.1, 0.1, 0.1, 0.6]  # last trial still fixating
    y_loc = np.tile(target, (3, 1))
    correct, err = trial_performance(y_hat, y_loc)
    np.testing.assert_array_equal(correct, [True, False, True, False])
    np.testing.assert_allclose(err[:3], [0.0, 0.21 * 180, 0.19 * 180], atol=1e-6)
    assert saccade_endpoint(y_hat).shape == (4,)
    fix = trial_performance(np.full((2, 1, 9), 0.9), -np.ones((2, 1)))
    assert fix[0][0] and np.isnan(fix[1][0])


def test_stage_by_threshold():
    stages = stage_by_threshold([0.2, 0.35, 0.36, 0.65, 0.66, 1.0])
    assert list(stages) == ["early", "early", "mid", "mid", "mature", "mature"]


def test_forward_smooth_is_original_window():
    np.testing.assert_allclose(forward_smooth([1, 2, 3, 4], 1), [1.5, 2.5, 3.5, 4.0])


def _log(levels, lengths):
    perf = np.concatenate([np.full(n, p) for p, n in zip(levels, lengths, strict=True)])
    return perf, np.arange(len(perf)) * 1280


def test_window_stages_bands_and_caps():
    perf, trials = _log([0.2, 0.35, 0.65, 1.0], [20, 20, 20, 60])
    st = window_stages(perf, trials, cap=30)
    assert len(st["mature"]) == 30 and st["mature"][0] == trials[min(np.flatnonzero(forward_smooth(perf, 9) >= 0.9))]
    assert st["early"] == sorted(st["early"]) and len(st["early"]) <= 30
    assert 0 < len(st["mid"]) <= 30


def test_window_stages_original_mid_trim_quirk():
    # mid band covering 31 checkpoints → excess 1: original trim empties mid, strict keeps 30
    perf, trials = _log([0.0, 0.65, 0.0], [30, 31, 30])
    loose = window_stages(perf, trials, cap=30, strict_cap=True)
    n_mid = len(window_stages(perf, trials, cap=1000)["mid"])
    assert n_mid == 31
    assert len(loose["mid"]) == 30
    with pytest.warns(UserWarning):
        assert window_stages(perf, trials, cap=30, strict_cap=False)["mid"] == []
    # odd excess 3 keeps one extra
    assert len(window_stages(perf, trials, cap=28, strict_cap=False)["mid"]) == 29


def test_closest_representative():
    perf = [0.1, 0.33, 0.37, 0.6]
    trials = [0, 1280, 2560, 3840]
    assert closest_representative(perf, trials, [0, 1280, 2560], 0.35) == 1280
    with pytest.raises(ValueError):
        closest_representative(perf, trials, [], 0.35)
