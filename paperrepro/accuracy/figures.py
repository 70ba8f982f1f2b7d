"""The accuracy figure registry: one registration per figure, its data function
(:mod:`paperrepro.accuracy.figure_data`) and its plot (:mod:`paperrepro.accuracy.plots`).

``python -m paperrepro.accuracy <figure>`` builds one (docs/accuracy.md).
"""

from __future__ import annotations

from paperrepro.core.compare import Tolerance
from paperrepro.core.figures import FigureRegistry

from . import figure_data as data
from . import plots
from .figure_data import model, over_train_seeds, selection, train_hint
from .params import Params
from .train import MODEL_8LOC, MODEL_360LOC

__all__ = ["NEAR_ZERO", "REGISTRY", "model", "over_train_seeds", "selection", "train_hint"]

REGISTRY = FigureRegistry(
    "accuracy",
    Params,
    title="Xie, Liu, Constantinidis & Zhou 2022, Front Syst Neurosci 16:760864 (working memory accuracy)",
    requires=(Params.bundle(0),),
    how_to_make=train_hint(MODEL_8LOC),
    shared_code=("paperrepro/oculomotor",),
    seeded=False,
)
#: Rebuild tolerance of figures whose values cross zero (normalised rates, correlations): the float32 simulation of
#: 250 steps differs by ≤ 5e-5 absolute between MKL code paths (measured with MKL_CBWR=COMPATIBLE vs the default:
#: single_unit 2.4e-6, psth 4e-6, r_tuning 2.8e-5, heatmap360 4.9e-5), so relative differences near zero are large.
#: 1e-4 absolute keeps a margin of 2-40× and is 3-4 orders of magnitude below any effect the figures show.
NEAR_ZERO = Tolerance(
    rtol=1e-5,
    atol=1e-4,
    reason="float32 network activity, normalised or correlated, crosses zero: ≤ 5e-5 absolute between MKL code paths",
)

psth = REGISTRY.figure(
    "psth", plot=plots.plot_psth, description="delay-unit PSTH, ODR 3 s, by stage, correct vs error", tolerance=NEAR_ZERO
)(data.psth)

psth_odrd = REGISTRY.figure(
    "psth_odrd",
    plot=plots.plot_psth,
    description="delay-unit PSTH, ODR with distractor, cue at and opposite the preferred location",
    tolerance=NEAR_ZERO,
)(data.psth_odrd)

endpoints = REGISTRY.figure("endpoints", plot=plots.plot_endpoints, description="saccade-endpoint deviation histograms by stage")(
    data.endpoints
)

r_tuning = REGISTRY.figure(
    "r_tuning",
    plot=plots.plot_r_tuning,
    description="R between endpoint and rate deviation at 9 tuning positions, both noise modes",
    tolerance=NEAR_ZERO,
)(data.r_tuning)

r_distribution = REGISTRY.figure(
    "r_distribution",
    plot=plots.plot_r_distribution,
    description="per-unit R(endpoint deviation, rate deviation), both noise modes, spread over seeds",
    tolerance=NEAR_ZERO,
)(data.r_distribution)

fano = REGISTRY.figure("fano", plot=plots.plot_fano, description="tuning curve and Fano factor of delay units, mature")(data.fano)

single_unit = REGISTRY.figure(
    "single_unit", plot=plots.plot_single_unit, description="one unit's trials at the 8 cue locations", tolerance=NEAR_ZERO
)(data.single_unit)

weights = REGISTRY.figure(
    "weights", plot=plots.plot_weights, description="weights sorted by the units' best cue location, mature"
)(data.weights)

input_weights = REGISTRY.figure(
    "input_weights",
    plot=plots.plot_input_weights,
    description="ring-input weight histograms by stage, 8- and 360-location models",
    requires=(Params.bundle(0), Params().bundle_360),
    how_to_make=f"{train_hint(MODEL_8LOC)}; {train_hint(MODEL_360LOC)}",
)(data.input_weights)

heatmap360 = REGISTRY.figure(
    "heatmap360",
    plot=plots.plot_heatmap,
    description="360-location model, mid stage: units sorted by best cue location, cue at 90°",
    requires=(Params().bundle_360,),
    how_to_make=train_hint(MODEL_360LOC),
    tolerance=NEAR_ZERO,
)(data.heatmap360)
