"""Figures of the rotational model (ids provisional: the paper's model panels could not be matched, docs/rotational.md).

Registrations only: the data functions are in :mod:`paperrepro.rotational.figure_data` (one shared, memoised grid of
networks per run), the summaries over the grid in :mod:`paperrepro.rotational.analysis` and the drawing in
:mod:`paperrepro.rotational.plots`.
"""

from __future__ import annotations

from paperrepro.core.figures import FigureRegistry

from . import figure_data as data
from . import plots
from .params import Params

REGISTRY = FigureRegistry("rotational", Params, title="Libby & Buschman 2021, Nat Neurosci 24:715 (rotational dynamics, model)")

REGISTRY.figure(
    "model_auc", plot=plots.plot_model_auc, description="AUC of A/X sensory, A/X memory and C/C* read-outs per association"
)(data.model_auc)
REGISTRY.figure(
    "model_postdiction",
    plot=plots.plot_model_postdiction,
    description="A/X sensory and memory read-outs at tp1 on expected vs unexpected trials",
)(data.model_postdiction)
REGISTRY.figure(
    "model_alignment",
    plot=plots.plot_model_alignment,
    description="angle between A/X sensory and C/C* axes; C/C* <-> A/X cross-decoding",
)(data.model_alignment)
REGISTRY.figure(
    "model_orthogonality", plot=plots.plot_model_orthogonality, description="angles sensory-memory and memory-C/C* axes"
)(data.model_orthogonality)
REGISTRY.figure(
    "model_rotation_projection",
    plot=plots.plot_model_rotation_projection,
    description="trials projected on the A/X sensory and memory axes at tp0 and tp1",
)(data.model_rotation_projection)
REGISTRY.figure(
    "model_zscore_scatter",
    plot=plots.plot_model_zscore_scatter,
    description="per-unit A-X z-scores at tp0 vs tp1 and fractions of selective units",
)(data.model_zscore_scatter)
REGISTRY.figure(
    "model_selectivity_counts",
    plot=plots.plot_model_selectivity_counts,
    description="stable / switching / sensory-only / memory-only / non-selective counts vs structure",
)(data.model_selectivity_counts)
REGISTRY.figure(
    "model_crosstemporal",
    plot=plots.plot_model_crosstemporal,
    description="cross-decoding matrix: read-out x test labels and step",
)(data.model_crosstemporal)
REGISTRY.figure(
    "association_sweep",
    plot=plots.plot_association_sweep,
    description="association dependence of AUCs and angles (paper grid; quick grid in quick)",
)(data.association_sweep)
