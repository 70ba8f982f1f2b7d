"""One self-contained HTML page: every built figure beside its references, checksums and provenance.

The report never re-runs anything. For each registered figure it reads the committed figure data
(``figures/<paper>/<figure>.nc``) and evaluates the reference checks on them, compares the outputs' md5 with
``dvc.lock``, shows the provenance sidecar written when the figure was built, and embeds the PNG (and the
authors' reference image when the paper's pooch registry lists one and it is already in the data cache) as data
URIs, so the page opens offline, without a server, from any folder.
"""

from __future__ import annotations

import base64
import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .activity import read_netcdf
from .errors import PaperReproError
from .figures import Figure, ready_figures
from .reference import CheckResult, evaluate, load_checks
from .verify import Outcome, verify

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;font-size:90%}
.pass{background:#e3f6e3}.fail{background:#fbe0e0}.warn{background:#fdf3d0}.missing{background:#eee}
img{max-width:100%;border:1px solid #ddd}code{font-size:85%}section{margin-bottom:3em}
"""


_MARKS = {"pass": "&#10003;", "fail": "&#10007; fail", "missing": "(not built)"}
_ROW_CLASS = {"ok": "pass", "WARN": "warn", "FAIL": "fail"}


@dataclass
class FigureStatus:
    """Everything the report shows about one figure."""

    figure: Figure
    checks: list[CheckResult] = field(default_factory=list)
    checksums: list[Outcome] = field(default_factory=list)
    provenance: dict | None = None
    problem: str = ""

    @property
    def status(self) -> str:
        """``"pass"``, ``"fail"`` or ``"missing"`` (not built)."""
        if self.problem:
            return "missing" if self.problem.startswith("not built") else "fail"
        ok = all(c.passed for c in self.checks) and all(not o.failed for o in self.checksums)
        return "pass" if ok and self.checks else "fail"


def collect(root: Path | None = None) -> list[FigureStatus]:
    """Gather the status of every registered figure from the files under ``root``."""
    root = root or paths.project_root()
    try:
        outcomes = verify(root)
    except PaperReproError as err:
        outcomes, lock_problem = [], str(err)
    else:
        lock_problem = ""
    statuses = []
    for figure in ready_figures():
        status = FigureStatus(figure)
        png, data = figure.outputs(root / "figures")
        status.checksums = [o for o in outcomes if o.stage == f"{figure.paper}-{figure.name}"]
        if not data.is_file() or not png.is_file():
            status.problem = "not built: run dvc repro or python -m paperrepro." + figure.paper
        else:
            ds = read_netcdf(data)
            status.checks = evaluate(ds, load_checks(figure.reference_file), ds.attrs.get("profile", "quick"))
            if not status.checksums:
                status.problem = lock_problem or "no checksum recorded in dvc.lock"
        sidecar = data.with_name(f"{figure.name}.provenance.json")
        if sidecar.is_file():
            status.provenance = json.loads(sidecar.read_text())
        statuses.append(status)
    return statuses


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.name)}" src="data:image/png;base64,{data}">'


def _authors_image(figure: Figure) -> str:
    from .fetch import download_dir, read_registry

    name = f"{figure.name}.authors.png"
    if name not in read_registry(figure.paper):
        return "<p>No authors' image is registered for this figure.</p>"
    cached = download_dir(figure.paper) / name
    if not cached.is_file():
        return f"<p>Authors' image registered but not fetched: <code>python -m paperrepro fetch --paper {figure.paper}</code></p>"
    return "<h4>Authors' figure</h4>" + _img(cached)


def _section(s: FigureStatus, root: Path) -> str:
    f = s.figure
    png, _ = f.outputs(root / "figures")
    parts = [f'<section id="{f.paper}-{f.name}"><h3>{html.escape(f.paper)} / {html.escape(f.name)} '
             f'<span class="{s.status}">[{s.status}]</span></h3><p>{html.escape(f.description)}</p>']
    if png.is_file():
        parts.append(_img(png))
    parts.append(_authors_image(f))
    if s.problem:
        parts.append(f"<p><b>{html.escape(s.problem)}</b></p>")
    if s.checks:
        rows = "".join(
            f'<tr class="{_ROW_CLASS[c.outcome]}"><td>{html.escape(c.check.name)}</td>'
            f"<td>{html.escape(c.computed_text())}</td><td>{html.escape(c.check.describe())}</td>"
            f'<td>{"pass" if c.outcome == "ok" else c.outcome}</td><td>{html.escape(c.check.source)}</td></tr>'
            for c in s.checks)
        parts.append("<h4>Reference checks</h4><table><tr><th>check</th><th>computed</th><th>expected</th>"
                     f"<th>result</th><th>source</th></tr>{rows}</table>")
    if s.checksums:
        rows = "".join(f'<tr class="{"fail" if o.failed else "pass"}"><td><code>{html.escape(o.path)}</code></td>'
                       f"<td>{o.status}</td><td>{html.escape(o.detail)}</td></tr>" for o in s.checksums)
        parts.append(f"<h4>Checksums vs dvc.lock</h4><table><tr><th>output</th><th>md5</th><th>detail</th></tr>{rows}</table>")
    if s.provenance:
        prov = {k: v for k, v in s.provenance.items() if k != "checks"}
        cells = {k: json.dumps(v) if isinstance(v, dict) else str(v) for k, v in sorted(prov.items())}
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in cells.items())
        parts.append(f"<h4>Provenance</h4><table>{rows}</table>")
    else:
        parts.append("<p>No provenance sidecar here (the figure was built on another machine).</p>")
    parts.append("</section>")
    return "\n".join(parts)


def render(statuses: list[FigureStatus], root: Path) -> str:
    """Return the report's HTML text."""
    from paperrepro import PAPERS, __version__

    by_paper = {p: [s for s in statuses if s.figure.paper == p] for p in PAPERS}
    summary = "".join(
        f"<tr><th>{p}</th><td>" + " ".join(
            f'<a class="{s.status}" data-status="{s.status}" data-figure="{p}-{s.figure.name}" '
            f'href="#{p}-{s.figure.name}">{html.escape(s.figure.name)} {_MARKS[s.status]}</a>' for s in items)
        + "</td></tr>" for p, items in by_paper.items() if items)
    counts = {k: sum(s.status == k for s in statuses) for k in ("pass", "fail", "missing")}
    body = "\n".join(_section(s, root) for s in statuses)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>paperrepro report</title>"
            f"<style>{_CSS}</style></head><body><h1>paperrepro {__version__}: figures beside their references</h1>"
            f"<p id='counts'>{counts['pass']} pass, {counts['fail']} fail, {counts['missing']} not built</p>"
            f"<table id='summary'><tr><th>paper</th><th>figures</th></tr>{summary}</table>{body}</body></html>\n")


def write_report(path: Path | None = None, root: Path | None = None) -> tuple[Path, list[FigureStatus]]:
    """Write the report (default ``figures/report.html``) atomically and return its path and the statuses."""
    root = root or paths.project_root()
    path = path or root / "figures" / "report.html"
    statuses = collect(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(statuses, root))
    os.replace(tmp, path)
    return path, statuses
