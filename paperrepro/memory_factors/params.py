"""Profile parameters of the Orhan & Ma (2019) reproduction.

One frozen dataclass, :class:`Params`; ``params.yaml`` overrides fields per profile. The defaults are the paper
scale (N = 500, 25,001 iterations, the 10 x 10 lambda0 x sigma0 grid of the original's cluster scripts). Switches for
the original code's bugs are fields too, so that they travel with the configuration and enter every network's config
hash. The reduced ``factors`` design (paired networks for the condition statistics) is described in
``docs/memory_factors.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from paperrepro.core.config import check_choices

#: lambda0 grid of the original (multitask scripts, old ``compute_SI.py``)
LAMBDA_GRID: tuple[float, ...] = tuple(float(v) for v in np.linspace(0.80, 0.98, 10))
#: sigma0 grid: the original's ``sigma_val`` in linspace(0, 0.018, 10) at N = 500, times sqrt(500)
SIGMA0_GRID: tuple[float, ...] = tuple(float(v) * math.sqrt(500.0) for v in np.linspace(0.0, 0.018, 10))
#: the seven tasks of the paper, by the names used throughout the package
TASKS: tuple[str, ...] = ("DE-1", "DE-2", "CD", "GDE", "2AFC", "Sine", "COMP")
#: the six conditions (README of eminorhan/recurrent-memory: basic, Hebbian, tethered, dynamic input, variable
#: delay; multitask added later in its ``multitask/`` folder)
CONDITIONS: tuple[str, ...] = ("basic", "hebbian", "tethered", "dynamic_input", "variable_delay", "multitask")
#: lambda0 and sigma0 of the reduced paired ``factors`` design (docs/memory_factors.md): 2 x 5 grid points, one
#: seed each (seed = job), every condition network paired with the basic network of the same task, seed and point
FACTOR_LAMBDA0: tuple[float, ...] = (0.95, 0.97)
FACTOR_SIGMA0: tuple[float, ...] = (0.0, 0.05, 0.1, 0.15, 0.2)
#: tasks of the factors design: a binary task, the comparison task and an estimation task
FACTOR_TASKS: tuple[str, ...] = ("2AFC", "COMP", "DE-1")
#: multitask orderings (task A, task B)
MULTITASK_ORDERS: tuple[tuple[str, str], ...] = (("CD", "2AFC"), ("2AFC", "CD"), ("2AFC", "COMP"), ("COMP", "2AFC"))


@dataclass(frozen=True)
class Params:
    """Parameters of one profile.

    Attributes
    ----------
    design
        ``"grid"``: every (condition, task, lambda0, sigma0, rho) of the grid, one network each, seed = job index;
        ``"quick"``: the calibrated quick set (3 core networks + 1 per condition, one seed);
        ``"factors"``: the paired design of ``docs/memory_factors.md`` (every condition x task on the
        ``factor_lambda0`` x ``factor_sigma0`` grid, seed = job, paired with its basic partner).
    n_hidden
        Recurrent units N.
    n_iterations
        Training iterations per phase (multitask: per task).
    batch_size, lr
        Trials per iteration and Adam learning rate.
    lambda0, sigma0, rho
        Grid values (sigma0 is N-independent; the initial off-diagonal std is sigma0 / sqrt(N)).
    quick_lambda0, quick_sigma0, quick_seed
        lambda0 of the quick design, its two sigma0 values (low, high coupling) and the seed of its networks.
    tasks, conditions
        Which tasks and conditions the grid and factors designs include (multitask in the factors design: the
        orderings whose two tasks are both in ``tasks``).
    factor_lambda0, factor_sigma0
        Grid of the factors design (job j = 1..L*S: lambda0 = factor_lambda0[(j-1) mod L], sigma0 =
        factor_sigma0[(j-1) div L], seed j).
    max_iterations, extend_by
        Learn before measuring: a single network that fails the pass filter after ``n_iterations`` trains on in steps
        of ``extend_by`` iterations (same Adam state) until it passes or has trained ``max_iterations`` (0: never
        extend); the iterations it took are stored.
    source, pinned_prefix
        Where the figures read the networks from: ``"run"`` trains (or finds) them under the data folder;
        ``"pinned"`` reads the committed results ``<pinned_prefix>_networks.nc`` and ``<pinned_prefix>_examples.nc``
        of ``paperrepro/memory_factors/registry.txt`` (written by ``python -m paperrepro.memory_factors pin``).
    n_test_batches, n_si_batches
        Test batches for the information loss and how many of them (50 trials each) are kept for the SI.
    monitor_every, checkpoint_every
        Training-monitor and checkpoint intervals in iterations.
    keep_hidden
        ``"all"`` | ``"examples"`` | ``"none"``: store the test hidden activity of every network, only of the
        example networks, or of none (SI and summaries are always stored).
    activity_penalty, tethered_penalty
        Coefficient of the mean squared activity of the last 5 steps (basic / tethered).
    gamma
        Hebbian fast-weight rate (model 1).
    grad_clip
        Bound of the elementwise clamp on the gradient of the pre-activation.
    pass_threshold
        Networks with test information loss below it enter SI analyses.
    si_bins, si_window, si_threshold
        Parameters of the sequentiality index.
    gde_alias_bug, cd_observer, dynamic_bump, vardelay_estimation, vardelay_si, angular_error, kl_zero,
    sine_pass_nmae
        Bug switches, see :mod:`paperrepro.memory_factors.tasks` and ``docs/memory_factors.md``.
    """

    design: str = "grid"
    n_hidden: int = 500
    n_iterations: int = 25001
    batch_size: int = 50
    lr: float = 5e-4
    lambda0: tuple[float, ...] = LAMBDA_GRID
    sigma0: tuple[float, ...] = SIGMA0_GRID
    rho: tuple[float, ...] = (0.0,)
    quick_lambda0: float = 0.96
    quick_sigma0: tuple[float, ...] = (0.0, 0.2)
    quick_seed: int = 1
    tasks: tuple[str, ...] = TASKS
    conditions: tuple[str, ...] = CONDITIONS
    factor_lambda0: tuple[float, ...] = FACTOR_LAMBDA0
    factor_sigma0: tuple[float, ...] = FACTOR_SIGMA0
    max_iterations: int = 0
    extend_by: int = 2000
    source: str = "run"
    pinned_prefix: str = "factors"  # the figure registry requires factors_networks.nc and factors_examples.nc
    n_test_batches: int = 2501
    n_si_batches: int = 6
    monitor_every: int = 500
    checkpoint_every: int = 1000
    keep_hidden: str = "examples"
    activity_penalty: float = 1e-4
    tethered_penalty: float = 1e-1
    gamma: float = 7e-4
    grad_clip: float = 100.0
    pass_threshold: float = 0.5
    si_bins: int = 20
    si_window: int = 5
    si_threshold: float = 0.1
    gde_alias_bug: bool = True
    cd_observer: str = "faithful"
    dynamic_bump: str = "feature_units"
    vardelay_estimation: bool = False
    vardelay_si: str = "d100"
    angular_error: str = "abs_mod"
    kl_zero: str = "xlogy"
    sine_pass_nmae: float = 0.5

    def __post_init__(self) -> None:
        check_choices(
            self,
            {
                "design": ("grid", "quick", "factors"),
                "source": ("run", "pinned"),
                "keep_hidden": ("all", "examples", "none"),
                "cd_observer": ("faithful", "corrected"),
                "dynamic_bump": ("feature_units", "channel_units"),
                "vardelay_si": ("d100", "all", "network_time"),
                "angular_error": ("abs_mod", "circular"),
                "kl_zero": ("xlogy", "nan_drop"),
            },
        )
        unknown = sorted(set(self.tasks) - set(TASKS)) + sorted(set(self.conditions) - set(CONDITIONS))
        if unknown:
            raise ValueError(f"unknown task(s)/condition(s) {unknown}; valid: {TASKS + CONDITIONS}")
        if self.n_hidden < 1 or self.n_iterations < 1 or self.batch_size < 1 or self.n_si_batches < 1:
            raise ValueError("n_hidden, n_iterations, batch_size and n_si_batches must be positive")
        if self.max_iterations and (self.max_iterations < self.n_iterations or self.extend_by < 1):
            raise ValueError("max_iterations must be 0 or at least n_iterations, and extend_by positive")
        if self.n_test_batches < self.n_si_batches:
            raise ValueError("n_test_batches must be at least n_si_batches")
