"""Profile parameters of the Orhan & Ma (2019) reproduction (spec ``memory_factors.md`` §4, §7, §12, §13).

One frozen dataclass, :class:`Params`; ``params.yaml`` overrides fields per profile. The defaults are the paper
scale (N = 500, 25,001 iterations, the 10 x 10 lambda0 x sigma0 grid). Bug switches of spec §13 are fields too, so
that they travel with the configuration and enter every network's config hash.
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
#: the six conditions of spec §6
CONDITIONS: tuple[str, ...] = ("basic", "hebbian", "tethered", "dynamic_input", "variable_delay", "multitask")
#: multitask orderings (task A, task B)
MULTITASK_ORDERS: tuple[tuple[str, str], ...] = (("CD", "2AFC"), ("2AFC", "CD"), ("2AFC", "COMP"), ("COMP", "2AFC"))


@dataclass(frozen=True)
class Params:
    """Parameters of one profile.

    Attributes
    ----------
    design
        ``"grid"``: every (condition, task, lambda0, sigma0, rho) of the grid, one network each, seed = job index;
        ``"quick"``: the calibrated quick set of spec §12.2 (3 core networks + 1 per condition).
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
        Which tasks and conditions the grid design includes.
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
        Parameters of the sequentiality index (spec §8.1).
    gde_alias_bug, cd_observer, dynamic_bump, vardelay_estimation, vardelay_si, angular_error, kl_zero,
    sine_pass_nmae
        Bug switches, see :mod:`paperrepro.memory_factors.tasks` and spec §13.
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
        check_choices(self, {
            "design": ("grid", "quick"), "keep_hidden": ("all", "examples", "none"),
            "cd_observer": ("faithful", "corrected"), "dynamic_bump": ("feature_units", "channel_units"),
            "vardelay_si": ("d100", "all", "network_time"), "angular_error": ("abs_mod", "circular"),
            "kl_zero": ("xlogy", "nan_drop"),
        })
        unknown = sorted(set(self.tasks) - set(TASKS)) + sorted(set(self.conditions) - set(CONDITIONS))
        if unknown:
            raise ValueError(f"unknown task(s)/condition(s) {unknown}; valid: {TASKS + CONDITIONS}")
        if self.n_hidden < 1 or self.n_iterations < 1 or self.batch_size < 1 or self.n_si_batches < 1:
            raise ValueError("n_hidden, n_iterations, batch_size and n_si_batches must be positive")
        if self.n_test_batches < self.n_si_batches:
            raise ValueError("n_test_batches must be at least n_si_batches")
