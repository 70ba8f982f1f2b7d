"""The data functions of the rotational model's figures: the run's network grid reduced to each figure's dataset.

All figures of a run share one grid of networks, computed once by :func:`grid` and memoised with
:func:`paperrepro.core.cache.cached_dataset`: with ``source = "scratch"`` the profile's association × structure ×
seed grid (:func:`paperrepro.rotational.network.run_grid`), with ``source = "demo"`` the authors' 10 networks of
``model_demo.pkl`` replayed on fresh trials with their saved read-outs (:func:`paperrepro.rotational.demo.replay_demo`).
Each figure's data function reduces that grid to a small Dataset whose per-network variables have the dims
``association``, ``structure`` (= structure_cov / pattern_var) and ``seed``; the summaries over the grid are in
:mod:`paperrepro.rotational.analysis`, the drawing in :mod:`paperrepro.rotational.plots`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import xarray as xr

from paperrepro.core.cache import cached_dataset
from paperrepro.core.config import RunContext
from paperrepro.core.execute import map_units
from paperrepro.core.fetch import fetch

from . import analysis as an
from .demo import demo_to_dataset, load_demo_pickle, replay_demo
from .network import run_grid
from .params import Params

#: each read-out scored on its own label set at its own training step (the diagonal of the cross AUC)
OWN_READOUTS: tuple[tuple[str, str, int], ...] = (
    ("AX0", "AX", 0),
    ("AX1", "AX", 1),
    ("CCprime0", "CCprime", 0),
    ("CCprime1", "CCprime", 1),
)
#: the two cross-decodings of ``model_alignment``: (name, read-out, label set, test step)
CROSS_DECODINGS: tuple[tuple[str, str, str, int], ...] = (
    ("CCprime1_on_AX0", "CCprime1", "AX", 0),
    ("AX0_on_CCprime1", "AX0", "CCprime", 1),
)
#: selectivity groups of ``model_selectivity_counts`` and their categories (tp0 letter, tp1 letter)
GROUPS: dict[str, tuple[str, ...]] = {
    "stable": ("AA", "XX"),
    "switching": ("AX", "XA"),
    "sensory_only": ("A0", "X0"),
    "memory_only": ("0A", "0X"),
    "nonselective": ("00",),
}
#: metrics of ``association_sweep``: name -> (grid variable, selection)
SWEEP_METRICS: dict[str, tuple[str, dict[str, str | int]]] = {
    "sensory_auc": ("auc", {"readout": "AX0", "labels": "AX", "t_test": 0}),
    "memory_auc": ("auc", {"readout": "AX1", "labels": "AX", "t_test": 1}),
    "cc_auc_tp0": ("auc", {"readout": "CCprime0", "labels": "CCprime", "t_test": 0}),
    "cc_auc_tp1": ("auc", {"readout": "CCprime1", "labels": "CCprime", "t_test": 1}),
    "sensory_unexp": ("postdiction", {"readout": "AX0", "labels": "AX", "subset": "unexp"}),
    "sensory_exp": ("postdiction", {"readout": "AX0", "labels": "AX", "subset": "exp"}),
    "memory_unexp": ("postdiction", {"readout": "AX1", "labels": "AX", "subset": "unexp"}),
    "memory_exp": ("postdiction", {"readout": "AX1", "labels": "AX", "subset": "exp"}),
    "cc_on_ax_tp0": ("auc", {"readout": "CCprime1", "labels": "AX", "t_test": 0}),
    "angle_sen_cc": ("angle", {"axis_pair": "sen_CC"}),
    "angle_sen_mem": ("angle", {"axis_pair": "sen_mem"}),
    "angle_mem_cc": ("angle", {"axis_pair": "mem_CC"}),
}
ASSOCIATION_ATTRS = {"long_name": "association (fraction of A/X units linked to C/C*)", "units": "1"}
STRUCTURE_ATTRS = {"long_name": "structure (structure_cov / pattern_var)", "units": "1"}


# ------------------------------------------------------------------------------------------------------ the grid
def compute_grid(ctx: RunContext) -> xr.Dataset:
    """Analyse every network of the run (scratch grid or demo replay); see the module docstring.

    Parameters
    ----------
    ctx
        The run (profile parameters, seed, executor and jobs).

    Returns
    -------
    xr.Dataset
        One row per network (dim ``network``) with its AUCs, postdiction AUCs, angles, z-scores, counts and
        projections.
    """
    params: Params = ctx.params
    if params.source == "demo":
        saved = demo_to_dataset(load_demo_pickle(fetch("rotational", "model_demo.pkl")))
        return replay_demo(saved, params, ctx.seed)
    return run_grid(params, ctx.seed, map_fn=partial(_map, executor=ctx.executor, jobs=ctx.jobs))


def _map(fn: Callable, units: list, *, executor: str, jobs: int) -> list:
    return map_units(fn, units, executor=executor, jobs=jobs, desc="networks")


def grid(ctx: RunContext) -> xr.Dataset:
    """Return the run's grid dataset, computed once per parameters, seed and code (:func:`compute_grid`)."""
    return cached_dataset(ctx, "grid", lambda: compute_grid(ctx))


