"""Profiles and parameters: ``params.yaml`` → a validated, frozen parameter object per paper.

``params.yaml`` has this shape::

    profile: quick            # quick | paper
    seed: 0                   # base seed of every random stream
    rotational:
      quick: {...}            # fields of paperrepro.rotational.params.Params
      paper: {...}

Every paper declares a frozen dataclass ``Params``; the keys of a profile must be fields of it. An unknown profile,
paper section or key raises :class:`~paperrepro.core.errors.ConfigError` naming it and the valid choices.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import paths
from .errors import ConfigError

PROFILES: tuple[str, ...] = ("quick", "paper")
TOP_LEVEL_KEYS: tuple[str, ...] = ("profile", "seed")


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
        If the file is missing, not a mapping, or its ``profile`` is not one of :data:`PROFILES`.
    """
    from paperrepro import PAPERS

    path = path or paths.project_root() / "params.yaml"
    if not path.is_file():
        raise ConfigError(f"no params.yaml at {path}: run from the project folder or set PAPERREPRO_ROOT")
    data = yaml.safe_load(path.read_text()) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} must be a mapping of keys to values")
    unknown = sorted(set(data) - set(TOP_LEVEL_KEYS) - set(PAPERS))
    if unknown:
        raise ConfigError(
            f"unknown key(s) {unknown} in {path.name}; valid keys: {list(TOP_LEVEL_KEYS) + list(PAPERS)}"
        )
    check_profile(data.get("profile", "quick"))
    return data


def check_profile(profile: str) -> str:
    """Return ``profile`` if it is one of :data:`PROFILES`, else raise :class:`ConfigError`."""
    if profile not in PROFILES:
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
    """
    valid = [f.name for f in dataclasses.fields(params_type)]
    unknown = sorted(set(values) - set(valid))
    if unknown:
        raise ConfigError(f"unknown parameter(s) {unknown} in {where}; valid parameters: {', '.join(valid)}")
    try:
        return params_type(**{k: _freeze(v) for k, v in values.items()})
    except (TypeError, ValueError) as err:
        raise ConfigError(f"invalid parameters in {where}: {err}") from err


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
    """
    data = read_params_file(path)
    profile = check_profile(profile or data.get("profile", "quick"))
    section = data.get(paper)
    if not isinstance(section, dict):
        raise ConfigError(f"params.yaml has no section {paper!r} with profiles {', '.join(PROFILES)}")
    unknown = sorted(set(section) - set(PROFILES))
    if unknown:
        raise ConfigError(f"unknown profile(s) {unknown} under {paper!r}; valid profiles: {', '.join(PROFILES)}")
    return profile, make_params(params_type, section.get(profile) or {}, where=f"{paper}.{profile}")


def check_choices(params: Any, choices: dict[str, tuple]) -> None:
    """Raise ``ValueError`` naming the first field of ``params`` whose value is not among its valid choices.

    Papers call this from their ``Params.__post_init__``; :func:`make_params` turns the error into a
    :class:`ConfigError` that names the profile section.
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

        Examples
        --------
        >>> ctx.rng("network", 3).normal()   # doctest: +SKIP
        """
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=tuple(_stable_int(k) for k in keys))
        return np.random.default_rng(seq)

    def seed_for(self, *keys: Any) -> int:
        """Return a 32-bit integer seed for the stream named by ``keys`` (for torch or scikit-learn)."""
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=tuple(_stable_int(k) for k in keys))
        return int(seq.generate_state(1)[0])

    def data_path(self, *parts: str) -> Path:
        """Return ``<data_dir>/<paper>/<parts...>`` (parent folders are created)."""
        path = self.data_dir.joinpath(self.paper, *parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def params_json(self) -> str:
        """Return the parameters, profile and seed as canonical JSON (used for cache keys and provenance)."""
        record = {"paper": self.paper, "profile": self.profile, "seed": self.seed,
                  "params": dataclasses.asdict(self.params)}
        return json.dumps(record, sort_keys=True, default=str)
