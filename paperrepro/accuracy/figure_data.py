"""Data functions of the accuracy figures (Xie et al. 2022; the paper's figure numbers are unknown, so ids are our own names;
each figure follows one function of the original's ``analysis/`` folder, named in its docstring).

Every figure reads a trained model (:func:`model`): the pinned bundle (``quick``) or a training-run folder
(``paper``), selects its checkpoints (:func:`paperrepro.accuracy.source.select`), simulates them
(:mod:`paperrepro.accuracy.simulate`) and reduces them with :mod:`paperrepro.accuracy.analysis`. Activity–behaviour
figures carry both noise modes (``noise_mode``: ``two_pass`` = the original, ``paired`` = corrected); the others use
``paired_noise`` and record it.

Seed spread: the 8-location model is trained with several seeds (``train_seeds``); every figure of that model is
computed for each and concatenated along ``train_seed`` (:func:`over_train_seeds`), so its checks compare the
authors' values with the spread between trained networks, and its plot shows every seed.

The 8-location model (``8loc_odr3000``) serves every figure but ``heatmap360``, which uses the 360-location model with
the 1.5-s ODR (``360loc_odr``, mid checkpoint) as the original does. The 360-location panel of ``input_weights`` uses
that model too: the original reads 3-s 360-location checkpoints (407,040 / 696,320 / 907,520) whose model is not
published (docs/accuracy.md, quirk 360-loc model) and which we have not trained (≥ 14,200 steps, 45–70 min of one
core); the dataset records it in ``input_weights_360_model``.

Statistics live in :mod:`paperrepro.accuracy.analysis`; the plots in :mod:`paperrepro.accuracy.plots`; the
registrations in :mod:`paperrepro.accuracy.figures`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.fetch import fetch
from paperrepro.oculomotor.performance import STAGES, group_by_stage
from paperrepro.oculomotor.tasks import TaskConfig

from . import analysis as an
from .params import Params
from .simulate import simulate_batch, simulate_batches, simulate_endpoints
from .source import Model, Selection, model_from_bundle, model_from_run, require_stages, select
from .train import MODEL_8LOC, MODEL_360LOC
from .trials import best_cue

ENDPOINT_RNG_OFFSET = 1000
"""The endpoint figure's input-noise stream is ``RandomState(train seed + 1000)`` (apart from the recurrent noise)."""


def train_hint(name: str) -> str:
    """The commands that train and pin one model."""
    return f"python -m paperrepro.accuracy.train --model {name}, then python -m paperrepro.accuracy.pin --model {name}"


def model(ctx: RunContext, name: str = MODEL_8LOC, seed: int = 0) -> Model:
    """One of the run's models (pinned bundle, run folder or the authors' checkpoints).

    Parameters
    ----------
    ctx : RunContext
        Profile parameters and data folder.
    name : str
        ``"8loc_odr3000"`` or ``"360loc_odr"`` (one training seed, ``bundle_360``/``run_360``).
    seed : int
        Training seed of the 8-location model (``Params.bundle(seed)``/``run_prefix + seed``).
    """
    params: Params = ctx.params
    if params.source == "zenodo":
        from .zenodo import zenodo_model

        return zenodo_model(ctx, name, seed)
    bundle, run = (
        (params.bundle(seed), f"{params.run_prefix}{seed}") if name == MODEL_8LOC else (params.bundle_360, params.run_360)
    )
    if params.source == "pinned":
        try:
            return model_from_bundle(fetch("accuracy", bundle))
        except DataError as err:
            raise DataError(f"{err}; {train_hint(name)}") from err
    return model_from_run(ctx.data_dir / "accuracy" / run, name)


def selection(ctx: RunContext, mdl: Model) -> Selection:
    """Checkpoint lists of the run's parameters."""
    p: Params = ctx.params
    return select(mdl, per_stage=p.per_stage or None, cap=p.cap, window=p.window, strict_cap=p.strict_cap)


def _tasks(mdl: Model) -> TaskConfig:
    return TaskConfig(n_eachring=mdl.n_eachring)


def _finish(ds: xr.Dataset, ctx: RunContext, mdl: Model) -> xr.Dataset:
    ds.attrs.update(
        model=mdl.name,
        noise_seed=int(ctx.params.noise_seed),
        paired_noise=int(ctx.params.paired_noise),
        bundle_log_md5=str(mdl.attrs.get("log_md5", "")),
    )
    if "stage" in ds.coords:
        ds["stage"].attrs = {"long_name": "developmental stage"}
    return ds