def by_grid(da: xr.DataArray) -> xr.DataArray:
    """Reshape a per-network variable to dims (..., association, structure, seed).

    Parameters
    ----------
    da
        A variable of the grid with the dim ``network`` and its coordinates ``association``, ``structure``, ``seed``.

    Returns
    -------
    xr.DataArray
        ``network`` unstacked into ``association``, ``structure`` and ``seed`` (sorted levels).
    """
    drop = [c for c in ("structure_cov",) if c in da.coords]
    return da.drop_vars(drop).set_index(network=["association", "structure", "seed"]).unstack("network")


def _var(da: xr.DataArray, long_name: str, units: str = "1", dtype: type = np.float64) -> xr.DataArray:
    da = da.astype(dtype)
    da.attrs = {"long_name": long_name, "units": units}
    return da


def _finish(ds: xr.Dataset, g: xr.Dataset) -> xr.Dataset:
    ds.attrs.update(source=str(g.attrs.get("source", "scratch")), n_networks=int(g.sizes["network"]))
    ds["association"].attrs = dict(ASSOCIATION_ATTRS)
    ds["structure"].attrs = dict(STRUCTURE_ATTRS)
    return ds


# ----------------------------------------------------------------------------------- reductions of a network grid
def model_auc_data(g: xr.Dataset) -> xr.Dataset:
    """A/X and C/C* read-out AUCs on held-out trials at their own step (diagonal of the cross AUC).

    Parameters
    ----------
    g
        The run's grid (:func:`grid`).

    Returns
    -------
    xr.Dataset
        ``auc`` (readout, association, structure, seed).
    """
    diag = xr.concat(
        [g["auc"].sel(readout=r, labels=ls, t_test=t, drop=True) for r, ls, t in OWN_READOUTS],
        dim="readout",
    )
    diag["readout"] = [r for r, _, _ in OWN_READOUTS]
    ds = xr.Dataset({"auc": _var(by_grid(diag), "AUC of each read-out on its own labels and step")})
    return _finish(ds, g)


def model_postdiction_data(g: xr.Dataset) -> xr.Dataset:
    """Postdiction AUCs (labels A/X, step 1) of the A/X sensory (AX0) and memory (AX1) read-outs.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``auc`` (readout, subset, association, structure, seed); ``sensory_unexp_drop`` (sensory AUC on unexpected
        trials at the lowest minus the highest association) and ``memory_unexp_change`` (absolute change of the
        memory AUC on unexpected trials between the extreme associations).
    """
    auc = by_grid(g["postdiction"].sel(readout=["AX0", "AX1"], labels="AX", drop=True))
    sensory = an.pooled_mean(auc.sel(readout="AX0", subset="unexp"))
    memory = an.pooled_mean(auc.sel(readout="AX1", subset="unexp"))
    ds = xr.Dataset(
        {
            "auc": _var(auc, "A/X AUC at tp1 on expected / unexpected held-out trials"),
            "sensory_unexp_drop": _var(
                -an.extreme_difference(sensory, "association"),
                "sensory-on-unexpected AUC at the lowest minus the highest association",
            ),
            "memory_unexp_change": _var(
                abs(an.extreme_difference(memory, "association")),
                "abs change of memory-on-unexpected AUC between extreme associations",
            ),
        }
    )
    return _finish(ds, g)


