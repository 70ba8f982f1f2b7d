"""Checkpoint stores: the one way from a training run to analysable networks (maturation and accuracy).

Every source of trained networks exposes the same small interface, :class:`CheckpointStore`:

* ``trials`` — trial numbers of the checkpoints whose weights are available (sorted);
* ``log`` — the *full* training log as an ``xr.Dataset``: ``perf`` (``log_trial``, ``task``) and, where the source
  logs them, ``cost`` (``log_trial``, ``task``) and ``wall_time`` (``log_trial``); ``log_trial`` holds every
  evaluation (one per 1,280 trials), also those whose weights are not kept (perf is looked up by trial number, never
  by index);
* ``weights(trial)`` — ``kernel``, ``bias``, ``w_out``, ``b_out`` (float32, TF layout: kernel rows = inputs, then
  presynaptic units) of one checkpoint;
* ``attrs`` — provenance (``source``, the run configuration, pin records); ``config`` — the run configuration.

Sources:

* :class:`RunFolder` — ``<run>/log.json``, ``config.json`` (optional) and ``checkpoints/<trials>.npz`` written by
  :func:`paperrepro.oculomotor.train.train`; weights are read lazily, one checkpoint at a time;
* :class:`PinnedFile` — a committed netCDF bundle, read fully into memory. Two layouts exist and both are read (their
  bytes are pinned by sha256 in the papers' registries, so neither is rewritten):

  - *split* (maturation, ``paperrepro.maturation.pin``): dims ``checkpoint`` (coord = trial number, plus ``step``),
    ``input`` (channel names), ``pre_unit``, ``unit``, ``output``, ``log_trial``, ``task``; variables ``w_in``
    (checkpoint, input, unit), ``w_rec`` (checkpoint, pre_unit, unit), ``b``, ``w_out``, ``b_out``, ``perf``,
    ``cost``, ``wall_time``; the kernel is ``concat([w_in, w_rec])``;
  - *kernel* (accuracy, ``paperrepro.accuracy.pin``): variables ``kernel`` (checkpoint, kernel_row, unit), ``bias``,
    ``w_out``, ``b_out`` and ``perf`` (rule, eval) with the evaluation trials in the coordinate ``eval_trials``;

* :class:`LoadedStore` — a log and a weight loader supplied by the caller (e.g. the authors' TF checkpoints of a
  Zenodo record, read with :func:`paperrepro.oculomotor.tfcheckpoint.load_tf_weights`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import xarray as xr

from paperrepro.core.activity import read_netcdf
from paperrepro.core.errors import DataError

from .train import list_checkpoints, load_checkpoint

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
"""Input channel names of the 8-location, six-task networks (row order of the kernel's input block)."""
OUTPUTS: tuple[str, ...] = ("fix", *(f"ring{k}" for k in range(8)))
"""Output channel names of the 8-location networks."""
WEIGHT_NAMES: tuple[str, ...] = ("kernel", "bias", "w_out", "b_out")
"""The arrays of one checkpoint, as every store returns them."""
SUMMARY_PERF: tuple[str, ...] = ("perf_avg", "perf_min")
"""Log entries that start with ``perf_`` but are summaries over the tasks, not a task's perf."""


class CheckpointStore(Protocol):
    """What the analyses need from a source of checkpoints (see the module docstring)."""

    trials: np.ndarray
    log: xr.Dataset
    attrs: dict[str, Any]
    config: dict[str, Any]

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the checkpoint at ``trial`` trials."""


def log_tasks(log: dict[str, Any]) -> tuple[str, ...]:
    """The tasks of a training log (``log.json``): every ``perf_<task>`` entry, in the log's order."""
    return tuple(key[5:] for key in log if key.startswith("perf_") and key not in SUMMARY_PERF)


def log_to_dataset(log: dict[str, Any], rules: Sequence[str] | None = None) -> xr.Dataset:
    """Convert a training log (``log.json``) to the ``log`` dataset of a store.

    Parameters
    ----------
    log : dict
        The log written by :func:`paperrepro.oculomotor.train.train` (or the authors' ``log.json``).
    rules : sequence of str, optional
        Tasks of the run, in ruleset order (default: :func:`log_tasks`).

    Returns
    -------
    xarray.Dataset
        ``perf`` (log_trial, task) float64; ``cost`` (log_trial, task) if the log has ``cost_<task>`` for every task;
        ``wall_time`` (log_trial) if it has ``times``. Every entry is cut to the length of ``trials`` (a log may be
        written a moment after a checkpoint).
    """
    trials = np.asarray(log["trials"], dtype=np.int64)
    n = trials.size
    rules = tuple(rules) if rules is not None else log_tasks(log)

    def stack(prefix: str) -> np.ndarray:
        return np.stack([np.asarray(log[prefix + r], dtype=np.float64)[:n] for r in rules], axis=1)

    variables: dict[str, Any] = {
        "perf": (("log_trial", "task"), stack("perf_"), {"long_name": "evaluation performance (512 random trials)", "units": "1"})
    }
    if all("cost_" + r in log for r in rules):
        variables["cost"] = (("log_trial", "task"), stack("cost_"), {"long_name": "evaluation cost (masked MSE)", "units": "1"})
    if "times" in log:
        variables["wall_time"] = (
            "log_trial",
            np.asarray(log["times"], dtype=np.float64)[:n],
            {"long_name": "training wall time at the evaluation", "units": "s"},
        )
    return xr.Dataset(
        variables,
        coords={"log_trial": ("log_trial", trials, {"long_name": "trials trained", "units": "1"}), "task": list(rules)},
    )


def task_perf(log: xr.Dataset, task: str) -> tuple[np.ndarray, np.ndarray]:
    """``(log trials, perf)`` of one task from a store's log."""
    return log["log_trial"].values.astype(np.int64), log["perf"].sel(task=task).values.astype(np.float64)


class RunFolder:
    """A training-run folder (``log.json``, ``config.json``, ``checkpoints/<trials>.npz``).

    Parameters
    ----------
    path : path
        The run folder.

    Raises
    ------
    DataError
        If the folder holds no log or no checkpoint that is in its log.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not (self.path / "log.json").is_file():
            raise DataError(
                f"no training log in {self.path} (log.json): train the model first (paperrepro.oculomotor.train; "
                "python -m paperrepro.maturation.pin --help and python -m paperrepro.accuracy.train --help name the commands)"
            )
        config_file = self.path / "config.json"
        self.config: dict[str, Any] = json.loads(config_file.read_text()) if config_file.is_file() else {}
        self.raw_log: dict[str, Any] = json.loads((self.path / "log.json").read_text())
        self._paths = dict(list_checkpoints(self.path))
        logged = {int(t) for t in self.raw_log["trials"]}
        self.trials = np.array(sorted(t for t in self._paths if t in logged), dtype=np.int64)
        if self.trials.size == 0:
            raise DataError(f"{self.path} holds no checkpoint that is in its log")
        rules = self.config.get("rules")
        self.log = log_to_dataset(self.raw_log, tuple(rules) if rules else None)
        self.attrs: dict[str, Any] = {
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
        return {k: w[k] for k in WEIGHT_NAMES}


class PinnedFile:
    """A pinned checkpoint bundle (either layout of the module docstring), loaded into memory.

    Parameters
    ----------
    path : path
        The netCDF file (e.g. from ``paperrepro.core.fetch.fetch(paper, name)``).
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        ds = read_netcdf(path)
        self.ds = ds
        self.trials = ds["checkpoint"].values.astype(np.int64)
        self.split = "w_in" in ds
        if self.split:
            self.log = ds[["perf", "cost", "wall_time"]]
        else:
            self.log = xr.Dataset(
                {"perf": (("log_trial", "task"), ds["perf"].transpose("rule", "eval").values.T.astype(np.float64))},
                coords={"log_trial": ds["eval_trials"].values.astype(np.int64), "task": [str(r) for r in ds["rule"].values]},
            )
        self.attrs: dict[str, Any] = {**ds.attrs, "source": "pinned"}
        self.config: dict[str, Any] = json.loads(ds.attrs.get("config_json", ds.attrs.get("run_config", "{}")))
        self._held = set(self.trials.tolist())

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the pinned checkpoint at ``trial`` trials (float32)."""
        if int(trial) not in self._held:
            raise DataError(
                f"checkpoint {trial} is not in the bundle {self.path.name} (pinned: {self.trials.tolist()}); re-pin with "
                "the current selection parameters"
            )
        c = self.ds.sel(checkpoint=int(trial))
        if not self.split:
            return {k: c[k].values.astype(np.float32) for k in WEIGHT_NAMES}
        return {
            "kernel": np.concatenate([c["w_in"].values, c["w_rec"].values], axis=0).astype(np.float32),
            "bias": c["b"].values.astype(np.float32),
            "w_out": c["w_out"].values.astype(np.float32),
            "b_out": c["b_out"].values.astype(np.float32),
        }


@dataclass
class LoadedStore:
    """A store from a log and a weight loader supplied by the caller (e.g. the authors' TF checkpoints).

    Attributes
    ----------
    trials : ndarray of int
        Checkpoints the loader can load.
    log : xarray.Dataset
        The full training log (:func:`log_to_dataset`).
    loader : callable
        ``trial → weights dict`` (:data:`WEIGHT_NAMES`).
    attrs, config : dict
        Provenance and the run configuration.
    """

    trials: np.ndarray
    log: xr.Dataset
    loader: Callable[[int], dict[str, np.ndarray]] = field(repr=False)
    attrs: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)

    def weights(self, trial: int) -> dict[str, np.ndarray]:
        """Weights of the checkpoint at ``trial`` trials."""
        return self.loader(int(trial))


def weights_dataset(store: CheckpointStore, trials: list[int], batch_size: int = 64) -> xr.Dataset:
    """Stack the weights of ``trials`` into the split layout's weight variables (float32).

    Reads one checkpoint at a time; the result holds only the chosen checkpoints.
    """
    ws = [store.weights(t) for t in trials]
    n_in = ws[0]["kernel"].shape[0] - ws[0]["bias"].shape[0]
    n_out = ws[0]["b_out"].shape[0]
    inputs = list(CHANNELS) if n_in == len(CHANNELS) else [f"in{i}" for i in range(n_in)]
    outputs = list(OUTPUTS) if n_out == len(OUTPUTS) else [f"out{i}" for i in range(n_out)]

    def stack(fn: Callable[[dict[str, np.ndarray]], np.ndarray]) -> np.ndarray:
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


def kernel_dataset(store: CheckpointStore, trials: list[int], coords: dict[str, Any] | None = None) -> xr.Dataset:
    """Stack the weights of ``trials`` into the kernel layout's weight variables (float32).

    ``coords`` are added after ``checkpoint`` (the accuracy bundle adds ``rule`` and ``eval_trials``).
    """
    ws = [store.weights(t) for t in trials]
    dims = {
        "kernel": ("checkpoint", "kernel_row", "unit"),
        "bias": ("checkpoint", "unit"),
        "w_out": ("checkpoint", "unit", "output"),
        "b_out": ("checkpoint", "output"),
    }
    return xr.Dataset(
        {name: (d, np.stack([w[name] for w in ws]).astype(np.float32)) for name, d in dims.items()},
        coords={"checkpoint": np.asarray(trials, np.int64), **(coords or {})},
    )
