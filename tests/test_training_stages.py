"""Training as frozen DVC stages: the pinned folders are their outputs, ``retrain`` runs them (core.training)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr
import yaml

from paperrepro.core import training
from paperrepro.core.pipeline import render_dvc_yaml
from paperrepro.core.training import TRAINING_STAGES, TrainingStage, commands_for, dvc_stage, retrain

ROOT = Path(__file__).resolve().parents[1]


def _stages() -> dict:
    return yaml.safe_load(render_dvc_yaml())["stages"]


def test_every_pinned_folder_is_the_output_of_a_frozen_training_stage():
    stages = _stages()
    pinned = sorted(p.parent.name for p in (ROOT / "paperrepro").glob("*/pinned"))
    assert pinned, "no paper has pinned networks"
    for paper in pinned:
        stage = stages[f"train-{paper}"]
        assert stage["frozen"] is True
        assert stage["outs"] == [{f"paperrepro/{paper}/pinned": {"cache": False}}]
        assert stage["cmd"] == list(training.training_stage(paper).commands)


def test_figure_stages_depend_on_the_pinned_folder_of_their_paper():
    stages = _stages()
    for name, stage in stages.items():
        paper = name.split("-", 1)[0]
        if name.startswith("train-") or name == "report" or f"train-{paper}" not in stages:
            continue
        pinned = f"paperrepro/{paper}/pinned"
        assert any(pinned == dep or pinned.startswith(dep + "/") for dep in stage["deps"]), name


def test_training_deps_are_code_and_never_their_own_output():
    stage = dvc_stage(training.training_stage("learning_to_learn"), ROOT)
    code = [dep for dep in stage["deps"] if dep.startswith("paperrepro/learning_to_learn/")]
    assert "paperrepro/learning_to_learn/train.py" in code
    assert all(Path(dep).suffix in {".py", ".c"} and "/pinned" not in dep for dep in code)


def test_dvc_lock_records_the_pinned_files_of_every_training_stage():
    lock = yaml.safe_load((ROOT / "dvc.lock").read_text())["stages"]
    for stage in TRAINING_STAGES:
        if (ROOT / stage.pinned).is_dir():
            outs = lock[stage.name]["outs"]
            assert [o["path"] for o in outs] == [stage.pinned]
            assert outs[0]["md5"].endswith(".dir")


def test_commands_substitute_the_profile():
    stage = training.training_stage("memory_factors")
    assert all("${profile}" not in c for c in commands_for(stage, "paper"))
    assert any("--profile paper" in c for c in commands_for(stage, "paper"))


def test_retrain_of_a_paper_without_training_stage_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "paperrepro", "retrain", "rotational"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "invalid choice: 'rotational'" in result.stderr and "learning_to_learn" in result.stderr


def test_retrain_stops_at_the_first_failing_command(tmp_path, monkeypatch, capsys):
    marker = tmp_path / "ran"
    stage = TrainingStage("toy", ("exit 3", f"touch {marker}"), (), "seconds")
    monkeypatch.setattr(training, "TRAINING_STAGES", (stage,))
    assert retrain(["toy"], "quick", root=tmp_path) == 3
    assert not marker.exists()
    assert "failed with exit code 3" in capsys.readouterr().out


@pytest.mark.slow
def test_retraining_learning_to_learn_reproduces_its_pinned_summary(tmp_path, monkeypatch):
    """Retrain network 0 of the quick profile (≈ 5 min on one core) and compare it with the pinned summary.

    On this kind of machine the summary's data are bit-identical; its provenance attributes (wall times, command)
    differ by nature.
    """
    import dataclasses

    from paperrepro.core.config import RunContext, load_params
    from paperrepro.learning_to_learn import runs
    from paperrepro.learning_to_learn.params import Params

    pinned = xr.open_dataset(ROOT / "paperrepro/learning_to_learn/pinned/full_seed0.nc")
    _, params = load_params("learning_to_learn", Params, "quick")
    params = dataclasses.replace(params, seeds=(0,), source="train", batch_seeds=1)
    ctx = RunContext("learning_to_learn", "quick", params, data_dir=tmp_path)
    retrained = runs.run_units(runs.full_units(ctx), ctx)[0]
    xr.testing.assert_identical(pinned.drop_attrs(), retrained.drop_attrs())
    assert retrained.attrs["trajectory_key"] == pinned.attrs["trajectory_key"]


def test_a_figure_stage_announces_its_place_in_the_build(tmp_path, monkeypatch, capsys):
    from paperrepro.core.cli import announce_stage
    from paperrepro.core.pipeline import stage_position

    (tmp_path / "dvc.yaml").write_text(
        yaml.safe_dump({"stages": {"train-x": {"cmd": "t", "frozen": True}, "x-a": {"cmd": "a"}, "x-b": {"cmd": "b"}}})
    )
    assert stage_position("x-b", tmp_path) == (2, 2)
    assert stage_position("train-x", tmp_path) is None and stage_position("x-a", tmp_path / "none") is None
    monkeypatch.setenv("PAPERREPRO_ROOT", str(tmp_path))
    monkeypatch.setenv("DVC_STAGE", "x-a")
    announce_stage()
    assert capsys.readouterr().out == "[stage 1/2] x-a\n"
    monkeypatch.delenv("DVC_STAGE")
    announce_stage()
    assert capsys.readouterr().out == ""
