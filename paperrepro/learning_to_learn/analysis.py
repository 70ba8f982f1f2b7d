"""Analyses behind Figs. 1, 2, 3, 5–6 and 7 (original ``analysis/*.m``, xjwanglab/learning-2-learn @ 1478e3b).

All re-simulations are noise-free and start from the initial state of the network analysed
(as the original ``analysis/*.m``).  "PCA" is uncentred (MATLAB ``pca(X, 'Centered', false)``); participation ratios
PR = (Σλ)² / Σλ² are computed from Gram matrices, PR = tr(G)² / ‖G‖_F², which needs no
eigendecomposition and allows sums over 50-problem groups.

Quirks kept for parity with the published files: column 7 of the VFC table
(``Wd_perp_neg``) is the *negative* norm of the orthogonal weight-driven component (MATLAB sign
bug; use ``-VFC[..., 6]`` for the magnitude), and the state-driven simulation of the old network
starts from the *new* network's initial state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

from .fit import exp_model, fit_learning_curve, movmean
from .network import softplus
from .params import Params
from .task import trial_inputs

__all__ = [
    "VFC_COLUMNS",
    "GROUP",
    "PERTURBATION_CONDITIONS",
    "CORRELATED_COLUMNS",
    "DMAG_COLUMNS",
    "participation_ratio",
    "simulate_problem",
    "learning_curves",
    "vfc_problem",
    "vfc_network",
    "vfc_combine",
    "vfc_analysis",
    "decision_subspace",
    "perturbation_summary",
    "cvfc_problem",
    "cvfc_network",
    "cvfc_combine",
    "cvfc_analysis",
]

VFC_COLUMNS: tuple[str, ...] = (
    "dI",
    "WdVFC",
    "SdVFC",
    "dWrec",
    "dZ",
    "Wd_par",
    "Wd_perp_neg",
    "Sd_par",
    "Sd_perp",
)
GROUP = 50
#: conditions of Fig. 3: problem 1 of the control run, then the perturbed problems of the frozen read-out (control
#: run), D->S and S->S manifold perturbations
PERTURBATION_CONDITIONS: tuple[str, ...] = ("problem1", "frozen", "ds", "ss")
#: the VFC columns correlated with trials to criterion (``corrs``), in the order of their ``quantity`` labels
CORRELATED_COLUMNS: tuple[str, ...] = ("WdVFC", "SdVFC", "dWrec")
#: the ``quantity3`` labels of ``dMag`` and their VFC columns (``dCurr``, the input-current change, is column ``dI``)
DMAG_COLUMNS: dict[str, str] = {"dWrec": "dWrec", "dCurr": "dI", "WdVFC": "WdVFC"}
#: fewest problems after problem 1 that the Fig. 1 fit accepts (its start point averages the last 31)
MIN_FIT_PROBLEMS = 31


def participation_ratio(gram: np.ndarray) -> float:
    """PR of the uncentred PCA whose sample Gram matrix (X^T X) is ``gram``."""
    return float(np.trace(gram) ** 2 / np.sum(gram * gram))


def _inputs(images: np.ndarray, params: Params) -> np.ndarray:
    return np.stack([trial_inputs(images[k], params) for k in range(2)])


def _run(weights: Mapping[str, np.ndarray], u: np.ndarray, h0: np.ndarray, params: Params) -> np.ndarray:
    """Noise-free rates ``(2, T+1, N)`` including the start state at index 0."""
    a = params.alpha
    drive = u @ weights["w_in"] + weights["b"]
    out = np.empty((u.shape[0], u.shape[1] + 1, h0.size))
    r = np.broadcast_to(h0, (u.shape[0], h0.size)).copy()
    out[:, 0] = r
    for t in range(u.shape[1]):
        r = (1.0 - a) * r + a * softplus(r @ weights["w_rec"] + drive[:, t])
        out[:, t + 1] = r
    return out


def simulate_problem(weights: Mapping[str, np.ndarray], images: np.ndarray, params: Params) -> np.ndarray:
    """Noise-free rates r_0..r_{T-1} of both trials of a problem, ``(2, T, N)`` (row k: image k)."""
    w = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
    return _run(w, _inputs(np.asarray(images, np.float64), params), w["h0"], params)[:, 1:]


# ----------------------------------------------------------------------------------------- Fig. 1
def learning_curves(convs: Mapping[int, Sequence[float]]) -> xr.Dataset:
    """Trials to criterion, exponential fit and 50-problem group statistics (Fig. 1).

    Parameters
    ----------
    convs : mapping
        Seed → trials to criterion of problems 1..P (same P for all seeds).

    Returns
    -------
    xarray.Dataset
        ``trials (network, problem)``, ``smoothed`` (30-problem ``movmean`` of problems 2..P),
        ``fit_curve``, ``TC``/``AS``/``SC (network)`` (NaN with fewer than :data:`MIN_FIT_PROBLEMS` problems after
        problem 1 or a failed problem), ``group_mean``/``group_median``/
        ``frac_fast`` ``(network, group)`` over problems 2–51, 52–101, ..., and ``ratio_g2_g1``.
    """
    seeds = sorted(convs)
    trials = np.array([np.asarray(convs[s], dtype=np.float64) for s in seeds])
    n_prob = trials.shape[1]
    later = trials[:, 1:]
    n_groups = later.shape[1] // GROUP
    nan_fit = {"TC": np.nan, "AS": np.nan, "SC": np.nan}
    fits = [fit_learning_curve(row) if row.size >= MIN_FIT_PROBLEMS and not np.isnan(row).any() else nan_fit for row in later]
    x = np.arange(later.shape[1], dtype=np.float64)
    curve = np.full_like(trials, np.nan)
    smooth = np.full_like(trials, np.nan)
    for i, f in enumerate(fits):
        curve[i, 1:] = exp_model(x, f["SC"], -1.0 / f["TC"], f["AS"])
        smooth[i, 1:] = movmean(later[i], 30)
    groups = later[:, : n_groups * GROUP].reshape(len(seeds), n_groups, GROUP)
    ds = xr.Dataset(
        {
            "trials": (("network", "problem"), trials, {"long_name": "trials to criterion", "units": "trials"}),
            "smoothed": (("network", "problem"), smooth, {"long_name": "30-problem moving mean", "units": "trials"}),
            "fit_curve": (("network", "problem"), curve, {"long_name": "a exp(-x/TC) + AS", "units": "trials"}),
            "TC": (("network",), np.array([f["TC"] for f in fits]), {"long_name": "time constant", "units": "problems"}),
            "AS": (("network",), np.array([f["AS"] for f in fits]), {"long_name": "asymptote", "units": "trials"}),
            "SC": (("network",), np.array([f["SC"] for f in fits]), {"long_name": "scale", "units": "trials"}),
            "problem1": (("network",), trials[:, 0], {"long_name": "trials to criterion, problem 1", "units": "trials"}),
            "group_mean": (("network", "group"), groups.mean(-1), {"long_name": "mean over 50 problems", "units": "trials"}),
            "group_median": (
                ("network", "group"),
                np.median(groups, -1),
                {"long_name": "median over 50 problems", "units": "trials"},
            ),
            "frac_fast": (
                ("network", "group"),
                (groups <= 10).mean(-1),
                {"long_name": "fraction solved in <= 10 trials", "units": "1"},
            ),
        },
        coords={
            "network": ("network", np.array(seeds, dtype=np.int64), {"long_name": "seed"}),
            "problem": ("problem", np.arange(1, n_prob + 1, dtype=np.int64)),
            "group": ("group", np.arange(1, n_groups + 1, dtype=np.int64), {"long_name": "50-problem group (1: problems 2-51)"}),
        },
    )
    if n_groups >= 2:
        last_first = groups[:, -1].mean(-1) / groups[:, 0].mean(-1)
        ds["ratio_last_first"] = (
            ("network",),
            last_first,
            {"long_name": "mean of the last 50-problem group / mean of problems 2-51", "units": "1"},
        )
        ds["ratio_last_first_median"] = (
            (),
            float(np.median(last_first)),
            {"long_name": "median over networks of ratio_last_first", "units": "1"},
        )
        ds["ratio_g2_g1"] = (
            ("network",),
            groups[:, 1].mean(-1) / groups[:, 0].mean(-1),
            {"long_name": "mean(problems 52-101) / mean(problems 2-51)", "units": "1"},
        )
    return ds


# ------------------------------------------------------------------------------------- Figs. 5/6
def vfc_problem(
    w_new: Mapping[str, np.ndarray], w_old: Mapping[str, np.ndarray], images: np.ndarray, params: Params
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Vector-field-change decomposition of one problem (``figs5and6.m``).

    Parameters
    ----------
    w_new, w_old : mapping
        Weights after problem p and after problem p - 1.
    images : numpy.ndarray
        ``(2, n_pixels)`` images of problem p.
    params : Params
        ``alpha`` and timing.

    Returns
    -------
    vfc : numpy.ndarray
        ``(9,)`` row of the VFC table (order of :data:`VFC_COLUMNS`).
    grams : dict
        Gram matrices (``N x N``) of the 4000 vectors ``W_par``, ``W_perp``, ``S_par``, ``S_perp``,
        ``dZdir`` for single-problem and group participation ratios.
    """
    a = params.alpha
    w = {k: np.asarray(v, np.float64) for k, v in w_new.items()}
    w0 = {k: np.asarray(v, np.float64) for k, v in w_old.items()}
    u = _inputs(np.asarray(images, np.float64), params)
    r = _run(w, u, w["h0"], params)[:, :-1]  # pre-update states, start = new network's h0
    r0 = _run(w0, u, w["h0"], params)[:, :-1]
    in_old = u @ w0["w_in"] + w0["b"]
    old_r = softplus(in_old + r @ w0["w_rec"])
    d_i = u @ (w["w_in"] - w0["w_in"]) + r @ (w["w_rec"] - w0["w_rec"]) + (w["b"] - w0["b"])
    vfc_w = a * (softplus(u @ w["w_in"] + w["b"] + r @ w["w_rec"]) - old_r)
    vfc_s = a * (-r + r0 + old_r - softplus(in_old + r0 @ w0["w_rec"]))
    dz = vfc_w + vfc_s
    norm_dz = np.linalg.norm(dz, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):  # dZ = 0 gives NaN as in MATLAB
        d = dz / norm_dz[..., None]
    w_par = np.sum(vfc_w * d, -1, keepdims=True) * d
    s_par = np.sum(vfc_s * d, -1, keepdims=True) * d
    w_perp, s_perp = vfc_w - w_par, vfc_s - s_par

    def mnorm(x: np.ndarray) -> float:
        return float(np.linalg.norm(x, axis=-1).mean())

    vfc = np.array(
        [
            mnorm(d_i),
            mnorm(vfc_w),
            mnorm(vfc_s),
            float(np.linalg.norm(w["w_rec"] - w0["w_rec"])),
            float(norm_dz.mean()),
            mnorm(w_par),
            -mnorm(w_perp),
            mnorm(s_par),
            mnorm(s_perp),
        ]
    )
    grams = {}
    for name, x in (("W_par", w_par), ("W_perp", w_perp), ("S_par", s_par), ("S_perp", s_perp), ("dZdir", d)):
        flat = x.reshape(-1, x.shape[-1])
        grams[name] = flat.T @ flat
    return vfc, grams


