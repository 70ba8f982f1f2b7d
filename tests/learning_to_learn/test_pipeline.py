"""The paper-run pipeline end to end at a tiny scale: train through the executors, pin, figures from the pins.

2 networks × 3 problems (short trials, easy criterion) stand in for 10 × 1,001; the pins go to a temporary copy of
the paper folder, never to ``paperrepro/learning_to_learn/pinned/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil

import numpy as np
import pytest

from paperrepro.core import paths
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError, UsageError
from paperrepro.learning_to_learn import commands, runs
from paperrepro.learning_to_learn.figures import REGISTRY

PAPER = "learning_to_learn"


@pytest.fixture
def paper_folder(tmp_path, monkeypatch):
    """A temporary paper folder (registry copy without the pinned runs, empty pinned/) that the fetcher and the pin
    step use: the tests pin their own runs, whether or not the paper's are pinned."""
    real = paths.paper_dir(PAPER)
    folder = tmp_path / "paper"
    (folder / "pinned").mkdir(parents=True)
    lines = (real / "registry.txt").read_text().splitlines()
    kept = [ln for ln in lines if ln.split("#", 1)[0].split()[2:3] != ["committed"]]
    (folder / "registry.txt").write_text("\n".join(kept) + "\n")
    original = paths.paper_dir
    monkeypatch.setattr(paths, "paper_dir", lambda paper: folder if paper == PAPER else original(paper))
    return folder


def _ctx(params, data_dir, **kw) -> RunContext:
    return RunContext(PAPER, "tiny", params, data_dir=data_dir, **kw)


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"seeds": None, "report_every": 0.05, "skip_fig7": False, "kinds": None, **kw})


def test_train_pin_and_build_from_the_pins(tiny_train_params, tmp_path, paper_folder, authors_mirror, capsys):
    params = dataclasses.replace(tiny_train_params, seeds=(0, 1), n_problems=3, pert_seeds=(0, 1), cvfc_last_problem=3)
    # one process per network (the paper run's --jobs 2); the rest in this process
    assert commands._train(_args(skip_fig7=True), _ctx(params, tmp_path / "data", executor="local", jobs=2)) == 0
    trained = _ctx(params, tmp_path / "data")
    out = capsys.readouterr().out
    assert "ETA" in out and "2/2 networks done" in out
    summary = runs.full_units(trained)[0].summary_path
    stamp = summary.stat().st_mtime_ns
    assert commands._train(_args(), trained) == 0  # adds the Fig. 7 analysis
    assert summary.stat().st_mtime_ns == stamp  # a finished network is not retrained or re-summarised
    assert commands._perturb(_args(), trained) == 0

    assert commands._pin(_args(), trained) == 0
    registry = runs.read_registry(PAPER)
    for kind in runs.KINDS:
        for seed in (0, 1):
            name = runs.pinned_name(kind, seed)
            assert registry[name][1] == "committed" and (paper_folder / "pinned" / name).is_file()
    pinned_ds = runs.load_summaries(params, "full", (0,))[0]
    assert pinned_ds.attrs["git_commit"] and "python" in pinned_ds.attrs["environment"]
    assert "pin --profile tiny" in pinned_ds.attrs["pin_command"] and pinned_ds.attrs["train_wall_s"] > 0

    # the figures built from the pins (a fresh data folder: nothing to train from) equal those built from training
    from_pins = _ctx(dataclasses.replace(params, source="pinned"), tmp_path / "other")
    for name in ("fig1", "fig2", "fig3", "fig5_6", "fig7"):
        live = REGISTRY.get(name).compute(trained)
        pinned = REGISTRY.get(name).compute(from_pins)
        for var in live.data_vars:
            np.testing.assert_array_equal(pinned[var].values, live[var].values, err_msg=f"{name}.{var}")
    assert not (tmp_path / "other" / PAPER / "runs").exists()


