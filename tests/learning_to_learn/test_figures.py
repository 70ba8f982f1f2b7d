"""Every figure computes and plots on a tiny profile; reference files parse; slow smoke assertions."""

from __future__ import annotations

import dataclasses

import matplotlib
import numpy as np
import pytest

from paperrepro.core import reference
from paperrepro.core.config import RunContext
from paperrepro.learning_to_learn import train
from paperrepro.learning_to_learn.figures import REGISTRY
from paperrepro.learning_to_learn.params import Params

matplotlib.use("Agg")


def test_all_figures_compute_and_plot(tiny_train_params, tmp_path):
    params = dataclasses.replace(tiny_train_params, n_problems=52, seeds=(0, 1))
    ctx = RunContext("learning_to_learn", "tiny", params, data_dir=tmp_path)
    for name in REGISTRY.names:
        fig = REGISTRY.get(name)
        ds = fig.compute(ctx)
        assert ds.nbytes < 1_000_000
        fig.plot(ds)
        checks = reference.load_checks(fig.reference_file)
        assert checks
        reference.evaluate(ds, checks, "tiny")  # every referenced variable exists
        matplotlib.pyplot.close("all")
    # second call reuses the checkpoints (no retraining: identical trials)
    again = REGISTRY.get("fig1").compute(ctx)
    np.testing.assert_array_equal(again.trials.values, REGISTRY.get("fig1").compute(ctx).trials.values)


@pytest.mark.slow
def test_smoke_profile_learning_to_learn():
    """Spec §11 smoke: seed 0, 11 problems."""
    params = Params(seeds=(0,), n_problems=11, batch_seeds=1)
    conv = np.array(train.train_full((0,), params, progress=False)[0].conv)
    assert not np.isnan(conv).any()
    assert 1500 <= conv[0] <= 6000
    assert conv[1:].mean() <= conv[0] / 5
