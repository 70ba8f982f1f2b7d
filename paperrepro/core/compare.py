"""Reproduction by tolerance: judge a rebuilt figure against the committed one.

Integrity and reproduction are different questions. ``verify`` (md5 against ``dvc.lock``) says nobody changed a
committed file; this module says whether a *rebuilt* output reproduces the committed one, which across CPUs, BLAS
builds and vector units means "equal within a declared numerical tolerance", not "equal bytes". Each output gets one
of three classes:

* ``identical`` — the same bytes;
* ``equivalent`` — the bytes differ, but every data variable of the ``.nc`` is within the figure's tolerance of the
  committed data, and every coordinate and every attribute that is not provenance is equal (numeric coordinates and
  attributes within the same tolerance);
* ``different`` — names the variable (or coordinate or attribute), the largest absolute and relative difference and
  where it lies.

A figure that trains networks while it is built (``FigureRegistry.figure(..., trains_in_build=...)``) cannot be judged
by a numerical tolerance: training amplifies last-bit differences into other networks. Its rebuilt data are
``retrained`` when the verdict of its reference checks is the committed one, and ``different`` (naming both verdicts)
otherwise.

A PNG is judged through its ``.nc``: identical bytes, or the class of the figure's data. The committed version is read
from git (``HEAD`` by default), so no copy of ``dvc.lock`` or of the outputs is needed.

Each figure declares its :class:`Tolerance` once, at registration (``FigureRegistry.figure(..., tolerance=...)``);
:data:`DEFAULT_TOLERANCE` applies otherwise. The tolerance is a statement about the *arithmetic* (float32 accumulation,
summation order in BLAS kernels), never about training chaos: an output whose rebuild depends on a training run that
amplifies last-bit differences cannot be judged by a tolerance and must come from pinned networks.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from . import paths
from .errors import CheckError, PaperReproError

if TYPE_CHECKING:
    from .reference import Check

IDENTICAL, EQUIVALENT, RETRAINED, DIFFERENT, MISSING, NEW = (
    "identical",
    "equivalent",
    "retrained",
    "different",
    "missing",
    "new",
)
#: Attributes that record how and when a file was made, not what it holds.
PROVENANCE_ATTRS: frozenset[str] = frozenset({"paperrepro_version", "git_commit", "code_commit", "history", "date_created"})


@dataclass(frozen=True)
class Tolerance:
    """The numerical tolerance under which a rebuilt figure's data count as equivalent.

    A value ``new`` is equivalent to ``old`` when ``|new - old| <= atol + rtol * |old|`` (``numpy.isclose``); NaNs
    must coincide. Integer, boolean and text variables must be equal.

    Parameters
    ----------
    rtol, atol : float
        The default for every variable of the figure.
    variables : mapping of str to (rtol, atol)
        Overrides for single variables.
    reason : str
        Why this tolerance is right (which arithmetic the differences come from).
    """

    rtol: float = 1e-5
    atol: float = 1e-8
    variables: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    reason: str = (
        "float64 analyses of float32 network activity: BLAS kernels (AVX2, AVX-512) sum in different orders, "
        "≈ 1e-7 relative per float32 product, amplified ≤ 100× by means, divisions and fits"
    )

    def __post_init__(self) -> None:
        for name, (rtol, atol) in {"*": (self.rtol, self.atol), **self.variables}.items():
            if not (rtol >= 0 and atol >= 0 and math.isfinite(rtol) and math.isfinite(atol)):
                raise ValueError(f"tolerance of {name!r} must be finite and non-negative, got rtol={rtol}, atol={atol}")

    def of(self, variable: str) -> tuple[float, float]:
        """Return the tolerance of one variable.

        Parameters
        ----------
        variable
            Name of a data variable of the figure's dataset.

        Returns
        -------
        tuple of float
            ``(rtol, atol)``: its override from ``variables``, else the figure's default.
        """
        rtol, atol = self.variables.get(variable, (self.rtol, self.atol))
        return float(rtol), float(atol)


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True)
class Judgement:
    """The class of one rebuilt output and, unless identical, its largest difference."""

    path: str
    status: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Whether the rebuild does not reproduce the committed output."""
        return self.status not in (IDENTICAL, EQUIVALENT, RETRAINED)


