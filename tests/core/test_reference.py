"""Reference checks: severity ``warn`` is reported as WARN and never counts as a failure."""

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.cli import main
from paperrepro.core.errors import ConfigError
from paperrepro.core.reference import evaluate, format_results, load_checks

from .toy import make_registry

CHECKS = """\
figure: toy
checks:
  - name: positive slope (recalled direction)
    variable: slope
    sel: {task: A}
    min: 0.0
    severity: warn
    profiles: [paper]
    source: "recalled, VERIFY"
  - name: slope of B is positive
    variable: slope
    sel: {task: B}
    min: 0.0
    source: "analytic"
  - name: slope of B is small (unverified)
    variable: slope
    sel: {task: B}
    max: 1.0
    severity: warn
    source: "recalled, VERIFY"
"""


def data(slope_a: float) -> xr.Dataset:
    return xr.Dataset({"slope": ("task", np.array([slope_a, 0.5]))}, coords={"task": ["A", "B"]})


@pytest.fixture
def checks(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(CHECKS)
    return load_checks(path)


def test_severity_defaults_to_error_and_is_validated(checks, tmp_path):
    assert [c.severity for c in checks] == ["warn", "error", "warn"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(CHECKS.replace("severity: warn", "severity: info", 1))
    with pytest.raises(ConfigError, match="unknown severity 'info'; valid severities: error, warn"):
        load_checks(bad)


def test_failed_warn_check_is_reported_but_does_not_fail(checks):
    ok = evaluate(data(0.3), checks, "paper")
    assert [r.outcome for r in ok] == ["ok", "ok", "ok"] and all(r.passed for r in ok)
    warned = evaluate(data(-0.3), checks, "paper")
    assert [(r.within, r.passed, r.outcome) for r in warned] == [(False, True, "WARN"), (True, True, "ok"),
                                                                  (True, True, "ok")]
    text = format_results(warned)
    assert "  WARN positive slope (recalled direction)" in text and "source: recalled, VERIFY" in text
    assert text.endswith("reference checks: 2 within tolerance, 0 outside, 1 warnings (unverified expectations)")
    assert len(evaluate(data(-0.3), checks, "quick")) == 2  # the paper-only direction is not evaluated


def test_error_check_still_fails(checks):
    results = evaluate(data(0.3).assign(slope=("task", [0.3, -2.0])), checks, "paper")
    assert [r.outcome for r in results] == ["ok", "FAIL", "ok"] and not results[1].passed
    assert "1 outside" in format_results(results)


def test_cli_check_exits_0_on_warnings_only(tmp_path, monkeypatch, capsys):
    ref = tmp_path / "reference"
    ref.mkdir()
    registry = make_registry(ref)
    (ref / "noise.yaml").write_text("""\
figure: noise
checks:
  - name: spread shrinks with scale (wrong on purpose)
    variable: sd
    monotonic: decreasing
    along: scale
    severity: warn
    source: "test"
""")
    (tmp_path / "params.yaml").write_text("profile: quick\nrotational:\n  quick: {n: 200}\n")
    monkeypatch.setenv("PAPERREPRO_ROOT", str(tmp_path))
    assert main(registry, ["noise", "--check"]) == 0
    assert "WARN spread shrinks with scale" in capsys.readouterr().out
