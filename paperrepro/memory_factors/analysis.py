"""Statistics of the memory-factors figures, computed from a network table (no training, no file access).

The input of every function is a *network table*: an :class:`xarray.Dataset` with dimension ``network`` and the
coordinates ``condition``, ``task``, ``first_task``, ``lambda0``, ``sigma0``, ``rho``, ``job`` and ``seed``, and the
variables ``SI`` (NaN for a network that failed the pass filter), ``SI_unfiltered``, ``SI_entropy``, ``SI_logr2b``,
``infloss_test`` and ``passed`` (see :func:`paperrepro.memory_factors.results.collect`, which also adds per-unit peak
times, weight profiles and training curves). The statistics are those the paper reports for its maps and
condition comparisons:

* :func:`condition_delta`: Delta SI = SI(condition) - SI(basic partner) per pair (same task, lambda0, sigma0 and
  seed; multitask: task B after task A against task B alone); per task the number of networks, pass fractions of both
  arms, the number of pairs where both pass, mean +- s.e.m. and median Delta SI, the two-sided Wilcoxon signed-rank p
  over pairs and the direction (sign of the mean). Failed networks are never dropped silently: every pair stays in the
  data with its SI (NaN when failed) and the pass fractions are reported beside the statistics.
* :func:`coupling_data`: SI of the basic networks over lambda0 x sigma0 per task, with Spearman rank correlations of
  SI with sigma0 and with lambda0 over the passing networks.
* :func:`si_by_task_data`: mean +- s.e.m. SI per task over the passing basic networks, for every task trained.
* :func:`pass_table`: networks trained and passing (test information loss < 0.5) per condition and task.
* :func:`effects_summary`: the condition x task table of the paired statistics and pass fractions in one dataset.
* :func:`si_by_rho`: mean SI per task and L2 coefficient rho over the grid points trained at every rho.
* :func:`weight_profile`, :func:`raster`, :func:`example_networks`: the mechanism and example-raster reductions.

:data:`PAPER_DIRECTIONS` holds the directions attributed to the paper; see ``docs/memory_factors.md`` for their
provenance (none could be verified against the paper's text).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.stats import spearmanr, wilcoxon

from .sequentiality import peak_order

#: fewest pairs for a Wilcoxon signed-rank p (with 5 pairs the smallest two-sided exact p is 2 / 2**5 = 0.0625)
MIN_WILCOXON_PAIRS = 5
#: fewest passing networks for a Spearman correlation
MIN_SPEARMAN = 3
#: two-sided significance level at which a direction counts as shown (``effects_summary``'s agreement column)
SIGNIFICANCE = 0.05
#: the per-task statistics of :func:`condition_delta`, gathered over conditions by :func:`effects_summary`
EFFECT_STATISTICS: tuple[str, ...] = (
    "n_networks",
    "pass_fraction_condition",
    "pass_fraction_basic",
    "n_pairs",
    "delta_mean",
    "delta_sem",
    "delta_median",
    "wilcoxon_p",
    "direction",
)
#: direction of Delta SI attributed to the paper per condition (-1: more persistent, +1: more sequential; None: no
#: direction known). Recalled from the bioRxiv preprint's abstract (244707), NOT verified against the paper: the
#: published abstract (Nat Neurosci 22:275) only says that sequential and nearly persistent solutions form a spectrum
#: that emerges under different conditions. The reference checks built on them are ``severity: unverified``.
PAPER_DIRECTIONS: dict[str, int | None] = {
    "hebbian": -1,
    "tethered": None,
    "dynamic_input": +1,
    "variable_delay": -1,
    "multitask": +1,
}


def attrs(da: xr.DataArray, long_name: str, units: str = "1") -> xr.DataArray:
    """Set the CF attributes ``long_name`` and ``units`` of ``da``.

    Parameters
    ----------
    da
        The array, changed in place.
    long_name, units
        Its description and unit (``"1"``: dimensionless).

    Returns
    -------
    xr.DataArray
        ``da`` itself.
    """
    da.attrs.update(long_name=long_name, units=units)
    return da


def sem(x: np.ndarray) -> float:
    """Standard error of the mean of the finite values of ``x``.

    Parameters
    ----------
    x
        Values; NaN and +-inf are left out.

    Returns
    -------
    float
        ``std(x, ddof=1) / sqrt(n)`` over the ``n`` finite values; NaN when fewer than two are finite.
    """
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(np.std(x, ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")


def _mean(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.mean(x[np.isfinite(x)])) if np.isfinite(x).any() else float("nan")


def select_networks(table: xr.Dataset, keep: np.ndarray) -> xr.Dataset:
    """The rows of a network table where the boolean mask ``keep`` (one value per network) is true.

    Parameters
    ----------
    table
        A network table (dimension ``network``).
    keep
        Boolean mask over ``network``, e.g. ``table["passed"].values == 1``.

    Returns
    -------
    xr.Dataset
        The selected networks, in table order, with their ``network`` labels.
    """
    return table.isel(network=np.flatnonzero(np.asarray(keep, dtype=bool)))


def basic_networks(table: xr.Dataset) -> xr.Dataset:
    """The basic networks without L2 (condition ``basic``, rho = 0).

    Parameters
    ----------
    table
        A network table.

    Returns
    -------
    xr.Dataset
        Its basic rho = 0 rows, failed ones included.
    """
    return select_networks(table, (table["condition"].values == "basic") & (table["rho"].values == 0.0))


def task_label(task: str, first_task: str) -> str:
    """The label of a network's task: ``"2AFC"``, or ``"COMP-2AFC"`` for task B (2AFC) trained after task A (COMP).

    Parameters
    ----------
    task
        The analysed task (task B of a multitask network).
    first_task
        Task A of a multitask network; ``""`` otherwise.

    Returns
    -------
    str
        ``task``, or ``"<first_task>-<task>"``.
    """
    return f"{first_task}-{task}" if first_task else str(task)


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman rank correlation of ``y`` with ``x`` over the points where both are finite.

    Parameters
    ----------
    x, y
        Paired values, e.g. sigma0 and SI of each network (SI is NaN for a failed network, which leaves it out).

    Returns
    -------
    rho, p
        :func:`scipy.stats.spearmanr` statistic and two-sided p; both NaN with fewer than :data:`MIN_SPEARMAN`
        finite pairs or when ``x`` or ``y`` is constant over them.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(y) & np.isfinite(x)
    if ok.sum() < MIN_SPEARMAN or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return float("nan"), float("nan")
    result = spearmanr(x[ok], y[ok])
    return float(result.statistic), float(result.pvalue)


def wilcoxon_p(d: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p of paired differences.

    Parameters
    ----------
    d
        Paired differences, e.g. Delta SI per pair; NaN (a failed arm) is left out.

    Returns
    -------
    float
        :func:`scipy.stats.wilcoxon` p (default zero handling, exact distribution for small samples without ties);
        NaN with fewer than :data:`MIN_WILCOXON_PAIRS` finite differences or when all are zero.
    """
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    if d.size < MIN_WILCOXON_PAIRS or not np.any(d != 0):
        return float("nan")
    return float(wilcoxon(d).pvalue)