def vfc_network(history: Sequence[Mapping[str, np.ndarray]], params: Params) -> dict[str, np.ndarray]:
    """Per-problem VFC table and participation ratios of one network (the expensive part of Figs. 5–6).

    Parameters
    ----------
    history : sequence
        Per-problem weights (index 0 = problem 1, each with the ``images`` of that problem).
    params : Params
        Model constants.

    Returns
    -------
    dict
        ``VFC (P-1, 9)``, ``dims_single (P-1, source, component)``, ``dimsT_single (P-1,)`` for problems
        2..P; ``dims_group (G, source, component)``, ``dimsT_group (G,)`` for the 50-problem groups
        (Gram matrices summed over the group, as ``dims_SingProb_sum`` of the original).
    """
    n_prob = len(history)
    n_groups = (n_prob - 1) // GROUP
    vfc = np.empty((n_prob - 1, 9))
    dims = np.empty((n_prob - 1, 2, 2))
    dims_t = np.empty(n_prob - 1)
    dims_g = np.full((n_groups, 2, 2), np.nan)
    dims_tg = np.full(n_groups, np.nan)
    keys = (("W_par", "W_perp"), ("S_par", "S_perp"))
    acc: dict[str, np.ndarray] = {}
    for tc in range(n_prob - 1):
        row, grams = vfc_problem(history[tc + 1], history[tc], history[tc + 1]["images"], params)
        vfc[tc] = row
        for a_ in range(2):
            for b_ in range(2):
                dims[tc, a_, b_] = participation_ratio(grams[keys[a_][b_]])
        dims_t[tc] = participation_ratio(grams["dZdir"])
        for k, g in grams.items():
            acc[k] = acc.get(k, 0.0) + g
        if (tc + 1) % GROUP == 0:
            grp = (tc + 1) // GROUP - 1
            for a_ in range(2):
                for b_ in range(2):
                    dims_g[grp, a_, b_] = participation_ratio(acc[keys[a_][b_]])
            dims_tg[grp] = participation_ratio(acc["dZdir"])
            acc = {}
    return {"VFC": vfc, "dims_single": dims, "dimsT_single": dims_t, "dims_group": dims_g, "dimsT_group": dims_tg}


