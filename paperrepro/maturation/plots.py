"""Plots of the maturation figures: each draws one figure from its dataset and computes nothing (the data functions
live in :mod:`paperrepro.maturation.figure_data`, the registrations in :mod:`paperrepro.maturation.figures`)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from ..oculomotor.performance import STAGES
from ..oculomotor.plotting import STAGE_COLORS, location_cells
from ..oculomotor.tasks import DT_MS, task_timing
from .dpca import MARGINALIZATIONS

N_LOC = 8
"""Cue locations of the ODR/ODRD tasks."""
EPOCH_MS = {task: {k: (a * DT_MS, b * DT_MS) for k, (a, b) in task_timing(task).epochs.items()} for task in ("odr", "odrd")}
"""Epoch boundaries (ms) of the tasks whose epochs the plots shade."""
DEG_PER_LOC = 360.0 / N_LOC
"""Angle between neighbouring cue locations."""
GRID_CELLS = location_cells(N_LOC, compass=True)
"""fig3B panels: drawn as the authors' 115.png, 0° at the top and clockwise (paperrepro.oculomotor.plotting)."""
SHADE_GREY = "0.92"
"""Background of the shaded cue and distractor epochs."""
MS_PER_S = 1000.0
"""Times are stored in ms and drawn in s."""
K_TRIALS = 1000.0
"""Trial counts are drawn in thousands."""
HEADROOM = 1.05
"""Upper y limit as a multiple of the largest value drawn."""


def _shade(ax, task: str, epochs=("stim1", "distract1")) -> None:
    for ep in epochs:
        if ep in EPOCH_MS[task]:
            a, b = EPOCH_MS[task][ep]
            ax.axvspan(a / MS_PER_S, b / MS_PER_S, color=SHADE_GREY, zorder=0)


def plot_fig4EFG(ds: xr.Dataset) -> Figure:
    """Three panels (stim1 / delay1 / delay2-selected units): solid = cue at pref, dashed = opposite."""
    fig = Figure(layout="constrained", figsize=(11.0, 3.6))
    axes = fig.subplots(1, 3, sharey=True)
    t = ds["time"].values / MS_PER_S
    for ax, ep in zip(axes, ds["epoch"].values, strict=True):
        for s in STAGES:
            c = STAGE_COLORS[s]
            n = float(ds["n_units"].sel(epoch=ep, stage=s))
            ax.plot(
                t,
                ds["psth"].sel(epoch=ep, stage=s, condition="pref"),
                color=c,
                label=f"{s} (perf {float(ds['perf'].sel(stage=s)):.2f}, n {n:.0f})",
            )
            ax.plot(t, ds["psth"].sel(epoch=ep, stage=s, condition="opposite"), color=c, ls="--")
        _shade(ax, "odrd")
        ax.set(title=f"ODRD, {ep}-selective units", xlabel="time (s)")
        ax.legend(frameon=False, fontsize=7, loc="upper left")
    axes[0].set_ylabel("normalised activity (h / fix1 mean − 1)")
    return fig


def plot_figS3B(ds: xr.Dataset) -> Figure:
    """Mean rotated tuning curves per stage (pref at position 4), ODRD stim1 and ODR delay1."""
    fig = Figure(layout="constrained", figsize=(9.0, 3.6))
    axes = fig.subplots(1, 2)
    x = ds["position"].values
    for ax, panel in zip(axes, ds["panel"].values, strict=True):
        for s in STAGES:
            ax.plot(
                x,
                ds["tuning"].sel(panel=panel, stage=s),
                marker="o",
                color=STAGE_COLORS[s],
                label=f"{s}: width {float(ds['width'].sel(panel=panel, stage=s)):.2f}, "
                f"height {float(ds['height'].sel(panel=panel, stage=s)):.2f}",
            )
        p = {pair: float(ds["p_height"].sel(panel=panel, pair=pair)) for pair in ("early-mid", "early-mature", "mid-mature")}
        ax.set(
            title=f"{panel}  (t-test p: e-m {p['early-mid']:.1e}, e-M {p['early-mature']:.1e}, m-M {p['mid-mature']:.1e})",
            xlabel="location relative to preferred (+4)",
            ylabel="normalised rate (fr_norm)",
        )
        ax.title.set_fontsize(8)
        ax.legend(frameon=False, fontsize=7)
    return fig


