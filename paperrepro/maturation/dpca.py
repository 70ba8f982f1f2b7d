"""Demixed PCA in closed form with a cross-validated regulariser (``fig5E``).

Re-statement of the PyPI package ``dPCA`` 1.0.5 as the authors called it in RNN_BrainMaturation @ d793a1d
(``analysis/PSTH_neuron_dPCA.py``: ``labels='st'``, ``regularizer='auto'``, ``protect=['t']``,
10 components): marginalisations ``t``, ``s`` and ``st`` of the trial-averaged, unit-centred data X (N × S·T):

* X_s = mean over time (broadcast), X_t = mean over stimuli (broadcast), X_st = X − X_s − X_t;
* at λ: λ_abs = λ·‖X‖²_F, A = (XXᵀ + λ_abs² I)⁻¹, C_φ = X_φXᵀA, U_φ = top left singular vectors of
  [C_φX, λ_abs·C_φ], encoder D_φ = C_φᵀU_φ, decoder P_φ = U_φ;
* 'auto' λ: grid 1e-7·1.4^j (j = 0…44); 3 repeats of leaving one trial out per (unit, stimulus) (the same trial for
  all times, t protected), train = (K·R − blind)/(K − 1); score Σ_φ ‖blind_φ − (P_φD_φᵀ − diag)·blind‖²_F;
  λ* = argmin of the mean score (a warning if it lies on the grid edge), refit on all data.

Differences from the package: exact SVD instead of randomised SVD (first axes agree to |cos| = 1.000000),
cross-validation from an explicit ``numpy.random.Generator`` (the package is unseeded), and a sign rule decided on
the projections (:func:`sign_rule`; the authors fixed signs and axis limits by hand). The rule used to be "encoder
loadings sum > 0", which is not stable: for components in the null space of a marginalisation (EVR ~1e-30) the sum is
noise, and the recorded flip flag changed between two OpenBLAS kernels (SkylakeX vs Haswell) while every projection
agreed to 3e-9.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

MARGINALIZATIONS: tuple[str, ...] = ("t", "s", "st")
LAMBDA_GRID = 1e-7 * 1.4 ** np.arange(45)


@dataclass
class DPCAResult:
    """Fitted dPCA.

    Attributes
    ----------
    Z : dict of str to ndarray, shape (n_components, S, T)
        Projections of the full (centred) data per marginalisation.
    encoders, decoders : dict of str to ndarray, shape (N, n_components)
        D_φ and P_φ.
    evr : dict of str to ndarray, shape (n_components,)
        Explained variance ratio per component.
    lam : float
        Regulariser used (relative, before scaling by ‖X‖²).
    scores : ndarray, shape (n_lambda,)
        Mean cross-validation score per grid value (empty if λ was given).
    sign_margin : dict of str to ndarray, shape (n_components,)
        How far each component's sign decision is from a tie (:func:`sign_rule`).
    """

    Z: dict[str, np.ndarray]
    encoders: dict[str, np.ndarray]
    decoders: dict[str, np.ndarray]
    evr: dict[str, np.ndarray]
    lam: float
    scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    sign_margin: dict[str, np.ndarray] = field(default_factory=dict)


def marginalize(X: np.ndarray) -> dict[str, np.ndarray]:
    """Marginalisations of unit-centred data X (N, S, T) → {'t', 's', 'st'}, each (N, S·T)."""
    n, s, t = X.shape
    x_s = np.broadcast_to(X.mean(axis=2, keepdims=True), X.shape)
    x_t = np.broadcast_to(X.mean(axis=1, keepdims=True), X.shape)
    return {"t": x_t.reshape(n, -1).copy(), "s": x_s.reshape(n, -1).copy(), "st": (X - x_s - x_t).reshape(n, -1)}


def _centre(X: np.ndarray) -> np.ndarray:
    return X - X.reshape(X.shape[0], -1).mean(axis=1)[:, None, None]


def _fit(
    X2: np.ndarray,
    margs: dict[str, np.ndarray],
    lam: float,
    n_components: int,
    eig: tuple[np.ndarray, np.ndarray] | None = None,
    exact: bool = True,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Encoders and decoders at relative regulariser ``lam``."""
    n = X2.shape[0]
    lam_abs = lam * np.sum(X2**2)
    if eig is None:
        eig = np.linalg.eigh(X2 @ X2.T)
    evals, evecs = eig
    A = (evecs / (evals + lam_abs**2)) @ evecs.T
    enc, dec = {}, {}
    for key, Xphi in margs.items():
        C = Xphi @ X2.T @ A
        if exact:
            U = np.linalg.svd(np.hstack([C @ X2, lam_abs * C]), full_matrices=False)[0][:, :n_components]
        else:  # eigenvectors of M·Mᵀ = C (XXᵀ + λ²I) Cᵀ: same subspace, cheaper (cross-validation)
            w, v = np.linalg.eigh(C @ (X2 @ X2.T + lam_abs**2 * np.eye(n)) @ C.T)
            U = v[:, np.argsort(w)[::-1][:n_components]]
        enc[key], dec[key] = C.T @ U, U
    return enc, dec


