"""A small fake training run (random 16-unit checkpoints and a scripted learning curve) for pin/figure tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from paperrepro.oculomotor.model import init_weights
from paperrepro.oculomotor.train import TrainConfig, save_checkpoint

RULES = ("overlap", "zero_gap", "gap", "odr", "odrd", "gap500")
N_EVAL = 60
TAKE_OFF = 36  # first evaluation with ODR perf > 0.3


def scripted_perf(n: int = N_EVAL, take_off: int = TAKE_OFF) -> np.ndarray:
    """A plateau at 0.2 until ``take_off``, then a ramp to 1.0 (multiples of 1/512)."""
    perf = np.full(n, 0.2)
    ramp = np.linspace(0.32, 1.0, n - take_off)
    perf[take_off:] = ramp
    return np.round(perf * 512) / 512


def make_fake_run(folder: Path, n_rnn: int = 16, n_eval: int = N_EVAL, take_off: int = TAKE_OFF) -> Path:
    """Write config.json, log.json and one checkpoint per evaluation (weights drift slowly with training)."""
    cfg = TrainConfig(n_rnn=n_rnn)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(cfg.to_json()))
    base = init_weights(cfg.network_config(), seed=3)
    rng = np.random.default_rng(0)
    trials = [i * 1280 for i in range(n_eval)]
    perf = scripted_perf(n_eval, take_off)
    log = {
        "trials": trials,
        "times": [float(i) for i in range(n_eval)],
        "perf_avg": [],
        "perf_min": [],
        "growth": [],
        "finished": 1,
    }
    for r in RULES:
        p = perf if r in ("odr", "odrd") else np.ones(n_eval)
        log["perf_" + r] = [float(v) for v in p]
        log["cost_" + r] = [0.1] * n_eval
        log["creg_" + r] = [0.0] * n_eval
    for i, t in enumerate(trials):
        w = {k: v + (0.02 * i / n_eval) * rng.standard_normal(v.shape).astype(np.float32) for k, v in base.items()}
        save_checkpoint(folder / "checkpoints" / f"{t}.npz", w, t, t // 64)
    (folder / "log.json").write_text(json.dumps(log))
    return folder


@pytest.fixture
def fake_run(tmp_path) -> Path:
    return make_fake_run(tmp_path / "run")
