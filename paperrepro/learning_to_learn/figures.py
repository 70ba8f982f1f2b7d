"""Figures of Goudar et al. (2023): Figs. 1, 2, 3, 5–6 and 7 (original ``analysis/fig*.m``).

Every figure reads per-network summaries (:mod:`runs`): by default the pinned ones committed in
``pinned/`` (``source: pinned``), or, with ``source: train``, those of runs trained (or resumed) in the
data folder. Figs. 1 and 5–6 put our networks beside the authors' 10 (:mod:`authors`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paperrepro.core.config import RunContext
from paperrepro.core.figures import FigureRegistry

from . import analysis, authors
from .params import Params
from .runs import summaries

__all__ = ["REGISTRY"]


def _trains(params: Params) -> bool:
    """Whether the figures train their networks in the build (until the paper run is pinned, ``source: train``)."""
    return params.source == "train"


REGISTRY = FigureRegistry(
    "learning_to_learn",
    Params,
    title="Goudar et al. 2023, Schema formation in a neural population subspace underlies learning-to-learn",
    seeded=False,  # the networks are the profile's seeds (Params.seeds), not the run's base seed
)


def _full(ctx: RunContext) -> dict[int, xr.Dataset]:
    """Per-network summaries cut to the profile's problems."""
    n = ctx.params.n_problems
    return {s: ds.sel(problem=slice(1, n)) for s, ds in summaries(ctx, "full").items()}


def _convs(ctx: RunContext) -> dict[int, np.ndarray]:
    return {s: ds.trials.values for s, ds in _full(ctx).items()}


# ----------------------------------------------------------------------------------------- Fig. 1
def _side_by_side(ax, ds: xr.Dataset, name: str, title: str) -> None:
    """Our networks and the authors' for one compared quantity (boxes, points, medians)."""
    ours = ds.ours_values.sel(compared=name).values
    theirs = ds.authors_values.sel(compared=name).values
    ax.boxplot([ours[np.isfinite(ours)], theirs], widths=0.5, showfliers=False)
    ax.plot(np.ones(ours.size), ours, "k.", alpha=0.7)
    ax.plot(np.full(theirs.size, 2), theirs, "r.", alpha=0.7)
    ax.set_xticks([1, 2], ["ours", "authors"])
    ax.set_title(f"{title}\nz = {float(ds.z.sel(compared=name)):.2f}", fontsize=9)


def plot_fig1(ds: xr.Dataset):
    """Trials to criterion vs problem with the exponential fit; our fits beside the authors' 10."""
    import matplotlib.pyplot as plt

    shown = [
        (n, t)
        for n, t in (
            ("TC", "time constant"),
            ("AS", "asymptote"),
            ("SC", "scale"),
            ("mean_g1", "mean trials, problems 2-51"),
            ("mean_g2", "mean trials, 52-101"),
        )
        if n in ds.compared.values
    ][:3]
    fig, axes = plt.subplots(
        1,
        1 + len(shown),
        figsize=(4 + 2.6 * len(shown), 3.4),
        gridspec_kw={"width_ratios": [3] + [1] * len(shown)},
        squeeze=False,
    )
    axes = axes[0]
    ax = axes[0]
    net = 3 if 3 in ds.network.values else int(ds.network.values[0])
    sub = ds.sel(network=net)
    later = sub.trials.values[1:]
    n_groups = ds.group.size
    groups = [later[g * 50 : (g + 1) * 50] for g in range(n_groups)]
    if n_groups:
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
    for a, (name, title) in zip(axes[1:], shown, strict=True):
        _side_by_side(a, ds, name, title)
    fig.tight_layout()
    return fig


def _comparison(ours: dict[int, dict[str, float]], theirs: dict[str, np.ndarray]) -> xr.Dataset:
    return authors.comparison(ours, theirs)


