"""Exact properties of the designed network and the forward pass (the original's construction)."""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro.rotational.model import CONDITION_INPUTS, block_conditions, build_network, draw_noise, forward


@pytest.mark.parametrize("association", [0.0, 0.42, 0.95])
@pytest.mark.parametrize("structure_cov", [0.0, 0.225, 0.45])
def test_designed_network_exact(association, structure_cov):
    net = build_network(np.random.default_rng(7), association, structure_cov)
    sen, mem = net.patterns[0:2], net.patterns[2:4]
    np.testing.assert_allclose(net.W @ sen.T, mem.T, atol=1e-9, rtol=0)
    assert np.linalg.matrix_rank(net.W) == 2
    np.testing.assert_array_equal(net.IH[0:2], sen)
    a_sel, x_sel = sen[0] > sen[1], sen[0] < sen[1]
    assert a_sel.sum() + x_sel.sum() == 50
    assert np.all(a_sel[:50] | x_sel[:50]) and not np.any((a_sel | x_sel)[50:])
    assert np.count_nonzero(net.IH[2] != net.IH[3]) == 50
    assert np.count_nonzero(net.IH[2][a_sel] > 0) == int(np.round(association * a_sel.sum()))
    assert np.count_nonzero(net.IH[3][x_sel] > 0) == int(np.round(association * x_sel.sum()))
    assert not np.any(net.IH[3][a_sel]) and not np.any(net.IH[2][x_sel])
    assert list(net.cell_type[[0, 24, 25, 49, 50, 149]]) == ["switch"] * 2 + ["stable"] * 2 + ["none"] * 2


def test_designed_templates():
    net = build_network(np.random.default_rng(3), 0.5, 0.3)
    p = net.patterns
    switch, stable = p[:, :25], p[:, 25:50]
    # switch: preferred input flips between periods; stable: it does not
    assert np.all((switch[0] > 0) == (switch[3] > 0)) and np.all((switch[1] > 0) == (switch[2] > 0))
    assert np.all((stable[0] > 0) == (stable[2] > 0)) and np.all((stable[1] > 0) == (stable[3] > 0))
    none = p[:, 50:]
    np.testing.assert_array_equal(none[0], none[1])
    np.testing.assert_array_equal(none[2], none[3])


def _loop_forward(W, IH, conditions, noise, tau=1.0):
    rates = np.zeros((conditions.size, W.shape[0], 2))
    for trial, cond in enumerate(conditions):
        v = np.zeros(W.shape[0])
        for t in range(2):
            x = np.zeros(4)
            x[CONDITION_INPUTS[cond, t]] = 1.0
            u = np.dot(W, v) + noise[trial, t] + np.dot(x, IH)
            v = v + (1.0 / tau) * (np.maximum(u, 0.0) - v)
            rates[trial, :, t] = v
    return rates


@pytest.mark.parametrize("tau", [1.0, 2.5])
def test_batched_forward_matches_loop(tau):
    rng = np.random.default_rng(11)
    net = build_network(rng, 0.95, 0.45)
    conditions = block_conditions(200)
    noise = draw_noise(rng, conditions.size, 150)
    fast = forward(net.W, net.IH, conditions, noise, tau)
    slow = _loop_forward(net.W, net.IH, conditions, noise, tau)
    assert np.abs(fast - slow).max() <= 4e-15


def test_tp0_is_relu_of_sensory_input():
    rng = np.random.default_rng(5)
    net = build_network(rng, 0.0, 0.1)
    conditions = block_conditions(8)
    noise = draw_noise(rng, 8, 150)
    rates = forward(net.W, net.IH, conditions, noise)
    np.testing.assert_array_equal(rates[0, :, 0], np.maximum(net.IH[0] + noise[0, 0], 0))
    np.testing.assert_array_equal(rates[-1, :, 0], np.maximum(net.IH[1] + noise[-1, 0], 0))


def test_build_is_seeded():
    a = build_network(np.random.default_rng(1), 0.5, 0.2)
    b = build_network(np.random.default_rng(1), 0.5, 0.2)
    c = build_network(np.random.default_rng(2), 0.5, 0.2)
    for name in ("patterns", "W", "IH"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.patterns, c.patterns)
