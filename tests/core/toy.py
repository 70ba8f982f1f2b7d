"""A toy paper for testing the core: one random figure with a reference file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from matplotlib.figure import Figure as MplFigure

from paperrepro.core.config import RunContext
from paperrepro.core.figures import FigureRegistry

REFERENCE = """\
figure: noise
checks:
  - name: mean of 2000 standard normals
    variable: mean
    value: 0.0
    atol: 0.1
    kind: fidelity
    source: "analytic: E[N(0,1)] = 0; SE = 1/sqrt(2000) = 0.022"
  - name: spread grows with scale
    variable: sd
    monotonic: increasing
    along: scale
    kind: sanity
    source: "analytic: SD of scale·N(0,1) = scale"
"""


@dataclass(frozen=True)
class ToyParams:
    n: int = 2000
    scales: tuple[float, ...] = (1.0, 2.0, 3.0)


def plot_noise(ds: xr.Dataset) -> MplFigure:
    fig = MplFigure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot(ds["scale"], ds["sd"], "o-")
    ax.set_xlabel("scale")
    ax.set_ylabel("SD")
    return fig


def make_registry(reference_dir) -> FigureRegistry:
    (reference_dir / "noise.yaml").write_text(REFERENCE)
    registry = FigureRegistry("rotational", ToyParams, title="toy", reference_dir=reference_dir)

    @registry.figure("noise", plot=plot_noise, description="SD of scaled noise")
    def noise(ctx: RunContext) -> xr.Dataset:
        x = ctx.rng("noise").standard_normal(ctx.params.n)
        scales = np.asarray(ctx.params.scales)
        return xr.Dataset(
            {
                "sd": ("scale", np.array([np.std(s * x) for s in scales]), {"units": "1", "long_name": "SD"}),
                "mean": ((), float(np.mean(x))),
            },
            coords={"scale": scales},
        )

    return registry