@dataclass(frozen=True)
class _Diff:
    name: str
    max_abs: float
    max_rel: float
    where: str
    within: bool

    def text(self) -> str:
        return f"{self.name}: max |Δ| {self.max_abs:.3g}, max relative {self.max_rel:.3g} at {self.where}"


def _where(da: xr.DataArray, index: int) -> str:
    if not da.dims:
        return "(scalar)"
    position = np.unravel_index(index, da.shape)
    labels = []
    for dim, i in zip(da.dims, position, strict=True):
        label = da[dim].values[i] if dim in da.coords else i
        labels.append(f"{dim}={label.item() if hasattr(label, 'item') else label}")
    return ", ".join(labels)


def _numeric_diff(name: str, new: xr.DataArray, old: xr.DataArray, rtol: float, atol: float) -> _Diff:
    a = np.asarray(new.values, dtype=np.float64)
    b = np.asarray(old.values, dtype=np.float64)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if not np.array_equal(nan_a, nan_b):
        index = int(np.flatnonzero((nan_a != nan_b).ravel())[0])
        return _Diff(name, math.inf, math.inf, _where(old, index) + " (NaN in one only)", False)
    both = ~nan_a
    diff = np.where(both, np.abs(a - b), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(both & (diff > 0), diff / np.abs(b), 0.0)
    inf_mismatch = both & (np.isinf(a) | np.isinf(b)) & (a != b)
    within = bool(np.all(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)) and not inf_mismatch.any())
    if not diff.size:
        return _Diff(name, 0.0, 0.0, "(empty)", within)
    worst = int(np.argmax(np.where(np.isfinite(diff), diff - (atol + rtol * np.abs(b)), np.inf).ravel()))
    return _Diff(name, float(np.nanmax(diff)), float(np.nanmax(rel)), _where(old, worst), within)


def _compare_array(name: str, new: xr.DataArray, old: xr.DataArray, rtol: float, atol: float) -> _Diff:
    if new.dims != old.dims or new.shape != old.shape:
        return _Diff(name, math.inf, math.inf, f"shape {dict(new.sizes)} vs committed {dict(old.sizes)}", False)
    if new.dtype.kind in "fc" or old.dtype.kind in "fc":
        return _numeric_diff(name, new, old, rtol, atol)
    equal = np.array_equal(new.values, old.values)
    if equal:
        return _Diff(name, 0.0, 0.0, "", True)
    index = int(np.flatnonzero((np.asarray(new.values) != np.asarray(old.values)).ravel())[0])
    return _Diff(name, math.inf, math.inf, _where(old, index) + " (exact values differ)", False)


def _attr_differences(new: Mapping[Any, Any], old: Mapping[Any, Any], where: str, tol: Tolerance) -> list[str]:
    problems = []
    for key in sorted((set(new) | set(old)) - PROVENANCE_ATTRS):
        if key not in new or key not in old:
            problems.append(f"attribute {key!r} of {where} is only in the {'rebuilt' if key in new else 'committed'} file")
            continue
        a, b = np.asarray(new[key]), np.asarray(old[key])
        if a.dtype.kind in "fc" and b.dtype.kind in "fc" and a.shape == b.shape:
            if not np.allclose(a, b, rtol=tol.rtol, atol=tol.atol, equal_nan=True):
                problems.append(f"attribute {key!r} of {where}: {new[key]!r} vs committed {old[key]!r}")
        elif not np.array_equal(a, b):
            problems.append(f"attribute {key!r} of {where} differs")
    return problems


