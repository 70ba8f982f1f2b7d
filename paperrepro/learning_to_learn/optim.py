"""TF1-style Adam with global-norm clipping, batched over networks (original ``Model.buildOpt``, TensorFlow 1 ``AdamOptimizer``).

Per network b (independent state, step counts and trainable sets)::

    g      <- g * clip / max(||g||_global, clip)          (tf.clip_by_global_norm)
    m      <- beta1 m + (1 - beta1) g
    v      <- beta2 v + (1 - beta2) g^2
    lr_t    = lr sqrt(1 - beta2^t) / (1 - beta1^t)
    theta  <- theta - lr_t m / (sqrt(v) + eps)           (eps not bias-corrected, TF1 form)
    h0     <- max(h0, 0)                                  (projection after the step, as the original relu(init_state))

The global norm covers only the trainable variables of each network: with a frozen read-out
(perturbation runs) ``w_out`` and ``b_out`` are excluded from both the norm and the update.
State is reset (m = v = 0, t = 0) at every problem boundary.
"""

from __future__ import annotations

import numpy as np

from .network import PARAM_NAMES, Weights
from .params import Params

__all__ = ["AdamState", "READOUT"]

READOUT: tuple[str, ...] = ("w_out", "b_out")


class AdamState:
    """Adam moments and step counts of B networks.

    Parameters
    ----------
    weights : Weights
        Batched weights (defines shapes; not stored).
    """

    def __init__(self, weights: Weights) -> None:
        self.m = {k: np.zeros_like(weights[k], dtype=np.float64) for k in PARAM_NAMES}
        self.v = {k: np.zeros_like(weights[k], dtype=np.float64) for k in PARAM_NAMES}
        self.t = np.zeros(weights["w_rec"].shape[0], dtype=np.int64)

    def reset(self, index: int) -> None:
        """Re-initialise the state of network ``index`` (new problem)."""
        for k in PARAM_NAMES:
            self.m[k][index] = 0.0
            self.v[k][index] = 0.0
        self.t[index] = 0

    def step(self, weights: Weights, grads: Weights, frozen: np.ndarray, params: Params) -> None:
        """Clip, update ``weights`` in place and project h0.

        Parameters
        ----------
        weights : Weights
            Batched float64 master weights, updated in place.
        grads : Weights
            Batched gradients.
        frozen : numpy.ndarray
            ``(B,)`` bool; true where the read-out is not trainable.
        params : Params
            ``lr``, ``beta1``, ``beta2``, ``eps``, ``clip_norm``.
        """
        trainable = {k: (~frozen if k in READOUT else np.ones_like(frozen)) for k in PARAM_NAMES}
        sq = sum(np.square(grads[k].astype(np.float64)).reshape(len(frozen), -1).sum(1) * trainable[k] for k in PARAM_NAMES)
        norm = np.sqrt(sq)
        scale = params.clip_norm / np.maximum(norm, params.clip_norm)
        self.t += 1
        lr_t = params.lr * np.sqrt(1.0 - params.beta2**self.t) / (1.0 - params.beta1**self.t)
        for k in PARAM_NAMES:
            shape = (-1,) + (1,) * (weights[k].ndim - 1)
            g = grads[k] * scale.reshape(shape)
            m, v = self.m[k], self.v[k]
            m *= params.beta1
            m += (1.0 - params.beta1) * g
            v *= params.beta2
            v += (1.0 - params.beta2) * np.square(g)
            delta = lr_t.reshape(shape) * m / (np.sqrt(v) + params.eps)
            if k in READOUT:
                delta *= trainable[k].reshape(shape)
                m *= trainable[k].reshape(shape)
                v *= trainable[k].reshape(shape)
            weights[k] -= delta
        np.maximum(weights["h0"], 0.0, out=weights["h0"])
