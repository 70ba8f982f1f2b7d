"""The analyses of the accuracy paper, one function per figure (each after one function of the original's ``analysis/``).

Each ``*_dataset`` function takes simulated batches (:mod:`paperrepro.accuracy.simulate`) or weights and returns a
small ``xarray.Dataset``; the per-checkpoint work is in plain numpy functions beside it. Activity–behaviour statistics
(``psth`` correct vs error, ``r_tuning``, ``r_distribution``, ``fano``) are computed for both noise modes along a
``noise_mode`` dimension (``two_pass`` = the original, ``paired`` = corrected; docs/accuracy.md, "Two passes of
recurrent noise"). Definitions follow the original functions (docs/accuracy.md, quirk per-figure preferred location:
each figure has its own preferred location); the Gaussian fit of the ``fano`` tuning is implemented (the original
calls it with one of three arguments inside ``try/except``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import xarray as xr
from scipy.optimize import curve_fit

from paperrepro.oculomotor.performance import STAGES
from paperrepro.oculomotor.tasks import DT_MS

from .simulate import NOISE_MODES, Batch, Behaviour, ModeBatch
from .trials import (
    best_from_stats,
    delay_units,
    epoch_mean,
    fix_levels,
    last_second,
    merge_locations,
    nan_argmax,
    normalised_location_mean,
    position_of,
    split_correct,
    stim_location_stats,
    tuning_positions,
)

OUTCOMES: tuple[str, ...] = ("correct", "error")
N_POSITIONS = 9
ENDPOINT_BINS = np.linspace(0.0, 180.0, 31)
INPUT_WEIGHT_BINS = np.linspace(-3.0, 3.0, 51)
R_MEAN_ORIGINAL = 0.0869634494358612


def _var(values, dims, long_name: str, units: str = "1", dtype=np.float64) -> xr.Variable:
    return xr.Variable(dims, np.asarray(values, dtype=dtype), {"long_name": long_name, "units": units})


def _time(n_time: int) -> xr.DataArray:
    return xr.DataArray(np.arange(n_time) * DT_MS, dims="time", attrs={"units": "ms", "long_name": "time from trial onset"})


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson r of two vectors; NaN if fewer than 3 finite pairs or a constant vector."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = np.asarray(x, float)[ok], np.asarray(y, float)[ok]
    if x.size < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


# --- psth, psth_odrd (plot_psth.py) ---------------------------------------------------------------------------------


def checkpoint_psth(mb: ModeBatch, offsets: Sequence[int] = (0,)) -> tuple[np.ndarray, int]:
    """Delay-unit population PSTH of one checkpoint.

    Delay units on correct trials; p = argmax of the normalised delay1 rate on correct trials. Per unit and trial
    set (correct, error) at location ``(p + offset) mod n_loc``: trial-mean rate / fix level of the same trials − 1;
    NaN-aware mean over units (units without trials in a set drop out).

    Returns
    -------
    psth : ndarray, shape (2, len(offsets), T)
        Outcome (correct, error) × cue offset × time.
    n_units : int
        Number of delay units.
    """
    correct = mb.behaviour.correct
    units = delay_units(mb)
    d0, d1 = mb.epochs["delay1"]
    pref = nan_argmax(normalised_location_mean(mb, d0, d1, correct), axis=0)
    keep = np.flatnonzero(units & (pref >= 0))
    f0, f1 = mb.epochs["fix1"]
    n_time = mb.rate.shape[0]
    out = np.full((2, len(offsets), n_time), np.nan)
    for o, mask in enumerate((correct, ~correct)):
        for c, offset in enumerate(offsets):
            curves = np.full((keep.size, n_time), np.nan)
            for i, unit in enumerate(keep):
                trials = mask & (mb.location == (pref[unit] + offset) % mb.n_loc)
                if trials.any():
                    rate = mb.rate[:, trials, unit]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        curves[i] = rate.mean(axis=1) / rate[f0:f1].mean() - 1.0
            if keep.size and np.isfinite(curves).any():
                with np.errstate(invalid="ignore"):
                    out[o, c] = np.nanmean(np.where(np.isfinite(curves), curves, np.nan), axis=0)
    return out, int(units.sum())


def psth_dataset(
    stage_batches: Mapping[str, Sequence[Batch]],
    stage_perf: Mapping[str, Sequence[float]],
    stage_trials: Mapping[str, Sequence[int]],
    *,
    offsets: Sequence[int] = (0,),
    cue_labels: Sequence[str] = ("preferred",),
) -> xr.Dataset:
    """PSTHs by stage, outcome, cue and noise mode, averaged over each stage's checkpoints.

    Parameters
    ----------
    stage_batches : mapping stage → list of Batch
        Simulated checkpoints per stage (``early``, ``mid``, ``mature``).
    stage_perf, stage_trials : mapping stage → list
        Logged perf and trial number of those checkpoints.
    offsets, cue_labels : sequences
        Cue locations relative to p (``psth``: 0; ``psth_odrd``: 0 and 4 = opposite) and their labels.
    """
    n_time = next(b for bs in stage_batches.values() for b in bs).rate.shape[0]
    epochs = next(b for bs in stage_batches.values() for b in bs).trial.epochs
    shape = (len(NOISE_MODES), len(STAGES))
    psth = np.full(shape + (2, len(offsets), n_time), np.nan)
    n_units = np.full(shape, np.nan)
    for m, mode in enumerate(NOISE_MODES):
        for s, stage in enumerate(STAGES):
            results = [checkpoint_psth(b.mode(mode), offsets) for b in stage_batches.get(stage, [])]
            if results:
                with np.errstate(invalid="ignore"), _quiet():
                    psth[m, s] = np.nanmean(np.stack([r[0] for r in results]), axis=0)
                n_units[m, s] = np.mean([r[1] for r in results])
    perf = [np.mean(stage_perf[s]) if len(stage_perf.get(s, [])) else np.nan for s in STAGES]
    count = [len(stage_batches.get(s, [])) for s in STAGES]
    on, off = epochs["stim1"]
    window = slice(on, off + 10)
    cue = psth[:, :, :, 0, window]
    peak = np.nanmax(np.where(np.isfinite(cue), cue, -np.inf), axis=-1)
    peak_time = (on + np.argmax(np.where(np.isfinite(cue), cue, -np.inf), axis=-1)) * DT_MS
    peak = np.where(np.isfinite(peak), peak, np.nan)
    with np.errstate(invalid="ignore"), _quiet():
        memory = np.nanmean(psth[..., off : epochs["go1"][0]], axis=-1)
    dims = ("noise_mode", "stage", "outcome", "cue", "time")
    ds = xr.Dataset(
        {
            "psth": _var(psth, dims, "delay-unit population PSTH (rate / fix level − 1), mean over checkpoints"),
            "n_delay_units": _var(n_units, ("noise_mode", "stage"), "mean number of delay units per checkpoint"),
            "perf": _var(perf, ("stage",), "mean logged training perf of the stage's checkpoints"),
            "n_checkpoints": _var(count, ("stage",), "checkpoints per stage", dtype=np.int32),
            "cue_peak": _var(peak, ("noise_mode", "stage", "outcome"), "PSTH maximum in the cue window (cue at p)"),
            "cue_peak_time": _var(peak_time, ("noise_mode", "stage", "outcome"), "time of the cue-window maximum", "ms"),
            "memory_mean": _var(
                memory,
                ("noise_mode", "stage", "outcome", "cue"),
                "mean PSTH from cue offset to the go cue (the whole memory period)",
            ),
        },
        coords={
            "noise_mode": list(NOISE_MODES),
            "stage": list(STAGES),
            "outcome": list(OUTCOMES),
            "cue": list(cue_labels),
            "time": _time(n_time),
        },
    )
    ds["cue_offset"] = _var(list(offsets), ("cue",), "cue location relative to p (locations)", dtype=np.int32)
    for stage in STAGES:
        ds.attrs[f"checkpoints_{stage}"] = ",".join(str(t) for t in stage_trials.get(stage, []))
    return ds


class _quiet:
    """Silence numpy's 'mean of empty slice' warnings inside NaN-aware reductions."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


