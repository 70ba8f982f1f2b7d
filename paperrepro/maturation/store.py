"""Checkpoint sources of the maturation analyses: a training-run folder or the pinned netCDF file (docs/maturation.md).

Both expose the same small interface, :class:`CheckpointStore`:

* ``trials`` — trial numbers of the checkpoints whose weights are available (sorted);
* ``log`` — the *full* training log as an ``xr.Dataset``: ``perf`` and ``cost`` (``log_trial``, ``task``),
  ``wall_time`` (``log_trial``); ``log_trial`` holds every evaluation (one per 1,280 trials), also those whose
  weights are not kept (M17: perf is stored per checkpoint, never looked up by index);
* ``weights(trial)`` — ``kernel``, ``bias``, ``w_out``, ``b_out`` (float32, TF layout) of one checkpoint;
* ``attrs`` — provenance (run configuration JSON, source, pin records).

:class:`RunFolder` reads ``<run>/config.json``, ``log.json`` and ``checkpoints/<trials>.npz`` written by
:func:`paperrepro.oculomotor.train.train` lazily (one checkpoint at a time). :class:`PinnedFile` reads the committed
file written by :mod:`paperrepro.maturation.pin` (format below) fully into memory (≤ 15 MB).

Pinned format (netCDF, float32 weights): dims ``checkpoint`` (coord = trial number, plus ``step``), ``input``
(channel names), ``pre_unit``, ``unit``, ``output``, ``log_trial``, ``task``; variables ``w_in`` (checkpoint, input,
unit), ``w_rec`` (checkpoint, pre_unit, unit), ``b`` (checkpoint, unit), ``w_out`` (checkpoint, unit, output),
``b_out`` (checkpoint, output), ``perf``, ``cost``, ``wall_time``. The kernel of the network is
``concat([w_in, w_rec])``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import xarray as xr

from paperrepro.core.activity import read_netcdf
from paperrepro.core.errors import DataError

from ..oculomotor.train import list_checkpoints, load_checkpoint

CHANNELS: tuple[str, ...] = (
    "fix",
    *(f"ring{k}" for k in range(8)),
    "rule_overlap",
    "rule_zero_gap",
    "rule_gap",
    "rule_odr",
    "rule_odrd",
    "rule_gap500",
)
OUTPUTS: tuple[str, ...] = ("fix", *(f"ring{k}" for k in range(8)))


class CheckpointStore(Protocol):
    """What the analyses need from a source of checkpoints (see the module docstring)."""

    trials: np.ndarray
    log: xr.Dataset
    attrs: dict[str, Any]

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the checkpoint at ``trial`` trials."""


def log_to_dataset(log: dict[str, Any], rules: tuple[str, ...]) -> xr.Dataset:
    """Convert a training log (``log.json``) to the ``log`` dataset of a store.

    Parameters
    ----------
    log : dict
        The log written by :func:`paperrepro.oculomotor.train.train`.
    rules : tuple of str
        Tasks of the run, in ruleset order.

    Returns
    -------
    xarray.Dataset
        ``perf``, ``cost`` (log_trial, task) float64 and ``wall_time`` (log_trial).
    """
    trials = np.asarray(log["trials"], dtype=np.int64)
    perf = np.stack([np.asarray(log["perf_" + r], dtype=np.float64) for r in rules], axis=1)
    cost = np.stack([np.asarray(log["cost_" + r], dtype=np.float64) for r in rules], axis=1)
    return xr.Dataset(
        {
            "perf": (("log_trial", "task"), perf, {"long_name": "evaluation performance (512 random trials)", "units": "1"}),
            "cost": (("log_trial", "task"), cost, {"long_name": "evaluation cost (masked MSE)", "units": "1"}),
            "wall_time": (
                "log_trial",
                np.asarray(log["times"], dtype=np.float64),
                {"long_name": "training wall time at the evaluation", "units": "s"},
            ),
        },
        coords={"log_trial": ("log_trial", trials, {"long_name": "trials trained", "units": "1"}), "task": list(rules)},
    )


