"""Checkpoints and their selection: a training-run folder or a pinned bundle, and the stage lists (docs/accuracy.md).

:class:`Model` gives the training log (trials, logged perf per rule) and the weights of any checkpoint it holds,
read through one :mod:`paperrepro.oculomotor.store` store: a run folder written by
:func:`paperrepro.oculomotor.train.train`, a bundle written by :mod:`paperrepro.accuracy.pin`, or the authors'
checkpoints (:mod:`paperrepro.accuracy.zenodo`). The stage rules are those of
:mod:`paperrepro.oculomotor.performance`. :func:`select` turns the log
into every checkpoint list the figures use:

* ``lists[rule][stage]`` for the model's ODR task (``odr3000``; ``odr`` for the 1.5-s 360-location model) and
  ``odrd``: window selection (the original's ``auto_model_select``, :func:`paperrepro.oculomotor.performance.window_stages`,
  windows of 10 evaluations, bands [0.30, 0.40], [0.60, 0.70], ≥ 0.90, cap 30, the original's mid trim unless
  ``strict_cap``), checkpoints with logged perf < 0.1 dropped, then subsampled to ``per_stage``;
* ``singles[stage]``: one checkpoint per stage of the ODR task (our decision): mature = the first of the
  auto-mature list, early/mid = the one of the auto list closest to 0.35/0.65 (``REPRESENTATIVE_TARGETS``, earliest
  on ties; maturation takes the *last* checkpoint as mature);
* ``endpoints[stage]``: the ODR lists concatenated early + mid + mature and re-labelled by raw perf
  (> 0.65 mature, > 0.35 mid, else early: ``group_by_stage``; duplicates kept, as the original's
  ``analysis/endpoint_analysis.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from paperrepro.core.errors import DataError
from paperrepro.oculomotor.performance import (
    REPRESENTATIVE_TARGETS,
    STAGES,
    closest_representative,
    group_by_stage,
    spread_pick,
    window_stages,
)
from paperrepro.oculomotor.store import CheckpointStore, PinnedFile, RunFolder

from .train import MODEL_8LOC, MODEL_360LOC

MIN_PERF = 0.1
"""PSTH lists drop checkpoints whose logged perf is below this (the original's ``auto_model_select``)."""


@dataclass(frozen=True)
class Model:
    """A trained model of the paper: its name, its log as stage selection reads it, and its checkpoints.

    Built from a :class:`~paperrepro.oculomotor.store.CheckpointStore` by :meth:`from_store` (run folder, pinned
    bundle, the authors' Zenodo checkpoints).

    Attributes
    ----------
    name : str
        Model id (``8loc_odr3000``, ``360loc_odr``).
    n_eachring, seed : int
        Ring size and training seed.
    trials : ndarray of int
        Trial number of every logged evaluation that stage selection may choose.
    perf : dict of str to ndarray
        Logged perf per rule, aligned with ``trials``.
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

    @classmethod
    def from_store(cls, store: CheckpointStore, name: str, *, held_only: bool, attrs: dict | None = None) -> Model:
        """The model of a store.

        Parameters
        ----------
        store : CheckpointStore
            Log and weights.
        name : str
            Model id; its default ring size (360 for ``360loc_odr``, else 8) applies when the run configuration
            does not say.
        held_only : bool
            Keep only the evaluations whose checkpoint the store holds (a run folder or a Zenodo record, where a
            checkpoint may be missing), or the full log (a pinned bundle, which holds only the chosen checkpoints).
        attrs : dict, optional
            Provenance (default: the store's attributes).
        """
        log = store.log
        if held_only:
            log = log.sel(log_trial=log["log_trial"].values[np.isin(log["log_trial"].values, store.trials)])
        perf = {str(task): log["perf"].sel(task=task).values.astype(float) for task in log["task"].values}
        config, info = store.config, store.attrs
        default_ring = 360 if name == MODEL_360LOC else 8
        return cls(
            str(info.get("model", name)),
            int(info.get("n_eachring", config.get("n_eachring", default_ring))),
            int(info.get("train_seed", config.get("seed", 0))),
            log["log_trial"].values.astype(np.int64),
            perf,
            store.weights,
            dict(store.attrs) if attrs is None else attrs,
        )

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
    store = RunFolder(folder)
    return Model.from_store(store, name, held_only=True, attrs={"run_config": store.attrs["config_json"]})


def model_from_bundle(path: Path | str) -> Model:
    """Read a bundle written by :func:`paperrepro.accuracy.pin.pin`."""
    store = PinnedFile(path)
    return Model.from_store(store, str(store.attrs["model"]), held_only=False)


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


def select(
    model: Model,
    *,
    per_stage: int | None = None,
    cap: int = 30,
    window: int = 9,
    strict_cap: bool = False,
    min_perf: float = MIN_PERF,
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
        stages = window_stages(model.perf[rule], model.trials, window=window, cap=cap, strict_cap=strict_cap)
        full[rule] = {s: [t for t in stages[s] if model.perf_at(rule, t) >= min_perf] for s in STAGES}
        lists[rule] = {s: spread_pick(full[rule][s], per_stage) for s in STAGES}
    singles = {}
    odr = full[odr_rule]
    if odr["mature"]:
        singles["mature"] = odr["mature"][0]
    for stage, target in REPRESENTATIVE_TARGETS.items():
        if odr[stage]:
            singles[stage] = closest_representative(model.perf[odr_rule], model.trials, odr[stage], target)
    concat = [t for s in STAGES for t in lists[odr_rule][s]]
    endpoints = group_by_stage(concat, [model.perf_at(odr_rule, t) for t in concat])
    return Selection(lists, full, singles, endpoints, odr_rule)


def require_stages(selection: Selection, what: str) -> None:
    """Raise :class:`DataError` unless every stage of the ODR task has checkpoints (the model has matured)."""
    missing = [s for s in STAGES if not selection.lists[selection.odr_rule][s]]
    if missing:
        raise DataError(
            f"{what}: the model has no {', '.join(missing)} checkpoints of {selection.odr_rule} yet; "
            "train it to maturity (docs/accuracy.md, Seeds) and pin it (python -m paperrepro.accuracy.pin)"
        )
