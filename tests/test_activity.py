"""``python -m paperrepro.<paper> activity`` and :func:`paperrepro.activity.open`: every paper's activity follows the
conventions of :mod:`paperrepro.activity`, round-trips through netCDF and NWB (validated by pynwb), and bad choices
exit 2 naming the valid ones.

Networks: maturation's and accuracy's committed pinned checkpoints, a designed rotational grid network (and the
authors' demo network through the mirror), an untrained learning-to-learn network written as a run folder's
per-problem weights, and an 8-unit memory-factors network written as a result file. Few trials keep it fast.
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest
import xarray as xr

from paperrepro import activity
from paperrepro.core.cli import main
from paperrepro.core.errors import DataError

N_TRIALS = 8
#: paper → (network, stage, trial coordinates the paper must label, common epochs its task has)
CASES = {
    "maturation": ("paper_seed0", "mature", ("cue_location", "correct", "saccade_angle"), {"fixation", "cue", "delay", "go"}),
    "accuracy": (
        "8loc_odr3000_seed0",
        "mature",
        ("cue_location", "correct", "saccade_error"),
        {"fixation", "cue", "delay", "go"},
    ),
    "rotational": ("grid0", "", ("condition", "stimulus", "context", "expected"), {"cue", "second_cue"}),
    "learning_to_learn": ("seed0", "problem1", ("stimulus", "choice", "correct"), {"cue", "delay", "go"}),
    "memory_factors": ("", "", ("C", "response", "correct"), {"cue", "delay", "go"}),
}


def _registry(paper: str):
    return importlib.import_module(f"paperrepro.{paper}.figures").REGISTRY


def _l2l_context(ctx):
    """A run folder holding one problem's (untrained) weights and images, as training writes them."""
    from paperrepro.learning_to_learn import runs
    from paperrepro.learning_to_learn.network import init_weights
    from paperrepro.learning_to_learn.task import new_problem

    ctx = dataclasses.replace(ctx, params=dataclasses.replace(ctx.params, kernel="numpy"))
    rng = np.random.default_rng(0)
    entry = {k: v.astype(np.float32) for k, v in init_weights(rng, ctx.params).items()}
    entry["images"] = new_problem(rng).astype(np.float32)
    folder = runs.run_folder(ctx) / "full" / "full-s0"
    folder.mkdir(parents=True)
    np.savez(folder / "p00001.npz", **entry)
    return ctx


def _memory_factors_context(ctx):
    """An 8-unit network of the profile's design, written as a finished result file (untrained weights)."""
    from paperrepro.core.activity import write_netcdf
    from paperrepro.memory_factors.grid import network_specs, result_path
    from paperrepro.memory_factors.model import init_params
    from paperrepro.memory_factors.results import results_root
    from paperrepro.memory_factors.tasks import TASK_INFO

    ctx = dataclasses.replace(ctx, params=dataclasses.replace(ctx.params, n_hidden=8))
    spec = next(s for s in network_specs(ctx.params) if s.condition == "basic" and TASK_INFO[s.task].kind == "binary")
    info = TASK_INFO[spec.task]
    weights = init_params(np.random.default_rng(0), info.n_in(), info.n_out, 8, spec.lambda0, spec.sigma0)
    dims = {"W_in": ("channel", "unit_post"), "b_in": ("unit_post",), "W_hh": ("unit_pre", "unit_post")}
    dims |= {"b_hh": ("unit_post",), "W_out": ("unit_pre", "output_unit"), "b_out": ("output_unit",)}
    ds = xr.Dataset({k: (dims[k], v) for k, v in weights.items()}, attrs={"status": "complete", "iterations": 0})
    write_netcdf(ds, result_path(results_root(ctx), spec))
    CASES["memory_factors"] = (spec.key, *CASES["memory_factors"][1:])
    return ctx


def _context(paper: str):
    ctx = _registry(paper).context("quick")
    if paper == "learning_to_learn":
        return _l2l_context(ctx)
    if paper == "memory_factors":
        return _memory_factors_context(ctx)
    return ctx


def _check_labels(ds: xr.Dataset, paper: str) -> None:
    _, _, trial_coords, epochs = CASES[paper]
    activity.check(ds)
    assert ds["rate"].dims == ("trial", "time", "unit")
    assert ds.sizes["trial"] == N_TRIALS and np.isfinite(ds["rate"].values).all()
    assert ds["time"].attrs["units"] == ("step" if paper == "rotational" else "ms")
    assert np.all(np.diff(ds["time"].values) > 0)
    assert set(map(str, ds["epoch"].values)) == epochs
    for name in trial_coords:
        assert ds[name].dims == ("trial",) and {"units", "long_name"} <= set(ds[name].attrs), name
    assert ds.attrs["paper"] == paper and ds.attrs["n_trials"] == N_TRIALS
    assert all(ds.attrs[k] != "" for k in ("network", "checkpoint", "source", "code_commit"))