def vfc_combine(
    per_network: Mapping[int, Mapping[str, np.ndarray]], convs: Mapping[int, Sequence[float]], r2_problems: int = 500
) -> xr.Dataset:
    """Figs. 5–6 dataset from the per-network results of :func:`vfc_network` and trials to criterion.

    Parameters
    ----------
    per_network : mapping
        Seed → output of :func:`vfc_network` (same number of problems for every seed).
    convs : mapping
        Seed → trials to criterion of problems 1..P.
    r2_problems : int
        Problems (from problem 2) in the R² of ‖ΔW_rec‖ vs trials (``dW_VFC``: 500).

    Returns
    -------
    xarray.Dataset
        ``VFC (network, problem, column)``, ``VFC_sum (network, group, column)``, ``dMag``,
        ``dims_single``/``dims_group (network, problem|group, source, component)``,
        ``dimsT_single``/``dimsT_group``, ``corrs (network, quantity)``, ``r2_dWrec (network)``.
    """
    seeds = sorted(per_network)
    vfc = np.stack([per_network[s]["VFC"] for s in seeds])
    n_prob = vfc.shape[1] + 1
    n_groups = (n_prob - 1) // GROUP
    stack = {
        k: np.stack([per_network[s][k] for s in seeds]) for k in ("dims_single", "dimsT_single", "dims_group", "dimsT_group")
    }
    conv = np.array([np.asarray(convs[s], np.float64)[1:n_prob] for s in seeds])
    correlated = [VFC_COLUMNS.index(c) for c in CORRELATED_COLUMNS]
    corrs = np.array([[np.corrcoef(vfc[i, :, c], conv[i])[0, 1] for c in correlated] for i in range(len(seeds))])
    m = min(r2_problems, n_prob - 1)
    dwrec = VFC_COLUMNS.index("dWrec")
    r2 = np.array([np.corrcoef(vfc[i, :m, dwrec], conv[i, :m])[0, 1] ** 2 for i in range(len(seeds))])
    vfc_sum = vfc[:, : n_groups * GROUP].reshape(len(seeds), n_groups, GROUP, len(VFC_COLUMNS)).mean(2)
    normalised = [VFC_COLUMNS.index(c) for c in DMAG_COLUMNS.values()]
    d_mag = vfc_sum[:, :, normalised] / vfc_sum[:, :1, normalised]  # group 1 (problems 2-51) is the reference
    return xr.Dataset(
        {
            "VFC": (("network", "problem", "column"), vfc, {"long_name": "vector-field-change magnitudes"}),
            "VFC_sum": (("network", "group", "column"), vfc_sum, {"long_name": "50-problem group means of VFC"}),
            "dMag": (
                ("network", "group", "quantity3"),
                d_mag,
                {"long_name": "dWrec, dCurr, WdVFC normalised to group 1", "units": "1"},
            ),
            "dims_single": (
                ("network", "problem", "source", "component"),
                stack["dims_single"],
                {"long_name": "participation ratio, single problem", "units": "1"},
            ),
            "dims_group": (
                ("network", "group", "source", "component"),
                stack["dims_group"],
                {"long_name": "participation ratio, 50-problem group", "units": "1"},
            ),
            "dimsT_single": (("network", "problem"), stack["dimsT_single"], {"long_name": "PR of dZ direction, single problem"}),
            "dimsT_group": (("network", "group"), stack["dimsT_group"], {"long_name": "PR of dZ direction, 50-problem group"}),
            "corrs": (("network", "quantity"), corrs, {"long_name": "Pearson r with trials to criterion"}),
            "r2_dWrec": (("network",), r2, {"long_name": f"R^2 of |dWrec| vs trials, problems 2-{m + 1}"}),
        },
        coords={
            "network": ("network", np.array(seeds, np.int64)),
            "problem": ("problem", np.arange(2, n_prob + 1, dtype=np.int64)),
            "group": ("group", np.arange(1, n_groups + 1, dtype=np.int64)),
            "column": ("column", list(VFC_COLUMNS)),
            "quantity": ("quantity", list(CORRELATED_COLUMNS)),
            "quantity3": ("quantity3", list(DMAG_COLUMNS)),
            "source": ("source", ["weight", "state"]),
            "component": ("component", ["par", "perp"]),
        },
    )


