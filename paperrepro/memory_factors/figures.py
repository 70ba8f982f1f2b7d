"""Figures of Orhan & Ma (2019), Nat Neurosci 22:275 (ids provisional: the paper's panel labels are not verified).

Every figure reads the run's network table and examples (:func:`paperrepro.memory_factors.results.load`: the pinned
results of ``paperrepro/memory_factors/pinned/`` with ``source: pinned``, or the run folder, trained on demand, with
``source: run``) and reduces them with :mod:`paperrepro.memory_factors.analysis`. SI analyses use passing networks
only (test information loss < 0.5); failed networks have SI = NaN and are counted in the pass fractions that every
statistic carries. Condition effects are paired Delta SI = SI(condition) - SI(basic partner), with mean +- s.e.m.,
median and a Wilcoxon signed-rank p over pairs per task.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from paperrepro.core.config import RunContext
from paperrepro.core.figures import FigureRegistry

from . import analysis
from .analysis import attrs, basic_networks
from .params import Params
from .results import load, results_root  # noqa: F401 (results_root: used by the commands)

#: the pinned results the quick profile reads (``source: pinned``, ``pinned_prefix: factors``)
PINNED_FILES: tuple[str, ...] = ("factors_networks.nc", "factors_examples.nc")
REGISTRY = FigureRegistry(
    "memory_factors",
    Params,
    title="Orhan & Ma 2019, Nat Neurosci 22:275 (factors shaping short-term-memory codes)",
    requires=PINNED_FILES,
    how_to_make="python -m paperrepro.memory_factors sweep --profile quick --jobs 2, then "
    "python -m paperrepro.memory_factors pin --profile quick "
    "(about 3.6 CPU-hours; docs/memory_factors.md)",
    seeded=False,
)  # networks are seeded by their job number in the design, not the base seed


# ---------------------------------------------------------------------------------------------------- coupling
def plot_coupling(ds: xr.Dataset) -> Figure:
    """SI vs sigma0 per task, one line per lambda0; the Spearman correlations in the legend."""
    tasks = ds["task"].values
    fig = Figure(figsize=(3.2 * len(tasks), 3.2))
    axes = np.atleast_1d(fig.subplots(1, len(tasks), sharey=True))
    for ax, task in zip(axes, tasks, strict=True):
        for lam in ds["lambda0"].values:
            ax.plot(ds["sigma0"], ds["si"].sel(task=task, lambda0=lam), "o-", label=f"λ0 = {lam:.2f}")
        rho_s, p_s = float(ds["spearman_si_sigma0"].sel(task=task)), float(ds["spearman_p_sigma0"].sel(task=task))
        ax.set(
            title=f"{task}: ρ(SI, σ0) = {rho_s:.2f} (p = {p_s:.2g})\npassing "
            f"{int(ds['n_passed'].sel(task=task))}/{int(ds['n_networks'].sel(task=task))}",
            xlabel="off-diagonal coupling σ0",
        )
        ax.title.set_fontsize(8)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("SI (passing networks)")
    return fig


@REGISTRY.figure("coupling", plot=plot_coupling, description="SI against sigma0 and lambda0 per task (basic)")
def coupling(ctx: RunContext) -> xr.Dataset:
    """SI maps (task, lambda0, sigma0) of the basic networks with Spearman correlations (see analysis)."""
    return analysis.coupling_data(load(ctx)[0])


# -------------------------------------------------------------------------------------------------- si_by_task
def plot_si_by_task(ds: xr.Dataset) -> Figure:
    """Mean +- s.e.m. SI per task, ranked."""
    fig = Figure(figsize=(5.0, 3.4))
    ax = fig.subplots()
    order = np.argsort(ds["si_mean"].values)
    ax.errorbar(np.arange(order.size), ds["si_mean"].values[order], yerr=ds["si_sem"].values[order], fmt="o")
    ax.set_xticks(
        np.arange(order.size),
        [
            f"{t}\n({p}/{n})"
            for t, p, n in zip(
                ds["task"].values[order], ds["n_passed"].values[order], ds["n_networks"].values[order], strict=True
            )
        ],
    )
    ax.set(ylabel="SI, mean ± s.e.m. (passing/trained)")
    return fig


@REGISTRY.figure("si_by_task", plot=plot_si_by_task, description="mean SI per task (basic, passing networks)")
def si_by_task(ctx: RunContext) -> xr.Dataset:
    """Mean +- s.e.m. SI of the passing basic networks of every trained task; contrasts against 2AFC and DE-1."""
    return analysis.si_by_task_data(load(ctx)[0])


# ------------------------------------------------------------------------------------------ condition effects
def plot_delta(ds: xr.Dataset) -> Figure:
    """SI(condition) against SI(basic) per pair, and mean +- s.e.m. Delta SI per task with the Wilcoxon p."""
    fig = Figure(figsize=(7.6, 3.4))
    ax1, ax2 = fig.subplots(1, 2)
    for label in ds["task_summary"].values:
        mask = ds["task"].values == label
        ax1.scatter(ds["si_basic"].values[mask], ds["si_condition"].values[mask], s=14, label=label)
    values = np.r_[ds["si_basic"].values, ds["si_condition"].values, 1.0]
    hi = float(np.nanmax(values)) + 0.5
    ax1.plot([0.0, hi], [0.0, hi], "k--", lw=0.8)
    condition = ds.attrs.get("condition", "condition")
    ax1.set(xlabel="SI, basic partner", ylabel=f"SI, {condition}")
    ax1.legend(fontsize=7)
    x = np.arange(ds.sizes["task_summary"])
    ax2.bar(x, ds["delta_mean"].values, yerr=ds["delta_sem"].values, color="0.7")
    ax2.axhline(0.0, color="k", lw=0.8)
    labels = [
        f"{t}\nn={n}, p={p:.2g}"
        for t, n, p in zip(ds["task_summary"].values, ds["n_pairs"].values, ds["wilcoxon_p"].values, strict=True)
    ]
    ax2.set_xticks(x, labels, fontsize=7)
    ax2.set(ylabel="ΔSI, mean ± s.e.m. over pairs")
    return fig


def _register_condition(condition: str, description: str) -> None:
    def compute(ctx: RunContext) -> xr.Dataset:
        return analysis.condition_delta(load(ctx)[0], condition)

    compute.__name__ = condition
    compute.__doc__ = f"Paired Delta SI of the {condition} condition against basic (see analysis.condition_delta)."
    REGISTRY.figure(condition, plot=plot_delta, description=description)(compute)


for _condition, _description in (
    ("hebbian", "Delta SI of Hebbian fast weights"),
    ("tethered", "Delta SI of tethered (strong end-of-trial activity penalty)"),
    ("dynamic_input", "Delta SI of task-irrelevant dynamic input"),
    ("variable_delay", "Delta SI of variable delays (d = 100 trials)"),
    ("multitask", "Delta SI of task B after training on task A"),
):
    _register_condition(_condition, _description)


# --------------------------------------------------------------------------------------------------------- rho
def plot_rho(ds: xr.Dataset) -> Figure:
    """Mean SI against rho per task."""
    fig = Figure(figsize=(4.5, 3.4))
    ax = fig.subplots()
    for task in ds["task"].values:
        ax.plot(ds["rho"], ds["si_mean"].sel(task=task), "o-", label=task)
    ax.set(xlabel="L2 coefficient ρ", ylabel="mean SI")
    ax.legend()
    return fig


@REGISTRY.figure("rho", plot=plot_rho, description="SI against the L2 coefficient rho (basic)")
def rho(ctx: RunContext) -> xr.Dataset:
    """Mean SI of passing basic networks per task and rho, over the grid points that have every rho."""
    return rho_data(load(ctx)[0])


def rho_data(table: xr.Dataset) -> xr.Dataset:
    """Data of the ``rho`` figure from a network table."""
    basic = table.isel(network=np.flatnonzero(table["condition"].values == "basic"))
    rhos = sorted(set(basic["rho"].values))
    tasks = [
        t
        for t in dict.fromkeys(basic["task"].values.astype(str))
        if len(set(basic["rho"].values[basic["task"].values == t])) == len(rhos)
    ]
    mean = np.full((len(tasks), len(rhos)), np.nan)
    for i, task in enumerate(tasks):
        is_task = basic["task"].values == task
        points = list(zip(basic["lambda0"].values, basic["sigma0"].values, basic["seed"].values, strict=True))
        common = set.intersection(
            *[{g for g, ok in zip(points, is_task & (basic["rho"].values == r), strict=True) if ok} for r in rhos]
        )
        for j, r in enumerate(rhos):
            pick = is_task & (basic["rho"].values == r) & np.array([g in common for g in points])
            values = basic["SI"].values[pick]
            mean[i, j] = np.nanmean(values) if np.isfinite(values).any() else np.nan
    return xr.Dataset(
        {"si_mean": attrs(xr.DataArray(mean, dims=("task", "rho")), "mean SI of passing networks")},
        coords={"task": tasks, "rho": np.asarray(rhos, dtype=np.float64)},
    )


# ---------------------------------------------------------------------------------------------------- examples
def plot_examples(ds: xr.Dataset) -> Figure:
    """Rasters of the example networks and the SI-component scatter of every passing basic network."""
    n = ds.sizes["example"]
    fig = Figure(figsize=(2.6 * (n + 1), 3.2))
    axes = fig.subplots(1, n + 1)
    for i in range(n):
        axes[i].imshow(
            ds["raster"].isel(example=i).values,
            aspect="auto",
            interpolation="nearest",
            extent=(0, ds["time"].values[-1], ds.sizes["rank"], 0),
            cmap="viridis",
        )
        axes[i].set(
            title=f"{ds['example_key'].values[i]}\nSI {float(ds['example_si'][i]):.2f}",
            xlabel="time (ms)",
            ylabel="unit (sorted by peak)",
        )
        axes[i].title.set_fontsize(7)
    axes[-1].scatter(ds["entropy"], ds["log_r2b"])
    axes[-1].set(xlabel="peak-time entropy (nat)", ylabel="log ridge-to-background")
    return fig


@REGISTRY.figure("examples", plot=plot_examples, description="persistent vs sequential example rasters")
def examples(ctx: RunContext) -> xr.Dataset:
    """Rasters of the lowest- and highest-SI passing basic network per task; SI components of all of them."""
    table, ex = load(ctx)
    rasters = [analysis.raster(ex["mean_activity"].sel(example=e).values, ctx.params.si_threshold) for e in ex["example"].values]
    n_rank = max(max(r.shape[0] for r in rasters), 1)
    stacked = np.full((len(rasters), n_rank, ex.sizes["time"]), np.nan, dtype=np.float32)
    for i, r in enumerate(rasters):
        stacked[i, : r.shape[0]] = r
    basic = basic_networks(table)
    basic = basic.isel(network=np.flatnonzero(basic["passed"].values == 1))
    ds = xr.Dataset(
        coords={
            "example": ex["example"].values,
            "rank": np.arange(n_rank),
            "time": ex["time"],
            "network": np.arange(basic.sizes["network"]),
        }
    )
    ds["raster"] = attrs(
        xr.DataArray(stacked, dims=("example", "rank", "time")),
        "trial-averaged activity / unit maximum, units sorted by peak time",
    )
    ds["example_si"] = attrs(xr.DataArray(ex["example_si"].values, dims="example"), "SI of the example network")
    ds["example_key"] = xr.DataArray(ex["example_key"].values.astype(str), dims="example")
    ds["entropy"] = attrs(xr.DataArray(basic["SI_entropy"].values, dims="network"), "peak-time entropy", "nat")
    ds["log_r2b"] = attrs(xr.DataArray(basic["SI_logr2b"].values, dims="network"), "mean log ridge-to-background")
    ds["si"] = attrs(xr.DataArray(basic["SI"].values, dims="network"), "sequentiality index")
    return ds


# --------------------------------------------------------------------------------------------------- mechanism
def plot_mechanism(ds: xr.Dataset) -> Figure:
    """Weight profiles by rank difference and asymmetry against SI."""
    fig = Figure(figsize=(7.0, 3.2))
    ax1, ax2 = fig.subplots(1, 2)
    for i in range(ds.sizes["network"]):
        ax1.plot(ds["lag"], ds["profile"].isel(network=i), lw=0.6)
    ax1.set(xlabel="peak-rank difference (post - pre)", ylabel="mean W_hh")
    ax2.scatter(ds["si"], ds["asymmetry"], s=10)
    ax2.set(xlabel="SI", ylabel="forward - backward weight")
    return fig


@REGISTRY.figure("mechanism", plot=plot_mechanism, description="recurrent weights by peak-order difference")
def mechanism(ctx: RunContext) -> xr.Dataset:
    """Weight profile and asymmetry of every passing network (all conditions), with the Spearman rho against SI."""
    table = load(ctx)[0]
    keep = np.flatnonzero(table["passed"].values == 1)
    sel = table.isel(network=keep)
    ds = xr.Dataset(
        coords={"network": np.arange(keep.size), "lag": table["lag"].values, "key": ("network", sel["key"].values.astype(str))}
    )
    ds["profile"] = attrs(
        xr.DataArray(sel["weight_profile"].values, dims=("network", "lag")), "mean recurrent weight by peak-rank difference"
    )
    ds["asymmetry"] = attrs(
        xr.DataArray(sel["asymmetry"].values, dims="network"), "mean weight forward (k > 0) minus backward (k < 0)"
    )
    ds["si"] = attrs(xr.DataArray(sel["SI"].values, dims="network"), "sequentiality index")
    r, p = analysis.spearman(sel["SI"].values, sel["asymmetry"].values)
    ds["spearman_asymmetry_si"] = attrs(xr.DataArray(r), "Spearman rank correlation of asymmetry with SI")
    ds["spearman_p"] = attrs(xr.DataArray(p), "two-sided p of that correlation")
    return ds


# ------------------------------------------------------------------------------------------------- performance
def plot_performance(ds: xr.Dataset) -> Figure:
    """Training curves, test information loss of every network, pass fractions per condition and task."""
    fig = Figure(figsize=(10.0, 3.2))
    ax1, ax2, ax3 = fig.subplots(1, 3)
    for i in range(ds.sizes["network"]):
        ax1.semilogy(ds["iteration"], ds["infloss_train"].isel(network=i), lw=0.5)
    ax1.set(xlabel="iteration", ylabel="training information loss")
    ax2.scatter(np.arange(ds.sizes["network"]), ds["infloss_test"].values, s=6)
    ax2.axhline(0.5, color="k", ls="--", lw=0.8)
    ax2.set(xlabel="network", ylabel="test information loss", yscale="log")
    ax3.imshow(ds["pass_fraction"].values, vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax3.set_xticks(np.arange(ds.sizes["task_label"]), ds["task_label"].values, rotation=45, fontsize=7)
    ax3.set_yticks(np.arange(ds.sizes["condition"]), ds["condition"].values, fontsize=7)
    ax3.set_title("pass fraction", fontsize=8)
    return fig


@REGISTRY.figure("performance", plot=plot_performance, description="information loss, pass fractions, curves")
def performance(ctx: RunContext) -> xr.Dataset:
    """Test information loss, pass flag, iterations and training curve of every network; pass table."""
    table = load(ctx)[0]
    ds = xr.Dataset(
        coords={
            "network": table["network"].values,
            "iteration": table["report"].values,
            "key": ("network", table["key"].values.astype(str)),
            "condition": ("network", table["condition"].values.astype(str)),
            "task": ("network", table["task"].values.astype(str)),
        }
    )
    for name in ("infloss_test", "passed", "iterations", "extensions"):
        ds[name] = table[name].reset_coords(drop=True)
    ds["infloss_train"] = xr.DataArray(
        table["infloss_train"].values, dims=("network", "iteration"), attrs=table["infloss_train"].attrs
    )
    passes = analysis.pass_table(table)
    ds = ds.merge(passes)
    ds["pass_fraction_all"] = attrs(xr.DataArray(float(np.mean(table["passed"].values))), "fraction of all networks passing")
    return ds
