"""Saccade read-out, trial correctness and developmental-stage selection (original ``utils/tools.py``; docs/maturation.md).

Read-out: population vector of the sigmoid ring outputs at the **last time step**
(``atan2(Σ y_k sin φ_k, Σ y_k cos φ_k) mod 2π``, baseline included). A trial is correct iff the fixation output is
not above 0.5 and the circular distance to ``y_loc`` is below 0.2π (chance 0.2).

Stages:

* rule A (``stage_by_threshold``): early if perf ≤ 0.35, mid if 0.35 < perf ≤ 0.65, mature if perf > 0.65
  (``Main_analysis``; the raw logged perf of the analysed task);
* rule B (``window_stages``): the notebook's ``range_auto_select``: a forward mean over ``window + 1`` checkpoints
  (truncated at the end), windows in [0.30, 0.40] → early, [0.60, 0.70] → mid, ≥ 0.90 → mature, each adding the
  ``window + 1`` checkpoints it covers; de-duplicated, sorted, capped (early keeps the last, mature the first, mid
  drops ⌊excess/2⌋ at each end). The original's trim ``[e//2 : -(e//2)]`` empties mid when the excess is 1 (M20);
  ``strict_cap=False`` reproduces it (with a warning), ``True`` (default) trims to exactly ``cap``;
* rule C (``closest_representative``): the checkpoint of a stage whose perf is closest to a target.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

STAGES: tuple[str, ...] = ("early", "mid", "mature")
"""The developmental stages, in order (every figure's ``stage`` coordinate)."""
STAGE_THRESHOLDS: tuple[float, float] = (0.35, 0.65)
"""Rule A: the upper perf bounds of the early and mid stages (``Main_analysis``)."""
REPRESENTATIVE_TARGETS: dict[str, float] = {"early": 0.35, "mid": 0.65}
"""Rule C: the perf that the early and mid representative checkpoints are closest to (the notebook's
``hp['early_target_perf']``, ``hp['mid_target_perf']``)."""


def popvec(y_ring: np.ndarray) -> np.ndarray:
    """Population-vector angle of ring outputs.

    Parameters
    ----------
    y_ring : ndarray, shape (..., n_ring)
        Ring outputs; unit k prefers 2πk/n_ring.

    Returns
    -------
    ndarray, shape (...)
        Angle in [0, 2π).
    """
    y_ring = np.asarray(y_ring, dtype=np.float64)
    n = y_ring.shape[-1]
    pref = np.arange(0, 2 * np.pi, 2 * np.pi / n)
    total = y_ring.sum(axis=-1)
    cos = np.sum(y_ring * np.cos(pref), axis=-1) / total
    sin = np.sum(y_ring * np.sin(pref), axis=-1) / total
    return np.mod(np.arctan2(sin, cos), 2 * np.pi)


def saccade_endpoint(y_hat: np.ndarray) -> np.ndarray:
    """Decoded saccade angle at the last time step.

    Parameters
    ----------
    y_hat : ndarray, shape (T, B, 1 + n_ring)
        Network outputs (column 0 fixation).

    Returns
    -------
    ndarray, shape (B,)
    """
    return popvec(np.asarray(y_hat)[-1, :, 1:])


def trial_performance(y_hat: np.ndarray, y_loc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-trial correctness and endpoint error (last time step).

    Parameters
    ----------
    y_hat : ndarray, shape (T, B, 1 + n_ring)
        Network outputs.
    y_loc : ndarray, shape (T, B)
        Target angles (-1 where fixation is required).

    Returns
    -------
    correct : ndarray of bool, shape (B,)
        Not fixating and within 0.2π of the target (or fixating where fixation is required).
    error_deg : ndarray, shape (B,)
        Circular distance between decoded and target angle in degrees (NaN where the target is fixation).
    """
    y_hat = np.asarray(y_hat)
    target = np.asarray(y_loc)[-1].astype(np.float64)
    fixating = y_hat[-1, :, 0] > 0.5
    diff = np.abs(target - saccade_endpoint(y_hat))
    dist = np.minimum(diff, 2 * np.pi - diff)
    should_fix = target < 0
    correct = np.where(should_fix, fixating, (dist < 0.2 * np.pi) & ~fixating)
    error = np.where(should_fix, np.nan, np.degrees(dist))
    return correct, error


def stage_by_threshold(
    perf: Sequence[float] | np.ndarray, early: float = STAGE_THRESHOLDS[0], mid: float = STAGE_THRESHOLDS[1]
) -> np.ndarray:
    """Rule A: ``'early'`` if perf ≤ early, ``'mid'`` if ≤ mid, else ``'mature'``.

    Parameters
    ----------
    perf : array_like
        Logged perf of the analysed task per checkpoint.
    early, mid : float
        Thresholds.

    Returns
    -------
    ndarray of str
    """
    perf = np.asarray(perf, dtype=np.float64)
    return np.where(perf <= early, "early", np.where(perf <= mid, "mid", "mature"))


def group_by_stage(trials: Sequence[int], perf: Sequence[float]) -> dict[str, list[int]]:
    """Rule A as lists: the trials of each stage by their perf (order and duplicates kept).

    This is the original's re-labelling of ``analysis/endpoint_analysis.py`` (accuracy: > 0.65 mature, > 0.35 mid,
    else early) and ``Main_analysis``'s stage rule (maturation) alike. Perf must be finite.
    """
    labels = stage_by_threshold(perf) if len(perf) else np.empty(0, dtype=str)
    out: dict[str, list[int]] = {s: [] for s in STAGES}
    for t, label in zip(trials, labels, strict=True):
        out[str(label)].append(int(t))
    return out


def spread_pick(items: Sequence[int], n: int | None) -> list[int]:
    """``items[round(linspace(0, len − 1, n))]``: ``n`` items spread evenly, first and last included.

    All items if ``n`` is None or 0 or there are at most ``n``. With more than ``n`` items the rounded indices are
    distinct, so nothing repeats (the pinned subsets of maturation, the ``per_stage`` lists of accuracy).
    """
    if not n or len(items) <= n:
        return list(items)
    idx = np.unique(np.round(np.linspace(0, len(items) - 1, n)).astype(int))
    return [items[i] for i in idx]


def forward_smooth(values: Sequence[float] | np.ndarray, window: int) -> np.ndarray:
    """The original ``smooth``: mean of ``values[i : i + window + 1]`` (truncated at the end)."""
    values = np.asarray(values, dtype=np.float64)
    return np.array([values[i : i + window + 1].mean() for i in range(len(values))])


def window_stages(
    perf: Sequence[float] | np.ndarray,
    trials: Sequence[int] | np.ndarray,
    *,
    window: int = 9,
    targets: tuple[float, float, float] = (0.35, 0.65, 0.95),
    margin: float = 0.05,
    cap: int = 30,
    strict_cap: bool = True,
) -> dict[str, list[int]]:
    """Rule B (notebook ``range_auto_select``): checkpoints per stage from windows of the learning curve.

    Parameters
    ----------
    perf : array_like
        Logged perf of the analysed task per checkpoint.
    trials : array_like of int
        Trial number of each checkpoint.
    window : int
        ``avr_window``; each window spans ``window + 1`` checkpoints.
    targets : (float, float, float)
        Early, mid and mature target perfs.
    margin : float
        Half-width of the early/mid bands; mature needs ≥ target − margin.
    cap : int
        Maximum checkpoints per stage (notebook 50, accuracy 30).
    strict_cap : bool
        ``True``: mid keeps exactly ``cap``; ``False``: the original trim (excess 1 → empty mid, odd excess → one
        extra).

    Returns
    -------
    dict of str to list of int
        Sorted trial numbers per stage.
    """
    trials = [int(t) for t in trials]
    smoothed = forward_smooth(perf, window)
    chosen: dict[str, set[int]] = {s: set() for s in STAGES}
    e, m, a = targets
    for i, s in enumerate(smoothed):
        span = trials[i : i + window + 1]
        if e - margin <= s <= e + margin:
            chosen["early"].update(span)
        elif m - margin <= s <= m + margin:
            chosen["mid"].update(span)
        elif s >= a - margin:
            chosen["mature"].update(span)
    out = {k: sorted(v) for k, v in chosen.items()}
    if len(out["early"]) > cap:
        out["early"] = out["early"][-cap:]
    if len(out["mature"]) > cap:
        out["mature"] = out["mature"][:cap]
    excess = len(out["mid"]) - cap
    if excess > 0:
        if strict_cap:
            lo = excess // 2
            out["mid"] = out["mid"][lo : lo + cap]
        else:
            half = excess // 2
            if half == 0:
                warnings.warn("faithful rule-B trim with excess 1 leaves the mid stage empty (M20)", stacklevel=2)
            out["mid"] = out["mid"][half:-half] if half else []
    return out


def closest_representative(
    perf: Sequence[float] | np.ndarray, trials: Sequence[int] | np.ndarray, candidates: Sequence[int], target: float
) -> int:
    """Rule C: the candidate checkpoint whose perf is closest to ``target`` (earliest on ties).

    Parameters
    ----------
    perf, trials : array_like
        Log of perf and trial numbers.
    candidates : sequence of int
        Trial numbers to choose from (e.g. one rule-B stage).
    target : float
        Target perf (0.35, 0.65 or 0.95).

    Returns
    -------
    int
        Trial number.
    """
    lookup = dict(zip((int(t) for t in trials), np.asarray(perf, dtype=np.float64), strict=True))
    cands = sorted(int(c) for c in candidates)
    if not cands:
        raise ValueError("no candidate checkpoints")
    return min(cands, key=lambda t: (abs(lookup[t] - target), t))
