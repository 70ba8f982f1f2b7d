"""Cross-temporal decoding of the cue location (``figS5E``).

As the authors' ``analysis/PSTH_Decoder_analysis.py`` (RNN_BrainMaturation @ d793a1d): features are the mean of all
units over ``window`` consecutive steps (200 ms), stride 1 → T − window + 1 bins labelled by their first step.
Labels: cue location. For each training bin i, the first ``test_per_loc`` trials of each location are held out and
an RBF ``sklearn.svm.SVC`` (C = 1, gamma 'scale', no feature scaling, as the authors' ``SVC()``) is trained on the
rest. Entry (i, j): held-out accuracy if i = j; otherwise, faithful (``offdiag_eval='all_trials'``), the accuracy on
**all** trials of bin j (training trials included, as the authors), or (``'held_out'``) on the held-out trials only.

**Numerical determinism.** Before the cue every trial differs only by recurrent noise (across-trial spread ≈ 0.01
of features that spread ≈ 0.2–0.5 across units), so the RBF kernel is ≈ 1 everywhere and the decision values are
≈ 1e-3, the size of libsvm's default stopping tolerance (``tol=1e-3``): the pre-cue predictions then depended on the
solver's path and changed with the BLAS kernel or 1e-6 perturbations of the activity. Two changes make the decoder a
well-defined function of the data, without changing the classifier it approximates:

* ``SVC(tol=SOLVER_TOL)`` (1e-10): the same optimisation solved to convergence;
* libsvm keeps its kernel matrix in float32 (``Qfloat``), so its intercepts carry errors of ≈ 1e-7, which decide
  the sign of pre-cue decision values (where every α sits at the bound C, the intercept is all that separates the
  classes): :func:`intercepts64` recomputes them in float64 from libsvm's own α with libsvm's rule
  (``Solver::calculate_rho``);
* :func:`svc_predict` re-states libsvm's one-vs-one vote in float64 with an explicit tie rule: a pairwise decision
  value within ``TIE_RTOL`` (1e-9) of zero, relative to the sum of that pair's |dual coefficients| + |intercept|, is
  a tie and gives half a vote to each class (libsvm would give it to the second class, depending on the last bit of
  a sum); among classes with equal votes the lowest label wins (as libsvm). It is ≈ 10× faster than libsvm's
  per-sample loop on the 166 × 128 test points of every training bin.
"""

from __future__ import annotations

import numpy as np
from sklearn.svm import SVC

from .selectivity import by_location

OFFDIAG_EVAL = ("all_trials", "held_out")
SOLVER_TOL = 1e-10  # libsvm stopping tolerance (default 1e-3, the size of the pre-cue decision values)
TIE_RTOL = 1e-9  # |decision| below this fraction of the pair's coefficient scale is a tie (half a vote each)


def window_features(h: np.ndarray, window: int) -> np.ndarray:
    """Sliding-window means (n_bins, B, N) of ``h`` (T, B, N), stride 1, ``n_bins = T − window + 1``."""
    c = np.cumsum(np.concatenate([np.zeros((1, *h.shape[1:])), h.astype(np.float64)]), axis=0)
    return (c[window:] - c[:-window]) / window


