"""Figures of the rotational model (ids provisional: the paper's model panels could not be matched, docs/rotational.md).

All figures of a run share one grid of networks, computed once by :func:`grid` and memoised with
:func:`paperrepro.core.cache.cached_dataset`: with ``source = "scratch"`` the profile's association × structure ×
seed grid (:func:`paperrepro.rotational.network.run_grid`), with ``source = "demo"`` the authors' 10 networks of
``model_demo.pkl`` replayed on fresh trials with their saved read-outs (:func:`paperrepro.rotational.demo.replay_demo`).
Each figure's data function reduces that grid to a small Dataset whose per-network variables have the dims
``association``, ``structure`` (= structure_cov / pattern_var) and ``seed``.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from paperrepro.core.cache import cached_dataset
from paperrepro.core.config import RunContext
from paperrepro.core.execute import map_units
from paperrepro.core.fetch import fetch
from paperrepro.core.figures import FigureRegistry

from . import analysis as an
from .demo import demo_to_dataset, load_demo_pickle, replay_demo
from .network import run_grid
from .params import Params

REGISTRY = FigureRegistry("rotational", Params, title="Libby & Buschman 2021, Nat Neurosci 24:715 (rotational dynamics, model)")
FIGSIZE = (6.4, 4.0)
GROUP_COLORS = {0: "tab:blue", 1: "tab:red"}


def compute_grid(ctx: RunContext) -> xr.Dataset:
    """Analyse every network of the run (scratch grid or demo replay); see the module docstring."""
    params: Params = ctx.params
    if params.source == "demo":
        saved = demo_to_dataset(load_demo_pickle(fetch("rotational", "model_demo.pkl")))
        return replay_demo(saved, params, ctx.seed)
    return run_grid(params, ctx.seed, map_fn=partial(_map, executor=ctx.executor, jobs=ctx.jobs))


def _map(fn, units, *, executor: str, jobs: int) -> list:
    return map_units(fn, units, executor=executor, jobs=jobs, desc="networks")


def grid(ctx: RunContext) -> xr.Dataset:
    """Return the run's grid dataset, computed once per parameters and seed."""
    return cached_dataset(ctx, "grid", lambda: compute_grid(ctx))


def by_grid(da: xr.DataArray) -> xr.DataArray:
    """Reshape a per-network variable to dims (..., association, structure, seed)."""
    drop = [c for c in ("structure_cov",) if c in da.coords]
    return da.drop_vars(drop).set_index(network=["association", "structure", "seed"]).unstack("network")


def _var(da: xr.DataArray, long_name: str, units: str = "1", dtype=np.float64) -> xr.DataArray:
    da = da.astype(dtype)
    da.attrs = {"long_name": long_name, "units": units}
    return da


def _pooled(da: xr.DataArray) -> xr.DataArray:
    """Mean over structure and seed, per association."""
    return da.mean(["structure", "seed"])


def _slope(da: xr.DataArray, dim: str) -> float:
    """Least-squares slope of the per-level means of ``da`` along ``dim`` (equal weights per level)."""
    means = da.mean([d for d in da.dims if d != dim])
    return float(np.polyfit(means[dim].values, means.values, 1)[0])


def _finish(ds: xr.Dataset, g: xr.Dataset) -> xr.Dataset:
    ds.attrs.update(source=str(g.attrs.get("source", "scratch")), n_networks=int(g.sizes["network"]))
    ds["association"].attrs = {"long_name": "association (fraction of A/X units linked to C/C*)", "units": "1"}
    ds["structure"].attrs = {"long_name": "structure (structure_cov / pattern_var)", "units": "1"}
    return ds


def _errorbar_by_association(ax, da: xr.DataArray, label: str, **kw) -> None:
    """Plot mean ± SD over structure and seed per association."""
    m, s = _pooled(da), da.std(["structure", "seed"])
    ax.errorbar(m["association"].values, m.values, yerr=s.values, marker="o", capsize=3, label=label, **kw)


# --- model_auc ---------------------------------------------------------------------------------------------------


