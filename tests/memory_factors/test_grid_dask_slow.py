"""The paper profile's grid on a local Dask cluster, reduced: result files, summary, skip, pre-emption.

The paper profile of ``params.yaml`` is shrunk with ``dataclasses.replace`` (N = 16, 30 iterations, checkpoints
every 10, 2 x 2 of the lambda0 x sigma0 grid, 2AFC and COMP, basic and Hebbian: 16 networks) but keeps its grid
design, so the networks come from ``grid_specs``. Before the sweep one network is killed right after a checkpoint,
twice: the second run stops at iteration 20, not 10, so it resumed from the first checkpoint. The sweep (a
``LocalCluster`` of two single-threaded workers) finishes it from the second one, and it must equal an
uninterrupted run exactly.
"""

import dataclasses
import hashlib
import itertools
import time

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import load_params
from paperrepro.memory_factors.analysis import condition_delta, coupling_data
from paperrepro.memory_factors.grid import config_hash, net_setup, network_specs, result_path, run_networks, summarize
from paperrepro.memory_factors.params import Params
from paperrepro.memory_factors.train import Trainer

from ..conftest import requires_dask

pytestmark = [pytest.mark.slow, requires_dask]


class Preempted(Exception):
    """Raised by the patched checkpoint writer: the job is killed right after writing a checkpoint."""


def reduced_paper_params() -> Params:
    profile, paper = load_params("memory_factors", Params, "paper")
    assert profile == "paper" and paper.design == "grid"
    return dataclasses.replace(
        paper,
        n_hidden=16,
        n_iterations=30,
        checkpoint_every=10,
        monitor_every=10,
        n_test_batches=2,
        n_si_batches=2,
        tasks=("2AFC", "COMP"),
        conditions=("basic", "hebbian"),
        lambda0=(paper.lambda0[0], paper.lambda0[-1]),
        sigma0=(paper.sigma0[0], paper.sigma0[-1]),
    )


def fingerprints(paths):
    return {p: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """Pre-empt one network twice, then run the whole reduced grid on a 2-worker LocalCluster."""
    params = reduced_paper_params()
    specs = network_specs(params)
    root = tmp_path_factory.mktemp("paper")
    preempted = next(s for s in specs if s.key == "basic/2AFC/rho0/job001")
    save = Trainer.save

    def save_then_stop(self, path):
        save(self, path)
        raise Preempted(self.iteration)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Trainer, "save", save_then_stop)
        for iteration in (10, 20):  # the second run resumes at 10 and is killed at its next checkpoint
            with pytest.raises(Preempted, match=f"^{iteration}$"):
                run_networks([preempted], params, root)
    checkpoints = list(root.rglob("*.ckpt.pt"))
    assert len(checkpoints) == 1 and not result_path(root, preempted).exists()
    assert Trainer([net_setup(preempted, params)], checkpoints[0]).iteration == 20

    start = time.perf_counter()
    paths = run_networks(specs, params, root, executor="dask", jobs=2)
    return params, specs, root, paths, preempted, time.perf_counter() - start


def test_every_network_is_complete_with_its_config_hash(sweep):
    params, specs, root, paths, _, _ = sweep
    assert len(specs) == 16 and {s.condition for s in specs} == {"basic", "hebbian"}
    assert paths == [result_path(root, s) for s in specs]
    for spec, path in zip(specs, paths, strict=True):
        attrs = read_netcdf(path).attrs
        assert attrs["status"] == "complete" and attrs["config_sha256"] == config_hash(spec, params)
        assert (attrs["job"], attrs["seed"], attrs["N"], attrs["iterations"]) == (spec.job, spec.job, 16, 30)
    assert not list(root.rglob("*.ckpt.pt")) and not list(root.rglob("*.tmp"))


def test_summary_has_the_grid_coordinates(sweep):
    params, specs, _, paths, _, _ = sweep
    summary = summarize(paths)
    assert summary.sizes["network"] == 16
    expected = set(itertools.product(("basic", "hebbian"), ("2AFC", "COMP"), params.lambda0, params.sigma0))
    got = set(
        zip(summary["condition"].values, summary["task"].values, summary["lambda0"].values, summary["sigma0"].values, strict=True)
    )
    assert got == expected
    np.testing.assert_array_equal(summary["job"].values, [s.job for s in specs])
    lam_index = [params.lambda0.index(v) for v in summary["lambda0"].values]
    sig_index = [params.sigma0.index(v) for v in summary["sigma0"].values]
    np.testing.assert_array_equal(summary["job"].values, np.add(lam_index, np.multiply(sig_index, 2)) + 1)
    coupling = coupling_data(summary)
    assert coupling["spearman_si_sigma0"].dims == ("task",) and list(coupling["task"].values) == ["2AFC", "COMP"]
    assert condition_delta(summary, "hebbian")["delta_median"].sizes["task_summary"] == 2


def test_preempted_network_resumes_to_the_uninterrupted_result(sweep, tmp_path):
    params, _, root, _, preempted, _ = sweep
    straight = run_networks([preempted], params, tmp_path)[0]
    xr.testing.assert_identical(read_netcdf(result_path(root, preempted)), read_netcdf(straight))


def test_rerun_skips_finished_networks(sweep, monkeypatch):
    from dask.distributed import LocalCluster

    params, specs, root, paths, _, first_s = sweep
    before = fingerprints(paths)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv("PAPERREPRO_DASK_SCHEDULER", cluster.scheduler_address)  # the dask-jobqueue route
        start = time.perf_counter()
        assert run_networks(specs, params, root, executor="dask", jobs=2) == paths
        rerun_s = time.perf_counter() - start
    assert fingerprints(paths) == before and not list(root.rglob("*.ckpt.pt"))
    assert rerun_s < first_s, (rerun_s, first_s)
