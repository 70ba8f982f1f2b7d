"""Figure building, determinism, reference checks and the CLI, on a toy paper."""

import hashlib

import pytest

from paperrepro.core.cli import Command, main
from paperrepro.core.config import RunContext
from paperrepro.core.errors import UsageError
from paperrepro.core.figures import build

from .toy import ToyParams, make_registry


@pytest.fixture
def registry(tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    return make_registry(ref)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "params.yaml").write_text("profile: quick\nseed: 1\nrotational:\n  quick: {n: 2000}\n  paper: {n: 20000}\n")
    monkeypatch.setenv("PAPERREPRO_ROOT", str(tmp_path))
    return tmp_path


def md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_build_twice_gives_the_same_bytes(registry, tmp_path):
    ctx = RunContext("rotational", "quick", ToyParams(), seed=0)
    first = build(registry.get("noise"), ctx, folder=tmp_path / "a")
    second = build(registry.get("noise"), ctx, folder=tmp_path / "b")
    assert md5(first.png) == md5(second.png) and md5(first.data) == md5(second.data)
    assert first.png.name == "noise.png" and first.data.name == "noise.nc"
    assert first.data.with_name("noise.provenance.json").is_file()
    assert not list((tmp_path / "a").rglob("*.tmp"))


def test_reference_checks_pass_and_fail_readably(registry, tmp_path):
    ok = build(registry.get("noise"), RunContext("rotational", "quick", ToyParams()), check=True, folder=tmp_path)
    assert ok.passed and len(ok.checks) == 2
    bad = build(
        registry.get("noise"), RunContext("rotational", "quick", ToyParams(scales=(3.0, 1.0))), check=True, folder=tmp_path
    )
    assert not bad.passed  # the SD falls with these scales
    from paperrepro.core.reference import format_results

    text = format_results(bad.checks)
    assert "FAIL       sanity   spread grows with scale" in text and "source: analytic" in text


def test_cli_lists_builds_and_checks(registry, project, capsys):
    assert main(registry, []) == 0
    assert "noise" in capsys.readouterr().out
    assert main(registry, ["NOISE", "--check"]) == 0
    out = capsys.readouterr().out
    assert "fidelity checks: 1 of 1 pass; sanity checks: 1 of 1 pass -> verdict: reproduced" in out


def test_cli_unknown_figure_exits_2_listing_valid_names(registry, project, capsys):
    assert main(registry, ["fig99"]) == 2
    assert "unknown figure 'fig99' of rotational; valid figures: noise, all" in capsys.readouterr().err


def test_cli_unknown_profile_exits_2(registry, project, capsys):
    assert main(registry, ["noise", "--profile", "full"]) == 2
    assert "unknown profile 'full'; valid profiles: quick, paper" in capsys.readouterr().err


def test_cli_failed_check_exits_1(registry, project, capsys):
    (project / "params.yaml").write_text("profile: quick\nrotational:\n  quick: {scales: [2.0, 1.0]}\n")
    assert main(registry, ["noise", "--check"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_cli_dispatches_paper_commands_with_the_run_context(registry, project, capsys):
    seen = {}

    def count(args, ctx):
        if args.n < 0:
            raise UsageError("n must be >= 0")
        seen.update(n=args.n, profile=ctx.profile, executor=ctx.executor, jobs=ctx.jobs, params_n=ctx.params.n)
        return 0

    command = Command("count", "count things", lambda parser: parser.add_argument("--n", type=int, default=1), count)
    assert main(registry, ["count", "--n", "3", "--profile", "paper", "--jobs", "2"], commands=[command]) == 0
    assert seen == {"n": 3, "profile": "paper", "executor": "local", "jobs": 2, "params_n": 20000}
    assert main(registry, ["count", "--n", "-1"], commands=[command]) == 2
    assert capsys.readouterr().err == "error: n must be >= 0\n"
    assert main(registry, [], commands=[command]) == 0
    assert "count things" in capsys.readouterr().out
    with pytest.raises(ValueError, match="clash with figure names"):
        main(registry, [], commands=[Command("NOISE", "", lambda parser: None, count)])
