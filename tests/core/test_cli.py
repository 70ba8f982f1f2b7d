"""The figure command line: bad input exits 2 with one line before any work; Ctrl-C exits 130; --seed where supported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import xarray as xr
import yaml
from matplotlib.figure import Figure as MplFigure

from paperrepro import PAPERS
from paperrepro.core import paths
from paperrepro.core.cli import INTERRUPTED, main
from paperrepro.core.figures import FigureRegistry
from paperrepro.maturation.params import Params as MaturationParams
from paperrepro.rotational.params import Params as RotationalParams

ROOT = paths.PACKAGE_DIR.parent


def _no_plot(ds: xr.Dataset) -> MplFigure:
    return MplFigure()


def registry_of(paper: str, params_type: type, compute=None, **attrs) -> FigureRegistry:
    """A registry with the real ``Params`` of a paper and one figure whose data function must not run."""
    registry = FigureRegistry(paper, params_type, reference_dir=paths.PACKAGE_DIR / paper / "reference")

    def never(ctx):
        raise AssertionError("validation must come before any work")

    registry.figure("fig", plot=_no_plot, description="test figure")(compute or never)
    for key, value in attrs.items():
        setattr(registry, key, value)
    return registry


@pytest.fixture(scope="module")
def mpl_config(tmp_path_factory):
    """One matplotlib cache for the module (its font cache takes seconds to build in every new HOME)."""
    return tmp_path_factory.mktemp("mplconfig")


@pytest.fixture
def project(tmp_path, monkeypatch, mpl_config):
    """A project folder with a copy of the committed params.yaml; returns a function that edits it."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setenv("PAPERREPRO_ROOT", str(root))
    monkeypatch.setenv("MPLCONFIGDIR", str(mpl_config))
    committed = (ROOT / "params.yaml").read_text()

    def params(edit=None, text=None):
        if text is None:
            data = yaml.safe_load(committed)
            if edit is not None:
                edit(data)
            text = yaml.safe_dump(data, sort_keys=False)
        (root / "params.yaml").write_text(text)
        return root

    params()
    return params


def run(registry, argv, capsys):
    """Run the command line in this process; return its exit code and stderr."""
    code = main(registry, argv)
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ")
    return lines[0]


def _quick(paper, key, value):
    return lambda data: data[paper]["quick"].__setitem__(key, value)


PARAMS_ROWS = {
    "n_seeds: -1": ("rotational", _quick("rotational", "n_seeds", -1), "n_seeds must be an integer >= 0, got -1"),
    "n_seeds: ten": ("rotational", _quick("rotational", "n_seeds", "ten"), "n_seeds must be an integer, got 'ten'"),
    "seed: abc": ("rotational", lambda data: data.update(seed="abc"), "seed must be an integer from 0 to 4294967295"),
    "dpca_repeats: -3": ("maturation", _quick("maturation", "dpca_repeats", -3), "dpca_repeats must be an integer >= 0, got -3"),
    "unknown key": ("rotational", _quick("rotational", "nseeds", 3), "unknown parameter(s) ['nseeds']"),
    "unknown paper": ("rotational", lambda data: data.update(rotationel={}), "unknown key(s) ['rotationel']"),
}


@pytest.mark.parametrize("row", PARAMS_ROWS)
def test_bad_params_exit_2_with_one_line_before_any_work(project, capsys, row):
    paper, edit, expected = PARAMS_ROWS[row]
    project(edit)
    registry = registry_of(paper, MaturationParams if paper == "maturation" else RotationalParams)
    code, err = run(registry, ["fig"], capsys)
    assert code == 2
    line = one_line(err)
    assert expected in line
    assert "params.yaml" in line or "valid " in line  # where to fix it, or the valid choices


def test_yaml_syntax_error_exits_2(project, capsys):
    project(text="profile: quick\nrotational:\n  quick: {n_seeds: 3\n")
    code, err = run(registry_of("rotational", RotationalParams), ["fig"], capsys)
    assert code == 2 and "YAML syntax error" in one_line(err)


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["fig", "--jobs", "0"], "argument --jobs: expected an integer >= 1, got 0"),
        (["fig", "--jobs", "two"], "argument --jobs: expected an integer >= 1, got 'two'"),
        (["fig", "--seed", "abc"], "argument --seed: expected an integer from 0 to 4294967295, got 'abc'"),
        (["fig", "--seed", "-1"], "argument --seed: expected an integer from 0 to 4294967295, got '-1'"),
        (["fig", "--profile", "fast"], "argument --profile: unknown profile 'fast'; valid profiles: quick, paper"),
        (["fig", "--executor", "slurm"], "argument --executor: invalid choice: 'slurm'"),
        (["fig", "--nosuch"], "unrecognized arguments: --nosuch"),
        (["nofig"], "unknown figure 'nofig' of rotational; valid figures: fig, all"),
    ],
)
def test_bad_command_line_exits_2_with_one_line(project, capsys, argv, expected):
    code, err = run(registry_of("rotational", RotationalParams), argv, capsys)
    assert code == 2
    line = one_line(err)
    assert expected in line
    if argv[0] == "fig":
        assert line.endswith("see python -m paperrepro.rotational --help")


