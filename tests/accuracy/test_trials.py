"""Common trial machinery on hand-made batches."""

import numpy as np

from paperrepro.accuracy.simulate import Behaviour, ModeBatch
from paperrepro.accuracy.trials import best_cue, delay_units, position_of, split_correct, tuning_positions

EPOCHS = {"fix1": (0, 2), "stim1": (2, 3), "delay1": (3, 5), "go1": (5, 6)}


def _batch(rate, angle, correct, n_loc=8):
    location = np.arange(rate.shape[1]) % n_loc
    beh = Behaviour(np.asarray(angle, float), np.asarray(correct, bool), np.zeros(len(angle)))
    return ModeBatch(np.asarray(rate, float), beh, location, n_loc, EPOCHS, "paired")


def test_split_correct_medians_wrap_and_direction():
    n = 16
    loc = np.arange(n) % 8
    angle = loc * np.pi / 4 + np.where(np.arange(n) < 8, -0.1, 0.1)
    angle = np.mod(angle, 2 * np.pi)
    correct = np.ones(n, bool)
    correct[3] = False
    index, dev, ccw = split_correct(_batch(np.zeros((6, n, 1)), angle, correct))
    assert 3 not in index and index.size == 15
    # location 0: angles 2π − 0.1 and 0.1 (+2π) → median 2π, deviation 0.1 rad either way
    first = index[:2]
    np.testing.assert_array_equal(first, [0, 8])
    np.testing.assert_allclose(dev[:2], np.degrees(0.1))
    np.testing.assert_array_equal(ccw[:2], [False, True])
    # location 3 has a single correct trial: deviation 0, counted clockwise
    at3 = np.flatnonzero(index == 11)[0]
    assert dev[at3] == 0 and not ccw[at3]


def test_tuning_positions_centre_the_preferred_location():
    values = np.arange(8, dtype=float)[:, None].repeat(2, axis=1)
    out = tuning_positions(values, np.array([4, 0]))
    np.testing.assert_array_equal(out[:, 0], [0, 1, 2, 3, 4, 5, 6, 7, 0])
    np.testing.assert_array_equal(out[:, 1], [4, 5, 6, 7, 0, 1, 2, 3, 4])
    assert position_of(np.array([0, 1, 7]), np.array(0), 8).tolist() == [4, 5, 3]


def test_delay_units_and_best_cue():
    n = 16
    rate = np.ones((6, n, 3))
    loc = np.arange(n) % 8
    rate[3:5, loc == 2, 0] = 2.0  # unit 0: delay activity at location 2
    rate[2, loc == 5, 1] = 4.0  # unit 1: cue response at location 5 only
    rate[:, :, 2] = 0.5  # unit 2: flat
    correct = np.ones(n, bool)
    mb = _batch(rate, np.zeros(n), correct)
    np.testing.assert_array_equal(delay_units(mb), [True, False, False])
    best, scale = best_cue(mb)
    assert best[1] == 5 and scale[1] == 3.0
    correct[loc == 2] = False  # no correct trials where unit 0 is active
    assert not delay_units(_batch(rate, np.zeros(n), correct))[0]
