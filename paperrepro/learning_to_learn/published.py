"""The authors' processed results (``results/*.mat`` of xjwanglab/learning-2-learn @ 1478e3b06adb1df72aaa50dc5c9b20b0d838fbd9).

``f1_perfFit.mat``: the Fig. 1 fits ``TC``, ``AS``, ``SC`` (1×10, column = seed 0..9). ``f5And6_seed_<s>.mat``:
``C`` (trials to criterion of problems 2..1001), ``VFC`` (1000×9), ``VFC_sum`` (20×9 group means), the
participation ratios; ``f5And6_All.mat``: ``corrs`` (10×3, Pearson r of WdVFC, SdVFC, ‖ΔW_rec‖ with ``C``).

Files are listed with sha256 in ``registry.txt`` and fetched with :func:`paperrepro.core.fetch.fetch`
(or copied from ``$PAPERREPRO_MIRROR``).  ``f7.mat`` could not be retrieved and is not registered.
"""

from __future__ import annotations

import numpy as np
import scipy.io

from paperrepro.core.fetch import fetch

__all__ = ["PAPER", "N_SEEDS", "load_mat", "published_fit", "published_conv", "published_seed", "published_corrs"]

#: networks (seeds 0..9) in the authors' results
N_SEEDS = 10

PAPER = "learning_to_learn"


def load_mat(name: str) -> dict[str, np.ndarray]:
    """Variables of a registered ``.mat`` result file as float64 arrays.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"f1_perfFit.mat"``.

    Returns
    -------
    dict
        Variable name → array (MATLAB shapes kept).
    """
    data = scipy.io.loadmat(fetch(PAPER, name))
    return {k: np.asarray(v, dtype=np.float64) for k, v in data.items() if not k.startswith("__")}


def published_fit() -> dict[str, np.ndarray]:
    """Published fit of Fig. 1: ``TC``, ``AS``, ``SC`` per seed 0..9 (``(10,)`` each)."""
    data = load_mat("f1_perfFit.mat")
    return {k: data[k].ravel() for k in ("TC", "AS", "SC")}


def published_conv(seed: int) -> np.ndarray:
    """Published trials to criterion of problems 2..1001 of one seed (``C`` of ``f5And6_seed_<s>.mat``)."""
    return load_mat(f"f5And6_seed_{seed}.mat")["C"].ravel()


def published_seed(seed: int) -> dict[str, np.ndarray]:
    """All variables of ``f5And6_seed_<seed>.mat`` (``C`` raveled to problems 2..1001)."""
    data = load_mat(f"f5And6_seed_{seed}.mat")
    data["C"] = data["C"].ravel()
    return data


def published_corrs() -> np.ndarray:
    """``corrs`` of ``f5And6_All.mat``: ``(10, 3)`` Pearson r of WdVFC, SdVFC, ‖ΔW_rec‖ with trials to criterion."""
    return load_mat("f5And6_All.mat")["corrs"]