def compare_datasets(new: xr.Dataset, old: xr.Dataset, tolerance: Tolerance = DEFAULT_TOLERANCE) -> tuple[str, str]:
    """Classify rebuilt figure data against committed data.

    Parameters
    ----------
    new, old
        The rebuilt and the committed figure datasets.
    tolerance
        The figure's declared tolerance.

    Returns
    -------
    (status, detail)
        ``("equivalent", <largest difference>)`` or ``("different", <what differs, largest difference, where>)``.
        Byte identity is judged by the caller; equal data give ``"equivalent"`` with a zero difference.
    """
    problems: list[str] = []
    for kind, a, b in (("variable", new.data_vars, old.data_vars), ("coordinate", new.coords, old.coords)):
        only = sorted(set(map(str, a)) ^ set(map(str, b)))
        problems += [f"{kind} {n!r} is only in the {'rebuilt' if n in a else 'committed'} file" for n in only]
    diffs = []
    for name in sorted(set(map(str, old.coords)) & set(map(str, new.coords))):
        diffs.append(_compare_array(f"coordinate {name}", new[name], old[name], tolerance.rtol, tolerance.atol))
        problems += _attr_differences(new[name].attrs, old[name].attrs, f"coordinate {name}", tolerance)
    for name in sorted(set(map(str, old.data_vars)) & set(map(str, new.data_vars))):
        rtol, atol = tolerance.of(name)
        diffs.append(_compare_array(name, new[name], old[name], rtol, atol))
        problems += _attr_differences(new[name].attrs, old[name].attrs, f"variable {name}", tolerance)
    problems += _attr_differences(new.attrs, old.attrs, "the dataset", tolerance)
    failing = [d for d in diffs if not d.within]
    if failing or problems:
        worst = max(failing, key=lambda d: d.max_rel) if failing else None
        parts = ([worst.text()] if worst else []) + problems[:3]
        more = len(failing) - 1 + max(0, len(problems) - 3) if worst else max(0, len(problems) - 3)
        return DIFFERENT, "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
    largest = max(diffs, key=lambda d: d.max_rel, default=None)
    if largest is None or largest.max_rel == 0:
        return EQUIVALENT, "data equal; bytes differ (encoding or metadata)"
    return EQUIVALENT, "largest difference " + largest.text()


def committed_bytes(path: str, rev: str = "HEAD", root: Path | None = None) -> bytes | None:
    """Return the bytes of a file at a git revision.

    Parameters
    ----------
    path
        The file, relative to the project root (as in ``dvc.lock``).
    rev
        The git revision.
    root
        The project root; default :func:`paperrepro.core.paths.project_root`.

    Returns
    -------
    bytes or None
        The committed content, or ``None`` if the file is not in ``rev``.

    Raises
    ------
    CheckError
        If ``root`` is not a git checkout (the committed version cannot be read).
    """
    root = root or paths.project_root()
    try:
        out = subprocess.run(["git", "cat-file", "blob", f"{rev}:{path}"], cwd=root, capture_output=True, timeout=60)
    except OSError as err:
        raise CheckError(f"git is needed to read the committed outputs ({err})") from err
    if out.returncode != 0:
        probe = subprocess.run(["git", "rev-parse", "--verify", rev], cwd=root, capture_output=True, timeout=60)
        if probe.returncode != 0:
            raise CheckError(f"cannot read revision {rev!r} in {root.name}: the comparison needs a git checkout")
        return None
    return out.stdout


def _read_dataset(data: bytes) -> xr.Dataset:
    from .activity import read_netcdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "committed.nc"
        path.write_bytes(data)
        return read_netcdf(path)


def _presence(path: Path, committed: bytes | None, rel: str, rev: str) -> Judgement | None:
    """The judgement of a rebuilt file that is missing, new or byte-identical; ``None`` when its content must be judged."""
    if not path.is_file():
        return Judgement(rel, MISSING, "not rebuilt: the file does not exist")
    if committed is None:
        return Judgement(rel, NEW, f"not in {rev}: nothing to compare with")
    if path.read_bytes() == committed:
        return Judgement(rel, IDENTICAL)
    return None


