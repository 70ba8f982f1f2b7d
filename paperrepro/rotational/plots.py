"""Drawing of the rotational model's figures: each function draws a figure's dataset and computes nothing but the
means and SDs it shows.

As with scikit-learn's ``Display`` classes, the numbers are computed by the figure's data function
(:mod:`paperrepro.rotational.figure_data`) and stored in the figure's netCDF file; the functions here read that
dataset by label and draw it, so any figure can be redrawn from its committed ``.nc``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import analysis as an

FIGSIZE = (6.4, 4.0)
#: two panels side by side
WIDE_FIGSIZE = (9.6, 4.0)
GROUP_COLORS = {0: "tab:blue", 1: "tab:red"}
#: AUC of a read-out at chance
CHANCE_AUC = 0.5
#: angle (degree) of orthogonal read-out axes
ORTHOGONAL_DEGREES = 90
#: colour range of the cross-decoding matrices (AUC)
AUC_COLOR_RANGE = (0.3, 1.0)
#: bins (degree) of the angle histograms: 50 to 130 in steps of 2.5
ANGLE_BINS = np.arange(50, 131, 2.5)
READOUT_NAMES = {"AX0": "A/X sensory (tp0)", "AX1": "A/X memory (tp1)", "CCprime0": "C/C* (tp0)", "CCprime1": "C/C* (tp1)"}
LEGEND = {"frameon": False, "fontsize": 8}
REFERENCE_LINE = {"color": "0.6", "lw": 0.8}


def errorbar_by_association(ax: Axes, da: xr.DataArray, label: str, **kw: object) -> None:
    """Plot the mean ± SD over structure and seed of ``da`` against association.

    Parameters
    ----------
    ax
        The axes to draw on.
    da
        A per-network variable (association, structure, seed).
    label
        Legend label.
    **kw
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.
    """
    m, s = an.pooled_mean(da), da.std(["structure", "seed"])
    ax.errorbar(m["association"].values, m.values, yerr=s.values, marker="o", capsize=3, label=label, **kw)


def plot_model_auc(ds: xr.Dataset) -> Figure:
    """Decoding AUC of the four read-outs against association.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_auc_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    for r in ds["readout"].values:
        errorbar_by_association(ax, ds["auc"].sel(readout=r), READOUT_NAMES[str(r)])
    ax.axhline(CHANCE_AUC, ls="--", **REFERENCE_LINE)
    ax.set(xlabel="association", ylabel="AUC (held-out trials)", ylim=(0.3, 1.0), title="Read-out accuracy")
    ax.legend(**LEGEND)
    return fig


def plot_model_postdiction(ds: xr.Dataset) -> Figure:
    """Sensory vs memory A/X read-out at tp1 on expected and unexpected trials against association.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_postdiction_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    for r, name in (("AX0", "sensory"), ("AX1", "memory")):
        for s, ls in (("exp", "-"), ("unexp", "--")):
            errorbar_by_association(ax, ds["auc"].sel(readout=r, subset=s), f"A/X {name}, {s}ected", ls=ls)
    ax.axhline(CHANCE_AUC, ls=":", **REFERENCE_LINE)
    ax.set(
        xlabel="association",
        ylabel="A/X AUC at tp1 (held-out trials)",
        ylim=(0.0, 1.0),
        title="Interference: sensory axis fails on unexpected trials",
    )
    ax.legend(**LEGEND)
    return fig


def plot_model_alignment(ds: xr.Dataset) -> Figure:
    """Angle sensory–C/C* axis and cross-decoding against association.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_alignment_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=WIDE_FIGSIZE)
    ax1, ax2 = fig.subplots(1, 2)
    errorbar_by_association(ax1, ds["angle"], "A/X sensory vs C/C*")
    ax1.axhline(ORTHOGONAL_DEGREES, ls="--", **REFERENCE_LINE)
    ax1.set(xlabel="association", ylabel="angle between read-out axes (degree)", title="Sensory axis aligns with C/C*")
    for d, name in (
        ("CCprime1_on_AX0", "C/C* (tp1) read-out on A/X at tp0"),
        ("AX0_on_CCprime1", "A/X sensory read-out on C/C* at tp1"),
    ):
        errorbar_by_association(ax2, ds["cross_auc"].sel(direction=d), name)
    ax2.axhline(CHANCE_AUC, ls="--", **REFERENCE_LINE)
    ax2.set(xlabel="association", ylabel="cross-decoding AUC", ylim=(0.3, 1.0), title="Cross-decoding")
    ax2.legend(**LEGEND)
    return fig


