"""Drawing of the learning-to-learn figures (Figs. 1, 2, 3, 5–6 and 7 of Goudar et al. 2023).

As with scikit-learn's ``Display`` classes, the numbers are computed by the figure's data function
(:mod:`paperrepro.learning_to_learn.figure_data`) and stored in the figure's netCDF file; the functions here read that
dataset by label and draw it (box plots, and the mean ± s.e.m. over networks that the error bars show), so any figure
can be redrawn from its committed ``.nc``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from .analysis import GROUP

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: the network whose learning curve Fig. 1 shows when the profile trained it (else the first network)
FIG1_EXAMPLE_NETWORK = 3
#: at most this many of the compared quantities are shown beside the Fig. 1 learning curve
FIG1_COMPARED_PANELS = 3
#: quantities of Fig. 1 compared with the authors' networks, in order of preference, and their panel titles
FIG1_COMPARED = (
    ("TC", "time constant"),
    ("AS", "asymptote"),
    ("SC", "scale"),
    ("mean_g1", "mean trials, problems 2-51"),
    ("mean_g2", "mean trials, 52-101"),
)
#: linear range (trials) of Fig. 1's symmetric-log axis
SYMLOG_LINEAR_TRIALS = 100
#: trial epochs of the task (ms): stimulus from 0, delay from 500, go cue at 1500, end at 2000 (``task.py``)
EPOCH_TICKS_MS = (0, 500, 1500, 2000)
#: the two stimuli's colours (Fig. 2)
STIM_COLORS = ("tab:blue", "tab:red")
#: line style per read-out output (Fig. 2)
OUTPUT_STYLES = ("-", "--")
#: Fig. 3 conditions and their axis labels
FIG3_CONDITIONS = {
    "problem1": "Prob. 1",
    "frozen": "Frozen Readout",
    "ds": "D->S Manif. Pert.",
    "ss": "S->S Manif. Pert.",
}
#: upper limit (trials) of Fig. 3's axis
FIG3_MAX_TRIALS = 4000
#: Fig. 5–6 VFC columns of the first panel and their tick labels
FIG5_COLUMNS = {"dZ": "|dZ|", "Wd_par": "Wd par", "Wd_perp_neg": "-Wd perp", "Sd_par": "Sd par", "Sd_perp": "Sd perp"}
#: horizontal offset of the authors' points beside our boxes (Fig. 5–6)
AUTHORS_OFFSET = 0.3
#: the quantity shown beside the authors' in Fig. 5–6's last panel, in order of preference
FIG5_COMPARED = ("corr_dWrec", "dMag_g2_dWrec", "g1_dWrec")
#: problem groups whose CVFC magnitude Fig. 7 shows
FIG7_GROUPS = (1, 2, 5, 10)
#: Fig. 7 CVFC suppression components and their labels
FIG7_COMPONENTS = {"par": "Along dZ", "perp": "Orth. to dZ"}


def group_centres(groups: np.ndarray) -> np.ndarray:
    """Problem index (counted from problem 2) at the centre of each 50-problem group ``1, 2, ...``."""
    return GROUP // 2 + GROUP * (np.asarray(groups) - 1)


def mean_sem(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and s.e.m. over the first axis (networks); s.e.m. 0 for a single network."""
    n = values.shape[0]
    sem = values.std(0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros(values.shape[1:])
    return values.mean(0), sem


def side_by_side(ax: Axes, ds: xr.Dataset, name: str, title: str) -> None:
    """Our networks and the authors' for one compared quantity (boxes, points, medians).

    Parameters
    ----------
    ax
        The axes to draw on.
    ds
        A figure dataset with ``ours_values``, ``authors_values`` and ``z`` over ``compared``.
    name, title
        The compared quantity and the panel title.
    """
    ours = ds.ours_values.sel(compared=name).values
    theirs = ds.authors_values.sel(compared=name).values
    ax.boxplot([ours[np.isfinite(ours)], theirs], widths=0.5, showfliers=False)
    ax.plot(np.ones(ours.size), ours, "k.", alpha=0.7)
    ax.plot(np.full(theirs.size, 2), theirs, "r.", alpha=0.7)
    ax.set_xticks([1, 2], ["ours", "authors"])
    ax.set_title(f"{title}\nz = {float(ds.z.sel(compared=name)):.2f}", fontsize=9)


def plot_fig1(ds: xr.Dataset) -> Figure:
    """Trials to criterion vs problem with the exponential fit; our fits beside the authors' 10.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.learning_to_learn.figure_data.fig1_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    shown = [(n, t) for n, t in FIG1_COMPARED if n in ds.compared.values][:FIG1_COMPARED_PANELS]
    fig, axes = plt.subplots(
        1,
        1 + len(shown),
        figsize=(4 + 2.6 * len(shown), 3.4),
        gridspec_kw={"width_ratios": [3] + [1] * len(shown)},
        squeeze=False,
    )
    axes = axes[0]
    ax = axes[0]
    net = FIG1_EXAMPLE_NETWORK if FIG1_EXAMPLE_NETWORK in ds.network.values else int(ds.network.min())
    sub = ds.sel(network=net)
    later = sub.sel(problem=slice(2, None))
    groups = [later.trials.sel(problem=slice(2 + GROUP * (g - 1), 1 + GROUP * g)).values for g in ds.group.values]
    if groups:
        ax.boxplot(groups, positions=group_centres(ds.group.values), widths=30, showfliers=False, manage_ticks=False)
    ax.plot([0], [float(sub.trials.sel(problem=1))], "ko", ms=4)
    x = np.arange(1, later.sizes["problem"] + 1)
    ax.plot(x, later.smoothed.values, "k", lw=2, label="moving mean (30)")
    ax.plot(x, later.fit_curve.values, "r", lw=1.5, label=f"fit, TC = {float(sub.TC):.1f}")
    ax.set_yscale("symlog", linthresh=SYMLOG_LINEAR_TRIALS)
    ax.set_xlabel("problem")
    ax.set_ylabel("trials to criterion")
    ax.set_title(f"network {int(net)}")
    ax.legend(frameon=False)
    for a, (name, title) in zip(axes[1:], shown, strict=True):
        side_by_side(a, ds, name, title)
    fig.tight_layout()
    return fig


def plot_fig2(ds: xr.Dataset) -> Figure:
    """Decision-subspace trajectories and output currents.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.learning_to_learn.figure_data.fig2_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11, 6))
    stims = list(zip(ds.stim.values, STIM_COLORS, strict=True))
    ax = fig.add_subplot(2, 3, 1, projection="3d")
    ax.plot(*ds.mean_decision.transpose("pc", "time").values, "k")
    ax.set_title("mean decision (decision PCs)")
    ax = fig.add_subplot(2, 3, 2, projection="3d")
    for s, color in stims:
        ax.plot(*ds.residual_decision.sel(stim=s).transpose("pc", "time").values, color=color)
    ax.set_title("residual decision")
    ax = fig.add_subplot(2, 3, 3, projection="3d")
    for s, color in stims:
        ax.plot(*ds.stimulus_component.sel(stim=s).transpose("pc", "time").values, color=color)
    ax.set_title("stimulus component")
    t = ds.time.values
    for i, kind in enumerate(ds.kind.values):
        ax = fig.add_subplot(2, 3, 4 + i)
        for s, color in stims:
            for o, style in zip(ds.output.values, OUTPUT_STYLES, strict=True):
                m = ds.current_mean.sel(kind=kind, stim=s, output=o).values
                e = ds.current_sem.sel(kind=kind, stim=s, output=o).values
                ax.plot(t, m, style, color=color, label=f"stim {s + 1} → output {o}")
                ax.fill_between(t, m - e, m + e, color=color, alpha=0.2)
        ax.set_xticks(list(EPOCH_TICKS_MS))
        ax.set_xlabel("time (ms)")
        ax.set_title(str(kind).replace("_", " "))
    fig.axes[-1].legend(frameon=False, fontsize=7)
    fig.suptitle(f"decision subspace share of power: {float(ds.power_share):.3f}")
    fig.tight_layout()
    return fig


