"""Analysis range, developmental stages and representatives of a retrained run (docs/maturation.md, M3, M17, M22).

* **Take-off**: the first evaluation with ODR perf > 0.3. **Analysis range** (M22, retrained runs):
  [take-off − ``range_lead`` evaluations, last evaluation]. A run without take-off has no range: the functions
  raise :class:`~paperrepro.core.errors.DataError` unless ``allow_plateau=True``, which takes the last
  ``range_lead`` evaluations instead (development only; figures record ``matured = 0``).
* **Stages** by rule A (``stage_rule='threshold'``: early ≤ 0.35 < mid ≤ 0.65 < mature, on the raw logged perf of the
  analysed task) or rule B (``'window'``: the notebook's windows, capped at ``window_cap``), among the checkpoints
  whose weights are available inside the range.
* **Representatives** (rule C, docs/maturation.md): early and mid = the rule-B candidate closest to 0.35 /
  0.65 (falling back to all range checkpoints when the rule-B window is empty); mature = the **last** checkpoint.
* **Pinned subset** (docs/maturation.md): the 3 ODR representatives; for ODR and ODRD ``per_stage`` rule-A checkpoints per stage
  (``round(linspace(0, n − 1, per_stage))`` of that stage's range checkpoints, last included); every
  ``plateau_every``-th evaluation before the range (``figS2B`` plateau).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paperrepro.core.errors import DataError

from ..oculomotor.performance import (
    REPRESENTATIVE_TARGETS,
    STAGES,
    closest_representative,
    spread_pick,
    stage_by_threshold,
    window_stages,
)
from ..oculomotor.store import task_perf

TAKE_OFF_PERF = 0.3


def take_off(log: xr.Dataset, task: str = "odr", threshold: float = TAKE_OFF_PERF) -> int | None:
    """Trial number of the first evaluation with perf > ``threshold`` (``None`` if there is none)."""
    trials, perf = task_perf(log, task)
    above = np.flatnonzero(perf > threshold)
    return int(trials[above[0]]) if above.size else None


def analysis_range(log: xr.Dataset, range_lead: int, *, allow_plateau: bool = False) -> tuple[int, int, int]:
    """First and last trial of the ODR/ODRD analysis range, and whether the run took off.

    Returns
    -------
    (start, stop, matured) : (int, int, int)
        Trial numbers (inclusive) and 1 if ODR took off, else 0.
    """
    trials = log["log_trial"].values.astype(np.int64)
    start_trial = take_off(log)
    if start_trial is None:
        if not allow_plateau:
            raise DataError(
                "the run has not left the ODR plateau (no ODR perf > 0.3): train it further "
                "(paperrepro.oculomotor.train.train resumes from the run's resume.pt)"
            )
        return int(trials[max(0, len(trials) - range_lead)]), int(trials[-1]), 0
    i = int(np.searchsorted(trials, start_trial))
    return int(trials[max(0, i - range_lead)]), int(trials[-1]), 1


def in_range(trials: np.ndarray, span: tuple[int, int, int] | tuple[int, int]) -> np.ndarray:
    """The trials within ``[start, stop]`` of ``span``."""
    trials = np.asarray(trials, dtype=np.int64)
    return trials[(trials >= span[0]) & (trials <= span[1])]


def stage_sets(
    log: xr.Dataset, task: str, available: np.ndarray, span: tuple[int, ...], *, rule: str = "threshold", cap: int = 30
) -> dict[str, list[int]]:
    """Checkpoints per stage among ``available`` inside ``span``.

    Parameters
    ----------
    log : xarray.Dataset
        Full log of the store.
    task : str
        Analysed task (its logged perf decides the stage).
    available : ndarray of int
        Trial numbers whose weights can be loaded.
    span : tuple
        ``(start, stop, ...)`` of the analysis range.
    rule : str
        ``'threshold'`` (rule A) or ``'window'`` (rule B, computed on the range's full log, then restricted to
        ``available``).
    cap : int
        Rule-B cap.

    Returns
    -------
    dict of str to list of int
    """
    trials, perf = task_perf(log, task)
    lookup = dict(zip(trials.tolist(), perf, strict=True))
    chosen = in_range(available, span)
    if rule == "threshold":
        labels = stage_by_threshold([lookup[int(t)] for t in chosen])
        return {s: [int(t) for t, lab in zip(chosen, labels, strict=True) if lab == s] for s in STAGES}
    if rule == "window":
        mask = (trials >= span[0]) & (trials <= span[1])
        windows = window_stages(perf[mask], trials[mask], cap=cap)
        keep = set(chosen.tolist())
        return {s: [t for t in windows[s] if t in keep] for s in STAGES}
    raise ValueError(f"unknown stage rule {rule!r}; use 'threshold' or 'window'")


def representatives(log: xr.Dataset, task: str, span: tuple[int, ...], *, cap: int = 30) -> dict[str, int]:
    """One checkpoint per stage: rule-B closest to 0.35 / 0.65 for early / mid, the last evaluation for mature."""
    trials, perf = task_perf(log, task)
    mask = (trials >= span[0]) & (trials <= span[1])
    windows = window_stages(perf[mask], trials[mask], cap=cap)
    out = {}
    for stage, target in REPRESENTATIVE_TARGETS.items():
        candidates = windows[stage] or trials[mask].tolist()
        out[stage] = closest_representative(perf, trials, candidates, target)
    out["mature"] = int(trials[mask][-1])
    return out


def pin_selection(
    log: xr.Dataset,
    *,
    per_stage: int = 5,
    plateau_every: int = 64,
    range_lead: int = 16,
    cap: int = 30,
    allow_plateau: bool = False,
) -> dict[str, object]:
    """Checkpoints to pin (docs/maturation.md) and the role of each.

    Returns
    -------
    dict
        ``trials`` (sorted list of int), ``range`` (start, stop), ``matured`` (0/1), ``take_off`` (int or -1),
        ``representatives`` ({stage: trial} for ODR), ``stages`` ({task: {stage: [trials]}}), ``plateau``.
    """
    all_trials = log["log_trial"].values.astype(np.int64)
    span = analysis_range(log, range_lead, allow_plateau=allow_plateau)
    reps = representatives(log, "odr", span, cap=cap)
    chosen = set(reps.values())
    stages = {}
    for task in ("odr", "odrd"):
        sets = stage_sets(log, task, all_trials, span)
        stages[task] = {s: spread_pick(v, per_stage) for s, v in sets.items()}
        for v in stages[task].values():
            chosen.update(v)
    plateau = [int(t) for i, t in enumerate(all_trials) if t < span[0] and i % plateau_every == 0]
    chosen.update(plateau)
    off = take_off(log)
    return {
        "trials": sorted(int(t) for t in chosen),
        "range": [span[0], span[1]],
        "matured": span[2],
        "take_off": -1 if off is None else off,
        "representatives": reps,
        "stages": stages,
        "plateau": plateau,
    }
