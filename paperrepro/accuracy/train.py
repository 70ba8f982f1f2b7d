"""Train the accuracy paper's models: ``python -m paperrepro.accuracy.train [--model 8loc_odr3000] [--seed 0]``.

Models (the original's ``Main_training.py``), all 256 units, the six tasks, batch 64, Adam 1e-3 with element-wise clipping, an
evaluation and checkpoint every 1,280 trials, stop at the first minimum perf above 0.995 (``hp['target_perf']`` of
the original's ``Main_training.py``; cap 1.5 M trials):

* ``8loc_odr3000`` — 8 ring locations, the 3-s ODR (``odr3000``): every figure but ``heatmap360``.
  Cost: 1–3 h of one CPU core (seed-dependent take-off, docs/accuracy.md, "Seeds").
* ``360loc_odr`` — 360 ring locations, the 1.5-s ODR (``odr``; the original's ``Main_training.py`` ruleset with
  ``n_eachring = 360``, seed 0): ``heatmap360`` and the 360-location panel of ``input_weights``.

A run resumes from its folder after an interrupt (see :mod:`paperrepro.oculomotor.train`). Then pin the stage
checkpoints with ``python -m paperrepro.accuracy.pin``.
"""

from __future__ import annotations

from pathlib import Path

from paperrepro.core import paths
from paperrepro.oculomotor.tasks import RULES_ALL_NEW, RULES_ALL_NEW_ODR3000
from paperrepro.oculomotor.train import TrainConfig, run_cli

TARGET_PERF = 0.995
MAX_TRIALS = 1_500_000
MODEL_8LOC, MODEL_360LOC = "8loc_odr3000", "360loc_odr"
#: model name -> (ODR ruleset, ring locations)
MODELS: dict[str, tuple[tuple[str, ...], int]] = {
    MODEL_8LOC: (RULES_ALL_NEW_ODR3000, 8),
    MODEL_360LOC: (RULES_ALL_NEW, 360),
}


def paper_config(seed: int = 0, model: str = MODEL_8LOC) -> TrainConfig:
    """Return the training configuration of one of the paper's models (see :data:`MODELS`)."""
    rules, n_eachring = MODELS[model]
    return TrainConfig(rules=rules, n_eachring=n_eachring, seed=seed, target_perf=TARGET_PERF, max_trials=MAX_TRIALS)


def run_dir(seed: int = 0, model: str = MODEL_8LOC) -> Path:
    """Return the default run folder of one model and seed."""
    return paths.data_dir() / "accuracy" / "paper" / f"{model}_seed{seed}"


if __name__ == "__main__":
    configs = {model: (lambda seed, model=model: paper_config(seed, model)) for model in MODELS}
    raise SystemExit(run_cli("python -m paperrepro.accuracy.train", __doc__, configs, lambda model, seed: run_dir(seed, model)))