def plot_model_auc(ds: xr.Dataset) -> Figure:
    """Decoding AUC of the four read-outs against association."""
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    names = {"AX0": "A/X sensory (tp0)", "AX1": "A/X memory (tp1)", "CCprime0": "C/C* (tp0)", "CCprime1": "C/C* (tp1)"}
    for r in ds["readout"].values:
        _errorbar_by_association(ax, ds["auc"].sel(readout=r), names[str(r)])
    ax.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax.set(xlabel="association", ylabel="AUC (held-out trials)", ylim=(0.3, 1.0), title="Read-out accuracy")
    ax.legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure(
    "model_auc", plot=plot_model_auc, description="AUC of A/X sensory, A/X memory and C/C* read-outs per association"
)
def model_auc(ctx: RunContext) -> xr.Dataset:
    """A/X and C/C* read-out AUCs on held-out trials at their own step (diagonal of the cross AUC)."""
    g = grid(ctx)
    diag = xr.concat(
        [
            g["auc"].sel(readout=r, labels=ls, t_test=t, drop=True)
            for r, ls, t in (("AX0", "AX", 0), ("AX1", "AX", 1), ("CCprime0", "CCprime", 0), ("CCprime1", "CCprime", 1))
        ],
        dim="readout",
    )
    diag["readout"] = list(an.READOUTS)
    ds = xr.Dataset({"auc": _var(by_grid(diag), "AUC of each read-out on its own labels and step")})
    return _finish(ds, g)


# --- model_postdiction -------------------------------------------------------------------------------------------


def plot_model_postdiction(ds: xr.Dataset) -> Figure:
    """Sensory vs memory A/X read-out at tp1 on expected and unexpected trials against association."""
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    for r, name in (("AX0", "sensory"), ("AX1", "memory")):
        for s, ls in (("exp", "-"), ("unexp", "--")):
            _errorbar_by_association(ax, ds["auc"].sel(readout=r, subset=s), f"A/X {name}, {s}ected", ls=ls)
    ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
    ax.set(
        xlabel="association",
        ylabel="A/X AUC at tp1 (held-out trials)",
        ylim=(0.0, 1.0),
        title="Interference: sensory axis fails on unexpected trials",
    )
    ax.legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure(
    "model_postdiction",
    plot=plot_model_postdiction,
    description="A/X sensory and memory read-outs at tp1 on expected vs unexpected trials",
)
def model_postdiction(ctx: RunContext) -> xr.Dataset:
    """Postdiction AUCs (labels A/X, step 1) of the A/X sensory (AX0) and memory (AX1) read-outs."""
    g = grid(ctx)
    auc = by_grid(g["postdiction"].sel(readout=["AX0", "AX1"], labels="AX", drop=True))
    pooled = _pooled(auc.sel(readout="AX0", subset="unexp"))
    mem = _pooled(auc.sel(readout="AX1", subset="unexp"))
    a0, a1 = auc["association"].values[[0, -1]]
    ds = xr.Dataset(
        {
            "auc": _var(auc, "A/X AUC at tp1 on expected / unexpected held-out trials"),
            "sensory_unexp_drop": _var(
                pooled.sel(association=a0) - pooled.sel(association=a1),
                "sensory-on-unexpected AUC at the lowest minus the highest association",
            ),
            "memory_unexp_change": _var(
                abs(mem.sel(association=a1) - mem.sel(association=a0)),
                "abs change of memory-on-unexpected AUC between extreme associations",
            ),
        }
    )
    return _finish(ds, g)


# --- model_alignment ---------------------------------------------------------------------------------------------


def plot_model_alignment(ds: xr.Dataset) -> Figure:
    """Angle sensory–C/C* axis and cross-decoding against association."""
    fig = Figure(layout="constrained", figsize=(9.6, 4.0))
    ax1, ax2 = fig.subplots(1, 2)
    _errorbar_by_association(ax1, ds["angle"], "A/X sensory vs C/C*")
    ax1.axhline(90, color="0.6", lw=0.8, ls="--")
    ax1.set(xlabel="association", ylabel="angle between read-out axes (degree)", title="Sensory axis aligns with C/C*")
    for d, name in (
        ("CCprime1_on_AX0", "C/C* (tp1) read-out on A/X at tp0"),
        ("AX0_on_CCprime1", "A/X sensory read-out on C/C* at tp1"),
    ):
        _errorbar_by_association(ax2, ds["cross_auc"].sel(direction=d), name)
    ax2.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax2.set(xlabel="association", ylabel="cross-decoding AUC", ylim=(0.3, 1.0), title="Cross-decoding")
    ax2.legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure(
    "model_alignment",
    plot=plot_model_alignment,
    description="angle between A/X sensory and C/C* axes; C/C* <-> A/X cross-decoding",
)
def model_alignment(ctx: RunContext) -> xr.Dataset:
    """Sensory–C/C* angle and the two cross-decoding AUCs."""
    g = grid(ctx)
    cross = xr.concat(
        [
            g["auc"].sel(readout="CCprime1", labels="AX", t_test=0, drop=True),
            g["auc"].sel(readout="AX0", labels="CCprime", t_test=1, drop=True),
        ],
        dim="direction",
    )
    cross["direction"] = ["CCprime1_on_AX0", "AX0_on_CCprime1"]
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


