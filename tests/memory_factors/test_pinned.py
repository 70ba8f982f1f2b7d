"""End to end at a tiny scale: the factors design trained through the sweep's progress runner, pinned with sha256,
and every figure built from the pinned files (never committed: the pins here live in a temporary folder)."""

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import build
from paperrepro.memory_factors import results
from paperrepro.memory_factors.figures import REGISTRY
from paperrepro.memory_factors.grid import factors_specs, run_with_progress
from paperrepro.memory_factors.params import Params

TINY = Params(
    design="factors",
    n_hidden=10,
    n_iterations=4,
    n_test_batches=2,
    n_si_batches=2,
    monitor_every=2,
    keep_hidden="examples",
    tasks=("2AFC", "COMP"),
    factor_lambda0=(0.96,),
    factor_sigma0=(0.0, 0.2),
    pass_threshold=1e9,
    source="run",
    pinned_prefix="tiny",
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("data") / "memory_factors" / "smoke"
    lines: list[str] = []
    paths = run_with_progress(factors_specs(TINY), TINY, root, report=lines.append)
    return root, paths, lines


@pytest.fixture(scope="module")
def pinned(trained, tmp_path_factory):
    root, _, _ = trained
    folder = tmp_path_factory.mktemp("pinned")
    written = results.pin(TINY, "smoke", root, folder=folder, registry=folder / "registry.txt")
    return folder, written


def test_sweep_reports_progress_and_skips_finished_networks(trained):
    root, paths, lines = trained
    n = len(factors_specs(TINY))
    assert n == 2 * (2 + 2 + 2 + 2 + 2) + 2 * 2  # 5 conditions x 2 tasks, multitask 2 orderings, 2 grid points
    assert lines[0].startswith(f"{n} networks, 0 already complete") and len(lines) == n + 1
    assert "ETA" in lines[-1] and all(p.is_file() for p in paths)
    again: list[str] = []
    assert run_with_progress(factors_specs(TINY), TINY, root, report=again.append) == paths
    assert again == [f"{n} networks, {n} already complete, 0 to train (serial, 1 worker(s))"]


def test_pinned_files_are_registered_with_their_hash(pinned):
    folder, written = pinned
    registry = (folder / "registry.txt").read_text().splitlines()
    for path, digest in written:
        assert f"{path.name} sha256:{digest} committed" in registry and results.sha256(path) == digest
    table = read_netcdf(folder / "tiny_networks.nc")
    assert table.sizes["network"] == len(factors_specs(TINY)) and table.attrs["n_complete"] == table.sizes["network"]
    assert "pin --profile smoke" in table.attrs["commands"] and table.attrs["design"] == "factors"
    assert table["peak_step"].dims == ("network", "unit") and table["peak_step"].sizes["unit"] == 10
    assert set(table["condition"].values) == {"basic", "hebbian", "tethered", "dynamic_input", "variable_delay", "multitask"}
    examples = read_netcdf(folder / "tiny_examples.nc")
    assert examples["hidden"].dims == ("example", "trial", "time", "unit")
    assert set(examples["example_task"].values) == {"2AFC", "COMP"}


def test_pin_refuses_an_unfinished_design(trained, tmp_path):
    root, _, _ = trained
    bigger = Params(**{**TINY.__dict__, "tasks": ("2AFC", "COMP", "DE-1")})  # adds the DE-1 networks
    with pytest.raises(DataError, match="not trained yet"):
        results.pin(bigger, "smoke", root, folder=tmp_path, registry=tmp_path / "registry.txt")


@pytest.fixture
def pinned_ctx(pinned, trained, monkeypatch, tmp_path):
    folder, _ = pinned
    registry = {name: entry for name, entry in _read(folder / "registry.txt").items()}
    monkeypatch.setattr(results, "read_registry", lambda paper: registry)
    monkeypatch.setattr(results, "fetch", lambda paper, name: folder / name)
    params = Params(**{**TINY.__dict__, "source": "pinned"})
    return RunContext("memory_factors", "smoke", params, seed=0, data_dir=tmp_path / "empty")


def _read(path):
    entries = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            entries[line[0]] = (line[1], line[2])
    return entries


@pytest.mark.parametrize("name", REGISTRY.names)
def test_figures_build_from_the_pinned_files_without_training(pinned_ctx, trained, tmp_path, name):
    root, _, _ = trained
    figure = REGISTRY.get(name)
    from_pin = build(figure, pinned_ctx, folder=tmp_path / "pin")
    assert not (tmp_path / "empty").exists()  # nothing was trained or read from a run folder
    run_ctx = RunContext("memory_factors", "smoke", TINY, seed=0, data_dir=root.parent.parent)
    from_run = build(figure, run_ctx, folder=tmp_path / "run")
    xr.testing.assert_allclose(read_netcdf(from_pin.data), read_netcdf(from_run.data))


def test_pinned_source_without_pins_says_how_to_make_them(monkeypatch, tmp_path):
    monkeypatch.setattr(results, "read_registry", lambda paper: {})
    ctx = RunContext("memory_factors", "quick", Params(**{**TINY.__dict__, "source": "pinned"}), seed=0, data_dir=tmp_path)
    with pytest.raises(DataError, match="sweep --profile quick --jobs 2.*pin --profile quick"):
        results.load(ctx)


def test_a_failing_network_trains_longer(tmp_path):
    params = Params(
        **{
            **TINY.__dict__,
            "pass_threshold": -1.0,
            "max_iterations": 8,
            "extend_by": 2,
            "conditions": ("basic",),
            "tasks": ("2AFC",),
            "factor_sigma0": (0.0,),
        }
    )
    path = run_with_progress(factors_specs(params), params, tmp_path, report=lambda line: None)[0]
    ds = read_netcdf(path)
    assert (ds.attrs["iterations"], ds.attrs["extensions"], ds.attrs["passed"]) == (8, 2, 0)
    curve = ds["infloss_train"].values
    assert np.isfinite(curve).sum() == 4  # reports at iterations 0, 2, 4, 6 of the 8 trained
    ok = Params(**{**params.__dict__, "pass_threshold": 1e9})
    ds_ok = read_netcdf(run_with_progress(factors_specs(ok), ok, tmp_path / "ok", report=lambda line: None)[0])
    assert (ds_ok.attrs["iterations"], ds_ok.attrs["extensions"]) == (4, 0)
