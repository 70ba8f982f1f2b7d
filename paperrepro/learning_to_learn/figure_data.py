"""The data functions of the learning-to-learn figures (Goudar et al. 2023, Figs. 1, 2, 3, 5–6 and 7).

Every figure reads per-network summaries (:mod:`.runs`): by default the pinned ones committed in ``pinned/``
(``source: pinned``), or, with ``source: train``, those of runs trained (or resumed) in the data folder. Each
registered function (``fig1`` ...) loads them and hands them to a function of the summaries alone (``fig1_data``
...), which selects by label and computes with :mod:`.analysis`; Figs. 1 and 5–6 put our networks beside the
authors' 10 (:mod:`.authors`). Drawing is in :mod:`.plots`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from paperrepro.core.config import RunContext

from . import analysis, authors
from .analysis import GROUP
from .params import Params
from .runs import summaries

#: Fig. 7's magnitude ratio compares the CVFC this many problems back with that of the previous problem (lag 1)
FIG7_FAR_LAG = 10


def trains_in_build(params: Params) -> bool:
    """Whether the figures train their networks in the build (``source: train``; ``pinned`` reads the summaries)."""
    return params.source == "train"


def _full(ctx: RunContext) -> dict[int, xr.Dataset]:
    """Per-network ``full`` summaries cut to the profile's problems."""
    n = ctx.params.n_problems
    return {s: ds.sel(problem=slice(1, n)) for s, ds in summaries(ctx, "full").items()}


# ----------------------------------------------------------------------------------------- Fig. 1
def fig1_data(convs: Mapping[int, np.ndarray]) -> xr.Dataset:
    """Trials to criterion per problem, exponential fit and group statistics, beside the authors' networks.

    Parameters
    ----------
    convs
        Seed -> trials to criterion of problems 1..P.

    Returns
    -------
    xr.Dataset
        :func:`analysis.learning_curves`, the medians of the fit parameters over networks (``TC_median``,
        ``AS_median``, ``SC_median``) and :func:`authors.comparison` of the Fig. 1 quantities.
    """
    ds = analysis.learning_curves(convs)
    for var, long_name, units in (("TC", "time constant", "problems"), ("AS", "asymptote", "trials"), ("SC", "scale", "trials")):
        ds[f"{var}_median"] = ((), float(np.nanmedian(ds[var].values)), {"long_name": f"median {long_name}", "units": units})
    ours = {
        int(s): authors.learning_quantities(
            ds.trials.sel(network=s, problem=slice(2, None)).values,
            {k: float(ds[k].sel(network=s)) for k in ("TC", "AS", "SC")},
        )
        for s in ds.network.values
    }
    return ds.merge(authors.comparison(ours, authors.authors_learning()))


def fig1(ctx: RunContext) -> xr.Dataset:
    """Fig. 1 of the run's networks (:func:`fig1_data`)."""
    return fig1_data({s: ds.trials.values for s, ds in _full(ctx).items()})


# ----------------------------------------------------------------------------------------- Fig. 2
#: the Fig. 2 variables of a ``full`` summary
FIG2_VARIABLES = ("power_share", "mean_decision", "residual_decision", "stimulus_component", "current_mean", "current_sem")


def fig2_data(sums: Mapping[int, xr.Dataset]) -> xr.Dataset:
    """Subspaces of the lowest seed over problems 2–51 (fewer if the profile has fewer).

    Parameters
    ----------
    sums
        Seed -> ``full`` summary.

    Returns
    -------
    xr.Dataset
        The :data:`FIG2_VARIABLES` of that seed; attributes ``problems`` and ``network``.
    """
    seed = min(sums)
    ds = sums[seed][list(FIG2_VARIABLES)]
    ds.attrs = {"problems": sums[seed].attrs["fig2_problems"], "network": int(seed)}
    return ds


def fig2(ctx: RunContext) -> xr.Dataset:
    """Fig. 2 of the run's first network (:func:`fig2_data`)."""
    return fig2_data(_full(ctx))


# ----------------------------------------------------------------------------------------- Fig. 3
def fig3_data(sums: Mapping[int, xr.Dataset], params: Params) -> xr.Dataset:
    """Problem 1 versus perturbed problems (frozen read-out, D→S, S→S).

    Parameters
    ----------
    sums
        Seed -> ``perturbation`` summary (trials over condition and problem).
    params
        ``pert_base_problems``, ``pert_problems`` and ``pert_max_trials``.

    Returns
    -------
    xr.Dataset
        :func:`analysis.perturbation_summary` of problems 1..``pert_base_problems + pert_problems``.
    """
    last = params.pert_base_problems + params.pert_problems
    convs = {
        (s, str(c)): ds.trials.sel(condition=c, problem=slice(1, last)).values
        for s, ds in sums.items()
        for c in ds.condition.values
    }
    return analysis.perturbation_summary(convs, params)


def fig3(ctx: RunContext) -> xr.Dataset:
    """Fig. 3 of the run's perturbation networks (:func:`fig3_data`)."""
    return fig3_data(summaries(ctx, "perturbation"), ctx.params)


