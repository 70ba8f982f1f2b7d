"""The committed pipeline: dvc.yaml is generated, the committed outputs check out, every figure has a verdict.

Integrity tests read git's committed blobs (``HEAD``), so a local rebuild on another CPU does not make them fail;
reproduction of a rebuild is judged by :mod:`paperrepro.core.compare` (``make figures``).
"""

import re

import pytest

from paperrepro.core import paths
from paperrepro.core.figures import all_registries, ready_figures
from paperrepro.core.pipeline import render_dvc_yaml
from paperrepro.core.reference import format_results, load_reference
from paperrepro.core.status import README_BEGIN, README_END, figure_status, figure_statuses, status_table
from paperrepro.core.verify import verify

ROOT = paths.PACKAGE_DIR.parent
FIGURES = ready_figures()
#: Words that reveal a bound taken from our own output or a document outside the repository.
FORBIDDEN_IN_FIDELITY_SOURCES = re.compile(r"\bspec\b|quick bundle|\bour (seed|network|bundle|run)\b", re.IGNORECASE)


def test_committed_dvc_yaml_is_the_generated_one():
    assert (ROOT / "dvc.yaml").read_text() == render_dvc_yaml(), "run: python -m paperrepro dvc-yaml"


def test_committed_outputs_match_dvc_lock():
    outcomes = verify(ROOT, rev="HEAD")
    assert outcomes, "dvc.lock records no outputs"
    assert not [o for o in outcomes if o.failed], [f"{o.path}: {o.detail}" for o in outcomes if o.failed]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.paper}-{f.name}")
def test_every_figure_has_evidence_or_says_why(figure):
    reference = load_reference(figure.reference_file)  # refuses a file without fidelity checks or a reason
    assert reference.checks, f"{figure.reference_file} holds no checks"
    for check in reference.fidelity_checks:
        assert not FORBIDDEN_IN_FIDELITY_SOURCES.search(check.source), (
            f"{figure.paper}/{figure.name} check {check.name!r}: a fidelity source must name the authors' artefact, "
            f"not a note outside the repository or our own output: {check.source}"
        )


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.paper}-{f.name}")
def test_committed_figure_data_pass_their_sanity_checks(figure):
    status = figure_status(figure, ROOT)
    assert status.built, status.problem
    assert status.results, f"no reference check applies to the committed data of {figure.paper}/{figure.name}"
    sanity = [r for r in status.results if r.check.kind == "sanity"]
    assert not [r for r in sanity if r.failed], format_results(status.results)


def test_readme_status_table_is_current():
    readme = (ROOT / "README.md").read_text()
    assert README_BEGIN in readme and README_END in readme, "the README has no generated status table"
    table = readme[readme.index(README_BEGIN) + len(README_BEGIN) : readme.index(README_END)].strip()
    assert table == status_table(figure_statuses(ROOT)), "run: python -m paperrepro status --readme"


def test_figures_waiting_for_data_say_how_to_make_it():
    silent = [f"{f.paper}/{f.name}" for r in all_registries() for f in r.waiting() if not f.how_to_make]
    assert not silent, f"figures wait for data without saying how to make it: {silent}"