@REGISTRY.figure(
    "fig1",
    trains_in_build=_trains,
    plot=plot_fig1,
    description="learning-to-learn: trials to criterion, fits beside the authors'",
)
def fig1(ctx: RunContext) -> xr.Dataset:
    """Trials to criterion per problem, exponential fit and group statistics, beside the authors' networks."""
    convs = _convs(ctx)
    ds = analysis.learning_curves(convs)
    for var, long_name, units in (("TC", "time constant", "problems"), ("AS", "asymptote", "trials"), ("SC", "scale", "trials")):
        ds[f"{var}_median"] = ((), float(np.nanmedian(ds[var].values)), {"long_name": f"median {long_name}", "units": units})
    ours = {
        int(s): authors.learning_quantities(
            ds.trials.sel(network=s).values[1:], {k: float(ds[k].sel(network=s)) for k in ("TC", "AS", "SC")}
        )
        for s in ds.network.values
    }
    return ds.merge(_comparison(ours, authors.authors_learning()))


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


@REGISTRY.figure(
    "fig2", trains_in_build=_trains, plot=plot_fig2, description="shared decision subspace, stimulus subspace, output currents"
)
def fig2(ctx: RunContext) -> xr.Dataset:
    """Subspaces of the first seed over problems 2–51 (fewer if the profile has fewer)."""
    sums = _full(ctx)
    seed = sorted(sums)[0]
    names = ["power_share", "mean_decision", "residual_decision", "stimulus_component", "current_mean", "current_sem"]
    ds = sums[seed][names]
    ds.attrs = {"problems": sums[seed].attrs["fig2_problems"], "network": int(seed)}
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


@REGISTRY.figure("fig3", trains_in_build=_trains, plot=plot_fig3, description="manifold perturbations of the read-out")
def fig3(ctx: RunContext) -> xr.Dataset:
    """Problem 1 versus perturbed problems (frozen read-out, D→S, S→S)."""
    p = ctx.params
    n = p.pert_base_problems + p.pert_problems
    convs = {
        (s, str(c)): ds.trials.sel(condition=c).values[:n]
        for s, ds in summaries(ctx, "perturbation").items()
        for c in ds.condition.values
    }
    return analysis.perturbation_summary(convs, p)


