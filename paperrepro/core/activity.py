"""Labelled activity and figure data: deterministic, atomic netCDF files.

Conventions (see ``architecture.md``): dims ``trial``, ``time`` (ms, float) and ``unit`` plus paper-specific ones;
trial conditions as coordinates on ``trial``; attributes are str, int or float only (netCDF has no booleans or
None; write flags as int8). Files are written with one engine (``netcdf4``), without compression, through
:func:`paperrepro.core.atomic.atomic_path` (a unique temporary name, then ``os.replace``), so that the same data give
the same bytes and a file that exists is complete, even when two builds write it at once.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import xarray as xr

from .atomic import atomic_path
from .errors import DataError

ENGINE: Final[Literal["netcdf4"]] = "netcdf4"
"""The one netCDF engine every file is written and read with."""


def _check_attrs(attrs: Mapping[Any, Any], where: str) -> None:
    for key, value in attrs.items():
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, numbers.Number, np.ndarray, list, tuple)):
            raise TypeError(
                f"attribute {key!r} of {where} is {type(value).__name__}; netCDF attributes must be str, int, float "
                "or a numeric array (write flags as 0/1, nested settings as JSON strings)"
            )


def validate(ds: xr.Dataset) -> None:
    """Check that ``ds`` can be stored in netCDF as it is.

    Parameters
    ----------
    ds
        The dataset to write.

    Raises
    ------
    TypeError
        If an attribute of ``ds`` or of one of its variables is not str, int, float or a numeric array, or a variable
        is boolean.
    """
    _check_attrs(ds.attrs, "the dataset")
    for name, var in ds.variables.items():
        _check_attrs(var.attrs, f"variable {name!r}")
        if var.dtype == bool:
            raise TypeError(f"variable {name!r} is boolean; store flags as int8")


def _encoding(ds: xr.Dataset) -> dict[Hashable, dict[str, Any]]:
    """An explicit, compression-free encoding so that bytes depend on the data alone."""
    encoding: dict[Hashable, dict[str, Any]] = {}
    for name, var in ds.variables.items():
        enc: dict[str, Any] = {"zlib": False}
        if var.dtype.kind in "fiu":
            enc["dtype"] = var.dtype
            if var.dtype.kind == "f":
                enc["_FillValue"] = None
        encoding[name] = enc
    return encoding


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` to ``path`` deterministically and atomically.

    Parameters
    ----------
    ds
        The dataset; its attributes must be netCDF-compatible (see :func:`validate`).
    path
        Target file; parent folders are created. The data are written to a unique temporary file beside it and
        then renamed, so an interrupted write never leaves a partial file under ``path``.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    validate(ds)
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE, format="NETCDF4", encoding=_encoding(ds))
    return path


def read_netcdf(path: str | os.PathLike) -> xr.Dataset:
    """Read a netCDF file fully into memory (the file is closed on return, so it can be overwritten).

    Parameters
    ----------
    path
        A file written by :func:`write_netcdf` (or any netCDF4 file).

    Returns
    -------
    xarray.Dataset
        The loaded dataset.

    Raises
    ------
    DataError
        If the file does not exist or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"missing data file {path}: rebuild it (python -m paperrepro.<paper> <figure>)")
    try:
        with xr.open_dataset(path, engine=ENGINE) as ds:
            return ds.load()
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read {path} ({err}): delete it and rebuild") from err
