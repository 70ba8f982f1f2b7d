"""Reference values with tolerances, compared with computed figure data.

One YAML file per figure, ``paperrepro/<paper>/reference/<figure>.yaml``::

    figure: model_auc
    checks:
      - name: A/X sensory AUC at tp0, association 0
        variable: auc                      # data variable of the figure dataset
        sel: {readout: AX0, association: 0.0}
        reduce: mean                       # optional: mean over the remaining dims
        value: 0.911                       # compared with atol and/or rtol (numpy.isclose semantics) ...
        atol: 0.02
        profiles: [quick]                  # optional: profiles the check applies to (default: every profile)
        kind: fidelity                     # fidelity (the value comes from the authors) or sanity (internal)
        severity: error                    # optional: error (default) or unverified
        source: "original code re-run (RotationalDynamics @ 307afcc, 20 seeds); tolerance 4 SE of the seed spread"
    no_evidence: "..."                     # required when no check is a verified fidelity check: why
    authors_images:                        # optional: the authors' published images of this figure
      - name: odr3000_psth.png             # a file of the paper's pooch registry
        caption: "the authors' ODR-3s delay-unit PSTH (example_figure/)"

With ``within_spread: <dim>`` (e.g. ``train_seed``) a ``value`` check passes when the expected value lies within the
range of the computed values along that dimension (the spread between trained networks), widened by ``atol`` and
``rtol``: the authors' network is then one of ours. Without it, every computed value must meet the expectation.

Instead of ``value`` a check may give bounds (``min``, ``max``) or a direction (``monotonic: increasing`` or
``decreasing`` with ``along: <dim>``; with ``reduce: mean`` every dim but ``along`` is averaged). Numeric
coordinates in ``sel`` are matched to the nearest value, which must be within 1e-6.

Two kinds of check. A **fidelity** check's expected value comes from the authors: the paper's text or figure, the
authors' published data or images, or the original code re-run; its ``source`` names the artefact (paper, figure and
panel; or repository, commit and file) and the tolerance says where it comes from (seed spread). A **sanity** check
tests internal consistency and is never counted as evidence of reproduction. No bound may be derived from the output
it checks.

A check with ``severity: unverified`` is an expectation nobody has verified against the authors yet (e.g. a recalled
claim). It is evaluated and shown, always as ``UNVERIFIED`` (never as a pass), and neither fails the figure nor counts
as evidence. Every other check that misses its expectation fails (:attr:`CheckResult.failed`).

Each figure gets a :func:`verdict` from its fidelity checks: *reproduced* (all pass), *partly reproduced* (some pass),
*not reproduced* (none pass), *no evidence* (no verified fidelity check; the file must say why in ``no_evidence``) or
*not built*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
import yaml

from .errors import ConfigError

KINDS: tuple[str, ...] = ("fidelity", "sanity")
SEVERITIES: tuple[str, ...] = ("error", "unverified")
REPRODUCED, PARTLY, NOT_REPRODUCED, NO_EVIDENCE, NOT_BUILT = (
    "reproduced",
    "partly reproduced",
    "not reproduced",
    "no evidence",
    "not built",
)
VERDICTS: tuple[str, ...] = (REPRODUCED, PARTLY, NOT_REPRODUCED, NO_EVIDENCE, NOT_BUILT)


@dataclass(frozen=True)
class Check:
    """One reference assertion about a figure's data (see the module docstring for the fields)."""

    name: str
    variable: str
    source: str
    kind: str
    sel: dict[str, Any] = field(default_factory=dict)
    reduce: str | None = None
    value: float | None = None
    atol: float = 0.0
    rtol: float = 0.0
    min: float | None = None
    max: float | None = None
    monotonic: str | None = None
    along: str | None = None
    profiles: tuple[str, ...] | None = None
    severity: str = "error"
    within_spread: str | None = None

    @property
    def is_evidence(self) -> bool:
        """Whether the check counts towards the verdict (a verified fidelity check)."""
        return self.kind == "fidelity" and self.severity == "error"

    def applies_to(self, profile: str) -> bool:
        """Return whether the check is meant for a profile.

        Parameters
        ----------
        profile
            ``quick`` or ``paper``.

        Returns
        -------
        bool
            ``True`` when the check lists no ``profiles`` or lists this one.
        """
        return self.profiles is None or profile in self.profiles

    def describe(self) -> str:
        """Return the expectation in words.

        Returns
        -------
        str
            E.g. ``0.911 ± 0.02``, ``increasing along stage`` or ``>= 0.5 and <= 1``.
        """
        if self.value is not None:
            tol = self.atol + self.rtol * abs(self.value)
            if self.within_spread:
                return f"{self.value:g} within the range over {self.within_spread} ± {tol:.3g}"
            return f"{self.value:g} ± {tol:.3g}"
        if self.monotonic:
            return f"{self.monotonic} along {self.along}"
        parts = []
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one :class:`Check` on computed data.

    Attributes
    ----------
    check
        The check.
    computed
        The selected (and reduced) computed values.
    within
        Whether the values meet the check's expectation.
    """

    check: Check
    computed: np.ndarray
    within: bool

    @property
    def failed(self) -> bool:
        """Whether the result is a failure: a verified check outside its expectation."""
        return not self.within and self.check.severity == "error"

    @property
    def outcome(self) -> str:
        """``"pass"``, ``"FAIL"`` or ``"UNVERIFIED"`` (a ``severity: unverified`` check, met or not)."""
        if self.check.severity == "unverified":
            return "UNVERIFIED"
        return "pass" if self.within else "FAIL"

    def computed_text(self) -> str:
        """Return the computed value(s) as short text.

        Returns
        -------
        str
            One value, the list of a monotonic check's values, or the range and count of many values.
        """
        values = np.atleast_1d(self.computed).astype(float)
        if values.size == 1:
            return f"{values[0]:.4g}"
        if self.check.monotonic:
            return "[" + ", ".join(f"{v:.3g}" for v in values) + "]"
        return f"{values.min():.4g} … {values.max():.4g} ({values.size} values)"


@dataclass(frozen=True)
class AuthorsImage:
    """An image the authors published for a figure: a file of the paper's pooch registry."""

    name: str
    caption: str


