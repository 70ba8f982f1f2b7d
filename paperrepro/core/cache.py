"""Memoised intermediates: a dataset computed once per (paper, name, profile, parameters, seed, code).

Several figures of a paper often share one expensive product (a sweep of networks, a training run's activity).
:func:`cached_dataset` stores it as netCDF under ``<data_dir>/<paper>/cache/<name>-<key>.nc``. The key is a hash of

* the product's name and the run's parameters, profile and seed (:meth:`RunContext.params_json`), and
* a **code fingerprint** (:func:`code_fingerprint`): the SHA-256 of the source files of the code that computes the
  product. By default that is the paper's subpackage and, transitively, every ``paperrepro`` subpackage its source
  imports (:func:`code_packages`; e.g. maturation → ``core``, ``oculomotor``), plus the paper's ``registry.txt``,
  whose hashes change when a pinned input file is re-pinned.

So a second figure reuses the product, and a change of parameters *or of the code* recomputes it instead of reusing
a stale result. The fingerprint is deliberately coarse: any edit of those packages (a comment included) invalidates
the paper's cached products; a caller that knows a narrower set passes ``code=`` (package names or files). Old
products are never deleted automatically; ``<data_dir>/<paper>/cache/`` may be emptied at any time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import xarray as xr

from . import paths
from .activity import read_netcdf, write_netcdf
from .config import RunContext

SOURCE_SUFFIXES: tuple[str, ...] = (".py", ".c", ".h")
"""Files whose content enters the code fingerprint (Python modules and the C sources of compiled kernels)."""
EXTRA_FILES: tuple[str, ...] = ("registry.txt",)
"""Files of a package that enter the fingerprint besides the sources (the hashes of its pinned inputs)."""

_IMPORTS = re.compile(r"^\s*(?:from|import)\s+(?:paperrepro\.|\.\.)(\w+)", re.MULTILINE)


def _package_files(package: str) -> list[Path]:
    """Source files of ``paperrepro/<package>`` (a folder, recursively, or a module ``<package>.py``)."""
    folder = paths.PACKAGE_DIR / package
    if folder.is_dir():
        return sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and (p.suffix in SOURCE_SUFFIXES or p.name in EXTRA_FILES) and "__pycache__" not in p.parts
        )
    module = paths.PACKAGE_DIR / f"{package}.py"
    return [module] if module.is_file() else []


def code_packages(paper: str) -> tuple[str, ...]:
    """Return the paper's subpackage and every ``paperrepro`` subpackage its source imports, transitively, sorted.

    Imports are found in the source text (``from paperrepro.<x>`` / ``import paperrepro.<x>`` / ``from ..<x>``), so the
    answer does not depend on what happens to be imported in this process.

    Parameters
    ----------
    paper
        Module name of the paper (or any subpackage).

    Returns
    -------
    tuple of str
        Subpackage names (e.g. ``("core", "maturation", "oculomotor")``); only those with source files.
    """
    seen: set[str] = set()
    todo = [paper]
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        for path in _package_files(package):
            if path.suffix == ".py":
                todo.extend(name for name in _IMPORTS.findall(path.read_text(encoding="utf-8")) if name not in seen)
    return tuple(sorted(p for p in seen if _package_files(p)))


def code_fingerprint(code: Iterable[str | Path]) -> str:
    """Return a 16-hex-digit SHA-256 of the source files named by ``code``.

    Parameters
    ----------
    code
        ``paperrepro`` subpackage or module names (e.g. ``"maturation"``, ``"core"``) and/or file paths. Each file
        contributes its path relative to the package (so moving code changes the fingerprint) and its bytes.

    Returns
    -------
    str
        The fingerprint; equal on every machine for the same sources.
    """
    files: set[Path] = set()
    for item in code:
        if isinstance(item, Path) or "/" in str(item) or str(item).endswith(".py"):
            files.add(Path(item).resolve())
        else:
            files.update(p.resolve() for p in _package_files(str(item)))
    digest = hashlib.sha256()
    root = paths.PACKAGE_DIR.resolve()
    for path in sorted(files):
        try:
            label = path.relative_to(root).as_posix()
        except ValueError:
            label = path.name
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_key(ctx: RunContext, name: str, code: Sequence[str | Path] | None = None) -> str:
    """Return the 16-hex-digit key of product ``name`` under the run's parameters, seed and code.

    Parameters
    ----------
    ctx
        The run.
    name
        Name of the product.
    code
        What the code fingerprint covers; default :func:`code_packages` of the run's paper.

    Returns
    -------
    str
        The key; a change of the name, the parameters, profile, seed or the covered code changes it.
    """
    fingerprint = code_fingerprint(code_packages(ctx.paper) if code is None else code)
    return hashlib.sha256(f"{name}\n{ctx.params_json()}\n{fingerprint}".encode()).hexdigest()[:16]


def cached_dataset(
    ctx: RunContext, name: str, compute: Callable[[], xr.Dataset], *, code: Sequence[str | Path] | None = None
) -> xr.Dataset:
    """Return product ``name``, computing and storing it only if it is not stored yet.

    Parameters
    ----------
    ctx
        The run; its parameters, profile and seed form the key.
    name
        Name of the product, e.g. ``"grid"``.
    compute
        Called without arguments when the product is missing.
    code
        The code the product depends on, for the key's fingerprint (see :func:`cache_key`); default: the paper's
        subpackage and the ``paperrepro`` subpackages it imports.

    Returns
    -------
    xarray.Dataset
        The product, fully loaded; ``attrs["config_json"]`` holds the parameters it was computed with.

    Raises
    ------
    DataError
        If a stored product cannot be read; the message names the file (delete it and it is recomputed).
    """
    path = ctx.data_path("cache", f"{name}-{cache_key(ctx, name, code)}.nc")
    if path.is_file():
        return read_netcdf(path)
    ds = compute()
    ds.attrs["config_json"] = ctx.params_json()
    write_netcdf(ds, path)
    return ds
