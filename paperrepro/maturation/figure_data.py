"""Data functions of the maturation figures (ids follow the authors' README; docs/maturation.md).

Every ODR/ODRD figure reads one checkpoint source (:func:`open_store`): in the quick profile the committed pinned
file (``fetch("maturation", "paper_seed0.nc")``, docs/maturation.md), in the paper profile the training-run folder
``<data>/maturation/paper/seed<seed>``. The analysis range, stage sets (rule A or B on the analysed task's logged
perf) and the ODR representatives (rule C; mature = last) come from :mod:`paperrepro.maturation.stages` and are
recorded in each figure's attributes. Per-checkpoint selectivity summaries are streamed
(:func:`~paperrepro.maturation.activity.summarize_checkpoints`) and memoised per task with
:func:`~paperrepro.core.cache.cached_dataset`, so ``fig4EFG``, ``figS2B``, ``figS3B`` and ``seldir`` share them.
Statistics live in the analysis modules (``analysis``, ``decoding``, ``dpca``, ``seldir``, ``learning_curves``,
``distractor``); results are selected by label (``.sel(stage="mature")``). The plots are in
:mod:`paperrepro.maturation.plots`, the registrations in :mod:`paperrepro.maturation.figures`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import xarray as xr

from paperrepro.core.cache import cached_dataset
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.fetch import fetch

from ..oculomotor.performance import STAGES, stage_by_threshold
from ..oculomotor.store import CheckpointStore, PinnedFile, RunFolder
from ..oculomotor.tasks import DT_MS, task_timing
from . import analysis as an
from .activity import checkpoint_activity, summarize_checkpoints
from .anti_run import train_antisaccade
from .decoding import cross_temporal_accuracy, decoder_scores
from .dpca import LAMBDA_GRID, MARGINALIZATIONS, dpca, dpca_scores
from .params import Params
from .seldir import SELECTIONS as SELDIR_SELECTIONS
from .seldir import direction_overlap, period_medians
from .selectivity import TYPE_CODES, UNIT_TYPES, neuron_info
from .stages import analysis_range, representatives, stage_sets

PINNED_NAME = "paper_seed0.nc"
"""Registry name of the committed pinned checkpoints (quick profile)."""
N_LOC = 8
"""Cue locations of the ODR/ODRD tasks."""
SELDIR_EPOCHS = {"odr": ("stim1", "delay1"), "odrd": ("stim1",)}
"""Summary epochs of the seldir sides (ODR's as figS2B's, so both read one cached summary)."""
ANTI_TASKS = ("overlap", "zero_gap", "gap")
"""The antisaccade tasks of ``anti_psth``."""
PREF_POSITION = N_LOC // 2
"""Position of the preferred location on a rotated tuning curve (:func:`paperrepro.maturation.selectivity.rotate_tuning`)."""
TAIL_POSITIONS = (0, 1, N_LOC - 1, N_LOC)
"""Positions at least 135° from the preferred one (0 and 8 are the same location, the opposite one)."""


def open_store(ctx: RunContext) -> CheckpointStore:
    """The checkpoint source of the run's profile (pinned file or training-run folder)."""
    p: Params = ctx.params
    if p.source == "run":
        return RunFolder(ctx.data_dir / "maturation" / "paper" / f"seed{p.seed}")
    try:
        return PinnedFile(fetch("maturation", p.pinned_name))
    except DataError as err:
        raise DataError(
            f"no usable pinned checkpoints {p.pinned_name} (not registered, missing or corrupted); build them once: "
            "train the paper run "
            "(paperrepro.oculomotor.train.train('data/maturation/paper/seed0', TrainConfig(seed=0))), then "
            "python -m paperrepro.maturation.pin --profile quick --source retrained"
        ) from err


@dataclass(frozen=True)
class Plan:
    """Checkpoint choices of one figure: range, stage sets of the analysed task and ODR representatives."""

    store: CheckpointStore
    span: tuple[int, int, int]
    stages: dict[str, list[int]]
    reps: dict[str, int]

    def attrs(self, ctx: RunContext, task: str) -> dict:
        """Figure attributes recording the choices (docs/maturation.md: rule and trial numbers)."""
        return {
            "task": task,
            "source": str(self.store.attrs.get("source", "")),
            "stage_rule": ctx.params.stage_rule,
            "range_start": int(self.span[0]),
            "range_stop": int(self.span[1]),
            "matured": int(self.span[2]),
            "stages_json": json.dumps(self.stages, sort_keys=True),
            "representatives_json": json.dumps(self.reps, sort_keys=True),
            "noise_seed": int(ctx.params.noise_seed),
        }