# --- endpoints (endpoint_analysis.py) -------------------------------------------------------------------------------


def endpoints_dataset(
    stage_behaviour: Mapping[str, Sequence[Behaviour]], stage_trials: Mapping[str, Sequence[int]]
) -> xr.Dataset:
    """Endpoint-deviation histograms (30 bins on [0°, 180°]) by stage and outcome, plus summary statistics."""
    counts = np.zeros((len(STAGES), 2, ENDPOINT_BINS.size - 1), dtype=np.int64)
    frac, median, n_ckpt = np.full(len(STAGES), np.nan), np.full((len(STAGES), 2), np.nan), []
    for s, stage in enumerate(STAGES):
        behs = list(stage_behaviour.get(stage, []))
        n_ckpt.append(len(behs))
        if not behs:
            continue
        correct = np.concatenate([b.correct for b in behs])
        dev = np.concatenate([b.error_deg for b in behs])
        frac[s] = correct.mean()
        for o, sel in enumerate((correct, ~correct)):
            counts[s, o] = np.histogram(dev[sel], ENDPOINT_BINS)[0]
            if sel.any():
                median[s, o] = np.median(dev[sel])
    centres = 0.5 * (ENDPOINT_BINS[1:] + ENDPOINT_BINS[:-1])
    ds = xr.Dataset(
        {
            "count": _var(counts, ("stage", "outcome", "deviation"), "trials per endpoint-deviation bin", dtype=np.int64),
            "correct_fraction": _var(frac, ("stage",), "fraction of correct trials"),
            "median_deviation": _var(median, ("stage", "outcome"), "median endpoint deviation", "degree"),
            "n_checkpoints": _var(n_ckpt, ("stage",), "checkpoints per stage (re-labelled by raw perf)", dtype=np.int32),
            "correct_bins_step_max": _var(
                np.diff(counts[-1, 0, :6]).max(), (), "largest increase between successive mature correct bins below 36°"
            ),
        },
        coords={
            "stage": list(STAGES),
            "outcome": list(OUTCOMES),
            "deviation": xr.DataArray(centres, dims="deviation", attrs={"units": "degree", "long_name": "bin centre"}),
        },
    )
    for stage in STAGES:
        ds.attrs[f"checkpoints_{stage}"] = ",".join(str(t) for t in stage_trials.get(stage, []))
    return ds