# -------------------------------------------------------------------------------------------------- coupling
def coupling_data(table: xr.Dataset) -> xr.Dataset:
    """SI of the basic networks against coupling (sigma0) and self-coupling (lambda0), per task.

    Parameters
    ----------
    table
        A network table; only its basic rho = 0 networks are used.

    Returns
    -------
    xr.Dataset
        ``si`` and ``infloss`` (task, lambda0, sigma0; NaN where no network or failed), ``passed``; per task
        ``spearman_si_sigma0`` / ``spearman_p_sigma0`` and ``spearman_si_lambda0`` / ``spearman_p_lambda0`` over the
        passing networks (all seeds), ``n_networks``, ``n_passed`` and ``pass_fraction``.
    """
    basic = basic_networks(table)
    tasks = list(dict.fromkeys(basic["task"].values.astype(str)))
    lam = np.unique(basic["lambda0"].values)
    sig = np.unique(basic["sigma0"].values)
    si = np.full((len(tasks), lam.size, sig.size), np.nan)
    infloss = np.full_like(si, np.nan)
    passed = np.zeros(si.shape, dtype=np.int8)
    stats = {name: [] for name in ("rs", "ps", "rl", "pl", "n", "np")}
    for i, task in enumerate(tasks):
        sel = basic.isel(network=np.flatnonzero(basic["task"].values == task))
        li = np.searchsorted(lam, sel["lambda0"].values)
        si_ = np.searchsorted(sig, sel["sigma0"].values)
        cells: dict[tuple[int, int], list] = {}
        for a, b, s_val, inf, ok in zip(li, si_, sel["SI"].values, sel["infloss_test"].values, sel["passed"].values, strict=True):
            cells.setdefault((a, b), []).append((s_val, inf, ok))
        for (a, b), values in cells.items():  # several seeds at one point: mean of the passing ones, pass count
            si[i, a, b] = _mean([v[0] for v in values])
            infloss[i, a, b] = _mean([v[1] for v in values])
            passed[i, a, b] = sum(int(v[2]) for v in values)
        rs, ps = spearman(sel["sigma0"].values, sel["SI"].values)
        rl, pl = spearman(sel["lambda0"].values, sel["SI"].values)
        for name, value in zip(
            ("rs", "ps", "rl", "pl", "n", "np"), (rs, ps, rl, pl, sel.sizes["network"], int(sel["passed"].sum())), strict=True
        ):
            stats[name].append(value)
    dims = ("task", "lambda0", "sigma0")
    ds = xr.Dataset(coords={"task": tasks, "lambda0": lam.astype(np.float64), "sigma0": sig.astype(np.float64)})
    ds["si"] = attrs(xr.DataArray(si, dims=dims), "mean SI of the passing networks (NaN: none passed)")
    ds["infloss"] = attrs(xr.DataArray(infloss, dims=dims), "mean test fractional information loss")
    ds["passed"] = attrs(xr.DataArray(passed, dims=dims), "passing networks at the grid point")
    ds["n_networks"] = attrs(xr.DataArray(np.asarray(stats["n"], np.int32), dims="task"), "basic networks trained")
    ds["n_passed"] = attrs(
        xr.DataArray(np.asarray(stats["np"], np.int32), dims="task"), "basic networks passing (test information loss < 0.5)"
    )
    ds["pass_fraction"] = attrs(ds["n_passed"] / ds["n_networks"], "fraction of basic networks passing")
    ds["spearman_si_sigma0"] = attrs(
        xr.DataArray(stats["rs"], dims="task"), "Spearman rank correlation of SI with sigma0 (passing networks)"
    )
    ds["spearman_p_sigma0"] = attrs(xr.DataArray(stats["ps"], dims="task"), "two-sided p of the sigma0 correlation")
    ds["spearman_si_lambda0"] = attrs(
        xr.DataArray(stats["rl"], dims="task"), "Spearman rank correlation of SI with lambda0 (passing networks)"
    )
    ds["spearman_p_lambda0"] = attrs(xr.DataArray(stats["pl"], dims="task"), "two-sided p of the lambda0 correlation")
    return ds


