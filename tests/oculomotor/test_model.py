"""Leaky RNN: initialisation (vs the original's numpy code), forward pass, custom backward, loss."""

import hashlib

import numpy as np
import pytest
import torch

from paperrepro.oculomotor.model import LeakyRNN, NetworkConfig, init_weights, masked_mse, ortho_matrix

# sha256 of float32 [W_in; 0.5·H] drawn by the original utils/tools.py + LeakyRNNCell code (RandomState(seed))
KERNEL_SHA = {
    (256, 0): "17aca7bc7ba2a1d37279fd54ecfccca152ed96fda6e8bbed6e223808aaeaee89",
    (32, 3): "038fddaf96d1c7c50cbb8d2c8fd12520ae47b8fbe7b42619c7e8f6ca508581c2",
}


@pytest.mark.parametrize("n_rnn,seed", sorted(KERNEL_SHA))
def test_initial_kernel_equals_original(n_rnn, seed):
    w = init_weights(NetworkConfig(n_rnn=n_rnn), seed)
    assert hashlib.sha256(np.ascontiguousarray(w["kernel"], dtype="<f4").tobytes()).hexdigest() == KERNEL_SHA[(n_rnn, seed)]


def test_init_properties():
    cfg = NetworkConfig(n_rnn=64)
    w = init_weights(cfg, 0)
    w_rec = w["kernel"][15:].astype(np.float64)
    np.testing.assert_allclose(w_rec @ w_rec.T, 0.25 * np.eye(64), atol=1e-5)
    assert np.all(w["bias"] == 0) and np.all(w["b_out"] == 0)
    limit = np.sqrt(6 / (64 + 9))
    assert np.abs(w["w_out"]).max() <= limit and np.abs(w["w_out"]).max() > 0.9 * limit
    again = init_weights(cfg, 0)
    assert all(np.array_equal(w[k], again[k]) for k in w)
    assert not np.array_equal(w["w_out"], init_weights(cfg, 0, torch.Generator().manual_seed(9))["w_out"])
    assert np.linalg.matrix_rank(ortho_matrix(5, np.random.RandomState(0))) == 5


def _reference_forward(m: LeakyRNN, x: torch.Tensor, noise: torch.Tensor | None = None):
    """Plain unrolled recurrence, written from the equations of paperrepro/oculomotor/model.py's docstring."""
    cfg = m.config
    h = torch.zeros(x.shape[1], cfg.n_rnn, dtype=x.dtype)
    hs = []
    for t in range(x.shape[0]):
        pre = torch.cat([x[t], h], dim=1) @ m.kernel + m.bias
        if noise is not None:
            pre = pre + noise[t] * cfg.noise_sd
        h = (1 - cfg.alpha) * h + cfg.alpha * torch.nn.functional.softplus(pre)
        hs.append(h)
    hs = torch.stack(hs)
    return hs, torch.sigmoid(hs @ m.w_out + m.b_out)


def test_forward_and_gradients_match_unrolled_autograd():
    cfg = NetworkConfig(n_rnn=12)
    m = LeakyRNN(cfg, init_weights(cfg, 1)).double()
    with torch.no_grad():
        m.bias.normal_(0, 0.3)
        m.b_out.normal_(0, 0.3)
    x = torch.randn(25, 3, 15, dtype=torch.float64)
    h, y = m(x, noise=False)
    h_ref, y_ref = _reference_forward(m, x)
    torch.testing.assert_close(h, h_ref)
    torch.testing.assert_close(y, y_ref)
    grads = torch.autograd.grad((y**2).sum() + (h**3).sum(), list(m.parameters()))
    grads_ref = torch.autograd.grad((y_ref**2).sum() + (h_ref**3).sum(), list(m.parameters()))
    for g, g_ref in zip(grads, grads_ref, strict=True):
        torch.testing.assert_close(g, g_ref)


def test_noise_from_generator():
    cfg = NetworkConfig(n_rnn=8)
    m = LeakyRNN(cfg, init_weights(cfg, 0))
    x = torch.zeros(10, 2, 15)
    h1, _ = m(x, generator=torch.Generator().manual_seed(4))
    h2, _ = m(x, generator=torch.Generator().manual_seed(4))
    h3, _ = m(x, generator=torch.Generator().manual_seed(5))
    torch.testing.assert_close(h1, h2)
    assert not torch.equal(h1, h3)
    xi = torch.randn((10, 2, 8), generator=torch.Generator().manual_seed(4))
    h_ref, _ = _reference_forward(m, x, xi)
    torch.testing.assert_close(h1, h_ref)
    assert cfg.noise_sd == pytest.approx(0.05 * np.sqrt(10))


def test_masked_mse_and_weights_roundtrip():
    y = torch.tensor([[[1.0, 0.0]]])
    y_hat = torch.tensor([[[0.5, 0.5]]])
    mask = torch.tensor([[[2.0, 0.0]]])
    assert float(masked_mse(y_hat, y, mask)) == pytest.approx((1.0**2 + 0) / 2)
    cfg = NetworkConfig(n_rnn=8)
    w = init_weights(cfg, 2)
    m = LeakyRNN(cfg, w)
    assert all(np.array_equal(m.weights()[k], w[k]) for k in w)
    torch.testing.assert_close(m.w_rec, torch.from_numpy(w["kernel"][15:]))
    with pytest.raises(ValueError):
        LeakyRNN(NetworkConfig(n_rnn=9), w)
