"""Test-batch simulation: shapes, fixed noise realisation, grad/no-grad paths agree."""

import numpy as np
import torch

from paperrepro.oculomotor.model import LeakyRNN, NetworkConfig, init_weights
from paperrepro.oculomotor.simulate import simulate_test


def test_simulate_test_is_reproducible_and_matches_training_path():
    cfg = NetworkConfig(n_rnn=16)
    w = init_weights(cfg, 0)
    h1, y1, trial = simulate_test(w, "odrd", noise_seed=7)
    h2, y2, _ = simulate_test(w, "odrd", noise_seed=7)
    h3, _, _ = simulate_test(w, "odrd", noise_seed=8)
    assert h1.shape == (175, 128, 16) and y1.shape == (175, 128, 9)
    np.testing.assert_array_equal(h1, h2)
    assert not np.array_equal(h1, h3)
    assert trial.distract_locs is not None and np.all(trial.x[:, :, 0] >= 0)
    # the autograd path (training) draws the same noise and gives the same states
    h_grad, y_grad = LeakyRNN(cfg, w)(torch.from_numpy(trial.x), generator=torch.Generator().manual_seed(7))
    np.testing.assert_allclose(h_grad.detach().numpy(), h1, atol=1e-5)
    np.testing.assert_allclose(y_grad.detach().numpy(), y1, atol=1e-6)
