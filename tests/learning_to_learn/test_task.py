"""Task structure and timing and network initialisation (original ``train.py`` and ``network.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro.learning_to_learn import network, task
from paperrepro.learning_to_learn.params import Params


def test_problem_images_orthonormal_and_seeded():
    a = task.new_problem(np.random.default_rng(3))
    b = task.new_problem(np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a @ a.T, np.eye(2), atol=1e-12)
    legacy = task.new_problem(np.random.RandomState(0))
    raw = np.random.RandomState(0).normal(size=(2, 10))
    np.testing.assert_allclose(legacy[0], raw[0] / np.linalg.norm(raw[0]), rtol=1e-12)


def test_trial_timing():
    p = Params()
    image = task.new_problem(np.random.default_rng(0))[1]
    u = task.trial_inputs(image, p)
    assert u.shape == (2000, 11)
    np.testing.assert_array_equal(u[:500, :10], np.broadcast_to(image, (500, 10)))
    assert np.all(u[500:, :10] == 0)
    np.testing.assert_allclose(u[:1500, 10], 1 / np.sqrt(10))
    assert np.all(u[1500:] == 0)
    y = task.targets(1, p)
    assert np.all(y[:1500] == 2) and np.all(y[1500:] == 1)
    mask = task.loss_mask(p)
    assert mask.sum() == 1900 and not mask[1500:1600].any() and mask[1600:].all()


def test_stimulus_draws_both_rng_kinds():
    for rng in (np.random.RandomState(1), np.random.default_rng(1)):
        draws = [task.draw_stimulus(rng) for _ in range(200)]
        assert set(draws) == {0, 1}
    legacy = [task.draw_stimulus(np.random.RandomState(5)) for _ in range(1)]
    assert legacy == [int(np.random.RandomState(5).randint(2, size=[1])[0])]


def test_init_weights_original_draw_order():
    p = Params()
    w = network.init_weights(np.random.RandomState(0), p)
    ref = np.random.RandomState(0)
    np.testing.assert_array_equal(w["w_in"], ref.randn(11, 100) / np.sqrt(11))
    np.testing.assert_allclose(w["w_rec"] @ w["w_rec"].T, np.eye(100), atol=1e-12)
    assert all(np.all(w[k] == 0) for k in ("b", "h0", "w_out", "b_out"))


def test_householder_matches_explicit_product():
    rng_a, rng_b = np.random.RandomState(7), np.random.RandomState(7)
    q = network.gen_ortho_matrix(rng_a, 6)
    h = np.eye(6)
    for k in range(1, 6):
        x = rng_b.normal(size=6 - k + 1)
        d = np.sign(x[0])
        x[0] += d * np.sqrt((x * x).sum())
        mat = np.eye(6)
        mat[k - 1 :, k - 1 :] = -d * (np.eye(6 - k + 1) - 2 * np.outer(x, x) / (x * x).sum())
        h = h @ mat
    np.testing.assert_allclose(q, h, atol=1e-14)


def test_ou_noise_statistics():
    p = Params()
    xi = network.ou_noise(np.random.default_rng(0), p, (8,))
    assert xi.shape == (2000, 8, 100)
    assert xi[100:].std() == pytest.approx(0.05 / np.sqrt(0.75), rel=0.02)
    innov = xi[1:] - 0.5 * xi[:-1]
    assert innov.std() == pytest.approx(0.05, rel=0.02)
