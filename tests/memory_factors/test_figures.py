"""Every figure builds from a tiny quick-design run (untrained networks; all forced to pass)."""

import numpy as np
import pytest

from paperrepro.core.config import RunContext
from paperrepro.core.figures import build
from paperrepro.memory_factors.figures import REGISTRY, weight_profile
from paperrepro.memory_factors.params import Params

TINY = Params(design="quick", n_hidden=12, n_iterations=6, n_test_batches=2, n_si_batches=2, monitor_every=5,
              keep_hidden="examples", rho=(0.0, 1e-4), pass_threshold=1e9)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return RunContext("memory_factors", "smoke", TINY, seed=0, data_dir=tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize("name", REGISTRY.names)
def test_figure_builds(ctx, tmp_path, name):
    result = build(REGISTRY.get(name), ctx, folder=tmp_path)
    png, nc = REGISTRY.get(name).outputs(tmp_path)
    assert png.is_file() and nc.is_file() and nc.stat().st_size < 1_000_000
    assert result is not None


def test_weight_profile_forward_chain():
    w = np.zeros((4, 4))
    order = np.array([2, 0, 3, 1])
    for a, b in zip(order[:-1], order[1:], strict=False):
        w[a, b] = 1.0  # earlier -> later
    profile, asym = weight_profile(w, order, 3)
    assert profile[3 + 1] == 1.0 and profile[3 - 1] == 0.0 and asym > 0
