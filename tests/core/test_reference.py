"""Reference checks: fidelity vs sanity, failures are failures, unverified expectations are never a pass, verdicts."""

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.cli import main
from paperrepro.core.errors import ConfigError
from paperrepro.core.reference import (
    NO_EVIDENCE,
    NOT_REPRODUCED,
    PARTLY,
    REPRODUCED,
    Check,
    evaluate,
    format_results,
    load_checks,
    load_reference,
    verdict,
)

from .toy import make_registry

CHECKS = """\
figure: toy
authors_images:
  - name: toy.png
    caption: the authors' panel
checks:
  - name: positive slope (recalled direction)
    variable: slope
    sel: {task: A}
    min: 0.0
    kind: fidelity
    severity: unverified
    profiles: [paper]
    source: "recalled, not verified"
  - name: slope of B as in the paper
    variable: slope
    sel: {task: B}
    value: 0.5
    atol: 0.1
    kind: fidelity
    source: "paper, Fig. 1b (0.5; tolerance 2 SD of the authors' seed spread)"
  - name: slope of A below the paper's bound
    variable: slope
    sel: {task: A}
    max: 1.0
    kind: fidelity
    source: "paper, Fig. 1c"
  - name: slopes finite and below 10
    variable: slope
    max: 10.0
    kind: sanity
    source: "analytic bound"
"""


def data(slope_a: float, slope_b: float = 0.5) -> xr.Dataset:
    return xr.Dataset({"slope": ("task", np.array([slope_a, slope_b]))}, coords={"task": ["A", "B"]})


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(CHECKS)
    return path


def test_kinds_severities_and_images_are_read_and_validated(path, tmp_path):
    ref = load_reference(path)
    assert [(c.kind, c.severity) for c in ref.checks] == [
        ("fidelity", "unverified"),
        ("fidelity", "error"),
        ("fidelity", "error"),
        ("sanity", "error"),
    ]
    assert [c.name for c in ref.fidelity_checks] == ["slope of B as in the paper", "slope of A below the paper's bound"]
    assert [(i.name, i.caption) for i in ref.authors_images] == [("toy.png", "the authors' panel")]
    for old, new, message in [
        ("severity: unverified", "severity: warn", "unknown severity 'warn'; valid severities: error, unverified"),
        ("kind: sanity", "kind: internal", "unknown kind 'internal'"),
        ("    kind: sanity\n", "", "missing 1 required positional argument: 'kind'"),
        ("authors_images:", "images:", "unknown top-level field"),
    ]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(CHECKS.replace(old, new, 1))
        with pytest.raises(ConfigError, match=message):
            load_checks(bad)


def test_a_file_without_evidence_must_say_why(tmp_path):
    sanity_only = "figure: t\nchecks:\n  - {name: n, variable: x, min: 0, kind: sanity, source: size}\n"
    bad = tmp_path / "t.yaml"
    bad.write_text(sanity_only)
    with pytest.raises(ConfigError, match="no verified fidelity check: add one, or say why in no_evidence"):
        load_reference(bad)
    bad.write_text(sanity_only + "no_evidence: the authors published no number for this panel\n")
    assert load_reference(bad).no_evidence == "the authors published no number for this panel"
    bad.write_text("figure: t\nchecks: [\n")
    with pytest.raises(ConfigError, match="not valid YAML.*git checkout -- t.yaml"):
        load_reference(bad)


def test_unverified_is_never_a_pass_and_never_a_failure(path):
    checks = load_checks(path)
    for slope_a in (0.3, -0.3):
        unverified = evaluate(data(slope_a), checks, "paper")[0]
        assert unverified.outcome == "UNVERIFIED" and not unverified.failed
        assert unverified.within == (slope_a > 0)


def test_a_missed_fidelity_check_fails_and_sets_the_verdict(path):
    checks = load_checks(path)
    assert verdict(evaluate(data(0.3), checks, "paper")) == REPRODUCED
    partly = evaluate(data(0.3, slope_b=0.9), checks, "paper")
    assert [r.outcome for r in partly] == ["UNVERIFIED", "FAIL", "pass", "pass"] and partly[1].failed
    assert verdict(partly) == PARTLY
    missed = evaluate(data(2.0, slope_b=0.9), checks, "paper")
    assert verdict(missed) == NOT_REPRODUCED
    text = format_results(missed)
    assert "FAIL       fidelity slope of B as in the paper" in text and "source: paper, Fig. 1b" in text
    assert text.endswith("fidelity checks: 0 of 2 pass; sanity checks: 1 of 1 pass; 1 unverified -> verdict: not reproduced")
    sanity_only = [r for r in missed if r.check.kind == "sanity"]
    assert verdict(sanity_only) == NO_EVIDENCE  # sanity is never evidence


def test_within_spread_needs_the_expected_value_inside_the_networks_range(tmp_path):
    seeds = xr.Dataset({"perf": ("train_seed", np.array([0.80, 0.86, 0.90]))}, coords={"train_seed": [0, 1, 2]})
    bad = tmp_path / "t.yaml"
    bad.write_text(
        "figure: t\nchecks:\n  - {name: n, variable: perf, within_spread: train_seed, min: 0, kind: fidelity, source: s}\n"
    )
    with pytest.raises(ConfigError, match="within_spread needs a value"):
        load_checks(bad)

    def outcome(value: float, atol: float = 0.0) -> bool:
        check = Check("n", "perf", "paper", "fidelity", value=value, atol=atol, within_spread="train_seed")
        return evaluate(seeds, [check], "quick")[0].within

    assert outcome(0.80) and outcome(0.88) and outcome(0.90)
    assert not outcome(0.95) and outcome(0.95, atol=0.05) and not outcome(0.70)
    # a Check made in code (not read from a file) without a value is refused at evaluation, not compared with None
    no_value = Check("n", "perf", "paper", "fidelity", max=1.0, within_spread="train_seed")
    with pytest.raises(ConfigError, match="within_spread needs a value"):
        evaluate(seeds, [no_value], "quick")


def test_cli_check_exits_1_on_a_failed_fidelity_check_and_0_on_unverified_only(tmp_path, monkeypatch, capsys):
    ref = tmp_path / "reference"
    ref.mkdir()
    registry = make_registry(ref)
    (tmp_path / "params.yaml").write_text("profile: quick\nrotational:\n  quick: {n: 200}\n")
    monkeypatch.setenv("PAPERREPRO_ROOT", str(tmp_path))
    assert main(registry, ["noise", "--check"]) == 0
    (ref / "noise.yaml").write_text("""\
figure: noise
checks:
  - name: spread shrinks with scale (recalled, wrong on purpose)
    variable: sd
    monotonic: decreasing
    along: scale
    kind: fidelity
    severity: unverified
    source: "recalled"
  - name: mean of 200 standard normals
    variable: mean
    value: 0.0
    atol: 0.3
    kind: fidelity
    source: "analytic"
""")
    assert main(registry, ["noise", "--check"]) == 0
    assert "UNVERIFIED fidelity spread shrinks with scale" in capsys.readouterr().out
    (ref / "noise.yaml").write_text((ref / "noise.yaml").read_text().replace("atol: 0.3", "atol: 0.0"))
    assert main(registry, ["noise", "--check"]) == 1
    assert "verdict: not reproduced" in capsys.readouterr().out
