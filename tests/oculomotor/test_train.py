"""Training loop: log/checkpoint layout, stopping, bit-identical resume."""

import json

import numpy as np
import pytest
import torch

from paperrepro.oculomotor.train import TrainConfig, growth_label, list_checkpoints, load_checkpoint, train

SMALL = TrainConfig(rules=("overlap", "odrd"), n_rnn=16, batch_size=8, eval_every=3, eval_reps=2, eval_batch=4, max_trials=10_000)


def test_log_and_checkpoints(tmp_path):
    log = train(tmp_path, SMALL, max_steps=6, progress=False)
    assert log["trials"] == [0, 24, 48]
    assert [t for t, _ in list_checkpoints(tmp_path)] == [0, 24, 48]
    ckpt = load_checkpoint(tmp_path / "checkpoints" / "24.npz")
    assert ckpt["step"] == 3 and ckpt["kernel"].shape == (15 + 16, 16) and ckpt["kernel"].dtype == np.float32
    assert json.loads((tmp_path / "log.json").read_text())["trials"] == [0, 24, 48]
    for rule in SMALL.rules:
        perf = np.array(log["perf_" + rule])
        assert np.all(np.isclose(perf * 8, np.round(perf * 8)))  # multiples of 1/(eval trials)
        assert len(log["cost_" + rule]) == 3
    assert log["perf_min"] == [min(a, b) for a, b in zip(log["perf_overlap"], log["perf_odrd"], strict=True)]
    assert not list(tmp_path.rglob("*.tmp"))
    untrained = load_checkpoint(tmp_path / "checkpoints" / "0.npz")
    assert not np.array_equal(untrained["kernel"], ckpt["kernel"])


def test_resume_is_bit_identical(tmp_path):
    full = train(tmp_path / "a", SMALL, max_steps=9, progress=False)
    train(tmp_path / "b", SMALL, max_steps=4, progress=False)  # interrupted between evaluations
    resumed = train(tmp_path / "b", SMALL, max_steps=9, progress=False)
    assert resumed["perf_min"] == full["perf_min"] and resumed["cost_odrd"] == full["cost_odrd"]
    a = load_checkpoint(tmp_path / "a" / "checkpoints" / "72.npz")
    b = load_checkpoint(tmp_path / "b" / "checkpoints" / "72.npz")
    for key in ("kernel", "bias", "w_out", "b_out"):
        np.testing.assert_array_equal(a[key], b[key])
    with pytest.raises(ValueError):
        train(tmp_path / "a", TrainConfig(n_rnn=8), progress=False)


def test_stopping_rules(tmp_path):
    # target below chance level: stops right after the first evaluation
    log = train(
        tmp_path / "t",
        TrainConfig(rules=("overlap",), n_rnn=8, batch_size=4, eval_every=2, eval_reps=1, eval_batch=8, target_perf=-1.0),
        progress=False,
    )
    assert log["trials"] == [0] and log["finished"] == 1
    # continue_after_target: stop after n_target_evals evaluations above target
    log = train(
        tmp_path / "c",
        TrainConfig(
            rules=("overlap",),
            n_rnn=8,
            batch_size=4,
            eval_every=2,
            eval_reps=1,
            eval_batch=8,
            target_perf=-1.0,
            continue_after_target=True,
            n_target_evals=3,
        ),
        progress=False,
    )
    assert log["trials"] == [0, 8, 16]
    # max_trials cap
    log = train(
        tmp_path / "m",
        TrainConfig(rules=("overlap",), n_rnn=8, batch_size=4, eval_every=2, eval_reps=1, eval_batch=8, max_trials=16),
        progress=False,
    )
    assert log["trials"] == [0, 8, 16] and log["hit_max_trials"] == 1
    # finished runs return their log without training
    assert train(
        tmp_path / "m",
        TrainConfig(rules=("overlap",), n_rnn=8, batch_size=4, eval_every=2, eval_reps=1, eval_batch=8, max_trials=16),
        progress=False,
    )["trials"] == [0, 8, 16]


def test_separate_eval_rng_and_generator(tmp_path):
    cfg = TrainConfig(
        rules=("gap",),
        n_rnn=8,
        batch_size=4,
        eval_every=2,
        eval_reps=1,
        eval_batch=8,
        rng_mode="separate_eval",
        task_rng="generator",
        max_trials=100,
    )
    log = train(tmp_path, cfg, max_steps=4, progress=False)
    assert len(log["trials"]) == 3
    assert TrainConfig.from_json(cfg.to_json()) == cfg


def test_growth_label():
    th = (0.35, 0.65, 0.95)
    assert [growth_label(p, th) for p in (0.35, 0.5, 0.95, 0.96)] == ["=>E", "E=>MID", "MID=>A", "MATURE"]


@pytest.mark.slow
def test_antisaccade_tasks_learn(tmp_path):
    """Overlap alone, 64 units: from chance (0.2) to > 0.9 within 1,200 steps (≈ 25 s; measured 1.0 at 900)."""
    torch.set_num_threads(1)
    cfg = TrainConfig(rules=("overlap",), n_rnn=64, eval_every=100, max_trials=1200 * 64)
    log = train(tmp_path, cfg, progress=False)
    assert log["perf_overlap"][0] < 0.3 and max(log["perf_overlap"]) > 0.9
