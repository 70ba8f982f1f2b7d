"""Figures of Goudar et al. (2023): Figs. 1, 2, 3, 5–6 and 7 (spec §7).

Every figure reads the memoised training runs of :mod:`runs`; ``quick`` trains 2 seeds × 101
problems (plus one perturbation seed for Fig. 3), ``paper`` 10 seeds × 1001 problems.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paperrepro.core.config import RunContext
from paperrepro.core.figures import FigureRegistry

from . import analysis
from .params import Params
from .runs import full_runs, perturbation_runs

__all__ = ["REGISTRY"]

REGISTRY = FigureRegistry(
    "learning_to_learn", Params,
    title="Goudar et al. 2023, Schema formation in a neural population subspace underlies learning-to-learn",
)


def _convs(ctx: RunContext) -> tuple[dict, dict]:
    n = ctx.params.n_problems
    runs = full_runs(ctx)
    return {s: m.conv[:n] for s, m in runs.items()}, {s: m.history[:n] for s, m in runs.items()}


# ----------------------------------------------------------------------------------------- Fig. 1
def plot_fig1(ds: xr.Dataset):
    """Trials to criterion vs problem with the exponential fit; TC and AS across networks."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), gridspec_kw={"width_ratios": [3, 1, 1]})
    ax = axes[0]
    net = ds.network.values[min(3, ds.network.size - 1)] if 3 in ds.network.values else ds.network.values[0]
    sub = ds.sel(network=net)
    later = sub.trials.values[1:]
    n_groups = ds.group.size
    groups = [later[g * 50:(g + 1) * 50] for g in range(n_groups)]
    ax.boxplot(groups, positions=25 + 50 * np.arange(n_groups), widths=30, showfliers=False, manage_ticks=False)
    ax.plot([0], [sub.trials.values[0]], "ko", ms=4)
    x = np.arange(1, later.size + 1)
    ax.plot(x, sub.smoothed.values[1:], "k", lw=2, label="moving mean (30)")
    ax.plot(x, sub.fit_curve.values[1:], "r", lw=1.5, label=f"fit, TC = {float(sub.TC):.1f}")
    ax.set_yscale("symlog", linthresh=100)
    ax.set_xlabel("problem")
    ax.set_ylabel("trials to criterion")
    ax.set_title(f"network {int(net)}")
    ax.legend(frameon=False)
    for a, var, lim in ((axes[1], "TC", None), (axes[2], "AS", (0, 40))):
        a.boxplot([ds[var].values[np.isfinite(ds[var].values)]], widths=0.5)
        a.plot(np.ones(ds.network.size), ds[var].values, "k.", alpha=0.6)
        a.set_title({"TC": "time constant", "AS": "asymptote"}[var])
        a.set_xticks([])
        if lim:
            a.set_ylim(*lim)
    fig.tight_layout()
    return fig


@REGISTRY.figure("fig1", plot=plot_fig1, description="learning-to-learn: trials to criterion and exponential fit")
def fig1(ctx: RunContext) -> xr.Dataset:
    """Trials to criterion per problem, exponential fit and group statistics."""
    convs, _ = _convs(ctx)
    ds = analysis.learning_curves(convs)
    ds["TC_median"] = ((), float(np.nanmedian(ds.TC.values)),
                       {"long_name": "median time constant", "units": "problems"})
    ds["AS_median"] = ((), float(np.nanmedian(ds.AS.values)), {"long_name": "median asymptote", "units": "trials"})
    return ds