def plan(ctx: RunContext, task: str, store: CheckpointStore | None = None) -> Plan:
    """Range, stage sets of ``task`` among the available checkpoints, and the ODR representatives."""
    p: Params = ctx.params
    store = store or open_store(ctx)
    span = analysis_range(store.log, p.range_lead, allow_plateau=bool(p.allow_plateau))
    stages = stage_sets(store.log, task, store.trials, span, rule=p.stage_rule, cap=p.window_cap)
    reps = representatives(store.log, "odr", span, cap=p.window_cap)
    return Plan(store, span, stages, reps)


def summary(ctx: RunContext, pl: Plan, task: str, trials: list[int], epochs: tuple[str, ...]) -> xr.Dataset:
    """Memoised selectivity summaries of ``trials`` (keyed by task, checkpoints and the source's last evaluation)."""
    last = int(pl.store.log["log_trial"].values[-1])
    key = f"summary-{task}-{'-'.join(epochs)}-{len(trials)}-{trials[0]}-{trials[-1]}-{last}"
    return cached_dataset(ctx, key, lambda: summarize_checkpoints(pl.store, trials, task, epochs, ctx.params.noise_seed))


def _var(values, dims, long_name: str, units: str = "1", dtype=np.float64) -> xr.Variable:
    return xr.Variable(dims, np.asarray(values, dtype=dtype), {"long_name": long_name, "units": units})


def _time_coord(n: int) -> xr.DataArray:
    return xr.DataArray(np.arange(n) * DT_MS, dims="time", attrs={"units": "ms", "long_name": "time from trial onset"})


def _stage_perf(pl: Plan, task: str) -> np.ndarray:
    perf = pl.store.log["perf"].sel(task=task)
    return np.array([float(perf.sel(log_trial=pl.stages[s]).mean()) if pl.stages[s] else np.nan for s in STAGES])


def _stage_scores(rows: list[dict[str, float]]) -> dict[str, xr.DataArray]:
    """Per-stage score dicts (in :data:`STAGES` order) → one stage-labelled array per score."""
    return {k: xr.DataArray([r[k] for r in rows], dims="stage", coords={"stage": list(STAGES)}) for k in rows[0]}


def fig4EFG(ctx: RunContext) -> xr.Dataset:
    """Stage-mean PSTHs of exh ∪ mix units selected in stim1, delay1 and delay2 (ODRD; docs/maturation.md)."""
    pl = plan(ctx, "odrd")
    trials = sorted(t for s in STAGES for t in pl.stages[s])
    if not trials:
        raise DataError("no ODRD checkpoint in the analysis range")
    sm = summary(ctx, pl, "odrd", trials, ("stim1", "delay1", "delay2"))
    psth = an.stage_mean(sm["psth"], pl.stages)
    n_units = an.stage_mean(sm["n_selected"].astype(float), pl.stages)
    ep = task_timing("odrd").epochs
    last_cue_ms = (ep["stim1"][1] - 1) * DT_MS
    stim_end = psth.sel(epoch="stim1", condition="pref").sel(time=last_cue_ms)
    dashed_end = psth.sel(epoch="stim1", condition="opposite").sel(time=float(psth["time"].max()))
    delay2 = an.window_mean(psth.sel(epoch="delay2", condition="pref"), ep["delay2"], DT_MS)
    ds = xr.Dataset(
        {
            "psth": _var(
                psth.transpose("epoch", "stage", "condition", "time").values,
                ("epoch", "stage", "condition", "time"),
                "normalised PSTH, mean over units then checkpoints",
            ),
            "n_units": _var(
                n_units.transpose("epoch", "stage").values,
                ("epoch", "stage"),
                "mean number of selected exh+mix units per checkpoint",
            ),
            "perf": _var(_stage_perf(pl, "odrd"), ("stage",), "mean logged ODRD perf of the stage's checkpoints"),
            "n_checkpoints": _var([len(pl.stages[s]) for s in STAGES], ("stage",), "checkpoints per stage", dtype=np.int64),
            "p_end_of_cue": _var(stim_end.values, ("stage",), "stim1-selected solid PSTH at the last cue step (1.48 s)"),
            "p_end_of_cue_gain": _var(
                (stim_end - stim_end.sel(stage="early")).values, ("stage",), "end-of-cue PSTH minus the early stage's"
            ),
            "dashed_end": _var(dashed_end.values, ("stage",), "stim1-selected dashed PSTH at the last step (3.48 s)"),
            "delay2_mean": _var(delay2.values, ("stage",), "delay2-selected solid PSTH, delay2 mean"),
            "delay2_ratio": _var(float(delay2.sel(stage="mature") / delay2.sel(stage="early")), (), "delay2 mean mature / early"),
        },
        coords={
            "epoch": ["stim1", "delay1", "delay2"],
            "stage": list(STAGES),
            "condition": ["pref", "opposite"],
            "time": _time_coord(psth.sizes["time"]),
        },
    )
    ds.attrs.update(pl.attrs(ctx, "odrd"))
    return ds