def plot_figS2B(ds: xr.Dataset) -> Figure:
    """Delay1 mean of the normalised PSTH per checkpoint, coloured by stage (grey before the range)."""
    fig = Figure(layout="constrained", figsize=(6.4, 4.0))
    ax = fig.subplots()
    sel = str(ds.attrs["selection_epoch"])
    x = ds["checkpoint"].values / K_TRIALS
    y = ds["growth"].sel(selection=sel).values
    stage = ds["stage_label"].values
    inr = ds["in_range"].values.astype(bool)
    ax.scatter(x[~inr], y[~inr], s=12, color="0.5", label="before the range")
    for s in STAGES:
        m = inr & (stage == s)
        ax.scatter(x[m], y[m], s=14, color=STAGE_COLORS[s], label=s)
    ax.axhline(float(ds["plateau_mean"].sel(selection=sel)), color="0.5", ls=":", lw=0.8)
    ax.set(
        xlabel="trials trained (×1000)",
        ylabel="delay1 mean of normalised PSTH",
        title=f"ODR, {sel}-selected units: delay activity over training",
    )
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_seldir(ds: xr.Dataset) -> Figure:
    """The three counts against trials trained, as the authors' seldir image (one point per checkpoint)."""
    fig = Figure(layout="constrained", figsize=(6.4, 4.8))
    ax = fig.subplots()
    x = ds["checkpoint"].values
    labels = {"inter": "neuron intersection", "samedir": "same selective direction", "diffdir": "different selective direction"}
    for name, label in labels.items():
        ax.plot(x, ds[name].values, marker=".", ms=4, label=label)
    start = int(ds.attrs["range_start"])
    ax.axvline(start, color="0.5", ls=":", lw=0.8, label=f"analysis range from {start / K_TRIALS:.0f} k")
    ax.set(
        xlabel="trial trained",
        ylabel="neuron number",
        ylim=(0, int(ds.attrs["n_units"]) * HEADROOM),
        title="ODR stim1 vs ODRD stim1 selective (exh + mix) units",
    )
    ax.legend(frameon=False, fontsize=8, loc="center left")
    return fig


