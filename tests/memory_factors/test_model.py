"""Model fixture (numbers of the original Theano code, eminorhan/recurrent-memory), initialisation, batched = single."""

import numpy as np
import pytest
import torch

from paperrepro.memory_factors.loss import activity_penalty, task_loss
from paperrepro.memory_factors.model import RNNBlock, init_params
from paperrepro.memory_factors.train import NetSetup, Trainer


@pytest.fixture(scope="module")
def fixture_case():
    rng = np.random.RandomState(123)
    w_in = 0.0573 * rng.normal(size=(50, 500))
    b_in = 0.01 * rng.normal(size=500)
    off = 0.01 * rng.normal(size=(500, 500))
    np.fill_diagonal(off, 0.0)
    w_hh = 0.9 * np.eye(500) + off
    b_hh = 0.01 * rng.normal(size=500)
    w_out = 0.06 * rng.normal(size=(500, 1))
    x = rng.poisson(0.2, size=(4, 60, 50))
    s = np.pi * rng.uniform(size=(4, 1))
    params = {"W_in": w_in, "b_in": b_in, "W_hh": w_hh, "b_hh": b_hh, "W_out": w_out, "b_out": np.zeros(1)}
    params = {k: v.astype(np.float32) for k, v in params.items()}
    x = torch.from_numpy(x.astype(np.float32))[None]
    target = torch.from_numpy(np.repeat(s[:, None, :], 60, axis=1).astype(np.float32))[None]
    return params, x, target


@pytest.mark.parametrize(
    "gamma,expected",
    [
        (0.0, (225198, 6.39335, 6.66154, 1.351855, 1268.0, 5564.09, 55.6499)),
        (7e-4, (2.08337e6, 111.267, 90.438, 3.97240, 16077.7, 255000, 623.219)),
    ],
)
def test_equivalence_fixture(fixture_case, gamma, expected):
    params, x, target = fixture_case
    model = RNNBlock([params], "linear", gamma=gamma)
    y, h = model(x)
    loss = task_loss(y, target, "estimation") + 1e-4 * activity_penalty(h)
    loss.sum().backward()
    got = (
        h.sum().item(),
        h[0, :, -1].mean().item(),
        y[0, 0, -1, 0].item(),
        loss.item(),
        model.W_hh.grad.norm().item(),
        model.W_hh.grad.sum().item(),
        model.W_in.grad.norm().item(),
    )
    assert got == pytest.approx(expected, rel=1e-4)


def test_remainder_after_abs(fixture_case):
    params, x, target = fixture_case
    y, h = RNNBlock([params], "linear")(x)
    wrong = torch.abs(torch.remainder(y - target, np.pi))[:, :, -25:].mean() + 1e-4 * activity_penalty(h)
    assert wrong.item() == pytest.approx(1.4397, abs=1e-4)


def test_gradient_clip(fixture_case):
    params, x, _ = fixture_case
    model = RNNBlock([params], "linear")
    y, _ = model(x)
    loss = 50 * y.sum()
    assert loss.item() == pytest.approx(27206.6, rel=1e-5)
    loss.backward()
    got = (
        model.W_hh.grad.norm().item(),
        model.W_in.grad.norm().item(),
        model.b_hh.grad.norm().item(),
        model.b_hh.grad.abs().max().item(),
    )
    assert got == pytest.approx((6.08107e6, 196075.4, 137742.3, 19220.09), rel=1e-4)
    unclipped = RNNBlock([params], "linear", grad_clip=float("inf"))
    (50 * unclipped(x)[0].sum()).backward()
    assert unclipped.W_hh.grad.norm().item() == pytest.approx(7.376e6, rel=1e-3)


def test_init_statistics():
    p = init_params(np.random.default_rng(0), 50, 1, 500, 0.9, 0.4)
    assert sum(v.size for v in p.values()) == 276_501
    assert np.allclose(np.diag(p["W_hh"]), 0.9)
    off = p["W_hh"][~np.eye(500, dtype=bool)]
    assert off.std() == pytest.approx(0.4 / np.sqrt(500), rel=0.01)
    assert p["W_in"].std() == pytest.approx(0.0573, rel=0.02)
    assert p["W_out"].std() == pytest.approx(0.0600, rel=0.1)
    assert all(v.dtype == np.float32 for v in p.values())


def test_batched_equals_single():
    setups = [
        NetSetup(("2AFC",), 0.9, 0.3, seed=1, n_hidden=30, n_iterations=2),
        NetSetup(("2AFC",), 0.95, 0.1, rho=1e-3, seed=2, n_hidden=30, n_iterations=2),
    ]
    block = Trainer(setups)
    singles = [Trainer([s]) for s in setups]
    for _ in range(2):
        losses = block.train_step()
        for k, single in enumerate(singles):
            assert single.train_step()[0] == pytest.approx(losses[k], rel=1e-5)
    for k, single in enumerate(singles):
        for name, value in single.model.numpy_params(0).items():
            np.testing.assert_allclose(block.model.numpy_params(k)[name], value, rtol=1e-5, atol=1e-7)
