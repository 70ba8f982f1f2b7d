"""Training loss of K networks: task loss on the response window + activity penalty + L2.

Per network: task loss over the last 25 steps, plus ``penalty`` times the mean over (trials, last 5 steps, units)
of h^2, plus rho times the sum of squares of all six parameter tensors (not halved, biases included). The block
loss to minimise is the *sum* over networks (see :mod:`paperrepro.memory_factors.model`).
"""

from __future__ import annotations

import math

import torch

from .performance import PRED_CLIP
from .tasks import T_RESP

PENALTY_STEPS = 5


def task_loss(y: torch.Tensor, target: torch.Tensor, kind: str, angular: str = "abs_mod") -> torch.Tensor:
    """Task loss per network (K,) over the response window.

    Parameters
    ----------
    y, target
        Outputs and targets (K, B, T, n_out).
    kind
        ``"estimation"`` (|y - s| mod pi, abs first; or circular), ``"binary"`` (cross-entropy of the last output,
        prediction clipped to [1e-6, 1 - 1e-6]) or ``"sine"`` (mean absolute error).
    angular
        ``"abs_mod"`` or ``"circular"`` (estimation only; B16).
    """
    y, target = y[:, :, -T_RESP:], target[:, :, -T_RESP:]
    if kind == "estimation":
        d = torch.remainder(torch.abs(y - target), math.pi)
        if angular == "circular":
            d = torch.minimum(d, math.pi - d)
        return d.flatten(1).mean(1)
    if kind == "binary":
        p = y[..., -1].clamp(PRED_CLIP, 1.0 - PRED_CLIP)
        c = target[..., -1]
        return -(c * torch.log(p) + (1.0 - c) * torch.log(1.0 - p)).flatten(1).mean(1)
    if kind == "sine":
        return torch.abs(y - target).flatten(1).mean(1)
    raise ValueError(f"unknown task kind {kind!r}")


def activity_penalty(hidden: torch.Tensor) -> torch.Tensor:
    """Mean of h^2 over (trials, last 5 steps, units) per network (K,); ``hidden`` is (K, B, T, N)."""
    return hidden[:, :, -PENALTY_STEPS:].pow(2).flatten(1).mean(1)


def total_loss(
    y: torch.Tensor,
    hidden: torch.Tensor,
    target: torch.Tensor,
    kind: str,
    penalty: float,
    rho: torch.Tensor,
    squared_norm: torch.Tensor,
    angular: str = "abs_mod",
) -> torch.Tensor:
    """Per-network loss (K,): task loss + penalty * activity penalty + rho * squared parameter norm."""
    return task_loss(y, target, kind, angular) + penalty * activity_penalty(hidden) + rho * squared_norm
