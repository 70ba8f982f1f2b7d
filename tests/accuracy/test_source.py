"""Checkpoint selection (docs/accuracy.md, Developmental stages) on synthetic logs and the fake run folder."""

import numpy as np
import pytest

from paperrepro.accuracy.source import Model, model_from_run, select
from paperrepro.oculomotor.performance import group_by_stage, spread_pick

from .synthetic import fake_run


def _model(perf):
    trials = np.arange(len(perf)) * 1280
    return Model("m", 8, 0, trials, {"odr3000": np.asarray(perf, float), "odrd": np.asarray(perf, float)}, lambda t: {})


def test_spread_pick_and_group_by_stage():
    assert spread_pick(list(range(30)), 5) == [0, 7, 14, 22, 29]
    assert spread_pick([1, 2, 3], 5) == [1, 2, 3] and spread_pick(list(range(9)), None) == list(range(9))
    out = group_by_stage([1, 2, 3, 3], [0.2, 0.5, 0.9, 0.9])
    assert out == {"early": [1], "mid": [2], "mature": [3, 3]}


def test_select_lists_singles_and_endpoint_labels():
    perf = [0.2] * 5 + [0.35] * 15 + [0.65] * 15 + [0.95] * 15
    sel = select(_model(perf), per_stage=5)
    full = sel.full_lists["odr3000"]
    assert all(len(sel.lists["odr3000"][s]) == 5 for s in ("early", "mid", "mature"))
    assert full["mature"][0] == sel.singles["mature"]
    assert perf[sel.singles["early"] // 1280] == 0.35 and perf[sel.singles["mid"] // 1280] == 0.65
    labels = sel.endpoints
    assert sum(len(v) for v in labels.values()) == 15
    assert all(perf[t // 1280] > 0.65 for t in labels["mature"])
    assert set(sel.all_trials()) >= set(sel.singles.values())


def test_low_perf_checkpoints_leave_the_psth_lists():
    perf = [0.05] * 12 + [0.35] * 12
    sel = select(_model(perf), per_stage=None)
    assert all(perf[t // 1280] >= 0.1 for t in sel.lists["odr3000"]["early"])


def test_model_from_run(tmp_path):
    folder = fake_run(tmp_path / "run", n_evals=12)
    model = model_from_run(folder)
    assert model.trials.tolist() == [1280 * i for i in range(12)] and model.n_eachring == 8
    assert model.weights(1280)["kernel"].shape == (24, 9)
    assert model.perf_at("odrd", 0) == pytest.approx(model.perf["odrd"][0])