def _cv_scores(trialR: np.ndarray, rng: np.random.Generator, n_components: int, n_repeats: int, grid: np.ndarray) -> np.ndarray:
    k, n, s, _ = trialR.shape
    R = trialR.mean(axis=0)
    scores = np.zeros((n_repeats, len(grid)))
    for r in range(n_repeats):
        pick = rng.integers(0, k, size=(n, s))
        blind = trialR[pick, np.arange(n)[:, None], np.arange(s)[None, :], :]
        train = _centre((k * R - blind) / (k - 1))
        blind = _centre(blind)
        train2, blind2 = train.reshape(n, -1), blind.reshape(n, -1)
        m_train, m_blind = marginalize(train), marginalize(blind)
        eig = np.linalg.eigh(train2 @ train2.T)
        for j, lam in enumerate(grid):
            enc, dec = _fit(train2, m_train, lam, n_components, eig=eig, exact=False)
            total = 0.0
            for key in MARGINALIZATIONS:
                M = dec[key] @ enc[key].T
                M = M - np.diag(np.diag(M))
                total += np.sum((m_blind[key] - M @ blind2) ** 2)
            scores[r, j] = total
    return scores.mean(axis=0)


def sign_rule(key: str, proj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signs of the components of one marginalisation, decided on their projections, and the rule's margin.

    The sign of an SVD vector is arbitrary (it depends on the LAPACK kernel), so it is fixed by a named quantity of
    the projections that small perturbations of the data cannot flip unless the quantity itself is ~0, as in the
    authors' panel ``example_pic/dPCA_rnn_odr_adult.png`` (RNN_BrainMaturation @ d793a1d):

    * ``t``: the projection at the first time step (trial onset, the same for every location), averaged over
      locations, is **negative** (the authors' time component starts at about −6, drawn on an inverted axis);
    * ``s`` and ``st``: the projection of largest magnitude (over locations and times) is **positive** (the authors':
      stimulus +4.1 vs −2.8, mixing +17 vs −13.6).

    Parameters
    ----------
    key : str
        Marginalisation (``'t'``, ``'s'`` or ``'st'``).
    proj : ndarray, shape (n_components, S, T)
        Projections before the sign is fixed.

    Returns
    -------
    flip : ndarray of bool, shape (n_components,)
        Components to negate.
    margin : ndarray, shape (n_components,)
        Separation of the deciding quantity from a tie, relative to max |projection| (0: a tie, 1: unambiguous):
        ``t`` |onset value| / max|Z|; ``s``, ``st`` (max|Z| − largest magnitude of the other sign) / max|Z|.
    """
    flat = proj.reshape(proj.shape[0], -1)
    scale = np.abs(flat).max(axis=1)
    safe = np.where(scale > 0, scale, 1.0)
    if key == "t":
        onset = proj[:, :, 0].mean(axis=1)
        return onset > 0, np.abs(onset) / safe
    top, bottom = flat.max(axis=1), -flat.min(axis=1)
    return bottom > top, np.abs(top - bottom) / safe


def dpca(
    trialR: np.ndarray,
    *,
    lam: float | str = "auto",
    n_components: int = 10,
    rng: np.random.Generator | None = None,
    n_repeats: int = 3,
    grid: np.ndarray = LAMBDA_GRID,
) -> DPCAResult:
    """Fit dPCA on single-trial data.

    Parameters
    ----------
    trialR : ndarray, shape (K, N, S, T)
        Trials × units × stimuli × time (the authors: ``trialR[k, n, s, t] = H[t, 16s + k, n]``).
    lam : float or 'auto'
        Relative regulariser, or cross-validation over ``grid``.
    n_components : int
        Components per marginalisation.
    rng : numpy Generator, optional
        Source of the held-out trials (default ``default_rng(0)``).
    n_repeats : int
        Cross-validation repeats.
    grid : ndarray
        λ grid for 'auto'.

    Returns
    -------
    DPCAResult
    """
    trialR = np.asarray(trialR, dtype=np.float64)
    scores = np.empty(0)
    if isinstance(lam, str):
        if lam != "auto":
            raise ValueError("lam must be a number or 'auto'")
        scores = _cv_scores(trialR, rng or np.random.default_rng(0), n_components, n_repeats, grid)
        best = int(np.argmin(scores))
        if best in (0, len(grid) - 1):
            warnings.warn(f"dPCA regulariser at the edge of the grid ({grid[best]:.3g})", stacklevel=2)
        lam = float(grid[best])
    X = _centre(trialR.mean(axis=0))
    n, s, t = X.shape
    X2 = X.reshape(n, -1)
    enc, dec = _fit(X2, marginalize(X), float(lam), n_components)
    total = np.sum((X2 - X2.mean()) ** 2)
    Z, evr, margin = {}, {}, {}
    for key in MARGINALIZATIONS:
        proj = (enc[key].T @ X2).reshape(-1, s, t)
        flip, margin[key] = sign_rule(key, proj)
        sign = np.where(flip, -1.0, 1.0)
        enc[key], dec[key] = enc[key] * sign, dec[key] * sign
        Z[key] = proj * sign[:, None, None]
        evr[key] = np.sum(proj.reshape(proj.shape[0], -1) ** 2, axis=1) / total
    return DPCAResult(Z=Z, encoders=enc, decoders=dec, evr=evr, lam=float(lam), scores=scores, sign_margin=margin)


TURN_MS = 1000.0
"""Time at which the authors' time component has turned from its onset value (−6 at 0 s) to +2 (dPCA_rnn_odr_adult.png)."""
DPCA_SCORES: tuple[str, ...] = ("max_abs_st", "st_peak_spread", "t_spread_ratio", "t_turn_ratio")
"""Names of :func:`dpca_scores`, in order."""


def dpca_scores(Z: dict[str, np.ndarray], times: np.ndarray) -> dict[str, float]:
    """Summary scores of the first components (the authors' ``dPCA_rnn_odr_adult.png``).

    Parameters
    ----------
    Z : dict of str to ndarray, shape (location, time)
        Projection on the first component of each marginalization (``t``, ``st`` are read).
    times : ndarray
        Time of each step (ms).

    Returns
    -------
    dict
        ``max_abs_st`` (max |Z_st|), ``st_peak_spread`` (spread of the mixing peak times over locations, ms),
        ``t_spread_ratio`` (largest spread of the time component over locations before :data:`TURN_MS` / after) and
        ``t_turn_ratio`` (the time component's location mean at :data:`TURN_MS` / at onset; the authors' +2 / −6).
    """
    zt, zst = Z["t"], Z["st"]
    peak_spread = float(np.ptp(times[np.argmax(zst, axis=1)]))
    spread = np.ptp(zt, axis=0)
    before = spread[times < TURN_MS].max()
    after = spread[times >= TURN_MS].max()
    mean_t = zt.mean(axis=0)
    turn = mean_t[np.argmin(np.abs(times - TURN_MS))] / mean_t[0]
    return {
        "max_abs_st": float(np.abs(zst).max()),
        "st_peak_spread": peak_spread,
        "t_spread_ratio": float(before / after),
        "t_turn_ratio": float(turn),
    }