# --- r_tuning, r_distribution (Averaged_R_tuning_locs.py, R_distribution_dev_saccade_dev_fr.py) ---------------------


def _last_second_trials(mb: ModeBatch):
    """Delay units, correct-trial split and last-1-s rates with per-location mean/median and raw preferred p."""
    units = np.flatnonzero(delay_units(mb))
    index, dev, ccw = split_correct(mb)
    s0, s1 = last_second(mb.epochs)
    rate = epoch_mean(mb.rate, s0, s1)[index][:, units]  # (n_correct, n_units)
    loc = mb.location[index]
    mean = np.full((mb.n_loc, units.size), np.nan)
    median = np.full((mb.n_loc, units.size), np.nan)
    for L in range(mb.n_loc):
        sel = loc == L
        if sel.any():
            mean[L], median[L] = rate[sel].mean(axis=0), np.median(rate[sel], axis=0)
    pref = nan_argmax(mean, axis=0)
    return units, dev, ccw, rate, loc, median, pref


def unit_r(mb: ModeBatch) -> tuple[np.ndarray, np.ndarray]:
    """Per delay unit, Pearson R between signed endpoint deviation and rate deviation (7 non-preferred locations).

    Sign + if the deviation points towards p: (k < 4 and ccw) or (k > 4 and cw); k = 0 is signed like k < 4.

    Returns
    -------
    units : ndarray of int
        Delay-unit indices.
    r : ndarray
        R per delay unit (NaN where undefined).
    """
    units, dev, ccw, rate, loc, median, pref = _last_second_trials(mb)
    half = mb.n_loc // 2
    r = np.full(units.size, np.nan)
    for j in range(units.size):
        k = position_of(loc, pref[j], mb.n_loc)
        towards = np.where(k < half, ccw, ~ccw)
        signed = np.where(towards, dev, -dev)
        dev_fr = rate[:, j] - median[loc, j]
        sel = k != half
        r[j] = pearson(signed[sel], dev_fr[sel])
    return units, r


