"""TF1-style Adam with global-norm clipping versus torch.optim.Adam."""

from __future__ import annotations

import numpy as np
import torch

from paperrepro.learning_to_learn.network import PARAM_NAMES
from paperrepro.learning_to_learn.optim import AdamState
from paperrepro.learning_to_learn.params import Params

SHAPES = {"w_in": (11, 5), "w_rec": (5, 5), "b": (5,), "h0": (5,), "w_out": (5, 3), "b_out": (3,)}


def _run(params, frozen, steps=4, seed=0):
    rng = np.random.default_rng(seed)
    w0 = {k: rng.normal(size=s) for k, s in SHAPES.items()}
    grads = [{k: 2.0 * rng.normal(size=s) for k, s in SHAPES.items()} for _ in range(steps)]
    ours = {k: v[None].copy() for k, v in w0.items()}
    state = AdamState(ours)
    names = [k for k in PARAM_NAMES if not (frozen and k in ("w_out", "b_out"))]
    tw = {k: torch.tensor(w0[k], requires_grad=True) for k in names}
    opt = torch.optim.Adam(list(tw.values()), lr=params.lr, betas=(params.beta1, params.beta2), eps=params.eps)
    for g in grads:
        state.step(ours, {k: v[None] for k, v in g.items()}, np.array([frozen]), params)
        for k in names:
            tw[k].grad = torch.tensor(g[k])
        # tf.clip_by_global_norm (torch's clip_grad_norm_ adds 1e-6 to the norm)
        norm = torch.sqrt(sum((tw[k].grad ** 2).sum() for k in names))
        for k in names:
            tw[k].grad *= params.clip_norm / torch.clamp(norm, min=params.clip_norm)
        opt.step()
        with torch.no_grad():
            tw["h0"].clamp_(min=0.0)
    return w0, ours, tw


def test_adam_equals_torch_without_eps():
    params = Params(lr=1e-2, eps=0.0)
    _, ours, tw = _run(params, frozen=False)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(ours[k][0], tw[k].detach().numpy(), rtol=1e-12, atol=1e-14)


def test_adam_first_step_tf_epsilon_form():
    params = Params(lr=1e-2, eps=1e-3)
    g = {k: np.full((1, *s), 0.004) for k, s in SHAPES.items()}  # global norm < 1: no clipping
    w = {k: np.ones((1, *s)) for k, s in SHAPES.items()}
    AdamState(w).step(w, g, np.array([False]), params)
    c = np.sqrt(1 - params.beta2)
    expected = 1.0 - params.lr * c * 0.004 / (c * 0.004 + params.eps)  # eps not bias-corrected (TF1)
    np.testing.assert_allclose(w["w_rec"], expected, rtol=1e-14)


def test_frozen_readout_excluded_from_norm_and_update():
    params = Params(lr=1e-2, eps=0.0)
    w0, ours, tw = _run(params, frozen=True)
    for k in ("w_out", "b_out"):
        np.testing.assert_array_equal(ours[k][0], w0[k])
    for k in tw:
        np.testing.assert_allclose(ours[k][0], tw[k].detach().numpy(), rtol=1e-12, atol=1e-14)


def test_reset_restarts_bias_correction():
    params = Params(lr=1e-2)
    w = {k: np.zeros((1, *s)) for k, s in SHAPES.items()}
    state = AdamState(w)
    g = {k: np.full((1, *s), 0.01) for k, s in SHAPES.items()}
    state.step(w, g, np.array([False]), params)
    first = w["w_rec"].copy()
    state.reset(0)
    state.step(w, g, np.array([False]), params)
    np.testing.assert_allclose(w["w_rec"], 2 * first, rtol=1e-12)