def plot_fig3(ds: xr.Dataset) -> Figure:
    """Trials to criterion: problem 1, frozen read-out, D→S and S→S perturbations.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.learning_to_learn.figure_data.fig3_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    values = [ds.trials.sel(condition=c).values for c in FIG3_CONDITIONS]
    ax.boxplot(values, widths=0.5)
    for j, v in enumerate(values, start=1):
        ax.plot(np.full(v.size, j), v, "k.")
    ax.set_xticks(range(1, len(FIG3_CONDITIONS) + 1), list(FIG3_CONDITIONS.values()), rotation=20)
    ax.set_ylim(0, FIG3_MAX_TRIALS)
    ax.set_ylabel("trials to criterion")
    fig.tight_layout()
    return fig


def plot_fig5_6(ds: xr.Dataset) -> Figure:
    """Group-1 VFC decomposition, ‖ΔW_rec‖ vs trials, normalised magnitudes, and our networks beside the authors'.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.learning_to_learn.figure_data.fig5_6_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 5, figsize=(16, 3.4))
    g1 = ds.VFC_sum.sel(group=1)
    axes[0].boxplot([g1.sel(column=c).values for c in FIG5_COLUMNS], widths=0.5)
    for i, column in enumerate(FIG5_COLUMNS, start=1):
        name = f"g1_{column}"
        if name in ds.compared.values:
            v = ds.authors_values.sel(compared=name).values
            axes[0].plot(np.full(v.size, i + AUTHORS_OFFSET), v, "r.", alpha=0.6)
    axes[0].set_xticks(range(1, len(FIG5_COLUMNS) + 1), list(FIG5_COLUMNS.values()), rotation=30)
    axes[0].set_title("VFC, problems 2-51 (red: authors)")
    labels = {"par": "W par", "perp": "W perp"}
    first_group = slice(2, 1 + GROUP)
    single = ds.dims_single.sel(source="weight", problem=first_group)
    data = [single.sel(component=c).transpose("network", "problem").values.mean(1) for c in labels]
    data += [ds.dims_group.sel(source="weight", component=c, group=1).values for c in labels]
    axes[1].boxplot(data, widths=0.5)
    axes[1].set_xticks(
        range(1, 2 * len(labels) + 1),
        [f"{lab} single" for lab in labels.values()] + [f"{lab} group" for lab in labels.values()],
        rotation=30,
    )
    axes[1].set_title("participation ratio")
    net = ds.network.min()
    axes[2].plot(ds.VFC.sel(network=net, column="dWrec").values, ds.trials.sel(network=net).values, "k.", ms=3)
    axes[2].set_xlabel("‖ΔW_rec‖")
    axes[2].set_ylabel("trials to criterion")
    for q in ds.quantity3.values:
        mean, sem = mean_sem(ds.dMag.sel(quantity3=q).transpose("network", "group").values)
        axes[3].errorbar(group_centres(ds.group.values), mean, sem, label=str(q))
    if "authors_dMag" in ds:
        axes[3].plot(
            group_centres(ds.authors_group.values),
            ds.authors_dMag.mean("authors_network"),
            "r--",
            label="dWrec, authors",
        )
    axes[3].set_xlabel("problem")
    axes[3].set_title("normalised to problems 2-51")
    axes[3].legend(frameon=False, fontsize=7)
    shown = next((n for n in FIG5_COMPARED if n in ds.compared.values), None)
    if shown:
        side_by_side(axes[4], ds, shown, shown)
    fig.tight_layout()
    return fig