@pytest.mark.parametrize("paper", list(CASES))
def test_activity_follows_the_conventions_and_round_trips(paper, tmp_path):
    pynwb = pytest.importorskip("pynwb", reason="needs the nwb extra")
    ctx = _context(paper)
    exp = activity.exporter(paper)
    network, stage = CASES[paper][:2]
    assert network in exp.networks(ctx) and (stage in exp.stages(ctx, network) or not stage)
    ds = activity.export(exp, ctx, network, stage, N_TRIALS, seed=3)
    _check_labels(ds, paper)

    back = activity.read(activity.write(ds, tmp_path / "a.nc"))
    xr.testing.assert_identical(back, ds)

    path = activity.write(ds, tmp_path / "a.nwb", "nwb")
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        assert list(pynwb.validate(io=io)) == []
        nwb = io.read()
        assert len(nwb.trials) == N_TRIALS
        assert nwb.acquisition["rate"].unit == ds["rate"].attrs["units"]
        tags = {tag for tags in nwb.epochs.to_dataframe()["tags"] for tag in tags}
    assert tags == CASES[paper][3]
    back = activity.read(path, "nwb")
    np.testing.assert_array_equal(back["rate"].values, ds["rate"].values)
    np.testing.assert_equal(back.attrs, ds.attrs)  # NaN-aware (an untrained network has SI NaN)
    for name, var in ds.coords.items():
        np.testing.assert_array_equal(back[name].values, var.values)
        assert back[name].attrs == var.attrs and back[name].dims == var.dims, name


def test_oculomotor_trials_cover_the_ring_and_units_carry_their_type():
    ctx = _context("maturation")
    ds = activity.export(activity.exporter("maturation"), ctx, "paper_seed0", "mature", N_TRIALS, seed=0)
    assert sorted(ds["cue_location"].values) == [0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0]
    assert set(ds["unit_type"].values) <= {"exh", "inh", "mix", "none"}
    assert ds["correct"].mean() > 0.5  # the mature representative performs the task


def test_rotational_demo_network_is_the_authors(authors_mirror):
    ctx = _context("rotational")
    ds = activity.export(activity.exporter("rotational"), ctx, "demo0", "", N_TRIALS, seed=0)
    assert ds.attrs["source"] == "authors" and "model_demo.pkl" in ds.attrs["checkpoint"]
    assert list(ds["condition"].values) == ["AC"] * 2 + ["AC*"] * 2 + ["XC"] * 2 + ["XC*"] * 2
    assert (ds["rate"].values >= 0).all()  # ReLU


def test_open_computes_once_then_reads_the_file(tmp_path):
    ds = activity.open("rotational", "grid1", trials=N_TRIALS, root=tmp_path)
    path = tmp_path / "rotational" / "quick" / "grid1.nc"
    assert path.is_file() and ds.attrs["network"] == "grid1"
    before = path.stat().st_mtime_ns
    xr.testing.assert_identical(activity.open("rotational", "grid1", trials=N_TRIALS, root=tmp_path), ds)
    assert path.stat().st_mtime_ns == before
    with pytest.raises(DataError, match="missing activity file"):
        activity.open("rotational", "grid2", trials=N_TRIALS, root=tmp_path, compute=False)


def test_check_names_what_breaks_the_conventions():
    ds = activity.activity_dataset(
        np.zeros((2, 3, 4)),
        time=[0.0, 1.0, 2.0],
        task_epoch=["a", "a", "b"],
        epoch_map={"a": "cue", "b": "delay"},
        trials={"side": activity.coord([0, 1], "side")},
        rate_units="1",
        rate_long_name="rate",
        attrs={k: "x" for k in activity.PROVENANCE},
    )
    activity.check(ds)
    del ds["side"].attrs["units"]
    ds.attrs.pop("seed")
    with pytest.raises(ValueError, match="'side' lacks 'units'.*'seed' missing"):
        activity.check(ds)


def _command(paper: str, argv: list[str]) -> int:
    exp = activity.exporter(paper)
    commands = importlib.import_module(f"paperrepro.{paper}.commands").COMMANDS if paper == "learning_to_learn" else None
    return main(_registry(paper), ["activity", *argv], commands=commands or (activity.command(exp),))


@pytest.mark.parametrize(
    ("paper", "argv", "names"),
    [
        ("maturation", ["--stage", "adult"], "early, mid, mature"),
        ("maturation", ["--network", "seed9"], "paper_seed0"),
        ("accuracy", ["--network", "8loc_odr3000_seed7"], "8loc_odr3000_seed0..8loc_odr3000_seed2, 360loc_odr_seed0"),
        ("accuracy", ["--stage", "late"], "early, mid, mature"),
        ("accuracy", ["--trials", "129", "--network", "8loc_odr3000_seed0"], "1..128"),
        ("rotational", ["--network", "demo10"], "demo0..demo9, grid0..grid499"),
        ("rotational", ["--network", "grid0", "--stage", "mature"], "has no stages"),
        ("rotational", ["--trials", "6"], "multiple of 4"),
        ("learning_to_learn", ["--network", "seed7"], "seed0, seed1"),
        ("maturation", ["--format", "hdf5"], "'netcdf', 'nwb'"),
    ],
)
def test_bad_choices_exit_2_naming_the_valid_ones(paper, argv, names, capsys):
    assert _command(paper, argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and names in err


def test_memory_factors_without_networks_says_how_to_train(capsys):
    assert _command("memory_factors", []) == 2
    assert "python -m paperrepro.memory_factors train" in capsys.readouterr().err


def test_command_writes_one_file_per_network(tmp_path, capsys):
    argv = ["--network", "grid0,grid3", "--trials", "4", "--format", "nwb", "--out", str(tmp_path)]
    assert _command("rotational", argv) == 0
    files = sorted(p.name for p in (tmp_path / "rotational" / "quick").iterdir())
    assert files == ["grid0.nwb", "grid3.nwb"]
    assert "trial 4 × time 2 × unit 150" in capsys.readouterr().out
