"""ODRD performance against the distractor's distance from the cue, per stage (the authors'
``odrd_distractor_analysis_by_growth.png``).

Definition, as the original ``analysis/PSTH_odrd_distractor_analysis.py::odrd_distractor_analysis``
(``maiziezhoulab/RNN_BrainMaturation`` @ ``d793a1d``), called from ``Main_analysis.py`` with the ODRD rule-A stages:

* every checkpoint of an ODRD stage runs, for every cue location X and distractor location Y (8 × 8 pairs), the
  test batch ``'test-X-Y'`` (8 × 16 = 128 trials with identical inputs; the original's
  ``generate_trials(..., noise_on=True)`` default, so **input noise on**, and the TF network's recurrent noise on).
  Here only the first :data:`TRIALS_PER_PAIR` = 16 of the 128 run (they differ only in their noise, so the expected
  perf is the same; the binomial standard error of a checkpoint's value at one distance is then at most
  √(0.25 / (8 · 16)) = 0.044, of a 5-checkpoint stage mean ≤ 0.02), which keeps the build near 1 s per checkpoint;
* a trial is correct by the original ``get_perf``: fixation output not above 0.5 at the last step and population
  vector within 36° (= 0.2π) of the cue (:func:`~paperrepro.oculomotor.performance.trial_performance`);
* a checkpoint's perf at distance d (circular location distance 0…4, steps of 45°) is the mean over the pairs at that
  distance (the original sums ``perf / 8`` per pair and halves distances 1–3, which occur 16 times: the same mean);
* a stage's curve is the unweighted mean over its checkpoints.

Noise realisations: one input-noise ``RandomState(noise_seed)`` and one recurrent-noise ``torch.Generator`` seeded
with ``noise_seed`` per checkpoint, so every checkpoint sees the same realisation (M6); the original draws both from
streams that continue across checkpoints (a different realisation each, the same distribution). The 64 pairs run as
one batch of 1,024 trials (pair-major, cue-major), which changes which noise sample a trial gets, not its law.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import xarray as xr

from ..oculomotor.model import LeakyRNN, NetworkConfig
from ..oculomotor.performance import STAGES, trial_performance
from ..oculomotor.store import CheckpointStore
from ..oculomotor.tasks import TaskConfig, generate_trials
from .activity import release_memory

TASK = "odrd"
#: Trials run per cue/distractor pair (the original runs its whole 128-trial test batch per pair).
TRIALS_PER_PAIR = 16


def location_distance(a: np.ndarray | int, b: np.ndarray | int, n_loc: int) -> np.ndarray:
    """Circular distance between location indices (0 … ``n_loc // 2``), the original ``get_abs_dist``."""
    d = np.abs(np.asarray(a) - np.asarray(b))
    return np.minimum(d, n_loc - d)


def pair_performance(weights: dict[str, np.ndarray], noise_seed: int, tasks: TaskConfig | None = None) -> np.ndarray:
    """Fraction correct of one checkpoint for every cue × distractor location pair (noise on, as the original).

    Parameters
    ----------
    weights : dict
        ``kernel``, ``bias``, ``w_out``, ``b_out`` (TF layout) of one checkpoint.
    noise_seed : int
        Seed of the input noise (``RandomState``) and of the recurrent noise (``torch.Generator``).
    tasks : TaskConfig, optional
        Task hyper-parameters (default: the paper's 8-location ring).

    Returns
    -------
    ndarray, shape (n_loc, n_loc), float64
        ``[cue, distractor]`` fraction of the :data:`TRIALS_PER_PAIR` trials of ``'test-cue-distractor'`` that are
        correct.
    """
    tasks = tasks or TaskConfig()
    n_loc = tasks.n_eachring
    rng = np.random.RandomState(noise_seed)
    batches = [generate_trials(TASK, tasks, f"test-{c}-{d}", noise_on=False) for c in range(n_loc) for d in range(n_loc)]
    x = np.concatenate([b.x[:, :TRIALS_PER_PAIR] for b in batches], axis=1)
    x += (rng.standard_normal(x.shape) * tasks.input_noise_sd).astype(np.float32)  # generate_trials' noise_on=True
    y_loc = np.concatenate([b.y_loc[:, :TRIALS_PER_PAIR] for b in batches], axis=1)
    network = NetworkConfig(n_input=tasks.n_input, n_rnn=int(np.asarray(weights["bias"]).shape[0]), n_output=tasks.n_output)
    with torch.no_grad():
        _, y_hat = LeakyRNN(network, weights)(torch.from_numpy(x), generator=torch.Generator().manual_seed(noise_seed))
    correct, _ = trial_performance(y_hat.numpy(), y_loc)
    return correct.reshape(n_loc, n_loc, -1).mean(axis=2, dtype=np.float64)


def perf_by_distance(pairs: np.ndarray) -> np.ndarray:
    """Mean of a ``[cue, distractor]`` perf matrix over the pairs at each distance 0 … n_loc // 2."""
    n_loc = pairs.shape[0]
    dist = location_distance(np.arange(n_loc)[:, None], np.arange(n_loc)[None, :], n_loc)
    return np.array([pairs[dist == d].mean() for d in range(n_loc // 2 + 1)])


def distractor_curves(
    store: CheckpointStore, stages: dict[str, list[int]], noise_seed: int, tasks: TaskConfig | None = None
) -> xr.Dataset:
    """Per-checkpoint and per-stage ODRD perf against distractor distance.

    Parameters
    ----------
    store : CheckpointStore
        Source of the checkpoints' weights.
    stages : dict of str to list of int
        Checkpoints (trial numbers) of each stage (ODRD rule A in the original).
    noise_seed : int
        Noise seed shared by all checkpoints.
    tasks : TaskConfig, optional
        Task hyper-parameters.

    Returns
    -------
    xarray.Dataset
        ``perf_checkpoint`` (checkpoint, distance), ``perf`` (stage, distance; NaN for an empty stage),
        ``n_checkpoints`` (stage).
    """
    tasks = tasks or TaskConfig()
    trials: Sequence[int] = sorted({int(t) for s in STAGES for t in stages.get(s, [])})
    rows = []
    for t in trials:
        rows.append(perf_by_distance(pair_performance(store.weights(t), noise_seed, tasks)))
        release_memory()
    n_dist = tasks.n_eachring // 2 + 1
    per_ckpt = np.array(rows, dtype=np.float64).reshape(len(trials), n_dist)
    index = {t: i for i, t in enumerate(trials)}
    stage_perf = np.array(
        [per_ckpt[[index[int(t)] for t in stages[s]]].mean(axis=0) if stages.get(s) else np.full(n_dist, np.nan) for s in STAGES]
    )
    return xr.Dataset(
        {
            "perf_checkpoint": (
                ("checkpoint", "distance"),
                per_ckpt,
                {"long_name": "ODRD fraction correct, mean over cue/distractor pairs", "units": "1"},
            ),
            "perf": (
                ("stage", "distance"),
                stage_perf,
                {"long_name": "ODRD fraction correct, mean over the stage's checkpoints", "units": "1"},
            ),
            "n_checkpoints": (
                ("stage",),
                np.array([len(stages.get(s, [])) for s in STAGES], dtype=np.int64),
                {"long_name": "checkpoints per stage", "units": "1"},
            ),
        },
        coords={
            "checkpoint": np.asarray(trials, dtype=np.int64),
            "stage": list(STAGES),
            "distance": (
                "distance",
                np.arange(n_dist),
                {"long_name": "distractor distance from the cue", "units": f"{360 // tasks.n_eachring} deg"},
            ),
        },
    )