def r_tuning_values(mb: ModeBatch) -> np.ndarray:
    """R across delay units between trial-mean signed deviation and trial-mean rate deviation, per position (9)."""
    units, dev, ccw, rate, loc, median, pref = _last_second_trials(mb)
    half = mb.n_loc // 2
    n = mb.n_loc
    sig = np.full((n, units.size), np.nan)
    fr = np.full((n, units.size), np.nan)
    for j in range(units.size):
        k = position_of(loc, pref[j], n)
        towards = np.where(k == 0, True, np.where(k < half, ccw, ~ccw))
        signed = np.where(k == half, -dev, np.where(towards, dev, -dev))
        dev_fr = rate[:, j] - median[loc, j]
        for pos in range(n):
            sel = k == pos
            if sel.any():
                sig[pos, j], fr[pos, j] = signed[sel].mean(), dev_fr[sel].mean()
    r = np.array([pearson(sig[pos], fr[pos]) for pos in range(n)])
    return np.append(r, r[0])


def r_tuning_dataset(batches: Sequence[Batch], noise_seeds: Sequence[int], trials: int) -> xr.Dataset:
    """``r_tuning`` for both noise modes and several noise seeds (one Batch per seed, same checkpoint)."""
    r = np.array([[r_tuning_values(b.mode(mode)) for b in batches] for mode in NOISE_MODES])
    with _quiet():
        mean, sd = np.nanmean(r, axis=1), np.nanstd(r, axis=1)
    ds = xr.Dataset(
        {
            "r": _var(r, ("noise_mode", "noise_seed", "position"), "R(endpoint deviation, rate deviation) across units"),
            "r_mean": _var(mean, ("noise_mode", "position"), "mean of R over noise seeds"),
            "r_sd": _var(sd, ("noise_mode", "position"), "SD of R over noise seeds"),
            "r_wrap_diff": _var(mean[:, 0] - mean[:, -1], ("noise_mode",), "R at position 0 minus R at position 8"),
            "r_original": _var(
                [-0.32, 0.46, 0.19, 0.07, -0.055, 0.085, 0.165, 0.183, -0.32],
                ("position",),
                "original notebook (two-pass, 748,800 trials)",
            ),
        },
        coords={
            "noise_mode": list(NOISE_MODES),
            "noise_seed": np.asarray(noise_seeds, np.int64),
            "position": np.arange(N_POSITIONS),
        },
    )
    ds.attrs["checkpoint_trials"] = int(trials)
    return ds