def judge_figure(
    png: Path,
    nc: Path,
    rel_png: str,
    rel_nc: str,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    rev: str = "HEAD",
    root: Path | None = None,
    verdict_of: Callable[[xr.Dataset], str] | None = None,
) -> list[Judgement]:
    """Judge the two outputs of one figure (``.nc`` by tolerance, ``.png`` through its ``.nc``).

    Parameters
    ----------
    png, nc
        The rebuilt files.
    rel_png, rel_nc
        Their paths relative to the project root (as in ``dvc.lock`` and git).
    tolerance
        The figure's declared tolerance.
    rev
        The git revision holding the committed outputs.
    root
        The project root.
    verdict_of
        For a figure that trains in the build: the verdict of a dataset's reference checks; the rebuilt data are then
        judged by it instead of the tolerance.

    Returns
    -------
    list of Judgement
        The ``.nc`` first, then the ``.png``.
    """
    from .activity import read_netcdf

    old_nc = committed_bytes(rel_nc, rev, root)
    data = _presence(nc, old_nc, rel_nc, rev)
    if data is None:
        try:
            new, old = read_netcdf(nc), _read_dataset(old_nc or b"")
            if verdict_of is None:
                status, detail = compare_datasets(new, old, tolerance)
            else:
                before, after = verdict_of(old), verdict_of(new)
                status = RETRAINED if before == after else DIFFERENT
                detail = f"trains in the build; verdict {after}" + ("" if before == after else f", committed {before}")
        except (OSError, ValueError, PaperReproError) as err:
            status, detail = DIFFERENT, f"cannot read or check one of the two files: {err}"
        data = Judgement(rel_nc, status, detail)
    image = _presence(png, committed_bytes(rel_png, rev, root), rel_png, rev)
    if image is None:
        image = Judgement(
            rel_png,
            data.status if data.status != IDENTICAL else DIFFERENT,
            "pixels differ; judged through its .nc"
            if data.status != IDENTICAL
            else "pixels differ although the data are identical (rendering changed)",
        )
    return [data, image]


def _verdict_function(checks: list[Check]) -> Callable[[xr.Dataset], str]:
    """The verdict of a figure dataset's reference checks, under the profile it was built with."""
    from .reference import evaluate, verdict

    def verdict_of(ds: xr.Dataset) -> str:
        return verdict(evaluate(ds, checks, str(ds.attrs.get("profile", "quick"))))

    return verdict_of


def judge_outputs(rev: str = "HEAD", root: Path | None = None, papers: list[str] | None = None) -> list[Judgement]:
    """Judge every built figure of the pipeline against a git revision.

    Parameters
    ----------
    rev
        The git revision holding the committed outputs.
    root
        The project root; default :func:`paperrepro.core.paths.project_root`. The outputs are read from
        ``<root>/figures``.
    papers
        Judge only the figures of these papers; default every paper.

    Returns
    -------
    list of Judgement
        Two per figure (see :func:`judge_figure`), in pipeline order.

    Raises
    ------
    CheckError
        If ``root`` is not a git checkout.
    """
    from .config import load_params
    from .figures import paper_registry, ready_figures
    from .reference import load_checks

    root = root or paths.project_root()
    judgements: list[Judgement] = []
    for figure in ready_figures():
        if papers and figure.paper not in papers:
            continue
        png, nc = figure.outputs(root / "figures")
        verdict_of = None
        registry = paper_registry(figure.paper)
        if registry is not None and figure.trains(load_params(figure.paper, registry.params_type)[1]):
            verdict_of = _verdict_function(load_checks(figure.reference_file))
        judgements += judge_figure(
            png, nc, png.relative_to(root).as_posix(), nc.relative_to(root).as_posix(), figure.tolerance, rev, root, verdict_of
        )
    return judgements


def format_judgements(judgements: list[Judgement]) -> str:
    """Return the table printed after a rebuild: one line per output, then the counts.

    Parameters
    ----------
    judgements
        As :func:`judge_outputs` returns them.

    Returns
    -------
    str
        The table, without a final newline.
    """
    width = max((len(j.path) for j in judgements), default=10)
    lines = [f"  {j.status:<10} {j.path:<{width}}  {j.detail}".rstrip() for j in judgements]
    counts = {s: sum(j.status == s for j in judgements) for s in (IDENTICAL, EQUIVALENT, RETRAINED, DIFFERENT, MISSING, NEW)}
    lines.append("rebuild vs committed: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n or s not in (NEW, RETRAINED)))
    return "\n".join(lines)
