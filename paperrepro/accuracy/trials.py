"""The original's common trial machinery (``utils/functions.py``, RNN_workingmemoryaccuracy @ ``ac8f140``).

Correct/error split and endpoint deviation (``dev_theta``, cw/ccw), fix levels, delay units, per-location means,
tuning positions and the best cue location. Quirks kept: the fix1 baseline includes the rise from r = 0; the
normalised rate ``rate / fix level − 1`` divides by small fix levels; a unit counts as a delay unit only if some
location has correct trials (scalar means; the original's NaN test is always true). Each figure's preferred location
is defined as in its original function, so the helpers here take the trial values they rank.
"""

from __future__ import annotations

import numpy as np

from .simulate import ModeBatch


def epoch_mean(rate: np.ndarray, start: int, end: int) -> np.ndarray:
    """Time mean of ``rate[start:end]``; shape (B, N) from (T, B, N)."""
    return rate[start:end].mean(axis=0)


def last_second(epochs: dict[str, tuple[int, int]], dt: float = 20.0) -> tuple[int, int]:
    """Steps of the last 1 s of ``delay1``: ``[end − 1000/dt, end)``."""
    end = epochs["delay1"][1]
    return end - int(1000 / dt), end


def split_correct(mb: ModeBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Correct trials with their endpoint deviation from the location's median decoded angle.

    Per location L with correct trials: the decoded angles of its correct trials (for L = 0, angles < π/4 get 2π
    added), m_L = their median; ``dev_theta = |angle − m_L|`` in degrees; ``angle ≤ m_L`` is clockwise.

    Returns
    -------
    index : ndarray of int
        Correct trials, location by location (ascending within a location; locations ascending).
    dev_theta : ndarray, shape (n,)
        Deviation in degrees.
    ccw : ndarray of bool, shape (n,)
        Deviation counter-clockwise (angle > m_L).
    """
    beh = mb.behaviour
    index, dev, ccw = [], [], []
    for loc in range(mb.n_loc):
        trials = np.flatnonzero(beh.correct & (mb.location == loc))
        if trials.size == 0:
            continue
        angle = beh.angle[trials].astype(np.float64).copy()
        if loc == 0:
            angle[angle < np.pi / 4] += 2 * np.pi
        median = np.median(angle)
        index.append(trials)
        dev.append(np.degrees(np.abs(angle - median)))
        ccw.append(angle > median)
    if not index:
        return np.zeros(0, int), np.zeros(0), np.zeros(0, bool)
    return np.concatenate(index), np.concatenate(dev), np.concatenate(ccw)


def location_mean(values: np.ndarray, location: np.ndarray, mask: np.ndarray, n_loc: int) -> np.ndarray:
    """Mean of per-trial ``values`` (B, ...) over the masked trials of each location; NaN where none.

    Returns
    -------
    ndarray, shape (n_loc, ...)
    """
    out = np.full((n_loc,) + values.shape[1:], np.nan)
    for loc in range(n_loc):
        sel = mask & (location == loc)
        if sel.any():
            out[loc] = values[sel].mean(axis=0)
    return out


def fix_levels(mb: ModeBatch, mask: np.ndarray) -> np.ndarray:
    """Fix level per location and unit: mean over fix1 steps and the masked trials; shape (n_loc, N)."""
    start, end = mb.epochs["fix1"]
    return location_mean(epoch_mean(mb.rate, start, end), mb.location, mask, mb.n_loc)


def delay_units(mb: ModeBatch, epoch: str = "delay1") -> np.ndarray:
    """Delay units: for at least one location, the correct-trial mean of the epoch rate exceeds that of fix1.

    Returns
    -------
    ndarray of bool, shape (N,)
    """
    correct = mb.behaviour.correct
    start, end = mb.epochs[epoch]
    delay = location_mean(epoch_mean(mb.rate, start, end), mb.location, correct, mb.n_loc)
    fix = fix_levels(mb, correct)
    with np.errstate(invalid="ignore"):
        return np.any(delay > fix, axis=0)


def normalised_location_mean(mb: ModeBatch, start: int, end: int, mask: np.ndarray) -> np.ndarray:
    """Mean over masked trials per location of ``rate(epoch) / fix level_L − 1`` (fix level over the same trials).

    Returns
    -------
    ndarray, shape (n_loc, N); NaN where a location has no masked trials.
    """
    fix = fix_levels(mb, mask)
    values = epoch_mean(mb.rate, start, end)
    out = np.full((mb.n_loc, values.shape[1]), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for loc in range(mb.n_loc):
            sel = mask & (mb.location == loc)
            if sel.any():
                out[loc] = np.mean(values[sel] / fix[loc] - 1.0, axis=0)
    return out


def nan_argmax(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """``argmax`` ignoring NaN; -1 where all values are NaN."""
    filled = np.where(np.isnan(values), -np.inf, values)
    arg = np.argmax(filled, axis=axis)
    return np.where(np.all(np.isnan(values), axis=axis), -1, arg)


def tuning_positions(values: np.ndarray, preferred: np.ndarray) -> np.ndarray:
    """Re-centre 8-location values on the preferred location: position k holds v[(k + p − 4) mod 8], 8 = 0.

    Parameters
    ----------
    values : ndarray, shape (8, N)
        Per-location values of N units.
    preferred : ndarray of int, shape (N,)
        Preferred location index p per unit.

    Returns
    -------
    ndarray, shape (9, N)
    """
    n_loc = values.shape[0]
    k = np.arange(n_loc)[:, None]
    idx = (k + preferred[None, :] - n_loc // 2) % n_loc
    out = np.take_along_axis(values, idx, axis=0)
    return np.concatenate([out, out[:1]], axis=0)


def position_of(location: np.ndarray, preferred: np.ndarray, n_loc: int) -> np.ndarray:
    """Tuning position k of a trial's location relative to a unit's preferred location (p ↦ n_loc/2)."""
    return (location - preferred + n_loc // 2) % n_loc


def stim_location_stats(mb: ModeBatch) -> tuple[np.ndarray, np.ndarray]:
    """Per location and unit, over its correct trials: mean and maximum of ``stim1 mean / fix level_L − 1``.

    Every value depends on the trials of its own location only, so the statistics of a test batch run in chunks of
    locations (each chunk's other locations are NaN) combine with :func:`merge_locations`.

    Returns
    -------
    mean, maximum : ndarray, shape (n_loc, N)
        NaN where a location has no correct trials in ``mb``.
    """
    correct = mb.behaviour.correct
    start, end = mb.epochs["stim1"]
    fix = fix_levels(mb, correct)
    stim = epoch_mean(mb.rate, start, end)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_trial = stim / fix[mb.location] - 1.0
    means = location_mean(per_trial, mb.location, correct, mb.n_loc)
    maxima = np.full_like(means, np.nan)
    for loc in np.unique(mb.location[correct]):
        maxima[loc] = np.max(per_trial[correct & (mb.location == loc)], axis=0)
    return means, maxima


def merge_locations(parts: list[np.ndarray]) -> np.ndarray:
    """Combine per-location arrays of location chunks: each location's values come from the chunk that has them."""
    out = parts[0].copy()
    for part in parts[1:]:
        out = np.where(np.isnan(out), part, out)
    return out


def best_from_stats(means: np.ndarray, maxima: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best cue location (argmax of ``means``, -1 if none) and scale (``maxima`` there) of every unit."""
    best = nan_argmax(means, axis=0)
    units = np.arange(best.size)
    scale = np.where(best >= 0, maxima[np.maximum(best, 0), units], np.nan)
    return best, scale


def best_cue(mb: ModeBatch) -> tuple[np.ndarray, np.ndarray]:
    """Best cue location and scale of every unit (correct trials, normalised stim1 rate).

    Per location L with correct trials: mean over them of ``stim1 mean / fix level_L − 1``; the best location is
    the argmax; the scale is the maximum of that per-trial value over the correct trials at the best location.

    Returns
    -------
    best : ndarray of int, shape (N,)
    scale : ndarray, shape (N,)
    """
    return best_from_stats(*stim_location_stats(mb))
