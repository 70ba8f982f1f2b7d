"""Calibration of the one-seed quick design (real training, ~2-15 min per network): run with ``pytest -m slow``.

The configuration is fixed here (N = 100, lambda0 = 0.96, sigma0 0 / 0.2, 6,000 iterations, seed 1), independent of
``params.yaml``, whose quick profile now runs the paired factors design. Networks A (2AFC, sigma0 = 0), B (2AFC,
sigma0 = 0.2) and C (COMP, sigma0 = 0): SI bands from two independent re-implementations over 3 seeds (sanity of this
implementation, not evidence about the paper).
"""

import pytest

from paperrepro.core.activity import read_netcdf
from paperrepro.core.paths import data_dir
from paperrepro.memory_factors.grid import network_specs, run_networks
from paperrepro.memory_factors.params import Params

pytestmark = pytest.mark.slow

# SI of this implementation (seed 1, torch 2.13.0, 1 thread, numpy 2.4), +-0.05
FROZEN_SI = {"A": 2.786, "B": 3.210, "C": 3.743}
BANDS = {"A": (1.9, 3.3), "B": (3.2, 4.6), "C": (3.35, 4.35)}


@pytest.fixture(scope="module")
def core_networks():
    params = Params(
        design="quick",
        n_hidden=100,
        n_iterations=6000,
        quick_lambda0=0.96,
        quick_sigma0=(0.0, 0.2),
        quick_seed=1,
        rho=(0.0,),
        n_test_batches=6,
        n_si_batches=6,
        keep_hidden="none",
    )
    specs = network_specs(params)[:3]
    paths = run_networks(specs, params, data_dir() / "memory_factors" / "quick_calibration")
    return {name: read_netcdf(p).attrs for name, p in zip("ABC", paths, strict=False)}


def test_core_networks_pass(core_networks):
    for attrs in core_networks.values():
        assert attrs["infloss_test"] < 0.5 and attrs["passed"] == 1


def test_si_bands_and_directions(core_networks):
    si = {name: attrs["SI"] for name, attrs in core_networks.items()}
    for name, (lo, hi) in BANDS.items():
        assert lo <= si[name] <= hi
    assert si["B"] - si["A"] >= 0.3  # coupling -> sequential
    assert si["C"] - si["A"] >= 0.3  # temporal complexity -> sequential


def test_si_frozen_values(core_networks):
    for name, value in FROZEN_SI.items():
        assert core_networks[name]["SI"] == pytest.approx(value, abs=0.05)