def model_alignment_data(g: xr.Dataset) -> xr.Dataset:
    """Angle between the A/X sensory and C/C* axes, and the two cross-decoding AUCs.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``angle`` (association, structure, seed; degree) and ``cross_auc`` (direction, ...; :data:`CROSS_DECODINGS`).
    """
    cross = xr.concat(
        [g["auc"].sel(readout=r, labels=ls, t_test=t, drop=True) for _, r, ls, t in CROSS_DECODINGS], dim="direction"
    )
    cross["direction"] = [name for name, *_ in CROSS_DECODINGS]
    ds = xr.Dataset(
        {
            "angle": _var(
                by_grid(g["angle"].sel(axis_pair="sen_CC", drop=True)),
                "angle between A/X sensory and C/C* read-out weights",
                "degree",
            ),
            "cross_auc": _var(by_grid(cross), "cross-decoding AUC on held-out trials"),
        }
    )
    return _finish(ds, g)


def model_orthogonality_data(g: xr.Dataset) -> xr.Dataset:
    """Angles between the A/X sensory and memory axes and between the memory and C/C* axes.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``angle`` (axis_pair, association, structure, seed; degree).
    """
    ds = xr.Dataset(
        {
            "angle": _var(
                by_grid(g["angle"].sel(axis_pair=["sen_mem", "mem_CC"])), "angle between read-out weight vectors", "degree"
            )
        }
    )
    return _finish(ds, g)


def model_rotation_projection_data(g: xr.Dataset) -> xr.Dataset:
    """Projections of one example network's trials and projection AUCs of every network.

    The example is the first network at the highest association and median structure
    (:func:`~paperrepro.rotational.analysis.example_network`). ``projection_auc`` is the AUC of the A/X labels from
    the projections (all trials with ``projection_trials = "all"``, quirk B8 of docs/rotational.md; held-out trials
    otherwise).

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``y_score`` (readout, t_test, trial) of the example with the trial coordinates ``first`` and ``second``
        (the stimuli at tp0 and tp1), ``projection_auc`` (readout, t_test, association, structure, seed); the
        example's association, structure and seed as attributes.
    """
    example = an.example_network(g["association"], g["structure"])
    y = g["y_score"].sel(readout=["AX0", "AX1"])
    proj = an.projection_auc(y, an.condition_index(g["condition"].values), "AX")
    cond = g["condition"].values
    one = g.sel(network=example)
    ds = xr.Dataset(
        {
            "y_score": _var(
                y.sel(network=example, drop=True).drop_vars(
                    ["association", "structure_cov", "structure", "seed"], errors="ignore"
                ),
                "projection of each trial on the read-out axis (decision function)",
            ),
            "projection_auc": _var(by_grid(proj), "A/X AUC of the projections"),
        },
        coords={"first": ("trial", np.array([c[0] for c in cond])), "second": ("trial", np.array([c[1:] for c in cond]))},
    )
    ds.attrs.update(
        example_association=float(one["association"]),
        example_structure=float(one["structure"]),
        example_seed=int(one["seed"]),
        projection_trials=str(g.attrs["projection_trials"]),
    )
    return _finish(ds, g)


def model_zscore_scatter_data(g: xr.Dataset) -> xr.Dataset:
    """Per-unit z-scores (float32) and the fraction of units with ``|z| > z*`` per label set and step.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``zscore`` (labels, t, unit, association, structure, seed) and ``frac_selective``; attribute ``z_crit``.
    """
    z = by_grid(g["zscore"])
    frac = (abs(z) > an.Z_CRIT).mean("unit")
    ds = xr.Dataset(
        {
            "zscore": _var(z, "z-scored class-mean difference (class 0 minus class 1)", dtype=np.float32),
            "frac_selective": _var(frac, "fraction of units with abs(z) > z*"),
        }
    )
    ds.attrs["z_crit"] = an.Z_CRIT
    return _finish(ds, g)