def test_seed_is_refused_where_the_figures_do_not_use_it(project, capsys):
    fixed = registry_of(
        "maturation", MaturationParams, seeded=False, how_to_make="python -m paperrepro.maturation.train --seed <seed>"
    )
    code, err = run(fixed, ["fig", "--seed", "3"], capsys)
    assert code == 2
    line = one_line(err)
    assert "maturation figures read fixed networks" in line and "--seed is not supported" in line
    assert "retrain (python -m paperrepro.maturation.train --seed <seed>)" in line
    no_hint = registry_of("memory_factors", MaturationParams, seeded=False)
    code, err = run(no_hint, ["fig", "--seed", "3"], capsys)
    assert code == 2 and "choose the networks' seeds in params.yaml (memory_factors.<profile>)" in one_line(err)


def test_seed_is_used_where_the_figures_use_it(project, capsys, tmp_path):
    seeds = []

    def compute(ctx):
        seeds.append(ctx.seed)
        return xr.Dataset({"x": ((), 1.0)})

    registry = registry_of("rotational", RotationalParams, compute=compute)
    assert run(registry, ["fig", "--seed", "7", "-q"], capsys)[0] == 0
    assert seeds == [7]
    built = xr.open_dataset(tmp_path / "figures" / "rotational" / "fig.nc")
    assert int(built.attrs["seed"]) == 7
    built.close()


def test_ctrl_c_exits_130_with_one_line(project, capsys):
    def interrupted(ctx):
        raise KeyboardInterrupt

    code, err = run(registry_of("rotational", RotationalParams, compute=interrupted), ["fig"], capsys)
    assert code == INTERRUPTED
    assert err.strip() == "interrupted (Ctrl-C): no file was left half-written; rerun the same command to continue"


def test_ctrl_c_during_training_in_a_build_says_where_it_resumes(project, capsys, tmp_path):
    from paperrepro.oculomotor.train import TrainingInterrupted

    def training(ctx):
        raise TrainingInterrupted(tmp_path / "anti", step=50, resume_step=40, batch_size=64)

    code, err = run(registry_of("rotational", RotationalParams, compute=training), ["fig"], capsys)
    assert code == INTERRUPTED
    assert err.strip() == (
        f"interrupted (Ctrl-C): training in {tmp_path / 'anti'} stopped at step 50 (3,200 trials); "
        "it resumes from step 40 (2,560 trials), the last saved evaluation; rerun the same command "
        "to continue"
    )


def test_real_cli_bad_input_has_no_traceback(project, tmp_path):
    root = project(_quick("rotational", "n_seeds", -1))
    env = {**os.environ, "PAPERREPRO_ROOT": str(root)}
    out = subprocess.run(
        [sys.executable, "-m", "paperrepro.rotational", "model_auc"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert out.returncode == 2
    assert one_line(out.stderr) == (
        "error: invalid parameter in rotational.quick: n_seeds must be an integer >= 0, got -1; fix it in params.yaml"
    )


@pytest.mark.parametrize(
    "module, expected",
    [
        (
            "paperrepro.nosuch",
            "error: no module paperrepro.nosuch; valid paper modules: " + ", ".join(f"paperrepro.{p}" for p in PAPERS),
        ),
        ("paperrepro.nosuch.deeper", "error: no module paperrepro.nosuch; valid paper modules: paperrepro.rotational"),
    ],
)
def test_mistyped_module_lists_the_valid_ones(module, expected, tmp_path):
    out = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2
    assert one_line(out.stderr).startswith(expected)


def test_mistyped_submodule_lists_the_paper_modules(tmp_path):
    out = subprocess.run([sys.executable, "-m", "paperrepro.rotational.nosuch"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2
    prefix = "error: no module paperrepro.rotational.nosuch; modules of paperrepro.rotational: "
    line = one_line(out.stderr)
    assert line.startswith(prefix)
    listed = line.removeprefix(prefix).split(" (run python -m paperrepro.rotational")[0].split(", ")
    # every paper has these two modules; the rest of the listing follows the package's layout
    assert {"figures", "params"} <= set(listed)
    assert listed == sorted(listed) and "__main__" not in listed


def test_a_missing_import_in_a_program_is_still_an_import_error(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import paperrepro.nosuch"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 1 and "ModuleNotFoundError: No module named 'paperrepro.nosuch'" in out.stderr