def vfc_analysis(
    histories: Mapping[int, Sequence[Mapping[str, np.ndarray]]],
    convs: Mapping[int, Sequence[float]],
    params: Params,
    r2_problems: int = 500,
) -> xr.Dataset:
    """VFC tables, dimensionalities and correlations with learning speed (Figs. 5 and 6).

    :func:`vfc_network` of every seed's ``histories`` combined by :func:`vfc_combine` (see both).
    """
    return vfc_combine({s: vfc_network(h, params) for s, h in histories.items()}, convs, r2_problems)


# ----------------------------------------------------------------------------------------- Fig. 2
def _uncentred_loadings(x: np.ndarray, k: int) -> np.ndarray:
    """First k loadings (right singular vectors) of samples ``x (n, N)``, signs fixed."""
    evals, evecs = np.linalg.eigh(x.T @ x)
    v = evecs[:, np.argsort(evals)[::-1][:k]]
    idx = np.abs(v).argmax(0)
    return v * np.sign(v[idx, np.arange(k)])


def decision_subspace(
    history: Sequence[Mapping[str, np.ndarray]], params: Params, problems: Sequence[int], decimate: int = 10
) -> xr.Dataset:
    """Decision and stimulus subspaces and output currents of one network (``fig2.m``).

    Parameters
    ----------
    history : sequence
        Per-problem weights (index 0 = problem 1) with ``images``.
    params : Params
        Model constants.
    problems : sequence of int
        1-based problems analysed (original: 2..51).
    decimate : int
        Keep every ``decimate``-th time step in the returned trajectories.

    Returns
    -------
    xarray.Dataset
        ``power_share`` (uncentred power of all single-problem trajectories inside the 4-D
        decision subspace), trajectories ``mean_decision (time, pc)``, ``residual_decision``,
        ``stimulus_component (stim, time, pc)`` (means over problems), and output currents
        ``current_mean``/``current_sem (kind, stim, output, time)``.
    """
    rates = np.stack([simulate_problem(history[p - 1], history[p - 1]["images"], params) for p in problems])
    n_p, _, n_t, n = rates.shape  # (problem, stim, T, N)
    means = rates.mean(0)  # (stim, T, N)
    lv_dec = _uncentred_loadings(means.reshape(-1, n), 4)
    proj = lv_dec @ lv_dec.T
    dec = rates @ proj
    stim = rates - dec
    lv_stim = _uncentred_loadings(stim.reshape(-1, n), 3)
    share = float(np.sum(dec**2) / np.sum(rates**2))
    mean_dec = dec.mean(1, keepdims=True)  # mean over the two trials, per problem
    resid = dec - mean_dec
    w_out = np.stack([np.asarray(history[p - 1]["w_out"], np.float64) for p in problems])  # (problem, N, 3)
    kinds = np.stack(
        [
            np.broadcast_to(mean_dec, dec.shape) @ w_out[:, None],
            resid @ w_out[:, None],
            stim @ w_out[:, None],
        ]
    )  # (kind, problem, stim, T, 3)
    sl = slice(None, None, decimate)
    kinds = kinds[:, :, :, sl, :2]
    time = np.arange(n_t, dtype=np.float64)[sl] + 1.0
    return xr.Dataset(
        {
            "power_share": ((), share, {"long_name": "share of uncentred power in the decision subspace", "units": "1"}),
            "mean_decision": (
                ("time", "pc"),
                (mean_dec.mean(0)[0] @ lv_dec[:, :3])[sl],
                {"long_name": "mean decision component, decision PCs 1-3"},
            ),
            "residual_decision": (
                ("stim", "time", "pc"),
                (resid.mean(0) @ lv_dec[:, :3])[:, sl],
                {"long_name": "residual decision component, decision PCs 1-3"},
            ),
            "stimulus_component": (
                ("stim", "time", "pc"),
                (stim.mean(0) @ lv_stim)[:, sl],
                {"long_name": "stimulus component, stimulus PCs 1-3"},
            ),
            "current_mean": (
                ("kind", "stim", "time", "output"),
                kinds.mean(1),
                {"long_name": "current onto outputs 1-2, mean over problems"},
            ),
            "current_sem": (
                ("kind", "stim", "time", "output"),
                kinds.std(1, ddof=1) / np.sqrt(n_p),
                {"long_name": "current onto outputs 1-2, SEM over problems"},
            ),
        },
        coords={
            "time": ("time", time, {"units": "ms"}),
            "pc": ("pc", np.arange(1, 4, dtype=np.int64)),
            "stim": ("stim", np.arange(2, dtype=np.int64)),
            "kind": ("kind", ["mean_decision", "residual_decision", "stimulus"]),
            "output": ("output", np.arange(1, 3, dtype=np.int64)),
        },
        attrs={"problems": f"{problems[0]}-{problems[-1]}"},
    )


