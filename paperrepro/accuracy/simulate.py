"""Analysis batches of the accuracy paper and the two-pass noise problem (docs/accuracy.md).

The original takes a trial's hidden states from one TF run call and its outputs (hence correct/error, decoded angle,
endpoint deviation) from a **second** call that draws new recurrent noise, so a trial's activity never belongs to
the behaviour that labels it (original ``utils/functions.py``, ``compute_H_``). ``paired_noise`` chooses:

* ``False`` (default, faithful): rates from pass A (noise stream A), outputs from pass B (independent stream B);
* ``True`` (corrected): rates and outputs from pass A.

Pass A is the same in both modes, so :func:`simulate_batches` runs both passes once and :meth:`Batch.mode` hands out
either variant without another forward pass. Both streams derive from ``noise_seed`` alone, so every checkpoint sees
the same realisations (as in the original). Input noise is off except for ``endpoints`` (:func:`simulate_endpoints`),
whose input noise comes from a caller-owned ``RandomState`` that advances across checkpoints; that batch is one pass.
Firing rates are ``50 · r_t`` (``real_par = 50``) everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from paperrepro.oculomotor.model import LeakyRNN, NetworkConfig
from paperrepro.oculomotor.performance import saccade_endpoint, trial_performance
from paperrepro.oculomotor.tasks import TaskConfig, Trial, generate_trials

RATE_SCALE = 50.0
NOISE_MODES: tuple[str, ...] = ("two_pass", "paired")


def stream_seed(noise_seed: int, stream: int) -> int:
    """Seed of recurrent-noise stream ``stream`` (0 = A, 1 = B) derived from ``noise_seed`` only."""
    return int(np.random.SeedSequence([int(noise_seed), int(stream)]).generate_state(1)[0])


@dataclass(frozen=True)
class Behaviour:
    """Per-trial read-out of one pass.

    Attributes
    ----------
    angle : ndarray, shape (B,)
        Decoded saccade angle (rad, [0, 2π)) at the last step.
    correct : ndarray of bool, shape (B,)
        Not fixating and within 36° of the target.
    error_deg : ndarray, shape (B,)
        Circular distance between decoded angle and target (degrees).
    """

    angle: np.ndarray
    correct: np.ndarray
    error_deg: np.ndarray

    @classmethod
    def from_outputs(cls, y_hat: np.ndarray, trial: Trial) -> Behaviour:
        """Read out a batch's sigmoid outputs (T, B, 1 + n_ring)."""
        correct, error = trial_performance(y_hat, trial.y_loc)
        return cls(saccade_endpoint(y_hat), correct.astype(bool), error)


@dataclass(frozen=True)
class ModeBatch:
    """Rates and the behaviour that labels them, for one noise mode.

    Attributes
    ----------
    rate : ndarray, shape (T, B, N), float32
        ``50 · r_t``.
    behaviour : Behaviour
        Read-out labelling the trials.
    location : ndarray of int, shape (B,)
        Cue location index (trial i at ``i // 16``).
    n_loc : int
        Number of cue locations.
    epochs : dict
        Epoch name → [start, end) steps.
    mode : str
        ``'two_pass'`` or ``'paired'``.
    """

    rate: np.ndarray
    behaviour: Behaviour
    location: np.ndarray
    n_loc: int
    epochs: dict[str, tuple[int, int]]
    mode: str


@dataclass(frozen=True)
class Batch:
    """One checkpoint run on the test batch: rates of pass A, read-outs of passes A and B."""

    rate: np.ndarray
    behaviour_a: Behaviour
    behaviour_b: Behaviour
    trial: Trial
    n_loc: int

    @property
    def location(self) -> np.ndarray:
        """Cue location index per trial."""
        return np.round(self.trial.stim_locs / (2 * np.pi / self.n_loc)).astype(int) % self.n_loc

    def mode(self, paired_noise: bool | str) -> ModeBatch:
        """The batch as seen by one noise mode (``True``/``'paired'`` or ``False``/``'two_pass'``)."""
        if isinstance(paired_noise, str):
            if paired_noise not in NOISE_MODES:
                raise ValueError(f"noise mode must be one of {NOISE_MODES}, got {paired_noise!r}")
            paired_noise = paired_noise == "paired"
        behaviour = self.behaviour_a if paired_noise else self.behaviour_b
        return ModeBatch(
            self.rate, behaviour, self.location, self.n_loc, dict(self.trial.epochs), "paired" if paired_noise else "two_pass"
        )


