"""Profile parameters of the accuracy paper (Xie et al. 2022; profiles: docs/accuracy.md, "Seeds").

* ``quick``: the pinned bundles ``bundle`` (8 locations) and ``bundle_360`` (360 locations) (paperrepro.accuracy.pin);
  5 checkpoints per stage list (subsampled); 10 recurrent-noise seeds for the spread of R.
* ``paper``: the retrained run folders ``<data>/accuracy/<run>`` and ``<run_360>``; the capped lists (≤ 30, as the
  original); 10 noise seeds.

``source = "zenodo"`` reads the authors' own checkpoints from their Zenodo record (``zenodo_doi``; folders
``<zenodo_prefix><seed>`` and ``zenodo_folder_360``), see :mod:`paperrepro.accuracy.zenodo`.
"""

from __future__ import annotations

import re
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
        data directory) or ``"zenodo"`` (the authors' checkpoints, :mod:`paperrepro.accuracy.zenodo`).
    train_seeds : tuple of int
        Training seeds of the 8-location model: every figure of that model is computed for each and gains a
        ``train_seed`` dimension (the spread between trained networks). Their bundles are
        ``8loc_odr3000_seed<seed>.nc`` (``source = "pinned"``) or run folders ``<run_prefix><seed>``.
    bundle_360 : str
        Registry name of the pinned bundle of the 360-location model (one training seed).
    run_prefix, run_360 : str
        Run folders relative to ``<data_dir>/accuracy`` (``source = "run"``): the 8-location model's prefix, to
        which the training seed is appended, and the 360-location model's folder.
    per_stage : int
        Checkpoints kept per stage list (docs/accuracy.md, "Developmental stages"); 0 keeps the capped lists.
    cap, window : int
        Window selection (the original's ``auto_model_select``): cap per stage, window = ``avr_window`` (spans
        window + 1 evaluations).
    strict_cap : bool
        False: the original's mid trim (docs/accuracy.md, quirk mid trim); True: exactly ``cap``.
    noise_seed : int
        Recurrent-noise seed shared by every checkpoint (docs/accuracy.md, "Two passes of recurrent noise").
    n_noise_seeds : int
        Noise seeds ``noise_seed … noise_seed + n − 1`` for the spread of ``r_tuning`` and ``r_distribution``.
    paired_noise : bool
        Noise mode of the figures that show one mode (False = the original's two passes; docs/accuracy.md, quirk two-pass noise).
    single_unit : int
        Unit shown by ``single_unit`` (4 in the original).
    heatmap_location : int
        Cue location (degrees = index, 360-location model) of ``heatmap360`` (90 in the original).
    locations_per_batch : int
        ``heatmap360`` runs the 5,760-trial test batch in chunks of this many locations (memory ≈ 1.2 GB per 45).
    zenodo_doi : str
        DOI of the authors' Zenodo record (``source = "zenodo"``).
    zenodo_prefix, zenodo_folder_360 : str
        The authors' run folders on that record: the 8-location model's prefix, to which the training seed is
        appended (the authors published seed 0), and the 1.5-s 360-location model's folder.
    """

    source: str = "pinned"
    train_seeds: tuple[int, ...] = (0,)
    bundle_360: str = "360loc_odr_seed0.nc"
    run_prefix: str = "paper/8loc_odr3000_seed"
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
    zenodo_doi: str = "10.5281/zenodo.5209068"
    zenodo_prefix: str = "6tasks_8loc_256neuron_odr3000_seed"
    zenodo_folder_360: str = "6tasks_360loc_256neuron"

    @staticmethod
    def bundle(seed: int) -> str:
        """Registry name of the pinned bundle of the 8-location model trained with ``seed``."""
        return f"8loc_odr3000_seed{seed}.nc"

    @property
    def bundles(self) -> tuple[str, ...]:
        """Registry names of the pinned 8-location bundles of ``train_seeds``."""
        return tuple(self.bundle(seed) for seed in self.train_seeds)

    def __post_init__(self) -> None:
        check_choices(self, {"source": SOURCES})
        if not self.train_seeds or len(set(self.train_seeds)) != len(self.train_seeds):
            raise ValueError("train_seeds must list at least one training seed, each once")
        if self.per_stage < 0 or self.cap < 1 or self.n_noise_seeds < 1 or self.locations_per_batch < 1:
            raise ValueError("per_stage must be ≥ 0, cap, n_noise_seeds and locations_per_batch ≥ 1")
        if not re.fullmatch(r"10\.\d{4,9}/zenodo\.\d+", self.zenodo_doi):
            raise ValueError(f"zenodo_doi must be a Zenodo DOI like 10.5281/zenodo.5209068, not {self.zenodo_doi!r}")
        if not self.zenodo_prefix.strip("/") or not self.zenodo_folder_360.strip("/"):
            raise ValueError("zenodo_prefix and zenodo_folder_360 must name the record's run folders")
