"""Profiles and parameters: ``params.yaml`` → a validated, frozen parameter object per paper.

``params.yaml`` has this shape::

    profile: quick            # quick | paper
    seed: 0                   # base seed of every random stream
    rotational:
      quick: {...}            # fields of paperrepro.rotational.params.Params
      paper: {...}

Every paper declares a frozen dataclass ``Params``; the keys of a profile must be fields of it. An unknown profile,
paper section or key raises :class:`~paperrepro.core.errors.ConfigError` naming it and the valid choices.

Validation
----------
Every value is checked against the type annotation and the declared range of its field *before* the ``Params`` object
is made (and so before any work), by one generic function, :func:`check_value`:

=================================  ===========================================================================
annotation                         accepted YAML values
=================================  ===========================================================================
``int``                            an integer (not ``true``/``false``, not ``2.0``), **>= 0** unless the field
                                   declares other bounds: counts, seeds and indices are never negative
``float``                          a finite number (integers too)
``str``, ``bool``                  text; ``true``/``false``
``tuple[T, ...]``                  a list of ``T``; ``tuple[T1, T2, T3]`` a list of exactly three values
``Literal[...]``, ``X | None``     one of the literals; ``null`` or an ``X``
=================================  ===========================================================================

Ranges are declared on the field with :func:`bounded` (``n_seeds: int = bounded(10, ge=1)``); they apply to the
value, or to every element of a tuple. Checks that involve several fields stay in the paper's ``__post_init__``
(``ValueError``). Every failure becomes one :class:`~paperrepro.core.errors.ConfigError` line that names the profile
section, the key, the value and what is expected, and the command line exits 2 with it. The top level is checked too:
``profile`` must be one of :data:`PROFILES` and ``seed`` an integer in ``[0, MAX_SEED]``; a YAML syntax error is
reported with its line and column.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import numbers
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from . import paths
from .errors import ConfigError

PROFILES: tuple[str, ...] = ("quick", "paper")
TOP_LEVEL_KEYS: tuple[str, ...] = ("profile", "seed")
MAX_SEED = 2**32 - 1
"""Largest base seed: ``numpy.random.RandomState`` (used by the oculomotor task streams) takes 32-bit seeds."""
BOUNDS_KEY = "paperrepro_bounds"
"""Key of :class:`Bounds` in a dataclass field's ``metadata`` (set by :func:`bounded`)."""


@dataclass(frozen=True)
class Bounds:
    """Closed (``ge``/``le``) or open (``gt``/``lt``) limits of a numeric parameter; ``None`` means no limit."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def describe(self) -> str:
        """Return the limits as text.

        Returns
        -------
        str
            E.g. ``">= 1 and < 10"``; infinite limits are left out, and no limits give ``""``.
        """
        parts = [
            f"{op} {value:g}"
            for op, value in ((">=", self.ge), (">", self.gt), ("<=", self.le), ("<", self.lt))
            if value is not None and not math.isinf(value)
        ]
        return " and ".join(parts)

    def contains(self, value: float) -> bool:
        """Return whether a value lies within the limits.

        Parameters
        ----------
        value
            The number to test.

        Returns
        -------
        bool
            ``True`` if it meets every limit that is set.
        """
        return (
            (self.ge is None or value >= self.ge)
            and (self.gt is None or value > self.gt)
            and (self.le is None or value <= self.le)
            and (self.lt is None or value < self.lt)
        )


DEFAULT_INT_BOUNDS = Bounds(ge=0)
"""Bounds of an ``int`` field that declares none: counts, seeds and indices are never negative."""
NO_BOUNDS = Bounds()


def bounded(
    default: Any, *, ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None
) -> Any:
    """Declare a dataclass field with a default and a range (checked by :func:`check_value`).

    Parameters
    ----------
    default
        The field's default value (immutable: a number, text or tuple).
    ge, gt, le, lt
        Lower and upper limits, inclusive (``ge``, ``le``) or exclusive (``gt``, ``lt``); for a tuple they apply to
        every element. An ``int`` field that may be negative declares ``ge=-math.inf``.

    Returns
    -------
    dataclasses.Field
        The field, with its :class:`Bounds` in ``metadata[BOUNDS_KEY]`` (typed ``Any``, as :func:`dataclasses.field`
        is, so that it can stand for any default).

    Examples
    --------
    >>> @dataclass(frozen=True)
    ... class Params:
    ...     n_seeds: int = bounded(10, ge=1)
    ...     target_perf: float = bounded(0.95, gt=0.0, le=1.0)
    """
    return field(default=default, metadata={BOUNDS_KEY: Bounds(ge=ge, gt=gt, le=le, lt=lt)})


class _Invalid(Exception):
    """A value does not match its annotation; the message says what was expected."""


def _kind(annotation: Any) -> str:
    """Describe an annotation in words, for messages (``tuple[int, ...]`` -> ``a list of integers``)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "an integer"
    if annotation is float:
        return "a number"
    if annotation is str:
        return "text"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_kind(args[0]).removeprefix('an ').removeprefix('a ')}s"
        return f"a list of {len(args)} values ({', '.join(_kind(a) for a in args)})"
    if origin in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _kind(a) for a in args)
    return getattr(annotation, "__name__", str(annotation))


