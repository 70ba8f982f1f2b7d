"""Shared tiny parameter sets for fast learning-to-learn tests, and the offline mirror of the authors' files.

The authors' results (``f1_perfFit.mat``, ``f5And6_*.mat`` of xjwanglab/learning-2-learn @ 1478e3b) are fetched
through the real pooch path with their registry hashes, copied from the mirror folder: ``$PAPERREPRO_MIRROR`` as
set when the tests start (CI sets ``../shared/authors``; a relative path is taken relative to the project root),
else ``<project root>/../shared/authors`` if it exists. The root conftest removes the variable from every test's
environment, so it is read here at import time and set again by the ``authors_mirror`` fixture. Without a mirror
the comparisons are skipped, except under CI (``CI`` set), where that is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperrepro.core import paths
from paperrepro.core.fetch import MIRROR_ENV
from paperrepro.learning_to_learn.params import Params

_AUTHORS_FILES = ["f1_perfFit.mat", "f5And6_All.mat"] + [f"f5And6_seed_{s}.mat" for s in range(10)]


def _find_mirror() -> Path | None:
    root = paths.project_root()
    given = os.environ.get(MIRROR_ENV)
    candidates = [Path(given) if Path(given).is_absolute() else root / given] if given else []
    candidates.append(root.parent / "shared" / "authors")
    return next((c.resolve() for c in candidates if all((c / n).is_file() for n in _AUTHORS_FILES)), None)


MIRROR = _find_mirror()


@pytest.fixture
def authors_mirror(monkeypatch) -> Path:
    """Point the fetcher at the mirror of the authors' files (skip without one, fail under CI)."""
    if MIRROR is None:
        message = f"no mirror of the authors' files: set {MIRROR_ENV} to a folder holding {', '.join(_AUTHORS_FILES)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv(MIRROR_ENV, str(MIRROR))
    return MIRROR


@pytest.fixture
def short_params() -> Params:
    """Short trials (300 steps) with the published timing proportions."""
    return Params(n_steps=300, stim_steps=60, fixation_steps=200, grace_steps=20, compute_dtype="float64")


@pytest.fixture
def tiny_train_params() -> Params:
    """Short trials and an easy criterion so that problems are solved in a few trials."""
    return Params(
        n_steps=120, stim_steps=30, fixation_steps=80, grace_steps=10, lr=1e-2,
        criterion=0.9, criterion_window=5, max_trials=300, n_problems=4, batch_seeds=2,
        pert_base_problems=3, pert_problems=2, pert_max_trials=300, compute_dtype="float64", source="train",
    )
