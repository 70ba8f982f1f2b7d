"""Our networks beside the authors' 10 (Figs. 1 and 5–6): the same quantities, and how far apart they are.

Every compared quantity is defined once, per network, by a function of the trials-to-criterion series and the
vector-field-change table (:func:`learning_quantities`, :func:`vfc_quantities`), and applied both to our networks
and to the authors' published results (``f1_perfFit.mat``, ``f5And6_seed_<s>.mat``, ``f5And6_All.mat`` of
xjwanglab/learning-2-learn @ 1478e3b06adb1df72aaa50dc5c9b20b0d838fbd9; :mod:`.published`).

:func:`comparison` summarises both distributions (mean, SD, median, min, max) and the standardised difference of
the means,

    z = (mean_ours - mean_authors) / (sd_authors * sqrt(1 / n_ours + 1 / n_authors)),

i.e. the difference in units of its standard error if our networks scatter as much as the authors' seeds do. The
fidelity checks of the reference files require |z| <= 2 (≈ 95 % of pairs of equally good reproductions): the
tolerance comes from the authors' own seed spread and adapts to the number of our networks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from . import published
from .analysis import GROUP, VFC_COLUMNS

__all__ = [
    "FAST_TRIALS",
    "learning_quantities",
    "vfc_quantities",
    "authors_learning",
    "authors_vfc",
    "authors_dwrec_magnitude",
    "comparison",
]

#: a problem counts as solved fast with at most this many trials to criterion (original ``fig1.m``)
FAST_TRIALS = 10
_FIT_NAMES = ("TC", "AS", "SC")
#: the authors' runs have 1001 problems: 20 groups of 50 after problem 1 (``mean_g20``, ``dMag_g20_dWrec``)
LAST_GROUP = 20
#: problems (from problem 2) in the R^2 of |dWrec| against trials to criterion (the original ``dW_VFC``: 500)
R2_PROBLEMS = 500
#: positions of the weight source and of the parallel and perpendicular components in the participation-ratio
#: arrays (``source``: weight, state; ``component``: par, perp)
WEIGHT, PAR, PERP = 0, 0, 1


def _group(later: np.ndarray, g: int) -> np.ndarray:
    """Problems of 50-problem group ``g`` (1: problems 2-51) of a series that starts at problem 2."""
    return later[(g - 1) * GROUP : g * GROUP]


def learning_quantities(later: np.ndarray, fit: Mapping[str, float] | None = None) -> dict[str, float]:
    """Fig. 1 quantities of one network from trials to criterion of problems 2..P (``later``).

    Group quantities need the group's problems (``mean_g2``: P >= 101); ``ratio_last_first`` (mean of problems
    952-1001 over mean of problems 2-51) needs P = 1001; the fit (``TC``, ``AS``, ``SC``) is passed in.
    """
    later = np.asarray(later, np.float64)
    n_groups = later.size // GROUP
    out: dict[str, float] = {}
    if n_groups >= 1:
        out["mean_g1"] = float(_group(later, 1).mean())
        out["median_g1"] = float(np.median(_group(later, 1)))
    if n_groups >= 2:
        out["mean_g2"] = float(_group(later, 2).mean())
        out["frac_fast_g2"] = float((_group(later, 2) <= FAST_TRIALS).mean())
    if n_groups >= LAST_GROUP:
        out["mean_g20"] = float(_group(later, LAST_GROUP).mean())
        out["ratio_last_first"] = out["mean_g20"] / out["mean_g1"]
    if fit is not None and n_groups >= LAST_GROUP:
        out.update({k: float(fit[k]) for k in _FIT_NAMES})
    return out


def vfc_quantities(
    vfc: np.ndarray, later: np.ndarray, pr_single: np.ndarray, pr_group: np.ndarray, pr_dz_single: np.ndarray
) -> dict[str, float]:
    """Figs. 5–6 quantities of one network.

    Parameters
    ----------
    vfc : numpy.ndarray
        ``(P-1, 9)`` VFC table of problems 2..P (columns of :data:`analysis.VFC_COLUMNS`).
    later : numpy.ndarray
        Trials to criterion of problems 2..P.
    pr_single : numpy.ndarray
        ``(P-1, source, component)`` single-problem participation ratios.
    pr_group : numpy.ndarray
        ``(G, source, component)`` 50-problem-group participation ratios.
    pr_dz_single : numpy.ndarray
        ``(P-1,)`` single-problem participation ratio of the dZ direction.
    """
    n_groups = vfc.shape[0] // GROUP
    col = {name: i for i, name in enumerate(VFC_COLUMNS)}
    dwrec = vfc[:, col["dWrec"]]
    out: dict[str, float] = {}
    if n_groups >= 1:
        g1 = vfc[:GROUP].mean(0)
        for name in VFC_COLUMNS[: col["Sd_par"] + 1]:  # every column up to Sd_par (Sd_perp is not compared)
            out[f"g1_{name}"] = float(g1[col[name]])
        out["pr_Wpar_single_g1"] = float(pr_single[:GROUP, WEIGHT, PAR].mean())
        out["pr_dZ_single_g1"] = float(pr_dz_single[:GROUP].mean())
        out["pr_Wperp_group_g1"] = float(pr_group[0, WEIGHT, PERP])  # group 1
    if n_groups >= 2:
        out["dMag_g2_dWrec"] = float(dwrec[GROUP : 2 * GROUP].mean() / dwrec[:GROUP].mean())
    if n_groups >= LAST_GROUP:
        out["dMag_g20_dWrec"] = float(dwrec[(LAST_GROUP - 1) * GROUP : LAST_GROUP * GROUP].mean() / dwrec[:GROUP].mean())
        out["corr_WdVFC"] = float(np.corrcoef(vfc[:, col["WdVFC"]], later)[0, 1])
        out["corr_dWrec"] = float(np.corrcoef(dwrec, later)[0, 1])
        out["r2_dWrec"] = float(np.corrcoef(dwrec[:R2_PROBLEMS], later[:R2_PROBLEMS])[0, 1] ** 2)
    return out


def authors_learning() -> dict[str, np.ndarray]:
    """:func:`learning_quantities` of the authors' 10 networks (``C`` of ``f5And6_seed_*``, fits of ``f1_perfFit``)."""
    fits = published.published_fit()
    rows = [
        learning_quantities(published.published_conv(s), {k: fits[k][s] for k in _FIT_NAMES}) for s in range(published.N_SEEDS)
    ]
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def authors_vfc() -> dict[str, np.ndarray]:
    """:func:`vfc_quantities` of the authors' 10 networks (``f5And6_seed_*.mat``).

    The authors stored the group means of the single-problem ratios (``dims_SingProb_sum``,
    ``dimsT_SingProb_sum``) and the group ratios (``dims_SingEp``), not every problem's; they enter as constant
    per-problem series within each group, which leaves the group-1 means unchanged.
    """
    rows = []
    for s in range(published.N_SEEDS):
        d = published.published_seed(s)
        single = np.repeat(d["dims_SingProb_sum"], GROUP, axis=0)
        dz = np.repeat(d["dimsT_SingProb_sum"].ravel(), GROUP)
        rows.append(vfc_quantities(d["VFC"], d["C"], single, d["dims_SingEp"], dz))
    out = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    corrs = published.published_corrs()  # the authors' own correlations (equal to ours of their data, tested)
    out["corr_WdVFC"], out["corr_dWrec"] = corrs[:, 0], corrs[:, 2]
    return out


