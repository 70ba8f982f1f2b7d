"""Analysis range, stages, representatives (docs/maturation.md, M22) and pinning a run (docs/maturation.md)."""

import hashlib
import json

import numpy as np
import pytest

from paperrepro.core.errors import DataError
from paperrepro.maturation.pin import pin_run, update_registry
from paperrepro.maturation.stages import analysis_range, pin_selection, representatives, stage_sets, take_off
from paperrepro.oculomotor.store import PinnedFile, RunFolder, log_to_dataset

from .conftest import RULES, TAKE_OFF, scripted_perf


def _log(perf):
    n = len(perf)
    raw = {"trials": [i * 1280 for i in range(n)], "times": list(range(n))}
    for r in RULES:
        raw["perf_" + r] = list(perf)
        raw["cost_" + r] = [0.0] * n
    return log_to_dataset(raw, RULES)


def test_take_off_range_and_rule_a():
    log = _log(scripted_perf())
    assert take_off(log) == TAKE_OFF * 1280
    start, stop, matured = analysis_range(log, range_lead=4)
    assert (start, stop, matured) == ((TAKE_OFF - 4) * 1280, 59 * 1280, 1)
    trials = log["log_trial"].values
    sets = stage_sets(log, "odr", trials, (start, stop))
    perf = dict(zip(trials.tolist(), scripted_perf(), strict=True))
    assert all(perf[t] <= 0.35 for t in sets["early"]) and all(perf[t] > 0.65 for t in sets["mature"])
    assert all(0.35 < perf[t] <= 0.65 for t in sets["mid"])
    assert sorted(sets["early"] + sets["mid"] + sets["mature"]) == [t for t in trials if start <= t <= stop]
    window = stage_sets(log, "odr", trials, (start, stop), rule="window", cap=5)
    assert all(len(v) <= 5 for v in window.values())
    with pytest.raises(ValueError):
        stage_sets(log, "odr", trials, (start, stop), rule="nope")


def test_representatives_and_no_take_off():
    log = _log(scripted_perf())
    span = analysis_range(log, 4)
    reps = representatives(log, "odr", span)
    perf = dict(zip(log["log_trial"].values.tolist(), scripted_perf(), strict=True))
    assert reps["mature"] == 59 * 1280
    assert abs(perf[reps["early"]] - 0.35) < 0.05 and abs(perf[reps["mid"]] - 0.65) < 0.05
    flat = _log(np.full(20, 0.2))
    with pytest.raises(DataError, match="plateau"):
        analysis_range(flat, 4)
    assert analysis_range(flat, 4, allow_plateau=True) == (16 * 1280, 19 * 1280, 0)


def test_pin_selection_roles():
    log = _log(scripted_perf())
    sel = pin_selection(log, per_stage=3, plateau_every=8, range_lead=4)
    assert sel["plateau"] == [0, 8 * 1280, 16 * 1280, 24 * 1280]
    for task in ("odr", "odrd"):
        for trials in sel["stages"][task].values():
            assert 1 <= len(trials) <= 3 and set(trials) <= set(sel["trials"])
    assert set(sel["representatives"].values()) <= set(sel["trials"])
    assert sel["stages"]["odr"]["mature"][-1] == 59 * 1280  # last included


def test_pin_fake_run(fake_run, tmp_path):
    registry = tmp_path / "registry.txt"
    registry.write_text("# comment\nother.png sha256:00 https://example.org/other.png\n")
    out, sha, sel = pin_run(
        fake_run,
        tmp_path / "pinned" / "paper_seed0.nc",
        per_stage=2,
        plateau_every=8,
        range_lead=4,
        registry=registry,
        command="test",
    )
    assert sha == hashlib.sha256(out.read_bytes()).hexdigest()
    lines = registry.read_text().splitlines()
    assert lines[:2] == ["# comment", "other.png sha256:00 https://example.org/other.png"]
    assert lines[-1] == f"paper_seed0.nc sha256:{sha} committed"
    # deterministic bytes: pinning again gives the same hash and replaces (not duplicates) the registry line
    _, sha2, _ = pin_run(fake_run, out, per_stage=2, plateau_every=8, range_lead=4, registry=registry, command="test")
    assert sha2 == sha and sum("paper_seed0.nc" in ln for ln in registry.read_text().splitlines()) == 1
    run, pinned = RunFolder(fake_run), PinnedFile(out)
    assert pinned.trials.tolist() == sel["trials"]
    for t in sel["trials"]:
        a, b = run.weights(t), pinned.weights(t)
        for k in a:
            assert a[k].dtype == b[k].dtype == np.float32
            np.testing.assert_array_equal(a[k], b[k])
    np.testing.assert_array_equal(run.log["perf"].values, pinned.log["perf"].values)
    assert pinned.attrs["matured"] == 1 and pinned.attrs["take_off_trial"] == TAKE_OFF * 1280
    assert json.loads(pinned.attrs["trials_json"]) == sel["trials"]
    with pytest.raises(DataError):
        pinned.weights(1280 * 1000)


def test_update_registry_appends(tmp_path):
    reg = tmp_path / "r.txt"
    update_registry(reg, "a.nc", "ab")
    update_registry(reg, "a.nc", "cd")
    assert reg.read_text() == "a.nc sha256:cd committed\n"


def test_pin_command_line(fake_run, tmp_path, capsys):
    from paperrepro.maturation.pin import main

    out = tmp_path / "p.nc"
    assert main(["--run", str(fake_run), "--out", str(out), "--no-registry"]) == 0
    printed = capsys.readouterr().out
    assert f"sha256:{hashlib.sha256(out.read_bytes()).hexdigest()}" in printed
    assert main(["--run", str(tmp_path / "absent"), "--out", str(out), "--no-registry"]) == 1


def test_pin_refuses_unfinished_run(fake_run, tmp_path):
    log = json.loads((fake_run / "log.json").read_text())
    log["finished"] = 0
    (fake_run / "log.json").write_text(json.dumps(log))
    with pytest.raises(DataError, match="still training"):
        pin_run(fake_run, tmp_path / "x.nc")
    _, _, sel = pin_run(fake_run, tmp_path / "x.nc", allow_unfinished=True)
    assert sel["matured"] == 1
