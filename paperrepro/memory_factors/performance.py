"""Fractional information loss of a network relative to the optimal observer.

* Estimation (DE-1, DE-2, GDE): (E err(y, s) - E err(s_opt, s)) / E err(s_opt, s), y = output at the readout step.
* Binary (CD, 2AFC, COMP): mean KL(P_opt || y) / mean KL(P_opt || 1/2) (ratio of means, nats), with the prediction
  clipped to [1e-6, 1 - 1e-6] (B18: an unclipped saturated sigmoid gives +inf).
* Sine (no observer, B2): MAE over the response window divided by mean |target| (0.372), so that the pass rule
  ``< sine_pass_nmae`` reads like the other tasks'.

Switches: ``angular_error`` (B16) ``"abs_mod"`` = |y - s| mod pi, abs first (faithful, not a circular distance) or
``"circular"`` = min(d, pi - d). ``kl_zero``: ``"xlogy"`` uses 0 ln 0 = 0 (default); ``"nan_drop"`` is the
original's numpy arithmetic, where 0 * log 0 = NaN drops every trial whose optimal posterior is exactly 0 or 1 in
float64 (most 2AFC trials) from both means.

Accumulators sum numerators and denominators over batches, so the value over many batches is the ratio of pooled
means, as in the original (which concatenates all test trials first).
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from .tasks import SINE_MEAN_ABS, T_RESP, TASK_INFO

PRED_CLIP = 1e-6


def angular_error(y: np.ndarray, s: np.ndarray, mode: str = "abs_mod") -> np.ndarray:
    """Estimation error |y - s| mod pi (``"abs_mod"``) or its circular version min(d, pi - d) (``"circular"``)."""
    d = np.mod(np.abs(y - s), np.pi)
    if mode == "abs_mod":
        return d
    if mode == "circular":
        return np.minimum(d, np.pi - d)
    raise ValueError(f"angular_error must be 'abs_mod' or 'circular', not {mode!r}")


def bernoulli_kl(p: np.ndarray, q: np.ndarray, kl_zero: str = "xlogy") -> np.ndarray:
    """KL(Bernoulli(p) || Bernoulli(q)) in nats; see the module docstring for ``kl_zero``."""
    if kl_zero == "xlogy":
        return xlogy(p, p) - xlogy(p, q) + xlogy(1.0 - p, 1.0 - p) - xlogy(1.0 - p, 1.0 - q)
    if kl_zero == "nan_drop":
        with np.errstate(divide="ignore", invalid="ignore"):
            return p * np.log(p / q) + (1.0 - p) * np.log((1.0 - p) / (1.0 - q))
    raise ValueError(f"kl_zero must be 'xlogy' or 'nan_drop', not {kl_zero!r}")


class InfoLoss:
    """Running fractional information loss of one network over several batches.

    Parameters
    ----------
    task
        Task name.
    angular, kl_zero
        Switches, see the module docstring.
    """

    def __init__(self, task: str, angular: str = "abs_mod", kl_zero: str = "xlogy") -> None:
        self.kind = TASK_INFO[task].kind
        self.angular = angular
        self.kl_zero = kl_zero
        self.reset()

    def reset(self) -> None:
        """Forget all batches."""
        self._num = self._den = 0.0
        self._n = 0

    def add(self, output: np.ndarray, optimal: np.ndarray, target: np.ndarray, readout_step: int) -> None:
        """Add one batch.

        Parameters
        ----------
        output
            Network output (B, T, n_out) (after the sigmoid for binary tasks).
        optimal
            ``Batch.optimal`` of the batch.
        target
            ``Batch.y`` (B, T, n_out).
        readout_step
            Step index read for estimation/binary tasks (-5; -10 tethered).
        """
        output = np.asarray(output, dtype=np.float64)
        if self.kind == "estimation":
            s = target[:, readout_step, :].astype(np.float64)
            net = angular_error(output[:, readout_step, :], s, self.angular)
            opt = angular_error(optimal, s, self.angular)
            self._add(net, opt)
        elif self.kind == "binary":
            pred = np.clip(output[:, readout_step, -1], PRED_CLIP, 1.0 - PRED_CLIP)
            self._add(bernoulli_kl(optimal, pred, self.kl_zero), bernoulli_kl(optimal, 0.5, self.kl_zero))
        else:
            mae = np.abs(output[:, -T_RESP:, -1] - target[:, -T_RESP:, -1])
            self._add(mae, np.full_like(mae, SINE_MEAN_ABS))

    def _add(self, num: np.ndarray, den: np.ndarray) -> None:
        # trials without an optimal answer (NaN observer) are dropped from both means, like the original's nanmean;
        # a NaN network output stays in and makes the loss NaN (a diverged network fails)
        num, den = np.ravel(num), np.ravel(den)
        keep = ~np.isnan(den)
        self._num += float(num[keep].sum())
        self._den += float(den[keep].sum())
        self._n += int(keep.sum())

    def value(self) -> float:
        """The information loss (Sine: normalised MAE) over the batches added since the last reset."""
        if self._n == 0:
            return float("nan")
        num, den = self._num / self._n, self._den / self._n
        if self.kind == "estimation":
            return (num - den) / den
        return num / den
