"""Figures of Goudar et al. (2023): Figs. 1, 2, 3, 5–6 and 7 (original ``analysis/fig*.m``).

Registrations only: the data functions are in :mod:`paperrepro.learning_to_learn.figure_data` (per-network summaries,
pinned or trained, reduced with :mod:`paperrepro.learning_to_learn.analysis` and set beside the authors' networks
with :mod:`paperrepro.learning_to_learn.authors`), the drawing in :mod:`paperrepro.learning_to_learn.plots`.
"""

from __future__ import annotations

from paperrepro.core.figures import FigureRegistry

from . import figure_data as data
from . import plots
from .params import Params

__all__ = ["REGISTRY"]

REGISTRY = FigureRegistry(
    "learning_to_learn",
    Params,
    title="Goudar et al. 2023, Schema formation in a neural population subspace underlies learning-to-learn",
    seeded=False,  # the networks are the profile's seeds (Params.seeds), not the run's base seed
)

REGISTRY.figure(
    "fig1",
    trains_in_build=data.trains_in_build,
    plot=plots.plot_fig1,
    description="learning-to-learn: trials to criterion, fits beside the authors'",
)(data.fig1)
REGISTRY.figure(
    "fig2",
    trains_in_build=data.trains_in_build,
    plot=plots.plot_fig2,
    description="shared decision subspace, stimulus subspace, output currents",
)(data.fig2)
REGISTRY.figure(
    "fig3", trains_in_build=data.trains_in_build, plot=plots.plot_fig3, description="manifold perturbations of the read-out"
)(data.fig3)
REGISTRY.figure(
    "fig5_6",
    trains_in_build=data.trains_in_build,
    plot=plots.plot_fig5_6,
    description="vector-field-change decomposition and weight changes, beside the authors'",
)(data.fig5_6)
REGISTRY.figure(
    "fig7", trains_in_build=data.trains_in_build, plot=plots.plot_fig7, description="cross-problem vector-field changes (CVFC)"
)(data.fig7)
