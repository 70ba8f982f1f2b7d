"""Atomic writes: unique temporary names, nothing left on error, concurrent writers of one file never collide."""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.atomic import atomic_path, atomic_write, atomic_write_bytes, atomic_write_text

WRITERS = 4
WRITES_PER_WRITER = 40
PROCESS_WRITERS = 3
PROCESS_WRITES = 15  # with a fixed <file>.tmp, 3 x 15 concurrent netCDF writes raised errors in every trial
START_DELAY_S = 1.0  # time for the workers to start before they all begin writing at once
# fork (Linux) starts the workers in milliseconds; spawn re-imports xarray in each worker (seconds)
MP_CONTEXT = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_replace_the_target_and_leave_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "x.txt"
    assert atomic_write_text(target, "one") == target
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    atomic_write(target, lambda fh: fh.write(b"three"), durable=True)
    assert target.read_text() == "three"
    assert leftovers(target.parent) == []
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # as open() would create it, not mkstemp's 0o600


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_error_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, error):
    target = tmp_path / "x.nc"
    target.write_bytes(b"complete old file")

    def failing(fh):
        fh.write(b"half of the new")
        raise error

    with pytest.raises(type(error)):
        atomic_write(target, failing)
    assert target.read_bytes() == b"complete old file"
    assert leftovers(tmp_path) == []


def test_temporary_names_are_unique_and_beside_the_target(tmp_path):
    target = tmp_path / "fig.png"
    with atomic_path(target) as first, atomic_path(target) as second:
        assert first != second
        assert first.parent == second.parent == tmp_path
        first.write_bytes(b"1")
        second.write_bytes(b"2")
    assert target.read_bytes() == b"1"  # the outer block ends last


def test_concurrent_threads_writing_one_file_never_fail(tmp_path):
    target = tmp_path / "fig.png"
    errors: list[BaseException] = []
    chunk = 4096

    def writer(k: int) -> None:
        try:
            for _ in range(WRITES_PER_WRITER):
                with atomic_path(target) as tmp, open(tmp, "wb") as fh:
                    for _ in range(16):
                        fh.write(bytes([k]) * chunk)
                        time.sleep(0)  # let the other writers run in the middle of this write
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    content = target.read_bytes()
    assert len(content) == 16 * chunk and len(set(content)) == 1  # one writer's complete file
    assert leftovers(tmp_path) == []


def _dataset(k: int) -> xr.Dataset:
    return xr.Dataset({"x": ("i", np.full(2000, float(k)))}, attrs={"writer": k})


def _write_many(target: str, k: int, start_at: float) -> list[str]:
    """Worker: wait for the common start, then write ``target`` repeatedly; return the errors as text."""
    time.sleep(max(0.0, start_at - time.time()))
    errors = []
    for _ in range(PROCESS_WRITES):
        try:
            write_netcdf(_dataset(k), target)
        except Exception as err:  # noqa: BLE001 - reported to the parent
            errors.append(f"{type(err).__name__}: {err}")
    return errors


def test_concurrent_processes_writing_one_netcdf_file_never_fail(tmp_path):
    """Two builds writing one figure at once (with a fixed ``<file>.tmp`` this raised FileNotFoundError)."""
    target = tmp_path / "fig.nc"
    start_at = time.time() + START_DELAY_S
    with ProcessPoolExecutor(PROCESS_WRITERS, mp_context=MP_CONTEXT) as pool:
        futures = [pool.submit(_write_many, str(target), k, start_at) for k in range(PROCESS_WRITERS)]
        errors = [e for f in futures for e in f.result()]
    assert errors == []
    final = read_netcdf(target)
    k = int(final.attrs["writer"])
    xr.testing.assert_identical(final, _dataset(k))
    assert leftovers(tmp_path) == []
