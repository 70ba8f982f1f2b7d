"""Export of trial-structured activity to NWB (extra ``paperrepro[nwb]``), for tools neuroscientists already use.

netCDF stays the primary format. :func:`to_nwb` writes

* one ``TimeSeries`` of shape (trial·time, unit) into the acquisition group (trials laid end to end at the dataset's
  time step; its ``unit`` and ``description`` are the variable's ``units`` and ``long_name``);
* the trials table, whose extra columns are the dataset's coordinates along ``trial`` (description = ``long_name``
  and ``units``);
* the epochs table, when the dataset has an ``epoch`` coordinate along ``time``: one interval per trial and
  contiguous epoch, tagged with the epoch's name;
* everything else a labelled dataset carries that NWB has no field for (the dataset's attributes, the coordinates
  along ``time`` and ``unit`` with their attributes, the attributes and dtypes of the trial coordinates) as one JSON
  record in the file's ``notes``.

:func:`from_nwb` reads it back into the same labelled layout; with the JSON record the round trip restores the
coordinates, their attributes and dtypes and the dataset's attributes (the data variable is written as stored, so
float32 stays float32).
"""

from __future__ import annotations

import json
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .atomic import atomic_path
from .errors import UsageError

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # fixed: NWB requires a session start time
METADATA_KEY = "paperrepro_metadata"
"""Top-level key of the JSON record in the file's ``notes``."""


def _require_pynwb() -> Any:
    try:
        import pynwb
    except ImportError as err:
        raise UsageError("NWB export needs the extra: pip install 'paperrepro[nwb]'") from err
    return pynwb


