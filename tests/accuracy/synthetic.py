"""A hand-built 8-location memory network and a fake training-run folder for the accuracy tests.

Units 0–7 are leaky near-integrators (self-weight 1, small negative bias: perturbations decay over hundreds of
steps) fed by ring input k; ring output k reads unit k around its noise-free end level; unit 8 follows the fixation
input and drives the fixation output. Recurrent noise makes the
remembered location drift, so the decoded endpoint deviates from the cue, towards a unit when that unit's rate is
up: paired R(endpoint deviation, rate deviation) > 0 by construction. A smaller cue gain gives more errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from paperrepro.oculomotor.train import save_checkpoint

N_EACHRING = 8
N_INPUT = 1 + N_EACHRING + 6


def _rest_level(bias: float, n_steps: int = 250, alpha: float = 0.2) -> float:
    """Noise-free state of an uncued memory unit after ``n_steps`` (it starts at 0 and rises slowly)."""
    h = 0.0
    for _ in range(n_steps):
        h = (1 - alpha) * h + alpha * float(np.logaddexp(0.0, h + bias))
    return h


def memory_network(
    cue_gain: float = 3.0, n_rnn: int = 9, out_gain: float = 3.0, self_bias: float = -0.01
) -> dict[str, np.ndarray]:
    """Weights (TF layout, float32) of the constructed memory network (units ≥ 9 are silent fillers)."""
    kernel = np.zeros((N_INPUT + n_rnn, n_rnn))
    bias = np.full(n_rnn, -3.0)
    for k in range(N_EACHRING):
        kernel[1 + k, k] = cue_gain
        kernel[N_INPUT + k, k] = 1.0
        bias[k] = self_bias
    kernel[0, 8], bias[8] = 5.0, -2.5
    rest = _rest_level(self_bias)
    w_out = np.zeros((n_rnn, 1 + N_EACHRING))
    b_out = np.zeros(1 + N_EACHRING)
    w_out[8, 0], b_out[0] = 4.0, -5.0
    for k in range(N_EACHRING):
        w_out[k, 1 + k], b_out[1 + k] = out_gain, -out_gain * (rest + 0.5)
    return {
        "kernel": kernel.astype(np.float32),
        "bias": bias.astype(np.float32),
        "w_out": w_out.astype(np.float32),
        "b_out": b_out.astype(np.float32),
    }


def fake_run(folder: Path, n_evals: int = 60, n_rnn: int = 9, odr_rule: str = "odr3000") -> Path:
    """A training-run folder (config.json, log.json, checkpoints) whose learning curve rises from 0.2 to 1.

    Checkpoint i is the memory network with a cue gain growing with the logged ODR perf, so early checkpoints err
    more. Rules: the accuracy ruleset with ``odr_rule`` as its ODR task (8 locations whatever the rule).
    """
    folder = Path(folder)
    rules = ["overlap", "zero_gap", "gap", odr_rule, "odrd", "gap500"]
    trials = [1280 * i for i in range(n_evals)]
    x = np.linspace(-6, 6, n_evals)
    perf = np.round((0.2 + 0.8 / (1 + np.exp(-x))) * 512) / 512
    log = {"trials": trials, "times": [float(i) for i in range(n_evals)], "finished": 1}
    for rule in rules:
        log[f"perf_{rule}"] = [float(p) for p in perf]
    log["perf_min"] = [float(p) for p in perf]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log.json").write_text(json.dumps(log))
    (folder / "config.json").write_text(
        json.dumps({"rules": rules, "n_eachring": N_EACHRING, "n_rnn": n_rnn, "seed": 0, "target_perf": 0.995})
    )
    for t, p in zip(trials, perf, strict=True):
        save_checkpoint(folder / "checkpoints" / f"{t}.npz", memory_network(0.05 + 1.5 * (p - 0.2) / 0.8, n_rnn), t, t // 64)
    return folder