# ----------------------------------------------------------------------------------------- Fig. 3
def perturbation_summary(runs: Mapping[tuple[int, str], Sequence[float]], params: Params) -> xr.Dataset:
    """Trials to criterion of problem 1 and of perturbed problems per condition (``fig3.m``).

    Parameters
    ----------
    runs : mapping
        ``(seed, condition)`` → trials to criterion of all problems of that run.
    params : Params
        ``pert_base_problems``, ``pert_max_trials``.

    Returns
    -------
    xarray.Dataset
        ``trials (network, condition)``: problem 1 (control run) and the mean over the perturbed
        problems for ``frozen`` (control), ``ds``, ``ss``; capped (NaN) problems count as
        ``pert_max_trials`` (a lower bound), their number is in ``n_capped``.
    """
    seeds = sorted({s for s, _ in runs})
    labels = {"control": "frozen", "ds": "ds", "ss": "ss"}  # run -> the condition its perturbed problems measure
    column = {c: i for i, c in enumerate(PERTURBATION_CONDITIONS)}
    trials = np.empty((len(seeds), len(PERTURBATION_CONDITIONS)))
    capped = np.zeros((len(seeds), len(PERTURBATION_CONDITIONS)), np.int64)
    per_problem = np.empty((len(seeds), len(labels), params.pert_problems))
    for i, s in enumerate(seeds):
        trials[i, column["problem1"]] = runs[(s, "control")][0]
        for j, (run, cond) in enumerate(labels.items()):
            c = np.asarray(runs[(s, run)], np.float64)[params.pert_base_problems :]
            capped[i, column[cond]] = int(np.isnan(c).sum())
            c = np.where(np.isnan(c), params.pert_max_trials, c)
            per_problem[i, j] = c
            trials[i, column[cond]] = c.mean()
    return xr.Dataset(
        {
            "ratio_ds_frozen": (
                ("network",),
                trials[:, column["ds"]] / trials[:, column["frozen"]],
                {"long_name": "mean D->S / mean frozen read-out", "units": "1"},
            ),
            "ratio_ds_ss": (
                ("network",),
                trials[:, column["ds"]] / trials[:, column["ss"]],
                {"long_name": "mean D->S / mean S->S", "units": "1"},
            ),
            "trials": (("network", "condition"), trials, {"long_name": "trials to criterion", "units": "trials"}),
            "n_capped": (("network", "condition"), capped, {"long_name": "perturbed problems hitting the cap"}),
            "per_problem": (
                ("network", "perturbed", "pert_problem"),
                per_problem,
                {"long_name": "trials to criterion of each perturbed problem", "units": "trials"},
            ),
        },
        coords={
            "network": ("network", np.array(seeds, np.int64)),
            "condition": ("condition", list(PERTURBATION_CONDITIONS)),
            "perturbed": ("perturbed", list(labels.values())),
            "pert_problem": ("pert_problem", np.arange(1, params.pert_problems + 1, dtype=np.int64)),
        },
    )


