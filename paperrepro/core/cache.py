"""Memoised intermediates: a dataset computed once per (paper, name, profile, parameters, seed).

Several figures of a paper often share one expensive product (a sweep of networks, a training run's activity).
:func:`cached_dataset` stores it as netCDF under ``<data_dir>/<paper>/cache/`` with a key derived from the run's
parameters, so a second figure reuses it and a change of parameters recomputes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import xarray as xr

from .activity import read_netcdf, write_netcdf
from .config import RunContext


def cache_key(ctx: RunContext, name: str) -> str:
    """Return the 16-hex-digit key of product ``name`` under the run's parameters and seed."""
    return hashlib.sha256(f"{name}\n{ctx.params_json()}".encode()).hexdigest()[:16]


def cached_dataset(ctx: RunContext, name: str, compute: Callable[[], xr.Dataset]) -> xr.Dataset:
    """Return product ``name``, computing and storing it only if it is not stored yet.

    Parameters
    ----------
    ctx
        The run; its parameters, profile and seed form the key.
    name
        Name of the product, e.g. ``"grid"``.
    compute
        Called without arguments when the product is missing.

    Returns
    -------
    xarray.Dataset
        The product, fully loaded; ``attrs["config_json"]`` holds the parameters it was computed with.
    """
    path = ctx.data_path("cache", f"{name}-{cache_key(ctx, name)}.nc")
    if path.is_file():
        return read_netcdf(path)
    ds = compute()
    ds.attrs["config_json"] = ctx.params_json()
    write_netcdf(ds, path)
    return ds
