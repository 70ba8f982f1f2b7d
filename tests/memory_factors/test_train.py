"""Training smoke test (docs/memory_factors.md), checkpoint/resume equivalence, divergence handling."""

import numpy as np
import pytest
import torch

from paperrepro.core.errors import DataError
from paperrepro.memory_factors.train import NetSetup, Trainer


def test_training_smoke():
    """N = 100, 2AFC, lambda0 = 0.9, sigma0 = 0.4: the exploding start trains down within 300 iterations."""
    trainer = Trainer([NetSetup(("2AFC",), 0.9, 0.4, seed=1, n_hidden=100, n_iterations=300)])
    losses = np.array([trainer.train_step()[0] for _ in range(300)])
    assert np.all(np.isfinite(losses))
    assert losses[250:300].mean() < losses[50]
    assert trainer.alive.all()


def _params(trainer):
    return {k: v.copy() for k, v in trainer.model.numpy_params(0).items()}


def test_resume_equals_uninterrupted(tmp_path):
    setup = NetSetup(("CD",), 0.95, 0.2, seed=3, n_hidden=16, n_iterations=200, monitor_every=50)
    straight = Trainer([setup])
    res_straight = straight.run(test_batches=2, keep_batches=2, progress=False)

    ckpt = tmp_path / "net.ckpt.pt"
    first = Trainer([setup], ckpt, checkpoint_every=70)
    for _ in range(140):
        first.train_step()
        if first.iteration % 70 == 0:
            first.save(ckpt)
    resumed = Trainer([setup], ckpt, checkpoint_every=70)
    assert resumed.iteration == 140
    res_resumed = resumed.run(test_batches=2, keep_batches=2, progress=False)
    for name, value in _params(straight).items():
        np.testing.assert_array_equal(_params(resumed)[name], value)
    assert np.array_equal(res_straight[0]["curve"], res_resumed[0]["curve"])
    np.testing.assert_array_equal(res_straight[0]["hidden"], res_resumed[0]["hidden"])
    assert res_straight[0]["hidden"].shape == (1, 100, 150, 16)
    assert len(res_straight[0]["curve"][0]) == 4  # iterations 0, 50, 100, 150


def test_checkpoint_of_other_settings_is_refused(tmp_path):
    ckpt = tmp_path / "net.ckpt.pt"
    Trainer([NetSetup(("CD",), 0.95, 0.2, n_hidden=8, n_iterations=5)], ckpt).save(ckpt)
    with pytest.raises(DataError, match="other settings"):
        Trainer([NetSetup(("CD",), 0.9, 0.2, n_hidden=8, n_iterations=5)], ckpt)


def test_diverged_network_does_not_contaminate_block():
    setups = [
        NetSetup(("2AFC",), 0.9, 0.2, seed=1, n_hidden=12, n_iterations=3),
        NetSetup(("2AFC",), 0.9, 0.2, seed=2, n_hidden=12, n_iterations=3),
    ]
    block = Trainer(setups)
    single = Trainer(setups[1:])
    with torch.no_grad():
        block.model.W_hh[0, 0, 0] = float("nan")
    for _ in range(3):
        losses = block.train_step()
        assert single.train_step()[0] == pytest.approx(losses[1], rel=1e-5)
    assert list(block.alive) == [False, True]


def test_multitask_phases_share_optimizer():
    setup = NetSetup(("COMP", "2AFC"), 0.95, 0.2, seed=1, n_hidden=10, n_iterations=20, monitor_every=10)
    trainer = Trainer([setup])
    results = trainer.run(test_batches=1, keep_batches=1, progress=False)
    assert [r["task"] for r in results] == ["COMP", "2AFC"]
    step = trainer.optimizer.state[trainer.model.W_hh]["step"]
    assert int(step) == 40