# ----------------------------------------------------------------------------------------- Fig. 7
def _top_loading(x: np.ndarray) -> tuple[np.ndarray, float]:
    """First uncentred-PCA loading of samples ``x (n, N)`` and their participation ratio."""
    gram = x.T @ x
    evals, evecs = np.linalg.eigh(gram)
    v = evecs[:, -1]
    return v * np.sign(v[np.abs(v).argmax()]), participation_ratio(gram)


def cvfc_problem(history: Sequence[Mapping[str, np.ndarray]], p: int, params: Params, window: int = 250) -> dict[str, np.ndarray]:
    """Cross-problem vector-field changes of problem ``p`` against problems p-1..1 (``fig7.m``).

    Parameters
    ----------
    history : sequence
        Per-problem weights (index 0 = problem 1) with ``images``.
    p : int
        1-based problem (>= 2).
    params : Params
        Model constants.
    window : int
        Window length in steps (250 ms → 8 windows).

    Returns
    -------
    dict
        ``mag (window, lag)``: mean |CVFC · perp mode| for lags 1..p-1 (lag = p - q);
        ``sup (2, window)``: suppression along the parallel and orthogonal modes (q = 1);
        ``dims (window, 2)``: PRs of the parallel and orthogonal weight-driven VFCs.
        Modes come from pre-update states; CVFCs use post-update states with the same step's
        input (one-step offset of the original ``fig7.m``).
    """
    a = params.alpha
    f64 = lambda w: {k: np.asarray(v, np.float64) for k, v in w.items()}  # noqa: E731
    w, w0 = f64(history[p - 1]), f64(history[p - 2])
    u = _inputs(np.asarray(w["images"], np.float64), params)
    traj = _run(w, u, w["h0"], params)
    r, r_post = traj[:, :-1], traj[:, 1:]
    r0 = _run(w0, u, w["h0"], params)[:, :-1]
    old_r = softplus(u @ w0["w_in"] + w0["b"] + r @ w0["w_rec"])
    vfc_w = a * (softplus(u @ w["w_in"] + w["b"] + r @ w["w_rec"]) - old_r)
    vfc_s = a * (-r + r0 + old_r - softplus(u @ w0["w_in"] + w0["b"] + r0 @ w0["w_rec"]))
    dz = vfc_w + vfc_s
    with np.errstate(invalid="ignore", divide="ignore"):
        d = dz / np.linalg.norm(dz, axis=-1, keepdims=True)
    w_par = np.sum(vfc_w * d, -1, keepdims=True) * d
    w_perp = vfc_w - w_par
    window = min(window, params.n_steps)  # short test trials: one window
    n_win = params.n_steps // window
    n = r.shape[-1]

    def windows(x: np.ndarray) -> np.ndarray:  # (2, T, N) -> (win, 2 * window, N)
        return x[:, : n_win * window].reshape(2, n_win, window, n).transpose(1, 0, 2, 3).reshape(n_win, -1, n)

    par_w, perp_w = windows(w_par), windows(w_perp)
    modes = np.empty((2, n_win, n))
    dims = np.empty((n_win, 2))
    for k in range(n_win):
        modes[0, k], dims[k, 0] = _top_loading(par_w[k])
        modes[1, k], dims[k, 1] = _top_loading(perp_w[k])
    new_term = softplus(u @ w["w_in"] + w["b"] + r_post @ w["w_rec"])

    def vfc_against(wq: Mapping[str, np.ndarray]) -> np.ndarray:
        return windows(a * (new_term - softplus(u @ wq["w_in"] + wq["b"] + r_post @ wq["w_rec"])))

    mag = np.empty((n_win, p - 1))
    for lag in range(1, p):
        vfc = vfc_against(f64(history[p - 1 - lag]))
        mag[:, lag - 1] = np.abs(np.einsum("wsn,wn->ws", vfc, modes[1])).mean(1)
    vfc1 = vfc_against(f64(history[0]))
    vfc0 = vfc_against(w0)
    sup = np.empty((2, n_win))
    for c in range(2):
        proj1 = np.einsum("wsn,wn->ws", vfc1, modes[c]).reshape(n_win, 2, window)
        proj0 = np.einsum("wsn,wn->ws", vfc0, modes[c]).reshape(n_win, 2, window)
        proj1 = proj1 * np.sign(proj1.mean(-1, keepdims=True))  # sign-correct each trial
        proj0 = proj0 * np.sign(proj0.mean(-1, keepdims=True))
        sup[c] = (proj1 - proj0).mean(axis=(1, 2))
    return {"mag": mag, "sup": sup, "dims": dims}


