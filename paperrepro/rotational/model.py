"""The network of Libby & Buschman (2021): designed patterns, closed-form recurrence, noisy ReLU forward pass.

Nothing is trained (as in the original ``network_helper_functions.py``). For each unit a pair of folded-normal
magnitudes ``(a, a_m) = |MVN(0, [[v, c], [c, v]])|`` fills one of a few templates of (sensory-A, sensory-X,
memory-A, memory-X) weights; the recurrent matrix ``W = AX_mem^T pinv(AX_sen^T)`` maps the sensory patterns onto
the memory patterns (rank 2); the input matrix ``IH`` drives the sensory patterns with A/X and links C (C*) to a
fraction ``association`` of the A- (X-) selective units.

Decisions on the original's quirks (ids of the table in docs/rotational.md): B2 kept (``pattern_var`` is a variance,
``assoc_weight_sd`` a standard deviation); B15 kept (``none`` cells' sensory and memory halves are shuffled
independently); B16 kept (``numpy.linalg.pinv`` with its default ``rcond``); B10: a plain NumPy float64 forward
pass, noise drawn as one ``(trials, 2, N)`` array. Randomness comes from an explicit
:class:`numpy.random.Generator` (the original used the global legacy state; its exact draw order is not reproduced,
B12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONDITIONS = ("AC", "AC*", "XC", "XC*")
INPUTS = ("A", "X", "C", "C*")
PATTERNS = ("senA", "senX", "memA", "memX")
CELL_TYPES = ("switch", "stable", "none")

#: Input one-hot index per condition and time step: tp0 shows A (0) or X (1), tp1 shows C (2) or C* (3).
CONDITION_INPUTS = np.array([[0, 2], [0, 3], [1, 2], [1, 3]])


@dataclass(frozen=True)
class Network:
    """One designed network.

    Attributes
    ----------
    patterns : numpy.ndarray
        ``AX_change``, shape (4, N): rows sensory-A, sensory-X, memory-A, memory-X.
    W : numpy.ndarray
        Recurrent matrix, shape (N, N), rank 2.
    IH : numpy.ndarray
        Input matrix, shape (4, N): rows A, X, C, C*.
    cell_type : numpy.ndarray
        Designed type per unit (``"switch"``, ``"stable"``, ``"none"``), shape (N,).
    """

    patterns: np.ndarray
    W: np.ndarray
    IH: np.ndarray
    cell_type: np.ndarray


def designed_cell_types(n_units: int = 150, n_selective: int = 50) -> np.ndarray:
    """Return the designed type of each unit: ``n_selective/2`` switch, as many stable, the rest none.

    Parameters
    ----------
    n_units, n_selective : int
        Network size and number of A/X-selective units.

    Returns
    -------
    numpy.ndarray
        Unicode array of shape (n_units,).
    """
    half = n_selective // 2
    return np.array(["switch"] * half + ["stable"] * half + ["none"] * (n_units - 2 * half))


def design_patterns(
    rng: np.random.Generator, structure_cov: float, *, pattern_var: float = 0.451, n_units: int = 150, n_selective: int = 50
) -> np.ndarray:
    """Draw the sensory and memory patterns ``AX_change`` (the original's ``weight_array_generate`` and ``cell_connect``).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    structure_cov : float
        Covariance ``c`` of the Gaussians behind (a, a_m) (``rand_std_all``).
    pattern_var : float
        Their variance ``v`` (``link_std``, quirk B2).
    n_units, n_selective : int
        Network size and number of A/X-selective (switch + stable) units.

    Returns
    -------
    numpy.ndarray
        Shape (4, n_units), rows sensory-A, sensory-X, memory-A, memory-X.
    """
    cov = np.array([[pattern_var, structure_cov], [structure_cov, pattern_var]])
    mags = np.abs(rng.multivariate_normal(np.zeros(2), cov, size=n_units, method="eigh"))
    a, am = mags[:, 0], mags[:, 1]
    zero = np.zeros(n_units)
    # templates (option, row, unit) per cell type; options chosen uniformly per unit
    switch = np.stack([np.stack([a, zero, zero, am]), np.stack([zero, a, am, zero])])
    stable = np.stack([np.stack([a, zero, am, zero]), np.stack([zero, a, zero, am])])
    none = np.stack(
        [
            np.stack([a, a, am, am]),
            np.stack([zero, zero, zero, zero]),
            np.stack([a, a, zero, zero]),
            np.stack([zero, zero, am, am]),
        ]
    )
    cell_type = designed_cell_types(n_units, n_selective)
    patterns = np.empty((4, n_units))
    for name, templates in (("switch", switch), ("stable", stable), ("none", none)):
        idx = np.flatnonzero(cell_type == name)
        choice = rng.integers(len(templates), size=idx.size)
        patterns[:, idx] = templates[choice, :, idx].T
    none_idx = np.flatnonzero(cell_type == "none")
    patterns[0:2, none_idx] = patterns[0:2, none_idx[rng.permutation(none_idx.size)]]
    patterns[2:4, none_idx] = patterns[2:4, none_idx[rng.permutation(none_idx.size)]]
    return patterns


def recurrent_matrix(patterns: np.ndarray) -> np.ndarray:
    """Return ``W = AX_mem^T pinv(AX_sen^T)`` (the original notebook's ``W``), shape (N, N)."""
    return patterns[2:4].T @ np.linalg.pinv(patterns[0:2].T)


def input_matrix(
    rng: np.random.Generator, patterns: np.ndarray, association: float, *, assoc_weight_sd: float = 0.451, n_selective: int = 50
) -> np.ndarray:
    """Build the input matrix ``IH`` (the original's ``associate_IH``).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    patterns : numpy.ndarray
        ``AX_change``, shape (4, N).
    association : float
        Fraction of A- (X-) selective units that also receive C (C*) input; counts are ``np.round`` of
        ``association * n`` (round half to even, as the original).
    assoc_weight_sd : float
        Standard deviation of the folded-normal C/C* weights.
    n_selective : int
        Total number of C/C*-selective units.

    Returns
    -------
    numpy.ndarray
        Shape (4, N), rows A, X, C, C*.
    """
    sen = patterns[0:2]
    n_units = sen.shape[1]
    ih = np.zeros((4, n_units))
    ih[0:2] = sen
    non_sel = np.flatnonzero(sen[0] == sen[1])
    n_linked = 0
    for row, sel in ((2, np.flatnonzero(sen[0] > sen[1])), (3, np.flatnonzero(sen[0] < sen[1]))):
        n_link = int(np.round(association * sel.size))
        weights = np.zeros(sel.size)
        weights[:n_link] = np.abs(rng.normal(0.0, assoc_weight_sd, n_link))
        ih[row, sel] = rng.permutation(weights)
        n_linked += n_link
    n_other = n_selective - n_linked
    if n_other < 0 or n_other > non_sel.size:
        raise ValueError(f"cannot place {n_other} further C/C*-selective units among {non_sel.size} candidates")
    other = rng.permutation(non_sel)[:n_other]
    side = rng.integers(2, size=n_other)
    ih[2 + side, other] = np.abs(rng.normal(0.0, assoc_weight_sd, n_other))
    return ih


def build_network(
    rng: np.random.Generator,
    association: float,
    structure_cov: float,
    *,
    pattern_var: float = 0.451,
    assoc_weight_sd: float = 0.451,
    n_units: int = 150,
    n_selective: int = 50,
) -> Network:
    """Build one network: patterns, recurrent matrix, input matrix and designed cell types.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    association : float
        Association level (``link_percents``).
    structure_cov : float
        Structure covariance (``rand_std_all``).
    pattern_var, assoc_weight_sd : float
        See :class:`paperrepro.rotational.params.Params`.
    n_units, n_selective : int
        Network size and selective-unit count.

    Returns
    -------
    Network
    """
    patterns = design_patterns(rng, structure_cov, pattern_var=pattern_var, n_units=n_units, n_selective=n_selective)
    return Network(
        patterns=patterns,
        W=recurrent_matrix(patterns),
        IH=input_matrix(rng, patterns, association, assoc_weight_sd=assoc_weight_sd, n_selective=n_selective),
        cell_type=designed_cell_types(n_units, n_selective),
    )


def block_conditions(n_trials: int = 1000) -> np.ndarray:
    """Return the condition index per trial in block order (0 × n/4, 1 × n/4, ...), shape (n_trials,)."""
    return np.repeat(np.arange(4), n_trials // 4)


def draw_noise(rng: np.random.Generator, n_trials: int, n_units: int, noise_sd: float = 2.0) -> np.ndarray:
    """Draw the private noise of every trial, step and unit as one array of shape (n_trials, 2, n_units)."""
    return rng.normal(0.0, noise_sd, size=(n_trials, 2, n_units))


def forward(W: np.ndarray, IH: np.ndarray, conditions: np.ndarray, noise: np.ndarray, tau: float = 1.0) -> np.ndarray:
    """Run the two-step ReLU network on all trials at once (the original's ``TL.forward``).

    Parameters
    ----------
    W : numpy.ndarray
        Recurrent matrix, shape (N, N).
    IH : numpy.ndarray
        Input matrix, shape (4, N).
    conditions : numpy.ndarray
        Condition index (0–3) per trial, shape (trials,).
    noise : numpy.ndarray
        Noise, shape (trials, 2, N).
    tau : float
        Euler time constant.

    Returns
    -------
    numpy.ndarray
        Rates ``V_t``, shape (trials, N, 2), float64.
    """
    inputs = CONDITION_INPUTS[conditions]
    rates = np.empty((conditions.size, W.shape[0], 2))
    v = np.zeros((conditions.size, W.shape[0]))
    for t in range(2):
        u = v @ W.T + noise[:, t] + IH[inputs[:, t]]
        v = v + (np.maximum(u, 0.0) - v) / tau
        rates[:, :, t] = v
    return rates


def simulate(
    W: np.ndarray, IH: np.ndarray, conditions: np.ndarray, rng: np.random.Generator, *, noise_sd: float = 2.0, tau: float = 1.0
) -> np.ndarray:
    """Draw noise and run :func:`forward`; returns rates of shape (trials, N, 2)."""
    noise = draw_noise(rng, conditions.size, W.shape[0], noise_sd)
    return forward(W, IH, conditions, noise, tau)