# -------------------------------------------------------------------------------------------------- si_by_task
def si_by_task_data(table: xr.Dataset) -> xr.Dataset:
    """Mean +- s.e.m. SI per task over the passing basic networks, for every task trained.

    Parameters
    ----------
    table
        A network table; only its basic rho = 0 networks are used.

    Returns
    -------
    xr.Dataset
        ``si_mean``, ``si_sem``, ``n_passed``, ``n_networks``, ``pass_fraction`` (task) and ``si_difference``
        (contrast: every task minus 2AFC and minus DE-1, where trained).
    """
    basic = basic_networks(table)
    tasks = list(dict.fromkeys(basic["task"].values.astype(str)))
    si = {t: basic["SI"].values[basic["task"].values == t] for t in tasks}
    ds = xr.Dataset(coords={"task": tasks})
    ds["si_mean"] = attrs(xr.DataArray([_mean(si[t]) for t in tasks], dims="task"), "mean SI of passing networks")
    ds["si_sem"] = attrs(xr.DataArray([sem(si[t]) for t in tasks], dims="task"), "s.e.m. of SI")
    ds["n_passed"] = attrs(
        xr.DataArray(np.asarray([np.isfinite(si[t]).sum() for t in tasks], np.int32), dims="task"), "passing networks"
    )
    ds["n_networks"] = attrs(xr.DataArray(np.asarray([si[t].size for t in tasks], np.int32), dims="task"), "networks trained")
    ds["pass_fraction"] = attrs(ds["n_passed"] / ds["n_networks"], "fraction of networks passing")
    contrasts = [(t, ref) for ref in ("2AFC", "DE-1") if ref in tasks for t in tasks if t != ref]
    ds["si_difference"] = attrs(
        xr.DataArray(
            [float(ds["si_mean"].sel(task=t) - ds["si_mean"].sel(task=ref)) for t, ref in contrasts],
            dims="contrast",
            coords={"contrast": [f"{t} - {ref}" for t, ref in contrasts]},
        ),
        "difference of mean SI",
    )
    return ds


