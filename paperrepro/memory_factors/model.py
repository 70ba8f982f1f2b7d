"""Discrete non-leaky ReLU RNN and its Hebbian fast-weight variant, for K networks at once.

Row-vector convention, per network k, trial b, step t (h_{-1} = h_{-2} = 0)::

    pre_t = x_t W_in + b_in + h_{t-1} W_hh + b_hh          (gradient w.r.t. pre_t clamped to [-100, 100])
    pre_t += gamma h_{t-2} clip(<h_{t-2}, h_{t-1}>, 0, 100)  (model 1 only; after the clamp node, B9)
    h_t = relu(pre_t)                                        (kept at h_{t-1} on masked steps)
    y_t = f(h_t W_out + b_out),  f = identity or logistic

All parameters carry a leading network dimension K; a single network is K = 1. Networks never interact: the loss
of a block is the *sum* of the networks' losses, and Adam and the clamp are elementwise, so one optimiser over the
stacked tensors equals K independent ones. Weights are in Lasagne layout (fan_in, fan_out). No activity clipping
and no NaN guards (exploding initial regimes must train as in the original).
"""

from __future__ import annotations

import math

import numpy as np
import torch

PARAM_NAMES: tuple[str, ...] = ("W_in", "b_in", "W_hh", "b_hh", "W_out", "b_out")


class _ClampGrad(torch.autograd.Function):
    """Identity whose backward pass clamps the incoming gradient elementwise (Theano ``grad_clip``)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, bound: float) -> torch.Tensor:  # noqa: D102
        ctx.bound = bound
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # noqa: D102
        return grad.clamp(-ctx.bound, ctx.bound), None


def clamp_grad(x: torch.Tensor, bound: float) -> torch.Tensor:
    """Return ``x``; in backward, clamp its gradient to [-bound, bound]."""
    return _ClampGrad.apply(x, bound)


def init_params(
    rng: np.random.Generator, n_in: int, n_out: int, n_hidden: int, lambda0: float, sigma0: float
) -> dict[str, np.ndarray]:
    """Initial parameters of one network, float32, Lasagne layout.

    W_in and W_out are Glorot-normal with gain 0.95; W_hh = lambda0 I + O with i.i.d. N(0, (sigma0/sqrt(N))^2)
    off-diagonal entries; biases 0. Draw order: W_in, off-diagonal normals, W_out.

    Parameters
    ----------
    rng
        Initialisation generator.
    n_in, n_out, n_hidden
        Layer sizes.
    lambda0, sigma0
        Self-coupling and N-independent off-diagonal coupling.
    """
    gain = 0.95
    w_in = gain * math.sqrt(2.0 / (n_in + n_hidden)) * rng.standard_normal((n_in, n_hidden))
    off = (sigma0 / math.sqrt(n_hidden)) * rng.standard_normal((n_hidden, n_hidden))
    np.fill_diagonal(off, 0.0)
    w_hh = lambda0 * np.eye(n_hidden) + off
    w_out = gain * math.sqrt(2.0 / (n_hidden + n_out)) * rng.standard_normal((n_hidden, n_out))
    params = {
        "W_in": w_in,
        "b_in": np.zeros(n_hidden),
        "W_hh": w_hh,
        "b_hh": np.zeros(n_hidden),
        "W_out": w_out,
        "b_out": np.zeros(n_out),
    }
    return {k: v.astype(np.float32) for k, v in params.items()}


class RNNBlock(torch.nn.Module):
    """K independent ReLU RNNs with stacked parameters.

    Parameters
    ----------
    params
        One dict of numpy arrays per network (see :func:`init_params`); all of the same shapes.
    readout
        ``"linear"`` or ``"sigmoid"``.
    gamma
        Hebbian fast-weight rate; 0 for the vanilla model.
    grad_clip
        Bound of the pre-activation gradient clamp.
    """

    def __init__(
        self, params: list[dict[str, np.ndarray]], readout: str = "linear", gamma: float = 0.0, grad_clip: float = 100.0
    ) -> None:
        super().__init__()
        if readout not in ("linear", "sigmoid"):
            raise ValueError(f"readout must be 'linear' or 'sigmoid', not {readout!r}")
        for name in PARAM_NAMES:
            stacked = np.stack([p[name] for p in params]).astype(np.float32)
            setattr(self, name, torch.nn.Parameter(torch.from_numpy(stacked)))
        self.readout = readout
        self.gamma = float(gamma)
        self.grad_clip = float(grad_clip)

    @property
    def n_networks(self) -> int:
        """Number of networks K."""
        return self.W_hh.shape[0]

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Run all networks.

        Parameters
        ----------
        x
            Inputs (K, B, T, n_in).
        mask
            Optional (K, B, T) bool; where False the state is carried forward unchanged.

        Returns
        -------
        y, h
            Outputs (K, B, T, n_out) after the readout nonlinearity, and post-ReLU states (K, B, T, N).
        """
        k, b, _, _ = x.shape
        n = self.W_hh.shape[-1]
        drive = torch.matmul(x, self.W_in.unsqueeze(1)) + (self.b_in + self.b_hh)[:, None, None, :]
        if k == 1:  # one network: plain 2-D matmuls (addmm), 1.16x less CPU time than the batched bmm at N = 500
            w_hh = self.W_hh[0]
            drive, h = drive[0], x.new_zeros(b, n)
            masks = mask[0].unbind(1) if mask is not None else None
        else:
            w_hh = self.W_hh
            h = x.new_zeros(k, b, n)
            masks = mask.unbind(2) if mask is not None else None
        recurrent = torch.addmm if k == 1 else torch.baddbmm
        h2 = h
        steps = []
        for t, drive_t in enumerate(drive.unbind(-2)):
            pre = clamp_grad(recurrent(drive_t, h, w_hh), self.grad_clip)
            if self.gamma:
                overlap = (h2 * h).sum(-1, keepdim=True).clamp(0.0, 100.0)
                pre = pre + self.gamma * h2 * overlap
            h_new = torch.relu(pre)
            if masks is not None:
                h_new = torch.where(masks[t][..., None], h_new, h)
            h2, h = h, h_new
            steps.append(h)
        hidden = torch.stack(steps, -2)
        if k == 1:
            hidden = hidden.unsqueeze(0)
        y = torch.matmul(hidden, self.W_out.unsqueeze(1)) + self.b_out[:, None, None, :]
        if self.readout == "sigmoid":
            y = torch.sigmoid(y)
        return y, hidden

    def squared_norm(self) -> torch.Tensor:
        """Sum of squares of all six parameter tensors, per network (K,)."""
        return sum(getattr(self, name).pow(2).flatten(1).sum(1) for name in PARAM_NAMES)

    def numpy_params(self, k: int) -> dict[str, np.ndarray]:
        """Parameters of network ``k`` as float32 numpy arrays (Lasagne layout)."""
        return {name: getattr(self, name)[k].detach().cpu().numpy().copy() for name in PARAM_NAMES}