# --- model_orthogonality -----------------------------------------------------------------------------------------


def plot_model_orthogonality(ds: xr.Dataset) -> Figure:
    """Histograms of the sensory–memory and memory–C/C* angles."""
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    bins = np.arange(50, 131, 2.5)
    for pair, name in (("sen_mem", "A/X sensory vs A/X memory"), ("mem_CC", "A/X memory vs C/C*")):
        ax.hist(ds["angle"].sel(axis_pair=pair).values.ravel(), bins=bins, alpha=0.6, label=name)
    ax.axvline(90, color="0.3", lw=0.8, ls="--")
    ax.set(xlabel="angle between read-out axes (degree)", ylabel="networks", title="Memory axis is orthogonal")
    ax.legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure("model_orthogonality", plot=plot_model_orthogonality, description="angles sensory-memory and memory-C/C* axes")
def model_orthogonality(ctx: RunContext) -> xr.Dataset:
    """Angles between the A/X sensory and memory axes and between the memory and C/C* axes."""
    g = grid(ctx)
    ds = xr.Dataset(
        {
            "angle": _var(
                by_grid(g["angle"].sel(axis_pair=["sen_mem", "mem_CC"])), "angle between read-out weight vectors", "degree"
            )
        }
    )
    return _finish(ds, g)


# --- model_rotation_projection -----------------------------------------------------------------------------------


