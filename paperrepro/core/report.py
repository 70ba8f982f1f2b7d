"""One self-contained HTML page: every built figure, its verdict, the authors' evidence beside ours, checksums.

The report never re-runs anything. For each figure of the pipeline it takes the verdict and the check results from
:mod:`paperrepro.core.status` (the committed figure data against the figure's reference checks), compares the
outputs' md5 with ``dvc.lock``, shows the provenance sidecar written when the figure was built, and embeds our PNG and
the authors' published images (the ``authors_images`` of the reference file, fetched through the paper's pooch
registry: cache, mirror or network) as data URIs, so the page opens offline, without a server, from any folder.
A figure whose data cannot be read is shown as broken; the page is still written.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .errors import PaperReproError
from .reference import NO_EVIDENCE, NOT_BUILT, NOT_REPRODUCED, PARTLY, REPRODUCED, CheckResult
from .status import BROKEN, FigureStatus, figure_statuses
from .verify import Outcome, verify

if TYPE_CHECKING:
    from .figures import Figure

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;font-size:90%}
.reproduced,.pass{background:#e3f6e3}.partly,.FAIL,.fail,.not{background:#fbe0e0}.partly{background:#fdf3d0}
.UNVERIFIED,.noevidence{background:#eef}.missing,.broken{background:#eee}
.side{display:flex;gap:1em;align-items:flex-start}.side figure{flex:1;margin:0}
img{max-width:100%;border:1px solid #ddd}code{font-size:85%}section{margin-bottom:3em}
"""
#: CSS class and short mark of each verdict (a checksum mismatch shows as "fail" whatever the verdict).
_VERDICT_CLASS = {
    REPRODUCED: "reproduced",
    PARTLY: "partly",
    NOT_REPRODUCED: "not",
    NO_EVIDENCE: "noevidence",
    NOT_BUILT: "missing",
    BROKEN: "broken",
    "fail": "fail",
}


@dataclass
class ReportEntry:
    """Everything the report shows about one figure."""

    status: FigureStatus
    checksums: list[Outcome] = field(default_factory=list)
    provenance: dict[str, Any] | None = None

    @property
    def figure(self) -> Figure:
        """The figure."""
        return self.status.figure

    @property
    def checks(self) -> list[CheckResult]:
        """Its check results."""
        return self.status.results

    @property
    def mark(self) -> str:
        """The figure's verdict, or ``"fail"`` when a check failed or a checksum differs from ``dvc.lock``."""
        if self.status.problem:
            return self.status.verdict
        if any(o.failed for o in self.checksums) or any(r.failed and r.check.kind == "sanity" for r in self.checks):
            return "fail"
        return self.status.verdict

    @property
    def failed(self) -> bool:
        """Whether the figure fails: a sanity check or a checksum failed, or its data are missing or unreadable.

        A figure whose fidelity checks fail is not a failure of the build: its verdict says it does not reproduce.
        """
        return self.mark in ("fail", BROKEN) or (self.mark == NOT_BUILT and not self.status.waiting)


def collect(root: Path | None = None) -> list[ReportEntry]:
    """Gather the verdict, checksums and provenance of every figure from the files under ``root``.

    Parameters
    ----------
    root
        The project root; default :func:`paperrepro.core.paths.project_root`.

    Returns
    -------
    list of ReportEntry
        One per registered figure, in registry order. Without a usable ``dvc.lock`` the entries have no checksums.
    """
    root = root or paths.project_root()
    try:
        outcomes = verify(root)
    except PaperReproError:
        outcomes = []
    entries = []
    for status in figure_statuses(root):
        figure = status.figure
        entry = ReportEntry(status, [o for o in outcomes if o.stage == f"{figure.paper}-{figure.name}"])
        sidecar = figure.outputs(root / "figures")[1].with_name(f"{figure.name}.provenance.json")
        if sidecar.is_file():
            entry.provenance = json.loads(sidecar.read_text())
        entries.append(entry)
    return entries


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.name)}" src="data:image/png;base64,{data}">'


def _authors_images(entry: ReportEntry) -> list[tuple[str, str]]:
    """``(caption, <img> or a note)`` for each of the authors' images of the figure."""
    from .fetch import fetch

    shown = []
    for image in entry.status.reference.authors_images:
        try:
            shown.append((image.caption or image.name, _img(fetch(entry.figure.paper, image.name))))
        except PaperReproError as err:
            shown.append((image.caption or image.name, f"<p>Not available here: {html.escape(str(err))}</p>"))
    return shown


def _check_rows(checks: list[CheckResult]) -> str:
    return "".join(
        f'<tr class="{c.outcome}"><td>{html.escape(c.check.name)}</td><td>{c.check.kind}</td>'
        f"<td>{html.escape(c.computed_text())}</td><td>{html.escape(c.check.describe())}</td>"
        f"<td>{c.outcome}</td><td>{html.escape(c.check.source)}</td></tr>"
        for c in checks
    )