def _jsonable(value: Any) -> Any:
    """Attribute or coordinate values as JSON (numpy scalars and arrays as Python numbers and lists)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _metadata(ds: xr.Dataset, variable: str, trial_columns: list[str]) -> dict:
    """The JSON record of everything NWB has no field for (see the module docstring)."""
    other = [str(c) for c in ds.coords if c not in ("trial", *trial_columns) and set(ds[c].dims) <= {"time", "unit"}]
    return {
        "variable": variable,
        "variable_attrs": {k: _jsonable(v) for k, v in ds[variable].attrs.items()},
        "attrs": {k: _jsonable(v) for k, v in ds.attrs.items()},
        "n_time": int(ds.sizes["time"]),
        "trial": {"values": _jsonable(ds["trial"].values), "attrs": {k: _jsonable(v) for k, v in ds["trial"].attrs.items()}},
        "trial_columns": {
            c: {"dtype": ds[c].dtype.str, "attrs": {k: _jsonable(v) for k, v in ds[c].attrs.items()}} for c in trial_columns
        },
        "coords": {
            c: {
                "dims": list(ds[c].dims),
                "values": _jsonable(ds[c].values),
                "dtype": ds[c].dtype.str,
                "attrs": {k: _jsonable(v) for k, v in ds[c].attrs.items()},
            }
            for c in other
        },
    }


def _epoch_segments(labels: np.ndarray) -> list[tuple[int, int, str]]:
    """Contiguous runs ``(first, stop, label)`` of an epoch label per time step."""
    segments, start = [], 0
    for i in range(1, labels.size + 1):
        if i == labels.size or labels[i] != labels[start]:
            segments.append((start, i, str(labels[start])))
            start = i
    return segments


def to_nwb(ds: xr.Dataset, path: str | Path, *, variable: str = "rate") -> Path:
    """Write ``ds[variable]`` with dims (trial, time, unit), its coordinates and attributes to an NWB file.

    Parameters
    ----------
    ds
        Activity with a ``time`` coordinate in ms at a fixed step (any other unit of ``time`` is written as if it were
        ms; its true unit is kept in the JSON record).
    path
        Target ``.nwb`` file, written atomically.
    variable
        The data variable to export.

    Returns
    -------
    Path
        ``path``.
    """
    pynwb = _require_pynwb()
    da = ds[variable].transpose("trial", "time", "unit")
    time_ms = np.asarray(ds["time"], dtype=float)
    step_s = float(np.diff(time_ms).mean()) / 1000.0 if time_ms.size > 1 else 1.0
    n_trial, n_time, n_unit = da.shape
    columns = [str(c) for c in ds.coords if ds[c].dims == ("trial",) and c != "trial"]
    nwb = pynwb.NWBFile(
        session_description=str(ds.attrs.get("title", "paperrepro activity")),
        identifier=str(uuid.UUID(int=0)),
        session_start_time=_EPOCH,
        notes=json.dumps({METADATA_KEY: _metadata(ds, variable, columns)}, sort_keys=True),
    )
    start_s = float(time_ms[0]) / 1000.0
    nwb.add_acquisition(
        pynwb.TimeSeries(
            name=variable,
            data=np.asarray(da.values).reshape(n_trial * n_time, n_unit),
            rate=1.0 / step_s,
            starting_time=start_s,
            unit=str(da.attrs.get("units", "a.u.")),
            description=str(da.attrs.get("long_name", variable)),
        )
    )
    for column in columns:
        attrs = ds[column].attrs
        units = f" [{attrs['units']}]" if "units" in attrs else ""
        nwb.add_trial_column(name=column, description=f"{attrs.get('long_name', column)}{units}")
    trial_length = n_time * step_s
    values = {c: ds[c].values.tolist() for c in columns}
    for i in range(n_trial):
        start = start_s + i * trial_length
        nwb.add_trial(start_time=start, stop_time=start + trial_length, **{c: values[c][i] for c in columns})
    if "epoch" in ds.coords and ds["epoch"].dims == ("time",):
        segments = _epoch_segments(np.asarray(ds["epoch"].values))
        for i in range(n_trial):
            start = start_s + i * trial_length
            for first, stop, label in segments:
                nwb.add_epoch(start_time=start + first * step_s, stop_time=start + stop * step_s, tags=[label])
    path = Path(path)
    with atomic_path(path) as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not end in '.nwb'", category=UserWarning)  # the temporary name
        with pynwb.NWBHDF5IO(str(tmp), "w") as io:
            io.write(nwb)
    return path


def _restore(values: list, dtype: str) -> np.ndarray:
    kind = np.dtype(dtype).kind
    return np.asarray(values, dtype=object if kind in "OUS" else dtype).astype(str if kind in "OUS" else dtype)


def from_nwb(path: str | Path, *, variable: str = "rate", n_time: int | None = None) -> xr.Dataset:
    """Read a file written by :func:`to_nwb` back into (trial, time, unit) activity with its coordinates.

    Parameters
    ----------
    path
        The ``.nwb`` file.
    variable
        The data variable's name (the ``TimeSeries`` in the acquisition group).
    n_time
        Time steps per trial; needed only for files without the JSON record (written before it existed).

    Returns
    -------
    xarray.Dataset
        With the JSON record: the written dataset's coordinates, attributes and dtypes; without it: ``trial``,
        ``time`` (ms), ``unit`` and the trial columns.
    """
    pynwb = _require_pynwb()
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        nwb = io.read()
        series = nwb.acquisition[variable]
        data = np.asarray(series.data[:])
        step_ms = 1000.0 / series.rate
        start_ms = series.starting_time * 1000.0
        table = nwb.trials.to_dataframe() if nwb.trials is not None else None
        trials: dict[str, list] = (
            {str(c): table[c].tolist() for c in table.columns if c not in ("start_time", "stop_time")}
            if table is not None
            else {}
        )
        notes = nwb.notes
    meta = None
    if notes:
        try:
            meta = json.loads(notes).get(METADATA_KEY)
        except (json.JSONDecodeError, AttributeError):
            meta = None
    if meta is not None:
        n_time = int(meta["n_time"])
    if n_time is None:
        raise ValueError(f"{path} has no paperrepro metadata: pass n_time")
    n_unit = data.shape[1]
    rate = data.reshape(-1, n_time, n_unit)
    coords: dict = {"trial": np.arange(rate.shape[0]), "time": start_ms + step_ms * np.arange(n_time), "unit": np.arange(n_unit)}
    for column, values in trials.items():
        coords[column] = ("trial", np.asarray(values))
    ds = xr.Dataset({variable: (("trial", "time", "unit"), rate)}, coords=coords)
    if meta is None:
        return ds
    ds[variable].attrs = meta["variable_attrs"]
    ds.attrs = meta["attrs"]
    ds = ds.assign_coords(trial=("trial", np.asarray(meta["trial"]["values"]), meta["trial"]["attrs"]))
    for column, info in meta["trial_columns"].items():
        ds[column] = ("trial", _restore(trials[column], info["dtype"]), info["attrs"])
        ds = ds.set_coords(column)
    for name, info in meta["coords"].items():
        ds = ds.assign_coords({name: (tuple(info["dims"]), _restore(info["values"], info["dtype"]), info["attrs"])})
    return ds
