"""Figures of Orhan & Ma (2019), Nat Neurosci 22:275 (ids provisional: the paper's panel labels are not verified).

Registrations only: the data functions are in :mod:`paperrepro.memory_factors.figure_data`, their statistics in
:mod:`paperrepro.memory_factors.analysis` and the drawing in :mod:`paperrepro.memory_factors.plots`.
"""

from __future__ import annotations

from paperrepro.core.figures import FigureRegistry

from . import figure_data as data
from . import plots
from .params import Params

#: the pinned results the quick profile reads (``source: pinned``, ``pinned_prefix: factors``)
PINNED_FILES: tuple[str, ...] = ("factors_networks.nc", "factors_examples.nc")
REGISTRY = FigureRegistry(
    "memory_factors",
    Params,
    title="Orhan & Ma 2019, Nat Neurosci 22:275 (factors shaping short-term-memory codes)",
    requires=PINNED_FILES,
    how_to_make="python -m paperrepro.memory_factors sweep --profile quick --jobs 2, then "
    "python -m paperrepro.memory_factors pin --profile quick "
    "(about 3.6 CPU-hours; docs/memory_factors.md)",
    seeded=False,
)  # networks are seeded by their job number in the design, not the base seed

REGISTRY.figure("coupling", plot=plots.plot_coupling, description="SI against sigma0 and lambda0 per task (basic)")(data.coupling)
REGISTRY.figure("si_by_task", plot=plots.plot_si_by_task, description="mean SI per task (basic, passing networks)")(
    data.si_by_task
)
REGISTRY.figure("hebbian", plot=plots.plot_delta, description="Delta SI of Hebbian fast weights")(data.hebbian)
REGISTRY.figure("tethered", plot=plots.plot_delta, description="Delta SI of tethered (strong end-of-trial activity penalty)")(
    data.tethered
)
REGISTRY.figure("dynamic_input", plot=plots.plot_delta, description="Delta SI of task-irrelevant dynamic input")(
    data.dynamic_input
)
REGISTRY.figure("variable_delay", plot=plots.plot_delta, description="Delta SI of variable delays (d = 100 trials)")(
    data.variable_delay
)
REGISTRY.figure("multitask", plot=plots.plot_delta, description="Delta SI of task B after training on task A")(data.multitask)
REGISTRY.figure("rho", plot=plots.plot_rho, description="SI against the L2 coefficient rho (basic)")(data.rho)
REGISTRY.figure("examples", plot=plots.plot_examples, description="persistent vs sequential example rasters")(data.examples)
REGISTRY.figure("mechanism", plot=plots.plot_mechanism, description="recurrent weights by peak-order difference")(data.mechanism)
REGISTRY.figure("performance", plot=plots.plot_performance, description="information loss, pass fractions, curves")(
    data.performance
)