def plot_fig7(ds: xr.Dataset) -> Figure:
    """CVFC magnitude vs problems back, and CVFC suppression across problem groups.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.learning_to_learn.figure_data.fig7_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    for g in [g for g in FIG7_GROUPS if g in ds.group.values]:
        mean, sem = mean_sem(ds.cvfc_group.sel(group=g).transpose("network", "lag").values)
        axes[0].errorbar(-ds.lag.values + 1, mean, sem, label=f"group {g}")
    axes[0].set_xlabel("relative problem #")
    axes[0].set_ylabel("|total VFC along z_perp|")
    axes[0].legend(frameon=False)
    first, last = int(ds.problem.min()), int(ds.problem.max())
    groups = np.arange(1, (last - first + 1) // GROUP + 1)
    for component, label in FIG7_COMPONENTS.items():
        sup = ds.cvfc_sup.sel(component=component).transpose("network", "problem")
        by_group = (
            np.array([sup.sel(problem=slice(first + GROUP * (g - 1), first - 1 + GROUP * g)).values.mean(-1) for g in groups])
            .reshape(groups.size, sup.sizes["network"])
            .T
        )
        mean, sem = mean_sem(by_group)
        axes[1].errorbar(group_centres(groups), mean, sem, label=label)
    axes[1].set_xlabel("problem")
    axes[1].set_ylabel("CVFC suppression")
    axes[1].legend(frameon=False)
    fig.tight_layout()
    return fig
