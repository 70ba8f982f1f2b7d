"""The persistent ↔ sequential measures applied alike to every paper's delay activity.

Two existing implementations, unchanged, on the delay period of a labelled activity dataset
(:mod:`paperrepro.activity`):

* **Sequentiality index** (Orhan & Ma 2019; :func:`paperrepro.memory_factors.sequentiality.sequentiality_index`,
  the original's ``compute_SI(h, 20, 5, 0.1)``): entropy of the units' peak times plus their mean log
  ridge-to-background, per trial, averaged. Its unit-selection threshold (0.1) is an absolute activity level of the
  memory-factors networks; the papers' activities have other scales (raw softplus states, 50 Hz × state, ReLU rates),
  so each network's delay activity is first divided by its largest trial-averaged unit activity in the delay
  (:func:`scaled`), which makes the threshold 10 % of the network's peak for every paper. High SI: a sequence of
  units tiles the delay; low SI: units hold a persistent level.
* **Cross-temporal generalisation** of the remembered variable (Liu et al. 2021, Fig. S5E;
  :func:`paperrepro.maturation.decoding.cross_temporal_accuracy`, an RBF SVM per 200-ms window): accuracy on
  held-out trials of a decoder trained at one window and tested at another. :func:`generalisation` reports the mean
  diagonal (same window) and off-diagonal (windows more than :data:`MIN_GAP_MS` apart) accuracies and the
  chance-corrected index (off − chance) / (diagonal − chance): 1 when the code is the same all through the delay
  (persistent), about 0 or below when it changes (sequential or rotating).

The remembered variable, the delay period and the decoding window of each paper are chosen in
:data:`paperrepro.crosspaper.figure_data.NETWORKS`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from sklearn.svm import SVC

from paperrepro.maturation.decoding import SOLVER_TOL, cross_temporal_accuracy, window_features
from paperrepro.memory_factors.sequentiality import SIResult, sequentiality_index

MIN_GAP_MS = 300.0
"""Off-diagonal pairs: windows whose start times differ by more than this (as ``offdiag_delay`` of Fig. S5E)."""
SI_ARGS = {"n_bins": 20, "window": 5, "threshold": 0.1}
"""Arguments of the original ``compute_SI(hidr, 20, 5, 0.1)``."""


def delay_period(ds: xr.Dataset, epochs: tuple[str, ...]) -> xr.DataArray:
    """``rate`` (trial, time, unit) restricted to the time steps whose common ``epoch`` is in ``epochs``."""
    keep = np.isin(ds["epoch"].values, list(epochs))
    if not keep.any():
        raise ValueError(f"no time step of {ds.attrs.get('paper')} is in epochs {epochs}")
    return ds["rate"].isel(time=np.flatnonzero(keep))


def scaled(rate: np.ndarray) -> np.ndarray:
    """Activity (trial, time, unit) divided by its largest trial-averaged unit activity (see the module docstring)."""
    peak = float(np.max(np.mean(rate, axis=0)))
    return rate / peak if peak > 0 else rate


def class_major(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Trial order grouping the classes (sorted), with the same number of trials of each (the first ones).

    Returns
    -------
    order, n_classes
        Indices into the trials, class-major with equal counts, as :func:`cross_temporal_accuracy` needs.
    """
    classes, counts = np.unique(labels, return_counts=True)
    per = int(counts.min())
    order = np.concatenate([np.flatnonzero(labels == c)[:per] for c in classes])
    return order, classes.size


def binary_cross_temporal_accuracy(h: np.ndarray, *, window: int, test_per_class: int) -> np.ndarray:
    """:func:`~paperrepro.maturation.decoding.cross_temporal_accuracy` (``offdiag_eval='held_out'``) for two classes.

    The maturation decoder recomputes libsvm's intercepts and one-vs-one vote in float64 from ``dual_coef_`` and
    ``intercept_`` in libsvm's sign convention; scikit-learn negates both for two classes, so with two classes that
    decoder predicts the wrong class (it is only used with 8 there). Until it handles the binary case, this is the
    same decoder (same windows, held-out trials, ``SVC(tol=SOLVER_TOL)``) with scikit-learn's own prediction.

    Parameters
    ----------
    h : ndarray, shape (T, B, N)
        Class-major trials, two classes of B / 2.
    window, test_per_class : int
        Steps per feature window; held-out trials per class (the first ones).
    """
    feats = window_features(h, window)
    n_bins, n_trials, _ = feats.shape
    labels = np.arange(n_trials) // (n_trials // 2)
    held = np.concatenate([np.arange(test_per_class), n_trials // 2 + np.arange(test_per_class)])
    train = np.setdiff1d(np.arange(n_trials), held)
    acc = np.empty((n_bins, n_bins))
    for i in range(n_bins):
        clf = SVC(tol=SOLVER_TOL).fit(feats[i, train], labels[train])
        hits = clf.predict(feats[:, held].reshape(-1, feats.shape[2])).reshape(n_bins, -1) == labels[held]
        acc[i] = hits.mean(axis=1)
    return acc


def sequentiality(rate: np.ndarray) -> SIResult:
    """Sequentiality index of delay activity (trial, time, unit) after :func:`scaled`."""
    return sequentiality_index(scaled(np.asarray(rate, dtype=np.float64)), **SI_ARGS)


def generalisation(
    rate: np.ndarray, labels: np.ndarray, times_ms: np.ndarray, window: int, min_gap_ms: float = MIN_GAP_MS
) -> dict[str, float | np.ndarray]:
    """Cross-temporal decoding of ``labels`` from delay activity and its summary.

    Parameters
    ----------
    rate
        Delay activity (trial, time, unit).
    labels
        Remembered variable per trial (any sortable values).
    times_ms
        Time of each step (ms; the rotational model's steps count as 1 ms apart, so every pair of its two steps is
        off-diagonal only if ``min_gap_ms`` < 1).
    window
        Steps per decoding window.
    min_gap_ms
        Off-diagonal pairs are further apart than this.

    Returns
    -------
    dict
        ``accuracy`` (window × window), ``diagonal``, ``off_diagonal``, ``chance`` and ``index``.
    """
    order, n_classes = class_major(np.asarray(labels))
    per_class = order.size // n_classes
    test_per_class = max(1, per_class // 4)
    h = np.transpose(np.asarray(rate, dtype=np.float64)[order], (1, 0, 2))  # (T, B, N)
    if n_classes == 2:
        acc = binary_cross_temporal_accuracy(h, window=window, test_per_class=test_per_class)
    else:
        acc = cross_temporal_accuracy(h, n_classes, window=window, test_per_loc=test_per_class, offdiag_eval="held_out")
    starts = np.asarray(times_ms, dtype=float)[: acc.shape[0]]
    gap = np.abs(starts[:, None] - starts[None, :]) > min_gap_ms
    chance = 1.0 / n_classes
    diagonal, off = float(np.mean(np.diag(acc))), float(np.mean(acc[gap])) if gap.any() else float("nan")
    index = (off - chance) / (diagonal - chance) if diagonal > chance else float("nan")
    return {"accuracy": acc, "diagonal": diagonal, "off_diagonal": off, "chance": chance, "index": float(index)}