# ------------------------------------------------------------------------------------- Figs. 5/6
def fig5_6_data(sums: Mapping[int, xr.Dataset], n_problems: int) -> xr.Dataset:
    """VFC tables, dimensionalities and correlations of every seed, beside the authors' 10 networks.

    Parameters
    ----------
    sums
        Seed -> ``full`` summary of problems 1..``n_problems``.
    n_problems
        Problems of the profile.

    Returns
    -------
    xr.Dataset
        :func:`analysis.vfc_combine`, ``trials`` of problems 2.., ``r2_dWrec_median``, ``perp_identity_error``,
        :func:`authors.comparison` of the Figs. 5–6 quantities and ``authors_dMag``
        (:func:`authors.authors_dwrec_magnitude`).
    """
    seeds = sorted(sums)
    convs = {s: sums[s].trials.values for s in seeds}
    groups = slice(1, (n_problems - 1) // GROUP)
    per_network = {}
    for s in seeds:
        later = sums[s].sel(problem=slice(2, None))
        per_network[s] = {
            "VFC": later.VFC.values,
            "dims_single": later.dims_single.values,
            "dimsT_single": later.dimsT_single.values,
            "dims_group": sums[s].dims_group.sel(group=groups).values,
            "dimsT_group": sums[s].dimsT_group.sel(group=groups).values,
        }
    ds = analysis.vfc_combine(per_network, convs)
    ds["trials"] = (
        ("network", "problem"),
        np.array([sums[s].trials.sel(problem=slice(2, None)).values for s in seeds]),
        {"long_name": "trials to criterion", "units": "trials"},
    )
    ds["r2_dWrec_median"] = ((), float(np.median(ds.r2_dWrec.values)), {"long_name": "median R^2 over networks"})
    ds["perp_identity_error"] = (
        (),
        float(np.abs(ds.VFC.sel(column="Wd_perp_neg") + ds.VFC.sel(column="Sd_perp")).max()),
        {"long_name": "max |Wd_perp_neg + Sd_perp| (figs5and6.m sign quirk)"},
    )
    ours = {
        s: authors.vfc_quantities(
            per_network[s]["VFC"],
            sums[s].trials.sel(problem=slice(2, None)).values,
            per_network[s]["dims_single"],
            per_network[s]["dims_group"],
            per_network[s]["dimsT_single"],
        )
        for s in seeds
    }
    ds = ds.merge(authors.comparison(ours, authors.authors_vfc()))
    d_mag = authors.authors_dwrec_magnitude()
    ds["authors_dMag"] = (
        ("authors_network", "authors_group"),
        d_mag,
        {"long_name": "the authors' |dWrec| group means normalised to problems 2-51 (f5And6_seed_*.mat VFC_sum)"},
    )
    return ds.assign_coords(authors_group=("authors_group", np.arange(1, d_mag.shape[1] + 1, dtype=np.int64)))


def fig5_6(ctx: RunContext) -> xr.Dataset:
    """Figs. 5–6 of the run's networks (:func:`fig5_6_data`)."""
    return fig5_6_data(_full(ctx), ctx.params.n_problems)


# ----------------------------------------------------------------------------------------- Fig. 7
def fig7_data(sums: Mapping[int, xr.Dataset], last_problem: int) -> xr.Dataset:
    """CVFC of every seed over problems 2–``last_problem``.

    Parameters
    ----------
    sums
        Seed -> ``cvfc`` summary.
    last_problem
        Last problem analysed.

    Returns
    -------
    xr.Dataset
        :func:`analysis.cvfc_combine` and ``cvfc_lag1_over_lag10``: the group-1 CVFC magnitude at lag 1 over that at
        lag :data:`FIG7_FAR_LAG` (the last lag when fewer problems were analysed).
    """
    per_network = {}
    for s, d in sums.items():
        d = d.sel(problem=slice(2, last_problem), lag=slice(1, last_problem - 1))
        per_network[s] = {
            "cvfc_group": d.cvfc_group.sel(group=slice(1, max((last_problem - 1) // GROUP, 1))).values,
            "cvfc_sup": d.cvfc_sup.values,
            "dims": d["dims"].values,
        }
    ds = analysis.cvfc_combine(per_network)
    first = ds.cvfc_group.sel(group=1)
    far = min(FIG7_FAR_LAG, int(ds.lag.max()))
    ds["cvfc_lag1_over_lag10"] = (
        ("network",),
        first.sel(lag=1).values / first.sel(lag=far).values,
        {"long_name": "group-1 CVFC magnitude, lag 1 / lag 10", "units": "1"},
    )
    return ds


def fig7(ctx: RunContext) -> xr.Dataset:
    """Fig. 7 of the run's networks over problems 2–``cvfc_last_problem`` (2–P for shorter profiles)."""
    return fig7_data(summaries(ctx, "cvfc"), min(ctx.params.cvfc_last_problem, ctx.params.n_problems))