def over_train_seeds(ctx: RunContext, one: Callable[[Model], xr.Dataset]) -> xr.Dataset:
    """Compute a figure for the 8-location model of every training seed and concatenate along ``train_seed``.

    Attributes that differ between seeds (checkpoint numbers, log md5, best locations) become variables along
    ``train_seed``; the others stay attributes.
    """
    seeds = list(ctx.params.train_seeds)
    parts = [one(model(ctx, MODEL_8LOC, seed)) for seed in seeds]
    varying = sorted({k for part in parts for k in part.attrs if any(p.attrs.get(k) != part.attrs.get(k) for p in parts)})
    common = {k: v for k, v in parts[0].attrs.items() if k not in varying}
    per_seed = {
        k: (
            "train_seed",
            np.array([p.attrs.get(k, "") for p in parts]),
            {"long_name": f"{k.replace('_', ' ')} of each training seed"},
        )
        for k in varying
    }
    ds = xr.concat(
        parts,
        dim=pd.Index(seeds, name="train_seed"),
        data_vars="all",
        coords="minimal",
        compat="override",
        join="exact",
        combine_attrs="override",
    )
    ds = ds.assign(per_seed)
    ds["train_seed"].attrs = {"long_name": "training seed of the network"}
    ds.attrs = common
    return ds


def _mature(ctx: RunContext, what: str, mdl: Model) -> tuple[Model, int]:
    sel = selection(ctx, mdl)
    if "mature" not in sel.singles:
        require_stages(sel, what)
    return mdl, sel.singles["mature"]


def _stage_psth(ctx: RunContext, mdl: Model, rule: str, offsets, labels) -> xr.Dataset:
    sel = selection(ctx, mdl)
    require_stages(sel, rule)
    lists = sel.lists[rule]
    batches = {
        s: [simulate_batch(mdl.weights(t), rule, ctx.params.noise_seed, tasks=_tasks(mdl)) for t in ts] for s, ts in lists.items()
    }
    perf = {s: [mdl.perf_at(rule, t) for t in ts] for s, ts in lists.items()}
    ds = an.psth_dataset(batches, perf, lists, offsets=offsets, cue_labels=labels)
    ds.attrs["rule"] = rule
    return _finish(ds, ctx, mdl)


def psth(ctx: RunContext) -> xr.Dataset:
    """Population PSTH of delay units at their preferred location (original ``plot_multiple_model_psth``)."""
    return over_train_seeds(ctx, lambda mdl: _stage_psth(ctx, mdl, "odr3000", (0,), ("preferred",)))


def psth_odrd(ctx: RunContext) -> xr.Dataset:
    """PSTH of ``odrd`` with the cue at p and at p + 180° (distractor then on p; original ``plot_multiple_model_psth``)."""
    return over_train_seeds(ctx, lambda mdl: _stage_psth(ctx, mdl, "odrd", (0, 4), ("preferred", "opposite")))


def endpoints(ctx: RunContext) -> xr.Dataset:
    """Endpoint deviations with input noise on, checkpoints re-labelled by raw perf (original ``saccade_distribut_analysis``)."""
    return over_train_seeds(ctx, lambda mdl: _endpoints(ctx, mdl))


def _endpoints(ctx: RunContext, mdl: Model) -> xr.Dataset:
    sel = selection(ctx, mdl)
    require_stages(sel, "endpoints")
    rng = np.random.RandomState(mdl.seed + ENDPOINT_RNG_OFFSET)
    order = [t for s in STAGES for t in sel.lists["odr3000"][s]]
    behaviour = {s: [] for s in STAGES}
    trials = {s: [] for s in behaviour}
    for t in order:
        stage = next(s for s, ts in group_by_stage([t], [mdl.perf_at("odr3000", t)]).items() if ts)
        behaviour[stage].append(simulate_endpoints(mdl.weights(t), "odr3000", ctx.params.noise_seed, rng, tasks=_tasks(mdl)))
        trials[stage].append(t)
    return _finish(an.endpoints_dataset(behaviour, trials), ctx, mdl)


def _noise_seeds(ctx: RunContext) -> list[int]:
    p: Params = ctx.params
    return list(range(p.noise_seed, p.noise_seed + p.n_noise_seeds))


def _seed_batches(ctx: RunContext, what: str, mdl: Model):
    mdl, t = _mature(ctx, what, mdl)
    seeds = _noise_seeds(ctx)
    return mdl, t, seeds, [simulate_batch(mdl.weights(t), "odr3000", s, tasks=_tasks(mdl)) for s in seeds]


def r_tuning(ctx: RunContext) -> xr.Dataset:
    """Across-unit R at each tuning position, mature checkpoint, ``n_noise_seeds`` noise seeds (original ``plot_R_last``)."""

    def one(mdl: Model) -> xr.Dataset:
        mdl, t, seeds, batches = _seed_batches(ctx, "r_tuning", mdl)
        return _finish(an.r_tuning_dataset(batches, seeds, t), ctx, mdl)

    return over_train_seeds(ctx, one)