def _section(entry: ReportEntry, root: Path) -> str:
    f, s = entry.figure, entry.status
    png, _ = f.outputs(root / "figures")
    parts = [
        f'<section id="{f.paper}-{f.name}"><h3>{html.escape(f.paper)} / {html.escape(f.name)} '
        f'<span class="{_VERDICT_CLASS[entry.mark]}" data-verdict="{html.escape(entry.mark)}">'
        f"[{html.escape(entry.mark)}]</span></h3><p>{html.escape(f.description)}</p>"
    ]
    ours = _img(png) if png.is_file() else "<p>(not built)</p>"
    theirs = _authors_images(entry)
    figures = [f"<figure>{ours}<figcaption>paperrepro</figcaption></figure>"]
    figures += [f"<figure>{img}<figcaption>authors: {html.escape(caption)}</figcaption></figure>" for caption, img in theirs]
    parts.append(f'<div class="side">{"".join(figures)}</div>')
    if not theirs:
        parts.append("<p>The authors published no image of this figure.</p>")
    if s.problem:
        parts.append(f"<p><b>{html.escape(s.problem)}</b></p>")
    if s.verdict == NO_EVIDENCE:
        parts.append(f"<p>No evidence of reproduction: {html.escape(s.reference.no_evidence)}</p>")
    if s.results:
        evidence = [r for r in s.results if r.check.is_evidence]
        others = [r for r in s.results if not r.check.is_evidence]
        header = (
            "<tr><th>check</th><th>kind</th><th>ours</th><th>authors' value / expected</th><th>result</th><th>source</th></tr>"
        )
        if evidence:
            parts.append(
                f"<h4>Fidelity checks (the authors' values beside ours)</h4><table>{header}{_check_rows(evidence)}</table>"
            )
        if others:
            parts.append(f"<h4>Sanity and unverified checks (not evidence)</h4><table>{header}{_check_rows(others)}</table>")
    if entry.checksums:
        rows = "".join(
            f'<tr class="{"fail" if o.failed else "pass"}"><td><code>{html.escape(o.path)}</code></td>'
            f"<td>{o.status}</td><td>{html.escape(o.detail)}</td></tr>"
            for o in entry.checksums
        )
        parts.append(f"<h4>Checksums vs dvc.lock</h4><table><tr><th>output</th><th>md5</th><th>detail</th></tr>{rows}</table>")
    if entry.provenance:
        prov = {k: v for k, v in entry.provenance.items() if k != "checks"}
        cells = {k: json.dumps(v) if isinstance(v, dict) else str(v) for k, v in sorted(prov.items())}
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in cells.items())
        parts.append(f"<h4>Provenance</h4><table>{rows}</table>")
    else:
        parts.append("<p>No provenance sidecar here (the figure was built on another machine).</p>")
    parts.append("</section>")
    return "\n".join(parts)


def render(entries: list[ReportEntry], root: Path) -> str:
    """Return the report's HTML text.

    Parameters
    ----------
    entries
        As :func:`collect` returns them.
    root
        The project root (our PNGs are read from ``<root>/figures``).

    Returns
    -------
    str
        A self-contained HTML page (images embedded as data URIs).
    """
    from paperrepro import PACKAGES, __version__

    by_paper = {p: [e for e in entries if e.figure.paper == p] for p in PACKAGES}
    summary = "".join(
        f"<tr><th>{p}</th><td>"
        + " ".join(
            f'<a class="{_VERDICT_CLASS[e.mark]}" data-verdict="{html.escape(e.mark)}" '
            f'data-figure="{p}-{e.figure.name}" href="#{p}-{e.figure.name}">{html.escape(e.figure.name)}: '
            f"{html.escape(e.mark)}</a>"
            for e in items
        )
        + "</td></tr>"
        for p, items in by_paper.items()
        if items
    )
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.mark] = counts.get(e.mark, 0) + 1
    n_images = sum(len(e.status.reference.authors_images) for e in entries)
    body = "\n".join(_section(e, root) for e in entries)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>paperrepro report</title>"
        f"<style>{_CSS}</style></head><body><h1>paperrepro {__version__}: does each figure reproduce the paper?"
        f"</h1><p id='counts'>{len(entries)} figures: {html.escape(', '.join(f'{n} {v}' for v, n in counts.items()))};"
        f" {n_images} of the authors' images beside ours</p>"
        f"<table id='summary'><tr><th>paper</th><th>figures</th></tr>{summary}</table>{body}</body></html>\n"
    )


def write_report(path: Path | None = None, root: Path | None = None) -> tuple[Path, list[ReportEntry]]:
    """Write the report atomically.

    Parameters
    ----------
    path
        The HTML file; default ``<root>/figures/report.html``.
    root
        The project root; default :func:`paperrepro.core.paths.project_root`.

    Returns
    -------
    tuple
        The path written and the entries shown (:func:`collect`).
    """
    from .atomic import atomic_write_bytes

    root = root or paths.project_root()
    path = path or root / "figures" / "report.html"
    entries = collect(root)
    atomic_write_bytes(path, render(entries, root).encode())
    return path, entries
