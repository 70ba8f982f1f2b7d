"""Figures of Orhan & Ma (2019) (spec §9; ids provisional until the paper's panel labels are verified, B21).

Every figure reads the per-network result files of the profile (trained on demand by
:func:`paperrepro.memory_factors.grid.run_networks`, skipped when complete) and reduces them to a small dataset.
SI analyses use passing networks only (test information loss < 0.5); failed networks have SI = NaN. Condition
effects are Delta SI = SI(condition) - SI(basic) at the same task and grid point where both pass (multitask: task B
after A vs B alone), with mean, s.e.m. and a Wilcoxon signed-rank p over grid points (NaN below 5 pairs).

For the grid design (profile ``paper``) the figure data also carry the statistics of the paper-profile directions
(spec §12.4): the Spearman correlation of SI with sigma0 per task (``coupling``), the median Delta SI (condition
figures) and the pass fraction per task and condition. The quick design has too few networks for them and leaves
them out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from scipy.stats import spearmanr, wilcoxon

from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.figures import FigureRegistry

from .grid import network_specs, run_networks, summarize
from .params import Params
from .sequentiality import peak_order

REGISTRY = FigureRegistry("memory_factors", Params,
                          title="Orhan & Ma 2019, Nat Neurosci 22:275 (factors shaping short-term-memory codes)")
MECHANISM_MAX_LAG = 20


def results_root(ctx: RunContext) -> Path:
    """Folder of the run's per-network result files, ``<data_dir>/memory_factors/<profile>``."""
    return ctx.data_dir / ctx.paper / ctx.profile


def is_grid(ctx: RunContext) -> bool:
    """Whether the run uses the grid design (the paper-profile statistics are computed only then)."""
    return ctx.params.design == "grid"


def networks(ctx: RunContext) -> tuple[xr.Dataset, list[Path]]:
    """Train (or find) every network of the run; return the summary and the result files."""
    params: Params = ctx.params
    root = results_root(ctx)
    paths = run_networks(network_specs(params), params, root, executor=ctx.executor, jobs=ctx.jobs)
    summary = summarize(paths)
    summary["key"] = ("network", np.array([str(p.relative_to(root).with_suffix("")) for p in paths]))
    return summary, paths


def _basic(summary: xr.Dataset) -> xr.Dataset:
    return summary.isel(network=np.flatnonzero((summary["condition"].values == "basic")
                                               & (summary["rho"].values == 0.0)))


def _attrs(da: xr.DataArray, long_name: str, units: str = "1") -> xr.DataArray:
    da.attrs.update(long_name=long_name, units=units)
    return da


