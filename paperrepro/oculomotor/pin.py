"""Pinning: write a bundle of chosen checkpoints, check its size, hash it and register it (maturation and accuracy).

A paper decides *which* checkpoints to pin and what provenance to record (``paperrepro.maturation.pin``,
``paperrepro.accuracy.pin``); :func:`write_bundle` does the rest, the same way for both: an atomic, deterministic
netCDF write (:func:`paperrepro.core.activity.write_netcdf`), a size limit (the file is removed if it exceeds it), the
sha256 and the line ``<name> sha256:<hex> committed`` in the paper's ``registry.txt`` (:func:`register`, atomic; other
lines kept). :func:`pin_command` builds the ``pin`` command of a paper in the style of :mod:`paperrepro.core.cli`
(a :class:`~paperrepro.core.cli.Command`: one-line errors, exit codes, shared run options), and :func:`run_pin`
runs it as ``python -m paperrepro.<paper>.pin``.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import xarray as xr

from paperrepro.core.activity import write_netcdf
from paperrepro.core.atomic import atomic_write_text
from paperrepro.core.cli import Command, main
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import FigureRegistry

HASH_BLOCK = 1 << 20
"""Bytes read at a time while hashing."""


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def register(registry: Path, name: str, sha: str) -> Path:
    """Write ``<name> sha256:<sha> committed`` into ``registry`` atomically (replacing an old line of ``name``)."""
    registry = Path(registry)
    lines = registry.read_text().splitlines() if registry.is_file() else []
    kept = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [name]]
    atomic_write_text(registry, "\n".join([*kept, f"{name} sha256:{sha} committed"]) + "\n")
    return registry


def write_bundle(ds: xr.Dataset, out: Path | str, *, max_bytes: int, registry: Path | None = None) -> tuple[Path, str]:
    """Write a bundle, refuse it above ``max_bytes``, hash it and register it.

    Parameters
    ----------
    ds : xarray.Dataset
        The bundle (weights, log, provenance attributes).
    out : path
        Output netCDF file (parent folders are created).
    max_bytes : int
        Largest acceptable file; a larger one is removed and refused.
    registry : path, optional
        Registry file to update (``None``: leave registries alone).

    Returns
    -------
    (path, sha256)

    Raises
    ------
    DataError
        If the file exceeds ``max_bytes``.
    """
    out = write_netcdf(ds, Path(out))
    size = out.stat().st_size
    if size > max_bytes:
        out.unlink()
        raise DataError(
            f"{out.name} would be {size / 1e6:.1f} MB (> {max_bytes / 1e6:.1f} MB): pin fewer checkpoints "
            "(lower per_stage or raise plateau_every)"
        )
    sha = sha256_file(out)
    if registry is not None:
        register(registry, out.name, sha)
    return out, sha


def pin_command(
    description: str,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    run: Callable[[argparse.Namespace, RunContext], int],
) -> Command:
    """The ``pin`` command of a paper (:class:`~paperrepro.core.cli.Command`; errors are one line on stderr)."""
    return Command("pin", description, add_arguments, run)


def run_pin(registry: FigureRegistry, command: Command, argv: Sequence[str] | None = None) -> int:
    """Run a paper's ``pin`` command through :func:`paperrepro.core.cli.main` (``python -m paperrepro.<paper>.pin``)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    return main(registry, [command.name, *args], commands=[command])