def plot_fig3B(ds: xr.Dataset) -> Figure:
    """3×3 grid of raw PSTHs per location around a polar plot of normalised stim1 means."""
    fig = Figure(layout="constrained", figsize=(7.5, 7.0))
    grid = fig.add_gridspec(3, 3)
    t = ds["time"].values / MS_PER_S
    ymax = float(ds["h_mean"].max()) * HEADROOM
    for loc in range(N_LOC):
        row, col = GRID_CELLS[loc]
        ax = fig.add_subplot(grid[row, col])
        ax.plot(t, ds["h_mean"].sel(location=loc), color="k", lw=1)
        _shade(ax, "odr")
        ax.set(ylim=(0, ymax), title=f"{loc * DEG_PER_LOC:.0f}°")
        ax.title.set_fontsize(8)
    ax = fig.add_subplot(grid[1, 1], projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ang = np.deg2rad(np.arange(N_LOC + 1) * DEG_PER_LOC)
    r = ds["polar"].values
    ax.plot(ang, np.append(r, r[0]), color="k")
    pref = int(ds.attrs["pref_marked"])
    ax.plot([0, np.deg2rad(pref * DEG_PER_LOC)], [0, 1], color="tab:red")
    ax.set_yticklabels([])
    fig.suptitle(f"ODR unit {int(ds.attrs['unit'])} ({ds.attrs['unit_type']}), checkpoint {int(ds.attrs['checkpoint'])}")
    return fig


def plot_figS5E(ds: xr.Dataset) -> Figure:
    """Cross-temporal decoding matrices (train time × test time) of the early, mid and mature representatives.

    Train time runs down the y axis from 0 at the top, as in the authors' heatmap ``odr_628480_w200ms_s20ms.png``.
    """
    fig = Figure(layout="constrained", figsize=(12.0, 4.0))
    axes = fig.subplots(1, 3)
    t = ds["train_time"].values / MS_PER_S
    ext = (t[0], t[-1], t[-1], t[0])
    for ax, s in zip(axes, ds["stage"].values, strict=True):
        im = ax.imshow(
            ds["accuracy"].sel(stage=s).values, origin="upper", extent=ext, cmap="rainbow", vmin=0.125, vmax=1.0, aspect="equal"
        )
        ax.set(
            title=f"{s}: checkpoint {int(ds['checkpoint'].sel(stage=s))} (perf {float(ds['perf'].sel(stage=s)):.2f})",
            xlabel="test time (s)",
            ylabel="train time (s)",
        )
        ax.title.set_fontsize(8)
    fig.colorbar(im, ax=axes, shrink=0.8, label="decoding accuracy")
    return fig


def plot_fig5E(ds: xr.Dataset) -> Figure:
    """First time, stimulus and mixing dPCA components of the mature network, one line per cue location."""
    fig = Figure(layout="constrained", figsize=(11.0, 3.6))
    axes = fig.subplots(1, 3)
    t = ds["time"].values / MS_PER_S
    colors = [f"C{i}" for i in range(N_LOC)]
    names = {"t": "time", "s": "stimulus", "st": "mixing"}
    for ax, m in zip(axes, MARGINALIZATIONS, strict=True):
        for loc in range(N_LOC):
            ax.plot(
                t,
                ds["Z"].sel(stage="mature", marginalization=m, location=loc),
                color=colors[loc],
                lw=1,
                label=f"{loc * DEG_PER_LOC:.0f}°",
            )
        _shade(ax, "odr")
        evr = float(ds["evr"].sel(stage="mature", marginalization=m, component=0))
        ax.set(title=f"1st {names[m]} component (EVR {evr:.3f})", xlabel="time (s)")
    axes[0].invert_yaxis()  # as the authors' dPCA_rnn_odr_adult.png (onset value < 0 by the sign rule, drawn on top)
    axes[0].set_ylabel("projection (a.u.)")
    axes[2].legend(frameon=False, fontsize=7, ncol=2)
    return fig


def plot_anti_psth(ds: xr.Dataset) -> Figure:
    """Stage-mean PSTH (stim1-selected units, cue at pref) and tuning per antisaccade task."""
    fig = Figure(layout="constrained", figsize=(11.0, 6.0))
    axes = fig.subplots(2, len(ds["task"]))
    for k, task in enumerate(ds["task"].values):
        for s in STAGES:
            c = STAGE_COLORS[s]
            axes[0, k].plot(
                ds["time"].values / MS_PER_S,
                ds["psth"].sel(task=task, stage=s),
                color=c,
                label=f"{s} ({int(ds['n_checkpoints'].sel(task=task, stage=s))} ckpts)",
            )
            axes[1, k].plot(ds["position"].values, ds["tuning"].sel(task=task, stage=s), marker="o", color=c)
        axes[0, k].set(title=f"{task}, stim1-selected units", xlabel="time (s)")
        axes[1, k].set(xlabel="location relative to preferred (+4)")
        axes[0, k].legend(frameon=False, fontsize=7)
    axes[0, 0].set_ylabel("normalised activity")
    axes[1, 0].set_ylabel("stim1 fr_norm")
    return fig


def plot_learning_curves(ds: xr.Dataset) -> Figure:
    """Smoothed perf of the six tasks against trials trained, as the authors' figure (take-off marked)."""
    fig = Figure(layout="constrained", figsize=(10.0, 6.0))
    ax = fig.subplots()
    x = ds["log_trial"].values
    for task in ds["task"].values:
        ax.plot(x, ds["perf_smooth"].sel(task=task), lw=1.2, label=str(task))
    for name, ls in (("anti_learned", ":"), ("take_off", "--")):
        value = float(ds[name])
        if np.isfinite(value):
            ax.axvline(value, color="0.4", ls=ls, lw=0.8, label=f"{name.replace('_', ' ')} {value / K_TRIALS:.0f} k")
    ax.set(
        xlabel="trials trained",
        ylabel="perf (forward mean over 6 evaluations)",
        title="Growth of performance (smoothed as the authors' tools.smooth, window 5)",
    )
    ax.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(1.01, 0.0))  # as the authors'
    return fig


def plot_distractor_distance(ds: xr.Dataset) -> Figure:
    """ODRD perf against the distractor's distance from the cue, one line per stage (as the authors' figure)."""
    fig = Figure(layout="constrained", figsize=(7.0, 4.2))
    ax = fig.subplots()
    x = ds["distance"].values
    for s in STAGES:
        ax.plot(
            x,
            ds["perf"].sel(stage=s),
            marker="o",
            color=STAGE_COLORS[s],
            label=f"{s} ({int(ds['n_checkpoints'].sel(stage=s))} checkpoints)",
        )
    ax.set(
        xticks=x,
        ylim=(0, 1),
        ylabel="ODRD perf",
        xlabel="distance between distractor and cue (× 45°)",
        title="ODRD performance against distractor distance",
    )
    ax.legend(frameon=False, fontsize=8)
    return fig
