"""Hand-written BPTT against PyTorch autograd (float64) and the batched path's consistency."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from paperrepro.learning_to_learn import bptt, network, reference, task


def _random_networks(params, batch, rng):
    nets = []
    for b in range(batch):
        w = network.init_weights(np.random.RandomState(b), params)
        w["w_rec"] = w["w_rec"] + 0.05 * rng.normal(size=w["w_rec"].shape)  # distinct singular values
        w["w_out"] = 0.3 * rng.normal(size=w["w_out"].shape)
        w["b_out"] = 0.1 * rng.normal(size=3)
        w["b"] = 0.1 * rng.normal(size=100)
        w["h0"] = np.abs(rng.normal(size=100))
        nets.append(w)
    return nets


def test_gradients_match_autograd(short_params):
    torch.set_num_threads(1)
    rng = np.random.default_rng(11)
    nets = _random_networks(short_params, 2, rng)
    images = np.stack([task.new_problem(rng)[b] for b in range(2)])
    stims = np.array([0, 1])
    rho = np.array([0.0, 0.7])
    noise = network.ou_noise(rng, short_params, (2,))
    batched = {k: np.stack([w[k] for w in nets]) for k in network.PARAM_NAMES}
    res = bptt.forward_backward(batched, images, stims, noise, rho, short_params)
    for b in range(2):
        cost, ce, grads = reference.autograd_trial(nets[b], images[b], int(stims[b]), noise[:, b], rho[b], short_params)
        assert res.cost[b] == pytest.approx(cost, rel=1e-12)
        assert res.ce[b] == pytest.approx(ce, rel=1e-12)
        for k in network.PARAM_NAMES:
            err = np.abs(res.grads[k][b] - grads[k]).max() / np.abs(grads[k]).max()
            assert err <= 1e-10, (k, err)


def test_float32_close_to_float64(short_params):
    rng = np.random.default_rng(2)
    nets = _random_networks(short_params, 1, rng)
    batched = {k: np.stack([w[k] for w in nets]) for k in network.PARAM_NAMES}
    images = task.new_problem(rng)[:1]
    noise = network.ou_noise(rng, short_params, (1,))
    r64 = bptt.forward_backward(batched, images, np.array([0]), noise, np.zeros(1), short_params)
    w32 = {k: v.astype(np.float32) for k, v in batched.items()}
    r32 = bptt.forward_backward(w32, images, np.array([0]), noise, np.zeros(1), short_params)
    assert r32.grads["w_rec"].dtype == np.float32
    for k in network.PARAM_NAMES:
        scale = np.abs(r64.grads[k]).max()
        assert np.abs(r32.grads[k] - r64.grads[k]).max() <= 1e-3 * scale, k


def test_initial_cross_entropy_is_ln3(short_params):
    w = network.init_weights(np.random.RandomState(0), short_params)
    batched = {k: v[None] for k, v in w.items()}
    rng = np.random.default_rng(0)
    res = bptt.forward_backward(
        batched, task.new_problem(rng)[:1], np.array([1]), network.ou_noise(rng, short_params, (1,)), np.zeros(1), short_params
    )
    assert res.ce[0] == pytest.approx(np.log(3), rel=1e-12)


def test_forward_matches_simulate(short_params):
    rng = np.random.default_rng(4)
    w = _random_networks(short_params, 1, rng)[0]
    image = task.new_problem(rng)[0]
    noise = network.ou_noise(rng, short_params, (1,))
    rates = network.simulate(w, task.trial_inputs(image, short_params)[None], short_params, noise)[0]
    res = bptt.forward_backward({k: v[None] for k, v in w.items()}, image[None], np.array([0]), noise, np.zeros(1), short_params)
    mean_r2 = (rates**2).mean()
    assert res.mean_r2[0] == pytest.approx(mean_r2, rel=1e-12)
