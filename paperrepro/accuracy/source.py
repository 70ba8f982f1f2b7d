"""Checkpoints and their selection: a training-run folder or a pinned bundle, and the stage lists (docs/accuracy.md).

:class:`Model` gives the training log (trials, logged perf per rule) and the weights of any checkpoint it holds,
whether it reads a run folder written by :func:`paperrepro.oculomotor.train.train` (``config.json``, ``log.json``,
``checkpoints/<trials>.npz``) or a bundle written by :mod:`paperrepro.accuracy.pin`. :func:`select` turns the log
into every checkpoint list the figures use:

* ``lists[rule][stage]`` for the model's ODR task (``odr3000``; ``odr`` for the 1.5-s 360-location model) and
  ``odrd``: window selection (the original's ``auto_model_select``, :func:`paperrepro.oculomotor.performance.window_stages`,
  windows of 10 evaluations, bands [0.30, 0.40], [0.60, 0.70], ≥ 0.90, cap 30, the original's mid trim unless
  ``strict_cap``), checkpoints with logged perf < 0.1 dropped, then subsampled to ``per_stage``;
* ``singles[stage]``: one checkpoint per stage of the ODR task (our decision): mature = the first of the
  auto-mature list, early/mid = the one of the auto list closest to 0.35/0.65 (earliest on ties);
* ``endpoints[stage]``: the ODR lists concatenated early + mid + mature and re-labelled by raw perf
  (> 0.65 mature, > 0.35 mid, else early; duplicates kept, as the original's ``analysis/endpoint_analysis.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from paperrepro.core.activity import read_netcdf
from paperrepro.core.errors import DataError
from paperrepro.oculomotor.performance import STAGES, closest_representative, window_stages
from paperrepro.oculomotor.train import load_checkpoint

from .train import MODEL_8LOC

SINGLE_TARGETS = {"early": 0.35, "mid": 0.65}


@dataclass(frozen=True)
class Model:
    """A trained model: its log and a way to load any checkpoint it holds.

    Attributes
    ----------
    name : str
        Model id (``8loc_odr3000``, ``360loc_odr``).
    n_eachring, seed : int
        Ring size and training seed.
    trials : ndarray of int
        Trial number of every logged evaluation.
    perf : dict of str to ndarray
        Logged perf per rule.
    loader : callable
        ``trials → weights dict``.
    attrs : dict
        Provenance (bundle attributes or run configuration).
    """

    name: str
    n_eachring: int
    seed: int
    trials: np.ndarray
    perf: dict[str, np.ndarray]
    loader: Callable[[int], dict[str, np.ndarray]] = field(repr=False)
    attrs: dict = field(default_factory=dict)

    @property
    def odr_rule(self) -> str:
        """The model's ODR task: ``odr3000`` (3-s delay) if it was trained on it, else ``odr`` (1.5 s)."""
        return "odr3000" if "odr3000" in self.perf else "odr"

    def weights(self, trials: int) -> dict[str, np.ndarray]:
        """Weights (``kernel``, ``bias``, ``w_out``, ``b_out``) of the checkpoint at ``trials``."""
        return self.loader(int(trials))

    def perf_at(self, rule: str, trials: int) -> float:
        """Logged perf of ``rule`` at the evaluation of ``trials``."""
        return float(self.perf[rule][int(np.flatnonzero(self.trials == trials)[0])])


def model_from_run(folder: Path | str, name: str = MODEL_8LOC) -> Model:
    """Read a training-run folder (log entries whose checkpoint file is missing are dropped)."""
    folder = Path(folder)
    if not (folder / "log.json").is_file():
        raise DataError(f"no training log in {folder}: train the model first (paperrepro.oculomotor.train)")
    log = json.loads((folder / "log.json").read_text())
    config = json.loads((folder / "config.json").read_text()) if (folder / "config.json").is_file() else {}
    trials = np.asarray(log["trials"], dtype=np.int64)
    present = np.array([(folder / "checkpoints" / f"{t}.npz").is_file() for t in trials], dtype=bool)
    perf = {
        key[5:]: np.asarray(val, float)[: trials.size][present]
        for key, val in log.items()
        if key.startswith("perf_") and key not in ("perf_avg", "perf_min")
    }

    def load(t: int) -> dict[str, np.ndarray]:
        ckpt = load_checkpoint(folder / "checkpoints" / f"{t}.npz")
        return {k: ckpt[k] for k in ("kernel", "bias", "w_out", "b_out")}

    return Model(
        name,
        int(config.get("n_eachring", 8)),
        int(config.get("seed", 0)),
        trials[present],
        perf,
        load,
        {"run_config": json.dumps(config, sort_keys=True)},
    )


