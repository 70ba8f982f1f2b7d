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
        severity: error                    # optional: error (default) or warn
        source: "spec rotational §12.1: 20-seed sweep of the original code; tolerance 4 SE"

Instead of ``value`` a check may give bounds (``min``, ``max``) or a direction (``monotonic: increasing`` or
``decreasing`` with ``along: <dim>``; with ``reduce: mean`` every dim but ``along`` is averaged). Numeric
coordinates in ``sel`` are matched to the nearest value, which must be within 1e-6.

A check with ``severity: warn`` (an expectation not yet verified against the paper, e.g. a recalled direction) is
evaluated and shown like any other, but outside its expectation it is reported as ``WARN`` and does not count as a
failure: :attr:`CheckResult.passed` stays true, :attr:`CheckResult.within` tells whether the value met it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
import yaml

from .errors import ConfigError

SEVERITIES: tuple[str, ...] = ("error", "warn")


@dataclass(frozen=True)
class Check:
    """One reference assertion about a figure's data (see the module docstring for the fields)."""

    name: str
    variable: str
    source: str
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

    def applies_to(self, profile: str) -> bool:
        """Return whether the check is meant for ``profile``."""
        return self.profiles is None or profile in self.profiles

    def describe(self) -> str:
        """Return the expectation in words, e.g. ``0.911 ± 0.02``."""
        if self.value is not None:
            tol = self.atol + self.rtol * abs(self.value)
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
    def passed(self) -> bool:
        """Whether the result does not count as a failure (within the expectation, or only a warning)."""
        return self.within or self.check.severity == "warn"

    @property
    def outcome(self) -> str:
        """``"ok"``, ``"WARN"`` (a ``severity: warn`` check outside its expectation) or ``"FAIL"``."""
        return "ok" if self.within else "WARN" if self.check.severity == "warn" else "FAIL"

    def computed_text(self) -> str:
        """Return the computed value(s) as short text."""
        values = np.atleast_1d(self.computed).astype(float)
        if values.size == 1:
            return f"{values[0]:.4g}"
        if self.check.monotonic:
            return "[" + ", ".join(f"{v:.3g}" for v in values) + "]"
        return f"{values.min():.4g} … {values.max():.4g} ({values.size} values)"


def load_checks(path: Path) -> list[Check]:
    """Read the reference checks of one figure from its YAML file.

    Raises
    ------
    ConfigError
        If the file is missing or an entry is malformed (unknown field, no source, no expectation, unknown
        severity).
    """
    if not path.is_file():
        raise ConfigError(f"no reference file {path}: every figure needs one (see paperrepro.core.reference)")
    data = yaml.safe_load(path.read_text()) or {}
    checks = []
    for i, entry in enumerate(data.get("checks", [])):
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
        if check.severity not in SEVERITIES:
            raise ConfigError(f"{path.name} check {check.name!r}: unknown severity {check.severity!r}; valid "
                              f"severities: {', '.join(SEVERITIES)}")
        checks.append(check)
    return checks


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
    if check.reduce == "mean":
        keep = [check.along] if check.monotonic else []
        da = da.mean([d for d in da.dims if d not in keep])
    elif check.reduce is not None:
        raise ConfigError(f"check {check.name!r}: unknown reduce {check.reduce!r} (only 'mean')")
    return da


def evaluate(ds: xr.Dataset, checks: list[Check], profile: str) -> list[CheckResult]:
    """Evaluate the checks that apply to ``profile`` on figure data ``ds``."""
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


def format_results(results: list[CheckResult], title: str = "") -> str:
    """Return a readable table of check results, failures (``FAIL``) and warnings (``WARN``) marked."""
    lines = [title] if title else []
    width = max((len(r.check.name) for r in results), default=10)
    for r in results:
        lines.append(f"  {r.outcome:<4} {r.check.name:<{width}}  computed {r.computed_text():<22} "
                     f"expected {r.check.describe()}")
        if not r.within:
            lines.append(f"       source: {r.check.source}")
    n_fail = sum(not r.passed for r in results)
    n_warn = sum(r.outcome == "WARN" for r in results)
    summary = f"  reference checks: {len(results) - n_fail - n_warn} within tolerance, {n_fail} outside"
    lines.append(summary + (f", {n_warn} warnings (unverified expectations)" if n_warn else ""))
    return "\n".join(lines)
