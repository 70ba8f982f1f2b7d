"""Profile parameters of the learning-to-learn reproduction (Goudar et al. 2023).

All model, task and optimiser constants live in one frozen dataclass so that a profile (``quick`` /
``paper``) only has to override run sizes.  Defaults are the values of the original code
(xjwanglab/learning-2-learn @ 1478e3b, ``train.py`` and ``network.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from paperrepro.core.config import check_choices

__all__ = ["Params", "SOURCES"]

#: where the figures get their networks (see :attr:`Params.source`)
SOURCES: tuple[str, ...] = ("pinned", "train")


@dataclass(frozen=True)
class Params:
    """Parameters of one learning-to-learn profile.

    Attributes
    ----------
    seeds : tuple of int
        Network seeds trained for Figs. 1, 2, 5–7 (original: 0..9).
    n_problems : int
        Problems learned in sequence per seed (original: 1001).
    batch_seeds : int
        Seeds trained in lock-step in one process (batched BPTT); each keeps its own problems.
    rng_mode : str
        ``"original"``: ``numpy.random.RandomState(seed)`` for weights, images and stimuli in the
        original draw order (bit-identical initial weights); ``"generator"``: a
        ``numpy.random.Generator`` stream for the same draws.  Noise always comes from a separate
        ``Generator`` (the original used TensorFlow's generator).
    pert_seeds, pert_base_problems, pert_problems, pert_max_trials :
        Manifold-perturbation runs (Fig. 3): seeds, shared unperturbed problems (50), perturbed
        problems per condition after the base, trial cap per perturbed problem.
    source : str
        Where the figures get their networks: ``"pinned"`` (default) reads the committed per-network
        summaries of ``paperrepro/learning_to_learn/pinned/`` (hash-checked through the registry);
        ``"train"`` trains (or resumes) the runs in the data folder and summarises them.
    cvfc_last_problem : int
        Last problem of the Fig. 7 cross-problem analysis (original ``fig7.m``: 501).  Its cost grows
        with the square of this number (≈ 30 CPU-min per network at 501); it changes no training.
    """

    seeds: tuple[int, ...] = (0, 1)
    n_problems: int = 101
    batch_seeds: int = 2
    rng_mode: str = "original"
    compute_dtype: str = "float32"
    kernel: str = "auto"
    # network (original network.py)
    n_units: int = 100
    n_pixels: int = 10
    n_out: int = 3
    tau: float = 100.0
    dt: float = 1.0
    tau_noise: float = 2.0
    sigma_rec: float = 0.05
    # task (original train.py, generateData)
    n_steps: int = 2000
    stim_steps: int = 500
    fixation_steps: int = 1500
    grace_steps: int = 100
    fixation_input: float = 1.0 / math.sqrt(10.0)
    # loss (original Model.optimize)
    l2_h: float = 5e-4
    l2_w_in: float = 1e-4
    l2_w_out: float = 0.1
    l2_w_rec: float = 1e-3
    sv_bound: int = 10
    # optimiser and training loop (original train.py::train)
    lr: float = 1e-4
    beta1: float = 0.3
    beta2: float = 0.999
    eps: float = 1e-8
    clip_norm: float = 1.0
    criterion: float = 0.005
    criterion_window: int = 50
    max_trials: int = 20000
    # manifold perturbations (original runType *ManifPert)
    pert_seeds: tuple[int, ...] = (0,)
    pert_base_problems: int = 50
    pert_problems: int = 5
    pert_max_trials: int = 6000
    pert_rank: int = 4
    # where the figures get their networks, and analysis-only settings (not part of a run's key)
    source: str = "pinned"
    cvfc_last_problem: int = 501

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        check_choices(
            self,
            {
                "rng_mode": ("original", "generator"),
                "compute_dtype": ("float32", "float64"),
                "kernel": ("auto", "c", "numpy"),
                "source": SOURCES,
            },
        )
        if self.n_problems < 1 or self.batch_seeds < 1:
            raise ValueError("n_problems and batch_seeds must be >= 1")
        if self.cvfc_last_problem < 2:
            raise ValueError("cvfc_last_problem must be >= 2")
        if len(set(self.seeds)) != len(self.seeds) or len(set(self.pert_seeds)) != len(self.pert_seeds):
            raise ValueError("seeds and pert_seeds must not repeat a seed")

    @property
    def alpha(self) -> float:
        """Leak per step, dt / tau (0.01)."""
        return self.dt / self.tau

    @property
    def alpha_noise(self) -> float:
        """Noise leak per step, dt / tau_noise (0.5)."""
        return self.dt / self.tau_noise

    @property
    def n_in(self) -> int:
        """Input channels: image pixels plus the fixation channel (11)."""
        return self.n_pixels + 1
