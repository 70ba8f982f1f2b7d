"""Test-batch activity of stored checkpoints, streamed one checkpoint at a time (docs/maturation.md, M6).

Every checkpoint runs the task's test batch (8 locations × 16 trials, location-major) with input noise off and
recurrent noise on from the same ``noise_seed`` (one noise realisation for all checkpoints, M6). Only one
checkpoint's hidden states (≈ 23 MB for ODR at 256 units) are alive at a time: :func:`summarize_checkpoints` reduces
each to :func:`~paperrepro.maturation.selectivity.checkpoint_summary` before loading the next. After each checkpoint
:func:`release_memory` hands freed heap pages back to the system (glibc ``malloc_trim``): without it, the
interleaved torch/numpy temporaries fragment the heap and the resident size grows by ≈ 4 MB per checkpoint although
nothing is kept (measured: +320 MB over 81 antisaccade checkpoints; flat with it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator, Sequence

import numpy as np
import xarray as xr

from ..oculomotor.simulate import simulate_test
from ..oculomotor.store import CheckpointStore
from ..oculomotor.tasks import DT_MS, Trial
from .selectivity import checkpoint_summary

__all__ = ["DT_MS", "checkpoint_activity", "iter_activity", "release_memory", "summarize_checkpoints"]


def _libc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_MALLOC_TRIM = _libc_trim()


def release_memory() -> None:
    """Return freed heap memory to the operating system where the C library supports it (glibc)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def checkpoint_activity(store: CheckpointStore, trial: int, task: str, noise_seed: int) -> tuple[np.ndarray, Trial]:
    """Raw hidden states (T, 128, N) float32 and the test batch of one checkpoint."""
    h, _, batch = simulate_test(store.weights(trial), task, noise_seed)
    return h, batch


def iter_activity(
    store: CheckpointStore, trials: Sequence[int], task: str, noise_seed: int
) -> Iterator[tuple[int, np.ndarray, Trial]]:
    """Yield ``(trial, h, batch)`` checkpoint by checkpoint (only one ``h`` in memory at a time)."""
    for t in trials:
        h, batch = checkpoint_activity(store, int(t), task, noise_seed)
        yield int(t), h, batch
        del h, batch
        release_memory()


def summarize_checkpoints(
    store: CheckpointStore, trials: Sequence[int], task: str, select_epochs: tuple[str, ...], noise_seed: int
) -> xr.Dataset:
    """Selectivity summaries of many checkpoints, concatenated along ``checkpoint``.

    Parameters
    ----------
    store : CheckpointStore
        Source of weights and the log.
    trials : sequence of int
        Checkpoints to analyse.
    task : str
        Task whose test batch is run (``odr``, ``odrd``, …).
    select_epochs : tuple of str
        Selection epochs (see :func:`~paperrepro.maturation.selectivity.checkpoint_summary`).
    noise_seed : int
        Recurrent-noise seed shared by all checkpoints.

    Returns
    -------
    xarray.Dataset
        The summaries with a ``checkpoint`` dim (coord = trial number) and ``perf`` (checkpoint): the logged perf of
        ``task`` at each checkpoint.
    """
    log_perf = store.log["perf"].sel(task=task)
    parts = []
    for t, h, batch in iter_activity(store, trials, task, noise_seed):
        parts.append(checkpoint_summary(h, batch.epochs, select_epochs, DT_MS).expand_dims(checkpoint=[t]))
        del h
    ds = xr.concat(parts, dim="checkpoint")
    ds["perf"] = (
        "checkpoint",
        log_perf.sel(log_trial=ds["checkpoint"].values).values.astype(np.float64),
        {"long_name": f"logged {task} performance", "units": "1"},
    )
    ds["checkpoint"].attrs = {"long_name": "trials trained at the checkpoint", "units": "1"}
    ds.attrs.update(task=task, noise_seed=int(noise_seed))
    return ds
