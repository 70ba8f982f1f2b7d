"""Read-outs and analyses of the rotational model (the analyses of the original ``network_helper_functions.py``).

Four linear read-outs per network (``AX0``, ``AX1``, ``CCprime0``, ``CCprime1``: label set + training step) are
fitted with scikit-learn's ``SGDClassifier`` using exactly the original arguments (B11 in docs/rotational.md),
then scored on held-out trials: cross-decoding AUCs (the original's ``cross_auc_clf``), postdiction AUCs on
expected/unexpected trials (``postdiction_test``), angles between the coefficient vectors (``cal_angle_axes``).
Per-unit z-scores of the class-mean difference against a label-permutation null (``zscore_activity``) are computed
with the null as one (shuffles × trials) 0/1 matrix product (the permutations shared by both steps); selectivity
counts follow (``create_cell_counts_table``).

Decisions on the original's quirks (ids of the table in docs/rotational.md):

* B1 kept: ``test_per_condition`` held-out trials per condition (default 100, i.e. 40 % of the trials).
* B4 fixed: postdiction is scored at the explicit step ``T_POSTDICTION = 1``.
* B5: the split is balanced by construction; no down-sampling is needed (the original's crashing branch dropped).
* B8: projections (``y_score``) use all trials when ``projection_trials="all"`` (faithful; their AUCs are inflated
  by training trials) or only the held-out trials when ``"test"`` (others set to NaN).
* B9 fixed: a unit is selective when ``z > z*`` (strict) and non-selective when ``|z| <= z*``; the original's
  ``>=`` (a unit exactly at the threshold counted twice) is available as ``inclusive=True``.

AUCs are computed as the Mann-Whitney statistic (ties count one half), which equals the trapezoidal area under
scikit-learn's ``roc_curve`` with the positive class 1 (X or C*).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.special import ndtri
from sklearn.linear_model import SGDClassifier

from .model import CONDITIONS

LABELS = ("AX", "CCprime")
READOUTS = ("AX0", "AX1", "CCprime0", "CCprime1")
SUBSETS = ("exp", "unexp")
AXIS_PAIRS = ("sen_CC", "sen_mem", "mem_CC")
CATEGORIES = ("AA", "0A", "XA", "A0", "00", "X0", "AX", "0X", "XX")
T_POSTDICTION = 1
Z_CRIT = float(-ndtri(0.05 / 2))

#: ``SGDClassifier`` arguments of the original (``clf_train_test``); everything else is scikit-learn's default.
SGD_ARGS = {
    "loss": "hinge",
    "penalty": "elasticnet",
    "l1_ratio": 0.65,
    "alpha": 0.01,
    "max_iter": 1000,
    "learning_rate": "constant",
    "eta0": 1e-5,
}

#: Conditions of the expected (AC, XC*) and unexpected (AC*, XC) subsets.
SUBSET_CONDITIONS = {"exp": (0, 3), "unexp": (1, 2)}
#: Readout index pairs of the angles: A/X sensory vs C/C*, A/X sensory vs memory, A/X memory vs C/C*.
ANGLE_PAIRS = ((0, 3), (0, 1), (1, 3))


def labels(conditions: np.ndarray, label_set: str) -> np.ndarray:
    """Return the 0/1 labels of a label set: ``AX`` (1 = X: conditions 2, 3) or ``CCprime`` (1 = C*: 1, 3)."""
    if label_set == "AX":
        return (conditions >= 2).astype(np.int64)
    if label_set == "CCprime":
        return (conditions % 2).astype(np.int64)
    raise ValueError(f"unknown label set {label_set!r}; expected one of {LABELS}")


def split_train_test(
    rng: np.random.Generator, conditions: np.ndarray, test_per_condition: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a balanced split: ``test_per_condition`` random held-out trials per condition (``split_train_test``, B1).

    Returns
    -------
    test, train : numpy.ndarray
        Sorted trial indices.
    """
    test = np.concatenate([rng.permutation(np.flatnonzero(conditions == c))[:test_per_condition] for c in range(len(CONDITIONS))])
    test.sort()
    mask = np.zeros(conditions.size, dtype=bool)
    mask[test] = True
    return test, np.flatnonzero(~mask)