# ----------------------------------------------------------------------------------------- Fig. 2
def plot_fig2(ds: xr.Dataset):
    """Decision-subspace trajectories and output currents."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11, 6))
    colors = ("tab:blue", "tab:red")
    ax = fig.add_subplot(2, 3, 1, projection="3d")
    ax.plot(*ds.mean_decision.values.T, "k")
    ax.set_title("mean decision (decision PCs)")
    ax = fig.add_subplot(2, 3, 2, projection="3d")
    for s in range(2):
        ax.plot(*ds.residual_decision.values[s].T, color=colors[s])
    ax.set_title("residual decision")
    ax = fig.add_subplot(2, 3, 3, projection="3d")
    for s in range(2):
        ax.plot(*ds.stimulus_component.values[s].T, color=colors[s])
    ax.set_title("stimulus component")
    t = ds.time.values
    for i, kind in enumerate(ds.kind.values):
        ax = fig.add_subplot(2, 3, 4 + i)
        for s in range(2):
            for o, style in zip(range(2), ("-", "--"), strict=True):
                m = ds.current_mean.values[i, s, :, o]
                e = ds.current_sem.values[i, s, :, o]
                ax.plot(t, m, style, color=colors[s], label=f"stim {s + 1} → output {o + 1}")
                ax.fill_between(t, m - e, m + e, color=colors[s], alpha=0.2)
        ax.set_xticks([0, 500, 1500, 2000])
        ax.set_xlabel("time (ms)")
        ax.set_title(str(kind).replace("_", " "))
    fig.axes[-1].legend(frameon=False, fontsize=7)
    fig.suptitle(f"decision subspace share of power: {float(ds.power_share):.3f}")
    fig.tight_layout()
    return fig


@REGISTRY.figure("fig2", plot=plot_fig2, description="shared decision subspace, stimulus subspace, output currents")
def fig2(ctx: RunContext) -> xr.Dataset:
    """Subspaces of the first seed over problems 2–51 (fewer if the profile has fewer)."""
    _, histories = _convs(ctx)
    seed = sorted(histories)[0]
    hist = histories[seed]
    problems = list(range(2, min(51, len(hist)) + 1))
    ds = analysis.decision_subspace(hist, ctx.params, problems)
    ds.attrs["network"] = int(seed)
    return ds


# ----------------------------------------------------------------------------------------- Fig. 3
def plot_fig3(ds: xr.Dataset):
    """Trials to criterion: problem 1, frozen read-out, D→S and S→S perturbations."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    labels = ["Prob. 1", "Frozen Readout", "D->S Manif. Pert.", "S->S Manif. Pert."]
    vals = ds.trials.values
    ax.boxplot([vals[:, j] for j in range(4)], widths=0.5)
    for j in range(4):
        ax.plot(np.full(vals.shape[0], j + 1), vals[:, j], "k.")
    ax.set_xticks(range(1, 5), labels, rotation=20)
    ax.set_ylim(0, 4000)
    ax.set_ylabel("trials to criterion")
    fig.tight_layout()
    return fig


@REGISTRY.figure("fig3", plot=plot_fig3, description="manifold perturbations of the read-out")
def fig3(ctx: RunContext) -> xr.Dataset:
    """Problem 1 versus perturbed problems (frozen read-out, D→S, S→S)."""
    runs = perturbation_runs(ctx)
    return analysis.perturbation_summary({k: m.conv for k, m in runs.items()}, ctx.params)