@dataclass(frozen=True)
class Reference:
    """The reference file of one figure: its checks, the authors' images and, without evidence, the reason."""

    checks: list[Check]
    no_evidence: str = ""
    authors_images: tuple[AuthorsImage, ...] = ()

    @property
    def fidelity_checks(self) -> list[Check]:
        """The checks that count as evidence of reproduction."""
        return [c for c in self.checks if c.is_evidence]


_TOP_LEVEL = {"figure", "checks", "no_evidence", "authors_images"}


def _check(path: Path, i: int, entry: dict[str, Any]) -> Check:
    try:
        if "profiles" in entry:
            entry = {**entry, "profiles": tuple(entry["profiles"])}
        check = Check(**entry)
    except TypeError as err:
        raise ConfigError(f"{path.name} check {i}: {err}") from err
    if not check.source:
        raise ConfigError(f"{path.name} check {check.name!r} states no source")
    if check.value is None and check.min is None and check.max is None and check.monotonic is None:
        raise ConfigError(f"{path.name} check {check.name!r} has no value, bound or direction")
    if check.within_spread and check.value is None:
        raise ConfigError(f"{path.name} check {check.name!r}: within_spread needs a value")
    if check.kind not in KINDS:
        raise ConfigError(f"{path.name} check {check.name!r}: unknown kind {check.kind!r}; valid kinds: {', '.join(KINDS)}")
    if check.severity not in SEVERITIES:
        raise ConfigError(
            f"{path.name} check {check.name!r}: unknown severity {check.severity!r}; valid severities: {', '.join(SEVERITIES)}"
        )
    return check


def load_reference(path: Path) -> Reference:
    """Read the reference file of one figure.

    Parameters
    ----------
    path
        ``paperrepro/<paper>/reference/<figure>.yaml`` (the figure's ``reference_file``).

    Returns
    -------
    Reference
        Its checks, the authors' images and the reason for no evidence.

    Raises
    ------
    ConfigError
        If the file is missing or malformed (unknown field, no source, no expectation, unknown kind or severity), or
        if it has no verified fidelity check and does not say why in ``no_evidence``.
    """
    if not path.is_file():
        raise ConfigError(f"no reference file {path}: every figure needs one (see paperrepro.core.reference)")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise ConfigError(
            f"{path.name} is not valid YAML ({str(err).splitlines()[0]}); restore it with git checkout -- {path.name}"
        ) from err
    unknown = sorted(set(data) - _TOP_LEVEL)
    if unknown:
        raise ConfigError(f"{path.name}: unknown top-level field(s) {unknown}; valid: {', '.join(sorted(_TOP_LEVEL))}")
    checks = [_check(path, i, entry) for i, entry in enumerate(data.get("checks", []))]
    images = tuple(AuthorsImage(str(e["name"]), str(e.get("caption", ""))) for e in data.get("authors_images", []))
    ref = Reference(checks, str(data.get("no_evidence", "") or ""), images)
    if not ref.fidelity_checks and not ref.no_evidence:
        raise ConfigError(f"{path.name} has no verified fidelity check: add one, or say why in no_evidence")
    return ref


def load_checks(path: Path) -> list[Check]:
    """Read the reference checks of one figure.

    Parameters
    ----------
    path
        The figure's reference file.

    Returns
    -------
    list of Check
        In file order.

    Raises
    ------
    ConfigError
        As :func:`load_reference`.
    """
    return load_reference(path).checks


