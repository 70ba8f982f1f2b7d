"""Task generator: golden arrays from the original code (RNN_BrainMaturation @ d793a1d task.py), timing and encoding."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from paperrepro.oculomotor.tasks import RULE_INDEX, TaskConfig, cost_mask, generate_trials, ring_bump, rule_index, task_timing

GOLDEN = json.loads((Path(__file__).parent / "data" / "golden_tasks.json").read_text())["arrays"]
CFG = TaskConfig()


def _sha(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr, dtype="<f4").tobytes()).hexdigest()


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_matches_original_generator(key):
    rule, mode = key.split("/")
    trial = generate_trials(rule, CFG, mode, np.random.RandomState(5), batch_size=64)
    ref = GOLDEN[key]
    assert list(trial.x.shape) == ref["shape"]
    assert float(np.float64(trial.x).sum()) == pytest.approx(ref["x_sum"], abs=1e-3)
    for name in ("x", "y", "y_loc", "c_mask"):
        assert _sha(getattr(trial, name)) == ref[name], name


# (T, fixation input end, cue [on, off), response onset, epochs) of the original task.py
SPEC = {
    "odr": (175, 150, (50, 75), 150, {"fix1": (0, 50), "stim1": (50, 75), "delay1": (75, 150), "go1": (150, 175)}),
    "odrd": (
        175,
        150,
        (50, 75),
        150,
        {
            "fix1": (0, 50),
            "stim1": (50, 75),
            "delay1": (75, 100),
            "distract1": (100, 125),
            "delay2": (125, 150),
            "go1": (150, 175),
        },
    ),
    "overlap": (80, 55, (50, 55), 55, {"fix1": (0, 50), "stim1": (50, 55), "go1": (55, 80)}),
    "zero_gap": (80, 50, (50, 55), 50, {"fix1": (0, 50), "stim1": (50, 55), "go1": (50, 80)}),
    "gap": (85, 50, (55, 60), 55, {"fix1": (0, 50), "delay1": (50, 55), "stim1": (55, 60), "go1": (55, 85)}),
    "gap500": (105, 50, (75, 80), 75, {"fix1": (0, 50), "delay1": (50, 75), "stim1": (75, 80), "go1": (75, 105)}),
    "odr3000": (250, 225, (50, 75), 225, {"fix1": (0, 50), "stim1": (50, 75), "delay1": (75, 225), "go1": (225, 250)}),
}


@pytest.mark.parametrize("rule", sorted(SPEC))
def test_timing_and_encoding(rule):
    tdim, fix_end, (on, off), resp, epochs = SPEC[rule]
    trial = generate_trials(rule, CFG, "test", noise_on=False)
    assert trial.x.shape == (tdim, 128, 15) and trial.y.shape == (tdim, 128, 9)
    assert trial.epochs == epochs
    np.testing.assert_array_equal(trial.x[:, 0, 0], np.r_[np.ones(fix_end), np.zeros(tdim - fix_end)])
    ring_on = np.flatnonzero(trial.x[:, 0, 1:9].sum(axis=1) > 0)
    expected_on = set(range(on, off)) | (set(range(100, 125)) if rule == "odrd" else set())
    assert set(ring_on) == expected_on
    rule_channels = trial.x[:, :, 9:]
    assert np.all(rule_channels[:, :, rule_index(rule)] == 1) and rule_channels.sum() == tdim * 128
    # fixation target 0.8 until response onset (through the gap), then baseline
    np.testing.assert_allclose(trial.y[:, 0, 0], np.r_[np.full(resp, 0.8), np.full(tdim - resp, 0.05)], rtol=1e-6)
    assert np.all(trial.y_loc[:resp] == -1) and np.all(trial.y_loc[resp:] >= 0)
    # cost mask 0 / 1 / 0 / 5, fixation doubled
    ring_mask = np.r_[np.zeros(5), np.ones(resp - 5), np.zeros(5), np.full(tdim - resp - 5, 5.0)]
    np.testing.assert_array_equal(trial.c_mask[:, 3, 4], ring_mask)
    np.testing.assert_array_equal(trial.c_mask[:, 3, 0], 2 * ring_mask)


def test_bump_values_and_targets():
    bump = ring_bump(np.array([0.0]), 8)[0]
    np.testing.assert_allclose(bump[[0, 1, 2]], [0.8, 0.1083, 2.7e-4], atol=1e-4)
    np.testing.assert_allclose(bump[1], bump[7])
    trial = generate_trials("overlap", CFG, "test", noise_on=False)
    # antisaccade: cue at location 0 → response at location 4
    np.testing.assert_allclose(trial.y[-1, 0, 1:][[4, 3, 2]], [0.85, 0.1583, 0.0503], atol=1e-4)
    np.testing.assert_allclose(trial.y_loc[-1, :16], np.pi, rtol=1e-6)


def test_test_mode_is_location_major():
    trial = generate_trials("odr", CFG, "test", noise_on=False)
    np.testing.assert_allclose(trial.stim_locs, 2 * np.pi * (np.arange(128) // 16) / 8)
    np.testing.assert_array_equal(trial.stim_locs, trial.response_locs)
    odrd = generate_trials("odrd", CFG, "test", noise_on=False)
    np.testing.assert_allclose(odrd.distract_locs, (odrd.stim_locs + np.pi) % (2 * np.pi))
    pinned = generate_trials("odrd", CFG, "test-2-5", noise_on=False)
    assert np.all(pinned.stim_locs == 2 * np.pi * 2 / 8) and np.all(pinned.distract_locs == 2 * np.pi * 5 / 8)


def test_random_mode_with_generator_and_noise():
    rng = np.random.default_rng(3)
    trial = generate_trials("odrd", CFG, "random", rng, batch_size=64)
    assert trial.x.shape == (175, 64, 15)
    offsets = np.round((trial.distract_locs - trial.stim_locs) % (2 * np.pi) / (np.pi / 4)).astype(int) % 8
    assert len(set(offsets)) == 1 and offsets[0] in range(1, 8)  # one offset per batch
    clean = generate_trials("odr", CFG, "test", noise_on=False)
    noisy = generate_trials("odr", CFG, "test", np.random.default_rng(0))
    resid = noisy.x - clean.x
    assert abs(resid.std() - 0.01 * np.sqrt(10)) < 1e-3


def test_rule_map_and_errors():
    assert RULE_INDEX == {"overlap": 0, "zero_gap": 1, "gap": 2, "odr": 3, "odrd": 4, "gap500": 5}
    assert rule_index("odr3000") == 3 and rule_index("odr750") == 3
    with pytest.raises(ValueError):
        rule_index("dms")
    with pytest.raises(ValueError):
        generate_trials("odr", CFG, "random", None, batch_size=4)
    with pytest.raises(ValueError):
        generate_trials("odr", CFG, "test-1-2", noise_on=False)
    assert task_timing("odr1000").tdim == 75 + 50 + 25


def test_cost_mask_function():
    m = cost_mask(20, 2, 9, response_on=10)
    assert m[4, 0, 1] == 0 and m[5, 0, 1] == 1 and m[10, 0, 1] == 0 and m[15, 0, 1] == 5 and m[15, 1, 0] == 10