def _network(weights: dict[str, np.ndarray], tasks: TaskConfig) -> LeakyRNN:
    n_rnn = int(np.asarray(weights["bias"]).shape[0])
    return LeakyRNN(
        NetworkConfig(n_input=tasks.n_input, n_rnn=n_rnn, n_output=tasks.n_output, tau=tasks.tau, dt=tasks.dt), weights
    )


def run_pass(model: LeakyRNN, trial: Trial, generator: torch.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One forward pass with recurrent noise drawn from ``generator``; returns (h, ŷ)."""
    with torch.no_grad():
        h, y_hat = model(torch.from_numpy(trial.x), generator=generator)
    return h.numpy(), y_hat.numpy()


def _stream(noise_seed: int, stream: int) -> torch.Generator:
    return torch.Generator().manual_seed(stream_seed(noise_seed, stream))


def simulate_batches(
    weights: dict[str, np.ndarray],
    rule: str,
    noise_seed: int,
    *,
    tasks: TaskConfig | None = None,
    mode: str = "test",
    locations_per_batch: int | None = None,
) -> Iterator[Batch]:
    """Run a checkpoint on the noise-free test batch in both noise modes (two forward passes per batch).

    Parameters
    ----------
    weights : dict
        ``kernel``, ``bias``, ``w_out``, ``b_out`` (TF layout).
    rule : str
        Task (``odr3000``, ``odrd``, ``odr``).
    noise_seed : int
        Base of the two recurrent-noise streams (:func:`stream_seed`).
    tasks : TaskConfig, optional
        Task settings (``n_eachring``); default 8 locations.
    mode : str
        ``'test'`` or (ODRD) ``'test-X-Y'``.
    locations_per_batch : int, optional
        ``'test'`` mode: run the locations in consecutive chunks of this many (the 360-location batch holds
        5,760 trials, ≈ 7 GB at once); the noise streams continue from chunk to chunk. Default: one batch.

    Yields
    ------
    Batch
        Rates (``50 · h`` of pass A) and read-outs of passes A and B, chunk by chunk.
    """
    tasks = tasks or TaskConfig()
    n_loc = tasks.n_eachring
    step = locations_per_batch or n_loc
    model = _network(weights, tasks)
    stream_a, stream_b = _stream(noise_seed, 0), _stream(noise_seed, 1)
    for first in range(0, n_loc, step):
        chunk = None if step >= n_loc else range(first, min(first + step, n_loc))
        trial = generate_trials(rule, tasks, mode, noise_on=False, locations=chunk)
        h_a, y_a = run_pass(model, trial, stream_a)
        _, y_b = run_pass(model, trial, stream_b)
        yield Batch(RATE_SCALE * h_a, Behaviour.from_outputs(y_a, trial), Behaviour.from_outputs(y_b, trial), trial, n_loc)


def simulate_batch(
    weights: dict[str, np.ndarray], rule: str, noise_seed: int, *, tasks: TaskConfig | None = None, mode: str = "test"
) -> Batch:
    """The whole test batch as one :class:`Batch` (see :func:`simulate_batches`)."""
    return next(simulate_batches(weights, rule, noise_seed, tasks=tasks, mode=mode))


def simulate_endpoints(
    weights: dict[str, np.ndarray],
    rule: str,
    noise_seed: int,
    input_rng: np.random.RandomState,
    *,
    tasks: TaskConfig | None = None,
) -> Behaviour:
    """One pass on a test batch **with input noise** (``endpoints``; original ``analysis/endpoint_analysis.py``).

    Parameters
    ----------
    weights : dict
        Checkpoint weights.
    rule : str
        Task.
    noise_seed : int
        Recurrent noise: stream A of this seed.
    input_rng : numpy.random.RandomState
        Source of the input noise; the original's ``RandomState(seed + 1000)``, advancing across checkpoints.
    tasks : TaskConfig, optional
        Task settings.

    Returns
    -------
    Behaviour
        Per-trial read-out.
    """
    tasks = tasks or TaskConfig()
    trial = generate_trials(rule, tasks, "test", input_rng, noise_on=True)
    _, y_hat = run_pass(_network(weights, tasks), trial, _stream(noise_seed, 0))
    return Behaviour.from_outputs(y_hat, trial)
