"""Activity of the learning-to-learn networks for ``python -m paperrepro.learning_to_learn activity``.

See :mod:`paperrepro.activity` for the conventions. Networks: ``seed<s>`` for every seed of the profile. Stages:
``problem<k>``, the network as it was when it had solved problem k (the per-problem weights ``p<k>.npz`` that
training keeps, :mod:`paperrepro.learning_to_learn.train`), tested on problem k's two images. Default stage: the
last problem trained.

Weights are read from, in order: the profile's run folder (:func:`paperrepro.learning_to_learn.runs.run_folder`);
any other run folder under ``<data>/learning_to_learn/runs`` whose summary of that seed records the same
``trajectory_key`` (a run of the same hyper-parameters made by an earlier version of the code); else the command
trains the first :data:`FALLBACK_PROBLEMS` problems into the profile's run folder (about two CPU-minutes per
network; ``python -m paperrepro.learning_to_learn train`` later resumes from them, since the number of problems is
not part of a run's key).

Trials (Goudar et al. 2023, delayed sensorimotor association; original ``train.py::generateData``): 2,000 steps of
1 ms: image k with the fixation input for 0-500 ms (``cue``), the fixation input alone until 1,500 ms (``delay``),
no input after it (``go``); the stimulus alternates 0, 1, 0, … over the trials. Each trial gets its own
Ornstein-Uhlenbeck recurrent noise (``sigma_rec``, as in training) from ``numpy.random.default_rng(seed)``. The
rates r_t are stored every :data:`SAMPLE_MS` ms (the network's time constant is 100 ms). The read-out ``choice`` is
the class (0, 1 or 2 = fixate) with the largest mean output over the scored go steps (1,600-2,000 ms, after the
100-ms grace period of the loss); ``correct`` is ``choice == stimulus``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.activity import Exporter, activity_dataset, coord
from paperrepro.core.config import RunContext

from . import runs
from .network import PARAM_NAMES, ou_noise, simulate
from .task import trial_inputs

SAMPLE_MS = 10.0
FALLBACK_PROBLEMS = 2
DEFAULT_TRIALS = 32
EPOCHS = {"stimulus": "cue", "delay": "delay", "response": "go"}


def _history(folder: Path, seed: int) -> Path:
    return folder / "full" / f"full-s{seed}"


def _problems(history: Path) -> int:
    """Number of consecutive per-problem weight files p00001.npz, p00002.npz, … in ``history``."""
    n = 0
    while (history / f"p{n + 1:05d}.npz").is_file():
        n += 1
    return n


def history_folder(ctx: RunContext, seed: int) -> Path | None:
    """The folder of a seed's per-problem weights (see the module docstring), or ``None`` if no run has any."""
    own = _history(runs.run_folder(ctx), seed)
    if _problems(own):
        return own
    key = runs.trajectory_key(ctx.params)
    for folder in sorted((ctx.data_dir / "learning_to_learn" / "runs").glob("*")):
        summary = folder / f"summary-s{seed}.nc"
        if not summary.is_file() or not _problems(_history(folder, seed)):
            continue
        try:
            with xr.open_dataset(summary) as ds:
                if ds.attrs.get("trajectory_key") == key:
                    return _history(folder, seed)
        except (OSError, ValueError):
            continue
    return None


class LearningToLearnExporter(Exporter):
    """Networks ``seed<s>``; stages ``problem<k>``."""

    paper = "learning_to_learn"
    default_trials = DEFAULT_TRIALS

    def how_to_make(self, ctx: RunContext) -> str:
        """The training command."""
        return f"python -m paperrepro.learning_to_learn train --profile {ctx.profile}"

    def networks(self, ctx: RunContext) -> list[str]:
        """``seed<s>`` for every seed of the profile."""
        return [f"seed{s}" for s in ctx.params.seeds]

    def stages(self, ctx: RunContext, network: str) -> list[str]:
        """``problem1..problem<n>``: the problems trained (or the fallback's, before it runs)."""
        folder = history_folder(ctx, int(network.removeprefix("seed")))
        n = _problems(folder) if folder is not None else FALLBACK_PROBLEMS
        return [f"problem{k}" for k in range(1, n + 1)]

    def default_stages(self, ctx: RunContext, network: str) -> list[str]:
        """The last problem trained."""
        return self.stages(ctx, network)[-1:]

    def _weights(self, ctx: RunContext, seed: int, problem: int) -> tuple[dict[str, np.ndarray], str]:
        folder = history_folder(ctx, seed)
        source = "retrained"
        if folder is None:
            from .train import train_full

            params = dataclasses.replace(ctx.params, seeds=(seed,), n_problems=FALLBACK_PROBLEMS, batch_seeds=1)
            train_full((seed,), params, checkpoint_dir=runs.run_folder(ctx) / "full", progress=False)
            folder = _history(runs.run_folder(ctx), seed)
            source = f"retrained here (first {FALLBACK_PROBLEMS} problems)"
        with np.load(folder / f"p{problem:05d}.npz") as data:
            return {name: np.asarray(data[name], dtype=np.float64) for name in data.files}, source

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """``n_trials`` noisy trials of problem k with the weights after problem k."""
        p = ctx.params
        net_seed, problem = int(network.removeprefix("seed")), int(stage.removeprefix("problem"))
        entry, source = self._weights(ctx, net_seed, problem)
        weights = {k: entry[k] for k in PARAM_NAMES}
        stimulus = np.arange(n_trials) % 2
        u = np.stack([trial_inputs(entry["images"][s], p) for s in stimulus])
        noise = ou_noise(np.random.default_rng(seed), p, (n_trials,))
        rates = simulate(weights, u, p, noise)  # (trials, T, N)
        scored = slice(p.fixation_steps + p.grace_steps, p.n_steps)
        output = rates[:, scored] @ weights["w_out"] + weights["b_out"]
        choice = np.argmax(output.mean(axis=1), axis=1)
        every = int(round(SAMPLE_MS / p.dt))
        steps = np.arange(0, p.n_steps, every)
        task_epoch = np.where(steps < p.stim_steps, "stimulus", np.where(steps < p.fixation_steps, "delay", "response"))
        ds = activity_dataset(
            rates[:, steps],
            time=steps * p.dt,
            task_epoch=task_epoch,
            epoch_map=EPOCHS,
            trials={
                "stimulus": coord(stimulus, "image shown (0 or 1); the correct response class"),
                "choice": coord(choice, "read-out class with the largest mean output over 1,600-2,000 ms (2 = fixate)"),
                "correct": coord(choice == stimulus, "choice equals the stimulus"),
                "problem": coord(np.full(n_trials, problem), "problem whose images are shown"),
            },
            rate_units="1",
            rate_long_name="rate r_t of the leaky softplus RNN",
        )
        ds.attrs.update(
            checkpoint=f"weights after problem {problem} of network seed {net_seed}",
            source=source,
            problem=int(problem),
            sample_ms=float(SAMPLE_MS),
            noise=f"Ornstein-Uhlenbeck recurrent noise, sigma_rec {p.sigma_rec:g}, seed",
        )
        return ds


EXPORTER = LearningToLearnExporter()
