import dataclasses

import xarray as xr

from paperrepro.core.cache import cached_dataset
from paperrepro.core.config import RunContext

from .toy import ToyParams


def test_computed_once_per_parameters():
    calls = []

    def compute():
        calls.append(1)
        return xr.Dataset({"x": ("i", [1.0, 2.0])})

    ctx = RunContext("rotational", "quick", ToyParams())
    first = cached_dataset(ctx, "grid", compute)
    second = cached_dataset(ctx, "grid", compute)
    xr.testing.assert_identical(first, second)
    assert len(calls) == 1
    cached_dataset(dataclasses.replace(ctx, params=ToyParams(n=7)), "grid", compute)
    assert len(calls) == 2