def _select(ds: xr.Dataset, check: Check) -> xr.DataArray:
    if check.variable not in ds:
        raise ConfigError(f"check {check.name!r}: the figure data have no variable {check.variable!r}")
    da = ds[check.variable]
    for dim, wanted in check.sel.items():
        if dim not in da.coords:
            raise ConfigError(f"check {check.name!r}: variable {check.variable!r} has no coordinate {dim!r}")
        coord = da[dim]
        if coord.dtype.kind in "fiu":
            da = da.sel({dim: wanted}, method="nearest")
            if abs(float(da[dim]) - float(wanted)) > 1e-6 * max(1.0, abs(float(wanted))):
                raise ConfigError(f"check {check.name!r}: no {dim} = {wanted} in the data")
        else:
            if wanted not in coord.values:
                raise ConfigError(f"check {check.name!r}: no {dim} = {wanted!r} in the data")
            da = da.sel({dim: wanted})
    if check.within_spread and check.within_spread not in da.dims:
        raise ConfigError(f"check {check.name!r}: variable {check.variable!r} has no dimension {check.within_spread!r}")
    if check.reduce == "mean":
        keep = [check.along] if check.monotonic else [check.within_spread] if check.within_spread else []
        da = da.mean([d for d in da.dims if d not in keep])
    elif check.reduce is not None:
        raise ConfigError(f"check {check.name!r}: unknown reduce {check.reduce!r} (only 'mean')")
    return da


def evaluate(ds: xr.Dataset, checks: list[Check], profile: str) -> list[CheckResult]:
    """Evaluate the checks that apply to a profile on figure data.

    Parameters
    ----------
    ds
        The figure's dataset.
    checks
        Its reference checks.
    profile
        The profile the data were built with; checks meant for other profiles are skipped.

    Returns
    -------
    list of CheckResult
        One per applicable check, in order.

    Raises
    ------
    ConfigError
        If a check asks for what the data do not hold (variable, coordinate value, dimension) or is malformed (unknown
        ``reduce``, ``monotonic`` on data that are not 1-D along ``along``, ``within_spread`` without a value).
    """
    results = []
    for check in checks:
        if not check.applies_to(profile):
            continue
        da = _select(ds, check)
        values = np.asarray(da.values, dtype=float)
        if check.monotonic:
            if da.dims != (check.along,):
                raise ConfigError(f"check {check.name!r}: monotonic needs 1-D data along {check.along!r}, got {da.dims}")
            steps = np.diff(values)
            passed = bool(np.all(steps > 0) if check.monotonic == "increasing" else np.all(steps < 0))
        elif check.within_spread:
            if check.value is None:  # load_checks refuses it; a Check built in code may not
                raise ConfigError(f"check {check.name!r}: within_spread needs a value")
            tol = check.atol + check.rtol * abs(check.value)
            finite = values[np.isfinite(values)]
            passed = bool(finite.size == values.size and finite.min() - tol <= check.value <= finite.max() + tol)
        else:
            ok = np.isfinite(values)
            if check.value is not None:
                ok &= np.isclose(values, check.value, atol=check.atol, rtol=check.rtol)
            if check.min is not None:
                ok &= values >= check.min
            if check.max is not None:
                ok &= values <= check.max
            passed = bool(np.all(ok))
        results.append(CheckResult(check, values, passed))
    return results


def verdict(results: list[CheckResult]) -> str:
    """Return the verdict of a built figure from its check results (see the module docstring).

    Parameters
    ----------
    results
        As :func:`evaluate` returns them.

    Returns
    -------
    str
        *no evidence* when no verified fidelity check applies; otherwise *reproduced*, *partly reproduced* or *not
        reproduced* as all, some or none of them pass. Sanity and unverified checks never enter the verdict.
    """
    evidence = [r for r in results if r.check.is_evidence]
    if not evidence:
        return NO_EVIDENCE
    n_pass = sum(r.within for r in evidence)
    return REPRODUCED if n_pass == len(evidence) else NOT_REPRODUCED if n_pass == 0 else PARTLY


def format_results(results: list[CheckResult], title: str = "") -> str:
    """Return a readable table of check results and the figure's verdict.

    Parameters
    ----------
    results
        As :func:`evaluate` returns them.
    title
        A first line, if not empty.

    Returns
    -------
    str
        One line per check (outcome, kind, name, computed and expected; the source under a check that was not met),
        then the counts and the verdict.
    """
    lines = [title] if title else []
    width = max((len(r.check.name) for r in results), default=10)
    for r in results:
        lines.append(
            f"  {r.outcome:<10} {r.check.kind:<8} {r.check.name:<{width}}  computed {r.computed_text():<22} "
            f"expected {r.check.describe()}"
        )
        if not r.within:
            lines.append(f"             source: {r.check.source}")
    evidence = [r for r in results if r.check.is_evidence]
    n_unverified = sum(r.outcome == "UNVERIFIED" for r in results)
    lines.append(
        f"  fidelity checks: {sum(r.within for r in evidence)} of {len(evidence)} pass; sanity checks: "
        f"{sum(r.check.kind == 'sanity' and r.within for r in results)} of "
        f"{sum(r.check.kind == 'sanity' and r.check.severity == 'error' for r in results)} pass"
        + (f"; {n_unverified} unverified" if n_unverified else "")
        + f" -> verdict: {verdict(results)}"
    )
    return "\n".join(lines)
