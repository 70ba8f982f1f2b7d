"""Closed-form dPCA on synthetic data with known time / stimulus / mixing signals."""

import numpy as np
import pytest

from paperrepro.maturation.dpca import LAMBDA_GRID, dpca, marginalize, sign_rule


def _synthetic(seed: int = 1, noise: float = 0.5):
    rng = np.random.default_rng(seed)
    k, n, s, t = 16, 40, 8, 30
    tt = np.linspace(0, 1, t)
    ss = np.arange(s)
    time_sig = np.sin(2 * np.pi * tt)
    stim_sig = np.cos(2 * np.pi * ss / s)
    mix_sig = 3 * np.outer(np.sin(2 * np.pi * ss / s), tt**2 - np.mean(tt**2))
    a, b, c = rng.normal(size=(3, n))
    R = a[:, None, None] * time_sig[None, None, :] + b[:, None, None] * stim_sig[None, :, None] + c[:, None, None] * mix_sig[None]
    return R[None] + noise * rng.normal(size=(k, n, s, t)), time_sig, stim_sig, mix_sig


def test_marginalizations_sum_to_data():
    X = np.random.default_rng(0).normal(size=(5, 4, 6))
    X -= X.reshape(5, -1).mean(axis=1)[:, None, None]
    m = marginalize(X)
    np.testing.assert_allclose(m["t"] + m["s"] + m["st"], X.reshape(5, -1), atol=1e-12)
    np.testing.assert_allclose(m["st"].reshape(5, 4, 6).mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(m["st"].reshape(5, 4, 6).mean(axis=2), 0, atol=1e-12)


def test_demixes_known_components():
    trialR, time_sig, stim_sig, mix_sig = _synthetic()
    res = dpca(trialR, rng=np.random.default_rng(0))
    assert LAMBDA_GRID[0] < res.lam < LAMBDA_GRID[-1] and res.scores.shape == (45,)
    assert abs(np.corrcoef(res.Z["t"][0].mean(axis=0), time_sig)[0, 1]) > 0.99
    assert abs(np.corrcoef(res.Z["s"][0].mean(axis=1), stim_sig)[0, 1]) > 0.99
    assert abs(np.corrcoef(res.Z["st"][0].ravel(), mix_sig.ravel())[0, 1]) > 0.99
    for key in ("t", "s", "st"):
        assert res.Z[key].shape == (10, 8, 30)
        assert res.evr[key][0] > 0.2 and res.evr[key][1] < 0.05
    assert res.Z["t"][0, :, 0].mean() < 0  # sign rule: onset of the time component negative
    for key in ("s", "st"):
        assert res.Z[key][0].max() == np.abs(res.Z[key][0]).max()  # largest-magnitude projection positive
    again = dpca(trialR, rng=np.random.default_rng(0))
    assert again.lam == res.lam


def test_sign_rule_is_stable_under_perturbation():
    """Signs are decided on the projections, not on the arbitrary sign of the SVD: 1e-6 noise and a mirrored
    solution give the same Z."""
    trialR, *_ = _synthetic()
    res = dpca(trialR, lam=1e-4)
    noisy = dpca(trialR * (1 + 1e-6 * np.random.default_rng(5).standard_normal(trialR.shape)), lam=1e-4)
    for key in ("t", "s", "st"):
        np.testing.assert_allclose(noisy.Z[key][0], res.Z[key][0], rtol=1e-4, atol=1e-4 * np.abs(res.Z[key][0]).max())
    for key, proj in res.Z.items():
        flip, margin = sign_rule(key, -proj)  # a mirrored decomposition is flipped back
        assert flip[0] and margin[0] == pytest.approx(res.sign_margin[key][0])


def test_fixed_lambda_and_errors():
    trialR, *_ = _synthetic(noise=0.1)
    res = dpca(trialR, lam=5.976e-05)
    assert res.lam == 5.976e-05 and res.scores.size == 0
    with pytest.raises(ValueError):
        dpca(trialR, lam="cv")


def test_parity_with_dpca_package():
    """Own closed form vs the PyPI package at equal λ (Z within 1e-8 relative, up to sign)."""
    dPCA = pytest.importorskip("dPCA.dPCA")
    trialR, *_ = _synthetic(noise=0.3)
    R = trialR.mean(axis=0)
    R = R - R.reshape(R.shape[0], -1).mean(axis=1)[:, None, None]
    ref = dPCA.dPCA(labels="st", regularizer=1e-4, n_components=10)
    ref.protect = ["t"]
    z_ref = ref.fit_transform(R, trialR)
    ours = dpca(trialR, lam=1e-4)
    for key in ("t", "s", "st"):
        a, b = ours.Z[key][0], z_ref[key][0]
        np.testing.assert_allclose(np.abs(a), np.abs(b), rtol=1e-8, atol=1e-10 * np.abs(b).max())