def _check(value: Any, annotation: Any, bounds: Bounds | None) -> None:
    """Raise :class:`_Invalid` if ``value`` does not match ``annotation`` (and ``bounds``)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for member in args:
            try:
                return _check(value, member, bounds)
            except _Invalid:
                continue
        raise _Invalid(_kind(annotation))
    if origin is Literal:
        if value not in args:
            raise _Invalid(_kind(annotation))
        return None
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _Invalid(_kind(annotation))
        if len(args) == 2 and args[1] is Ellipsis:
            members = [args[0]] * len(value)
        elif args:
            if len(value) != len(args):
                raise _Invalid(_kind(annotation))
            members = list(args)
        else:
            return None
        for item, member in zip(value, members, strict=True):
            try:
                _check(item, member, bounds)
            except _Invalid as err:
                raise _Invalid(f"{_kind(annotation)}, each {err}") from None
        return None
    if annotation is type(None):
        if value is not None:
            raise _Invalid("null")
        return None
    if annotation is bool:
        if not isinstance(value, bool):
            raise _Invalid(_kind(bool))
        return None
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise _Invalid(_kind(int))
        limits = bounds or DEFAULT_INT_BOUNDS
    elif annotation is float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise _Invalid("a finite number")
        limits = bounds or NO_BOUNDS
    elif annotation is str:
        if not isinstance(value, str):
            raise _Invalid(_kind(str) + " (quote numbers: '0.5')")
        return None
    else:  # an annotation this checker does not know (a Path, a nested dataclass): left to the paper
        return None
    if not limits.contains(value):
        raise _Invalid(f"{_kind(annotation)} {limits.describe()}")
    return None


def check_value(params_type: type, name: str, value: Any) -> None:
    """Check one value for field ``name`` of ``params_type`` against its annotation and declared bounds.

    Parameters
    ----------
    params_type
        A dataclass whose annotations may be strings (``from __future__ import annotations``).
    name
        The field.
    value
        The value as read from YAML (lists not yet frozen into tuples).

    Raises
    ------
    ValueError
        ``"<name> must be <expectation>, got <value>"`` (one line).
    """
    hints = typing.get_type_hints(params_type)
    spec = {f.name: f for f in dataclasses.fields(params_type)}[name]
    try:
        _check(value, hints.get(name, Any), spec.metadata.get(BOUNDS_KEY))
    except _Invalid as err:
        raise ValueError(f"{name} must be {err}, got {value!r}") from None


def read_params_file(path: Path | None = None) -> dict[str, Any]:
    """Read ``params.yaml`` and check its top level.

    Parameters
    ----------
    path
        The file; default ``<project root>/params.yaml``.

    Returns
    -------
    dict
        The parsed file.

    Raises
    ------
    ConfigError
        If the file is missing, not valid YAML or not a mapping, has an unknown top-level key, its ``profile`` is not
        one of :data:`PROFILES` or its ``seed`` is not an integer in ``[0, MAX_SEED]``.
    """
    from paperrepro import PACKAGES

    path = path or paths.project_root() / "params.yaml"
    if not path.is_file():
        raise ConfigError(f"no params.yaml at {path}: run from the project folder or set PAPERREPRO_ROOT")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ConfigError(
            f"{path.name}{where}: YAML syntax error ({problem}); fix the file (indent with spaces, 'key: value', lists as [a, b])"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} must be a mapping of keys to values")
    unknown = sorted(set(data) - set(TOP_LEVEL_KEYS) - set(PACKAGES))
    if unknown:
        raise ConfigError(f"unknown key(s) {unknown} in {path.name}; valid keys: {list(TOP_LEVEL_KEYS) + list(PACKAGES)}")
    check_profile(data.get("profile", "quick"))
    if "seed" in data:
        try:
            check_seed(data["seed"])
        except ValueError as err:
            raise ConfigError(f"{path.name}: {err}; fix the top-level 'seed'") from None
    return data


def check_seed(seed: Any) -> int:
    """Check a base seed.

    Parameters
    ----------
    seed
        The value to check (from YAML or the command line).

    Returns
    -------
    int
        ``seed`` as a Python integer.

    Raises
    ------
    ValueError
        If ``seed`` is not an integer (booleans are not) in ``[0, MAX_SEED]``.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")
    return int(seed)


