"""Train the accuracy paper's 8-location model: ``python -m paperrepro.accuracy.train [--seed 0]``.

The paper configuration (spec accuracy §4): 256 units, the six tasks with the 3-s ODR (``odr3000``), batch 64,
Adam 1e-3 with element-wise clipping, an evaluation and checkpoint every 1,280 trials, stop at the first minimum
perf above 0.995. The run resumes from its folder after an interrupt (see :mod:`paperrepro.oculomotor.train`). Cost:
25–60 min of one CPU core when unloaded (seed-dependent take-off, spec §10.2). Then pin the stage checkpoints with
``python -m paperrepro.accuracy.pin --run data/accuracy/paper/8loc_odr3000_seed<seed>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from paperrepro.core import paths
from paperrepro.oculomotor.tasks import RULES_ALL_NEW_ODR3000
from paperrepro.oculomotor.train import TrainConfig, train

TARGET_PERF = 0.995
MAX_TRIALS = 1_500_000


def paper_config(seed: int = 0) -> TrainConfig:
    """Return the training configuration of the paper's ``8loc_odr3000`` model."""
    return TrainConfig(rules=RULES_ALL_NEW_ODR3000, seed=seed, target_perf=TARGET_PERF, max_trials=MAX_TRIALS)


def run_dir(seed: int = 0) -> Path:
    """Return the default run folder of one seed."""
    return paths.data_dir() / "accuracy" / "paper" / f"8loc_odr3000_seed{seed}"


def main(argv: list[str] | None = None) -> int:
    """Train (or resume) the model and return 0."""
    parser = argparse.ArgumentParser(prog="python -m paperrepro.accuracy.train", description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--run-dir", type=Path, help="output folder (default data/accuracy/paper/8loc_odr3000_seed<seed>)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    train(args.run_dir or run_dir(args.seed), paper_config(args.seed), progress=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
