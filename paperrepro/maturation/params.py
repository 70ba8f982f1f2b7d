"""Profile parameters of the maturation paper (docs/maturation.md).

Switch values follow the quirk table of docs/maturation.md (M1–M23): the faithful behaviour is the default.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperrepro.core.config import check_choices


@dataclass(frozen=True)
class Params:
    """Parameters of one profile (``params.yaml`` → ``maturation: {quick: …, paper: …}``).

    Parameters
    ----------
    n_rnn : int
        Units of the trained (paper) network.
    learning_rate, target_perf, max_trials, seed
        Training (docs/maturation.md; ``target_perf`` 0.95 effective, M2; ``max_trials`` cap, M23).
    rng_mode : str
        ``'faithful'`` (evaluation consumes the training RNG, M12) or ``'separate_eval'``.
    anti_n_rnn, anti_steps, anti_seed : int
        The quick profile's live antisaccade run (docs/maturation.md: 128 units, 1,600 steps = 102,400 trials).
    noise_seed : int
        Recurrent-noise seed shared by all analysed checkpoints (M6).
    stage_rule : str
        ``'threshold'`` (rule A) or ``'window'`` (rule B, docs/maturation.md).
    window_cap : int
        Rule-B cap (notebook 50, default 30).
    range_lead : int
        Checkpoints before the ODR take-off included in the analysis range (M22).
    include_untrained : int
        1: the antisaccade range includes checkpoint 0 (M21).
    per_stage, plateau_every : int
        Pinned-checkpoint subsampling (docs/maturation.md).
    dpca_lambda : str
        ``'auto'`` (cross-validated) or a number as text.
    dpca_repeats : int
        Cross-validation repeats of the dPCA regulariser.
    selection_epoch : str
        ``figS2B`` unit selection (M4).
    offdiag_eval : str
        Decoder off-diagonal scoring (M9): ``'all_trials'`` or ``'held_out'``.
    source : str
        Checkpoints of the ODR/ODRD figures: ``'pinned'`` (the committed ``pinned_name``, quick profile) or
        ``'run'`` (the training-run folder ``<data>/maturation/paper/seed<seed>``, paper profile).
    pinned_name : str
        Registry name of the pinned checkpoints file.
    allow_plateau : int
        1: analyse a run that has not left the ODR plateau (development only; figures record ``matured = 0``).
    decoder_window, decoder_test_per_loc : int
        Decoder feature window (steps) and held-out trials per location (docs/maturation.md).
    pref_from : str
        ``fig3B`` radial line: ``'normalised'`` (faithful, M16) or ``'raw'`` pref.
    """

    n_rnn: int = 256
    learning_rate: float = 1e-3
    target_perf: float = 0.95
    max_trials: int = 3_000_000
    seed: int = 0
    rng_mode: str = "faithful"
    anti_n_rnn: int = 128
    anti_steps: int = 1600
    anti_seed: int = 0
    noise_seed: int = 0
    stage_rule: str = "threshold"
    window_cap: int = 30
    range_lead: int = 16
    include_untrained: int = 1
    per_stage: int = 5
    plateau_every: int = 64
    dpca_lambda: str = "auto"
    dpca_repeats: int = 3
    selection_epoch: str = "stim1"
    offdiag_eval: str = "all_trials"
    source: str = "pinned"
    pinned_name: str = "paper_seed0.nc"
    allow_plateau: int = 0
    decoder_window: int = 10
    decoder_test_per_loc: int = 2
    pref_from: str = "normalised"

    def __post_init__(self) -> None:
        check_choices(
            self,
            {
                "stage_rule": ("threshold", "window"),
                "rng_mode": ("faithful", "separate_eval"),
                "selection_epoch": ("stim1", "delay1"),
                "offdiag_eval": ("all_trials", "held_out"),
                "source": ("pinned", "run"),
                "pref_from": ("normalised", "raw"),
            },
        )
        if self.dpca_lambda != "auto":
            float(self.dpca_lambda)
