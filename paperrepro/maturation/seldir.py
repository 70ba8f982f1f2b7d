"""Overlap of two selective populations and of their preferred directions over training (the authors' seldir analysis).

Faithful to ``seldir_analysis`` in ``analysis/PSTH_seldir_analysis.py`` of maiziezhoulab/RNN_BrainMaturation at
commit d793a1d, called in ``Main_analysis.py`` (same commit) as
``seldir_analysis(model_dir, 'odr', 'stim1', 'odrd', 'stim1', trial_list_all, ('exh_neurons', 'mix_neurons'))``,
which drew the authors' ``example_pic/odr_stim1_odrd_stim1exh_neurons_mix_neurons_seldir_analysis.png``:

* each side is the set of units of ``neuron_info_<rule>_<epoch>.pkl`` of type ``exh_neurons`` or ``mix_neurons``
  (``analysis/PSTH_gen_neuron_info.py``: active, ANOVA-selective over the 8 cue locations at p ≤ 0.05, not purely
  inhibited) — here :func:`paperrepro.maturation.selectivity.neuron_info`'s ``selected``, computed on each task's own
  test batch;
* ``inter`` = the number of units selected on both sides;
* ``samedir`` = the number of (unit, preferred location) pairs shared by both sides among those units, where the
  preferred location is ``max_index``, the argmax of the normalised epoch means (``pref``);
* ``diffdir`` = the number of the first side's (unit, preferred location) pairs, among the intersection, that the
  second side does not have — the intersection units whose preferred locations differ. Each unit has one preferred
  location per side, so ``samedir + diffdir = inter``.

The original evaluates every logged checkpoint (``trial_list_all``: every 1,280 trials from the first to the last
evaluation); a store with fewer checkpoints (the pinned file) evaluates those it has.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

SELECTIONS: tuple[tuple[str, str], ...] = (("odr", "stim1"), ("odrd", "stim1"))
"""The (task, selection epoch) pair of the authors' published image: ODR stim1 against ODRD stim1."""
COUNTS: tuple[str, ...] = ("inter", "samedir", "diffdir")
"""The three curves of the authors' figure, in their order (``plot_dic`` keys of the original)."""


def direction_overlap(
    selected_a: np.ndarray, pref_a: np.ndarray, selected_b: np.ndarray, pref_b: np.ndarray
) -> dict[str, np.ndarray]:
    """Count the shared units and the shared preferred directions of two selections (the original's set logic).

    Parameters
    ----------
    selected_a, selected_b : ndarray of bool, shape (..., N)
        Units selected on each side (exh ∪ mix selective units).
    pref_a, pref_b : ndarray of int, shape (..., N)
        Preferred location index of every unit on each side (only read for selected units).

    Returns
    -------
    dict
        ``inter``, ``samedir``, ``diffdir``: int arrays of shape (...) — units selected on both sides, those with the
        same preferred location on both sides, and those with different ones.
    """
    both = np.asarray(selected_a, dtype=bool) & np.asarray(selected_b, dtype=bool)
    same = both & (np.asarray(pref_a) == np.asarray(pref_b))
    return {
        "inter": both.sum(axis=-1).astype(np.int64),
        "samedir": same.sum(axis=-1).astype(np.int64),
        "diffdir": (both & ~same).sum(axis=-1).astype(np.int64),
    }


def period_medians(counts: xr.Dataset, in_range: np.ndarray, n_units: int) -> dict[str, np.ndarray]:
    """Medians over the plateau checkpoints and over the analysis-range checkpoints (dim ``period``).

    Medians, not means: the authors' curves dip sharply at single checkpoints late in training, and a median over a
    handful of pinned checkpoints should not hinge on whether one of them falls into a dip.

    Parameters
    ----------
    counts : xarray.Dataset
        ``inter``, ``samedir`` (checkpoint) from :func:`direction_overlap`.
    in_range : ndarray of bool, shape (checkpoint,)
        Checkpoints inside the analysis range (the others form the plateau before it).
    n_units : int
        Units of the network.

    Returns
    -------
    dict
        ``inter_fraction`` (period): median of inter / n_units; ``same_fraction`` (period): median of samedir / inter
        (checkpoints with an empty intersection excluded); ``inter_change`` (): median inter in the range minus on
        the plateau (units). NaN where a period has no checkpoint.
    """
    inter = counts["inter"].values.astype(np.float64)
    same = counts["samedir"].values.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(inter > 0, same / inter, np.nan)

    def median(values: np.ndarray, mask: np.ndarray) -> float:
        v = values[mask]
        v = v[np.isfinite(v)]
        return float(np.median(v)) if v.size else np.nan

    periods = (~in_range, in_range)
    inter_median = np.array([median(inter, m) for m in periods])
    return {
        "inter_fraction": inter_median / n_units,
        "same_fraction": np.array([median(ratio, m) for m in periods]),
        "inter_change": np.asarray(inter_median[1] - inter_median[0]),
    }
