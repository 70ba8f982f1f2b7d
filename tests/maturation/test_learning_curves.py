"""Learning curves (Fig. S7): summary quantities on a scripted log, and the figure from the committed pinned bundle."""

import dataclasses

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.config import RunContext
from paperrepro.core.figures import build
from paperrepro.core.reference import evaluate, load_checks
from paperrepro.maturation import figures as figs
from paperrepro.maturation.learning_curves import first_crossing, learning_summary
from paperrepro.maturation.params import Params

TASKS = ("overlap", "zero_gap", "gap", "odr", "odrd", "gap500")
STEP = 1280


def scripted_log(anti_at: int, take_off_at: int, n: int = 200) -> xr.Dataset:
    """Antisaccade tasks jump 0.2 -> 1.0 at evaluation ``anti_at``; ODR/ODRD jump 0.2 -> 1.0 at ``take_off_at``
    (ODRD one evaluation later); an ODRD blip of 0.6 during the antisaccade phase must not count as a take-off."""
    anti = np.where(np.arange(n) >= anti_at, 1.0, 0.2)
    odr = np.where(np.arange(n) >= take_off_at, 1.0, 0.2)
    odrd = np.where(np.arange(n) >= take_off_at + 1, 1.0, 0.2)
    odrd[anti_at // 2 : anti_at // 2 + 6] = 0.6
    perf = np.stack([odr if t == "odr" else odrd if t == "odrd" else anti for t in TASKS], axis=1)
    return xr.Dataset({"perf": (("log_trial", "task"), perf)}, coords={"log_trial": np.arange(n) * STEP, "task": list(TASKS)})


def test_first_crossing():
    trials = np.array([0, 10, 20, 30])
    assert first_crossing(trials, np.array([0.1, 0.5, 0.2, 0.9]), 0.4) == 10
    assert first_crossing(trials, np.array([0.1, 0.5, 0.2, 0.9]), 0.4, after=15) == 30
    assert np.isnan(first_crossing(trials, np.zeros(4), 0.4))


def test_summary_on_a_scripted_log():
    ds = learning_summary(scripted_log(anti_at=40, take_off_at=150))
    # a forward 6-point mean of a 0.2 -> 1.0 step first exceeds 0.9 at the step, 0.3 five evaluations before it
    assert ds["anti_learned"] == 40 * STEP
    assert ds["take_off"] == 145 * STEP
    # the ODRD blip near evaluation 20 (smoothed 0.6) is before anti_learned: no memory-task crossing there
    assert ds["crossing"].sel(task="odrd", threshold=0.5) == 148 * STEP  # 3 of 6 evaluations at 1.0
    assert ds["crossing"].sel(task="odrd", threshold=0.9) == 151 * STEP
    assert ds["odrd_minus_odr_learned"] == STEP
    assert ds["take_off_to_end"] == (199 - 145) * STEP
    assert ds["plateau_mean"].sel(memory_task="odr") == pytest.approx(0.2)
    assert ds["final_min_perf"] == 1.0


def test_figure_from_the_pinned_bundle(tmp_path):
    ctx = RunContext("maturation", "quick", Params(), data_dir=tmp_path / "data")
    fig = figs.REGISTRY.get("learning_curves")
    result = build(fig, ctx, check=True, folder=tmp_path / "figures")
    assert result.png.stat().st_size > 10_000
    ds = xr.open_dataset(result.data)
    assert ds["perf"].sizes["log_trial"] == ds["perf_smooth"].sizes["log_trial"] > 500
    checks = load_checks(fig.reference_file)
    assert sum(c.is_evidence for c in checks) >= 5
    assert len(evaluate(ds, checks, "quick")) == len(checks)
    ds.close()


def test_smoke_run_builds(tmp_path):
    from .conftest import make_fake_run

    make_fake_run(tmp_path / "data" / "maturation" / "paper" / "seed0")
    ctx = RunContext("maturation", "smoke", dataclasses.replace(Params(), source="run"), data_dir=tmp_path / "data")
    ds = figs.learning_curves(ctx)
    # the fake run: antisaccade tasks at 1.0 from the start, ODR 0.2 then a ramp 0.32, 0.35, 0.38 ... from
    # evaluation 36; the forward 6-point mean first exceeds 0.3 at evaluation 34; no room for a plateau window
    assert ds["anti_learned"] == 0 and ds["take_off"] == 34 * STEP
    assert np.isnan(ds["plateau_mean"]).all()