def _kernel(clf: SVC, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """RBF kernel matrix of the fitted ``clf`` between rows of ``X`` and ``Y``, in float64."""
    sq = (X**2).sum(axis=1)[:, None] + (Y**2).sum(axis=1)[None, :] - 2.0 * X @ Y.T
    return np.exp(-clf._gamma * np.maximum(sq, 0.0))


def _pair_coef(clf: SVC) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Class pairs (i < j) in libsvm's order and the (n_SV, n_pairs) dual coefficients y·α of each pair."""
    n_class = len(clf.classes_)
    starts = np.concatenate([[0], np.cumsum(clf.n_support_)])
    pairs = [(i, j) for i in range(n_class) for j in range(i + 1, n_class)]
    coef = np.zeros((clf.support_vectors_.shape[0], len(pairs)))
    for p, (i, j) in enumerate(pairs):
        si, sj = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
        coef[si, p] = clf.dual_coef_[j - 1, si]
        coef[sj, p] = clf.dual_coef_[i, sj]
    return pairs, coef


def intercepts64(clf: SVC, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The intercepts of a fitted RBF ``SVC`` recomputed in float64 from its dual coefficients.

    libsvm's rule (``Solver::calculate_rho``) for each class pair, over the pair's training samples k with
    yG_k = Σ_l y_l α_l K(x_k, x_l) − y_k: the mean of yG over free samples (0 < α < C); without free samples the
    midpoint of the bounds ub = min yG over {α = C, y = −1} ∪ {α = 0, y = +1} and lb = max yG over
    {α = C, y = +1} ∪ {α = 0, y = −1}. Intercept = −rho.

    Parameters
    ----------
    clf : sklearn.svm.SVC
        Fitted on ``X``, ``y`` with ``kernel='rbf'`` and no class weights.
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)

    Returns
    -------
    ndarray, shape (n_pairs,)
        The intercepts, in the order of ``clf.intercept_``.
    """
    X = np.asarray(X, dtype=np.float64)
    pairs, coef = _pair_coef(clf)
    alpha_y = np.zeros((X.shape[0], coef.shape[1]))
    alpha_y[clf.support_] = coef
    c = float(clf.C)
    out = np.empty(len(pairs))
    for p, (i, j) in enumerate(pairs):
        members = np.flatnonzero((y == clf.classes_[i]) | (y == clf.classes_[j]))
        sign = np.where(y[members] == clf.classes_[i], 1.0, -1.0)
        ay = alpha_y[members, p]
        yg = _kernel(clf, X[members], X[members]) @ ay - sign
        alpha = np.abs(ay)
        upper, lower = alpha >= c, alpha <= 0
        free = ~upper & ~lower
        if free.any():
            rho = yg[free].mean()
        else:
            ub = yg[(upper & (sign < 0)) | (lower & (sign > 0))].min(initial=np.inf)
            lb = yg[(upper & (sign > 0)) | (lower & (sign < 0))].max(initial=-np.inf)
            rho = (ub + lb) / 2
        out[p] = -rho
    return out


def svc_predict(clf: SVC, X: np.ndarray, intercept: np.ndarray | None = None) -> np.ndarray:
    """Predictions of a fitted RBF ``SVC`` (one-vs-one vote in float64, explicit ties), computed with numpy.

    Parameters
    ----------
    clf : sklearn.svm.SVC
        Fitted with ``kernel='rbf'``.
    X : ndarray, shape (n_samples, n_features)
    intercept : ndarray, shape (n_pairs,), optional
        Intercepts to use instead of ``clf.intercept_`` (e.g. :func:`intercepts64`).

    Returns
    -------
    ndarray, shape (n_samples,)
        Predicted class labels: most votes; a pairwise decision within ``TIE_RTOL`` of zero gives half a vote to
        each class; equal votes go to the lowest label.
    """
    X = np.asarray(X, dtype=np.float64)
    K = _kernel(clf, X, np.asarray(clf.support_vectors_, dtype=np.float64))
    n_class = len(clf.classes_)
    pairs, coef = _pair_coef(clf)
    b = clf.intercept_ if intercept is None else np.asarray(intercept, dtype=np.float64)
    dec = K @ coef + b  # (n_samples, n_pairs): > 0 votes for i, < 0 for j
    scale = np.abs(coef).sum(axis=0) + np.abs(b)
    tie = np.abs(dec) <= TIE_RTOL * scale
    first = np.array([i for i, _ in pairs])
    second = np.array([j for _, j in pairs])
    win_first, win_second = (dec > 0) & ~tie, (dec < 0) & ~tie
    half_votes = np.zeros((X.shape[0], n_class), dtype=np.int64)  # votes × 2, so that a tie counts 1 for each
    for c in range(n_class):
        half_votes[:, c] = (
            2 * win_first[:, first == c].sum(axis=1)
            + 2 * win_second[:, second == c].sum(axis=1)
            + tie[:, (first == c) | (second == c)].sum(axis=1)
        )
    return clf.classes_[np.argmax(half_votes, axis=1)]


def cross_temporal_accuracy(
    h: np.ndarray, n_loc: int = 8, *, window: int = 10, test_per_loc: int = 2, offdiag_eval: str = "all_trials"
) -> np.ndarray:
    """Accuracy matrix (train bin, test bin) of the cue-location decoder.

    Parameters
    ----------
    h : ndarray, shape (T, B, N)
        Hidden states of a location-major test batch.
    n_loc : int
        Number of cue locations.
    window : int
        Steps per feature window.
    test_per_loc : int
        Held-out trials per location (the first ones of each location).
    offdiag_eval : str
        ``'all_trials'`` (faithful) or ``'held_out'``.

    Returns
    -------
    ndarray, shape (n_bins, n_bins), float64
    """
    if offdiag_eval not in OFFDIAG_EVAL:
        raise ValueError(f"offdiag_eval must be one of {OFFDIAG_EVAL}")
    feats = window_features(h, window)  # (n_bins, B, N)
    n_bins, n_trials, _ = feats.shape
    labels = np.arange(n_trials) // (n_trials // n_loc)
    held = by_location(np.arange(n_trials), n_loc)[:, :test_per_loc].ravel()
    train = np.setdiff1d(np.arange(n_trials), held)
    eval_trials = np.arange(n_trials) if offdiag_eval == "all_trials" else held
    flat = feats[:, eval_trials].reshape(-1, feats.shape[2])
    flat_labels = np.tile(labels[eval_trials], n_bins)
    acc = np.empty((n_bins, n_bins))
    for i in range(n_bins):
        clf = SVC(tol=SOLVER_TOL).fit(feats[i, train], labels[train])
        b = intercepts64(clf, feats[i, train], labels[train])
        hit = (svc_predict(clf, flat, b) == flat_labels).reshape(n_bins, -1)
        acc[i] = hit.mean(axis=1)
        acc[i, i] = np.mean(svc_predict(clf, feats[i, held], b) == labels[held])
    return acc


PRECUE_MS: tuple[float, float] = (0.0, 800.0)
"""Window starts of the pre-cue diagonal (fixation and cue onset: chance in the authors' odr_628480_w200ms_s20ms.png)."""
DELAY_MS: tuple[float, float] = (1500.0, 2800.0)
"""Window starts inside the ODR delay (1.5–3.0 s) whose 200-ms windows end before the response."""
OFFDIAG_MIN_MS = 300.0
"""Train and test windows further apart than this count as off-diagonal."""
ISLAND_MS: tuple[tuple[float, float], tuple[float, float]] = ((900.0, 1600.0), (2600.0, 3100.0))
"""Train × test windows of the off-diagonal island in the authors' odr_628480_w200ms_s20ms.png."""
DECODER_SCORES: tuple[str, ...] = ("diag_precue", "diag_delay", "offdiag_delay", "island_max")
"""Names of :func:`decoder_scores`, in order."""


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else np.nan


def decoder_scores(acc: np.ndarray, times: np.ndarray) -> dict[str, float]:
    """Summary scores of a cross-temporal accuracy matrix (the authors' ``odr_628480_w200ms_s20ms.png``).

    Parameters
    ----------
    acc : ndarray, shape (T, T)
        Accuracy, train window × test window.
    times : ndarray, shape (T,)
        Window starts (ms).

    Returns
    -------
    dict
        ``diag_precue`` (mean diagonal over :data:`PRECUE_MS`), ``diag_delay`` (over :data:`DELAY_MS`),
        ``offdiag_delay`` (mean over delay pairs further apart than :data:`OFFDIAG_MIN_MS`) and ``island_max``
        (maximum over :data:`ISLAND_MS`).
    """

    def within(span: tuple[float, float]) -> np.ndarray:
        return (times >= span[0]) & (times <= span[1])

    pre, delay = within(PRECUE_MS), within(DELAY_MS)
    diag = np.diag(acc)
    dt = np.abs(times[:, None] - times[None, :])
    off = delay[:, None] & delay[None, :] & (dt > OFFDIAG_MIN_MS)
    train, test = ISLAND_MS
    island = acc[np.ix_(within(train), within(test))]
    return {
        "diag_precue": _mean(diag[pre]),
        "diag_delay": _mean(diag[delay]),
        "offdiag_delay": _mean(acc[off]),
        "island_max": float(island.max()) if island.size else np.nan,
    }