# ------------------------------------------------------------------------------------------ condition effects
def effect_long_names(condition: str) -> dict[str, str]:
    """The ``long_name`` of every per-task statistic of :func:`condition_delta`.

    Parameters
    ----------
    condition
        The condition named in the pass-fraction description.

    Returns
    -------
    dict
        Statistic (:data:`EFFECT_STATISTICS`) -> its description.
    """
    return {
        "n_networks": "condition networks trained",
        "pass_fraction_condition": f"fraction of {condition} networks passing",
        "pass_fraction_basic": "fraction of basic partners passing",
        "n_pairs": "pairs where both pass",
        "delta_mean": "mean Delta SI",
        "delta_sem": "s.e.m. of Delta SI",
        "delta_median": "median Delta SI",
        "wilcoxon_p": f"two-sided Wilcoxon signed-rank p (NaN: < {MIN_WILCOXON_PAIRS} pairs)",
        "direction": "sign of the mean Delta SI (+1 more sequential, -1 more persistent)",
    }


def condition_delta(table: xr.Dataset, condition: str) -> xr.Dataset:
    """Paired Delta SI of ``condition`` against its basic partners, with per-task statistics.

    A pair is a condition network and the basic (rho = 0) network with the same task (multitask: task B), lambda0,
    sigma0 and seed. Every pair is kept, failed arms with SI NaN; statistics use the pairs where both arms pass.

    Parameters
    ----------
    table
        A network table with the condition's networks and their basic partners.
    condition
        ``"hebbian"``, ``"tethered"``, ``"dynamic_input"``, ``"variable_delay"`` or ``"multitask"``.

    Returns
    -------
    xr.Dataset
        Per pair: ``si_condition``, ``si_basic``, ``delta_si``, ``passed_condition``, ``passed_basic``; per task
        (``task_summary``): ``n_networks``, ``pass_fraction_condition``, ``pass_fraction_basic``, ``n_pairs``,
        ``delta_mean``, ``delta_sem``, ``delta_median``, ``wilcoxon_p``, ``direction`` (sign of the mean, 0 when
        undefined) and ``paper_direction`` (:data:`PAPER_DIRECTIONS`; 0 when none is known).
    """
    basic = basic_networks(table)
    partner = {
        (str(t), float(la), float(s), int(seed)): (float(v), int(ok))
        for t, la, s, seed, v, ok in zip(
            basic["task"].values,
            basic["lambda0"].values,
            basic["sigma0"].values,
            basic["seed"].values,
            basic["SI"].values,
            basic["passed"].values,
            strict=True,
        )
    }
    sel = table.isel(network=np.flatnonzero(table["condition"].values == condition))
    rows = []
    for t, first, la, s, seed, v, ok in zip(
        sel["task"].values,
        sel["first_task"].values,
        sel["lambda0"].values,
        sel["sigma0"].values,
        sel["seed"].values,
        sel["SI"].values,
        sel["passed"].values,
        strict=True,
    ):
        base_si, base_ok = partner.get((str(t), float(la), float(s), int(seed)), (np.nan, 0))
        rows.append((task_label(str(t), str(first)), float(la), float(s), int(seed), float(v), int(ok), base_si, base_ok))
    pair = np.arange(len(rows))
    column = list(zip(*rows, strict=True)) if rows else [[] for _ in range(8)]
    ds = xr.Dataset(
        coords={
            "pair": pair,
            "task": ("pair", np.asarray(column[0], dtype=str)),
            "lambda0": ("pair", np.asarray(column[1], np.float64)),
            "sigma0": ("pair", np.asarray(column[2], np.float64)),
            "seed": ("pair", np.asarray(column[3], np.int64)),
        }
    )
    ds["si_condition"] = attrs(xr.DataArray(np.asarray(column[4], np.float64), dims="pair"), f"SI, {condition} (NaN: failed)")
    ds["passed_condition"] = attrs(
        xr.DataArray(np.asarray(column[5], np.int8), dims="pair"), f"{condition} network passes (1) or not (0)"
    )
    ds["si_basic"] = attrs(xr.DataArray(np.asarray(column[6], np.float64), dims="pair"), "SI, basic (NaN: failed)")
    ds["passed_basic"] = attrs(xr.DataArray(np.asarray(column[7], np.int8), dims="pair"), "basic partner passes (1) or not (0)")
    ds["delta_si"] = attrs(ds["si_condition"] - ds["si_basic"], f"SI({condition}) - SI(basic)")
    labels = list(dict.fromkeys(ds["task"].values.astype(str)))
    stats: dict[str, list] = {name: [] for name in EFFECT_STATISTICS}
    for label in labels:
        mask = ds["task"].values == label
        d = ds["delta_si"].values[mask]
        d = d[np.isfinite(d)]
        mean = float(d.mean()) if d.size else float("nan")
        stats["n_networks"].append(int(mask.sum()))
        stats["pass_fraction_condition"].append(float(ds["passed_condition"].values[mask].mean()))
        stats["pass_fraction_basic"].append(float(ds["passed_basic"].values[mask].mean()))
        stats["n_pairs"].append(d.size)
        stats["delta_mean"].append(mean)
        stats["delta_sem"].append(sem(d))
        stats["delta_median"].append(float(np.median(d)) if d.size else float("nan"))
        stats["wilcoxon_p"].append(wilcoxon_p(d))
        stats["direction"].append(int(np.sign(mean)) if np.isfinite(mean) else 0)
    names = effect_long_names(condition)
    ds = ds.assign_coords(task_summary=np.asarray(labels, dtype=str))
    for name, values in stats.items():
        dtype = np.int32 if name in ("n_networks", "n_pairs", "direction") else np.float64
        ds[name] = attrs(xr.DataArray(np.asarray(values, dtype=dtype), dims="task_summary"), names[name])
    paper = PAPER_DIRECTIONS.get(condition)
    ds["paper_direction"] = attrs(
        xr.DataArray(np.int32(paper or 0)), "direction attributed to the paper (recalled, unverified; 0: none known)"
    )
    ds.attrs["condition"] = condition
    return ds