def plot_model_orthogonality(ds: xr.Dataset) -> Figure:
    """Histograms of the sensory–memory and memory–C/C* angles.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_orthogonality_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=FIGSIZE)
    ax = fig.subplots()
    for pair, name in (("sen_mem", "A/X sensory vs A/X memory"), ("mem_CC", "A/X memory vs C/C*")):
        ax.hist(ds["angle"].sel(axis_pair=pair).values.ravel(), bins=ANGLE_BINS, alpha=0.6, label=name)
    ax.axvline(ORTHOGONAL_DEGREES, color="0.3", lw=0.8, ls="--")
    ax.set(xlabel="angle between read-out axes (degree)", ylabel="networks", title="Memory axis is orthogonal")
    ax.legend(**LEGEND)
    return fig


def plot_model_rotation_projection(ds: xr.Dataset) -> Figure:
    """Trials of the example network in the (sensory, memory) read-out plane at tp0 and tp1.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_rotation_projection_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=WIDE_FIGSIZE)
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    first = ds["first"].values
    for t, ax in zip(ds["t_test"].values, axes, strict=True):
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
        ax.axhline(0, **REFERENCE_LINE)
        ax.axvline(0, **REFERENCE_LINE)
        ax.set(xlabel="projection on A/X sensory axis (AX0)", title=f"time step {t}")
    axes[0].set_ylabel("projection on A/X memory axis (AX1)")
    axes[0].legend(**LEGEND)
    return fig


def plot_model_zscore_scatter(ds: xr.Dataset) -> Figure:
    """A − X z-score per unit at tp0 against tp1, with the selectivity threshold ±z*.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_zscore_scatter_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
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


def plot_model_selectivity_counts(ds: xr.Dataset) -> Figure:
    """Selectivity group counts (mean ± SD over association and seed) against structure.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_selectivity_counts_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
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
    ax.legend(**LEGEND)
    return fig


def plot_model_crosstemporal(ds: xr.Dataset) -> Figure:
    """Cross-decoding matrices (train read-out × test labels and step), at the lowest and the highest association.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.model_crosstemporal_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    extremes = (float(ds["association"].min()), float(ds["association"].max()))
    fig = Figure(layout="constrained", figsize=(9.6, 4.2))
    axes = fig.subplots(1, 2)
    m = ds["auc"].mean(["structure", "seed"]).stack(test=("labels", "t_test"))
    cols = [f"{ls}{t}" for ls, t in m["test"].values]
    rows = list(m["readout"].values)
    for a, ax in zip(extremes, axes, strict=True):
        mat = m.sel(association=a).transpose("readout", "test").values
        im = ax.imshow(mat, vmin=AUC_COLOR_RANGE[0], vmax=AUC_COLOR_RANGE[1], cmap="viridis")
        for i, j in np.ndindex(mat.shape):
            ax.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=7, color="w")
        ax.set(
            xticks=range(len(cols)),
            xticklabels=cols,
            yticks=range(len(rows)),
            yticklabels=rows,
            xlabel="test labels and step",
            title=f"association {a:.2f}",
        )
    axes[0].set_ylabel("read-out (labels, training step)")
    fig.colorbar(im, ax=axes.tolist(), label="AUC")
    return fig


def plot_association_sweep(ds: xr.Dataset) -> Figure:
    """Per-association means of the postdiction AUCs and the axis angles.

    Parameters
    ----------
    ds
        The figure's data (:func:`paperrepro.rotational.figure_data.association_sweep_data`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(layout="constrained", figsize=WIDE_FIGSIZE)
    ax1, ax2 = fig.subplots(1, 2)
    for name in ("sensory_unexp", "sensory_exp", "memory_unexp", "memory_exp", "cc_on_ax_tp0"):
        ax1.plot(ds["association"].values, ds["mean"].sel(metric=name).values, marker="o", label=name)
    ax1.axhline(CHANCE_AUC, ls="--", **REFERENCE_LINE)
    ax1.set(xlabel="association", ylabel="AUC (mean over networks)", ylim=(0.2, 0.9), title="Association sweep")
    ax1.legend(frameon=False, fontsize=7)
    for name in ("angle_sen_cc", "angle_sen_mem", "angle_mem_cc"):
        ax2.plot(ds["association"].values, ds["mean"].sel(metric=name).values, marker="o", label=name)
    ax2.set(xlabel="association", ylabel="angle (degree)", title="Axis angles")
    ax2.legend(frameon=False, fontsize=7)
    return fig
