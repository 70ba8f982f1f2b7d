"""Ctrl-C during oculomotor training: one line saying where it resumes, exit 130, nothing half-written, exact resume."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from paperrepro.oculomotor import train as train_module
from paperrepro.oculomotor.train import (
    TrainConfig,
    TrainingInterrupted,
    list_checkpoints,
    load_checkpoint,
    run_cli,
    train,
)

SMALL = TrainConfig(rules=("overlap", "odrd"), n_rnn=16, batch_size=8, eval_every=3, eval_reps=2, eval_batch=4, max_trials=10_000)
PROG = "python -m paperrepro.toy.train"


def interrupt_at(monkeypatch, step: int) -> None:
    """Make the training step number ``step`` raise KeyboardInterrupt, as Ctrl-C would."""
    real = train_module._train_step

    def step_or_interrupt(run):
        if run.step == step:
            raise KeyboardInterrupt
        return real(run)

    monkeypatch.setattr(train_module, "_train_step", step_or_interrupt)


def cli(run_dir, argv=()):
    return run_cli(PROG, "toy", {"small": lambda seed: SMALL}, lambda model, seed: run_dir, list(argv))


def test_train_raises_where_it_stopped_and_resumes(tmp_path, monkeypatch):
    interrupt_at(monkeypatch, 7)
    with pytest.raises(TrainingInterrupted) as info:
        train(tmp_path, SMALL, max_steps=12, progress=False)
    err = info.value
    assert isinstance(err, KeyboardInterrupt)
    assert (err.step, err.trials, err.resume_step, err.resume_trials) == (7, 56, 6, 48)
    assert "stopped at step 7 (56 trials); it resumes from step 6 (48 trials)" in str(err)


def test_cli_prints_one_line_exits_130_and_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    interrupt_at(monkeypatch, 4)
    assert cli(tmp_path / "run", ["--seed", "0"]) == 130
    captured = capsys.readouterr().err
    err = [line for line in captured.strip().splitlines() if not line.startswith("training:")]  # the progress bar
    assert len(err) == 1 and "Traceback" not in captured
    assert err[0].startswith("interrupted (Ctrl-C): training in ")
    assert err[0].endswith(
        f"stopped at 32 trials (step 4); `{PROG} --seed 0` resumes it from 24 trials (step 3, the last checkpoint)"
    )
    assert not list((tmp_path / "run").rglob("*.tmp"))
    assert [t for t, _ in list_checkpoints(tmp_path / "run")] == [0, 24]
    state = torch.load(tmp_path / "run" / "resume.pt", weights_only=False)
    assert state["step"] == 3


def test_interrupt_while_saving_keeps_the_previous_state(tmp_path, monkeypatch):
    train(tmp_path, SMALL, max_steps=4, progress=False)  # resume.pt at step 3
    real_save = torch.save

    def interrupted_save(obj, fh, *args, **kwargs):
        real_save(obj, fh, *args, **kwargs)
        raise KeyboardInterrupt  # after the bytes were produced, before the rename

    monkeypatch.setattr(torch, "save", interrupted_save)
    with pytest.raises(TrainingInterrupted) as info:
        train(tmp_path, SMALL, max_steps=9, progress=False)
    assert info.value.resume_step == 3
    monkeypatch.setattr(torch, "save", real_save)
    assert not list(tmp_path.rglob("*.tmp"))
    assert torch.load(tmp_path / "resume.pt", weights_only=False)["step"] == 3


def test_resume_after_ctrl_c_equals_an_uninterrupted_run(tmp_path, monkeypatch):
    full = train(tmp_path / "a", SMALL, max_steps=9, progress=False)
    with monkeypatch.context() as patch:
        interrupt_at(patch, 5)
        with pytest.raises(TrainingInterrupted):
            train(tmp_path / "b", SMALL, max_steps=9, progress=False)
    resumed = train(tmp_path / "b", SMALL, max_steps=9, progress=False)
    assert resumed["perf_min"] == full["perf_min"] and resumed["cost_odrd"] == full["cost_odrd"]
    a, b = (load_checkpoint(tmp_path / run / "checkpoints" / "72.npz") for run in ("a", "b"))
    for key in ("kernel", "bias", "w_out", "b_out"):
        np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--seed", "abc"], "error: argument --seed: expected an integer from 0 to 4294967295, got 'abc'"),
        (["--seed", "-3"], "error: argument --seed: expected an integer from 0 to 4294967295, got '-3'"),
        (["--epochs", "3"], "error: unrecognized arguments: --epochs 3"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(tmp_path, capsys, argv, expected):
    assert cli(tmp_path / "run", argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(expected) and err[0].endswith(f"see {PROG} --help")


def test_cli_run_folder_of_another_configuration_exits_2(tmp_path, capsys):
    train(
        tmp_path / "run",
        TrainConfig(rules=("odr",), n_rnn=8, batch_size=4, eval_every=2, eval_reps=1, eval_batch=4),
        max_steps=1,
        progress=False,
    )
    assert cli(tmp_path / "run") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds a run with a different configuration; use a new folder (--run-dir)" in err[0]