def agreement(mean: float, p: float, paper: int | None) -> str:
    """Whether a mean Delta SI agrees with the paper's direction.

    Parameters
    ----------
    mean
        Mean Delta SI over pairs (NaN: no pair).
    p
        Its two-sided Wilcoxon signed-rank p (NaN: too few pairs).
    paper
        The paper's direction (+1 more sequential, -1 more persistent; ``None``: none known).

    Returns
    -------
    str
        ``"yes"`` (same sign and p < :data:`SIGNIFICANCE`), ``"sign only"`` (same sign, not significant), ``"no"``
        (opposite or zero sign) or ``"-"`` (no direction known or no pair).
    """
    if paper is None or not np.isfinite(mean):
        return "-"
    if np.sign(mean) != paper:
        return "no"
    return "yes" if p < SIGNIFICANCE else "sign only"


def effects_summary(table: xr.Dataset) -> xr.Dataset:
    """The condition x task table of the paired design: :func:`condition_delta` of every condition in one dataset.

    Parameters
    ----------
    table
        A network table; the conditions of :data:`PAPER_DIRECTIONS` that it holds are summarised.

    Returns
    -------
    xr.Dataset
        Over (condition, task): the statistics of :data:`EFFECT_STATISTICS` (NaN, or -1 for the counts, where a
        condition was not trained on a task) and ``agreement`` (:func:`agreement`); over condition:
        ``paper_direction`` (0 when none is known). Multitask tasks are labelled ``A-B``.
    """
    present = set(table["condition"].values.astype(str))
    conditions = [c for c in PAPER_DIRECTIONS if c in present]
    per_condition = {c: condition_delta(table, c) for c in conditions}
    tasks = list(dict.fromkeys(t for ds in per_condition.values() for t in ds["task_summary"].values.astype(str)))
    out = xr.Dataset(coords={"condition": np.asarray(conditions, dtype=str), "task": np.asarray(tasks, dtype=str)})
    for name in EFFECT_STATISTICS:
        integer = name in ("n_networks", "n_pairs", "direction")
        values = np.full((len(conditions), len(tasks)), -1 if integer else np.nan, dtype=np.int32 if integer else np.float64)
        for i, condition in enumerate(conditions):
            ds = per_condition[condition]
            for task in ds["task_summary"].values.astype(str):
                values[i, tasks.index(task)] = ds[name].sel(task_summary=task).item()
        out[name] = attrs(xr.DataArray(values, dims=("condition", "task")), effect_long_names("condition")[name])
    out["paper_direction"] = attrs(
        xr.DataArray(np.asarray([PAPER_DIRECTIONS[c] or 0 for c in conditions], np.int32), dims="condition"),
        "direction attributed to the paper (recalled, unverified; 0: none known)",
    )
    agree = [
        [
            agreement(
                float(out["delta_mean"].sel(condition=c, task=t)),
                float(out["wilcoxon_p"].sel(condition=c, task=t)),
                PAPER_DIRECTIONS[c],
            )
            for t in tasks
        ]
        for c in conditions
    ]
    out["agreement"] = xr.DataArray(np.asarray(agree, dtype=str).reshape(len(conditions), len(tasks)), dims=("condition", "task"))
    out["agreement"].attrs["long_name"] = (
        f"agreement with the paper's direction: yes (same sign, p < {SIGNIFICANCE}), sign only, no, - (none known)"
    )
    return out


