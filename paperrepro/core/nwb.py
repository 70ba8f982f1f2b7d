"""Export of trial-structured activity to NWB (extra ``paperrepro[nwb]``), for tools neuroscientists already use.

netCDF stays the primary format. :func:`to_nwb` writes one ``TimeSeries`` of shape (trial·time, unit) into the
acquisition group, and a trials table whose extra columns are the dataset's coordinates along ``trial``;
:func:`from_nwb` reads it back into the same labelled layout.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr

from .atomic import atomic_path
from .errors import UsageError

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # fixed: NWB requires a session start time


def _require_pynwb():
    try:
        import pynwb
    except ImportError as err:
        raise UsageError("NWB export needs the extra: pip install 'paperrepro[nwb]'") from err
    return pynwb


def to_nwb(ds: xr.Dataset, path: str | Path, *, variable: str = "rate") -> Path:
    """Write ``ds[variable]`` with dims (trial, time, unit) and its trial coordinates to an NWB file.

    Parameters
    ----------
    ds
        Activity with a ``time`` coordinate in ms at a fixed step.
    path
        Target ``.nwb`` file.
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
    nwb = pynwb.NWBFile(
        session_description=ds.attrs.get("title", "paperrepro activity"),
        identifier=str(uuid.UUID(int=0)),
        session_start_time=_EPOCH,
    )
    nwb.add_acquisition(
        pynwb.TimeSeries(
            name=variable,
            data=np.asarray(da.values).reshape(n_trial * n_time, n_unit),
            rate=1.0 / step_s,
            starting_time=float(time_ms[0]) / 1000.0,
            unit=str(da.attrs.get("units", "a.u.")),
            description=str(da.attrs.get("long_name", variable)),
        )
    )
    columns = [c for c in ds.coords if ds[c].dims == ("trial",) and c != "trial"]
    for column in columns:
        nwb.add_trial_column(name=column, description=str(ds[column].attrs.get("long_name", column)))
    trial_length = n_time * step_s
    for i in range(n_trial):
        values = {c: ds[c].values[i].item() if hasattr(ds[c].values[i], "item") else ds[c].values[i] for c in columns}
        nwb.add_trial(start_time=i * trial_length, stop_time=(i + 1) * trial_length, **values)
    path = Path(path)
    with atomic_path(path) as tmp, pynwb.NWBHDF5IO(str(tmp), "w") as io:
        io.write(nwb)
    return path


def from_nwb(path: str | Path, *, variable: str = "rate", n_time: int) -> xr.Dataset:
    """Read a file written by :func:`to_nwb` back into (trial, time, unit) activity with trial coordinates."""
    pynwb = _require_pynwb()
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        nwb = io.read()
        series = nwb.acquisition[variable]
        data = np.asarray(series.data[:])
        step_ms = 1000.0 / series.rate
        start_ms = series.starting_time * 1000.0
        trials = nwb.trials.to_dataframe()
    n_unit = data.shape[1]
    rate = data.reshape(-1, n_time, n_unit)
    coords = {"trial": np.arange(rate.shape[0]), "time": start_ms + step_ms * np.arange(n_time), "unit": np.arange(n_unit)}
    for column in trials.columns:
        if column not in ("start_time", "stop_time"):
            coords[column] = ("trial", trials[column].to_numpy())
    return xr.Dataset({variable: (("trial", "time", "unit"), rate)}, coords=coords)