class RunFolder:
    """A training-run folder (``config.json``, ``log.json``, ``checkpoints/<trials>.npz``).

    Parameters
    ----------
    path : path
        The run folder.

    Raises
    ------
    DataError
        If the folder holds no log or no checkpoint.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not (self.path / "log.json").is_file() or not (self.path / "config.json").is_file():
            raise DataError(
                f"{self.path} holds no training run (config.json, log.json): train it first "
                "(python -m paperrepro.maturation.pin --help names the commands)"
            )
        self.config = json.loads((self.path / "config.json").read_text())
        self.raw_log = json.loads((self.path / "log.json").read_text())
        self._paths = dict(list_checkpoints(self.path))
        logged = set(int(t) for t in self.raw_log["trials"])
        self.trials = np.array(sorted(t for t in self._paths if t in logged), dtype=np.int64)
        if self.trials.size == 0:
            raise DataError(f"{self.path} holds no checkpoint that is in its log")
        n = len(self.raw_log["trials"])  # a log may be written a moment after a checkpoint: trim to common length
        self.log = log_to_dataset(
            {k: v[:n] if isinstance(v, list) else v for k, v in self.raw_log.items()}, tuple(self.config["rules"])
        )
        self.attrs = {
            "source": "retrained",
            "config_json": json.dumps(self.config, sort_keys=True),
            "finished": int(self.raw_log.get("finished", 0)),
            "hit_max_trials": int(self.raw_log.get("hit_max_trials", 0)),
        }

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the checkpoint at ``trial`` trials (float32)."""
        if int(trial) not in self._paths:
            raise DataError(f"{self.path} has no checkpoint at {trial} trials")
        w = load_checkpoint(self._paths[int(trial)])
        return {k: w[k] for k in ("kernel", "bias", "w_out", "b_out")}


class PinnedFile:
    """The pinned checkpoints file (format in the module docstring), loaded into memory.

    Parameters
    ----------
    path : path
        The netCDF file (e.g. from ``fetch("maturation", "paper_seed0.nc")``).
    """

    def __init__(self, path: Path | str):
        ds = read_netcdf(path)
        self.ds = ds
        self.trials = ds["checkpoint"].values.astype(np.int64)
        self.log = ds[["perf", "cost", "wall_time"]]
        self.attrs = dict(ds.attrs)
        self.attrs["source"] = "pinned"
        self.config = json.loads(ds.attrs["config_json"])

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the pinned checkpoint at ``trial`` trials (float32)."""
        if int(trial) not in set(self.trials.tolist()):
            raise DataError(f"the pinned file has no checkpoint at {trial} trials; pinned: {self.trials.tolist()}")
        c = self.ds.sel(checkpoint=int(trial))
        kernel = np.concatenate([c["w_in"].values, c["w_rec"].values], axis=0)
        return {
            "kernel": kernel.astype(np.float32),
            "bias": c["b"].values.astype(np.float32),
            "w_out": c["w_out"].values.astype(np.float32),
            "b_out": c["b_out"].values.astype(np.float32),
        }


def weights_dataset(store: CheckpointStore, trials: list[int], batch_size: int = 64) -> xr.Dataset:
    """Stack the weights of ``trials`` into the pinned format's weight variables (float32).

    Reads one checkpoint at a time; the result holds only the chosen checkpoints.
    """
    ws = [store.weights(t) for t in trials]
    n_in = ws[0]["kernel"].shape[0] - ws[0]["bias"].shape[0]
    n_out = ws[0]["b_out"].shape[0]
    inputs = list(CHANNELS) if n_in == len(CHANNELS) else [f"in{i}" for i in range(n_in)]
    outputs = list(OUTPUTS) if n_out == len(OUTPUTS) else [f"out{i}" for i in range(n_out)]

    def stack(fn):
        return np.stack([fn(w) for w in ws]).astype(np.float32)

    attrs = {"units": "1"}
    return xr.Dataset(
        {
            "w_in": (
                ("checkpoint", "input", "unit"),
                stack(lambda w: w["kernel"][:n_in]),
                {**attrs, "long_name": "input weights (kernel rows 0..n_input-1)"},
            ),
            "w_rec": (
                ("checkpoint", "pre_unit", "unit"),
                stack(lambda w: w["kernel"][n_in:]),
                {**attrs, "long_name": "recurrent weights (row = presynaptic)"},
            ),
            "b": (("checkpoint", "unit"), stack(lambda w: w["bias"]), {**attrs, "long_name": "recurrent bias"}),
            "w_out": (("checkpoint", "unit", "output"), stack(lambda w: w["w_out"]), {**attrs, "long_name": "output weights"}),
            "b_out": (("checkpoint", "output"), stack(lambda w: w["b_out"]), {**attrs, "long_name": "output bias"}),
        },
        coords={
            "checkpoint": (
                "checkpoint",
                np.asarray(trials, dtype=np.int64),
                {"long_name": "trials trained at the checkpoint", "units": "1"},
            ),
            "step": (
                "checkpoint",
                np.asarray(trials, dtype=np.int64) // batch_size,
                {"long_name": "training step (64 trials per step)", "units": "1"},
            ),
            "input": inputs,
            "output": outputs,
        },
    )
