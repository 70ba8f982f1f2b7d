"""Trained runs shared by several figures, memoised as resumable checkpoints in the data folder.

Runs live in ``<data_dir>/learning_to_learn/runs/<key>/`` where ``key`` hashes every parameter
that changes a network's trajectory.  Run sizes (seeds, number of problems, batching) are not part
of the key: a member's checkpoint is reused, and a longer profile extends a shorter one's runs
(per-seed results do not depend on batching up to BLAS rounding).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from paperrepro.core.config import RunContext

from .params import Params
from .train import Member, train_full, train_perturbation

__all__ = ["run_key", "full_runs", "perturbation_runs"]

_SIZE_FIELDS = ("seeds", "n_problems", "batch_seeds", "pert_seeds", "pert_problems", "kernel")


def run_key(params: Params) -> str:
    """16-hex-digit key of the parameters that shape a training trajectory."""
    record = {k: v for k, v in dataclasses.asdict(params).items() if k not in _SIZE_FIELDS}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]


def full_runs(ctx: RunContext, progress: bool = True) -> dict[int, Member]:
    """Full runs of ``ctx.params.seeds`` (trained or resumed from the data folder)."""
    params: Params = ctx.params
    folder = ctx.data_path("runs", run_key(params), "full")
    return train_full(tuple(params.seeds), params, checkpoint_dir=folder, progress=progress)


def perturbation_runs(ctx: RunContext, progress: bool = True) -> dict[tuple[int, str], Member]:
    """Manifold-perturbation runs of ``ctx.params.pert_seeds`` (trained or resumed)."""
    params: Params = ctx.params
    folder = ctx.data_path("runs", run_key(params), "perturbation")
    return train_perturbation(tuple(params.pert_seeds), params, checkpoint_dir=folder, progress=progress)