# ------------------------------------------------------------------------------------- Figs. 5/6
def plot_fig5_6(ds: xr.Dataset):
    """Group-1 VFC decomposition, ‖ΔW_rec‖ vs trials, normalised magnitudes, and our networks beside the authors'."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 5, figsize=(16, 3.4))
    g1 = ds.VFC_sum.isel(group=0)
    cols = ["dZ", "Wd_par", "Wd_perp_neg", "Sd_par", "Sd_perp"]
    axes[0].boxplot([g1.sel(column=c).values for c in cols], widths=0.5)
    authors_g1 = [f"g1_{c}" for c in cols]
    for i, name in enumerate(authors_g1):
        if name in ds.compared.values:
            v = ds.authors_values.sel(compared=name).values
            axes[0].plot(np.full(v.size, i + 1.3), v, "r.", alpha=0.6)
    axes[0].set_xticks(range(1, 6), ["|dZ|", "Wd par", "-Wd perp", "Sd par", "Sd perp"], rotation=30)
    axes[0].set_title("VFC, problems 2-51 (red: authors)")
    labels = ["W par", "W perp"]
    data = [ds.dims_single.isel(source=0, component=c).values[:, :50].mean(1) for c in range(2)]
    data += [ds.dims_group.isel(source=0, component=c, group=0).values for c in range(2)]
    axes[1].boxplot(data, widths=0.5)
    axes[1].set_xticks(range(1, 5), [f"{lab} single" for lab in labels] + [f"{lab} group" for lab in labels], rotation=30)
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
    if "authors_dMag" in ds:
        axes[3].plot(
            25 + 50 * np.arange(ds.authors_group.size), ds.authors_dMag.mean("authors_network"), "r--", label="dWrec, authors"
        )
    axes[3].set_xlabel("problem")
    axes[3].set_title("normalised to problems 2-51")
    axes[3].legend(frameon=False, fontsize=7)
    shown = next((n for n in ("corr_dWrec", "dMag_g2_dWrec", "g1_dWrec") if n in ds.compared.values), None)
    if shown:
        _side_by_side(axes[4], ds, shown, shown)
    fig.tight_layout()
    return fig


@REGISTRY.figure(
    "fig5_6",
    trains_in_build=_trains,
    plot=plot_fig5_6,
    description="vector-field-change decomposition and weight changes, beside the authors'",
)
def fig5_6(ctx: RunContext) -> xr.Dataset:
    """VFC tables, dimensionalities and correlations of every seed, beside the authors' 10 networks."""
    sums = _full(ctx)
    seeds = sorted(sums)
    convs = {s: sums[s].trials.values for s in seeds}
    n_groups = (ctx.params.n_problems - 1) // analysis.GROUP
    per_network = {}
    for s in seeds:
        later = sums[s].sel(problem=slice(2, None))
        per_network[s] = {
            "VFC": later.VFC.values,
            "dims_single": later.dims_single.values,
            "dimsT_single": later.dimsT_single.values,
            "dims_group": sums[s].dims_group.values[:n_groups],
            "dimsT_group": sums[s].dimsT_group.values[:n_groups],
        }
    ds = analysis.vfc_combine(per_network, convs)
    ds["trials"] = (
        ("network", "problem"),
        np.array([convs[s][1:] for s in seeds]),
        {"long_name": "trials to criterion", "units": "trials"},
    )
    ds["r2_dWrec_median"] = ((), float(np.median(ds.r2_dWrec.values)), {"long_name": "median R^2 over networks"})
    ds["perp_identity_error"] = (
        (),
        float(np.abs(ds.VFC.sel(column="Wd_perp_neg") + ds.VFC.sel(column="Sd_perp")).max()),
        {"long_name": "max |Wd_perp_neg + Sd_perp| (figs5and6.m sign quirk)"},
    )
    ours = {
        s: authors.vfc_quantities(
            per_network[s]["VFC"],
            convs[s][1:],
            per_network[s]["dims_single"],
            per_network[s]["dims_group"],
            per_network[s]["dimsT_single"],
        )
        for s in seeds
    }
    ds = ds.merge(_comparison(ours, authors.authors_vfc()))
    from . import published

    d_mag = np.array([(lambda v: v[:, 3] / v[0, 3])(published.published_seed(s)["VFC_sum"]) for s in range(published.N_SEEDS)])
    ds["authors_dMag"] = (
        ("authors_network", "authors_group"),
        d_mag,
        {"long_name": "the authors' |dWrec| group means normalised to problems 2-51 (f5And6_seed_*.mat VFC_sum)"},
    )
    ds = ds.assign_coords(authors_group=("authors_group", np.arange(1, d_mag.shape[1] + 1, dtype=np.int64)))
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


@REGISTRY.figure("fig7", trains_in_build=_trains, plot=plot_fig7, description="cross-problem vector-field changes (CVFC)")
def fig7(ctx: RunContext) -> xr.Dataset:
    """CVFC of every seed over problems 2–``cvfc_last_problem`` (2–P for shorter profiles)."""
    last = min(ctx.params.cvfc_last_problem, ctx.params.n_problems)
    per_network = {}
    for s, d in summaries(ctx, "cvfc").items():
        d = d.sel(problem=slice(2, last), lag=slice(1, last - 1))
        per_network[s] = {
            "cvfc_group": d.cvfc_group.values[: max((last - 1) // analysis.GROUP, 1)],
            "cvfc_sup": d.cvfc_sup.values,
            "dims": d["dims"].values,
        }
    ds = analysis.cvfc_combine(per_network)
    g1 = ds.cvfc_group.isel(group=0).values
    ds["cvfc_lag1_over_lag10"] = (
        ("network",),
        g1[:, 0] / g1[:, min(9, g1.shape[1] - 1)],
        {"long_name": "group-1 CVFC magnitude, lag 1 / lag 10", "units": "1"},
    )
    return ds