def r_distribution(ctx: RunContext) -> xr.Dataset:
    """Per-unit R at the 7 non-preferred locations, mature checkpoint (original ``R_distribute_last``)."""

    def one(mdl: Model) -> xr.Dataset:
        mdl, t, seeds, batches = _seed_batches(ctx, "r_distribution", mdl)
        n_units = int(batches[0].rate.shape[2])
        return _finish(an.r_distribution_dataset(batches, seeds, t, n_units), ctx, mdl)

    return over_train_seeds(ctx, one)


def fano(ctx: RunContext) -> xr.Dataset:
    """Tuning and Fano factor re-centred on each unit's tuning maximum (original ``plot_fano_tuning_average_last``)."""

    def one(mdl: Model) -> xr.Dataset:
        mdl, t = _mature(ctx, "fano", mdl)
        batch = simulate_batch(mdl.weights(t), "odr3000", ctx.params.noise_seed, tasks=_tasks(mdl))
        return _finish(an.fano_dataset(batch, t), ctx, mdl)

    return over_train_seeds(ctx, one)


def single_unit(ctx: RunContext) -> xr.Dataset:
    """Unit ``single_unit`` of the mature checkpoint, correct trials (original ``gen_single_neuron_PSTH_``)."""

    def one(mdl: Model) -> xr.Dataset:
        mdl, t = _mature(ctx, "single_unit", mdl)
        batch = simulate_batch(mdl.weights(t), "odr3000", ctx.params.noise_seed, tasks=_tasks(mdl))
        return _finish(an.single_unit_dataset(batch.mode(ctx.params.paired_noise), ctx.params.single_unit, t), ctx, mdl)

    return over_train_seeds(ctx, one)


def weights(ctx: RunContext) -> xr.Dataset:
    """Weight matrices of the mature checkpoint, units stably sorted by best cue location (original ``synaptic_analysis``)."""

    def one(mdl: Model) -> xr.Dataset:
        mdl, t = _mature(ctx, "weights", mdl)
        w = mdl.weights(t)
        batch = simulate_batch(w, "odr3000", ctx.params.noise_seed, tasks=_tasks(mdl))
        best, _ = best_cue(batch.mode(ctx.params.paired_noise))
        return _finish(an.weights_dataset(w, best, mdl.n_eachring, t), ctx, mdl)

    return over_train_seeds(ctx, one)


def _single_kernels(ctx: RunContext, mdl: Model) -> tuple[Model, dict[str, np.ndarray], dict[str, int]]:
    name = mdl.name
    sel = selection(ctx, mdl)
    if any(s not in sel.singles for s in STAGES):
        require_stages(sel, f"input_weights ({name})")
    return mdl, {s: mdl.weights(sel.singles[s])["kernel"] for s in STAGES}, dict(sel.singles)


def input_weights(ctx: RunContext) -> xr.Dataset:
    """Ring-input weights of the single early/mid/mature checkpoints of both models (original ``plot_distribution``).

    The 360-location model has one training seed; its panel repeats along ``train_seed``.
    """
    fixed = _single_kernels(ctx, model(ctx, MODEL_360LOC))

    def one(mdl: Model) -> xr.Dataset:
        models, kernels, trials = {}, {}, {}
        for name, (m, k, t) in ((MODEL_8LOC, _single_kernels(ctx, mdl)), (MODEL_360LOC, fixed)):
            models[name], kernels[name], trials[name] = m, k, t
        ds = an.input_weights_dataset(kernels, {name: m.n_eachring for name, m in models.items()}, trials)
        ds.attrs["input_weights_360_model"] = (
            f"{MODEL_360LOC}: 1.5-s ODR, 360 locations (the original's 3-s 360-location model is not published)"
        )
        return _finish(ds, ctx, models[MODEL_8LOC])

    return over_train_seeds(ctx, one)


def heatmap360(ctx: RunContext) -> xr.Dataset:
    """Normalised PSTH of all units at cue 90° on correct trials, mid checkpoint of ``360loc_odr``
    (original ``gen_multiple_trials_heatmap``)."""
    p: Params = ctx.params
    mdl = model(ctx, MODEL_360LOC)
    sel = selection(ctx, mdl)
    if "mid" not in sel.singles:
        require_stages(sel, "heatmap360")
    t = sel.singles["mid"]
    batches = simulate_batches(
        mdl.weights(t), mdl.odr_rule, p.noise_seed, tasks=_tasks(mdl), locations_per_batch=p.locations_per_batch
    )
    ds = an.heatmap_dataset((b.mode(p.paired_noise) for b in batches), p.heatmap_location, t)
    ds.attrs.update(rule=mdl.odr_rule, checkpoint_perf=mdl.perf_at(mdl.odr_rule, t))
    return _finish(ds, ctx, mdl)
