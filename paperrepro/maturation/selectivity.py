"""Unit selectivity and normalised PSTHs of one checkpoint (docs/maturation.md).

Input: raw hidden states ``h`` (T, B, N) of the test batch, trials location-major (trial i at location
``i // (B / n_loc)``). For unit n and location l (16 trials):

1. per-trial means over fix1 (F), stim1 (S, always: M5 faithful) and the analysed epoch E;
2. responsive at l if a two-sided paired t-test F vs S gives p ≤ 0.05;
3. Ê = E / F̄_l − 1 with F̄_l the mean of F over the location's trials (M7: F̄_l ≤ 1e-12 → NaN, counted);
   ``fr_abs[l]`` = mean E, ``fr_norm[l]`` = mean Ê;
4. active if max fr_abs > 1e-3 and at least one location is responsive;
5. selective (active units) if a one-way ANOVA of Ê over the locations gives p ≤ 0.05 (``scipy.stats.f_oneway``,
   equal to statsmodels' type-2 p);
6. type inh if max fr_norm < 0, exh if min fr_norm ≥ 0, else mix; ``pref`` = argmax fr_norm.

Figures use exh ∪ mix selective units (``selected``). The normalised PSTH of a unit at location l is
P(t) = m_l(t) / F̄_l − 1 with m_l the trial mean of h; the solid line of ``fig4EFG`` is P at ``pref``, the dashed
one P at ``(pref + n_loc/2) mod n_loc`` (normalised at that location). The tuning curve rotates ``fr_norm`` so that
``pref`` sits at index n_loc/2 (``new = (i − pref + n_loc/2) mod n_loc``) and appends index 0 at the end.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import stats

UNIT_TYPES: tuple[str, ...] = ("inh", "exh", "mix")
TYPE_CODES = {name: code for code, name in enumerate(UNIT_TYPES)}
ALPHA = 0.05
BASELINE_MIN = 1e-12


def by_location(values: np.ndarray, n_loc: int) -> np.ndarray:
    """Reshape per-trial values (B, ...) of a location-major batch to (n_loc, B / n_loc, ...)."""
    return values.reshape(n_loc, values.shape[0] // n_loc, *values.shape[1:])


def epoch_mean(h: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """Mean of ``h`` (T, B, N) over the steps ``[start, end)`` → (B, N), float64."""
    return h[span[0] : span[1]].mean(axis=0, dtype=np.float64)


def neuron_info(
    h: np.ndarray, epochs: dict[str, tuple[int, int]], epoch: str, n_loc: int = 8, alpha: float = ALPHA
) -> dict[str, np.ndarray]:
    """Selectivity of every unit in one analysed epoch (steps 1–6 of the module docstring).

    Parameters
    ----------
    h : ndarray, shape (T, B, N)
        Raw hidden states of a location-major test batch.
    epochs : dict
        Epoch name → ``(start, end)`` steps; needs ``fix1``, ``stim1`` and ``epoch``.
    epoch : str
        The analysed epoch E.
    n_loc : int
        Number of cue locations.
    alpha : float
        Significance level of the t-tests and the ANOVA.

    Returns
    -------
    dict
        ``active``, ``selective``, ``selected`` (selective exh ∪ mix) bool (N,); ``unit_type`` int8 (N,) (codes of
        :data:`UNIT_TYPES`); ``pref``, ``n_resp_locs`` int (N,); ``p_anova`` (N,); ``fr_norm``, ``fr_abs``
        (n_loc, N); ``n_zero_baseline`` (int).
    """
    F = by_location(epoch_mean(h, epochs["fix1"]), n_loc)
    S = by_location(epoch_mean(h, epochs["stim1"]), n_loc)
    E = by_location(epoch_mean(h, epochs[epoch]), n_loc)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_resp = stats.ttest_rel(F, S, axis=1).pvalue  # (n_loc, N)
    responsive = p_resp <= alpha
    base = F.mean(axis=1)  # (n_loc, N)
    zero = base <= BASELINE_MIN
    safe = np.where(zero, np.nan, base)
    E_hat = E / safe[:, None, :] - 1.0
    fr_abs = E.mean(axis=1)
    fr_norm = E_hat.mean(axis=1)
    active = (fr_abs.max(axis=0) > 1e-3) & responsive.any(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_anova = stats.f_oneway(*E_hat, axis=0).pvalue
    p_anova = np.where(np.isfinite(p_anova), p_anova, np.nan)
    selective = active & (p_anova <= alpha)
    unit_type = np.where(
        np.nanmax(fr_norm, axis=0) < 0,
        TYPE_CODES["inh"],
        np.where(np.nanmin(fr_norm, axis=0) >= 0, TYPE_CODES["exh"], TYPE_CODES["mix"]),
    )
    pref = np.argmax(np.nan_to_num(fr_norm, nan=-np.inf), axis=0)
    return {
        "active": active,
        "selective": selective,
        "selected": selective & (unit_type != TYPE_CODES["inh"]),
        "unit_type": unit_type.astype(np.int8),
        "pref": pref.astype(np.int64),
        "n_resp_locs": responsive.sum(axis=0).astype(np.int64),
        "p_anova": p_anova,
        "fr_norm": fr_norm,
        "fr_abs": fr_abs,
        "n_zero_baseline": int(zero.sum()),
    }


def location_psth(h: np.ndarray, epochs: dict[str, tuple[int, int]], n_loc: int = 8) -> np.ndarray:
    """Normalised PSTH P (n_loc, T, N) = trial-mean h / (fix1 mean at that location) − 1 (NaN if baseline ~0)."""
    m = by_location(np.moveaxis(h, 1, 0), n_loc).mean(axis=1, dtype=np.float64)  # (n_loc, T, N)
    f0, f1 = epochs["fix1"]
    base = m[:, f0:f1].mean(axis=1)
    base = np.where(base <= BASELINE_MIN, np.nan, base)
    return m / base[:, None, :] - 1.0


def rotate_tuning(fr_norm: np.ndarray, pref: np.ndarray) -> np.ndarray:
    """Tuning curves (n_loc + 1, N) with ``pref`` at index n_loc/2 and index 0 repeated at the end."""
    n_loc, n = fr_norm.shape
    j = np.arange(n_loc)[:, None]
    src = (j + pref[None, :] - n_loc // 2) % n_loc
    rot = fr_norm[src, np.arange(n)[None, :]]
    return np.concatenate([rot, rot[:1]], axis=0)


def checkpoint_summary(
    h: np.ndarray, epochs: dict[str, tuple[int, int]], select_epochs: tuple[str, ...], dt: float, n_loc: int = 8
) -> xr.Dataset:
    """Per-unit selectivity and unit-averaged PSTH/tuning of one checkpoint for several selection epochs.

    Parameters
    ----------
    h : ndarray, shape (T, B, N)
        Raw hidden states of the test batch.
    epochs : dict
        Epoch boundaries of the task.
    select_epochs : tuple of str
        Epochs in which units are selected (e.g. ``('stim1', 'delay1', 'delay2')``).
    dt : float
        Time step (ms); ``time`` = step × dt.
    n_loc : int
        Number of cue locations.

    Returns
    -------
    xarray.Dataset
        Dims ``epoch``, ``unit``, ``location``, ``condition`` (``pref``, ``opposite``), ``time``, ``position``;
        variables ``selected``, ``unit_type``, ``pref``, ``p_anova``, ``fr_norm``, ``height`` (max − min of
        fr_norm, NaN for unselected units), ``n_selected``, ``psth`` (mean P over selected units), ``tuning``
        (mean rotated fr_norm over selected units), ``n_zero_baseline``.
    """
    n_time, _, n = h.shape
    P = location_psth(h, epochs, n_loc)
    half = n_loc // 2
    rows = {
        k: []
        for k in (
            "selected",
            "unit_type",
            "pref",
            "p_anova",
            "fr_norm",
            "height",
            "psth",
            "tuning",
            "n_selected",
            "n_zero_baseline",
        )
    }
    units = np.arange(n)
    for ep in select_epochs:
        info = neuron_info(h, epochs, ep, n_loc)
        sel = info["selected"]
        solid = P[info["pref"], :, units]  # (N, T)
        dashed = P[(info["pref"] + half) % n_loc, :, units]
        with np.errstate(invalid="ignore"):
            psth = np.stack(
                [
                    np.nanmean(solid[sel], axis=0) if sel.any() else np.full(n_time, np.nan),
                    np.nanmean(dashed[sel], axis=0) if sel.any() else np.full(n_time, np.nan),
                ]
            )
            tuning = (
                np.nanmean(rotate_tuning(info["fr_norm"], info["pref"])[:, sel], axis=1)
                if sel.any()
                else np.full(n_loc + 1, np.nan)
            )
        height = np.where(sel, info["fr_norm"].max(axis=0) - info["fr_norm"].min(axis=0), np.nan)
        rows["selected"].append(sel.astype(np.int8))
        rows["unit_type"].append(info["unit_type"])
        rows["pref"].append(info["pref"])
        rows["p_anova"].append(info["p_anova"])
        rows["fr_norm"].append(info["fr_norm"])
        rows["height"].append(height)
        rows["psth"].append(psth)
        rows["tuning"].append(tuning)
        rows["n_selected"].append(int(sel.sum()))
        rows["n_zero_baseline"].append(info["n_zero_baseline"])
    f32 = np.float32
    ds = xr.Dataset(
        {
            "selected": (("epoch", "unit"), np.stack(rows["selected"]), {"long_name": "selective exh or mix unit", "units": "1"}),
            "unit_type": (
                ("epoch", "unit"),
                np.stack(rows["unit_type"]),
                {"long_name": "unit type code (0 inh, 1 exh, 2 mix)", "units": "1"},
            ),
            "pref": (("epoch", "unit"), np.stack(rows["pref"]), {"long_name": "preferred location index", "units": "1"}),
            "p_anova": (
                ("epoch", "unit"),
                np.stack(rows["p_anova"]).astype(f32),
                {"long_name": "one-way ANOVA p over locations", "units": "1"},
            ),
            "fr_norm": (
                ("epoch", "location", "unit"),
                np.stack(rows["fr_norm"]).astype(f32),
                {"long_name": "epoch mean of activity / fix1 mean - 1", "units": "1"},
            ),
            "height": (
                ("epoch", "unit"),
                np.stack(rows["height"]).astype(f32),
                {"long_name": "tuning height (max - min of fr_norm), selected units", "units": "1"},
            ),
            "n_selected": (
                "epoch",
                np.asarray(rows["n_selected"], dtype=np.int64),
                {"long_name": "selective exh+mix units", "units": "1"},
            ),
            "n_zero_baseline": (
                "epoch",
                np.asarray(rows["n_zero_baseline"], dtype=np.int64),
                {"long_name": "unit-locations with fix1 mean <= 1e-12 (M7)", "units": "1"},
            ),
            "psth": (
                ("epoch", "condition", "time"),
                np.stack(rows["psth"]).astype(f32),
                {"long_name": "normalised PSTH, mean over selected units", "units": "1"},
            ),
            "tuning": (
                ("epoch", "position"),
                np.stack(rows["tuning"]).astype(f32),
                {"long_name": "rotated fr_norm (pref at 4), mean over selected units", "units": "1"},
            ),
        },
        coords={
            "epoch": list(select_epochs),
            "condition": ["pref", "opposite"],
            "time": ("time", np.arange(n_time) * float(dt), {"units": "ms", "long_name": "time from trial onset"}),
            "position": ("position", np.arange(n_loc + 1), {"long_name": "location relative to pref + 4", "units": "1"}),
            "location": np.arange(n_loc),
            "unit": np.arange(n),
        },
    )
    return ds
