"""Every task of the factors design writes its per-network result file (trial variables as coordinates)."""

import pytest

from paperrepro.core.activity import read_netcdf
from paperrepro.memory_factors.grid import TRIAL_COORDINATE_NAMES, network_specs, run_networks
from paperrepro.memory_factors.params import Params

TINY = dict(
    design="factors",
    conditions=("basic",),
    n_hidden=12,
    n_iterations=11,
    max_iterations=0,
    n_test_batches=3,
    n_si_batches=2,
    monitor_every=5,
    keep_hidden="examples",
)


@pytest.mark.parametrize("task", ["2AFC", "COMP", "DE-1"])
def test_one_network_per_task_is_stored(tmp_path, task):
    params = Params(**{**TINY, "tasks": (task,)})
    spec = network_specs(params)[0]
    (path,) = run_networks([spec], params, tmp_path)
    ds = read_netcdf(path)
    assert ds.attrs["status"] == "complete" and ds.attrs["task"] == task
    assert ds["target"].dims == ("trial", "time", "output_unit")
    renamed = [TRIAL_COORDINATE_NAMES.get(name, name) for name in ("target", "s")]
    if task == "DE-1":  # the estimation task's per-trial item to report, beside the target time course
        assert all(name in ds.coords and ds[name].dims == ("trial",) for name in renamed)
