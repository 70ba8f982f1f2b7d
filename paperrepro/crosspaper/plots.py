"""Drawing of the cross-paper figure (its data: :mod:`paperrepro.crosspaper.figure_data`)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

PAPER_COLORS = {
    "maturation": "tab:red",
    "accuracy": "tab:orange",
    "rotational": "tab:purple",
    "learning_to_learn": "tab:green",
    "memory_factors": "tab:blue",
}


def plot_spectrum(ds: xr.Dataset) -> Figure:
    """Generalisation index against SI, one point per network, coloured by paper."""
    fig = Figure(figsize=(9, 4))
    ax_scatter, ax_bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    for name in ds["network"].values:
        row = ds.sel(network=name)
        paper = str(row["paper"].values)
        si = float(row["si"])
        x = si if np.isfinite(si) else float(np.nanmin(ds["si"].values)) - 0.3 if np.isfinite(ds["si"]).any() else 0.0
        ax_scatter.scatter(
            x, float(row["generalisation"]), color=PAPER_COLORS[paper], label=paper, marker="o" if np.isfinite(si) else "x"
        )
    ax_scatter.axhline(0, color="0.7", lw=0.8)
    ax_scatter.axhline(1, color="0.7", lw=0.8, ls=":")
    ax_scatter.set(
        xlabel="sequentiality index (x: not defined)",
        ylabel="cross-temporal generalisation",
        title="persistent (top) vs sequential (right)",
    )
    ax_scatter.legend(fontsize=7, frameon=False)
    y = np.arange(ds.sizes["network"])
    ax_bars.barh(y - 0.2, ds["diagonal"].values, height=0.4, color="0.3", label="same window")
    ax_bars.barh(y + 0.2, ds["off_diagonal"].values, height=0.4, color="0.7", label="> 300 ms apart (rotational: other step)")
    ax_bars.set_yticks(y, [str(n) for n in ds["network"].values], fontsize=7)
    ax_bars.set(xlabel="held-out decoding accuracy", xlim=(0, 1))
    ax_bars.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    fig.tight_layout()
    return fig