def check_profile(profile: str) -> str:
    """Check a profile name.

    Parameters
    ----------
    profile
        The value to check.

    Returns
    -------
    str
        ``profile``.

    Raises
    ------
    ConfigError
        If it is not one of :data:`PROFILES`; the message lists them.
    """
    if not isinstance(profile, str) or profile not in PROFILES:
        raise ConfigError(f"unknown profile {profile!r}; valid profiles: {', '.join(PROFILES)}")
    return profile


def _freeze(value: Any) -> Any:
    """Turn YAML lists into tuples (recursively) so that parameter objects are hashable."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def make_params(params_type: type, values: dict[str, Any], *, where: str) -> Any:
    """Build ``params_type(**values)``, naming unknown keys and the valid ones on failure.

    Parameters
    ----------
    params_type
        A frozen dataclass.
    values
        Keyword values, e.g. one profile section of ``params.yaml``.
    where
        Where the values came from, for the error message (e.g. ``"rotational.quick"``).

    Returns
    -------
    object
        The ``params_type`` instance, with YAML lists frozen into tuples.

    Raises
    ------
    ConfigError
        If a key is not a field, a value does not match its field's type and bounds (:func:`check_value`), or the
        dataclass itself rejects the combination.
    """
    if not isinstance(values, dict):
        raise ConfigError(f"{where} must be a mapping of parameter names to values, got {values!r}; fix it in params.yaml")
    valid = [f.name for f in dataclasses.fields(params_type)]
    unknown = sorted(set(values) - set(valid))
    if unknown:
        raise ConfigError(f"unknown parameter(s) {unknown} in {where}; valid parameters: {', '.join(valid)}")
    for name, value in values.items():
        try:
            check_value(params_type, name, value)
        except ValueError as err:
            raise ConfigError(f"invalid parameter in {where}: {err}; fix it in params.yaml") from None
    try:
        return params_type(**{k: _freeze(v) for k, v in values.items()})
    except (TypeError, ValueError) as err:
        message = " ".join(str(err).split())
        raise ConfigError(f"invalid parameters in {where}: {message}; fix them in params.yaml") from None


def load_params(paper: str, params_type: type, profile: str | None = None, *, path: Path | None = None) -> tuple[str, Any]:
    """Return ``(profile, params)`` of one paper from ``params.yaml``.

    Parameters
    ----------
    paper
        Module name of the paper, e.g. ``"rotational"``.
    params_type
        The paper's frozen ``Params`` dataclass.
    profile
        ``"quick"`` or ``"paper"``; default: the file's ``profile`` key.
    path
        The parameter file; default ``<project root>/params.yaml``.

    Returns
    -------
    tuple
        ``(profile, params)``: the profile used and the ``params_type`` instance.

    Raises
    ------
    ConfigError
        If the file, the paper's section or the profile is invalid (see :func:`read_params_file` and
        :func:`make_params`).
    """
    data = read_params_file(path)
    profile = check_profile(profile or data.get("profile", "quick"))
    section = data.get(paper)
    if not isinstance(section, dict):
        raise ConfigError(f"params.yaml has no section {paper!r} with profiles {', '.join(PROFILES)}")
    unknown = sorted(set(section) - set(PROFILES))
    if unknown:
        raise ConfigError(f"unknown profile(s) {unknown} under {paper!r}; valid profiles: {', '.join(PROFILES)}")
    values = section.get(profile)
    return profile, make_params(params_type, {} if values is None else values, where=f"{paper}.{profile}")


def check_params_file(path: Path | None = None) -> None:
    """Validate every profile of every paper in ``params.yaml`` (each paper's ``paperrepro.<paper>.params.Params``).

    Parameters
    ----------
    path
        The parameter file; default ``<project root>/params.yaml``.

    Raises
    ------
    ConfigError
        For the first problem found, as :func:`load_params` reports it.
    """
    import importlib

    from paperrepro import PACKAGES

    data = read_params_file(path)
    for paper in PACKAGES:
        if paper not in data:
            continue
        params_type = importlib.import_module(f"paperrepro.{paper}.params").Params
        for profile in PROFILES:
            if profile in (data[paper] or {}):
                load_params(paper, params_type, profile, path=path)


def check_choices(params: Any, choices: dict[str, tuple[Any, ...]]) -> None:
    """Check that fields of a parameter object hold one of their valid values.

    Papers call this from their ``Params.__post_init__``; :func:`make_params` turns the error into a
    :class:`ConfigError` that names the profile section.

    Parameters
    ----------
    params
        The parameter object.
    choices
        ``{field name: valid values}``.

    Raises
    ------
    ValueError
        Naming the first field whose value is not among its valid choices.
    """
    for name, valid in choices.items():
        value = getattr(params, name)
        if value not in valid:
            raise ValueError(f"{name} must be one of {tuple(valid)}, got {value!r}")


def _stable_int(key: Any) -> int:
    """Map a key (int, str, float, tuple) to a non-negative integer that is the same on every machine."""
    if isinstance(key, (int, np.integer)) and key >= 0:
        return int(key)
    digest = hashlib.sha256(repr(key).encode()).digest()
    return int.from_bytes(digest[:8], "little")


@dataclass(frozen=True)
class RunContext:
    """Everything a figure's data function needs: parameters, seed, execution and data location.

    Attributes
    ----------
    paper
        Module name of the paper.
    profile
        ``"quick"`` or ``"paper"`` (tests may use other labels for reduced parameters).
    params
        The paper's frozen ``Params`` instance.
    seed
        Base seed; every random stream is derived from it with :meth:`rng`.
    jobs
        Number of worker processes for sweeps.
    executor
        ``"serial"``, ``"local"`` or ``"dask"`` (see :mod:`paperrepro.core.execute`).
    data_dir
        Folder for downloads and intermediates; default from :func:`paperrepro.core.paths.data_dir`.
    """

    paper: str
    profile: str
    params: Any
    seed: int = 0
    jobs: int = 1
    executor: str = "serial"
    data_dir: Path = field(default_factory=paths.data_dir)

    def rng(self, *keys: Any) -> np.random.Generator:
        """Return an independent generator for the stream named by ``keys`` (same keys, same numbers).

        Parameters
        ----------
        *keys
            Names of the stream (ints, text, floats, tuples), e.g. ``"network", 3``.

        Returns
        -------
        numpy.random.Generator
            Seeded from the base seed and the keys: equal on every machine, independent of other keys' streams.

        Examples
        --------
        >>> ctx.rng("network", 3).normal()   # doctest: +SKIP
        """
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=tuple(_stable_int(k) for k in keys))
        return np.random.default_rng(seq)

    def seed_for(self, *keys: Any) -> int:
        """Return a 32-bit integer seed for the stream named by ``keys`` (for torch or scikit-learn).

        Parameters
        ----------
        *keys
            Names of the stream, as for :meth:`rng`.

        Returns
        -------
        int
            In ``[0, 2**32)``; the same keys give the same seed.
        """
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=tuple(_stable_int(k) for k in keys))
        return int(seq.generate_state(1)[0])

    def data_path(self, *parts: str) -> Path:
        """Return a path in the paper's data folder.

        Parameters
        ----------
        *parts
            Path components below ``<data_dir>/<paper>``.

        Returns
        -------
        Path
            ``<data_dir>/<paper>/<parts...>``; its parent folders are created.
        """
        path = self.data_dir.joinpath(self.paper, *parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def params_json(self) -> str:
        """Return the parameters, profile and seed as canonical JSON (used for cache keys and provenance).

        Returns
        -------
        str
            Sorted keys; values JSON cannot hold are written as their ``str``.
        """
        record = {"paper": self.paper, "profile": self.profile, "seed": self.seed, "params": dataclasses.asdict(self.params)}
        return json.dumps(record, sort_keys=True, default=str)
