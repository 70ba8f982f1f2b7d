"""Decision/stimulus subspaces and read-out manifold perturbations (original ``resetOutWeightsWithSameStruct``; Fig. 3).

After each of the first 50 problems one noisy test trial per stimulus is simulated.  Instead of
keeping the 100 trajectories (160 MB in the original ``states_*.npy``) we accumulate

* the per-stimulus sums of the trajectories (for the 2 condition means), and
* the Gram matrix G = sum_k X_k X_k^T of all single-problem trajectories (N x N).

Decision subspace D: first ``rank`` left singular vectors of the uncentred N x 2T matrix of the two
mean trajectories.  Stimulus subspace S: left singular vectors of (I - DD^T) X, i.e. eigenvectors of
(I - DD^T) G (I - DD^T) by decreasing eigenvalue — mathematically identical to the original SVD of
the stacked N x 200 000 matrix.  Singular-vector signs are arbitrary in LAPACK (also in the
original); here each vector is signed so that its largest-magnitude entry is positive.

Perturbation with a permutation pi of {0..rank-1} and ov_i = W_out^T u_i (unperturbed W_out)::

    W_out' = W_out - sum_i u_i ov_i^T + sum_i v_pi(i) ov_i^T

``ss``: u = v = S columns; ``ds``: u = D columns, v = S columns; ``control``: unchanged
(the permutation is still drawn).  The read-out (W_out and b_out) is frozen afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .params import Params
from .task import Rng

__all__ = ["StateAccumulator", "subspaces", "perturb_readout", "draw_permutation", "CONDITIONS"]

CONDITIONS: tuple[str, ...] = ("control", "ds", "ss")


@dataclass
class StateAccumulator:
    """Running sums of test-trial trajectories for the subspace estimate.

    Attributes
    ----------
    sums : numpy.ndarray
        ``(2, T, N)`` sum over problems of the trajectory of each stimulus.
    gram : numpy.ndarray
        ``(N, N)`` sum of r_t r_t^T over all recorded samples.
    count : int
        Problems recorded.
    """

    sums: np.ndarray
    gram: np.ndarray
    count: int = field(default=0)

    @classmethod
    def empty(cls, params: Params) -> StateAccumulator:
        """Zero accumulator for ``params`` sizes."""
        n = params.n_units
        return cls(np.zeros((2, params.n_steps, n)), np.zeros((n, n)))

    def add(self, rates: np.ndarray) -> None:
        """Add the ``(2, T, N)`` test trajectories (stimulus 0, 1) of one problem."""
        self.sums += rates
        flat = rates.reshape(-1, rates.shape[-1])
        self.gram += flat.T @ flat
        self.count += 1


def _fix_signs(vectors: np.ndarray) -> np.ndarray:
    """Sign columns so that each column's largest-magnitude entry is positive."""
    idx = np.abs(vectors).argmax(axis=0)
    return vectors * np.sign(vectors[idx, np.arange(vectors.shape[1])])


def subspaces(acc: StateAccumulator, rank: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Decision subspace D ``(N, rank)`` and ordered stimulus basis S ``(N, N)``.

    Parameters
    ----------
    acc : StateAccumulator
        Recorded test trajectories (``count`` > 0).
    rank : int
        Dimension of the decision subspace (4).

    Returns
    -------
    decision, stimulus : numpy.ndarray
    """
    means = acc.sums / acc.count  # (2, T, N)
    stacked = means.reshape(-1, means.shape[-1]).T  # N x 2T
    u, _, _ = np.linalg.svd(stacked, full_matrices=False)
    decision = _fix_signs(u[:, :rank])
    proj = np.eye(decision.shape[0]) - decision @ decision.T
    evals, evecs = np.linalg.eigh(proj @ acc.gram @ proj)
    order = np.argsort(evals)[::-1]
    return decision, _fix_signs(evecs[:, order])


def draw_permutation(rng: Rng, rank: int) -> np.ndarray:
    """Random permutation of ``range(rank)`` from the task stream (``rng.permutation``)."""
    return np.asarray(rng.permutation(np.arange(rank)))


def perturb_readout(
    w_out: np.ndarray,
    condition: str,
    decision: np.ndarray,
    stimulus: np.ndarray,
    perm: np.ndarray,
) -> np.ndarray:
    """Perturbed read-out weights.

    Parameters
    ----------
    w_out : numpy.ndarray
        ``(N, n_out)`` unperturbed read-out.
    condition : str
        ``"control"``, ``"ds"`` (decision → stimulus) or ``"ss"`` (stimulus → stimulus).
    decision, stimulus : numpy.ndarray
        Subspace bases from :func:`subspaces`.
    perm : numpy.ndarray
        Permutation of ``range(rank)``.

    Returns
    -------
    numpy.ndarray
        New ``(N, n_out)`` read-out.
    """
    if condition not in CONDITIONS:
        raise ValueError(f"unknown perturbation {condition!r}; use one of {CONDITIONS}")
    new = w_out.copy()
    if condition == "control":
        return new
    source = decision if condition == "ds" else stimulus
    for i, j in enumerate(perm):
        old_vec, new_vec = source[:, i], stimulus[:, j]
        ov = w_out.T @ old_vec
        new += np.outer(new_vec - old_vec, ov)
    return new
