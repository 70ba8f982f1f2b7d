"""Train the accuracy paper's 8-location model: ``python -m paperrepro.accuracy.train [--seed 0]``.

The paper configuration (spec accuracy §4): 256 units, the six tasks with the 3-s ODR (``odr3000``), batch 64,
Adam 1e-3 with element-wise clipping, an evaluation and checkpoint every 1,280 trials, stop at the first minimum
perf above 0.995. The run resumes from its folder after an interrupt (see :mod:`paperrepro.oculomotor.train`). Cost:
25–60 min of one CPU core when unloaded (seed-dependent take-off, spec §10.2). Then pin the stage checkpoints with
``python -m paperrepro.accuracy.pin --run data/accuracy/paper/8loc_odr3000_seed<seed>``.
"""

from __future__ import annotations

from pathlib import Path

from paperrepro.core import paths
from paperrepro.oculomotor.tasks import RULES_ALL_NEW_ODR3000
from paperrepro.oculomotor.train import TrainConfig, run_cli

TARGET_PERF = 0.995
MAX_TRIALS = 1_500_000


def paper_config(seed: int = 0) -> TrainConfig:
    """Return the training configuration of the paper's ``8loc_odr3000`` model."""
    return TrainConfig(rules=RULES_ALL_NEW_ODR3000, seed=seed, target_perf=TARGET_PERF, max_trials=MAX_TRIALS)


def run_dir(seed: int = 0) -> Path:
    """Return the default run folder of one seed."""
    return paths.data_dir() / "accuracy" / "paper" / f"8loc_odr3000_seed{seed}"


if __name__ == "__main__":
    raise SystemExit(run_cli("python -m paperrepro.accuracy.train", __doc__, paper_config, run_dir))
