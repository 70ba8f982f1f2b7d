"""Drawing conventions shared by the oculomotor figures: stage colours and the 3×3 grid of cue locations.

Cue grid convention (one for every figure): cue location ``l`` of an ``n``-location ring lies at the angle
θ = 360°·l/n measured **counter-clockwise from the right** (``0°`` = right, ``90°`` = up), the angle of the task's
ring channels (``2πk/n``, :mod:`paperrepro.oculomotor.tasks`) and of the population-vector read-out
(:func:`paperrepro.oculomotor.performance.popvec`). :func:`grid_cell` places θ in the 3×3 grid of panels around
the centre. A figure that must look like an author's drawing with another orientation maps its angles into this
convention first: the maturation authors' ``115.png`` (maiziezhoulab/RNN_BrainMaturation @ d793a1d, example_pic/)
draws 0° at the top and angles clockwise (a compass), which is θ' = 90° − θ (:func:`compass_to_task`); the accuracy
authors' ``single_neuron_raster_plot.png`` (maiziezhoulab/RNN_workingmemoryaccuracy) draws location 1 (0°) at the
right and goes counter-clockwise, the convention itself.
"""

from __future__ import annotations

import numpy as np

STAGE_COLORS: dict[str, str] = {"early": "tab:blue", "mid": "tab:orange", "mature": "tab:red"}
"""Colour of each developmental stage in every oculomotor figure."""
GRID_STEP_DEG = 45.0
"""Angular size of one cell of the 3×3 grid (eight cells around the centre)."""


def grid_cell(angle_deg: float) -> tuple[int, int]:
    """(row, column) of the 3×3 grid cell at ``angle_deg`` (counter-clockwise from the right; row 0 at the top).

    The angle is rounded to the nearest multiple of 45°: 0° → (1, 2), 90° → (0, 1), 180° → (1, 0), 270° → (2, 1).
    """
    k = int(np.round(angle_deg / GRID_STEP_DEG)) % 8
    theta = np.deg2rad(k * GRID_STEP_DEG)
    return 1 - int(np.round(np.sin(theta))), 1 + int(np.round(np.cos(theta)))


def compass_to_task(angle_deg: float) -> float:
    """A compass angle (0° up, clockwise) in the grid convention (0° right, counter-clockwise): 90° − angle."""
    return (90.0 - angle_deg) % 360.0


def location_cells(n_loc: int = 8, *, compass: bool = False) -> dict[int, tuple[int, int]]:
    """Cell of every cue location ``l`` at 360°·l/n_loc (drawn as a compass angle if ``compass``)."""
    step = 360.0 / n_loc
    return {loc: grid_cell(compass_to_task(loc * step) if compass else loc * step) for loc in range(n_loc)}
