"""Quick-profile antisaccade run: configuration, and (slow) the learning invariants of docs/maturation.md"""

import numpy as np
import pytest

from paperrepro.maturation.anti_run import anti_train_config, train_antisaccade
from paperrepro.maturation.params import Params


def test_anti_config():
    cfg = anti_train_config(Params())
    assert cfg.n_rnn == 128 and cfg.max_trials == 102_400 and cfg.batch_size == 64 and cfg.eval_every == 20
    assert cfg.rules == ("overlap", "zero_gap", "gap", "odr", "odrd", "gap500")


def test_short_run_writes_checkpoints(tmp_path):
    log = train_antisaccade(Params(anti_n_rnn=8, anti_steps=20), tmp_path, progress=False)
    assert log["trials"] == [0, 1280] and log.get("hit_max_trials") == 1


@pytest.mark.slow
def test_quick_antisaccade_run_learns(tmp_path):
    """The docs/maturation.md invariants: over the last 10 evaluations max ≥ 0.95 and mean ≥ 0.80 for every antisaccade task;
    ODR/ODRD mean over all evaluations in [0.15, 0.27]. ≈ 4–5 min on one core."""
    log = train_antisaccade(Params(), tmp_path, progress=False)
    assert len(log["trials"]) == 81 and log["trials"][-1] == 102_400
    for rule in ("overlap", "zero_gap", "gap", "gap500"):
        last = np.array(log["perf_" + rule][-10:])
        assert last.max() >= 0.95 and last.mean() >= 0.80, rule
    for rule in ("odr", "odrd"):
        assert 0.15 <= np.mean(log["perf_" + rule]) <= 0.27, rule
