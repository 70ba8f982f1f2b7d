"""Sequentiality index (SI) of Orhan & Ma (2019), exactly as the original ``compute_SI(hidr, 20, 5, 0.1)``.

Per trial, over all 150 steps: select units whose mean activity exceeds an absolute threshold; the SI of the trial
is the entropy (nats) of the histogram of the selected units' peak times (20 bins spanning the observed peak range,
+0.1 pseudo-count per bin) plus the mean over selected units of ln(ridge / background), where the ridge is the mean
activity in the half-open window [p - w//2, p + w//2) around the unit's peak p (both ends clipped to [0, T - 1], so a
peak at T - 1 is excluded from its own ridge) and the background the mean over all other steps. NaN unit values are
skipped, +-inf are not (B13: a unit with zero background makes the trial +inf; counted in ``n_inf_units``). The
network SI is the nanmean over trials. A trial without selected units is NaN.

Only networks with test information loss < 0.5 are meaningful; :func:`passes` is that filter.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SIResult:
    """Sequentiality index of one network.

    Attributes
    ----------
    si, entropy, log_r2b
        Network SI and the nanmeans over trials of its two components.
    trial_si, trial_entropy, trial_log_r2b
        Per-trial values (n_trials,).
    n_selected
        Selected units per trial (n_trials,).
    n_inf_units
        Selected units, summed over trials, whose log ridge-to-background is +-inf.
    """

    si: float
    entropy: float
    log_r2b: float
    trial_si: np.ndarray
    trial_entropy: np.ndarray
    trial_log_r2b: np.ndarray
    n_selected: np.ndarray
    n_inf_units: int


def _nanmean(x: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.nanmean(x)) if np.size(x) else float("nan")


def peak_entropy(peaks: np.ndarray, n_bins: int = 20) -> float:
    """Entropy (nats) of the histogram of peak times with ``n_bins`` bins over their range, +0.1 per bin."""
    counts, _ = np.histogram(peaks, bins=n_bins)
    q = (counts + 0.1) / np.sum(counts + 0.1)
    return float(-np.sum(q * np.log(q)))


def log_ridge_to_background(activity: np.ndarray, peaks: np.ndarray, window: int = 5) -> np.ndarray:
    """ln(ridge) - ln(background) per unit.

    Parameters
    ----------
    activity
        One trial, (T, n_units).
    peaks
        Peak step of every unit (n_units,).
    window
        Ridge width; the window is [p - window//2, p + window//2), clipped to [0, T - 1].
    """
    n_t = activity.shape[0]
    lo = np.clip(peaks - window // 2, 0, n_t - 1)
    hi = np.clip(peaks + window // 2, 0, n_t - 1)
    steps = np.arange(n_t)[:, None]
    inside = (steps >= lo) & (steps < hi)
    act = activity.astype(np.float64)
    ridge = np.where(inside, act, 0.0).sum(0) / inside.sum(0)
    background = np.where(inside, 0.0, act).sum(0) / (~inside).sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(ridge) - np.log(background)


def sequentiality_index(hidden: np.ndarray, n_bins: int = 20, window: int = 5, threshold: float = 0.1) -> SIResult:
    """Sequentiality index of test activity.

    Parameters
    ----------
    hidden
        Post-ReLU activity (n_trials, T, N); all steps of the trial.
    n_bins, window, threshold
        Histogram bins, ridge window and the absolute mean-activity threshold for unit selection.

    Returns
    -------
    SIResult
    """
    n_trials = hidden.shape[0]
    ent = np.full(n_trials, np.nan)
    r2b = np.full(n_trials, np.nan)
    n_sel = np.zeros(n_trials, dtype=np.int64)
    n_inf = 0
    for b in range(n_trials):
        act = np.asarray(hidden[b], dtype=np.float64)
        selected = act.mean(0) > threshold
        n_sel[b] = selected.sum()
        if not n_sel[b]:
            continue
        act = act[:, selected]
        peaks = np.argmax(act, axis=0)
        ent[b] = peak_entropy(peaks, n_bins)
        values = log_ridge_to_background(act, peaks, window)
        n_inf += int(np.isinf(values).sum())
        r2b[b] = _nanmean(values)
    trial_si = r2b + ent
    return SIResult(
        si=_nanmean(trial_si),
        entropy=_nanmean(ent),
        log_r2b=_nanmean(r2b),
        trial_si=trial_si,
        trial_entropy=ent,
        trial_log_r2b=r2b,
        n_selected=n_sel,
        n_inf_units=n_inf,
    )


def passes(infloss: float, threshold: float = 0.5) -> bool:
    """True when a network's test information loss is finite and below ``threshold`` (enters SI analyses)."""
    return bool(np.isfinite(infloss) and infloss < threshold)


def peak_order(mean_activity: np.ndarray, threshold: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Selected units of trial-averaged activity (T, N) and their order by peak time.

    Returns
    -------
    units, peaks
        Indices of the units with mean activity > ``threshold`` sorted by peak step (stable), and those peaks.
    """
    selected = np.flatnonzero(mean_activity.mean(0) > threshold)
    peaks = np.argmax(mean_activity[:, selected], axis=0)
    order = np.argsort(peaks, kind="stable")
    return selected[order], peaks[order]
