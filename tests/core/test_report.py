"""The HTML report: built from committed outputs, failing figures shown as failing, and loaded in headless Chromium."""

import shutil

import numpy as np
import pytest

from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.figures import ready_figures
from paperrepro.core.reference import load_checks
from paperrepro.core.report import collect, write_report

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


def test_committed_outputs_all_pass(project):
    statuses = collect(project)
    assert len(statuses) == len(FIGURES)
    assert {s.status for s in statuses} == {"pass"}, [(s.figure.name, s.problem) for s in statuses if s.status != "pass"]


def test_changed_byte_and_value_outside_tolerance_show_as_failing(project):
    first = FIGURES[0]
    second = next(f for f in FIGURES[1:] if any(c.value is not None for c in load_checks(f.reference_file)))
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
    statuses = {s.figure.name: s for s in collect(project)}
    assert statuses[first.name].status == "fail"
    assert [o.status for o in statuses[first.name].checksums if o.failed] == ["md5"]
    assert any(not c.passed for c in statuses[second.name].checks)
    path, _ = write_report(project / "report.html", project)
    text = path.read_text()
    assert f'data-figure="{first.paper}-{first.name}"' in text and "FAIL" in text


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_report_loads_offline_in_headless_chromium(project, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    path, statuses = write_report(project / "report.html", project)
    requests, errors = [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
        shown = page.eval_on_selector_all(
            "#summary a", "els => els.map(e => [e.dataset.figure, e.dataset.status])")
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert not errors
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert images and all(images)
    assert dict(shown) == {f"{s.figure.paper}-{s.figure.name}": s.status for s in statuses}
    assert set(dict(shown).values()) == {"pass"}
    assert np.isfinite((tmp_path / "report.png").stat().st_size)
