"""Hand-written backpropagation through time for one trial per network (original ``Model.optimize`` differentiated by hand).

B networks (one per seed, each with its own weights, image, stimulus and noise) are stepped in
one NumPy program: the per-step work is a stacked ``(B, 1, N) @ (B, N, N)`` product, so Python
overhead is paid once per step for all B networks.  Float64 throughout; the gradients equal
PyTorch autograd to ~1e-12 relative (``tests/learning_to_learn/test_bptt.py``).

The two time loops run either in NumPy or, where a C compiler is available, in the compiled
kernels of :mod:`ckernel` (``Params.kernel``); both give the same numbers to rounding.

Forward trick: the loop carries s_t = r_t / alpha, so each step is
``s_{t+1} = (1 - alpha) s_t + softplus(s_t (alpha W_rec) + x_t)`` (one multiply fewer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from . import ckernel
from .loss import cross_entropy, homeostatic, weight_penalties
from .network import Weights
from .params import Params

__all__ = ["TrialResult", "forward_backward"]


def _kernels(params: Params) -> ckernel.Kernels | None:
    """Compiled loops for ``params.kernel`` (``"auto"``, ``"c"``, ``"numpy"``)."""
    if params.kernel == "numpy":
        return None
    kernels = ckernel.load()
    if kernels is None and params.kernel == "c":
        raise RuntimeError("kernel='c' requested but no C compiler could build the kernels; use kernel='auto'")
    return kernels


@dataclass
class TrialResult:
    """Outcome of one batched trial.

    Attributes
    ----------
    ce : numpy.ndarray
        ``(B,)`` cross-entropy (the convergence statistic ``perf``).
    cost : numpy.ndarray
        ``(B,)`` cross-entropy plus all regularisers.
    mean_r2 : numpy.ndarray
        ``(B,)`` mean squared rate of the trial (``hNorm`` sample).
    grads : Weights
        Gradients of ``cost`` (batched like the weights).
    """

    ce: np.ndarray
    cost: np.ndarray
    mean_r2: np.ndarray
    grads: Weights


def _drive(weights: Weights, images: np.ndarray, noise: np.ndarray, params: Params) -> np.ndarray:
    """External drive u_t W_in + b + xi_t, ``(T, B, N)``, built from the three input epochs."""
    w_in = weights["w_in"]
    x = noise + weights["b"]
    x[: params.stim_steps] += np.matmul(images[:, None, :], w_in[:, : params.n_pixels])[:, 0]
    x[: params.fixation_steps] += params.fixation_input * w_in[:, params.n_pixels]
    return x


def forward_backward(
    weights: Weights,
    images: np.ndarray,
    stims: np.ndarray,
    noise: np.ndarray,
    rho: np.ndarray,
    params: Params,
) -> TrialResult:
    """Cost and exact gradients of one trial for B networks.

    Parameters
    ----------
    weights : Weights
        Batched weights: ``w_in (B, n_in, N)``, ``w_rec (B, N, N)``, ``b (B, N)``, ``h0 (B, N)``,
        ``w_out (B, N, n_out)``, ``b_out (B, n_out)``.
    images : numpy.ndarray
        ``(B, n_pixels)`` image shown in each network's trial.
    stims : numpy.ndarray
        ``(B,)`` int stimulus index (= correct response).
    noise : numpy.ndarray
        ``(T, B, N)`` recurrent noise (see :func:`network.ou_noise`).
    rho : numpy.ndarray
        ``(B,)`` homeostatic targets.
    params : Params
        Model and loss constants.

    Returns
    -------
    TrialResult
    """
    a = params.alpha
    keep = 1.0 - a
    n_steps, batch, n = noise.shape
    dtype = weights["w_rec"].dtype
    images = images.astype(dtype, copy=False)
    x = _drive(weights, images, noise.astype(dtype, copy=False), params)[:, :, None, :]
    w_scaled = dtype.type(a) * weights["w_rec"]
    keep = dtype.type(keep)
    # forward: s_t = r_t / a
    s = np.empty((n_steps + 1, batch, 1, n), dtype)
    s[0, :, 0] = weights["h0"] / dtype.type(a)
    pre = np.empty((n_steps, batch, 1, n), dtype)
    kernels = _kernels(params)
    if kernels is not None:  # pre receives gain = a * sigmoid(pre) directly
        kernels.forward(w_scaled, np.ascontiguousarray(x[:, :, 0]), keep, a, s, pre)
    else:
        act = np.empty((batch, 1, n), dtype)
        for t in range(n_steps):
            p = pre[t]
            np.matmul(s[t], w_scaled, out=p)
            p += x[t]
            np.logaddexp(0.0, p, out=act)
            nxt = s[t + 1]
            np.multiply(s[t], keep, out=nxt)
            nxt += act
    s *= dtype.type(a)  # now rates: s[0] = h0, s[t + 1] = r_t
    rates = s[1:, :, 0]
    prev = s[:-1, :, 0]

    rates_b = rates.transpose(1, 0, 2)  # (B, T, N) view
    logits = np.matmul(rates_b, weights["w_out"]).transpose(1, 0, 2) + weights["b_out"]
    ce, dlogits = cross_entropy(logits, stims, params)
    homeo, mean_r2, homeo_scale = homeostatic(rates, rho, params)
    penalty, grads = weight_penalties(weights, params)

    dlogits_b = dlogits.transpose(1, 0, 2)
    d_rates = np.matmul(dlogits_b, np.swapaxes(weights["w_out"], 1, 2)).transpose(1, 0, 2)
    d_rates += homeo_scale[:, None].astype(dtype) * rates
    d_rates = d_rates[:, :, None, :]

    # backward: q_t = dcost/dpre_t, g = dcost/dr_t
    if kernels is None:
        gain = expit(pre)
        gain *= dtype.type(a)
    else:
        gain = pre
    w_t = np.ascontiguousarray(np.swapaxes(weights["w_rec"], 1, 2))
    q = np.empty_like(pre)
    if kernels is not None:
        g = np.empty((batch, 1, n), dtype)
        kernels.backward(w_t, gain, np.ascontiguousarray(d_rates), keep, q, g)
    else:
        g = d_rates[n_steps - 1].copy()
        tmp = np.empty((batch, 1, n), dtype)
        for t in range(n_steps - 1, -1, -1):
            qt = q[t]
            np.multiply(g, gain[t], out=qt)
            np.matmul(qt, w_t, out=tmp)
            g *= keep
            g += tmp
            if t > 0:
                g += d_rates[t - 1]
    q2 = q[:, :, 0]

    sum_stim = q2[: params.stim_steps].sum(0)
    sum_fix = q2[: params.fixation_steps].sum(0)
    d_w_in = np.empty_like(weights["w_in"])
    d_w_in[:, : params.n_pixels] = images[:, :, None] * sum_stim[:, None, :]
    d_w_in[:, params.n_pixels] = params.fixation_input * sum_fix
    grads["w_in"] += d_w_in
    grads["w_rec"] += np.matmul(prev.transpose(1, 2, 0), q2.transpose(1, 0, 2))
    grads["b"] = q2.sum(0)
    grads["h0"] = g[:, 0].copy()
    grads["w_out"] += np.matmul(rates_b.transpose(0, 2, 1), dlogits_b)
    grads["b_out"] = dlogits.sum(0)
    return TrialResult(ce=ce, cost=ce + homeo + penalty, mean_r2=mean_r2, grads=grads)