def figS3B(ctx: RunContext) -> xr.Dataset:
    """Rotated fr_norm tuning per stage, Gaussian width, pooled unit heights and pairwise t-tests (docs/maturation.md)."""
    panels = (
        ("odrd_stim1", "odrd", ("stim1", "delay1", "delay2"), "stim1"),
        ("odr_delay1", "odr", ("stim1", "delay1"), "delay1"),
    )
    tuning, width, height, pvals, attrs = [], [], [], [], {}
    for _, task, epochs, ep in panels:
        pl, sm = _task_plan_summary(ctx, task, epochs)
        curves = an.stage_mean(sm["tuning"].sel(epoch=ep), pl.stages)
        tuning.append(curves.values)
        width.append([an.tuning_width(c) for c in curves.values])
        means, p = an.height_ttests(sm, pl.stages, ep)
        height.append(means)
        pvals.append(p)
        common = pl.attrs(ctx, task)
        attrs.update(
            {
                k: common[k]
                for k in ("source", "stage_rule", "range_start", "range_stop", "matured", "representatives_json", "noise_seed")
            }
        )
        attrs[f"{task}_stages_json"] = common["stages_json"]
    tuning = np.array(tuning)
    height = xr.DataArray(np.array(height), dims=("panel", "stage"), coords={"stage": list(STAGES)})
    ds = xr.Dataset(
        {
            "tuning": _var(tuning, ("panel", "stage", "position"), "mean rotated fr_norm (pref at 4, 0 repeated as 8)"),
            "peak_position": _var(
                np.nanargmax(np.nan_to_num(tuning, nan=-np.inf), axis=2),
                ("panel", "stage"),
                "position of the tuning maximum",
                dtype=np.int64,
            ),
            "width": _var(width, ("panel", "stage"), "tuning width 2s of the Gaussian fit", "location"),
            "height": _var(height.values, ("panel", "stage"), "mean tuning height (max - min fr_norm) of pooled units"),
            "height_gain": _var(
                (height.sel(stage="mature") - height.sel(stage="early")).values, ("panel",), "mature minus early mean height"
            ),
            "p_height": _var(pvals, ("panel", "pair"), "equal-variance t-test p of pooled heights"),
        },
        coords={
            "panel": [p[0] for p in panels],
            "stage": list(STAGES),
            "position": np.arange(N_LOC + 1),
            "pair": [f"{a}-{b}" for a, b in an.STAGE_PAIRS],
        },
    )
    ds.attrs.update(attrs)
    return ds


def _task_plan_summary(ctx: RunContext, task: str, epochs: tuple[str, ...]) -> tuple[Plan, xr.Dataset]:
    pl = plan(ctx, task)
    if task == "odr":
        trials = [int(t) for t in pl.store.trials]
    else:
        trials = sorted(t for s in STAGES for t in pl.stages[s])
    return pl, summary(ctx, pl, task, trials, epochs)


