"""Profile parameters of the rotational-dynamics model (Libby & Buschman 2021).

Every field is a key allowed under ``rotational: {quick: ..., paper: ...}`` in ``params.yaml``. Grids are given as
``(start, stop, num)`` triples of :func:`numpy.linspace`, the form the original code uses (``change_p_dict`` in
``network_model_rnn.py`` of buschman-lab/RotationalDynamics @ 307afcc):

========  =======================  ==========================  =====  ===========================================
profile   association              structure covariance        seeds  what
========  =======================  ==========================  =====  ===========================================
default   linspace(0, 0.95, 10)    linspace(0, 0.45, 50)       1      the paper's grid, one run (500 networks)
demo      linspace(0, 0.95, 2)     linspace(0, 0.45, 5)        10     the authors' demo notebook's grid, 10 seeds
smoke     linspace(0, 0.95, 2)     linspace(0, 0.45, 2)        5      tests only, 200 shuffles
========  =======================  ==========================  =====  ===========================================

The defaults of :class:`Params` are the paper's grid (``network_model_rnn.py``), which costs about 1 s of CPU per
network (docs/rotational.md gives the measured times). The demo notebook (``Model Demo 2020.ipynb``) runs the
2 x 5 grid.

Quirks of the original kept on purpose (docs/rotational.md lists them): ``test_per_condition = 100`` (the
original's ``split_train_test`` holds out 100 trials per condition, 40 %, although ``test_percent_y = 0.1`` intends
25), ``pattern_var`` is a *variance* while ``assoc_weight_sd`` is a *standard deviation* (both ``link_std = 0.451``
in the original).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from paperrepro.core.config import check_choices

SOURCES = ("scratch", "demo")
PROJECTION_TRIALS = ("all", "test")


@dataclass(frozen=True)
class Params:
    """Parameters of one profile of the rotational model.

    Attributes
    ----------
    association : tuple of (float, float, int)
        ``linspace`` triple of association levels (fraction of A/X-selective units that also receive C/C* input).
    structure_cov : tuple of (float, float, int)
        ``linspace`` triple of the covariance of the Gaussians behind the sensory/memory magnitudes
        (``rand_std_all``); the displayed "structure" is ``structure_cov / pattern_var``.
    n_seeds : int
        Replicate networks per grid point (replicates ``0 .. n_seeds - 1``).
    n_units : int
        Number of recurrent units N.
    n_selective : int
        Number of A/X-selective units (half switch, half stable) and, separately, of C/C*-selective units.
    noise_sd : float
        Standard deviation of the private noise per unit and time step.
    tau : float
        Euler time constant (1 gives ``V_t = relu(u_t)``).
    n_trials : int
        Trials per network, split equally over the four conditions in block order.
    pattern_var : float
        Diagonal of the covariance of (a, a_m) before folding (a *variance*, as ``link_std`` in the original).
    assoc_weight_sd : float
        Standard deviation of the folded-normal C/C* input weights (``link_std`` used as an SD in the original).
    n_shuffles : int
        Label permutations of the z-score null distribution.
    test_per_condition : int
        Held-out trials per condition for the read-outs (100 as the original does; 25 is what it intended).
    projection_trials : str
        ``"all"`` (faithful: the original's ``y_score_all`` projects every trial, so their AUCs are inflated by
        +0.03 to +0.07 over held-out AUCs) or ``"test"`` (held-out only).
    source : str
        ``"scratch"`` builds new networks; ``"demo"`` replays the authors' 10 networks of ``model_demo.pkl``.
    """

    association: tuple[float, float, int] = (0.0, 0.95, 10)
    structure_cov: tuple[float, float, int] = (0.0, 0.45, 50)
    n_seeds: int = 1
    n_units: int = 150
    n_selective: int = 50
    noise_sd: float = 2.0
    tau: float = 1.0
    n_trials: int = 1000
    pattern_var: float = 0.451
    assoc_weight_sd: float = 0.451
    n_shuffles: int = 1000
    test_per_condition: int = 100
    projection_trials: str = "all"
    source: str = "scratch"

    def __post_init__(self) -> None:
        for name in ("association", "structure_cov"):
            start, stop, num = getattr(self, name)
            object.__setattr__(self, name, (float(start), float(stop), int(num)))
        check_choices(self, {"source": SOURCES, "projection_trials": PROJECTION_TRIALS})
        if self.n_trials % 4:
            raise ValueError("n_trials must be a multiple of 4 (four equiprobable conditions)")
        if not 0 < self.test_per_condition < self.n_trials // 4:
            raise ValueError("test_per_condition must lie between 0 and n_trials / 4")
        if self.n_selective % 2 or self.n_selective > self.n_units:
            raise ValueError("n_selective must be even and at most n_units")

    @property
    def association_levels(self) -> np.ndarray:
        """Association levels of the grid, shape (n_association,)."""
        start, stop, num = self.association
        return np.linspace(start, stop, num)

    @property
    def structure_levels(self) -> np.ndarray:
        """Structure covariances of the grid, shape (n_structure,)."""
        start, stop, num = self.structure_cov
        return np.linspace(start, stop, num)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the names of all fields (the keys accepted in ``params.yaml``)."""
        return tuple(f.name for f in fields(cls))
