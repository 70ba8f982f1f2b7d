"""The committed pipeline: dvc.yaml is generated, every figure has references, and the committed outputs check out."""

import pytest

from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf
from paperrepro.core.figures import all_registries, ready_figures
from paperrepro.core.pipeline import render_dvc_yaml
from paperrepro.core.reference import evaluate, format_results, load_checks
from paperrepro.core.verify import verify

ROOT = paths.PACKAGE_DIR.parent
FIGURES = ready_figures()


def test_committed_dvc_yaml_is_the_generated_one():
    assert (ROOT / "dvc.yaml").read_text() == render_dvc_yaml(), "run: python -m paperrepro dvc-yaml"


def test_committed_outputs_match_dvc_lock():
    outcomes = verify(ROOT)
    assert outcomes, "dvc.lock records no outputs"
    assert not [o for o in outcomes if o.failed], [f"{o.path}: {o.detail}" for o in outcomes if o.failed]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.paper}-{f.name}")
def test_every_figure_has_sourced_reference_checks(figure):
    checks = load_checks(figure.reference_file)
    assert checks, f"{figure.reference_file} holds no checks"


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.paper}-{f.name}")
def test_committed_figure_data_match_their_references(figure):
    ds = read_netcdf(ROOT / "figures" / figure.paper / f"{figure.name}.nc")
    results = evaluate(ds, load_checks(figure.reference_file), ds.attrs["profile"])
    assert results, f"no reference check applies to profile {ds.attrs['profile']}"
    assert all(r.passed for r in results), format_results(results)


def test_figures_waiting_for_data_say_how_to_make_it():
    silent = [f"{f.paper}/{f.name}" for r in all_registries() for f in r.waiting() if not f.how_to_make]
    assert not silent, f"figures wait for data without saying how to make it: {silent}"
