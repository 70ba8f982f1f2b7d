"""Leaky softplus RNN of the oculomotor studies, in PyTorch (``task_and_network/network.py`` of
``maiziezhoulab/RNN_BrainMaturation`` @ ``d793a1d``).

    pre_t = [x_t, h_{t-1}]·K + b + ξ_t,   ξ_t ~ N(0, σ²),  σ = √(2/α)·sigma_rec,   h_{-1} = 0
    h_t   = (1 - α)·h_{t-1} + α·f(pre_t),  α = dt/τ;      ŷ_t = sigmoid(h_t·W_out + b_out)

The fused kernel ``K`` keeps the TF layout ((n_input + N) × N, rows 0…n_input-1 = W_in, the rest W_rec, row =
presynaptic), so checkpoints map one to one. Recurrent noise is always on; it comes from an explicit
``torch.Generator``. Hidden states and outputs come from one pass (the accuracy paper's two-pass behaviour is two
calls with different generators).

Initialisation: a dedicated ``numpy.random.RandomState(seed)`` draws W_in = randn/√n_input, then the orthogonal
W_rec (scaled 0.5 for softplus/relu), exactly as the original (equal to TF's checkpoint-0 kernel). W_out is
Glorot-uniform from a seeded ``torch.Generator`` (the original used TF's unreproducible RNG); biases are 0.

The recurrence runs in a hand-written autograd function (one matmul per step forwards and backwards, states kept
for the backward pass), which gives the same gradients as unrolled autograd at a fraction of its overhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

_ACTIVATIONS = {"softplus": 0.5, "relu": 0.5, "tanh": 1.0}


@dataclass(frozen=True)
class NetworkConfig:
    """Network hyper-parameters.

    Parameters
    ----------
    n_input, n_rnn, n_output : int
        Layer sizes (defaults: 8-location ring, 6 rules).
    tau, dt : float
        Time constant and time step in ms.
    sigma_rec : float
        Recurrent noise before the ``√(2/α)`` scaling.
    activation : str
        ``softplus`` (paper), ``relu`` or ``tanh``.
    w_rec_init : str
        ``randortho`` (paper), ``diag`` or ``randgauss``.
    """

    n_input: int = 15
    n_rnn: int = 256
    n_output: int = 9
    tau: float = 100.0
    dt: float = 20.0
    sigma_rec: float = 0.05
    activation: str = "softplus"
    w_rec_init: str = "randortho"

    @property
    def alpha(self) -> float:
        """``dt / tau``."""
        return self.dt / self.tau

    @property
    def noise_sd(self) -> float:
        """Standard deviation of the recurrent noise, ``√(2/α)·sigma_rec``."""
        return float(np.sqrt(2.0 / self.alpha)) * self.sigma_rec


def ortho_matrix(dim: int, rng: np.random.RandomState) -> np.ndarray:
    """Random orthogonal matrix by Householder products (the old ``scipy.stats.ortho_group`` algorithm).

    Parameters
    ----------
    dim : int
        Matrix size.
    rng : numpy RandomState or Generator
        Source of ``normal`` draws (one vector per reflection, sizes dim … 2).

    Returns
    -------
    ndarray, shape (dim, dim), float64
    """
    h = np.eye(dim)
    for n in range(1, dim):
        x = rng.normal(size=(dim - n + 1,))
        d = np.sign(x[0])
        x[0] += d * np.sqrt((x * x).sum())
        block = -d * (np.eye(dim - n + 1) - 2.0 * np.outer(x, x) / (x * x).sum())
        # H·diag(I, block) only changes the columns n-1…
        h[:, n - 1 :] = h[:, n - 1 :] @ block
    return h


def init_weights(config: NetworkConfig, seed: int, generator: torch.Generator | None = None) -> dict[str, np.ndarray]:
    """Initial weights as in the original (float32, TF layout).

    Parameters
    ----------
    config : NetworkConfig
        Network sizes and initialisation scheme.
    seed : int
        Seed of the ``RandomState`` that draws W_in and W_rec (the original's ``hp['seed']``).
    generator : torch.Generator, optional
        Source of the Glorot-uniform W_out; default ``torch.Generator().manual_seed(seed)``.

    Returns
    -------
    dict
        ``kernel`` (n_input + N, N), ``bias`` (N,), ``w_out`` (N, n_output), ``b_out`` (n_output,).
    """
    if config.activation not in _ACTIVATIONS:
        raise ValueError(f"unknown activation {config.activation!r}")
    rng = np.random.RandomState(seed)
    n, n_in = config.n_rnn, config.n_input
    w_in = rng.randn(n_in, n) / np.sqrt(n_in)
    scale = _ACTIVATIONS[config.activation]
    if config.w_rec_init == "randortho":
        w_rec = scale * ortho_matrix(n, rng)
    elif config.w_rec_init == "diag":
        w_rec = scale * np.eye(n)
    elif config.w_rec_init == "randgauss":
        w_rec = scale * rng.randn(n, n) / np.sqrt(n)
    else:
        raise ValueError(f"unknown w_rec_init {config.w_rec_init!r}")
    if generator is None:
        generator = torch.Generator().manual_seed(seed)
    limit = np.sqrt(6.0 / (n + config.n_output))
    w_out = (torch.rand((n, config.n_output), generator=generator, dtype=torch.float64) * 2 - 1) * limit
    return {
        "kernel": np.concatenate([w_in, w_rec], axis=0).astype(np.float32),
        "bias": np.zeros(n, dtype=np.float32),
        "w_out": w_out.numpy().astype(np.float32),
        "b_out": np.zeros(config.n_output, dtype=np.float32),
    }


def _act(pre: torch.Tensor, activation: str) -> torch.Tensor:
    if activation == "softplus":
        return torch.nn.functional.softplus(pre)
    if activation == "relu":
        return torch.relu(pre)
    return torch.tanh(pre)


def _act_grad(pre: torch.Tensor, activation: str) -> torch.Tensor:
    if activation == "softplus":
        return torch.sigmoid(pre)
    if activation == "relu":
        return (pre > 0).to(pre.dtype)
    return 1 - torch.tanh(pre) ** 2


def _step(h: torch.Tensor, pre: torch.Tensor, alpha: float, activation: str, out: torch.Tensor | None = None) -> torch.Tensor:
    """Leaky update ``(1-α)·h + α·f(pre)``."""
    return torch.add(h * (1 - alpha), _act(pre, activation), alpha=alpha, out=out)


def _draw_noise(buf: torch.Tensor, generator: torch.Generator | None, sd: float) -> torch.Tensor | None:
    """One step of recurrent noise (``None`` when off); drawn step by step so that every code path uses the
    generator identically."""
    if sd == 0.0:
        return None
    return buf.normal_(0.0, sd, generator=generator)


class _LeakyRecurrence(torch.autograd.Function):
    """h_t = (1-α)h_{t-1} + α f(u_t + h_{t-1} W_rec + ξ_t), u = input drive incl. bias."""

    @staticmethod
    def forward(  # noqa: D102
        ctx: Any,  # torch's FunctionCtx; Any because alpha and activation are stored on it as new attributes
        drive: torch.Tensor,
        w_rec: torch.Tensor,
        alpha: float,
        activation: str,
        generator: torch.Generator | None,
        sd: float,
    ) -> torch.Tensor:
        n_time, batch, n = drive.shape
        h_all = drive.new_empty((n_time, batch, n))
        pre_all = drive.new_empty((n_time, batch, n))
        buf = drive.new_empty((batch, n))
        h = drive.new_zeros((batch, n))
        for t in range(n_time):
            pre = torch.addmm(drive[t], h, w_rec, out=pre_all[t])
            xi = _draw_noise(buf, generator, sd)
            if xi is not None:
                pre.add_(xi)
            h = _step(h, pre, alpha, activation, out=h_all[t])
        ctx.save_for_backward(w_rec, h_all, pre_all)
        ctx.alpha, ctx.activation = alpha, activation
        return h_all

    @staticmethod
    def backward(ctx: Any, grad_h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, None, None, None, None]:  # noqa: D102
        w_rec, h_all, pre_all = ctx.saved_tensors
        alpha, activation = ctx.alpha, ctx.activation
        n_time, batch, n = h_all.shape
        d_pre = _act_grad(pre_all, activation).mul_(alpha)  # becomes dL/dpre in place
        w_rec_t = w_rec.t()
        carry = grad_h.new_zeros((batch, n))
        for t in range(n_time - 1, -1, -1):
            dh = grad_h[t] + carry
            d_pre[t].mul_(dh)
            carry = torch.addmm(dh * (1 - alpha), d_pre[t], w_rec_t)
        h_prev = torch.cat([h_all.new_zeros((1, batch, n)), h_all[:-1]], dim=0).reshape(-1, n)
        grad_w = h_prev.t() @ d_pre.reshape(-1, n)
        return d_pre, grad_w, None, None, None, None


def _recurrence_no_grad(
    x: torch.Tensor,
    kernel: torch.Tensor,
    bias: torch.Tensor,
    alpha: float,
    activation: str,
    generator: torch.Generator | None,
    sd: float,
) -> torch.Tensor:
    """Inference loop: one fused matmul per step, nothing kept but h (cache-friendly for large batches)."""
    n_time, batch, _ = x.shape
    n = kernel.shape[1]
    h_all = x.new_empty((n_time, batch, n))
    buf = x.new_empty((batch, n))
    h = x.new_zeros((batch, n))
    for t in range(n_time):
        pre = torch.addmm(bias, torch.cat([x[t], h], dim=1), kernel)
        xi = _draw_noise(buf, generator, sd)
        if xi is not None:
            pre.add_(xi)
        h = _step(h, pre, alpha, activation, out=h_all[t])
    return h_all


class LeakyRNN(nn.Module):
    """Leaky RNN with sigmoid read-out; parameters in the TF layout.

    Parameters
    ----------
    config : NetworkConfig
        Hyper-parameters.
    weights : dict, optional
        ``kernel``, ``bias``, ``w_out``, ``b_out`` arrays (e.g. from ``init_weights`` or a TF checkpoint); zeros if
        omitted.
    """

    def __init__(self, config: NetworkConfig, weights: dict[str, np.ndarray] | None = None):
        super().__init__()
        self.config = config
        n, n_in, n_out = config.n_rnn, config.n_input, config.n_output
        self.kernel = nn.Parameter(torch.zeros(n_in + n, n))
        self.bias = nn.Parameter(torch.zeros(n))
        self.w_out = nn.Parameter(torch.zeros(n, n_out))
        self.b_out = nn.Parameter(torch.zeros(n_out))
        if weights is not None:
            self.load_weights(weights)

    def load_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Copy ``kernel``, ``bias``, ``w_out``, ``b_out`` into the parameters (shapes checked)."""
        with torch.no_grad():
            for name in ("kernel", "bias", "w_out", "b_out"):
                param = getattr(self, name)
                value = torch.as_tensor(np.asarray(weights[name]), dtype=param.dtype)
                if value.shape != param.shape:
                    raise ValueError(f"{name}: expected shape {tuple(param.shape)}, got {tuple(value.shape)}")
                param.copy_(value)

    def weights(self) -> dict[str, np.ndarray]:
        """Current parameters as float32 numpy arrays (TF layout)."""
        return {
            name: getattr(self, name).detach().cpu().numpy().astype(np.float32).copy()
            for name in ("kernel", "bias", "w_out", "b_out")
        }

    @property
    def w_in(self) -> torch.Tensor:
        """Input weights (n_input, N)."""
        return self.kernel[: self.config.n_input]

    @property
    def w_rec(self) -> torch.Tensor:
        """Recurrent weights (N, N), row = presynaptic."""
        return self.kernel[self.config.n_input :]

    def forward(
        self, x: torch.Tensor, generator: torch.Generator | None = None, noise: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Run the network.

        Parameters
        ----------
        x : Tensor, shape (T, B, n_input)
            Inputs (time-major).
        generator : torch.Generator, optional
            Source of the recurrent noise (one (B, N) draw per step, on every code path).
        noise : bool
            Recurrent noise on (always on in the original; off only for exactness tests).

        Returns
        -------
        h : Tensor, shape (T, B, N)
            Hidden states.
        y_hat : Tensor, shape (T, B, n_output)
            Sigmoid outputs.
        """
        cfg = self.config
        sd = cfg.noise_sd if noise else 0.0
        if torch.is_grad_enabled() and any(p.requires_grad for p in self.parameters()):
            drive = torch.matmul(x, self.w_in) + self.bias
            h = _LeakyRecurrence.apply(drive, self.w_rec, cfg.alpha, cfg.activation, generator, sd)
        else:
            h = _recurrence_no_grad(x, self.kernel, self.bias, cfg.alpha, cfg.activation, generator, sd)
        y_hat = torch.sigmoid(torch.matmul(h, self.w_out) + self.b_out)
        return h, y_hat


def masked_mse(y_hat: torch.Tensor, y: torch.Tensor, c_mask: torch.Tensor) -> torch.Tensor:
    """Loss ``mean((c_mask·(y - ŷ))²)`` over all T·B·n_output entries (the mask multiplies before squaring)."""
    return torch.mean(((y - y_hat) * c_mask) ** 2)
