"""Shared tiny parameter sets for fast learning-to-learn tests (the authors' mirror: ``authors_mirror`` of the root
conftest)."""

from __future__ import annotations

import pytest

from paperrepro.learning_to_learn.params import Params


@pytest.fixture
def short_params() -> Params:
    """Short trials (300 steps) with the published timing proportions."""
    return Params(n_steps=300, stim_steps=60, fixation_steps=200, grace_steps=20, compute_dtype="float64")


@pytest.fixture
def tiny_train_params() -> Params:
    """Short trials and an easy criterion so that problems are solved in a few trials."""
    return Params(
        n_steps=120,
        stim_steps=30,
        fixation_steps=80,
        grace_steps=10,
        lr=1e-2,
        criterion=0.9,
        criterion_window=5,
        max_trials=300,
        n_problems=4,
        batch_seeds=2,
        pert_base_problems=3,
        pert_problems=2,
        pert_max_trials=300,
        compute_dtype="float64",
        source="train",
    )
