"""Train the maturation paper's network: ``python -m paperrepro.maturation.train [--seed 0]``.

The paper configuration (docs/maturation.md): 256 units, the six tasks with the 1.5-s ODR, batch 64, Adam 1e-3
with element-wise clipping, an evaluation and checkpoint every 1,280 trials, stop at the first minimum perf above
0.95 (cap 3 M trials). Resumable after an interrupt. Cost: 25–60 min of one unloaded CPU core, depending on when the
seed leaves the ODR/ODRD chance plateau (docs/maturation.md). Then pin the stage checkpoints for the quick profile with
``python -m paperrepro.maturation.pin --profile quick --source retrained``.
"""

from __future__ import annotations

from pathlib import Path

from paperrepro.core import paths
from paperrepro.oculomotor.train import TrainConfig, run_cli


def paper_config(seed: int = 0) -> TrainConfig:
    """Return the training configuration of the paper's network (the :class:`TrainConfig` defaults)."""
    return TrainConfig(seed=seed)


def run_dir(seed: int = 0) -> Path:
    """Return the default run folder of one seed (the folder ``pin`` reads)."""
    return paths.data_dir() / "maturation" / "paper" / f"seed{seed}"


if __name__ == "__main__":
    raise SystemExit(
        run_cli("python -m paperrepro.maturation.train", __doc__, {"paper": paper_config}, lambda _model, seed: run_dir(seed))
    )
