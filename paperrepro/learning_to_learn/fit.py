"""Exponential fit of trials-to-criterion across problems (Fig. 1; original ``analysis/fig1.m``).

Per network, Y = trials to criterion of problems 2..P and x = 0..P-2; fit y = a exp(b x) + c with
the original data-dependent start and bounds of ``analysis/fig1.m``:

* c0 = mean of the last 31 values, a0 = mean of the first 30 values of (Y - c0) (100 if a0 < 0),
  b0 = -1/50;
* bounds a ∈ [0, 2 a0], b ∈ [-1/5, -1/200], c ∈ [0, 2 c0].

MATLAB's trust-region-reflective ``fit`` is ported as ``scipy.optimize.curve_fit(method="trf")``
with tight tolerances; this reproduces the published ``f1_perfFit.mat`` to < 3e-7 (tested).
Saved quantities: time constant TC = -1/b, scale SC = a, asymptote AS = c.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import curve_fit

__all__ = ["exp_model", "fit_start_and_bounds", "fit_learning_curve", "movmean"]


def exp_model(x: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """y = a exp(b x) + c."""
    return a * np.exp(b * x) + c


def fit_start_and_bounds(y: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Start point and bounds of the original fit for the series ``y`` (problems 2..P).

    Parameters
    ----------
    y : numpy.ndarray
        Trials to criterion, problems 2..P (at least 31 values).

    Returns
    -------
    p0 : numpy.ndarray
        ``[a0, b0, c0]``.
    bounds : tuple of numpy.ndarray
        Lower and upper bounds.
    """
    y = np.asarray(y, dtype=np.float64)
    c0 = y[-31:].mean()
    a0 = (y - c0)[:30].mean()
    if a0 < 0:
        a0 = 100.0
    p0 = np.array([a0, -1.0 / 50.0, c0])
    lower = np.array([0.0, -1.0 / 5.0, 0.0])
    upper = np.array([2.0 * a0, -1.0 / 200.0, 2.0 * c0])
    # degenerate series (a0 = 0 or c0 = 0, e.g. constant) would give empty intervals: widen by one ulp
    upper = np.where(upper > lower, upper, np.nextafter(lower, np.inf))
    return p0, (lower, upper)


def fit_learning_curve(conv: np.ndarray) -> dict[str, float]:
    """Fit trials to criterion of one network.

    Parameters
    ----------
    conv : numpy.ndarray
        Trials to criterion of problems 2..P (problem 1 excluded), no NaN.

    Returns
    -------
    dict
        ``TC`` (time constant, problems), ``AS`` (asymptote, trials), ``SC`` (scale, trials).

    Raises
    ------
    ValueError
        If ``conv`` holds NaN (the original skips such networks).
    """
    y = np.asarray(conv, dtype=np.float64)
    if np.isnan(y).any():
        raise ValueError("trials-to-criterion series contains NaN (failed problem); cannot fit")
    x = np.arange(y.size, dtype=np.float64)
    p0, bounds = fit_start_and_bounds(y)
    p0 = np.clip(p0, bounds[0], bounds[1])
    popt, _ = curve_fit(exp_model, x, y, p0=p0, bounds=bounds, method="trf", maxfev=5000, ftol=1e-15, xtol=1e-15, gtol=1e-15)
    a, b, c = popt
    return {"TC": float(-1.0 / b), "AS": float(c), "SC": float(a)}


def movmean(y: np.ndarray, window: int = 30) -> np.ndarray:
    """MATLAB ``movmean(y, window)``: centred window, shrinking at the ends.

    An even window takes window/2 samples before and window/2 - 1 after the centre.
    """
    y = np.asarray(y, dtype=np.float64)
    before = window // 2
    after = window // 2 - 1 if window % 2 == 0 else window // 2
    csum = np.concatenate([[0.0], np.cumsum(y)])
    idx = np.arange(y.size)
    lo = np.maximum(idx - before, 0)
    hi = np.minimum(idx + after + 1, y.size)
    return (csum[hi] - csum[lo]) / (hi - lo)
