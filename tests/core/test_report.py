"""The HTML report: verdicts from the committed outputs, failures and broken files shown, loaded in headless Chromium."""

import shutil

import numpy as np
import pytest

from paperrepro.__main__ import main as paperrepro_main
from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.figures import all_registries, ready_figures
from paperrepro.core.reference import load_checks
from paperrepro.core.report import collect, write_report
from paperrepro.core.status import figure_statuses

ROOT = paths.PACKAGE_DIR.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIGURES = ready_figures()
pytestmark = pytest.mark.skipif(not FIGURES, reason="no paper has figures yet")


@pytest.fixture
def project(tmp_path):
    """A copy of the committed outputs, to break on purpose."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("dvc.yaml", "dvc.lock", "params.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "figures", root / "figures", ignore=shutil.ignore_patterns("*.provenance.json", "*.html"))
    return root


def test_report_marks_follow_the_verdicts(project):
    entries = collect(project)
    assert len(entries) == sum(len(r.figures) for r in all_registries())  # waiting figures show as not built
    verdicts = {s.figure.name: s.verdict for s in figure_statuses(project)}
    assert {e.figure.name: e.mark for e in entries} == verdicts


def test_changed_byte_value_outside_tolerance_and_unreadable_file_show_as_failing(project):
    first = FIGURES[0]
    second = next(
        f for f in FIGURES[1:] if any(c.value is not None and c.kind == "fidelity" for c in load_checks(f.reference_file))
    )
    third = next(f for f in FIGURES[1:] if f is not second)
    png = project / "figures" / first.paper / f"{first.name}.png"
    data = bytearray(png.read_bytes())
    data[-20] ^= 0xFF
    png.write_bytes(bytes(data))
    nc = project / "figures" / second.paper / f"{second.name}.nc"
    ds = read_netcdf(nc)
    for name in ds.data_vars:
        if ds[name].dtype.kind == "f":
            ds[name] = ds[name] * 100 + 1000  # far outside every tolerance
    write_netcdf(ds, nc)
    (project / "figures" / third.paper / f"{third.name}.nc").write_bytes(b"not a netCDF file")
    entries = {e.figure.name: e for e in collect(project)}
    assert entries[first.name].mark == "fail" and entries[first.name].failed
    assert [o.status for o in entries[first.name].checksums if o.failed] == ["md5"]
    assert any(c.failed for c in entries[second.name].checks)  # a missed fidelity check: a verdict, not a failure
    assert entries[second.name].status.verdict in ("partly reproduced", "not reproduced")
    assert entries[second.name].mark == "fail"  # the changed file no longer has its dvc.lock md5
    assert entries[third.name].mark == "broken" and "git checkout --" in entries[third.name].status.problem
    path, _ = write_report(project / "report.html", project)
    text = path.read_text()
    assert f'data-figure="{first.paper}-{first.name}"' in text and ">FAIL<" in text and 'data-verdict="broken"' in text
    assert 'data-verdict="fail"' in text


def test_report_command_exits_1_when_a_figure_fails(project, monkeypatch, capsys):
    monkeypatch.setenv("PAPERREPRO_ROOT", str(project))
    figure = FIGURES[0]
    (project / "figures" / figure.paper / f"{figure.name}.nc").write_bytes(b"broken")
    assert paperrepro_main(["report", "--output", str(project / "r.html")]) == 1
    assert f"failing: {figure.paper}/{figure.name} (broken)" in capsys.readouterr().out


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_report_loads_offline_in_headless_chromium_with_the_authors_images(project, tmp_path, authors_mirror):
    sync_api = pytest.importorskip("playwright.sync_api")
    path, entries = write_report(project / "report.html", project)
    requests, errors = [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
        authors = page.eval_on_selector_all(
            "figure",
            "els => els.filter(e => e.querySelector('figcaption').textContent.startsWith('authors')"
            " && e.querySelector('img') && e.querySelector('img').naturalWidth > 0).length",
        )
        shown = page.eval_on_selector_all("#summary a", "els => els.map(e => [e.dataset.figure, e.dataset.verdict])")
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert not errors
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert images and all(images)
    assert dict(shown) == {f"{e.figure.paper}-{e.figure.name}": e.mark for e in entries}
    assert "fail" not in dict(shown).values()
    registered = sum(len(e.status.reference.authors_images) for e in entries)
    assert authors == registered, "every registered authors' image must be shown beside our figure"
    assert registered >= 20, "the report shows at least 20 of the authors' published images beside our figures"
    assert np.isfinite((tmp_path / "report.png").stat().st_size)