def r_distribution_dataset(batches: Sequence[Batch], noise_seeds: Sequence[int], trials: int, n_units: int) -> xr.Dataset:
    """Per-unit R for both noise modes over noise seeds; R_mean and fraction positive per seed.

    The first seed's per-unit R values are kept (dim ``unit``, NaN for non-delay units) for the histogram.
    """
    r_unit = np.full((len(NOISE_MODES), n_units), np.nan)
    r_mean = np.full((len(NOISE_MODES), len(batches)), np.nan)
    positive = np.full_like(r_mean, np.nan)
    n_delay = np.zeros((len(NOISE_MODES), len(batches)), np.int32)
    for m, mode in enumerate(NOISE_MODES):
        for i, batch in enumerate(batches):
            units, r = unit_r(batch.mode(mode))
            ok = np.isfinite(r)
            n_delay[m, i] = units.size
            if ok.any():
                r_mean[m, i], positive[m, i] = r[ok].mean(), np.mean(r[ok] > 0)
            if i == 0:
                r_unit[m, units] = r
    with _quiet():
        summary = {
            "r_mean_over_seeds": np.nanmean(r_mean, axis=1),
            "r_mean_sd": np.nanstd(r_mean, axis=1),
            "positive_min": np.nanmin(positive, axis=1),
            "positive_max": np.nanmax(positive, axis=1),
        }
    ds = xr.Dataset(
        {
            "r_unit": _var(r_unit, ("noise_mode", "unit"), "per-unit R (first noise seed; NaN: not a delay unit)"),
            "r_mean": _var(r_mean, ("noise_mode", "noise_seed"), "mean per-unit R"),
            "positive_fraction": _var(positive, ("noise_mode", "noise_seed"), "fraction of units with R > 0"),
            "n_delay_units": _var(n_delay, ("noise_mode", "noise_seed"), "delay units", dtype=np.int32),
            "r_mean_over_seeds": _var(summary["r_mean_over_seeds"], ("noise_mode",), "mean of R_mean over noise seeds"),
            "r_mean_sd": _var(summary["r_mean_sd"], ("noise_mode",), "SD of R_mean over noise seeds"),
            "positive_fraction_min": _var(summary["positive_min"], ("noise_mode",), "lowest fraction positive"),
            "positive_fraction_max": _var(summary["positive_max"], ("noise_mode",), "highest fraction positive"),
            "r_mean_original": _var(R_MEAN_ORIGINAL, (), "original notebook R_mean (two-pass, one chance draw)"),
        },
        coords={"noise_mode": list(NOISE_MODES), "noise_seed": np.asarray(noise_seeds, np.int64), "unit": np.arange(n_units)},
    )
    sd = summary["r_mean_sd"][0]
    ds["original_z"] = _var(
        (R_MEAN_ORIGINAL - summary["r_mean_over_seeds"][0]) / sd if sd > 0 else np.nan,
        (),
        "original R_mean in SDs of the two-pass spread",
    )
    ds.attrs["checkpoint_trials"] = int(trials)
    return ds


# --- fano (single_neuron_fano_factor.py) ----------------------------------------------------------------------------


def gaussian(x: np.ndarray, a: float, mu: float, sigma: float) -> np.ndarray:
    """``a·exp(−(x − μ)²/(2σ²)) / (σ√(2π))``."""
    return a * np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))