def authors_dwrec_magnitude() -> np.ndarray:
    """The authors' ‖ΔW_rec‖ per 50-problem group, normalised to problems 2-51, of every published seed.

    Returns
    -------
    numpy.ndarray
        ``(N_SEEDS, groups)``: column ``dWrec`` of ``VFC_sum`` (``f5And6_seed_<s>.mat``) divided by its group-1 row.
    """
    column = VFC_COLUMNS.index("dWrec")
    rows = []
    for seed in range(published.N_SEEDS):
        group_means = published.published_seed(seed)["VFC_sum"]
        rows.append(group_means[:, column] / group_means[0, column])  # row 0: group 1 (problems 2-51)
    return np.array(rows)


def comparison(ours: Mapping[int, Mapping[str, float]], authors: Mapping[str, np.ndarray]) -> xr.Dataset:
    """Side-by-side statistics of the quantities both sides have.

    Parameters
    ----------
    ours : mapping
        Network → quantities (e.g. :func:`learning_quantities`).
    authors : mapping
        Quantity → the authors' values, one per network.

    Returns
    -------
    xarray.Dataset
        Over ``compared`` (quantity names) and ``origin`` (``ours``, ``authors``): ``mean``, ``sd``, ``median``,
        ``min``, ``max``, ``n``; ``z`` (``compared``): the standardised difference of the means (module
        docstring); ``ours_values (compared, network)`` and ``authors_values (compared, authors_network)``.
    """
    seeds = sorted(ours)
    names = [k for k in authors if all(k in ours[s] for s in seeds)]
    n_a = len(next(iter(authors.values())))
    mine = np.array([[ours[s][k] for s in seeds] for k in names], np.float64).reshape(len(names), len(seeds))
    theirs = np.array([authors[k] for k in names], np.float64).reshape(len(names), n_a)
    stats = {}
    for stat, fn in (("mean", np.mean), ("median", np.median), ("min", np.min), ("max", np.max)):
        stats[stat] = np.stack([fn(mine, axis=1), fn(theirs, axis=1)], axis=1).reshape(len(names), 2)
    sd_ours = mine.std(axis=1, ddof=1) if len(seeds) > 1 else np.full(len(names), np.nan)
    sd_authors = theirs.std(axis=1, ddof=1)
    stats["sd"] = np.stack([sd_ours, sd_authors], axis=1)
    z = (stats["mean"][:, 0] - stats["mean"][:, 1]) / (sd_authors * np.sqrt(1.0 / len(seeds) + 1.0 / n_a))
    data = {stat: (("compared", "origin"), v, {"long_name": f"{stat} over networks"}) for stat, v in stats.items()}
    data["n"] = (("origin",), np.array([len(seeds), n_a], np.int64), {"long_name": "networks"})
    data["z"] = (
        ("compared",),
        z,
        {"long_name": "(mean ours - mean authors) / (authors' seed SD * sqrt(1/n_ours + 1/n_authors))", "units": "1"},
    )
    data["ours_values"] = (("compared", "network"), mine, {"long_name": "our networks"})
    data["authors_values"] = (
        ("compared", "authors_network"),
        theirs,
        {"long_name": "the authors' networks (xjwanglab/learning-2-learn @ 1478e3b, results/)"},
    )
    return xr.Dataset(
        data,
        coords={
            "compared": ("compared", names),
            "origin": ("origin", ["ours", "authors"]),
            "network": ("network", np.array(seeds, np.int64)),
            "authors_network": ("authors_network", np.arange(n_a, dtype=np.int64), {"long_name": "authors' seed"}),
        },
    )