def _sem(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.std(x, ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")


# ---------------------------------------------------------------------------------------------------- coupling
def plot_coupling(ds: xr.Dataset) -> Figure:
    """SI vs sigma0 per task, one line per lambda0."""
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    for task in ds["task"].values:
        for lam in ds["lambda0"].values:
            ax.plot(ds["sigma0"], ds["si"].sel(task=task, lambda0=lam), "o-", label=f"{task}, λ0={lam:.2f}")
    ax.set(xlabel="off-diagonal coupling σ0", ylabel="SI (passing networks)")
    ax.legend(fontsize=7)
    return fig


def spearman_si_sigma0(si: xr.DataArray) -> xr.Dataset:
    """Spearman rank correlation of SI with sigma0 per task over the passing networks (finite SI).

    Parameters
    ----------
    si
        SI maps with dims (task, lambda0, sigma0), NaN for failed networks.

    Returns
    -------
    xr.Dataset
        ``spearman_si_sigma0`` and its two-sided ``spearman_p`` per task (NaN with fewer than 3 passing networks
        or a constant SI or sigma0).
    """
    sigma = si["sigma0"].broadcast_like(si)
    rho, p = [], []
    for task in si["task"].values:
        y = si.sel(task=task).values.ravel()
        x = sigma.sel(task=task).values.ravel()
        ok = np.isfinite(y)
        if ok.sum() >= 3 and np.ptp(x[ok]) > 0 and np.ptp(y[ok]) > 0:
            result = spearmanr(x[ok], y[ok])
            rho.append(float(result.statistic))
            p.append(float(result.pvalue))
        else:
            rho.append(np.nan)
            p.append(np.nan)
    return xr.Dataset({
        "spearman_si_sigma0": _attrs(xr.DataArray(rho, dims="task"),
                                     "Spearman rank correlation of SI with sigma0 (passing networks)"),
        "spearman_p": _attrs(xr.DataArray(p, dims="task"), "two-sided p of the Spearman correlation"),
    }, coords={"task": si["task"].values})


@REGISTRY.figure("coupling", plot=plot_coupling, description="SI over lambda0 x sigma0 per task (basic)")
def coupling(ctx: RunContext) -> xr.Dataset:
    """SI maps (task, lambda0, sigma0) of the basic condition, failed networks NaN."""
    return coupling_data(networks(ctx)[0], grid=is_grid(ctx))


def coupling_data(summary: xr.Dataset, *, grid: bool) -> xr.Dataset:
    """Data of the ``coupling`` figure from a network summary (:func:`~paperrepro.memory_factors.grid.summarize`).

    Parameters
    ----------
    summary
        Scalar results of the networks.
    grid
        Add the grid-design statistics: :func:`spearman_si_sigma0` and the pass fraction per task.
    """
    basic = _basic(summary)
    frame = basic[["SI", "SI_unfiltered", "infloss_test", "passed"]].set_index(
        network=["task", "lambda0", "sigma0"]).unstack("network")
    ds = xr.Dataset({
        "si": _attrs(frame["SI"].astype(np.float64), "sequentiality index (NaN: failed)"),
        "infloss": _attrs(frame["infloss_test"].astype(np.float64), "test fractional information loss"),
        "passed": _attrs(frame["passed"].fillna(0).astype(np.int8), "infloss < 0.5 (1) or not (0)"),
    })
    si = ds["si"]
    ds["si_gain_sigma"] = _attrs(si.isel(sigma0=-1) - si.isel(sigma0=0),
                                 "SI at the largest minus the smallest sigma0")
    if grid:
        ds = ds.merge(spearman_si_sigma0(si))
        ds["pass_fraction"] = _attrs(ds["passed"].mean(["lambda0", "sigma0"]), "fraction of grid points passing")
    return ds


# -------------------------------------------------------------------------------------------------- si_by_task
def plot_si_by_task(ds: xr.Dataset) -> Figure:
    """Mean +- s.e.m. SI per task, ranked."""
    fig = Figure(figsize=(5.0, 3.4))
    ax = fig.subplots()
    order = np.argsort(ds["si_mean"].values)
    ax.errorbar(np.arange(order.size), ds["si_mean"].values[order], yerr=ds["si_sem"].values[order], fmt="o")
    ax.set_xticks(np.arange(order.size), [f"{t}\n(n={n})" for t, n in zip(ds["task"].values[order],
                                                                         ds["n_passed"].values[order], strict=False)])
    ax.set(ylabel="SI, mean ± s.e.m.")
    return fig


@REGISTRY.figure("si_by_task", plot=plot_si_by_task, description="mean SI per task (basic, passing networks)")
def si_by_task(ctx: RunContext) -> xr.Dataset:
    """Mean SI per task over the grid points that every task shares; contrasts against 2AFC and DE-1."""
    return si_by_task_data(networks(ctx)[0])


def si_by_task_data(summary: xr.Dataset) -> xr.Dataset:
    """Data of the ``si_by_task`` figure from a network summary (see :func:`si_by_task`)."""
    basic = _basic(summary)
    tasks = list(dict.fromkeys(basic["task"].values))
    grid_point = list(zip(basic["lambda0"].values, basic["sigma0"].values, strict=True))
    common = set.intersection(*[{g for g, t in zip(grid_point, basic["task"].values, strict=True) if t == task}
                                for task in tasks])
    keep = np.array([g in common for g in grid_point])
    basic = basic.isel(network=np.flatnonzero(keep))
    si = {t: basic["SI"].values[basic["task"].values == t] for t in tasks}
    ds = xr.Dataset(coords={"task": tasks})
    ds["si_mean"] = _attrs(xr.DataArray([float(np.nanmean(si[t])) if np.isfinite(si[t]).any() else np.nan
                                         for t in tasks], dims="task"), "mean SI of passing networks")
    ds["si_sem"] = _attrs(xr.DataArray([_sem(si[t]) for t in tasks], dims="task"), "s.e.m. of SI")
    ds["n_passed"] = _attrs(xr.DataArray([int(np.isfinite(si[t]).sum()) for t in tasks], dims="task",
                                         ).astype(np.int32), "passing networks")
    contrasts = [(t, ref) for ref in ("2AFC", "DE-1") if ref in tasks for t in tasks if t != ref]
    ds["si_difference"] = _attrs(xr.DataArray(
        [float(ds["si_mean"].sel(task=t) - ds["si_mean"].sel(task=ref)) for t, ref in contrasts],
        dims="contrast", coords={"contrast": [f"{t} - {ref}" for t, ref in contrasts]}), "difference of mean SI")
    return ds


# ------------------------------------------------------------------------------------------ condition effects
def condition_delta(summary: xr.Dataset, condition: str, *, grid: bool = False) -> xr.Dataset:
    """Delta SI of a condition against basic at matching task and grid point.

    Parameters
    ----------
    summary
        Scalar results of the networks (:func:`~paperrepro.memory_factors.grid.summarize`).
    condition
        The condition compared with basic.
    grid
        Add the grid-design statistics per task: median Delta SI and the condition's pass fraction.
    """
    basic = _basic(summary)
    base = {(t, la, s): v for t, la, s, v in zip(basic["task"].values, basic["lambda0"].values,
                                                 basic["sigma0"].values, basic["SI"].values, strict=False)}
    sel = summary.isel(network=np.flatnonzero(summary["condition"].values == condition))
    rows = []
    for t, first, la, s, v in zip(sel["task"].values, sel["first_task"].values, sel["lambda0"].values,
                                  sel["sigma0"].values, sel["SI"].values, strict=False):
        label = f"{first}-{t}" if first else t
        rows.append((label, float(la), float(s), float(v), float(base.get((t, la, s), np.nan))))
    pair = np.arange(len(rows))
    ds = xr.Dataset(coords={"pair": pair, "task": ("pair", [r[0] for r in rows]),
                            "lambda0": ("pair", [r[1] for r in rows]), "sigma0": ("pair", [r[2] for r in rows])})
    ds["si_condition"] = _attrs(xr.DataArray([r[3] for r in rows], dims="pair"), f"SI, {condition}")
    ds["si_basic"] = _attrs(xr.DataArray([r[4] for r in rows], dims="pair"), "SI, basic")
    ds["delta_si"] = _attrs(ds["si_condition"] - ds["si_basic"], f"SI({condition}) - SI(basic)")
    labels = list(dict.fromkeys(ds["task"].values))
    stats = {"delta_mean": [], "delta_sem": [], "n_pairs": [], "wilcoxon_p": []}
    if grid:
        stats.update(delta_median=[], pass_fraction=[])
    for label in labels:
        is_label = ds["task"].values == label
        d = ds["delta_si"].values[is_label]
        d = d[np.isfinite(d)]
        stats["delta_mean"].append(float(d.mean()) if d.size else np.nan)
        stats["delta_sem"].append(_sem(d))
        stats["n_pairs"].append(d.size)
        stats["wilcoxon_p"].append(float(wilcoxon(d).pvalue) if d.size >= 5 and np.any(d != 0) else np.nan)
        if grid:
            stats["delta_median"].append(float(np.median(d)) if d.size else np.nan)
            stats["pass_fraction"].append(float(np.mean(sel["passed"].values[is_label])))
    ds = ds.assign_coords(task_summary=labels)
    names = {"delta_mean": "mean Delta SI", "delta_sem": "s.e.m. of Delta SI", "n_pairs": "pairs where both pass",
             "wilcoxon_p": "Wilcoxon signed-rank p (NaN: < 5 pairs)", "delta_median": "median Delta SI",
             "pass_fraction": f"fraction of the {condition} networks passing"}
    for name, values in stats.items():
        arr = np.asarray(values, dtype=np.int32 if name == "n_pairs" else np.float64)
        ds[name] = _attrs(xr.DataArray(arr, dims="task_summary"), names[name])
    ds.attrs["condition"] = condition
    return ds


def plot_delta(ds: xr.Dataset) -> Figure:
    """SI(condition) against SI(basic) per pair, with the identity line."""
    fig = Figure(figsize=(4.0, 3.6))
    ax = fig.subplots()
    ax.scatter(ds["si_basic"], ds["si_condition"])
    lo, hi = 0.0, float(np.nanmax(np.r_[ds["si_basic"].values, ds["si_condition"].values, 1.0])) + 0.5
    ax.plot([lo, hi], [lo, hi], "k--", lw=0.8)
    ax.set(xlabel="SI, basic", ylabel=f"SI, {ds.attrs.get('condition', 'condition')}")
    return fig


def _register_condition(condition: str, description: str) -> None:
    def compute(ctx: RunContext) -> xr.Dataset:
        return condition_delta(networks(ctx)[0], condition, grid=is_grid(ctx))

    compute.__name__ = condition
    compute.__doc__ = f"Delta SI of the {condition} condition against basic."
    REGISTRY.figure(condition, plot=plot_delta, description=description)(compute)


for _condition, _description in (("hebbian", "Delta SI of Hebbian fast weights"),
                                 ("tethered", "Delta SI of tethered (strong end-of-trial activity penalty)"),
                                 ("dynamic_input", "Delta SI of task-irrelevant dynamic input"),
                                 ("variable_delay", "Delta SI of variable delays (d = 100 trials)"),
                                 ("multitask", "Delta SI of task B after training on task A")):
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
    summary = networks(ctx)[0]
    basic = summary.isel(network=np.flatnonzero(summary["condition"].values == "basic"))
    rhos = sorted(set(basic["rho"].values))
    tasks = [t for t in dict.fromkeys(basic["task"].values)
             if len(set(basic["rho"].values[basic["task"].values == t])) == len(rhos)]
    mean = np.full((len(tasks), len(rhos)), np.nan)
    for i, task in enumerate(tasks):
        is_task = basic["task"].values == task
        grids = [set(zip(basic["lambda0"].values[is_task & (basic["rho"].values == r)],
                         basic["sigma0"].values[is_task & (basic["rho"].values == r)], strict=False)) for r in rhos]
        common = set.intersection(*grids)
        for j, r in enumerate(rhos):
            pick = is_task & (basic["rho"].values == r) & np.array(
                [(la, s) in common for la, s in zip(basic["lambda0"].values, basic["sigma0"].values, strict=False)])
            values = basic["SI"].values[pick]
            mean[i, j] = np.nanmean(values) if np.isfinite(values).any() else np.nan
    return xr.Dataset({"si_mean": _attrs(xr.DataArray(mean, dims=("task", "rho")), "mean SI of passing networks")},
                      coords={"task": tasks, "rho": np.asarray(rhos, dtype=np.float64)})


# ---------------------------------------------------------------------------------------------------- examples
def raster(mean_activity: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Peak-sorted, max-normalised trial-averaged activity (units, time) of the units above ``threshold``."""
    units, _ = peak_order(mean_activity, threshold)
    act = mean_activity[:, units].T
    return act / np.maximum(act.max(1, keepdims=True), np.finfo(np.float32).tiny)


def plot_examples(ds: xr.Dataset) -> Figure:
    """Rasters of the least and most sequential example networks and the SI-component scatter."""
    n = ds.sizes["example"]
    fig = Figure(figsize=(3.2 * (n + 1), 3.2))
    axes = fig.subplots(1, n + 1)
    for i in range(n):
        axes[i].imshow(ds["raster"].isel(example=i).values, aspect="auto", interpolation="nearest",
                       extent=(0, ds["time"].values[-1], ds.sizes["rank"], 0), cmap="viridis")
        axes[i].set(title=f"{ds['example_key'].values[i]}\nSI {float(ds['example_si'][i]):.2f}", xlabel="time (ms)",
                    ylabel="unit (sorted by peak)")
        axes[i].title.set_fontsize(7)
    axes[-1].scatter(ds["entropy"], ds["log_r2b"])
    axes[-1].set(xlabel="peak-time entropy (nat)", ylabel="log ridge-to-background")
    return fig


@REGISTRY.figure("examples", plot=plot_examples, description="persistent vs sequential example rasters")
def examples(ctx: RunContext) -> xr.Dataset:
    """Rasters of the lowest- and highest-SI passing basic networks (rho = 0); SI components of all of them."""
    summary, paths = networks(ctx)
    basic = np.flatnonzero((summary["condition"].values == "basic") & (summary["rho"].values == 0.0)
                           & (summary["passed"].values == 1))
    si = summary["SI"].values
    candidates = [i for i in basic if np.isfinite(si[i])]
    if not candidates:
        raise ValueError("no passing basic network: cannot draw example rasters")
    chosen = [min(candidates, key=lambda i: si[i]), max(candidates, key=lambda i: si[i])]
    rasters = [raster(read_netcdf(paths[i])["mean_activity"].values, ctx.params.si_threshold) for i in chosen]
    n_rank = max(r.shape[0] for r in rasters)
    stacked = np.full((len(chosen), n_rank, rasters[0].shape[1]), np.nan, dtype=np.float32)
    for i, r in enumerate(rasters):
        stacked[i, :r.shape[0]] = r
    time = read_netcdf(paths[chosen[0]])["time"]
    ds = xr.Dataset(coords={"example": np.arange(len(chosen)), "rank": np.arange(n_rank), "time": time,
                            "network": np.arange(len(basic))})
    ds["raster"] = _attrs(xr.DataArray(stacked, dims=("example", "rank", "time")),
                          "trial-averaged activity / unit maximum, units sorted by peak time")
    ds["example_si"] = _attrs(xr.DataArray(si[chosen], dims="example"), "SI of the example network")
    ds["example_key"] = xr.DataArray(summary["key"].values[chosen].astype(str), dims="example")
    ds["entropy"] = _attrs(xr.DataArray(summary["SI_entropy"].values[basic], dims="network"), "peak-time entropy",
                           "nat")
    ds["log_r2b"] = _attrs(xr.DataArray(summary["SI_logr2b"].values[basic], dims="network"),
                           "mean log ridge-to-background")
    ds["si"] = _attrs(xr.DataArray(si[basic], dims="network"), "sequentiality index")
    return ds


# --------------------------------------------------------------------------------------------------- mechanism
def weight_profile(w_hh: np.ndarray, units: np.ndarray, max_lag: int) -> tuple[np.ndarray, float]:
    """Mean recurrent weight by peak-rank difference k = rank_post - rank_pre, and the asymmetry index.

    Parameters
    ----------
    w_hh
        Recurrent weights in Lasagne layout (row: presynaptic, column: postsynaptic).
    units
        Selected units in peak-time order.
    max_lag
        Largest |k| reported.

    Returns
    -------
    profile, asymmetry
        Mean weight for k = -max_lag..max_lag (NaN where no pair), and mean(k > 0) - mean(k < 0) over all pairs.
    """
    w = w_hh[np.ix_(units, units)].astype(np.float64)
    rank = np.arange(units.size)
    lag = rank[None, :] - rank[:, None]
    profile = np.array([w[lag == k].mean() if np.any(lag == k) else np.nan for k in range(-max_lag, max_lag + 1)])
    asym = w[lag > 0].mean() - w[lag < 0].mean() if units.size > 1 else np.nan
    return profile, float(asym)


def plot_mechanism(ds: xr.Dataset) -> Figure:
    """Weight profiles by rank difference and asymmetry against SI."""
    fig = Figure(figsize=(7.0, 3.2))
    ax1, ax2 = fig.subplots(1, 2)
    for i in range(ds.sizes["network"]):
        ax1.plot(ds["lag"], ds["profile"].isel(network=i), lw=0.8)
    ax1.set(xlabel="peak-rank difference (post - pre)", ylabel="mean W_hh")
    ax2.scatter(ds["si"], ds["asymmetry"])
    ax2.set(xlabel="SI", ylabel="forward - backward weight")
    return fig


@REGISTRY.figure("mechanism", plot=plot_mechanism, description="recurrent weights by peak-order difference")
def mechanism(ctx: RunContext) -> xr.Dataset:
    """Weight profile and asymmetry of every passing network (condition basic and others)."""
    summary, paths = networks(ctx)
    keep = [i for i in range(summary.sizes["network"]) if summary["passed"].values[i] == 1]
    profiles, asym = [], []
    for i in keep:
        res = read_netcdf(paths[i])
        units, _ = peak_order(res["mean_activity"].values, ctx.params.si_threshold)
        profile, a = weight_profile(res["W_hh"].values, units, MECHANISM_MAX_LAG)
        profiles.append(profile)
        asym.append(a)
    lags = np.arange(-MECHANISM_MAX_LAG, MECHANISM_MAX_LAG + 1)
    ds = xr.Dataset(coords={"network": np.arange(len(keep)), "lag": lags,
                            "key": ("network", summary["key"].values[keep].astype(str))})
    ds["profile"] = _attrs(xr.DataArray(np.reshape(profiles, (len(keep), lags.size)), dims=("network", "lag")),
                           "mean recurrent weight by peak-rank difference")
    ds["asymmetry"] = _attrs(xr.DataArray(np.asarray(asym, dtype=np.float64), dims="network"),
                             "mean weight forward (k > 0) minus backward (k < 0)")
    ds["si"] = _attrs(xr.DataArray(summary["SI"].values[keep], dims="network"), "sequentiality index")
    return ds


# ------------------------------------------------------------------------------------------------- performance
def plot_performance(ds: xr.Dataset) -> Figure:
    """Training curves and test information loss of every network."""
    fig = Figure(figsize=(7.0, 3.2))
    ax1, ax2 = fig.subplots(1, 2)
    for i in range(ds.sizes["network"]):
        ax1.semilogy(ds["iteration"], ds["infloss_train"].isel(network=i), lw=0.8)
    ax1.set(xlabel="iteration", ylabel="training information loss")
    ax2.bar(np.arange(ds.sizes["network"]), ds["infloss_test"].values)
    ax2.axhline(0.5, color="k", ls="--", lw=0.8)
    ax2.set(xlabel="network", ylabel="test information loss")
    return fig


@REGISTRY.figure("performance", plot=plot_performance, description="information loss, pass flags, curves")
def performance(ctx: RunContext) -> xr.Dataset:
    """Test information loss, pass flag and training curve (last phase) of every network."""
    summary, paths = networks(ctx)
    curves = np.stack([read_netcdf(p)["infloss_train"].values for p in paths])
    iteration = read_netcdf(paths[0])["report"].values
    ds = xr.Dataset(coords={"network": np.arange(len(paths)), "iteration": iteration,
                            "key": ("network", summary["key"].values.astype(str)),
                            "condition": ("network", summary["condition"].values.astype(str)),
                            "task": ("network", summary["task"].values.astype(str))})
    ds["infloss_test"] = _attrs(summary["infloss_test"].reset_coords(drop=True).drop_vars("network"),
                                "test fractional information loss")
    ds["passed"] = _attrs(summary["passed"].reset_coords(drop=True).drop_vars("network").astype(np.int8),
                          "infloss < 0.5 (1) or not (0)")
    ds["infloss_train"] = _attrs(xr.DataArray(curves, dims=("network", "iteration")),
                                 "training information loss since the previous report")
    ds["pass_fraction"] = _attrs(xr.DataArray(float(np.mean(summary["passed"].values))), "fraction passed")
    return ds
