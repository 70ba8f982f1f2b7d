"""Training loop: determinism, batch independence, checkpoint resume, perturbation runs."""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro.learning_to_learn import train
from paperrepro.learning_to_learn.params import Params


def test_seeded_determinism_and_batch_independence(tiny_train_params):
    p = tiny_train_params
    a = train.train_full((0, 1), p, progress=False)
    b = train.train_full((0, 1), p, progress=False)
    single = train.train_full((1,), Params(**{**p.__dict__, "batch_seeds": 1}), progress=False)
    assert len(a[0].conv) == p.n_problems
    assert a[0].conv == b[0].conv and a[1].conv == b[1].conv
    assert a[0].conv != a[1].conv or not np.allclose(a[0].history[-1]["w_rec"], a[1].history[-1]["w_rec"])
    assert single[1].conv == a[1].conv
    np.testing.assert_allclose(single[1].history[-1]["w_rec"], a[1].history[-1]["w_rec"], rtol=0, atol=1e-6)
    assert a[0].rho_set and a[0].rho == pytest.approx(a[0].hnorm[0])
    assert np.all(a[0].history[-1]["h0"] >= 0)


def test_checkpoint_resume_equals_uninterrupted(tiny_train_params, tmp_path):
    p = tiny_train_params
    full = train.train_full((0,), p, progress=False)[0]
    short = Params(**{**p.__dict__, "n_problems": 2})
    train.train_full((0,), short, checkpoint_dir=tmp_path, progress=False)
    assert (tmp_path / "full-s0.pkl").is_file() and (tmp_path / "full-s0" / "p00002.npz").is_file()
    resumed = train.train_full((0,), p, checkpoint_dir=tmp_path, progress=False)[0]
    assert resumed.conv == full.conv
    assert len(resumed.history) == p.n_problems
    np.testing.assert_array_equal(resumed.history[-1]["w_rec"], full.history[-1]["w_rec"])


def test_perturbation_runs(tiny_train_params):
    p = tiny_train_params
    runs = train.train_perturbation((0,), p, progress=False)
    assert set(runs) == {(0, "control"), (0, "ds"), (0, "ss")}
    base_conv = runs[(0, "control")].conv[: p.pert_base_problems]
    for m in runs.values():
        assert len(m.conv) == p.pert_base_problems + p.pert_problems
        assert m.conv[: p.pert_base_problems] == base_conv
        assert m.frozen and not m.perf and m.images is None
    control_readout = runs[(0, "control")].snapshot["w_out"]
    # control keeps the problem-1 read-out; the trained read-out is never updated when frozen
    np.testing.assert_array_equal(runs[(0, "control")].weights["w_out"], control_readout)
    assert not np.allclose(runs[(0, "ds")].weights["w_out"], control_readout)
