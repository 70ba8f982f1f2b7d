"""`python -m paperrepro.memory_factors train|sweep|effects` on tiny profiles (params.yaml in a temporary project)."""

import subprocess
import sys

import numpy as np
import pytest

from paperrepro.core.activity import read_netcdf
from paperrepro.core.cli import main
from paperrepro.memory_factors.commands import COMMANDS
from paperrepro.memory_factors.figures import REGISTRY

PARAMS_YAML = """\
profile: quick
seed: 0
memory_factors:
  quick: {design: quick, n_hidden: 8, n_iterations: 4, n_test_batches: 2, n_si_batches: 2, monitor_every: 2}
  paper:
    design: grid
    n_hidden: 8
    n_iterations: 4
    lambda0: [0.8, 0.98]
    sigma0: [0.0, 0.2]
    tasks: [2AFC, COMP]
    conditions: [basic, hebbian]
    n_test_batches: 2
    n_si_batches: 2
    monitor_every: 2
    checkpoint_every: 2
    keep_hidden: none
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "params.yaml").write_text(PARAMS_YAML)
    monkeypatch.setenv("PAPERREPRO_ROOT", str(tmp_path))
    return tmp_path


def run(*argv):
    return main(REGISTRY, list(argv), commands=COMMANDS)


def test_train_one_grid_job_prints_its_result_and_skips_it_after(project, capsys):
    assert run("train", "--profile", "paper", "--condition", "basic", "--task", "2AFC", "--job", "3") == 0
    path = project / "data" / "memory_factors" / "paper" / "basic" / "2AFC" / "rho0" / "job003.nc"
    assert capsys.readouterr().out.strip().endswith("job003.nc") and path.is_file()
    ds = read_netcdf(path)
    assert (ds.attrs["job"], ds.attrs["seed"], ds.attrs["status"]) == (3, 3, "complete")
    assert ds.attrs["lambda0"] == 0.8 and ds.attrs["sigma0"] == 0.2  # job 3: lambda0 grid[0], sigma0 grid[1]
    mtime = path.stat().st_mtime_ns
    assert run("train", "--profile", "paper", "--condition", "basic", "--task", "2AFC", "--job", "3") == 0
    assert path.stat().st_mtime_ns == mtime


def test_sweep_runs_the_selection_and_writes_the_condition_summary(project, capsys):
    assert run("sweep", "--profile", "paper", "--conditions", "basic", "--tasks", "2AFC,COMP") == 0
    summary_path = project / "data" / "memory_factors" / "paper" / "basic" / "summary.nc"
    out = capsys.readouterr().out
    assert "basic: 8 of 8 networks complete" in out
    assert out.startswith("8 networks, 0 already complete, 8 to train") and out.count("ETA") == 8
    summary = read_netcdf(summary_path)
    assert summary.sizes["network"] == 8 and set(summary["condition"].values) == {"basic"}
    assert sorted(set(summary["task"].values)) == ["2AFC", "COMP"]
    np.testing.assert_array_equal(np.sort(summary["job"].values), [1, 1, 2, 2, 3, 3, 4, 4])
    assert not (project / "data" / "memory_factors" / "paper" / "hebbian").exists()


def test_effects_prints_the_condition_by_task_table(project, capsys):
    assert run("effects", "--profile", "quick") == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("condition"))
    rows = [line.split()[:2] for line in lines[header + 1 :]]
    assert rows == [
        ["hebbian", "2AFC"],
        ["tethered", "2AFC"],
        ["dynamic_input", "2AFC"],
        ["variable_delay", "2AFC"],
        ["multitask", "COMP-2AFC"],
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--profile", "paper", "--condition", "nope", "--task", "2AFC", "--job", "1"], "valid conditions: basic"),
        (["train", "--profile", "paper", "--condition", "basic", "--task", "DE-1", "--job", "1"], "valid tasks: 2AFC, COMP"),
        (["train", "--profile", "paper", "--condition", "basic", "--task", "2AFC", "--job", "5"], "valid jobs: 1..4"),
        (["train", "--profile", "quick", "--condition", "basic", "--task", "2AFC", "--job", "1"], "use --profile paper"),
        (["sweep", "--profile", "paper", "--conditions", "basic,nope"], "valid conditions: basic, hebbian"),
        (["sweep", "--profile", "paper", "--tasks", ","], "no task given"),
        (["sweep", "--profile", "nope"], "valid profiles: quick, paper"),
    ],
)
def test_unknown_values_are_one_line_usage_errors(project, capsys, argv, message):
    assert run(*argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_listing_names_the_commands_and_the_entry_point_dispatches_them(project, capsys):
    assert run() == 0
    assert "commands" in capsys.readouterr().out.split("coupling")[-1]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "paperrepro.memory_factors",
            "train",
            "--profile",
            "paper",
            "--condition",
            "basic",
            "--task",
            "Sine",
            "--job",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "valid tasks: 2AFC, COMP" in result.stderr
