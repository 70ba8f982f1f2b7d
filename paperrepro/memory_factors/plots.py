"""Drawing of the memory-factors figures: each function draws a figure's dataset and computes nothing.

As with scikit-learn's ``Display`` classes, the numbers are computed once, by the figure's data function
(:mod:`paperrepro.memory_factors.figure_data`, statistics from :mod:`paperrepro.memory_factors.analysis`), and stored
in the figure's netCDF file; the functions here only read that dataset, selecting by label, and draw it. Any figure
can therefore be redrawn from its committed ``.nc`` without the networks.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

#: width and height (inches) of one panel
PANEL_INCHES = (3.2, 3.2)
#: font size of dense titles, tick labels and legends
SMALL_FONT = 7
#: font size of two-line panel titles
TITLE_FONT = 8


def plot_coupling(ds: xr.Dataset) -> Figure:
    """SI against sigma0 per task, one line per lambda0, with the Spearman rho of SI with sigma0 in the title.

    Parameters
    ----------
    ds
        Data of the ``coupling`` figure (:func:`paperrepro.memory_factors.analysis.coupling_data`).

    Returns
    -------
    matplotlib.figure.Figure
        One panel per task.
    """
    tasks = ds["task"].values
    fig = Figure(figsize=(PANEL_INCHES[0] * len(tasks), PANEL_INCHES[1]))
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
        ax.title.set_fontsize(TITLE_FONT)
        ax.legend(fontsize=SMALL_FONT)
    axes[0].set_ylabel("SI (passing networks)")
    return fig


def plot_si_by_task(ds: xr.Dataset) -> Figure:
    """Mean +- s.e.m. SI per task, tasks ranked by their mean, with passing/trained counts.

    Parameters
    ----------
    ds
        Data of the ``si_by_task`` figure (:func:`paperrepro.memory_factors.analysis.si_by_task_data`).

    Returns
    -------
    matplotlib.figure.Figure
        One panel.
    """
    fig = Figure(figsize=(5.0, 3.4))
    ax = fig.subplots()
    ranked = ds.sortby("si_mean")
    x = np.arange(ranked.sizes["task"])
    ax.errorbar(x, ranked["si_mean"].values, yerr=ranked["si_sem"].values, fmt="o")
    ax.set_xticks(
        x,
        [
            f"{task}\n({int(ranked['n_passed'].sel(task=task))}/{int(ranked['n_networks'].sel(task=task))})"
            for task in ranked["task"].values
        ],
    )
    ax.set(ylabel="SI, mean ± s.e.m. (passing/trained)")
    return fig


def plot_delta(ds: xr.Dataset) -> Figure:
    """SI(condition) against SI(basic) per pair, and mean +- s.e.m. Delta SI per task with the Wilcoxon p.

    Parameters
    ----------
    ds
        Data of a condition figure (:func:`paperrepro.memory_factors.analysis.condition_delta`).

    Returns
    -------
    matplotlib.figure.Figure
        The pair scatter (identity line dashed) and the per-task bars.
    """
    fig = Figure(figsize=(7.6, 3.4))
    ax1, ax2 = fig.subplots(1, 2)
    for label in ds["task_summary"].values:
        pairs = ds.where(ds["task"] == label, drop=True)
        ax1.scatter(pairs["si_basic"].values, pairs["si_condition"].values, s=14, label=label)
    values = np.r_[ds["si_basic"].values, ds["si_condition"].values, 1.0]  # 1.0: the diagonal reaches SI 1 at least
    hi = float(np.nanmax(values)) + 0.5
    ax1.plot([0.0, hi], [0.0, hi], "k--", lw=0.8)
    condition = ds.attrs.get("condition", "condition")
    ax1.set(xlabel="SI, basic partner", ylabel=f"SI, {condition}")
    ax1.legend(fontsize=SMALL_FONT)
    x = np.arange(ds.sizes["task_summary"])
    ax2.bar(x, ds["delta_mean"].values, yerr=ds["delta_sem"].values, color="0.7")
    ax2.axhline(0.0, color="k", lw=0.8)
    labels = [
        f"{task}\nn={int(ds['n_pairs'].sel(task_summary=task))}, p={float(ds['wilcoxon_p'].sel(task_summary=task)):.2g}"
        for task in ds["task_summary"].values
    ]
    ax2.set_xticks(x, labels, fontsize=SMALL_FONT)
    ax2.set(ylabel="ΔSI, mean ± s.e.m. over pairs")
    return fig


def plot_rho(ds: xr.Dataset) -> Figure:
    """Mean SI against the L2 coefficient rho, one line per task.

    Parameters
    ----------
    ds
        Data of the ``rho`` figure (:func:`paperrepro.memory_factors.analysis.si_by_rho`).

    Returns
    -------
    matplotlib.figure.Figure
        One panel.
    """
    fig = Figure(figsize=(4.5, 3.4))
    ax = fig.subplots()
    for task in ds["task"].values:
        ax.plot(ds["rho"], ds["si_mean"].sel(task=task), "o-", label=task)
    ax.set(xlabel="L2 coefficient ρ", ylabel="mean SI")
    ax.legend()
    return fig


def plot_examples(ds: xr.Dataset) -> Figure:
    """Rasters of the example networks and the SI-component scatter of every passing basic network.

    Parameters
    ----------
    ds
        Data of the ``examples`` figure (:func:`paperrepro.memory_factors.figure_data.examples_data`).

    Returns
    -------
    matplotlib.figure.Figure
        One raster per example and the scatter of the SI's two parts.
    """
    examples = ds["example"].values
    fig = Figure(figsize=(2.6 * (examples.size + 1), PANEL_INCHES[1]))
    axes = fig.subplots(1, examples.size + 1)
    for ax, example in zip(axes[:-1], examples, strict=True):
        one = ds.sel(example=example)
        ax.imshow(
            one["raster"].values,
            aspect="auto",
            interpolation="nearest",
            extent=(0, ds["time"].values.max(), ds.sizes["rank"], 0),
            cmap="viridis",
        )
        ax.set(
            title=f"{one['example_key'].item()}\nSI {float(one['example_si']):.2f}",
            xlabel="time (ms)",
            ylabel="unit (sorted by peak)",
        )
        ax.title.set_fontsize(SMALL_FONT)
    axes[-1].scatter(ds["entropy"], ds["log_r2b"])
    axes[-1].set(xlabel="peak-time entropy (nat)", ylabel="log ridge-to-background")
    return fig


def plot_mechanism(ds: xr.Dataset) -> Figure:
    """Recurrent weight profiles by peak-rank difference, and the forward-backward asymmetry against SI.

    Parameters
    ----------
    ds
        Data of the ``mechanism`` figure (:func:`paperrepro.memory_factors.figure_data.mechanism_data`).

    Returns
    -------
    matplotlib.figure.Figure
        The profiles (one line per network) and the asymmetry scatter.
    """
    fig = Figure(figsize=(7.0, PANEL_INCHES[1]))
    ax1, ax2 = fig.subplots(1, 2)
    for network in ds["network"].values:
        ax1.plot(ds["lag"], ds["profile"].sel(network=network), lw=0.6)
    ax1.set(xlabel="peak-rank difference (post - pre)", ylabel="mean W_hh")
    ax2.scatter(ds["si"], ds["asymmetry"], s=10)
    ax2.set(xlabel="SI", ylabel="forward - backward weight")
    return fig


def plot_performance(ds: xr.Dataset) -> Figure:
    """Training curves, test information loss of every network with the pass threshold, pass fractions.

    Parameters
    ----------
    ds
        Data of the ``performance`` figure (:func:`paperrepro.memory_factors.figure_data.performance_data`).

    Returns
    -------
    matplotlib.figure.Figure
        Training curves, test information loss per network, and the pass fraction per condition and task.
    """
    fig = Figure(figsize=(10.0, PANEL_INCHES[1]))
    ax1, ax2, ax3 = fig.subplots(1, 3)
    for network in ds["network"].values:
        ax1.semilogy(ds["iteration"], ds["infloss_train"].sel(network=network), lw=0.5)
    ax1.set(xlabel="iteration", ylabel="training information loss")
    ax2.scatter(np.arange(ds.sizes["network"]), ds["infloss_test"].values, s=6)
    ax2.axhline(float(ds["pass_threshold"]), color="k", ls="--", lw=0.8)
    ax2.set(xlabel="network", ylabel="test information loss", yscale="log")
    fractions = ds["pass_fraction"].transpose("condition", "task_label")
    ax3.imshow(fractions.values, vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax3.set_xticks(np.arange(ds.sizes["task_label"]), ds["task_label"].values, rotation=45, fontsize=SMALL_FONT)
    ax3.set_yticks(np.arange(ds.sizes["condition"]), ds["condition"].values, fontsize=SMALL_FONT)
    ax3.set_title("pass fraction", fontsize=TITLE_FONT)
    return fig