def plot_model_rotation_projection(ds: xr.Dataset) -> Figure:
    """Trials of the example network in the (sensory, memory) read-out plane at tp0 and tp1."""
    fig = Figure(layout="constrained", figsize=(9.6, 4.0))
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    first = ds["first"].values
    for t, ax in zip((0, 1), axes, strict=False):
        y = ds["y_score"].sel(t_test=t)
        for k, name in enumerate(("A", "X")):
            sel = first == name
            ax.scatter(
                y.sel(readout="AX0").values[sel],
                y.sel(readout="AX1").values[sel],
                s=4,
                alpha=0.4,
                color=GROUP_COLORS[k],
                label=f"{name} trials",
                rasterized=True,
            )
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set(xlabel="projection on A/X sensory axis (AX0)", title=f"time step {t}")
    axes[0].set_ylabel("projection on A/X memory axis (AX1)")
    axes[0].legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure(
    "model_rotation_projection",
    plot=plot_model_rotation_projection,
    description="trials projected on the A/X sensory and memory axes at tp0 and tp1",
)
def model_rotation_projection(ctx: RunContext) -> xr.Dataset:
    """Projections of one example network's trials and projection AUCs pooled over all networks.

    The example is the first network at the highest association and median structure. ``projection_auc`` is the
    AUC of the A/X labels from the projections (all trials with ``projection_trials = "all"``, quirk B8 of
    docs/rotational.md; held-out trials otherwise).
    """
    g = grid(ctx)
    assoc = g["association"].values
    struct = g["structure"].values
    target = np.median(np.unique(struct))
    candidates = np.flatnonzero(assoc == assoc.max())
    example = int(candidates[np.argmin(np.abs(struct[candidates] - target))])
    y = g["y_score"].sel(readout=["AX0", "AX1"])
    labels = an.labels(np.repeat(np.arange(4), g.sizes["trial"] // 4), "AX")
    values = y.values
    proj_auc = np.full(values.shape[:-1], np.nan)
    for idx in np.ndindex(*values.shape[:-1]):
        ok = np.isfinite(values[idx])
        proj_auc[idx] = an.auc(labels[ok], values[idx][ok])
    proj = y.isel(trial=0).drop_vars(["trial", "condition"]).copy(data=proj_auc)
    cond = g["condition"].values
    ds = xr.Dataset(
        {
            "y_score": _var(
                y.isel(network=example, drop=True).drop_vars(
                    ["association", "structure_cov", "structure", "seed"], errors="ignore"
                ),
                "projection of each trial on the read-out axis (decision function)",
            ),
            "projection_auc": _var(by_grid(proj), "A/X AUC of the projections"),
        },
        coords={"first": ("trial", np.array([c[0] for c in cond])), "second": ("trial", np.array([c[1:] for c in cond]))},
    )
    ds.attrs.update(
        example_association=float(assoc[example]),
        example_structure=float(struct[example]),
        example_seed=int(g["seed"].values[example]),
        projection_trials=str(g.attrs["projection_trials"]),
    )
    return _finish(ds, g)


# --- model_zscore_scatter ----------------------------------------------------------------------------------------


def plot_model_zscore_scatter(ds: xr.Dataset) -> Figure:
    """A − X z-score per unit at tp0 against tp1."""
    fig = Figure(layout="constrained", figsize=(4.8, 4.8))
    ax = fig.subplots()
    z = ds["zscore"].sel(labels="AX")
    ax.scatter(z.sel(t=0).values.ravel(), z.sel(t=1).values.ravel(), s=2, alpha=0.3, color="k", rasterized=True)
    zc = float(ds.attrs["z_crit"])
    for v in (-zc, zc):
        ax.axhline(v, color="tab:red", lw=0.8, ls="--")
        ax.axvline(v, color="tab:red", lw=0.8, ls="--")
    ax.set(
        xlabel="A - X z-score, sensory period (tp0)",
        ylabel="A - X z-score, memory period (tp1)",
        title="Stable (same sign) and switching (opposite sign) units",
    )
    return fig


@REGISTRY.figure(
    "model_zscore_scatter",
    plot=plot_model_zscore_scatter,
    description="per-unit A-X z-scores at tp0 vs tp1 and fractions of selective units",
)
def model_zscore_scatter(ctx: RunContext) -> xr.Dataset:
    """Per-unit z-scores (float32) and the fraction of units with ``|z| > z*`` per label set and step."""
    g = grid(ctx)
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


# --- model_selectivity_counts ------------------------------------------------------------------------------------

GROUPS = {
    "stable": ("AA", "XX"),
    "switching": ("AX", "XA"),
    "sensory_only": ("A0", "X0"),
    "memory_only": ("0A", "0X"),
    "nonselective": ("00",),
}


def plot_model_selectivity_counts(ds: xr.Dataset) -> Figure:
    """Selectivity group counts against structure."""
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    for grp in ds["group"].values:
        if grp == "nonselective":
            continue
        da = ds["group_counts"].sel(group=grp)
        m, s = da.mean(["association", "seed"]), da.std(["association", "seed"])
        ax.errorbar(m["structure"].values, m.values, yerr=s.values, marker="o", capsize=3, label=str(grp))
    ax.set(
        xlabel="structure (structure_cov / pattern_var)",
        ylabel="units per network",
        title="Selectivity of units from A/X z-scores",
    )
    ax.legend(frameon=False, fontsize=8)
    return fig


@REGISTRY.figure(
    "model_selectivity_counts",
    plot=plot_model_selectivity_counts,
    description="stable / switching / sensory-only / memory-only / non-selective counts vs structure",
)
def model_selectivity_counts(ctx: RunContext) -> xr.Dataset:
    """Counts per category and group, plus the effects of structure on stable + switching and memory-only units."""
    g = grid(ctx)
    counts = by_grid(g["counts"])
    groups = xr.concat([counts.sel(category=list(c)).sum("category") for c in GROUPS.values()], dim="group")
    groups["group"] = list(GROUPS)
    st_sw = groups.sel(group=["stable", "switching"]).sum("group")
    hi, lo = groups["structure"].values.max(), groups["structure"].values.min()
    mem = groups.sel(group="memory_only")
    ds = xr.Dataset(
        {
            "counts": _var(counts, "units per selectivity category", dtype=np.int64),
            "group_counts": _var(groups, "units per selectivity group", dtype=np.int64),
            "stable_switching_structure_effect": _var(
                st_sw.sel(structure=hi).mean() - st_sw.sel(structure=lo).mean(),
                "stable + switching at the highest minus the lowest structure",
            ),
            "memory_only_structure_effect": _var(
                mem.sel(structure=hi).mean() - mem.sel(structure=lo).mean(),
                "memory-only at the highest minus the lowest structure",
            ),
            "stable_switching_slope": _var(
                xr.DataArray(_slope(st_sw, "structure")), "slope of stable + switching against structure", "1/structure"
            ),
        }
    )
    return _finish(ds, g)


# --- model_crosstemporal -----------------------------------------------------------------------------------------


def plot_model_crosstemporal(ds: xr.Dataset) -> Figure:
    """4 × 4 cross-decoding matrices (train read-out × test labels/step), one panel per association extreme."""
    assoc = ds["association"].values[[0, -1]]
    fig = Figure(layout="constrained", figsize=(9.6, 4.2))
    axes = fig.subplots(1, 2)
    m = ds["auc"].mean(["structure", "seed"])
    cols = [f"{ls}{t}" for ls in m["labels"].values for t in m["t_test"].values]
    for a, ax in zip(assoc, axes, strict=False):
        mat = m.sel(association=a).transpose("readout", "labels", "t_test").values.reshape(4, 4)
        im = ax.imshow(mat, vmin=0.3, vmax=1.0, cmap="viridis")
        for i in range(4):
            for j in range(4):
                ax.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=7, color="w")
        ax.set(
            xticks=range(4),
            xticklabels=cols,
            yticks=range(4),
            yticklabels=list(m["readout"].values),
            xlabel="test labels and step",
            title=f"association {a:.2f}",
        )
    axes[0].set_ylabel("read-out (labels, training step)")
    fig.colorbar(im, ax=axes.tolist(), label="AUC")
    return fig


@REGISTRY.figure(
    "model_crosstemporal", plot=plot_model_crosstemporal, description="cross-decoding matrix: read-out x test labels and step"
)
def model_crosstemporal(ctx: RunContext) -> xr.Dataset:
    """The full cross AUC (readout, labels, t_test) per network."""
    g = grid(ctx)
    return _finish(xr.Dataset({"auc": _var(by_grid(g["auc"]), "cross-decoding AUC on held-out trials")}), g)


# --- association_sweep -------------------------------------------------------------------------------------------

SWEEP_METRICS = {
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


def plot_association_sweep(ds: xr.Dataset) -> Figure:
    """Per-association means of the postdiction AUCs and the sensory–C/C* angle."""
    fig = Figure(layout="constrained", figsize=(9.6, 4.0))
    ax1, ax2 = fig.subplots(1, 2)
    for name in ("sensory_unexp", "sensory_exp", "memory_unexp", "memory_exp", "cc_on_ax_tp0"):
        ax1.plot(ds["association"].values, ds["mean"].sel(metric=name).values, marker="o", label=name)
    ax1.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax1.set(xlabel="association", ylabel="AUC (mean over networks)", ylim=(0.2, 0.9), title="Association sweep")
    ax1.legend(frameon=False, fontsize=7)
    for name in ("angle_sen_cc", "angle_sen_mem", "angle_mem_cc"):
        ax2.plot(ds["association"].values, ds["mean"].sel(metric=name).values, marker="o", label=name)
    ax2.set(xlabel="association", ylabel="angle (degree)", title="Axis angles")
    ax2.legend(frameon=False, fontsize=7)
    return fig


@REGISTRY.figure(
    "association_sweep",
    plot=plot_association_sweep,
    description="association dependence of AUCs and angles (paper grid; quick grid in quick)",
)
def association_sweep(ctx: RunContext) -> xr.Dataset:
    """Per-association means, SDs and least-squares slopes of the metrics ``SWEEP_METRICS``."""
    g = grid(ctx)
    per = xr.concat([by_grid(g[var].sel(sel, drop=True)) for var, sel in SWEEP_METRICS.values()], dim="metric")
    per["metric"] = list(SWEEP_METRICS)
    slope = xr.DataArray(
        [_slope(per.sel(metric=m), "association") for m in SWEEP_METRICS], dims="metric", coords={"metric": list(SWEEP_METRICS)}
    )
    ds = xr.Dataset(
        {
            "mean": _var(_pooled(per), "mean over structure levels and seeds"),
            "sd": _var(per.std(["structure", "seed"]), "SD over structure levels and seeds"),
            "slope": _var(slope, "least-squares slope of the per-association means", "1/association"),
        }
    )
    ds.attrs.update(source=str(g.attrs.get("source", "scratch")), n_networks=int(g.sizes["network"]))
    ds["association"].attrs = {"long_name": "association (fraction of A/X units linked to C/C*)", "units": "1"}
    return ds