# --------------------------------------------------------------------------------------------- pass fractions
def pass_table(table: xr.Dataset) -> xr.Dataset:
    """Networks trained, passing and their fraction per condition and task (multitask: per ordering).

    Parameters
    ----------
    table
        A network table (every condition and rho).

    Returns
    -------
    xr.Dataset
        ``n_trained``, ``n_passed`` and ``pass_fraction`` over (condition, task_label); the fraction is NaN where no
        network of that condition was trained on that task.
    """
    labels = np.array(
        [task_label(t, f) for t, f in zip(table["task"].values.astype(str), table["first_task"].values.astype(str), strict=True)]
    )
    conditions = list(dict.fromkeys(table["condition"].values.astype(str)))
    tasks = list(dict.fromkeys(labels))
    n = np.zeros((len(conditions), len(tasks)), np.int32)
    ok = np.zeros_like(n)
    for c, t, p in zip(table["condition"].values.astype(str), labels, table["passed"].values, strict=True):
        n[conditions.index(c), tasks.index(t)] += 1
        ok[conditions.index(c), tasks.index(t)] += int(p)
    ds = xr.Dataset(coords={"condition": conditions, "task_label": tasks})
    ds["n_trained"] = attrs(xr.DataArray(n, dims=("condition", "task_label")), "networks trained")
    ds["n_passed"] = attrs(xr.DataArray(ok, dims=("condition", "task_label")), "networks passing")
    with np.errstate(invalid="ignore", divide="ignore"):
        ds["pass_fraction"] = attrs(
            xr.DataArray(np.where(n > 0, ok / np.maximum(n, 1), np.nan), dims=("condition", "task_label")), "fraction passing"
        )
    return ds


