"""Stage-level reductions of checkpoint summaries: PSTH, tuning, heights, growth (docs/maturation.md fig4EFG, figS3B, figS2B).

Per-checkpoint quantities are first averaged over the selected units of each checkpoint (in
:func:`~paperrepro.maturation.selectivity.checkpoint_summary`), then **unweighted** over the checkpoints of a stage.
Tuning heights are pooled over the units of all checkpoints of a stage and compared between stages with
``scipy.stats.ttest_ind`` (equal variances). The tuning width is 2s of a Gaussian
a·exp(−(x − u)²/(2s²))/(s√(2π)) fitted to (curve − min) at x = 0…8 from the start (max + 1, 4, 1).
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr
from scipy import optimize, stats

from ..oculomotor.performance import STAGES

STAGE_PAIRS: tuple[tuple[str, str], ...] = (("early", "mid"), ("early", "mature"), ("mid", "mature"))


def stage_mean(da: xr.DataArray, stages: dict[str, list[int]]) -> xr.DataArray:
    """Unweighted mean of ``da`` (…, checkpoint, …) over each stage's checkpoints → dim ``stage`` (NaN if empty)."""
    out = []
    for s in STAGES:
        trials = [t for t in stages.get(s, []) if t in set(da["checkpoint"].values.tolist())]
        if trials:
            out.append(da.sel(checkpoint=trials).mean("checkpoint"))
        else:
            out.append(xr.full_like(da.isel(checkpoint=0, drop=True), np.nan, dtype=np.float64))
    return xr.concat(out, dim=xr.DataArray(list(STAGES), dims="stage", name="stage"))


def pooled_heights(summary: xr.Dataset, trials: list[int], epoch: str) -> np.ndarray:
    """Tuning heights of all selected units of ``trials`` (pooled over checkpoints)."""
    if not trials:
        return np.empty(0)
    h = summary["height"].sel(checkpoint=trials, epoch=epoch).values.ravel()
    return h[np.isfinite(h)].astype(np.float64)


def height_ttests(summary: xr.Dataset, stages: dict[str, list[int]], epoch: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean pooled height per stage and the equal-variance t-test p of each pair of :data:`STAGE_PAIRS`."""
    pooled = {s: pooled_heights(summary, stages.get(s, []), epoch) for s in STAGES}
    means = np.array([pooled[s].mean() if pooled[s].size else np.nan for s in STAGES])
    pvals = []
    for a, b in STAGE_PAIRS:
        if pooled[a].size > 1 and pooled[b].size > 1:
            pvals.append(float(stats.ttest_ind(pooled[a], pooled[b]).pvalue))
        else:
            pvals.append(np.nan)
    return means, np.array(pvals)


def _gauss(x: np.ndarray, a: float, u: float, s: float) -> np.ndarray:
    return a * np.exp(-((x - u) ** 2) / (2 * s**2)) / (s * np.sqrt(2 * np.pi))


def tuning_width(curve: np.ndarray) -> float:
    """Width 2s of the Gaussian fitted to ``curve − min(curve)`` (NaN if the fit fails or the curve has NaN)."""
    curve = np.asarray(curve, dtype=np.float64)
    if not np.all(np.isfinite(curve)):
        return np.nan
    y = curve - curve.min()
    x = np.arange(y.size, dtype=np.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (a, u, s), _ = optimize.curve_fit(_gauss, x, y, p0=(y.max() + 1, 4.0, 1.0), maxfev=10000)
    except (RuntimeError, ValueError):
        return np.nan
    return float(2 * abs(s))


def window_mean(da: xr.DataArray, span: tuple[int, int], dt: float) -> xr.DataArray:
    """Mean of ``da`` over the steps ``[start, end)`` of its ``time`` dim (time = step × dt)."""
    t = da["time"].values
    return da.sel(time=t[(t >= span[0] * dt - 1e-9) & (t < span[1] * dt - 1e-9)]).mean("time")
