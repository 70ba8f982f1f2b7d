"""PyTorch autograd reference of one training trial, for tests and benchmarks.

The equations of the original ``network.py`` and ``Model.optimize``.

Written directly from the equations, independent of :mod:`bptt`; slow (~130 ms per trial).
"""

from __future__ import annotations

import numpy as np
import torch

from .network import PARAM_NAMES, Weights
from .params import Params
from .task import loss_mask, targets, trial_inputs

__all__ = ["autograd_trial"]


def autograd_trial(
    weights: Weights,
    images: np.ndarray,
    stim: int,
    noise: np.ndarray,
    rho: float,
    params: Params,
    dtype: torch.dtype = torch.float64,
) -> tuple[float, float, dict[str, np.ndarray]]:
    """Cost, cross-entropy and autograd gradients of one trial of one network.

    Parameters
    ----------
    weights : Weights
        One network (no batch axis).
    images : numpy.ndarray
        ``(n_pixels,)`` image of the trial.
    stim : int
        Stimulus index.
    noise : numpy.ndarray
        ``(T, N)`` recurrent noise.
    rho : float
        Homeostatic target.
    params : Params
        Constants.
    dtype : torch.dtype
        Precision of the computation.

    Returns
    -------
    cost, ce : float
    grads : dict of numpy.ndarray
    """
    w = {k: torch.tensor(weights[k], dtype=dtype, requires_grad=True) for k in PARAM_NAMES}
    u = torch.tensor(trial_inputs(images, params), dtype=dtype)
    xi = torch.tensor(noise, dtype=dtype)
    a = params.alpha
    r = w["h0"]
    states = []
    for t in range(params.n_steps):
        r = (1 - a) * r + a * torch.nn.functional.softplus(u[t] @ w["w_in"] + r @ w["w_rec"] + w["b"] + xi[t])
        states.append(r)
    rates = torch.stack(states)
    logits = rates @ w["w_out"] + w["b_out"]
    mask = torch.tensor(loss_mask(params))
    labels = torch.tensor(targets(stim, params))
    ce = torch.nn.functional.cross_entropy(logits[mask], labels[mask])
    s = torch.linalg.svdvals(w["w_rec"])
    cost = (
        ce
        + params.l2_h * torch.abs((rates**2).mean() - rho)
        + params.l2_w_in * (w["w_in"] ** 2).mean()
        + params.l2_w_out * (w["w_out"] ** 2).mean()
        + params.l2_w_rec * (s[: int(params.sv_bound)] ** 2).mean()
    )
    cost.backward()
    grads = {k: w[k].grad.numpy().copy() for k in PARAM_NAMES}
    return float(cost.detach()), float(ce.detach()), grads
