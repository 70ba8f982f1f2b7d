"""Profile parameters of the accuracy paper (Xie et al. 2022; spec ``accuracy.md`` §1, §10.5).

* ``quick``: the pinned bundles ``bundle`` (8 locations) and ``bundle_360`` (360 locations) (§10.5); 5 checkpoints per
  stage list (subsampled); 10 recurrent-noise seeds for the spread of R.
* ``paper``: the retrained run folders ``<data>/accuracy/<run>`` and ``<run_360>``; the capped lists (≤ 30, as the
  original); 10 noise seeds.

``source = "zenodo"`` (the authors' checkpoints) is declared by the spec but not available: the Zenodo file list and
hashes have not been frozen (§8), so it raises a one-line error.
"""
from __future__ import annotations

from dataclasses import dataclass

from paperrepro.core.config import check_choices

SOURCES = ("pinned", "run", "zenodo")


@dataclass(frozen=True)
class Params:
    """Parameters of one profile.

    Attributes
    ----------
    source : str
        ``"pinned"`` (committed bundle, registered in ``registry.txt``), ``"run"`` (a training-run folder under the
        data directory) or ``"zenodo"`` (not available yet).
    bundle, bundle_360 : str
        Registry names of the pinned bundles of the 8-location and the 360-location model.
    run, run_360 : str
        Run folders of the two models relative to ``<data_dir>/accuracy`` (``source = "run"``).
    per_stage : int
        Checkpoints kept per stage list (§5.4); 0 keeps the capped lists.
    cap, window : int
        Window selection (§5.1): cap per stage, window = ``avr_window`` (spans window + 1 evaluations).
    strict_cap : bool
        False: the original's mid trim (B12); True: exactly ``cap``.
    noise_seed : int
        Recurrent-noise seed shared by every checkpoint (§6).
    n_noise_seeds : int
        Noise seeds ``noise_seed … noise_seed + n − 1`` for the spread of ``r_tuning`` and ``r_distribution``.
    paired_noise : bool
        Noise mode of the figures that show one mode (False = the original's two passes; spec §6, B1).
    single_unit : int
        Unit shown by ``single_unit`` (4 in the original).
    heatmap_location : int
        Cue location (degrees = index, 360-location model) of ``heatmap360`` (90 in the original).
    locations_per_batch : int
        ``heatmap360`` runs the 5,760-trial test batch in chunks of this many locations (memory ≈ 1.2 GB per 45).
    """

    source: str = "pinned"
    bundle: str = "8loc_odr3000_seed0.nc"
    bundle_360: str = "360loc_odr_seed0.nc"
    run: str = "paper/8loc_odr3000_seed0"
    run_360: str = "paper/360loc_odr_seed0"
    per_stage: int = 5
    cap: int = 30
    window: int = 9
    strict_cap: bool = False
    noise_seed: int = 0
    n_noise_seeds: int = 10
    paired_noise: bool = False
    single_unit: int = 4
    heatmap_location: int = 90
    locations_per_batch: int = 45

    def __post_init__(self) -> None:
        check_choices(self, {"source": SOURCES})
        if self.per_stage < 0 or self.cap < 1 or self.n_noise_seeds < 1 or self.locations_per_batch < 1:
            raise ValueError("per_stage must be ≥ 0, cap, n_noise_seeds and locations_per_batch ≥ 1")