def model_from_bundle(path: Path | str) -> Model:
    """Read a bundle written by :func:`paperrepro.accuracy.pin.pin`."""
    ds = read_netcdf(path)
    held = [int(t) for t in ds["checkpoint"].values]

    def load(t: int) -> dict[str, np.ndarray]:
        if t not in held:
            raise DataError(
                f"checkpoint {t} is not in the bundle {Path(path).name}; re-pin with the current "
                "selection parameters (python -m paperrepro.accuracy.pin)"
            )
        one = ds.sel(checkpoint=t)
        return {k: one[k].values.astype(np.float32) for k in ("kernel", "bias", "w_out", "b_out")}

    perf = {str(r): ds["perf"].sel(rule=r).values.astype(float) for r in ds["rule"].values}
    return Model(
        str(ds.attrs["model"]),
        int(ds.attrs["n_eachring"]),
        int(ds.attrs["train_seed"]),
        ds["eval_trials"].values.astype(np.int64),
        perf,
        load,
        dict(ds.attrs),
    )


@dataclass(frozen=True)
class Selection:
    """Checkpoint lists of one model (see the module docstring)."""

    lists: dict[str, dict[str, list[int]]]
    full_lists: dict[str, dict[str, list[int]]]
    singles: dict[str, int]
    endpoints: dict[str, list[int]]
    odr_rule: str = "odr3000"

    def all_trials(self) -> list[int]:
        """Every checkpoint any figure needs, sorted."""
        found = {t for lists in self.lists.values() for ts in lists.values() for t in ts}
        found |= set(self.singles.values())
        found |= {t for ts in self.endpoints.values() for t in ts}
        return sorted(found)


def subsample(items: list[int], per_stage: int | None) -> list[int]:
    """Indices ``round(linspace(0, n − 1, per_stage))`` of a list (all if ``per_stage`` is None or ≥ n)."""
    if not per_stage or len(items) <= per_stage:
        return list(items)
    idx = np.round(np.linspace(0, len(items) - 1, per_stage)).astype(int)
    return [items[i] for i in idx]


def relabel_by_perf(trials: list[int], perf: list[float]) -> dict[str, list[int]]:
    """Raw-perf re-labelling (original ``endpoint_analysis.py``): > 0.65 mature, > 0.35 mid, else early (order kept)."""
    out: dict[str, list[int]] = {s: [] for s in STAGES}
    for t, p in zip(trials, perf, strict=True):
        out["mature" if p > 0.65 else "mid" if p > 0.35 else "early"].append(int(t))
    return out


def select(
    model: Model, *, per_stage: int | None = None, cap: int = 30, window: int = 9, strict_cap: bool = False, min_perf: float = 0.1
) -> Selection:
    """Every checkpoint list of the figures (docs/accuracy.md, "Developmental stages"); see the module docstring.

    Parameters
    ----------
    model : Model
        Log and checkpoints.
    per_stage : int, optional
        Subsample each list to this many (quick profile: 5); None keeps the capped lists.
    cap, window, strict_cap
        Window-selection settings (the original's ``auto_model_select``).
    min_perf : float
        PSTH lists drop checkpoints with logged perf below this.
    """
    full, lists = {}, {}
    odr_rule = model.odr_rule
    for rule in (odr_rule, "odrd"):
        stages = window_stages(
            model.perf[rule], model.trials, window=window, targets=(0.35, 0.65, 0.95), margin=0.05, cap=cap, strict_cap=strict_cap
        )
        full[rule] = {s: [t for t in stages[s] if model.perf_at(rule, t) >= min_perf] for s in STAGES}
        lists[rule] = {s: subsample(full[rule][s], per_stage) for s in STAGES}
    singles = {}
    odr = full[odr_rule]
    if odr["mature"]:
        singles["mature"] = odr["mature"][0]
    for stage, target in SINGLE_TARGETS.items():
        if odr[stage]:
            singles[stage] = closest_representative(model.perf[odr_rule], model.trials, odr[stage], target)
    concat = [t for s in STAGES for t in lists[odr_rule][s]]
    endpoints = relabel_by_perf(concat, [model.perf_at(odr_rule, t) for t in concat])
    return Selection(lists, full, singles, endpoints, odr_rule)


def require_stages(selection: Selection, what: str) -> None:
    """Raise :class:`DataError` unless every stage of the ODR task has checkpoints (the model has matured)."""
    missing = [s for s in STAGES if not selection.lists[selection.odr_rule][s]]
    if missing:
        raise DataError(
            f"{what}: the model has no {', '.join(missing)} checkpoints of {selection.odr_rule} yet; "
            "train it to maturity (docs/accuracy.md, Seeds) and pin it (python -m paperrepro.accuracy.pin)"
        )
