"""Registered figures of the cross-paper analysis (data: :mod:`.figure_data`; drawing: :mod:`.plots`)."""

from __future__ import annotations

from paperrepro import PAPERS
from paperrepro.core.compare import Tolerance
from paperrepro.core.figures import FigureRegistry

from .figure_data import spectrum
from .params import Params
from .plots import plot_spectrum

REGISTRY = FigureRegistry(
    "crosspaper",
    Params,
    title="Across the five papers: persistent versus sequential delay activity",
    # the networks and their simulation come from every paper's package (pinned files, activity exporters)
    shared_code=("paperrepro/activity.py", "paperrepro/oculomotor", *(f"paperrepro/{paper}" for paper in PAPERS)),
    seeded=False,
)

REGISTRY.figure(
    "spectrum",
    plot=plot_spectrum,
    tolerance=Tolerance(
        variables={"diagonal": (0.0, 0.025), "off_diagonal": (0.0, 0.025), "generalisation": (0.0, 0.05)},
        reason="decoding accuracies count held-out trials: a trial within ~1e-7 of a class boundary (libsvm works in "
        "float32) can flip on another BLAS kernel, as in maturation figS5E; generalisation divides by (diagonal - chance)",
    ),
    description="every paper's delay activity on the persistent-sequential spectrum (SI and cross-temporal decoding)",
)(spectrum)
