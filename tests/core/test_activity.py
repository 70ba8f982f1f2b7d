import hashlib

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.errors import DataError


def activity(seed: int) -> xr.Dataset:
    rng = np.random.default_rng(seed)
    rate = rng.standard_normal((4, 3, 5)).astype("float32")
    return xr.Dataset(
        {"rate": (("trial", "time", "unit"), rate, {"units": "a.u.", "long_name": "firing rate"})},
        coords={
            "trial": np.arange(4),
            "time": ("time", [0.0, 20.0, 40.0], {"units": "ms"}),
            "unit": np.arange(5),
            "cue_location": ("trial", ["0", "90", "180", "270"]),
            "correct": ("trial", np.array([1, 0, 1, 1], dtype="int8")),
        },
        attrs={"paper": "test", "seed": seed},
    )


def md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_same_data_same_bytes_and_round_trip(tmp_path):
    first = write_netcdf(activity(0), tmp_path / "a.nc")
    digest = md5(first)
    write_netcdf(activity(0), first)  # overwrite in place
    assert md5(first) == digest
    assert md5(write_netcdf(activity(0), tmp_path / "b.nc")) == digest
    assert md5(write_netcdf(activity(1), tmp_path / "c.nc")) != digest
    back = read_netcdf(first)
    xr.testing.assert_identical(back, activity(0))
    assert back["rate"].dtype == np.float32 and back["correct"].dtype == np.int8
    assert not list(tmp_path.glob("*.tmp"))


def test_rejects_attributes_netcdf_cannot_store(tmp_path):
    ds = activity(0)
    ds.attrs["flag"] = True
    with pytest.raises(TypeError, match="flag"):
        write_netcdf(ds, tmp_path / "x.nc")
    assert not (tmp_path / "x.nc").exists()


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="missing data file"):
        read_netcdf(tmp_path / "absent.nc")