def model_selectivity_counts_data(g: xr.Dataset) -> xr.Dataset:
    """Counts per category and group, and the effects of structure on stable + switching and memory-only units.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``counts`` (category, ...), ``group_counts`` (group, ...; :data:`GROUPS`), the highest-minus-lowest
        structure differences ``stable_switching_structure_effect`` and ``memory_only_structure_effect``, and
        ``stable_switching_slope`` against structure.
    """
    counts = by_grid(g["counts"])
    groups = an.group_counts(counts, GROUPS)
    stable_switching = groups.sel(group=["stable", "switching"]).sum("group")
    ds = xr.Dataset(
        {
            "counts": _var(counts, "units per selectivity category", dtype=np.int64),
            "group_counts": _var(groups, "units per selectivity group", dtype=np.int64),
            "stable_switching_structure_effect": _var(
                an.extreme_difference(stable_switching, "structure"),
                "stable + switching at the highest minus the lowest structure",
            ),
            "memory_only_structure_effect": _var(
                an.extreme_difference(groups.sel(group="memory_only"), "structure"),
                "memory-only at the highest minus the lowest structure",
            ),
            "stable_switching_slope": _var(
                xr.DataArray(an.level_slope(stable_switching, "structure")),
                "slope of stable + switching against structure",
                "1/structure",
            ),
        }
    )
    return _finish(ds, g)


def model_crosstemporal_data(g: xr.Dataset) -> xr.Dataset:
    """The full cross AUC (readout, labels, t_test) per network.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``auc`` (readout, labels, t_test, association, structure, seed).
    """
    return _finish(xr.Dataset({"auc": _var(by_grid(g["auc"]), "cross-decoding AUC on held-out trials")}), g)


def association_sweep_data(g: xr.Dataset) -> xr.Dataset:
    """Per-association means, SDs and least-squares slopes of the metrics :data:`SWEEP_METRICS`.

    Parameters
    ----------
    g
        The run's grid.

    Returns
    -------
    xr.Dataset
        ``mean`` and ``sd`` (metric, association) over structure levels and seeds; ``slope`` (metric).
    """
    per = xr.concat([by_grid(g[var].sel(sel, drop=True)) for var, sel in SWEEP_METRICS.values()], dim="metric")
    per["metric"] = list(SWEEP_METRICS)
    slope = xr.DataArray(
        [an.level_slope(per.sel(metric=m), "association") for m in SWEEP_METRICS],
        dims="metric",
        coords={"metric": list(SWEEP_METRICS)},
    )
    ds = xr.Dataset(
        {
            "mean": _var(an.pooled_mean(per), "mean over structure levels and seeds"),
            "sd": _var(per.std(["structure", "seed"]), "SD over structure levels and seeds"),
            "slope": _var(slope, "least-squares slope of the per-association means", "1/association"),
        }
    )
    ds.attrs.update(source=str(g.attrs.get("source", "scratch")), n_networks=int(g.sizes["network"]))
    ds["association"].attrs = dict(ASSOCIATION_ATTRS)
    return ds


# ------------------------------------------------------------------------------------------ the figures' functions
def model_auc(ctx: RunContext) -> xr.Dataset:
    """Read-out AUCs of the run's grid (:func:`model_auc_data`)."""
    return model_auc_data(grid(ctx))


def model_postdiction(ctx: RunContext) -> xr.Dataset:
    """Postdiction AUCs of the run's grid (:func:`model_postdiction_data`)."""
    return model_postdiction_data(grid(ctx))


def model_alignment(ctx: RunContext) -> xr.Dataset:
    """Sensory-C/C* angle and cross-decoding of the run's grid (:func:`model_alignment_data`)."""
    return model_alignment_data(grid(ctx))


def model_orthogonality(ctx: RunContext) -> xr.Dataset:
    """Axis angles of the run's grid (:func:`model_orthogonality_data`)."""
    return model_orthogonality_data(grid(ctx))


def model_rotation_projection(ctx: RunContext) -> xr.Dataset:
    """Example projections and projection AUCs of the run's grid (:func:`model_rotation_projection_data`)."""
    return model_rotation_projection_data(grid(ctx))


def model_zscore_scatter(ctx: RunContext) -> xr.Dataset:
    """Per-unit z-scores of the run's grid (:func:`model_zscore_scatter_data`)."""
    return model_zscore_scatter_data(grid(ctx))


def model_selectivity_counts(ctx: RunContext) -> xr.Dataset:
    """Selectivity counts of the run's grid (:func:`model_selectivity_counts_data`)."""
    return model_selectivity_counts_data(grid(ctx))


def model_crosstemporal(ctx: RunContext) -> xr.Dataset:
    """Cross-decoding AUCs of the run's grid (:func:`model_crosstemporal_data`)."""
    return model_crosstemporal_data(grid(ctx))


def association_sweep(ctx: RunContext) -> xr.Dataset:
    """Association dependence of the run's grid (:func:`association_sweep_data`)."""
    return association_sweep_data(grid(ctx))
