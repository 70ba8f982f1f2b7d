import dataclasses

import pytest
import xarray as xr

from paperrepro.core import cache
from paperrepro.core.cache import cached_dataset
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError

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


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A fake paperrepro tree: rotational imports core, core imports nothing, other is unrelated."""
    root = tmp_path / "paperrepro"
    for folder, text in {
        "rotational": "from paperrepro.core import tools\nfrom ..shared import x\n",
        "core": "import numpy\n",
        "shared": "VALUE = 1\n",
        "other": "VALUE = 2\n",
    }.items():
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
        (root / folder / "mod.py").write_text(text)
    (root / "rotational" / "registry.txt").write_text("bundle.nc sha256:00 committed\n")
    monkeypatch.setattr(cache.paths, "PACKAGE_DIR", root)
    return root


def test_code_packages_follow_imports_transitively(package):
    assert cache.code_packages("rotational") == ("core", "rotational", "shared")
    assert cache.code_packages("other") == ("other",)


@pytest.mark.parametrize(
    "edited, changes",
    [
        ("rotational/mod.py", True),
        ("core/mod.py", True),
        ("shared/mod.py", True),
        ("rotational/registry.txt", True),
        ("other/mod.py", False),
        ("rotational/reference.yaml", False),
    ],
)
def test_code_fingerprint_changes_with_the_code_it_covers(package, edited, changes):
    before = cache.code_fingerprint(cache.code_packages("rotational"))
    path = package / edited
    path.write_text((path.read_text() if path.exists() else "") + "# edited\n")
    after = cache.code_fingerprint(cache.code_packages("rotational"))
    assert (before != after) is changes


def test_a_code_change_is_a_cache_miss(package):
    calls = []

    def compute():
        calls.append(1)
        return xr.Dataset({"x": ("i", [float(len(calls))])})

    ctx = RunContext("rotational", "quick", ToyParams())
    cached_dataset(ctx, "grid", compute)
    cached_dataset(ctx, "grid", compute)
    assert len(calls) == 1
    (package / "shared" / "mod.py").write_text("VALUE = 3  # a changed analysis\n")
    assert float(cached_dataset(ctx, "grid", compute)["x"][0]) == 2.0
    assert len(calls) == 2
    narrow = [package / "rotational" / "mod.py"]
    cached_dataset(ctx, "grid", compute, code=narrow)
    (package / "core" / "mod.py").write_text("import scipy\n")  # outside the declared code: still a hit
    cached_dataset(ctx, "grid", compute, code=narrow)
    assert len(calls) == 3


def test_unreadable_cached_product_is_named(package):
    ctx = RunContext("rotational", "quick", ToyParams())
    cached_dataset(ctx, "grid", lambda: xr.Dataset({"x": ("i", [1.0])}))
    (stored,) = (ctx.data_dir / "rotational" / "cache").glob("grid-*.nc")
    stored.write_bytes(b"not netCDF")
    with pytest.raises(DataError, match=f"cannot read {stored} .*delete it"):
        cached_dataset(ctx, "grid", lambda: xr.Dataset())