def fit_tuning(tuning: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gaussian fit of a 9-position tuning curve (original ``single_neuron_fano_factor.py``): fit ``tuning − min``,
    add the minimum back.

    Returns
    -------
    params : ndarray (a, μ, σ)
    x : ndarray
        −0.1 … 8.0 in steps of 0.1.
    curve : ndarray
        Fitted curve on ``x``.
    """
    y = np.asarray(tuning, float)
    low = np.nanmin(y)
    pos = np.arange(y.size, dtype=float)
    x = np.round(np.arange(-1, 81) * 0.1, 10)
    try:
        params, _ = curve_fit(gaussian, pos, y - low, p0=[np.nanmax(y - low) + 1, 4.0, 1.0], maxfev=10000)
    except (RuntimeError, ValueError):
        return np.full(3, np.nan), x, np.full(x.size, np.nan)
    return params, x, gaussian(x, *params) + low


def fano_values(mb: ModeBatch) -> tuple[np.ndarray, np.ndarray, int]:
    """Unit-averaged tuning and Fano factor at the 9 positions (delay units, correct trials, last 1 s).

    Returns
    -------
    tuning, fano : ndarray, shape (9,)
    n_units : int
    """
    correct = mb.behaviour.correct
    units = delay_units(mb)
    s0, s1 = last_second(mb.epochs)
    values = epoch_mean(mb.rate, s0, s1)[:, units]
    fix = fix_levels(mb, correct)[:, units]
    n = mb.n_loc
    tuning = np.full((n, units.sum()), np.nan)
    fano = np.full_like(tuning, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for loc in range(n):
            sel = correct & (mb.location == loc)
            if sel.any():
                v = values[sel]
                fano[loc] = v.var(axis=0) / v.mean(axis=0)
                tuning[loc] = np.mean(v / fix[loc] - 1.0, axis=0)
    pref = nan_argmax(tuning, axis=0)
    keep = pref >= 0
    with _quiet():
        t = np.nanmean(tuning_positions(tuning[:, keep], pref[keep]), axis=1)
        f = np.nanmean(tuning_positions(fano[:, keep], pref[keep]), axis=1)
    return t, f, int(keep.sum())


def fano_dataset(batch: Batch, trials: int) -> xr.Dataset:
    """Tuning curve (with Gaussian fit) and Fano factor vs tuning position, both noise modes."""
    rows = [fano_values(batch.mode(m)) for m in NOISE_MODES]
    fits = [fit_tuning(r[0]) for r in rows]
    ds = xr.Dataset(
        {
            "tuning": _var([r[0] for r in rows], ("noise_mode", "position"), "normalised rate (rate / fix level − 1)"),
            "fano": _var([r[1] for r in rows], ("noise_mode", "position"), "Fano factor of last-1-s rates"),
            "n_units": _var([r[2] for r in rows], ("noise_mode",), "delay units", dtype=np.int32),
            "fit_params": _var([f[0] for f in fits], ("noise_mode", "fit_param"), "Gaussian fit (a, mu, sigma)"),
            "fit_curve": _var([f[2] for f in fits], ("noise_mode", "x"), "Gaussian fit of the tuning"),
        },
        coords={
            "noise_mode": list(NOISE_MODES),
            "position": np.arange(N_POSITIONS),
            "fit_param": ["a", "mu", "sigma"],
            "x": fits[0][1],
        },
    )
    fano = ds["fano"]
    ds["fano_pref_over_min"] = _var(
        fano.isel(position=4) / fano.isel(position=slice(2, 7)).min("position"),
        ("noise_mode",),
        "Fano at p / minimum over positions 2-6",
    )
    ds["fano_flank_over_pref"] = _var(
        fano.isel(position=[1, 2, 6, 7]).mean("position") / fano.isel(position=4),
        ("noise_mode",),
        "mean Fano of positions 1, 2, 6, 7 / Fano at p",
    )
    ds["tuning_amplitude"] = _var(
        ds["tuning"].isel(position=4) - ds["tuning"].isel(position=0),
        ("noise_mode",),
        "tuning at the preferred position minus tuning opposite it",
    )
    ds["tuning_argmax"] = _var(
        ds["tuning"].isel(position=slice(0, 8)).argmax("position"),
        ("noise_mode",),
        "position of the tuning maximum",
        dtype=np.int32,
    )
    ds.attrs["checkpoint_trials"] = int(trials)
    return ds


# --- heatmap (neuron_heatmap.py), single unit (single_neuron_PSTH.py) -----------------------------------------------


def heatmap_dataset(chunks: Iterable[ModeBatch], location: int, trials: int) -> xr.Dataset:
    """Units sorted (stably) by best cue location; PSTH at ``location`` on correct trials, / fix level − 1, / scale.

    Parameters
    ----------
    chunks : iterable of ModeBatch
        The test batch, whole or in chunks of locations (:func:`paperrepro.accuracy.simulate.simulate_batches`).
    location : int
        Cue location of the PSTH.
    trials : int
        Checkpoint (training trials), recorded.
    """
    means, maxima, psth, n_correct = [], [], None, 0
    for mb in chunks:
        chunk_means, chunk_maxima = stim_location_stats(mb)
        means.append(chunk_means)
        maxima.append(chunk_maxima)
        sel = mb.behaviour.correct & (mb.location == location)
        if sel.any():
            fix = fix_levels(mb, mb.behaviour.correct)[location]
            with np.errstate(divide="ignore", invalid="ignore"):
                psth = mb.rate[:, sel].mean(axis=1) / fix - 1.0
            n_correct = int(sel.sum())
        n_time, n_units, n_loc, (on, off) = mb.rate.shape[0], mb.rate.shape[2], mb.n_loc, mb.epochs["stim1"]
    best, scale = best_from_stats(merge_locations(means), merge_locations(maxima))
    if psth is None:
        psth = np.full((n_time, n_units), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows = psth / scale
    order = np.argsort(best, kind="stable")
    distance = np.abs((best - location + n_loc / 2) % n_loc - n_loc / 2) * 360.0 / n_loc
    with np.errstate(invalid="ignore"), _quiet():
        cue_response = np.nanmean(rows[on:off], axis=0)
        near, far = np.nanmean(cue_response[distance <= 45]), np.nanmean(cue_response[distance >= 135])
    ds = xr.Dataset(
        {
            "activity": _var(rows.T[order], ("row", "time"), "(rate / fix level − 1) / scale, cue at location"),
            "cue_response_near": _var(near, (), "mean cue-epoch row value of units preferring ≤ 45° from the cue"),
            "cue_response_far": _var(far, (), "mean cue-epoch row value of units preferring ≥ 135° from the cue"),
            "unit": _var(order, ("row",), "unit index", dtype=np.int32),
            "best_location": _var(best[order], ("row",), "best cue location", dtype=np.int32),
            "best_location_step_min": _var(np.diff(best[order]).min(), (), "smallest step of the sorted best location"),
        },
        coords={"row": np.arange(order.size), "time": _time(n_time)},
    )
    ds.attrs.update(checkpoint_trials=int(trials), cue_location=int(location), n_correct_trials=n_correct)
    return ds


def single_unit_dataset(mb: ModeBatch, unit: int, trials: int, reps: int = 16) -> xr.Dataset:
    """Per-trial normalised rate of one unit at every location (correct trials; NaN rows for the others)."""
    correct = mb.behaviour.correct
    fix = fix_levels(mb, correct)[:, unit]
    out = np.full((mb.n_loc, reps, mb.rate.shape[0]), np.nan)
    for loc in range(mb.n_loc):
        idx = np.flatnonzero(mb.location == loc)[:reps]
        for r, i in enumerate(idx):
            if correct[i]:
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[loc, r] = mb.rate[:, i, unit] / fix[loc] - 1.0
    ds = xr.Dataset(
        {"rate": _var(out, ("location", "rep", "time"), "rate / fix level − 1 (correct trials)", dtype=np.float32)},
        coords={"location": np.arange(mb.n_loc), "rep": np.arange(reps), "time": _time(mb.rate.shape[0])},
    )
    ds["angle"] = _var(np.arange(mb.n_loc) * 360.0 / mb.n_loc, ("location",), "cue angle", "degree")
    ds["n_trials"] = _var(np.isfinite(out[:, :, 0]).sum(axis=1), ("location",), "correct trials shown", dtype=np.int32)
    ds.attrs.update(checkpoint_trials=int(trials), unit=int(unit), noise_mode=mb.mode)
    return ds


# --- weights (weight_matrix_best_location.py), input weights (input_weight_distribution.py) -------------------------


def weights_dataset(weights: Mapping[str, np.ndarray], best: np.ndarray, n_eachring: int, trials: int) -> xr.Dataset:
    """Weights sorted by best cue location (rows = postsynaptic units; W_rec columns presynaptic, same order)."""
    n_input = 1 + n_eachring + 6
    kernel = np.asarray(weights["kernel"], np.float32)
    order = np.argsort(best, kind="stable")
    w_in, w_rec = kernel[:n_input][:, order].T, kernel[n_input:][order][:, order].T
    w_out = np.asarray(weights["w_out"], np.float32)[order].T
    ds = xr.Dataset(
        {
            "w_rec": _var(w_rec, ("post", "pre"), "recurrent weight (sorted)", dtype=np.float32),
            "w_in": _var(w_in, ("post", "input"), "input weight (sorted units)", dtype=np.float32),
            "w_out": _var(w_out, ("output", "pre"), "output weight (sorted units)", dtype=np.float32),
            "bias": _var(np.asarray(weights["bias"], np.float32)[order], ("post",), "recurrent bias", dtype=np.float32),
            "b_out": _var(weights["b_out"], ("output",), "output bias", dtype=np.float32),
            "unit": _var(order, ("post",), "unit index", dtype=np.int32),
            "best_location": _var(best[order], ("post",), "best cue location", dtype=np.int32),
            "best_location_step_min": _var(np.diff(best[order]).min(), (), "smallest step of the sorted best location"),
            "w_rec_limits": _var(_limits(w_rec), ("limit",), "W_rec colour limits: median ∓ (p95 − p5)/2"),
        },
        coords={
            "post": np.arange(order.size),
            "pre": np.arange(order.size),
            "input": np.arange(n_input),
            "output": np.arange(1 + n_eachring),
            "limit": ["low", "high"],
        },
    )
    ds["best_location_count"] = _var(
        np.bincount(best[best >= 0], minlength=n_eachring), ("location",), "units per best cue location", dtype=np.int32
    )
    ds.attrs.update(checkpoint_trials=int(trials), best_locations="".join(str(int(b)) if 0 <= b < 10 else "?" for b in best))
    return ds


def _limits(values: np.ndarray) -> np.ndarray:
    med = np.median(values)
    half = (np.percentile(values, 95) - np.percentile(values, 5)) / 2
    return np.array([med - half, med + half])


def input_weights_dataset(
    models: Mapping[str, Mapping[str, np.ndarray]], n_eachring: Mapping[str, int], stage_trials: Mapping[str, Mapping[str, int]]
) -> xr.Dataset:
    """Histograms (50 bins on [−3, 3]) of the ring-input weights, per model and stage.

    Parameters
    ----------
    models : mapping model → mapping stage → kernel
        The kernels (or their first ``1 + n_eachring`` rows) of each model's single stage checkpoints.
    n_eachring : mapping model → int
    stage_trials : mapping model → mapping stage → trial number
    """
    names = list(models)
    counts = np.zeros((len(names), len(STAGES), INPUT_WEIGHT_BINS.size - 1), np.int64)
    mean = np.full((len(names), len(STAGES)), np.nan)
    neg = np.zeros((len(names), len(STAGES)), np.int64)
    nonneg = np.zeros_like(neg)
    for i, name in enumerate(names):
        for s, stage in enumerate(STAGES):
            ring = np.asarray(models[name][stage])[1 : 1 + n_eachring[name]].ravel().astype(np.float64)
            counts[i, s] = np.histogram(ring, INPUT_WEIGHT_BINS)[0]
            mean[i, s], neg[i, s], nonneg[i, s] = ring.mean(), np.sum(ring < 0), np.sum(ring >= 0)
    centres = 0.5 * (INPUT_WEIGHT_BINS[1:] + INPUT_WEIGHT_BINS[:-1])
    ds = xr.Dataset(
        {
            "count": _var(counts, ("model", "stage", "weight"), "ring-input weights per bin", dtype=np.int64),
            "mean": _var(mean, ("model", "stage"), "mean ring-input weight"),
            "n_negative": _var(neg, ("model", "stage"), "weights < 0", dtype=np.int64),
            "n_nonnegative": _var(nonneg, ("model", "stage"), "weights ≥ 0", dtype=np.int64),
            "checkpoint_trials": _var(
                [[stage_trials[n][s] for s in STAGES] for n in names], ("model", "stage"), "checkpoint (trials)", dtype=np.int64
            ),
        },
        coords={
            "model": names,
            "stage": list(STAGES),
            "weight": xr.DataArray(centres, dims="weight", attrs={"long_name": "bin centre", "units": "1"}),
        },
    )
    ds["n_total"] = _var(ds["n_negative"] + ds["n_nonnegative"], ("model", "stage"), "ring-input weights", dtype=np.int64)
    return ds
