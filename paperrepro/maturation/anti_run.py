"""The quick profile's live antisaccade run (docs/maturation.md).

Paper hyper-parameters except ``anti_n_rnn`` units (128) and a fixed length of ``anti_steps`` steps (1,600 =
102,400 trials, 81 checkpoints with the paper's evaluation); all six tasks are trained. The ODR tasks stay at chance
in that budget, so the stopping rule never fires; ``max_trials`` ends the run. Checkpoints stay in the data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..oculomotor.tasks import RULES_ALL_NEW
from ..oculomotor.train import TrainConfig, train
from .params import Params


def anti_train_config(params: Params) -> TrainConfig:
    """Training configuration of the live antisaccade run."""
    return TrainConfig(
        rules=RULES_ALL_NEW,
        n_rnn=params.anti_n_rnn,
        learning_rate=params.learning_rate,
        target_perf=params.target_perf,
        max_trials=params.anti_steps * 64,
        seed=params.anti_seed,
        rng_mode=params.rng_mode,
    )


def train_antisaccade(params: Params, run_dir: Path | str, *, progress: bool = True) -> dict[str, Any]:
    """Train (or resume) the live antisaccade run in ``run_dir``; returns the training log."""
    return train(run_dir, anti_train_config(params), progress=progress)