def fit_readout(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    """Fit one ``SGDClassifier`` read-out with the original arguments; returns ``(coef (N,), intercept)``."""
    clf = SGDClassifier(random_state=seed, **SGD_ARGS).fit(x, y)
    return clf.coef_[0].copy(), float(clf.intercept_[0])


def fit_readouts(
    rates: np.ndarray, conditions: np.ndarray, train: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Fit the four read-outs ``READOUTS`` on the training trials.

    Parameters
    ----------
    rates : numpy.ndarray
        Shape (trials, N, 2).
    conditions : numpy.ndarray
        Condition per trial.
    train : numpy.ndarray
        Training trial indices.
    rng : numpy.random.Generator
        Supplies one integer ``random_state`` per fit.

    Returns
    -------
    coef : numpy.ndarray
        Shape (4, N).
    intercept : numpy.ndarray
        Shape (4,).
    """
    seeds = rng.integers(2**32, size=len(READOUTS))
    coef = np.empty((len(READOUTS), rates.shape[1]))
    intercept = np.empty(len(READOUTS))
    for i, (label_set, t) in enumerate((ls, t) for ls in LABELS for t in (0, 1)):
        coef[i], intercept[i] = fit_readout(rates[train, :, t], labels(conditions[train], label_set), int(seeds[i]))
    return coef, intercept


def auc(y: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Area under the ROC curve of ``scores`` for labels ``y`` (positive class 1), along the last axis.

    Parameters
    ----------
    y : numpy.ndarray
        0/1 labels, shape (trials,).
    scores : numpy.ndarray
        Shape (..., trials).

    Returns
    -------
    numpy.ndarray
        Shape ``scores.shape[:-1]``.
    """
    pos = scores[..., y == 1][..., :, None]
    neg = scores[..., y == 0][..., None, :]
    n = pos.shape[-2] * neg.shape[-1]
    return (np.count_nonzero(pos > neg, axis=(-2, -1)) + 0.5 * np.count_nonzero(pos == neg, axis=(-2, -1))) / n


def decision(rates: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Decision functions of all read-outs on all steps: shape (readout, t_test, trials)."""
    return (
        np.stack([rates[:, :, t] @ coef.T for t in range(rates.shape[2])], axis=1).transpose(2, 1, 0) + intercept[:, None, None]
    )


def cross_auc(scores: np.ndarray, conditions: np.ndarray, test: np.ndarray) -> np.ndarray:
    """Cross-decoding AUCs on the held-out trials (the original's ``cross_auc_clf``).

    Parameters
    ----------
    scores : numpy.ndarray
        Decision functions, shape (readout, t_test, trials) (see :func:`decision`).
    conditions : numpy.ndarray
        Condition per trial.
    test : numpy.ndarray
        Held-out trial indices.

    Returns
    -------
    numpy.ndarray
        Shape (readout, labels, t_test).
    """
    s = scores[..., test]
    return np.stack([auc(labels(conditions[test], ls), s) for ls in LABELS], axis=1)


def postdiction_auc(scores: np.ndarray, conditions: np.ndarray, test: np.ndarray) -> np.ndarray:
    """AUCs at step ``T_POSTDICTION`` on expected / unexpected held-out trials (the original's ``postdiction_test``).

    Returns
    -------
    numpy.ndarray
        Shape (readout, labels, subset).
    """
    out = np.empty((scores.shape[0], len(LABELS), len(SUBSETS)))
    for k, subset in enumerate(SUBSETS):
        trials = test[np.isin(conditions[test], SUBSET_CONDITIONS[subset])]
        s = scores[:, T_POSTDICTION, trials]
        for j, ls in enumerate(LABELS):
            out[:, j, k] = auc(labels(conditions[trials], ls), s)
    return out


def axis_angles(coef: np.ndarray) -> np.ndarray:
    """Angles in degrees between read-out weight vectors for ``AXIS_PAIRS`` (intercepts ignored), shape (3,)."""
    unit = coef / np.linalg.norm(coef, axis=1, keepdims=True)
    cos = np.array([unit[i] @ unit[j] for i, j in ANGLE_PAIRS])
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def permuted_labels(rng: np.random.Generator, y: np.ndarray, n_shuffles: int) -> np.ndarray:
    """Draw ``n_shuffles`` independent permutations of the labels: shape (n_shuffles, trials), float64 0/1."""
    return rng.permuted(np.tile(y.astype(np.float64), (n_shuffles, 1)), axis=1)


def zscore_from_permutations(x: np.ndarray, y: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Z-score of the class-mean difference of every column against a permutation null (``zscore_activity``), vectorised.

    Parameters
    ----------
    x : numpy.ndarray
        Rates, shape (trials, K) (K = units, or units × steps).
    y : numpy.ndarray
        0/1 labels, shape (trials,).
    perm : numpy.ndarray
        Permuted labels, shape (shuffles, trials), 0/1 (each row a permutation of ``y``).

    Returns
    -------
    numpy.ndarray
        ``(d - mean_null) / sd_null`` (ddof 0; ``d - mean_null`` where ``sd_null`` is 0), shape (K,), where ``d`` =
        mean(class 0) - mean(class 1) and the null holds ``d`` under every row of ``perm``.
    """
    n1 = int(y.sum())
    n0 = y.size - n1
    total = x.sum(axis=0)
    s1 = y.astype(np.float64) @ x
    d = (total - s1) / n0 - s1 / n1
    s1_null = perm @ x
    null = (total - s1_null) / n0 - s1_null / n1
    mean = null.mean(axis=0)
    sd = null.std(axis=0)
    return np.where(sd == 0, d - mean, (d - mean) / np.where(sd == 0, 1.0, sd))


def zscores(rates: np.ndarray, y: np.ndarray, rng: np.random.Generator, n_shuffles: int = 1000) -> np.ndarray:
    """Z-scores of every unit at every step over all trials (the original's ``zscore_activity``); shape (steps, N).

    One set of ``n_shuffles`` label permutations serves both steps (one matrix product); the original drew a
    fresh set per step, which gives each z-score the same null distribution in law at twice the cost.
    """
    n_trials, n_units, n_steps = rates.shape
    perm = permuted_labels(rng, y, n_shuffles)
    z = zscore_from_permutations(rates.reshape(n_trials, n_units * n_steps), y, perm)
    return z.reshape(n_units, n_steps).T


def selectivity_counts(z: np.ndarray, z_crit: float = Z_CRIT, inclusive: bool = False) -> np.ndarray:
    """Count units per selectivity category ``CATEGORIES`` from A/X z-scores at tp0 and tp1 (B9).

    Parameters
    ----------
    z : numpy.ndarray
        Shape (2, N): z-scores at tp0 (sensory) and tp1 (memory); positive = higher rate for A.
    z_crit : float
        Two-sided 5 % threshold 1.959964.
    inclusive : bool
        ``True`` reproduces the original ``>=`` test (B9); ``False`` uses strict ``>``.

    Returns
    -------
    numpy.ndarray
        Shape (9,), int64, order AA, 0A, XA, A0, 00, X0, AX, 0X, XX (first letter = tp0).
    """
    if inclusive:
        cls = {"A": z >= z_crit, "X": z <= -z_crit}
    else:
        cls = {"A": z > z_crit, "X": z < -z_crit}
    cls["0"] = np.abs(z) <= z_crit
    return np.array([np.count_nonzero(cls[c[0]][0] & cls[c[1]][1]) for c in CATEGORIES], dtype=np.int64)


# --------------------------------------------------------------------------------- summaries over the network grid
def pooled_mean(da: xr.DataArray) -> xr.DataArray:
    """Mean over structure levels and seeds, per association.

    Parameters
    ----------
    da
        A per-network variable with the dims ``structure`` and ``seed`` (and ``association``).

    Returns
    -------
    xr.DataArray
        ``da`` averaged over ``structure`` and ``seed``.
    """
    return da.mean(["structure", "seed"])


def level_slope(da: xr.DataArray, dim: str) -> float:
    """Least-squares slope of the per-level means of ``da`` along ``dim`` (each level weighted equally).

    Parameters
    ----------
    da
        A per-network variable.
    dim
        The dimension whose levels are the abscissa (e.g. ``association``).

    Returns
    -------
    float
        Slope of the straight line fitted to the means over every other dimension, per level of ``dim``.
    """
    means = da.mean([d for d in da.dims if d != dim])
    return float(np.polyfit(means[dim].values, means.values, 1)[0])


def projection_auc(y_score: xr.DataArray, conditions: np.ndarray, label_set: str = "AX") -> xr.DataArray:
    """AUC of a label set from each read-out's projections of the trials (NaN projections left out).

    Parameters
    ----------
    y_score
        Projections of every trial on read-out axes, with the dim ``trial`` (NaN: a trial not scored).
    conditions
        Condition index per trial (:data:`paperrepro.rotational.model.CONDITIONS` order), aligned with ``trial``.
    label_set
        ``"AX"`` or ``"CCprime"`` (:func:`labels`).

    Returns
    -------
    xr.DataArray
        :func:`auc` per element of ``y_score`` over its finite trials; the dims of ``y_score`` without ``trial``.
    """
    y = labels(np.asarray(conditions), label_set)

    def one(scores: np.ndarray) -> float:
        ok = np.isfinite(scores)
        return auc(y[ok], scores[ok])

    return xr.apply_ufunc(one, y_score, input_core_dims=[["trial"]], vectorize=True, output_dtypes=[np.float64])


def condition_index(names: np.ndarray) -> np.ndarray:
    """Condition indices (:data:`paperrepro.rotational.model.CONDITIONS` order) of condition names such as ``"AC*"``.

    Parameters
    ----------
    names
        Condition name per trial.

    Returns
    -------
    np.ndarray
        int64 index per trial.
    """
    return np.array([CONDITIONS.index(str(name)) for name in names], dtype=np.int64)


def example_network(association: xr.DataArray, structure: xr.DataArray) -> int:
    """The example network: the first at the highest association whose structure is nearest the median level.

    Parameters
    ----------
    association, structure
        Per-network coordinates (dim ``network``).

    Returns
    -------
    int
        The ``network`` label of the example.
    """
    target = np.median(np.unique(structure.values))
    top = association.values == association.values.max()
    distance = np.where(top, np.abs(structure.values - target), np.inf)
    return int(association["network"].values[int(np.argmin(distance))])


def group_counts(counts: xr.DataArray, groups: dict[str, tuple[str, ...]]) -> xr.DataArray:
    """Units per selectivity group: the sum of the counts of the group's categories.

    Parameters
    ----------
    counts
        Units per category (dim ``category``, labels of :data:`CATEGORIES`).
    groups
        Group name -> its categories.

    Returns
    -------
    xr.DataArray
        ``counts`` with ``category`` replaced by ``group`` (in the order of ``groups``).
    """
    summed = xr.concat([counts.sel(category=list(cats)).sum("category") for cats in groups.values()], dim="group")
    summed["group"] = list(groups)
    return summed


def extreme_difference(da: xr.DataArray, dim: str) -> xr.DataArray:
    """Mean of ``da`` at the highest level of ``dim`` minus its mean at the lowest level.

    Parameters
    ----------
    da
        A per-network variable.
    dim
        The dimension whose extreme levels are compared (e.g. ``structure``).

    Returns
    -------
    xr.DataArray
        A scalar: mean over every other dimension at ``max(dim)`` minus that at ``min(dim)``.
    """
    levels = da[dim]
    return da.sel({dim: levels.max()}).mean() - da.sel({dim: levels.min()}).mean()
