"""Plots of the accuracy figures: each draws one figure from its dataset and computes nothing (the data functions
live in :mod:`paperrepro.accuracy.figure_data`, the registrations in :mod:`paperrepro.accuracy.figures`).

Figures of the 8-location model carry every trained network along ``train_seed``; the plots draw each network
(thin or per-network lines) and their mean.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from paperrepro.oculomotor.plotting import STAGE_COLORS, location_cells

from .simulate import NOISE_MODES

CUE_CELLS = location_cells(8)
"""single_unit panels: location k at 45°·k, counter-clockwise from the right (as the authors' raster plot)."""


def first_network(da: xr.DataArray | xr.Dataset) -> xr.DataArray | xr.Dataset:
    """The values of the lowest training seed (values the original gives once, or the network a panel shows)."""
    return da.sel(train_seed=int(da["train_seed"].min()))


MS_PER_S = 1000.0
"""Times are stored in ms and drawn in s."""
HEADROOM = 1.05
"""Upper y limit as a multiple of the largest count drawn."""


def plot_psth(ds: xr.Dataset) -> Figure:
    cues = list(ds["cue"].values)
    fig = Figure(layout="constrained", figsize=(3.2 * len(cues) * 2, 3.2))
    axes = fig.subplots(1, 2 * len(cues), sharey=True, squeeze=False)[0]
    mode = "paired" if ds.attrs.get("paired_noise") else "two_pass"
    t = ds["time"].values / MS_PER_S
    for i, (cue, outcome) in enumerate((c, o) for c in cues for o in ds["outcome"].values):
        ax = axes[i]
        for stage in ds["stage"].values:
            y = ds["psth"].sel(noise_mode=mode, stage=stage, outcome=outcome, cue=cue)
            for seed in ds["train_seed"].values:
                ax.plot(t, y.sel(train_seed=seed), color=STAGE_COLORS[str(stage)], lw=0.5, alpha=0.5)
            n = float(ds["n_delay_units"].sel(noise_mode=mode, stage=stage).mean())
            ax.plot(
                t,
                y.mean("train_seed"),
                color=STAGE_COLORS[str(stage)],
                lw=1.6,
                label=f"{stage} (perf {float(ds['perf'].sel(stage=stage).mean()):.2f}, {n:.0f} units)",
            )
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set(title=f"{outcome}, cue {cue}", xlabel="time (s)")
    axes[0].set_ylabel("normalised rate (rate / fix − 1)")
    axes[0].legend(frameon=False, fontsize=7)
    fig.suptitle(
        f"{ds.attrs.get('rule', '')} delay-unit PSTH ({mode.replace('_', '-')} noise), "
        f"{ds.sizes['train_seed']} networks: mean (thick), each (thin)",
        fontsize=9,
    )
    return fig


def plot_endpoints(ds: xr.Dataset) -> Figure:
    """2 × 3 histograms: rows error/correct, columns stages."""
    fig = Figure(layout="constrained", figsize=(9, 5))
    axes = fig.subplots(2, 3, sharex=True)
    width = float(np.diff(ds["deviation"].values[:2])[0])
    counts = ds["count"].mean("train_seed")
    for r, outcome in enumerate(("error", "correct")):
        top = float(ds["count"].sel(outcome=outcome).max()) * HEADROOM + 1
        for c, stage in enumerate(ds["stage"].values):
            ax = axes[r, c]
            ax.bar(ds["deviation"].values, counts.sel(stage=stage, outcome=outcome), width=width, color=STAGE_COLORS[str(stage)])
            for seed in ds["train_seed"].values:
                ax.step(
                    ds["deviation"].values,
                    ds["count"].sel(stage=stage, outcome=outcome, train_seed=seed),
                    where="mid",
                    color="k",
                    lw=0.5,
                    alpha=0.6,
                )
            fracs = ", ".join(f"{v:.2f}" for v in ds["correct_fraction"].sel(stage=stage).values)
            ax.set(ylim=(0, top), title=f"{stage} {outcome} (correct {fracs})", ylabel="trials per network")
    for ax in axes[1]:
        ax.set_xlabel("endpoint deviation (°)")
    return fig


def _mode_order(ds: xr.Dataset) -> list[str]:
    main = "paired" if ds.attrs.get("paired_noise") else "two_pass"
    return [main] + [m for m in NOISE_MODES if m != main]


def plot_r_tuning(ds: xr.Dataset) -> Figure:
    """R per tuning position, configured mode first; mean ± SD over noise seeds and the original's values."""
    fig = Figure(layout="constrained", figsize=(8, 3.2))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, mode in zip(axes, _mode_order(ds), strict=False):
        pos = ds["position"].values
        for train_seed in ds["train_seed"].values:
            for seed in ds["noise_seed"].values:
                ax.plot(pos, ds["r"].sel(noise_mode=mode, noise_seed=seed, train_seed=train_seed), color="0.8", lw=0.6)
            ax.errorbar(
                pos,
                ds["r_mean"].sel(noise_mode=mode, train_seed=train_seed),
                yerr=ds["r_sd"].sel(noise_mode=mode, train_seed=train_seed),
                marker="o",
                capsize=3,
                label=f"network {train_seed}: mean ± SD over noise seeds",
            )
        ax.plot(pos, first_network(ds["r_original"]), "s--", color="tab:red", label="original (two-pass)")
        ax.axhline(0, color="0.6", lw=0.6)
        ax.set(title=f"{mode.replace('_', '-')} noise", xlabel="tuning position (4 = preferred)", xticks=pos)
    axes[0].set_ylabel("R(endpoint dev., rate dev.)")
    axes[0].legend(frameon=False, fontsize=7)
    return fig


def plot_r_distribution(ds: xr.Dataset) -> Figure:
    """Histogram of per-unit R (configured mode, then the other) and R_mean over noise seeds vs the original."""
    fig = Figure(layout="constrained", figsize=(10, 3.2))
    axes = fig.subplots(1, 3)
    for ax, mode in zip(axes, _mode_order(ds), strict=False):
        r = ds["r_unit"].sel(noise_mode=mode).values.ravel()  # units of every trained network
        r = r[np.isfinite(r)]
        if r.size:
            ax.hist(r, bins=30, color="0.5")
            ax.axvline(r.mean(), color="k", ls="--")
        ax.set(
            title=f"{mode.replace('_', '-')}: R_mean {r.mean() if r.size else np.nan:.3f}, "
            f"{np.mean(r > 0) * 100 if r.size else np.nan:.0f} % > 0",
            xlabel="R",
            ylabel="units",
        )
    ax = axes[2]
    for i, mode in enumerate(NOISE_MODES):
        for j, train_seed in enumerate(ds["train_seed"].values):
            vals = ds["r_mean"].sel(noise_mode=mode, train_seed=train_seed).values
            ax.plot(
                np.full(vals.size, i + 0.1 * j),
                vals,
                "o",
                alpha=0.6,
                color=f"C{j}",
                label=f"network {train_seed}" if i == 0 else None,
            )
    ax.axhline(
        float(first_network(ds["r_mean_original"])),
        color="tab:red",
        ls="--",
        label=f"original {float(first_network(ds['r_mean_original'])):.3f}",
    )
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set(
        xticks=[0, 1],
        xticklabels=[m.replace("_", "-") for m in NOISE_MODES],
        ylabel="R_mean per noise seed",
        xlim=(-0.5, 1.5),
        title="spread over noise seeds",
    )
    ax.legend(frameon=False, fontsize=7)
    return fig


def plot_fano(ds: xr.Dataset) -> Figure:
    """Tuning curve with Gaussian fit, and Fano factor, against tuning position."""
    fig = Figure(layout="constrained", figsize=(8, 3.2))
    axes = fig.subplots(1, 2)
    for j, train_seed in enumerate(ds["train_seed"].values):
        one = ds.sel(train_seed=train_seed)
        for mode, style in zip(NOISE_MODES, ("-", "--"), strict=True):
            label = f"network {train_seed}, {mode.replace('_', '-')}"
            axes[0].plot(ds["position"], one["tuning"].sel(noise_mode=mode), "o" + style, color=f"C{j}", label=label)
            axes[0].plot(ds["x"], one["fit_curve"].sel(noise_mode=mode), style, color="0.5", lw=0.8)
            axes[1].plot(ds["position"], one["fano"].sel(noise_mode=mode), "o" + style, color=f"C{j}", label=label)
    axes[0].set(xlabel="tuning position (4 = preferred)", ylabel="rate / fix − 1", title="tuning (Gaussian fit)")
    axes[1].set(xlabel="tuning position (4 = preferred)", ylabel="Fano factor", title="Fano factor (last 1 s)")
    axes[0].legend(frameon=False, fontsize=7)
    return fig


def plot_single_unit(ds: xr.Dataset) -> Figure:
    """3 × 3 grid, location k at 45°·k in its spatial position, correct trials."""
    fig = Figure(layout="constrained", figsize=(7, 6))
    axes = fig.subplots(3, 3, sharex=True, sharey=True)
    axes[1, 1].axis("off")
    t = ds["time"].values / MS_PER_S
    for loc, (r, c) in CUE_CELLS.items():
        if loc >= ds.sizes["location"]:
            continue
        ax = axes[r, c]
        for j, train_seed in enumerate(ds["train_seed"].values):
            for rep in ds["rep"].values:
                ax.plot(
                    t,
                    ds["rate"].sel(location=loc, rep=rep, train_seed=train_seed),
                    lw=0.5,
                    color=f"C{j}",
                    label=f"network {train_seed}" if rep == ds["rep"].values[0] else None,
                )
        ax.set_title(f"L{loc + 1} ({int(first_network(ds['angle']).sel(location=loc))}°)", fontsize=8)
    axes[0, 0].legend(frameon=False, fontsize=6)
    fig.suptitle(f"unit {ds.attrs.get('unit')} of each trained network (rate / fix − 1), correct trials")
    return fig


def plot_weights(ds: xr.Dataset) -> Figure:
    """W_rec, W_in blocks, W_out, biases sorted by best cue location (centre median, half-width (p95 − p5)/2).

    The matrices are those of the first trained network; the title gives every network's W_rec colour limits.
    """
    limits = "; ".join(
        f"network {s}: [{lo:.3f}, {hi:.3f}]"
        for s, (lo, hi) in zip(ds["train_seed"].values, ds["w_rec_limits"].values, strict=True)
    )
    ds = first_network(ds)
    fig = Figure(layout="constrained", figsize=(10, 6))
    fig.suptitle(f"W_rec colour limits {limits}", fontsize=8)
    gs = fig.add_gridspec(2, 6, width_ratios=[16, 1, 2, 2, 1, 1], height_ratios=[16, 2])
    n_ring = ds.sizes["output"] - 1
    panels = [
        ("W_rec", ds["w_rec"].values, gs[0, 0]),
        ("fix in", ds["w_in"].values[:, :1], gs[0, 1]),
        ("ring in", ds["w_in"].values[:, 1 : 1 + n_ring], gs[0, 2]),
        ("rule in", ds["w_in"].values[:, 1 + n_ring :], gs[0, 3]),
        ("b", ds["bias"].values[:, None], gs[0, 4]),
        ("b_out", ds["b_out"].values[:, None], gs[0, 5]),
        ("W_out", ds["w_out"].values, gs[1, 0]),
    ]
    for title, values, spec in panels:
        ax = fig.add_subplot(spec)
        med = np.median(values)
        half = max((np.percentile(values, 95) - np.percentile(values, 5)) / 2, 1e-9)
        im = ax.imshow(values, cmap="coolwarm", vmin=med - half, vmax=med + half, aspect="auto", interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        if title == "W_rec":
            fig.colorbar(im, ax=ax, location="left", shrink=0.6)
    return fig


def plot_input_weights(ds: xr.Dataset) -> Figure:
    """Histograms of ring-input weights per model and stage."""
    fig = Figure(layout="constrained", figsize=(9, 2.8 * ds.sizes["model"]))
    axes = fig.subplots(ds.sizes["model"], 3, squeeze=False, sharex=True)
    width = float(np.diff(ds["weight"].values[:2])[0])
    for r, name in enumerate(ds["model"].values):
        for c, stage in enumerate(ds["stage"].values):
            ax = axes[r, c]
            sub = ds.sel(model=name, stage=stage)
            ax.bar(ds["weight"], sub["count"].mean("train_seed"), width=width, color=STAGE_COLORS[str(stage)])
            ax.axvline(0, color="k", ls="--", lw=0.8)
            means = ", ".join(f"{v:.4f}" for v in np.unique(sub["mean"].values))
            ax.set_title(f"{name} {stage}: mean {means} (per network)", fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("ring-input weight")
    return fig


def plot_heatmap(ds: xr.Dataset) -> Figure:
    """Units (rows, sorted by best cue location) × time, colour limits [0, 1] as the original."""
    fig = Figure(layout="constrained", figsize=(6, 6))
    ax = fig.subplots()
    t = ds["time"].values / MS_PER_S
    im = ax.imshow(
        ds["activity"].values,
        aspect="auto",
        cmap="RdBu_r",
        vmin=0,
        vmax=1,
        interpolation="nearest",
        extent=(t[0], t[-1] + (t[1] - t[0]), ds.sizes["row"] - 0.5, -0.5),
    )
    fig.colorbar(im, ax=ax, label="(rate / fix − 1) / scale")
    ax.set(
        xlabel="time (s)",
        ylabel="unit (sorted by best cue location)",
        title=f"cue at {ds.attrs['cue_location']}°, checkpoint {ds.attrs['checkpoint_trials']}, correct trials",
    )
    return fig