def test_pinned_summaries_are_checked(tiny_train_params, tmp_path, paper_folder):
    params = dataclasses.replace(tiny_train_params, seeds=(0,), n_problems=2, source="pinned")
    with pytest.raises(DataError, match="not registered.*source: train"):
        runs.load_summaries(params, "full", (0,))
    ctx = _ctx(dataclasses.replace(params, source="train"), tmp_path / "data")
    runs.run_units(runs.full_units(ctx), ctx)
    ((path, _),) = runs.pin(ctx, ("full",))
    assert runs.load_summaries(params, "full", (0,))[0].trials.size == 2
    with pytest.raises(DataError, match="n_problems = 2"):  # a longer profile than the pinned run
        runs.load_summaries(dataclasses.replace(params, n_problems=5), "full", (0,))
    with pytest.raises(DataError, match="other parameters"):  # another trajectory
        runs.load_summaries(dataclasses.replace(params, lr=2e-2), "full", (0,))
    # changing perturbation settings leaves the full runs valid
    runs.load_summaries(dataclasses.replace(params, pert_max_trials=123), "full", (0,))
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    path.write_bytes(bytes(raw))
    shutil.rmtree(tmp_path / "data" / PAPER / "downloads", ignore_errors=True)
    with pytest.raises(DataError, match="hash"):
        runs.load_summaries(params, "full", (0,))


def test_run_key_covers_kernel_and_code_but_not_sizes(tiny_train_params):
    p = tiny_train_params
    key = runs.run_key(p)
    assert runs.run_key(dataclasses.replace(p, seeds=(5,), n_problems=99, source="pinned")) == key
    assert runs.run_key(dataclasses.replace(p, kernel="numpy")) != runs.run_key(dataclasses.replace(p, kernel="c"))
    assert runs.run_key(dataclasses.replace(p, pert_max_trials=7)) == key
    assert runs.run_key(dataclasses.replace(p, pert_max_trials=7), "perturbation") != runs.run_key(p, "perturbation")
    text = (paths.PACKAGE_DIR / PAPER / "train.py").read_text()
    sources = {"train": text}
    base = runs.fingerprint(sources)
    assert runs.fingerprint({"train": text + "\n# a comment\n"}) == base  # comments do not change the key
    assert runs.fingerprint({"train": text.replace('"""Training loop', '"""Edited training loop', 1)}) == base
    assert runs.fingerprint({"train": text.replace("failed = bool(", "failed = not bool(")}) != base  # code does
    assert runs.code_fingerprint() == runs.fingerprint(
        {n: (paths.PACKAGE_DIR / PAPER / f"{n}.py").read_text() for n in runs.TRAINING_MODULES}
    )


def test_command_arguments_are_validated(tiny_train_params, tmp_path):
    ctx = _ctx(tiny_train_params, tmp_path)
    with pytest.raises(UsageError, match="unknown seed"):
        commands._train(_args(seeds="7"), ctx)
    with pytest.raises(UsageError, match="comma-separated"):
        commands._perturb(_args(seeds="a"), ctx)
    with pytest.raises(UsageError, match="unknown kind"):
        commands._pin(_args(kinds="weights"), ctx)
    with pytest.raises(UsageError, match="nothing to pin"):
        commands._pin(_args(), ctx)
    with pytest.raises(UsageError, match="--seed 3"):  # the networks are the profile's seeds, never relabelled
        REGISTRY.get("fig1").compute(_ctx(tiny_train_params, tmp_path, seed=3))


def test_expected_trials_follow_the_authors_mean_fit():
    # problem 1 about 3,000 trials; problem 2 SC + AS + 50 trials; far problems AS + 50
    assert commands.expected_trials(1, 1) == pytest.approx(3000.0)
    assert commands.expected_trials(2, 2) == pytest.approx(141.1 + 22.66 + 50)
    assert commands.expected_trials(1000, 1000) == pytest.approx(22.66 + 50, rel=1e-6)


def test_interrupt_says_where_training_resumes(tiny_train_params, tmp_path, monkeypatch, capsys):
    def interrupted(units, ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(runs, "run_units", interrupted)
    assert commands._train(_args(), _ctx(tiny_train_params, tmp_path)) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "resume every network from its last finished problem" in err