def cvfc_network(history: Sequence[Mapping[str, np.ndarray]], params: Params, last_problem: int = 501) -> dict[str, np.ndarray]:
    """Cross-problem vector-field changes of one network over problems 2..``last_problem`` (Fig. 7).

    Returns
    -------
    dict
        ``cvfc_group (G, lag)``: window- and problem-mean CVFC magnitude along the orthogonal mode per
        50-problem group (NaN where the lag does not exist); ``cvfc_sup (component, P-1)``;
        ``dims (P-1, component)`` (window means), for problems 2..min(``last_problem``, P).
    """
    n_prob = min(last_problem, len(history))
    n_groups = max((n_prob - 1) // GROUP, 1)
    group = np.full((n_groups, n_prob - 1), np.nan)
    sup = np.empty((2, n_prob - 1))
    dims = np.empty((n_prob - 1, 2))
    mags = np.full((n_prob - 1, n_prob - 1), np.nan)  # (problem, lag)
    for p in range(2, n_prob + 1):
        out = cvfc_problem(history, p, params)
        mags[p - 2, : p - 1] = out["mag"].mean(0)
        sup[:, p - 2] = out["sup"].mean(1)
        dims[p - 2] = out["dims"].mean(0)
    for g in range(n_groups):
        block = mags[g * GROUP : (g + 1) * GROUP]
        with np.errstate(invalid="ignore"):
            counts = np.isfinite(block).sum(0)
            group[g] = np.where(counts > 0, np.nansum(block, 0) / np.maximum(counts, 1), np.nan)
    return {"cvfc_group": group, "cvfc_sup": sup, "dims": dims}


def cvfc_combine(per_network: Mapping[int, Mapping[str, np.ndarray]]) -> xr.Dataset:
    """Fig. 7 dataset from the per-network results of :func:`cvfc_network` (same problems for every seed)."""
    seeds = sorted(per_network)
    group = np.stack([per_network[s]["cvfc_group"] for s in seeds])
    n_groups, n_prob = group.shape[1], group.shape[2] + 1
    return xr.Dataset(
        {
            "cvfc_group": (
                ("network", "group", "lag"),
                group,
                {"long_name": "mean |CVFC along the orthogonal mode| per 50-problem group"},
            ),
            "cvfc_sup": (
                ("network", "component", "problem"),
                np.stack([per_network[s]["cvfc_sup"] for s in seeds]),
                {"long_name": "CVFC suppression (problem 1 vs previous problem), window mean"},
            ),
            "dims": (
                ("network", "problem", "component"),
                np.stack([per_network[s]["dims"] for s in seeds]),
                {"long_name": "participation ratio of weight-driven VFC components, window mean"},
            ),
        },
        coords={
            "network": ("network", np.array(seeds, np.int64)),
            "group": ("group", np.arange(1, n_groups + 1, dtype=np.int64)),
            "lag": ("lag", np.arange(1, n_prob, dtype=np.int64), {"long_name": "problems back"}),
            "problem": ("problem", np.arange(2, n_prob + 1, dtype=np.int64)),
            "component": ("component", ["par", "perp"]),
        },
    )


def cvfc_analysis(
    histories: Mapping[int, Sequence[Mapping[str, np.ndarray]]], params: Params, last_problem: int = 501
) -> xr.Dataset:
    """Cross-problem vector-field changes over problems 2..``last_problem`` (Fig. 7).

    :func:`cvfc_network` of every seed combined by :func:`cvfc_combine`; every seed is cut to the
    shortest history.
    """
    last = min(last_problem, min(len(h) for h in histories.values()))
    return cvfc_combine({s: cvfc_network(h, params, last) for s, h in histories.items()})
