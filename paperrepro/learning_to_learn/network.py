"""Leaky softplus RNN of Goudar et al. (original ``network.py``).

Row-vector convention (``x @ W``): ``w_rec[i, j]`` is the weight from unit i onto unit j.
For t = 0..T-1 with r_{-1} = h0 and xi_{-1} = 0::

    xi_t = (1 - alpha_n) xi_{t-1} + sigma sqrt(2 alpha_n) eps_t
    r_t  = (1 - alpha) r_{t-1} + alpha softplus(u_t W_in + r_{t-1} W_rec + b + xi_t)
    z_t  = r_t W_out + b_out

The recorded states are r_0..r_{T-1} (h0 excluded).  Noise is inside the nonlinearity.
Weights are a plain ``dict`` keyed by :data:`PARAM_NAMES`; a leading batch axis (one network per
seed) is allowed everywhere the training code uses them.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from . import ckernel
from .params import Params
from .task import Rng

__all__ = [
    "PARAM_NAMES",
    "Weights",
    "gen_ortho_matrix",
    "init_weights",
    "ou_noise",
    "ou_filter",
    "softplus",
    "simulate",
]

PARAM_NAMES: tuple[str, ...] = ("w_in", "w_rec", "b", "h0", "w_out", "b_out")
Weights = dict[str, np.ndarray]


def gen_ortho_matrix(rng: Rng, n: int) -> np.ndarray:
    """Random orthogonal matrix by a product of Householder reflections.

    Same draws as the original ``gen_ortho_matrix`` (the pre-1.0 SciPy ``ortho_group``
    algorithm without the final determinant fix): for k = 1..n-1 one ``normal(size=n-k+1)``.

    Parameters
    ----------
    rng : numpy.random.Generator or numpy.random.RandomState
        Consumes n - 1 normal vectors.
    n : int
        Matrix size.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` orthogonal float64 matrix.
    """
    h = np.eye(n)
    for k in range(1, n):
        x = np.asarray(rng.normal(size=(n - k + 1,)), dtype=np.float64)
        sign = np.sign(x[0])
        x[0] += sign * np.sqrt((x * x).sum())
        reflection = -sign * (np.eye(n - k + 1) - 2.0 * np.outer(x, x) / (x * x).sum())
        # H @ blockdiag(I_{k-1}, reflection) only changes the trailing columns
        h[:, k - 1 :] = h[:, k - 1 :] @ reflection
    return h


def init_weights(rng: Rng, params: Params) -> Weights:
    """Initial weights in the original draw order (W_in, then W_rec).

    Parameters
    ----------
    rng : numpy.random.Generator or numpy.random.RandomState
        Task/weight stream of the seed.
    params : Params
        Network sizes.

    Returns
    -------
    Weights
        ``w_in`` N(0, 1)/sqrt(n_in) ``(n_in, N)``; ``w_rec`` random orthogonal ``(N, N)``;
        ``b``, ``h0`` zeros ``(N,)``; ``w_out`` zeros ``(N, n_out)``; ``b_out`` zeros ``(n_out,)``.
    """
    n, n_in = params.n_units, params.n_in
    w_in = np.asarray(rng.normal(size=(n_in, n)), dtype=np.float64) / np.sqrt(n_in)
    w_rec = gen_ortho_matrix(rng, n)
    return {
        "w_in": w_in,
        "w_rec": w_rec,
        "b": np.zeros(n),
        "h0": np.zeros(n),
        "w_out": np.zeros((n, params.n_out)),
        "b_out": np.zeros(params.n_out),
    }


def ou_noise(rng: np.random.Generator, params: Params, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Ornstein–Uhlenbeck recurrent noise of one trial per leading index.

    Parameters
    ----------
    rng : numpy.random.Generator
        Noise stream; consumes ``n_steps * prod(shape) * N`` standard normals.
    params : Params
        ``sigma_rec``, ``alpha_noise``, sizes.
    shape : tuple of int
        Extra axes between time and unit (e.g. ``(B,)`` for B networks).

    Returns
    -------
    numpy.ndarray
        ``(n_steps, *shape, N)`` float64 noise xi_t, innovation std ``sigma_rec`` per step.
    """
    return ou_filter(rng.standard_normal((params.n_steps, *shape, params.n_units)), params)


def ou_filter(eps: np.ndarray, params: Params) -> np.ndarray:
    """Filter standard-normal innovations ``(T, ...)`` into OU noise along axis 0."""
    an = params.alpha_noise
    gain = params.sigma_rec * np.sqrt(2.0 * an)
    kernels = ckernel.load() if params.kernel != "numpy" else None
    if kernels is not None and eps.flags.c_contiguous and eps.dtype in (np.float32, np.float64):
        return kernels.ou(eps, 1.0 - an, gain)
    return lfilter([gain], [1.0, -(1.0 - an)], eps, axis=0)


def softplus(x: np.ndarray) -> np.ndarray:
    """Numerically stable log(1 + exp(x))."""
    return np.logaddexp(0.0, x)


def simulate(weights: Weights, u: np.ndarray, params: Params, noise: np.ndarray | None = None) -> np.ndarray:
    """Simulate trials of one network (no gradients).

    Parameters
    ----------
    weights : Weights
        One network (no batch axis).
    u : numpy.ndarray
        ``(n_trials, T, n_in)`` inputs.
    params : Params
        ``alpha``.
    noise : numpy.ndarray, optional
        ``(T, n_trials, N)`` recurrent noise; noise-free if omitted (the analyses of ``analysis/*.m``).

    Returns
    -------
    numpy.ndarray
        ``(n_trials, T, N)`` rates r_0..r_{T-1}.
    """
    a = params.alpha
    drive = np.einsum("ktc,cn->tkn", u, weights["w_in"]) + weights["b"]
    if noise is not None:
        drive = drive + noise
    n_steps, n_trials = drive.shape[:2]
    rates = np.empty((n_steps, n_trials, weights["w_rec"].shape[0]))
    r = np.broadcast_to(weights["h0"], (n_trials, weights["h0"].shape[-1])).copy()
    for t in range(n_steps):
        r = (1.0 - a) * r + a * softplus(r @ weights["w_rec"] + drive[t])
        rates[t] = r
    return rates.transpose(1, 0, 2)