# ------------------------------------------------------------------------------------- Figs. 5/6
def plot_fig5_6(ds: xr.Dataset):
    """Group-1 VFC decomposition, ‖ΔW_rec‖ vs trials, and normalised magnitudes across groups."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(13, 3.2))
    g1 = ds.VFC_sum.isel(group=0)
    cols = ["dZ", "Wd_par", "Wd_perp_neg", "Sd_par", "Sd_perp"]
    axes[0].boxplot([g1.sel(column=c).values for c in cols], widths=0.5)
    axes[0].set_xticks(range(1, 6), ["|dZ|", "Wd par", "-Wd perp", "Sd par", "Sd perp"], rotation=30)
    axes[0].set_title("VFC, problems 2-51")
    labels = ["W par", "W perp"]
    data = [ds.dims_single.isel(source=0, component=c).values[:, :50].mean(1) for c in range(2)]
    data += [ds.dims_group.isel(source=0, component=c, group=0).values for c in range(2)]
    axes[1].boxplot(data, widths=0.5)
    axes[1].set_xticks(range(1, 5), [f"{lab} single" for lab in labels] + [f"{lab} group" for lab in labels],
                       rotation=30)
    axes[1].set_title("participation ratio")
    net = ds.network.values[0]
    axes[2].plot(ds.VFC.sel(network=net, column="dWrec").values, ds.trials.sel(network=net).values, "k.", ms=3)
    axes[2].set_xlabel("‖ΔW_rec‖")
    axes[2].set_ylabel("trials to criterion")
    x = 25 + 50 * np.arange(ds.group.size)
    for q in ds.quantity3.values:
        v = ds.dMag.sel(quantity3=q).values
        sem = v.std(0, ddof=1) / np.sqrt(v.shape[0]) if v.shape[0] > 1 else np.zeros(v.shape[1])
        axes[3].errorbar(x, v.mean(0), sem, label=str(q))
    axes[3].set_xlabel("problem")
    axes[3].set_title("normalised to problems 2-51")
    axes[3].legend(frameon=False)
    fig.tight_layout()
    return fig


@REGISTRY.figure("fig5_6", plot=plot_fig5_6, description="vector-field-change decomposition and weight changes")
def fig5_6(ctx: RunContext) -> xr.Dataset:
    """VFC tables, dimensionalities and correlations of every seed."""
    convs, histories = _convs(ctx)
    ds = analysis.vfc_analysis(histories, convs, ctx.params)
    seeds = sorted(convs)
    ds["trials"] = (("network", "problem"), np.array([np.asarray(convs[s], float)[1:] for s in seeds]),
                    {"long_name": "trials to criterion", "units": "trials"})
    ds["r2_dWrec_median"] = ((), float(np.median(ds.r2_dWrec.values)), {"long_name": "median R^2 over networks"})
    ds["perp_identity_error"] = ((), float(np.abs(ds.VFC.values[..., 6] + ds.VFC.values[..., 8]).max()),
                                 {"long_name": "max |VFC[:,6] + VFC[:,8]| (spec 13.3 identity)"})
    return ds


# ----------------------------------------------------------------------------------------- Fig. 7
def plot_fig7(ds: xr.Dataset):
    """CVFC magnitude vs problems back, and CVFC suppression across problem groups."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    n_net = ds.network.size
    for g in [g for g in (1, 2, 5, 10) if g in ds.group.values]:
        v = ds.cvfc_group.sel(group=g).values
        sem = v.std(0, ddof=1) / np.sqrt(n_net) if n_net > 1 else np.zeros(v.shape[1])
        axes[0].errorbar(-ds.lag.values + 1, v.mean(0), sem, label=f"group {g}")
    axes[0].set_xlabel("relative problem #")
    axes[0].set_ylabel("|total VFC along z_perp|")
    axes[0].legend(frameon=False)
    sup = ds.cvfc_sup.values  # (network, component, problem)
    n_groups = sup.shape[-1] // 50
    for c, label in enumerate(("Along dZ", "Orth. to dZ")):
        g = sup[:, c, : n_groups * 50].reshape(n_net, n_groups, 50).mean(-1)
        sem = g.std(0, ddof=1) / np.sqrt(n_net) if n_net > 1 else np.zeros(n_groups)
        axes[1].errorbar(25 + 50 * np.arange(n_groups), g.mean(0), sem, label=label)
    axes[1].set_xlabel("problem")
    axes[1].set_ylabel("CVFC suppression")
    axes[1].legend(frameon=False)
    fig.tight_layout()
    return fig


@REGISTRY.figure("fig7", plot=plot_fig7, description="cross-problem vector-field changes (CVFC)")
def fig7(ctx: RunContext) -> xr.Dataset:
    """CVFC of every seed over problems 2–501 (2–P for shorter profiles)."""
    _, histories = _convs(ctx)
    ds = analysis.cvfc_analysis(histories, ctx.params, last_problem=501)
    g1 = ds.cvfc_group.isel(group=0).values
    ds["cvfc_lag1_over_lag10"] = (("network",), g1[:, 0] / g1[:, min(9, g1.shape[1] - 1)],
                                  {"long_name": "group-1 CVFC magnitude, lag 1 / lag 10", "units": "1"})
    return ds
