"""Read-outs and analyses: exact identities of the original's definitions, vectorised z-score vs a loop, seeded determinism."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import auc as sk_auc
from sklearn.metrics import roc_curve

from paperrepro.rotational import analysis as an
from paperrepro.rotational.model import block_conditions, build_network, simulate
from paperrepro.rotational.network import analyse_network
from paperrepro.rotational.params import Params

SMALL = Params(n_shuffles=200)


@pytest.fixture(scope="module")
def network():
    return analyse_network(0.95, 0.225, 3, SMALL)


def test_split_balanced_and_disjoint():
    conditions = block_conditions(1000)
    test, train = an.split_train_test(np.random.default_rng(0), conditions, 100)
    assert np.bincount(conditions[test]).tolist() == [100] * 4
    assert np.bincount(conditions[train]).tolist() == [150] * 4
    assert np.intersect1d(test, train).size == 0 and test.size + train.size == 1000


def test_auc_matches_sklearn_roc():
    rng = np.random.default_rng(1)
    y = rng.integers(2, size=300)
    scores = np.round(rng.normal(size=(3, 300)) + y, 1)  # rounded: includes ties
    for s in scores:
        fpr, tpr, _ = roc_curve(y, s, pos_label=1)
        assert abs(an.auc(y, s) - sk_auc(fpr, tpr)) <= 1e-12
    np.testing.assert_allclose(an.auc(y, scores), [an.auc(y, s) for s in scores], rtol=0, atol=0)


def test_postdiction_identities(network):
    post = network["postdiction"]  # (readout, labels, subset)
    ax, cc = an.LABELS.index("AX"), an.LABELS.index("CCprime")
    exp, unexp = an.SUBSETS.index("exp"), an.SUBSETS.index("unexp")
    np.testing.assert_allclose(post[:, cc, unexp], 1 - post[:, ax, unexp], atol=1e-9, rtol=0)
    np.testing.assert_allclose(post[:, ax, exp], post[:, cc, exp], atol=1e-9, rtol=0)


def test_cross_auc_diagonal_is_per_step_auc():
    params = SMALL
    rng = np.random.default_rng(4)
    net = build_network(rng, 0.5, 0.1)
    conditions = block_conditions(params.n_trials)
    rates = simulate(net.W, net.IH, conditions, rng)
    test, train = an.split_train_test(rng, conditions)
    coef, intercept = an.fit_readouts(rates, conditions, train, np.random.default_rng(9))
    cross = an.cross_auc(an.decision(rates, coef, intercept), conditions, test)
    from sklearn.linear_model import SGDClassifier

    seeds = np.random.default_rng(9).integers(2**32, size=4)
    for i, (ls, t) in enumerate([(ls, t) for ls in an.LABELS for t in (0, 1)]):
        clf = SGDClassifier(random_state=int(seeds[i]), **an.SGD_ARGS).fit(rates[train, :, t], an.labels(conditions[train], ls))
        fpr, tpr, _ = roc_curve(an.labels(conditions[test], ls), clf.decision_function(rates[test, :, t]), pos_label=1)
        assert abs(cross[i, an.LABELS.index(ls), t] - sk_auc(fpr, tpr)) <= 1e-9
        np.testing.assert_array_equal(coef[i], clf.coef_[0])


def _loop_zscore(x, y, perm):
    """Straightforward version of the original's per-shuffle loop (class-0 minus class-1 means)."""
    d = x[y == 0].mean(axis=0) - x[y == 1].mean(axis=0)
    null = np.zeros((perm.shape[0], x.shape[1]))
    for s, labels in enumerate(perm):
        null[s] = x[labels == 0].mean(axis=0) - x[labels == 1].mean(axis=0)
    mean, sd = null.mean(axis=0), null.std(axis=0)
    z = np.empty(x.shape[1])
    z[sd == 0] = d[sd == 0] - mean[sd == 0]
    z[sd != 0] = (d[sd != 0] - mean[sd != 0]) / sd[sd != 0]
    return z


def test_vectorised_zscore_matches_loop():
    rng = np.random.default_rng(2)
    net = build_network(rng, 0.95, 0.3)
    conditions = block_conditions(1000)
    rates = simulate(net.W, net.IH, conditions, rng)
    for label_set in an.LABELS:
        y = an.labels(conditions, label_set)
        perm = an.permuted_labels(rng, y, 1000)
        assert np.all(perm.sum(axis=1) == y.sum())
        for t in (0, 1):
            fast = an.zscore_from_permutations(rates[:, :, t], y, perm)
            slow = _loop_zscore(rates[:, :, t], y, perm)
            # a re-implementation of the original's loop agreed to 2e-14 on one draw; both sides round at
            # ~1e-16 * trials * rate / null SD, which reaches 4e-14 on this one
            assert np.abs(fast - slow).max() <= 5e-14
    # units silent in every trial have a zero null SD: z = d - mean_null = 0
    x = np.zeros((8, 2))
    x[:, 1] = np.arange(8)
    y = np.repeat([0, 1], 4)
    perm = an.permuted_labels(np.random.default_rng(0), y, 50)
    np.testing.assert_allclose(an.zscore_from_permutations(x, y, perm), _loop_zscore(x, y, perm), atol=1e-14)


def test_selectivity_counts_strict_and_inclusive():
    zc = an.Z_CRIT
    z = np.array([[3.0, 3.0, -3.0, 0.0, zc, -3.0], [3.0, -3.0, 3.0, 3.0, 0.0, -3.0]])
    counts = dict(zip(an.CATEGORIES, an.selectivity_counts(z), strict=False))
    assert counts == {"AA": 1, "0A": 1, "XA": 1, "A0": 0, "00": 1, "X0": 0, "AX": 1, "0X": 0, "XX": 1}
    assert an.selectivity_counts(z).sum() == 6
    inclusive = dict(zip(an.CATEGORIES, an.selectivity_counts(z, inclusive=True), strict=False))
    assert inclusive["00"] == 1 and inclusive["A0"] == 1  # the unit at +z* counts as A0 (and 00): quirk B9
    assert an.selectivity_counts(z, inclusive=True).sum() == 7


def test_angles():
    coef = np.array([[1.0, 0, 0], [0, 1.0, 0], [5.0, 5.0, 0], [1.0, 0, 0]])
    np.testing.assert_allclose(an.axis_angles(coef), [0.0, 90.0, 90.0], atol=1e-12)


def test_analyse_network_seeded(network):
    again = analyse_network(0.95, 0.225, 3, SMALL)
    for key, value in network.items():
        np.testing.assert_array_equal(value, again[key])
    other = analyse_network(0.95, 0.225, 4, SMALL)
    assert not np.array_equal(network["W"], other["W"])
    assert network["counts"].sum() == 150
    assert network["is_test"].sum() == 400


def test_projection_trials_switch():
    corrected = analyse_network(0.0, 0.0, 1, Params(n_shuffles=50, projection_trials="test"))
    faithful = analyse_network(0.0, 0.0, 1, Params(n_shuffles=50))
    held_out = corrected["is_test"].astype(bool)
    assert np.all(np.isnan(corrected["y_score"][..., ~held_out]))
    np.testing.assert_array_equal(corrected["y_score"][..., held_out], faithful["y_score"][..., held_out])
