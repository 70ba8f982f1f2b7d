"""The data functions of the memory-factors figures: one per figure, from the run's results to the figure's dataset.

Each registered function (``coupling``, ``si_by_task``, the five condition figures, ``rho``, ``examples``,
``mechanism``, ``performance``) reads the run's network table and examples with
:func:`paperrepro.memory_factors.results.load` (the pinned results with ``source: pinned``, or the run folder,
trained on demand, with ``source: run``) and reduces them with a function of a table that needs no file and no
training: the statistics of :mod:`paperrepro.memory_factors.analysis`, or :func:`examples_data`,
:func:`mechanism_data` and :func:`performance_data` here. SI analyses use passing networks only (test information
loss < 0.5); failed networks have SI = NaN and are counted in the pass fractions that every statistic carries.
Condition effects are paired Delta SI = SI(condition) - SI(basic partner), with mean +- s.e.m., median and a
Wilcoxon signed-rank p over pairs per task. Drawing is in :mod:`paperrepro.memory_factors.plots`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paperrepro.core.config import RunContext

from . import analysis
from .analysis import attrs, basic_networks, select_networks
from .results import load


# ------------------------------------------------------------------------------------ reductions of a network table
def examples_data(table: xr.Dataset, examples: xr.Dataset, si_threshold: float) -> xr.Dataset:
    """Rasters of the example networks and the SI parts of every passing basic network.

    Parameters
    ----------
    table
        A network table.
    examples
        The examples dataset of the same results (``mean_activity`` over example, time, unit; ``example_si``,
        ``example_key``).
    si_threshold
        The SI's unit selection threshold (:class:`~paperrepro.memory_factors.params.Params` ``si_threshold``).

    Returns
    -------
    xr.Dataset
        ``raster`` (example, rank, time; NaN below the selected units of an example), ``example_si``,
        ``example_key``; over the passing basic networks ``entropy``, ``log_r2b`` and ``si``.
    """
    rasters = [analysis.raster(examples["mean_activity"].sel(example=e).values, si_threshold) for e in examples["example"].values]
    n_rank = max(max(r.shape[0] for r in rasters), 1)
    stacked = np.full((len(rasters), n_rank, examples.sizes["time"]), np.nan, dtype=np.float32)
    for i, r in enumerate(rasters):
        stacked[i, : r.shape[0]] = r
    basic = basic_networks(table)
    basic = select_networks(basic, basic["passed"].values == 1)
    ds = xr.Dataset(
        coords={
            "example": examples["example"].values,
            "rank": np.arange(n_rank),
            "time": examples["time"],
            "network": np.arange(basic.sizes["network"]),
        }
    )
    ds["raster"] = attrs(
        xr.DataArray(stacked, dims=("example", "rank", "time")),
        "trial-averaged activity / unit maximum, units sorted by peak time",
    )
    ds["example_si"] = attrs(xr.DataArray(examples["example_si"].values, dims="example"), "SI of the example network")
    ds["example_key"] = xr.DataArray(examples["example_key"].values.astype(str), dims="example")
    ds["entropy"] = attrs(xr.DataArray(basic["SI_entropy"].values, dims="network"), "peak-time entropy", "nat")
    ds["log_r2b"] = attrs(xr.DataArray(basic["SI_logr2b"].values, dims="network"), "mean log ridge-to-background")
    ds["si"] = attrs(xr.DataArray(basic["SI"].values, dims="network"), "sequentiality index")
    return ds


def mechanism_data(table: xr.Dataset) -> xr.Dataset:
    """Weight profile and asymmetry of every passing network (all conditions), with their Spearman rho against SI.

    Parameters
    ----------
    table
        A network table with ``weight_profile`` (network, lag) and ``asymmetry``.

    Returns
    -------
    xr.Dataset
        ``profile`` (network, lag), ``asymmetry`` and ``si`` of the passing networks (``key`` names each), and
        ``spearman_asymmetry_si`` with its two-sided ``spearman_p`` (:func:`~paperrepro.memory_factors.analysis.spearman`).
    """
    passing = select_networks(table, table["passed"].values == 1)
    ds = xr.Dataset(
        coords={
            "network": np.arange(passing.sizes["network"]),
            "lag": table["lag"].values,
            "key": ("network", passing["key"].values.astype(str)),
        }
    )
    ds["profile"] = attrs(
        xr.DataArray(passing["weight_profile"].values, dims=("network", "lag")),
        "mean recurrent weight by peak-rank difference",
    )
    ds["asymmetry"] = attrs(
        xr.DataArray(passing["asymmetry"].values, dims="network"), "mean weight forward (k > 0) minus backward (k < 0)"
    )
    ds["si"] = attrs(xr.DataArray(passing["SI"].values, dims="network"), "sequentiality index")
    r, p = analysis.spearman(passing["SI"].values, passing["asymmetry"].values)
    ds["spearman_asymmetry_si"] = attrs(xr.DataArray(r), "Spearman rank correlation of asymmetry with SI")
    ds["spearman_p"] = attrs(xr.DataArray(p), "two-sided p of that correlation")
    return ds


def performance_data(table: xr.Dataset, pass_threshold: float) -> xr.Dataset:
    """Test information loss, pass flag, iterations and training curve of every network, and the pass table.

    Parameters
    ----------
    table
        A network table.
    pass_threshold
        Test information loss below which a network passes (the original's 0.5), drawn with the losses.

    Returns
    -------
    xr.Dataset
        Per network ``infloss_test``, ``passed``, ``iterations``, ``extensions`` and ``infloss_train`` (network,
        iteration); :func:`~paperrepro.memory_factors.analysis.pass_table` per condition and task; ``pass_fraction_all``
        and ``pass_threshold``. Failed networks are kept.
    """
    ds = xr.Dataset(
        coords={
            "network": table["network"].values,
            "iteration": table["report"].values,
            "key": ("network", table["key"].values.astype(str)),
            "condition": ("network", table["condition"].values.astype(str)),
            "task": ("network", table["task"].values.astype(str)),
        }
    )
    for name in ("infloss_test", "passed", "iterations", "extensions"):
        ds[name] = table[name].reset_coords(drop=True)
    ds["infloss_train"] = xr.DataArray(
        table["infloss_train"].values, dims=("network", "iteration"), attrs=table["infloss_train"].attrs
    )
    ds = ds.merge(analysis.pass_table(table))
    ds["pass_fraction_all"] = attrs(xr.DataArray(float(np.mean(table["passed"].values))), "fraction of all networks passing")
    ds["pass_threshold"] = attrs(xr.DataArray(float(pass_threshold)), "test information loss below which a network passes")
    return ds


# ------------------------------------------------------------------------------------------ the figures' functions
def coupling(ctx: RunContext) -> xr.Dataset:
    """SI maps (task, lambda0, sigma0) of the basic networks with Spearman correlations (``analysis.coupling_data``)."""
    return analysis.coupling_data(load(ctx)[0])


def si_by_task(ctx: RunContext) -> xr.Dataset:
    """Mean +- s.e.m. SI of the passing basic networks of every trained task (``analysis.si_by_task_data``)."""
    return analysis.si_by_task_data(load(ctx)[0])


def hebbian(ctx: RunContext) -> xr.Dataset:
    """Paired Delta SI of the Hebbian condition against basic (``analysis.condition_delta``)."""
    return analysis.condition_delta(load(ctx)[0], "hebbian")


def tethered(ctx: RunContext) -> xr.Dataset:
    """Paired Delta SI of the tethered condition against basic (``analysis.condition_delta``)."""
    return analysis.condition_delta(load(ctx)[0], "tethered")


def dynamic_input(ctx: RunContext) -> xr.Dataset:
    """Paired Delta SI of the dynamic-input condition against basic (``analysis.condition_delta``)."""
    return analysis.condition_delta(load(ctx)[0], "dynamic_input")


def variable_delay(ctx: RunContext) -> xr.Dataset:
    """Paired Delta SI of the variable-delay condition against basic (``analysis.condition_delta``)."""
    return analysis.condition_delta(load(ctx)[0], "variable_delay")


def multitask(ctx: RunContext) -> xr.Dataset:
    """Paired Delta SI of task B after task A against task B alone (``analysis.condition_delta``)."""
    return analysis.condition_delta(load(ctx)[0], "multitask")


def rho(ctx: RunContext) -> xr.Dataset:
    """Mean SI of passing basic networks per task and rho, over the grid points that have every rho."""
    return analysis.si_by_rho(load(ctx)[0])


def examples(ctx: RunContext) -> xr.Dataset:
    """Rasters of the lowest- and highest-SI passing basic network per task; SI parts of all of them."""
    table, ex = load(ctx)
    return examples_data(table, ex, ctx.params.si_threshold)


def mechanism(ctx: RunContext) -> xr.Dataset:
    """Weight profile and asymmetry of every passing network, with the Spearman rho against SI."""
    return mechanism_data(load(ctx)[0])


def performance(ctx: RunContext) -> xr.Dataset:
    """Information loss, pass flags, training curves and pass fractions of every network."""
    return performance_data(load(ctx)[0], ctx.params.pass_threshold)
