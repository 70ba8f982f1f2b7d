"""The authors' processed results (``results/*.mat`` of xjwanglab/learning-2-learn, spec §9.1).

Files are listed with sha256 in ``registry.txt`` and fetched with :func:`paperrepro.core.fetch.fetch`
(or copied from ``$PAPERREPRO_MIRROR``).  ``f7.mat`` could not be retrieved and is not registered.
"""

from __future__ import annotations

import numpy as np
import scipy.io

from paperrepro.core.fetch import fetch

__all__ = ["PAPER", "load_mat", "published_fit", "published_conv"]

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