# ------------------------------------------------------------------------------------------------------- rho
def si_by_rho(table: xr.Dataset) -> xr.Dataset:
    """Mean SI of the passing basic networks per task and L2 coefficient rho.

    Only the grid points (lambda0, sigma0, seed) trained at every rho enter each task's means, so that every rho is
    averaged over the same networks; a task not trained at every rho is left out.

    Parameters
    ----------
    table
        A network table; only its basic networks (every rho) are used.

    Returns
    -------
    xr.Dataset
        ``si_mean`` over (task, rho); NaN where none of the common grid points passes.
    """
    basic = select_networks(table, table["condition"].values == "basic")
    rhos = sorted(set(basic["rho"].values))
    tasks = [
        t
        for t in dict.fromkeys(basic["task"].values.astype(str))
        if len(set(basic["rho"].values[basic["task"].values == t])) == len(rhos)
    ]
    mean = np.full((len(tasks), len(rhos)), np.nan)
    points = list(zip(basic["lambda0"].values, basic["sigma0"].values, basic["seed"].values, strict=True))
    for i, task in enumerate(tasks):
        is_task = basic["task"].values == task
        common = set.intersection(
            *[{g for g, ok in zip(points, is_task & (basic["rho"].values == r), strict=True) if ok} for r in rhos]
        )
        for j, r in enumerate(rhos):
            pick = is_task & (basic["rho"].values == r) & np.array([g in common for g in points])
            values = basic["SI"].values[pick]
            mean[i, j] = np.nanmean(values) if np.isfinite(values).any() else np.nan
    return xr.Dataset(
        {"si_mean": attrs(xr.DataArray(mean, dims=("task", "rho")), "mean SI of passing networks")},
        coords={"task": tasks, "rho": np.asarray(rhos, dtype=np.float64)},
    )


# ---------------------------------------------------------------------------------------- weights and rasters
def weight_profile(w_hh: np.ndarray, units: np.ndarray, max_lag: int) -> tuple[np.ndarray, float]:
    """Mean recurrent weight by peak-rank difference k = rank_post - rank_pre, and the asymmetry index.

    Parameters
    ----------
    w_hh
        Recurrent weights in Lasagne layout (row: presynaptic, column: postsynaptic).
    units
        Selected units in peak-time order.
    max_lag
        Largest |k| reported.

    Returns
    -------
    profile, asymmetry
        Mean weight for k = -max_lag..max_lag (NaN where no pair), and mean(k > 0) - mean(k < 0) over all pairs.
    """
    w = w_hh[np.ix_(units, units)].astype(np.float64)
    rank = np.arange(units.size)
    lag = rank[None, :] - rank[:, None]
    profile = np.array([w[lag == k].mean() if np.any(lag == k) else np.nan for k in range(-max_lag, max_lag + 1)])
    asym = w[lag > 0].mean() - w[lag < 0].mean() if units.size > 1 else np.nan
    return profile, float(asym)


def raster(mean_activity: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Peak-sorted, max-normalised trial-averaged activity of the units above ``threshold``.

    Parameters
    ----------
    mean_activity
        Trial-averaged activity (time, unit).
    threshold
        The SI's unit selection threshold on mean activity (the original's 0.1).

    Returns
    -------
    np.ndarray
        (selected unit, time), units in peak-time order, each divided by its maximum.
    """
    units, _ = peak_order(mean_activity, threshold)
    act = mean_activity[:, units].T
    return act / np.maximum(act.max(1, keepdims=True), np.finfo(np.float32).tiny)


def example_networks(table: xr.Dataset) -> list[int]:
    """Positions (along ``network``) of the lowest- and highest-SI passing basic network of every task.

    Parameters
    ----------
    table
        A network table.

    Returns
    -------
    list of int
        Per task in table order the lowest- then the highest-SI network (one when they coincide); ties go to the
        earlier network.
    """
    basic = np.flatnonzero((table["condition"].values == "basic") & (table["rho"].values == 0.0))
    si = table["SI"].values
    chosen: list[int] = []
    for task in dict.fromkeys(table["task"].values[basic].astype(str)):
        candidates = [int(i) for i in basic if table["task"].values[i] == task and np.isfinite(si[i])]
        if candidates:
            low = min(candidates, key=lambda i: (si[i], i))
            high = max(candidates, key=lambda i: (si[i], -i))
            chosen += [low] + ([high] if high != low else [])
    return chosen
