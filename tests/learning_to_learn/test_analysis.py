"""Analyses of Figs. 1, 2, 3, 5–6 on small synthetic inputs, and identities of the published files."""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro.learning_to_learn import analysis, network, perturb, task


def _history(params, n, rng):
    w = network.init_weights(np.random.RandomState(0), params)
    w["w_out"] = 0.1 * rng.normal(size=w["w_out"].shape)
    hist = []
    for _ in range(n):
        w = {k: v + 0.01 * rng.normal(size=v.shape) for k, v in w.items()}
        w["h0"] = np.abs(w["h0"])
        hist.append({**w, "images": task.new_problem(rng)})
    return hist


def test_vfc_identities(short_params):
    rng = np.random.default_rng(0)
    hist = _history(short_params, 3, rng)
    row, grams = analysis.vfc_problem(hist[1], hist[0], hist[1]["images"], short_params)
    assert row[6] == pytest.approx(-row[8], rel=1e-12)  # vfcS_perp = -vfcW_perp
    assert row[3] == pytest.approx(np.linalg.norm(hist[1]["w_rec"] - hist[0]["w_rec"]))
    assert row[4] <= row[1] + row[2] + 1e-15  # triangle inequality, time-averaged
    assert grams["dZdir"].trace() == pytest.approx(2 * short_params.n_steps)
    same, _ = analysis.vfc_problem(hist[0], hist[0], hist[1]["images"], short_params)
    assert same[1] == 0.0 and same[3] == 0.0


def test_participation_ratio():
    x = np.zeros((10, 4))
    x[:, 0] = 1.0
    assert analysis.participation_ratio(x.T @ x) == pytest.approx(1.0)
    y = np.eye(4)
    assert analysis.participation_ratio(y.T @ y) == pytest.approx(4.0)


def test_learning_curves_groups():
    rng = np.random.default_rng(1)
    x = np.arange(100.0)
    convs = {s: np.concatenate([[3000.0], np.round(100 * np.exp(-x / 20) + 20 + rng.normal(0, 2, 100))]) for s in (0, 1)}
    ds = analysis.learning_curves(convs)
    assert ds.trials.shape == (2, 101) and ds.group.size == 2
    np.testing.assert_allclose(ds.group_mean.sel(network=0, group=1), convs[0][1:51].mean())
    assert np.all(ds.ratio_g2_g1.values < 1) and np.all(ds.problem1.values == 3000)
    assert np.all((ds.TC.values >= 5) & (ds.TC.values <= 200))


def test_perturbation_summary_caps_nan(tiny_train_params):
    p = tiny_train_params
    base = [10.0, 3.0, 2.0]
    runs = {(0, "control"): base + [4.0, 6.0], (0, "ds"): base + [np.nan, 100.0], (0, "ss"): base + [1.0, 3.0]}
    ds = analysis.perturbation_summary(runs, p)
    assert ds.trials.sel(condition="problem1").item() == 10.0
    assert ds.trials.sel(condition="ds").item() == pytest.approx((p.pert_max_trials + 100) / 2)
    assert ds.n_capped.sel(condition="ds").item() == 1


def test_decision_subspace_shapes(short_params):
    rng = np.random.default_rng(2)
    hist = _history(short_params, 5, rng)
    ds = analysis.decision_subspace(hist, short_params, [2, 3, 4, 5], decimate=10)
    assert 0 < float(ds.power_share) <= 1
    assert ds.current_mean.shape == (3, 2, short_params.n_steps // 10, 2)


def test_subspaces_match_explicit_svd():
    rng = np.random.default_rng(3)
    from paperrepro.learning_to_learn.params import Params

    p = Params(n_steps=40)
    acc = perturb.StateAccumulator.empty(p)
    trajs = [rng.normal(size=(2, 40, 100)) + 1.0 for _ in range(5)]
    for t in trajs:
        acc.add(t)
    d, s = perturb.subspaces(acc, 4)
    x = np.concatenate([np.mean(trajs, 0)[0].T, np.mean(trajs, 0)[1].T], axis=1)
    u = np.linalg.svd(x, full_matrices=False)[0][:, :4]
    np.testing.assert_allclose(np.abs(d.T @ u), np.eye(4), atol=1e-8)
    xs = np.concatenate([(np.eye(100) - d @ d.T) @ t[k].T for t in trajs for k in range(2)], axis=1)
    us = np.linalg.svd(xs, full_matrices=False)[0][:, :10]
    np.testing.assert_allclose(np.abs(np.sum(s[:, :10] * us, 0)), 1.0, atol=1e-6)
    w_out = rng.normal(size=(100, 3))
    new = perturb.perturb_readout(w_out, "ss", d, s, np.array([1, 0, 2, 3]))
    np.testing.assert_allclose(s[:, 1] @ new, s[:, 0] @ w_out, atol=1e-12)
    np.testing.assert_array_equal(perturb.perturb_readout(w_out, "control", d, s, np.arange(4)), w_out)


def test_published_vfc_identities_and_corrs(authors_mirror):
    """The authors' f5And6 files: identities of figs5and6.m, and their corrs recomputed from their VFC and C."""
    from paperrepro.learning_to_learn import published

    corrs = published.load_mat("f5And6_All.mat")["corrs"]
    for seed in range(10):
        data = published.load_mat(f"f5And6_seed_{seed}.mat")
        vfc, conv = data["VFC"], data["C"].ravel()
        np.testing.assert_allclose(vfc[:, 6], -vfc[:, 8], atol=1e-14)
        np.testing.assert_allclose(vfc.reshape(20, 50, 9).mean(1), data["VFC_sum"], atol=1e-14)
        mine = [np.corrcoef(vfc[:, c], conv)[0, 1] for c in (1, 2, 3)]
        np.testing.assert_allclose(mine, corrs[seed], atol=1e-12)


def test_cvfc_shapes_and_lag_structure(short_params):
    rng = np.random.default_rng(5)
    hist = _history(short_params, 4, rng)
    out = analysis.cvfc_problem(hist, 4, short_params, window=100)
    assert out["mag"].shape == (3, 3) and out["sup"].shape == (2, 3) and out["dims"].shape == (3, 2)
    assert np.all(out["mag"] > 0) and np.all(np.isfinite(out["sup"]))
    ds = analysis.cvfc_analysis({0: hist}, short_params)
    assert ds.cvfc_group.shape == (1, 1, 3)
    # problem 2 has only lag 1, problem 4 lags 1..3: the group mean at lag 3 comes from problem 4 alone
    single = analysis.cvfc_problem(hist, 4, short_params)["mag"].mean(0)[2]
    assert ds.cvfc_group.values[0, 0, 2] == pytest.approx(single)
