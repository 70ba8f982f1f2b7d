"""Pinning a (fake) training run into one bundle, registering it and reading it back."""

import hashlib
import json

import numpy as np
import pytest

from paperrepro.accuracy.pin import main, pin
from paperrepro.accuracy.source import model_from_bundle, model_from_run, select
from paperrepro.core.activity import read_netcdf
from paperrepro.core.errors import DataError

from .synthetic import fake_run


def test_pin_writes_registers_and_round_trips(tmp_path, capsys):
    run = fake_run(tmp_path / "run")
    registry = tmp_path / "registry.txt"
    registry.write_text("# comment\nold.nc sha256:00 committed\n")
    path, digest = pin(run, name="old.nc", folder=tmp_path / "pinned", registry=registry)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert registry.read_text().splitlines() == ["# comment", f"old.nc sha256:{digest} committed"]
    _, again = pin(run, name="old.nc", folder=tmp_path / "again", registry=registry)
    assert again == digest, "the bundle must be byte-for-byte reproducible"

    bundle, source = model_from_bundle(path), model_from_run(run)
    sel = select(source, per_stage=5)
    assert select(bundle, per_stage=5) == sel
    for t in sel.all_trials():
        for name, value in source.weights(t).items():
            np.testing.assert_array_equal(bundle.weights(t)[name], value)
    np.testing.assert_array_equal(bundle.perf["odr3000"], source.perf["odr3000"])
    assert "train --model 8loc_odr3000 --seed 0" in bundle.attrs["commands"]
    missing = next(int(t) for t in source.trials if int(t) not in sel.all_trials())
    with pytest.raises(DataError, match="not in the bundle"):
        bundle.weights(missing)


def test_pin_refuses_a_run_without_stages(tmp_path, capsys):
    run = fake_run(tmp_path / "run", n_evals=3)
    log = json.loads((run / "log.json").read_text())
    log["perf_odr3000"] = log["perf_odrd"] = [0.2, 0.2, 0.2]
    (run / "log.json").write_text(json.dumps(log))
    with pytest.raises(DataError, match="no stage checkpoints"):
        pin(run, name="x.nc", folder=tmp_path / "pinned", registry=tmp_path / "registry.txt")
    assert not (tmp_path / "registry.txt").exists()
    assert main(["--run", str(tmp_path / "nowhere")]) == 1
    assert "no training log" in capsys.readouterr().err


def test_the_360_location_bundle_holds_the_single_stage_checkpoints_only(tmp_path):
    run = fake_run(tmp_path / "run", odr_rule="odr")
    path, _ = pin(run, name="360.nc", model_name="360loc_odr", folder=tmp_path, registry=tmp_path / "registry.txt")
    bundle = model_from_bundle(path)
    sel = select(model_from_run(run, "360loc_odr"))
    assert bundle.name == "360loc_odr" and bundle.odr_rule == "odr" and sel.odr_rule == "odr"
    assert read_netcdf(path)["checkpoint"].values.tolist() == sorted(set(sel.singles.values()))
    assert set(sel.singles) == {"early", "mid", "mature"}
