"""Learning curves of the six-task network (the paper's Fig. S7; the authors' ``growth_of_performance.png``).

The authors plot every task's evaluation perf against trials trained, smoothed by the original ``tools.smooth``
with ``smooth_window=5`` (``analysis/PSTH_print_basic_info.py`` called from ``Main_analysis.py`` at
maiziezhoulab/RNN_BrainMaturation @ d793a1d: a *forward* mean of ``perf[i : i + 6]``, truncated at the end;
:func:`paperrepro.oculomotor.performance.forward_smooth`). The training log of a store (one evaluation per
1,280 trials, 512 test trials per task) holds every evaluation, also in the pinned bundle, so this needs no
simulation.

Summary quantities (all on the smoothed curves, so that they compare with values read off the authors' image):

* ``crossing`` — the first evaluation whose smoothed perf exceeds a threshold (memory tasks: searched only after
  ``anti_learned``, so an early blip of a memory task during the antisaccade phase is not a take-off);
* ``anti_learned`` — the last of the four antisaccade tasks (Overlap, Zero-gap, Gap, Gap500) to first exceed 0.9;
* ``take_off`` — ODR's first smoothed perf above 0.3 after ``anti_learned`` (the take-off rule of
  :mod:`paperrepro.maturation.stages` on the smoothed curve);
* ``take_off_to_end`` — trials from the take-off to the last evaluation (training stops once every task reaches
  the target, docs/maturation.md M2);
* ``plateau_mean`` — mean smoothed perf of ODR and ODRD on the plateau between the antisaccade phase and the
  take-off: evaluations in ``[anti_learned + PLATEAU_MARGIN, take_off − PLATEAU_MARGIN]``.

Values for comparison (the reference file ``reference/learning_curves.yaml`` states them with their tolerances):

* the authors' image, digitised by line colour (axis calibrated on the tick marks: 0 → 600,000 trials over
  849 px, 1 px ≈ 707 trials; perf 0 → 1 over 751 px): antisaccade tasks first above 0.9 at 63.6 k (Gap),
  64.3 k (Gap500), 72.8 k (Zero-gap), 79.9 k (Overlap; partly hidden under later-drawn lines); ODR above 0.3 at
  539.2 k, 0.9 at 601.4 k; ODRD above 0.9 at 627.6 k; the last evaluation 628,480 (the trial number in the
  authors' file names, e.g. ``odr_628480_w200ms_s20ms.png``); ODR / ODRD plateau 0.203 / 0.201;
* a re-run of the original code at seed 0 (TF 2.21 ``compat.v1``, ``train(seed=0, hp={activation: softplus,
  n_rnn: 256, learning_rate: 1e-3})``; raw logged perf): all antisaccade tasks ≥ 0.9 at 61,440, ODR > 0.3 at
  398,080, ODR > 0.65 at 417,280, stop at 478,720 (ODRD 0.9707 the lowest task), plateau 0.202 (10–380 k).

The difference between these two runs of the original code is the seed spread the tolerances are built from.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..oculomotor.performance import forward_smooth

SMOOTH_WINDOW = 5  # the original print_basic_info(smooth_window=5): forward mean over 6 evaluations
ANTI_TASKS: tuple[str, ...] = ("overlap", "zero_gap", "gap", "gap500")
MEMORY_TASKS: tuple[str, ...] = ("odr", "odrd")
THRESHOLDS: tuple[float, ...] = (0.3, 0.5, 0.65, 0.9)
LEARNED_PERF = 0.9  # "learned": smoothed perf above 0.9
TAKE_OFF_PERF = 0.3  # as paperrepro.maturation.stages.TAKE_OFF_PERF
PLATEAU_MARGIN = 50_000  # trials kept clear of the antisaccade phase and of the take-off when averaging the plateau


def first_crossing(trials: np.ndarray, values: np.ndarray, threshold: float, after: float = -np.inf) -> float:
    """Trial number of the first evaluation at or after ``after`` whose value exceeds ``threshold``.

    Parameters
    ----------
    trials : ndarray of int
        Trial number of each evaluation (increasing).
    values : ndarray of float
        Value per evaluation.
    threshold : float
        Strict lower bound to exceed.
    after : float
        Evaluations before this trial number are ignored.

    Returns
    -------
    float
        The trial number, or NaN if the values never exceed ``threshold`` there.
    """
    trials = np.asarray(trials, dtype=np.float64)
    hit = np.flatnonzero((np.asarray(values, dtype=np.float64) > threshold) & (trials >= after))
    return float(trials[hit[0]]) if hit.size else np.nan


def learning_summary(log: xr.Dataset, window: int = SMOOTH_WINDOW) -> xr.Dataset:
    """Smoothed learning curves and the summary quantities of the module docstring.

    Parameters
    ----------
    log : xarray.Dataset
        A store's training log (``perf`` over ``log_trial`` × ``task``; :mod:`paperrepro.oculomotor.store`).
    window : int
        ``smooth_window`` of the original ``tools.smooth``.

    Returns
    -------
    xarray.Dataset
        ``perf`` and ``perf_smooth`` (task, log_trial); ``crossing`` (task, threshold); scalars ``anti_learned``,
        ``take_off``, ``take_off_to_end``, ``memory_minus_anti``, ``odrd_minus_odr_learned``, ``final_min_perf``;
        ``plateau_mean`` (memory_task). Trial counts are float64 (NaN when a curve never crosses).
    """
    trials = log["log_trial"].values.astype(np.int64)
    tasks = [str(t) for t in log["task"].values]
    raw = np.stack([log["perf"].sel(task=t).values.astype(np.float64) for t in tasks])
    smooth = np.stack([forward_smooth(r, window) for r in raw])
    curve = dict(zip(tasks, smooth, strict=True))
    anti_learned = max(first_crossing(trials, curve[t], LEARNED_PERF) for t in ANTI_TASKS)
    after = 0.0 if np.isnan(anti_learned) else anti_learned
    crossing = np.array(
        [[first_crossing(trials, curve[t], th, after if t in MEMORY_TASKS else -np.inf) for th in THRESHOLDS] for t in tasks]
    )
    take_off = first_crossing(trials, curve["odr"], TAKE_OFF_PERF, after)
    plateau = (trials >= after + PLATEAU_MARGIN) & (trials <= take_off - PLATEAU_MARGIN)
    plateau_mean = [float(curve[t][plateau].mean()) if plateau.any() else np.nan for t in MEMORY_TASKS]
    learned = {t: first_crossing(trials, curve[t], LEARNED_PERF, after) for t in MEMORY_TASKS}

    def scalar(value: float, name: str, units: str = "trials") -> xr.Variable:
        return xr.Variable((), np.float64(value), {"long_name": name, "units": units})

    return xr.Dataset(
        {
            "perf": (("task", "log_trial"), raw, {"long_name": "logged evaluation perf (512 trials per task)", "units": "1"}),
            "perf_smooth": (
                ("task", "log_trial"),
                smooth,
                {"long_name": f"forward mean over {window + 1} evaluations (the original tools.smooth)", "units": "1"},
            ),
            "crossing": (
                ("task", "threshold"),
                crossing,
                {
                    "long_name": "first evaluation with smoothed perf above the threshold (memory tasks: after anti_learned)",
                    "units": "trials",
                },
            ),
            "anti_learned": scalar(anti_learned, "last antisaccade task to first exceed 0.9 (smoothed)"),
            "take_off": scalar(take_off, "ODR take-off: smoothed perf above 0.3 after anti_learned"),
            "take_off_to_end": scalar(trials[-1] - take_off, "trials from the ODR take-off to the last evaluation"),
            "memory_minus_anti": scalar(take_off - anti_learned, "ODR take-off minus anti_learned"),
            "odrd_minus_odr_learned": scalar(
                learned["odrd"] - learned["odr"], "first smoothed perf above 0.9 after anti_learned, ODRD minus ODR"
            ),
            "final_min_perf": scalar(raw[:, -1].min(), "lowest raw perf over tasks at the last evaluation", "1"),
            "plateau_mean": (
                ("memory_task",),
                np.array(plateau_mean),
                {"long_name": "mean smoothed perf between anti_learned + margin and take-off - margin", "units": "1"},
            ),
        },
        coords={
            "task": tasks,
            "log_trial": ("log_trial", trials, {"long_name": "trials trained", "units": "1"}),
            "threshold": list(THRESHOLDS),
            "memory_task": list(MEMORY_TASKS),
        },
        attrs={
            "smooth_window": int(window),
            "plateau_margin": int(PLATEAU_MARGIN),
            "learned_perf": LEARNED_PERF,
            "take_off_perf": TAKE_OFF_PERF,
        },
    )
