import numpy as np
import pytest

from paperrepro.core.nwb import from_nwb, to_nwb

from .test_activity import activity

pynwb = pytest.importorskip("pynwb", reason="needs the nwb extra")


def test_activity_round_trips_through_nwb(tmp_path):
    ds = activity(0)
    path = to_nwb(ds, tmp_path / "activity.nwb")
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        assert list(pynwb.validate(io=io)) == []
    back = from_nwb(path, n_time=ds.sizes["time"])
    np.testing.assert_allclose(back["rate"].values, ds["rate"].values)
    np.testing.assert_allclose(back["time"].values, ds["time"].values)
    assert list(back["cue_location"].values) == list(ds["cue_location"].values)
    assert list(back["correct"].values) == list(ds["correct"].values)
