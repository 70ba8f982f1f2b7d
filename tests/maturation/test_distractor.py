"""ODRD distractor-distance analysis: distance bins, cue (not distractor) as the target, stage means."""

import numpy as np
import pytest

from paperrepro.maturation.distractor import distractor_curves, pair_performance, perf_by_distance
from paperrepro.oculomotor.model import NetworkConfig, init_weights
from paperrepro.oculomotor.tasks import TaskConfig

N_LOC = 8


def _saccade_to_zero(n_rnn: int = 8) -> dict[str, np.ndarray]:
    """A network whose read-out ignores the units: never fixates, always saccades to location 0 (0 rad)."""
    tasks = TaskConfig()
    w = init_weights(NetworkConfig(n_input=tasks.n_input, n_rnn=n_rnn, n_output=tasks.n_output), seed=0)
    w["w_out"] = np.zeros_like(w["w_out"])
    b_out = np.full(tasks.n_output, -8.0, dtype=w["b_out"].dtype)
    b_out[1] = 8.0  # ring unit preferring 0 rad
    w["b_out"] = b_out
    return w


def test_perf_by_distance_is_the_mean_over_pairs_at_each_distance():
    cue, dis = np.meshgrid(np.arange(N_LOC), np.arange(N_LOC), indexing="ij")
    pairs = (cue * 10 + dis).astype(float)
    d = np.minimum(np.abs(cue - dis), N_LOC - np.abs(cue - dis))
    expected = [pairs[d == k].mean() for k in range(5)]
    assert np.allclose(perf_by_distance(pairs), expected)
    assert np.allclose(perf_by_distance(np.minimum(np.abs(cue - dis), N_LOC - np.abs(cue - dis)).astype(float)), np.arange(5))


def test_target_is_the_cue_not_the_distractor():
    pairs = pair_performance(_saccade_to_zero(), noise_seed=0)
    assert pairs.shape == (N_LOC, N_LOC)
    assert np.all(pairs[0] == 1.0) and np.all(pairs[1:] == 0.0)  # correct iff the cue (row) is at location 0
    assert np.allclose(perf_by_distance(pairs), 1 / N_LOC)


class _Store:
    def __init__(self, weights):
        self._w = weights

    def weights(self, trial):
        return self._w[trial]


def test_stage_means_and_empty_stage():
    good = _saccade_to_zero()
    fixating = _saccade_to_zero()
    fixating["b_out"] = fixating["b_out"].copy()
    fixating["b_out"][0] = 8.0  # fixation output stays high: every trial fails
    ds = distractor_curves(_Store({10: good, 20: fixating}), {"early": [20], "mid": [10, 20], "mature": []}, 0)
    assert ds["perf_checkpoint"].sel(checkpoint=20).values.tolist() == [0.0] * 5
    assert np.allclose(ds["perf"].sel(stage="mid"), 0.5 / N_LOC)
    assert np.isnan(ds["perf"].sel(stage="mature")).all()
    assert ds["n_checkpoints"].values.tolist() == [1, 2, 0]


if __name__ == "__main__":
    pytest.main([__file__])