def figS2B(ctx: RunContext) -> xr.Dataset:
    """Per checkpoint: delay1 mean of P_u over units selected in stim1 (default, M4) and in delay1 (docs/maturation.md)."""
    pl, sm = _task_plan_summary(ctx, "odr", ("stim1", "delay1"))
    ep = task_timing("odr").epochs
    growth = an.window_mean(sm["psth"].sel(condition="pref"), ep["delay1"], DT_MS)  # (checkpoint, epoch)
    trials = sm["checkpoint"].values
    inr = (trials >= pl.span[0]) & (trials <= pl.span[1])
    stage_means = an.stage_mean(growth, pl.stages).transpose("epoch", "stage")
    plateau = growth.sel(checkpoint=trials[~inr]).mean("checkpoint") if (~inr).any() else growth.mean("checkpoint") * np.nan
    sel = ["stim1", "delay1"]
    ds = xr.Dataset(
        {
            "growth": _var(
                growth.transpose("epoch", "checkpoint").values,
                ("selection", "checkpoint"),
                "delay1 mean of the normalised PSTH over selected units",
            ),
            "perf": _var(sm["perf"].values, ("checkpoint",), "logged ODR perf"),
            "in_range": _var(inr, ("checkpoint",), "checkpoint inside the analysis range", dtype=np.int8),
            "stage_mean": _var(stage_means.values, ("selection", "stage"), "stage mean (unweighted over checkpoints)"),
            "plateau_mean": _var(plateau.values, ("selection",), "mean over checkpoints before the range"),
            "mature_minus_plateau": _var(
                (stage_means.sel(stage="mature") - plateau).values, ("selection",), "mature stage mean minus plateau mean"
            ),
            "mature_early_ratio": _var(
                (stage_means.sel(stage="mature") / stage_means.sel(stage="early")).values,
                ("selection",),
                "mature / early stage mean",
            ),
        },
        coords={
            "selection": sel,
            "checkpoint": ("checkpoint", trials, {"long_name": "trials trained", "units": "1"}),
            "stage": list(STAGES),
            "stage_label": ("checkpoint", stage_by_threshold(sm["perf"].values).astype(str)),
        },
    )
    ds.attrs.update(pl.attrs(ctx, "odr"), selection_epoch=ctx.params.selection_epoch)
    return ds


def seldir(ctx: RunContext) -> xr.Dataset:
    """Intersection and same/different preferred direction of ODR-stim1 and ODRD-stim1 units (:mod:`.seldir`)."""
    pl = plan(ctx, "odr")
    trials = [int(t) for t in pl.store.trials]
    sides = [summary(ctx, pl, task, trials, SELDIR_EPOCHS[task]).sel(epoch=ep) for task, ep in SELDIR_SELECTIONS]
    (a, b) = sides
    counts = direction_overlap(a["selected"].values, a["pref"].values, b["selected"].values, b["pref"].values)
    n_units = int(a.sizes["unit"])
    inr = (np.asarray(trials) >= pl.span[0]) & (np.asarray(trials) <= pl.span[1])
    ds = xr.Dataset(
        {
            "inter": _var(counts["inter"], ("checkpoint",), "units selected in both ODR and ODRD stim1", dtype=np.int64),
            "samedir": _var(counts["samedir"], ("checkpoint",), "shared units with the same preferred location", dtype=np.int64),
            "diffdir": _var(
                counts["diffdir"], ("checkpoint",), "shared units with different preferred locations", dtype=np.int64
            ),
            "n_selected": _var(
                np.stack([s["selected"].values.sum(axis=-1) for s in sides]),
                ("selection", "checkpoint"),
                "selected exh+mix units",
                dtype=np.int64,
            ),
            "perf": _var(a["perf"].values, ("checkpoint",), "logged ODR perf"),
            "in_range": _var(inr, ("checkpoint",), "checkpoint inside the analysis range", dtype=np.int8),
        },
        coords={
            "checkpoint": ("checkpoint", np.asarray(trials, dtype=np.int64), {"long_name": "trials trained", "units": "1"}),
            "selection": [f"{task}_{ep}" for task, ep in SELDIR_SELECTIONS],
            "period": ["plateau", "range"],
        },
    )
    medians = period_medians(ds, inr, n_units)
    ds["inter_fraction"] = _var(medians["inter_fraction"], ("period",), "median over the period of inter / units")
    ds["same_fraction"] = _var(medians["same_fraction"], ("period",), "median over the period of samedir / inter")
    ds["inter_change"] = _var(medians["inter_change"], (), "median inter in the range minus on the plateau", "units")
    ds.attrs.update(pl.attrs(ctx, "odr"), n_units=n_units)
    return ds


