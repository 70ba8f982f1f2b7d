"""Per-trial cost and its direct gradients (original ``Model.optimize``).

Cost = L_CE + R with

* L_CE: mean over the 1900 scored steps of the softmax cross-entropy (log-softmax, stable);
* homeostatic rate ``l2_h * |mean_{t,i}(r^2) - rho|`` (rho = 0 during problem 1);
* ``l2_w_in * mean(W_in^2)`` and ``l2_w_out * mean(W_out^2)``;
* ``l2_w_rec * mean_{i <= k}(s_i^2)`` over the top ``k = sv_bound`` singular values of W_rec.

Every function takes a leading batch axis B (one network per seed) after the time axis.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .params import Params
from .task import loss_mask

__all__ = ["cross_entropy", "homeostatic", "top_singular", "weight_penalties"]


def cross_entropy(logits: np.ndarray, stims: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Masked softmax cross-entropy and its gradient with respect to the logits.

    Parameters
    ----------
    logits : numpy.ndarray
        ``(T, B, n_out)``.
    stims : numpy.ndarray
        ``(B,)`` int, the stimulus (= correct response) of each network's trial.
    params : Params
        Timing.

    Returns
    -------
    ce : numpy.ndarray
        ``(B,)`` mean CE over scored steps.
    dlogits : numpy.ndarray
        ``(T, B, n_out)`` gradient of ``ce`` (summed over B) with respect to ``logits``.
    """
    n_steps, batch, n_out = logits.shape
    labels = np.full((n_steps, batch), n_out - 1, dtype=np.int64)
    labels[params.fixation_steps :] = stims
    mask = loss_mask(params)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    log_p = shifted - log_norm
    onehot = np.zeros_like(logits)
    np.put_along_axis(onehot, labels[..., None], 1.0, axis=-1)
    n_scored = mask.sum()
    ce = -(log_p * onehot).sum(-1)[mask].sum(0) / n_scored
    weight = (mask / n_scored).astype(logits.dtype)
    dlogits = (np.exp(log_p) - onehot) * weight[:, None, None]
    return ce, dlogits


def homeostatic(rates: np.ndarray, rho: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Homeostatic rate penalty ``l2_h |mean(r^2) - rho|``.

    Parameters
    ----------
    rates : numpy.ndarray
        ``(T, B, N)`` rates r_0..r_{T-1}.
    rho : numpy.ndarray
        ``(B,)`` targets.
    params : Params
        ``l2_h``.

    Returns
    -------
    value, mean_r2 : numpy.ndarray
        ``(B,)`` penalty and per-trial ``mean(r^2)`` (the original ``hNorm`` sample).
    grad_scale : numpy.ndarray
        ``(B,)``: d value / d r = ``grad_scale * r``.
    """
    n_steps, _, n = rates.shape
    mean_r2 = np.square(rates).sum(axis=(0, 2), dtype=np.float64) / (n_steps * n)
    diff = mean_r2 - rho
    return params.l2_h * np.abs(diff), mean_r2, params.l2_h * np.sign(diff) * 2.0 / (n_steps * n)


def top_singular(w: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k squared singular values and right singular vectors of each matrix in ``w``.

    Computed from the eigen-decomposition of W^T W in float64 (cheaper than a full SVD).

    Parameters
    ----------
    w : numpy.ndarray
        ``(B, N, N)``.
    k : int
        Number of leading singular values.

    Returns
    -------
    s2 : numpy.ndarray
        ``(B, k)`` squared singular values, descending.
    v : numpy.ndarray
        ``(B, N, k)`` matching right singular vectors.
    """
    w64 = w.astype(np.float64)
    n = w.shape[-1]
    s2 = np.empty((w.shape[0], k))
    v = np.empty((w.shape[0], n, k))
    for b in range(w.shape[0]):
        evals, evecs = scipy.linalg.eigh(w64[b].T @ w64[b], subset_by_index=[n - k, n - 1])
        s2[b] = evals[::-1]
        v[b] = evecs[:, ::-1]
    return s2, v


def weight_penalties(weights: dict[str, np.ndarray], params: Params) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Input, output and recurrent singular-value penalties.

    Parameters
    ----------
    weights : dict
        Batched weights (``w_in`` ``(B, n_in, N)``, ``w_rec`` ``(B, N, N)``, ``w_out`` ``(B, N, n_out)``).
    params : Params
        Penalty weights and ``sv_bound``.

    Returns
    -------
    value : numpy.ndarray
        ``(B,)`` summed penalties.
    grads : dict
        Gradients for ``w_in``, ``w_rec``, ``w_out``.
    """
    w_in, w_rec, w_out = weights["w_in"], weights["w_rec"], weights["w_out"]
    k = int(params.sv_bound)
    top_s2, top_v = top_singular(w_rec, k)
    value = (
        params.l2_w_in * (w_in**2).mean(axis=(1, 2))
        + params.l2_w_out * (w_out**2).mean(axis=(1, 2))
        + params.l2_w_rec * top_s2.mean(axis=1)
    )
    # d s_i^2 / dW = 2 s_i u_i v_i^T = 2 W v_i v_i^T
    proj = (top_v @ np.swapaxes(top_v, 1, 2)).astype(w_rec.dtype)
    grads = {
        "w_in": (2.0 * params.l2_w_in / w_in[0].size) * w_in,
        "w_out": (2.0 * params.l2_w_out / w_out[0].size) * w_out,
        "w_rec": (2.0 * params.l2_w_rec / k) * (w_rec @ proj),
    }
    return value, grads