def fig3B(ctx: RunContext) -> xr.Dataset:
    """The stim1-selective mix unit with the smallest ANOVA p at the last checkpoint (docs/maturation.md, M16)."""
    p: Params = ctx.params
    pl = plan(ctx, "odr")
    last = int(pl.reps["mature"])
    h, batch = checkpoint_activity(pl.store, last, "odr", p.noise_seed)
    info = neuron_info(h, batch.epochs, "stim1", N_LOC)
    cand = np.flatnonzero(info["selective"] & (info["unit_type"] == TYPE_CODES["mix"]))
    if cand.size == 0:
        cand = np.flatnonzero(info["selective"])
    unit = int(cand[np.lexsort((cand, info["p_anova"][cand]))[0]])
    hu = h[:, :, unit].reshape(h.shape[0], N_LOC, -1).mean(axis=2).T  # (location, time)
    s0, s1 = batch.epochs["stim1"]
    raw = hu[:, s0:s1].mean(axis=1)
    f0, f1 = batch.epochs["fix1"]
    baseline = float(hu[:, f0:f1].mean())
    pref_raw = int(np.argmax(raw))
    pref = int(info["pref"][unit]) if p.pref_from == "normalised" else pref_raw
    ds = xr.Dataset(
        {
            "h_mean": _var(hu, ("location", "time"), "trial-mean raw activity", "a.u."),
            "polar": _var(raw / raw.max(), ("location",), "stim1 mean / max over locations"),
            "polar_opposite": _var(
                raw[(pref_raw + N_LOC // 2) % N_LOC] / raw.max(), (), "stim1 mean opposite the raw preferred location / max"
            ),
            "fr_norm": _var(info["fr_norm"][:, unit], ("location",), "stim1 fr_norm (mean / fix1 mean - 1)"),
            "baseline": _var(baseline, (), "fix1 mean over all trials", "a.u."),
            "peak_to_baseline": _var(
                float(hu[pref_raw].max() / baseline), (), "max of the trial-mean PSTH at the raw preferred location / fix1 mean"
            ),
            "unit_type_code": _var(int(info["unit_type"][unit]), (), "unit type (0 inh, 1 exh, 2 mix)", dtype=np.int8),
        },
        coords={"location": np.arange(N_LOC), "time": _time_coord(h.shape[0])},
    )
    ds.attrs.update(
        pl.attrs(ctx, "odr"),
        unit=unit,
        checkpoint=last,
        unit_type=UNIT_TYPES[int(info["unit_type"][unit])],
        pref_marked=pref,
        pref_raw=pref_raw,
        pref_from=p.pref_from,
        p_anova=float(info["p_anova"][unit]),
    )
    return ds


def figS5E(ctx: RunContext) -> xr.Dataset:
    """Decoder accuracy matrices of the three ODR representatives (docs/maturation.md, M9) and their summary scores."""
    p: Params = ctx.params
    pl = plan(ctx, "odr")
    mats, scores, done = [], [], {}
    for s in STAGES:
        if pl.reps[s] not in done:  # representatives may coincide (e.g. a steep learning curve)
            h, _ = checkpoint_activity(pl.store, pl.reps[s], "odr", p.noise_seed)
            done[pl.reps[s]] = cross_temporal_accuracy(
                h, N_LOC, window=p.decoder_window, test_per_loc=p.decoder_test_per_loc, offdiag_eval=p.offdiag_eval
            )
            del h
        acc = done[pl.reps[s]]
        times = np.arange(acc.shape[0]) * DT_MS
        mats.append(acc)
        scores.append(decoder_scores(acc, times))
    scores = _stage_scores(scores)
    perf = pl.store.log["perf"].sel(task="odr")
    times = np.arange(mats[0].shape[0]) * DT_MS
    ds = xr.Dataset(
        {
            "accuracy": _var(
                np.array(mats, dtype=np.float32),
                ("stage", "train_time", "test_time"),
                "decoding accuracy (diagonal held-out)",
                dtype=np.float32,
            ),
            "diag_precue": _var(scores["diag_precue"], ("stage",), "mean diagonal accuracy, windows starting 0-0.8 s"),
            "diag_delay": _var(scores["diag_delay"], ("stage",), "mean diagonal accuracy, windows starting 1.5-2.8 s"),
            "offdiag_delay": _var(scores["offdiag_delay"], ("stage",), "mean delay accuracy with |train - test| > 300 ms"),
            "island_max": _var(scores["island_max"], ("stage",), "max accuracy, train 0.9-1.6 s x test 2.6-3.1 s"),
            "delay_diag_gain": _var(
                float(scores["diag_delay"].sel(stage="mature") - scores["diag_delay"].sel(stage="early")),
                (),
                "mature minus early delay diagonal",
            ),
            "checkpoint": _var([pl.reps[s] for s in STAGES], ("stage",), "representative checkpoint (trials)", dtype=np.int64),
            "perf": _var([float(perf.sel(log_trial=pl.reps[s])) for s in STAGES], ("stage",), "logged ODR perf"),
        },
        coords={
            "stage": list(STAGES),
            "train_time": ("train_time", times, {"units": "ms", "long_name": "training window start"}),
            "test_time": ("test_time", times, {"units": "ms", "long_name": "test window start"}),
        },
    )
    ds.attrs.update(pl.attrs(ctx, "odr"), offdiag_eval=p.offdiag_eval, window_steps=p.decoder_window)
    return ds


def fig5E(ctx: RunContext) -> xr.Dataset:
    """dPCA : 'auto' λ on the mature representative, the same λ for early and mid (docs/maturation.md)."""
    p: Params = ctx.params
    pl = plan(ctx, "odr")
    results = {}
    lam = "auto" if p.dpca_lambda == "auto" else float(p.dpca_lambda)
    for s in ("mature", "early", "mid"):
        h, _ = checkpoint_activity(pl.store, pl.reps[s], "odr", p.noise_seed)
        trialR = np.transpose(h.reshape(h.shape[0], N_LOC, -1, h.shape[2]), (2, 3, 1, 0))  # (K, N, S, T)
        del h
        results[s] = dpca(trialR, lam=lam, rng=ctx.rng("dpca", s), n_repeats=p.dpca_repeats)
        lam = results["mature"].lam
    times = np.arange(results["mature"].Z["t"].shape[2]) * DT_MS
    Z = np.array([[results[s].Z[m][0] for m in MARGINALIZATIONS] for s in STAGES])
    evr = xr.DataArray(
        np.array([[results[s].evr[m] for m in MARGINALIZATIONS] for s in STAGES]),
        dims=("stage", "marginalization", "component"),
        coords={"stage": list(STAGES), "marginalization": list(MARGINALIZATIONS)},
    )
    scores = _stage_scores([dpca_scores({m: results[s].Z[m][0] for m in MARGINALIZATIONS}, times) for s in STAGES])
    first = evr.sel(component=0)
    perf = pl.store.log["perf"].sel(task="odr")
    mature = results["mature"]
    grid_scores = mature.scores if mature.scores.size else np.full(LAMBDA_GRID.size, np.nan)  # no cross-validation (fixed λ)
    ds = xr.Dataset(
        {
            "Z": _var(Z, ("stage", "marginalization", "location", "time"), "projection on the 1st component", "a.u."),
            "evr": _var(evr.values, ("stage", "marginalization", "component"), "explained variance ratio"),
            "evr_st_minus_s": _var(
                (first.sel(marginalization="st") - first.sel(marginalization="s")).values, ("stage",), "EVR(st1) - EVR(s1)"
            ),
            "max_abs_st": _var(scores["max_abs_st"], ("stage",), "max |Z| of the 1st mixing component", "a.u."),
            "max_abs_st_ratio": _var(
                float(scores["max_abs_st"].sel(stage="mature") / scores["max_abs_st"].sel(stage="early")),
                (),
                "max|Z_st1| mature / early",
            ),
            "st_peak_spread": _var(
                scores["st_peak_spread"], ("stage",), "spread of mixing-component peak times over locations", "ms"
            ),
            "t_spread_ratio": _var(
                scores["t_spread_ratio"], ("stage",), "max spread of the time component over locations before 1 s / after"
            ),
            "t_turn_ratio": _var(scores["t_turn_ratio"], ("stage",), "time component (location mean) at 1.0 s / at onset"),
            "lam": _var([results[s].lam for s in STAGES], ("stage",), "dPCA regulariser (relative)"),
            "sign_margin": _var(
                [[results[s].sign_margin[m][0] for m in MARGINALIZATIONS] for s in STAGES],
                ("stage", "marginalization"),
                "separation of the 1st component's sign decision from a tie (0 tie, 1 unambiguous)",
            ),
            "cv_score": _var(grid_scores, ("lambda_index",), "cross-validation score of the mature fit"),
            "checkpoint": _var([pl.reps[s] for s in STAGES], ("stage",), "representative checkpoint", dtype=np.int64),
            "perf": _var([float(perf.sel(log_trial=pl.reps[s])) for s in STAGES], ("stage",), "logged ODR perf"),
        },
        coords={
            "stage": list(STAGES),
            "marginalization": list(MARGINALIZATIONS),
            "location": np.arange(N_LOC),
            "component": np.arange(evr.sizes["component"]),
            "lambda_index": np.arange(grid_scores.size),
            "time": _time_coord(times.size),
        },
    )
    ds.attrs.update(
        pl.attrs(ctx, "odr"),
        dpca_lambda=str(p.dpca_lambda),
        sign_rule="t: onset projection < 0; s, st: largest-magnitude projection > 0 (as the authors' dPCA_rnn_odr_adult.png)",
    )
    return ds


def anti_run(ctx: RunContext) -> RunFolder:
    """The live antisaccade run of the profile (trained on first use, ≈ 4–10 min on one core; resumable)."""
    p: Params = ctx.params
    folder = ctx.data_path("anti", f"seed{p.anti_seed}_n{p.anti_n_rnn}_steps{p.anti_steps}")
    train_antisaccade(p, folder, progress=False)
    return RunFolder(folder)


def anti_psth(ctx: RunContext) -> xr.Dataset:
    """Rule-A stages over 0–102,400 trials (checkpoint 0 included, M21) of the live antisaccade run (docs/maturation.md)."""
    p: Params = ctx.params
    run = anti_run(ctx)
    start = 0 if p.include_untrained else int(run.trials[run.trials > 0][0])
    span = (start, int(run.trials[-1]))
    n_time = max(task_timing(t).epochs["go1"][1] for t in ANTI_TASKS)
    rows = {k: [] for k in ("psth", "tuning", "stim", "go", "height", "n_ckpt", "n_units")}
    stages_json = {}
    for task in ANTI_TASKS:
        stages = stage_sets(run.log, task, run.trials, span, rule=p.stage_rule, cap=p.window_cap)
        stages_json[task] = stages
        trials = [int(t) for t in run.trials if span[0] <= t <= span[1]]
        key = f"anti-{task}-{len(trials)}-{trials[-1]}-{p.anti_seed}-{p.anti_n_rnn}"
        sm = cached_dataset(
            ctx, key, lambda trials=trials, task=task: summarize_checkpoints(run, trials, task, ("stim1",), p.noise_seed)
        )
        ep = task_timing(task).epochs
        psth = an.stage_mean(sm["psth"].sel(epoch="stim1", condition="pref"), stages)
        rows["psth"].append(np.pad(psth.values, ((0, 0), (0, n_time - psth.sizes["time"])), constant_values=np.nan))
        rows["tuning"].append(an.stage_mean(sm["tuning"].sel(epoch="stim1"), stages).values)
        rows["stim"].append(an.window_mean(psth, ep["stim1"], DT_MS).values)
        rows["go"].append(an.window_mean(psth, ep["go1"], DT_MS).values)
        rows["height"].append(an.height_ttests(sm, stages, "stim1")[0])
        rows["n_ckpt"].append([len(stages[s]) for s in STAGES])
        rows["n_units"].append(an.stage_mean(sm["n_selected"].sel(epoch="stim1").astype(float), stages).values)
    labels = {"task": list(ANTI_TASKS), "stage": list(STAGES)}
    stim, go, height = (xr.DataArray(np.array(rows[k]), dims=("task", "stage"), coords=labels) for k in ("stim", "go", "height"))
    tuning = xr.DataArray(
        np.array(rows["tuning"]), dims=("task", "stage", "position"), coords={**labels, "position": np.arange(N_LOC + 1)}
    )
    pref = tuning.sel(position=PREF_POSITION)
    flank = np.minimum(tuning.sel(position=PREF_POSITION - 1), tuning.sel(position=PREF_POSITION + 1))
    tail = tuning.sel(position=list(TAIL_POSITIONS)).max("position", skipna=False)

    def mature_over_early(da: xr.DataArray) -> np.ndarray:
        return (da.sel(stage="mature") / da.sel(stage="early")).values

    ds = xr.Dataset(
        {
            "psth": _var(rows["psth"], ("task", "stage", "time"), "normalised PSTH at pref, stim1-selected units"),
            "tuning": _var(tuning.values, ("task", "stage", "position"), "rotated stim1 fr_norm (pref at 4)"),
            "stim1_mean": _var(stim.values, ("task", "stage"), "stim1 mean of the PSTH"),
            "go1_mean": _var(go.values, ("task", "stage"), "go1 mean of the PSTH"),
            "height": _var(height.values, ("task", "stage"), "mean tuning height of pooled units"),
            "stim1_ratio": _var(mature_over_early(stim), ("task",), "stim1 mean mature / early"),
            "go1_ratio": _var(mature_over_early(go), ("task",), "go1 mean mature / early"),
            "height_ratio": _var(mature_over_early(height), ("task",), "tuning height mature / early"),
            "flank_ratio": _var((flank / pref).values, ("task", "stage"), "min(idx 3, 5) / idx 4 of the tuning curve"),
            "tail_ratio": _var((tail / pref).values, ("task", "stage"), "max(idx 0, 1, 7, 8) / idx 4 of the tuning curve"),
            "peak_position": _var(
                np.nanargmax(np.nan_to_num(tuning.values, nan=-np.inf), axis=2),
                ("task", "stage"),
                "position of the tuning maximum",
                dtype=np.int64,
            ),
            "n_checkpoints": _var(rows["n_ckpt"], ("task", "stage"), "rule-A checkpoints per stage", dtype=np.int64),
            "n_units": _var(rows["n_units"], ("task", "stage"), "mean selected exh+mix units per checkpoint"),
        },
        coords={"task": list(ANTI_TASKS), "stage": list(STAGES), "position": np.arange(N_LOC + 1), "time": _time_coord(n_time)},
    )
    ds.attrs.update(
        source="live antisaccade run",
        stage_rule=p.stage_rule,
        range_start=span[0],
        range_stop=span[1],
        include_untrained=int(p.include_untrained),
        n_rnn=int(p.anti_n_rnn),
        anti_seed=int(p.anti_seed),
        stages_json=json.dumps(stages_json, sort_keys=True),
        noise_seed=int(p.noise_seed),
    )
    return ds


def learning_curves(ctx: RunContext) -> xr.Dataset:
    """The store's full training log, smoothed, with the summary of :mod:`paperrepro.maturation.learning_curves`."""
    from .learning_curves import learning_summary

    store = open_store(ctx)
    ds = learning_summary(store.log)
    ds.attrs.update(source=str(store.attrs.get("source", "")), seed=int(ctx.params.seed))
    return ds


def distractor_distance(ctx: RunContext) -> xr.Dataset:
    """ODRD rule-A stages, 8 × 8 cue/distractor pairs per checkpoint (:mod:`paperrepro.maturation.distractor`)."""
    from .distractor import distractor_curves

    pl = plan(ctx, "odrd")
    if not any(pl.stages[s] for s in STAGES):
        raise DataError("no ODRD checkpoint in the analysis range")
    ds = distractor_curves(pl.store, pl.stages, ctx.params.noise_seed)
    perf = ds["perf"]
    far, near = int(ds["distance"].max()), int(ds["distance"].min())
    ds["far_minus_near"] = xr.Variable(
        ("stage",),
        (perf.sel(distance=far) - perf.sel(distance=near)).values,
        {"long_name": "perf at the largest minus at zero distractor distance", "units": "1"},
    )
    steps = [perf.sel(stage=b).values - perf.sel(stage=a).values for a, b in (("early", "mid"), ("mid", "mature"))]
    ds["stage_step"] = xr.Variable(
        ("step", "distance"), np.array(steps), {"long_name": "perf of the later minus the earlier stage", "units": "1"}
    )
    ds = ds.assign_coords(step=["early-mid", "mid-mature"])
    ds["logged_perf"] = _var(_stage_perf(pl, "odrd"), ("stage",), "mean logged ODRD perf of the stage's checkpoints")
    ds.attrs.update(pl.attrs(ctx, "odrd"))
    return ds
