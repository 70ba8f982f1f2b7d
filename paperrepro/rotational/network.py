"""One network end to end (build, simulate, read out, analyse) and the association × structure × seed grid.

:func:`analyse_network` is a top-level function of plain arguments, so a grid runs through any ``map``-like
executor (``paperrepro.core.execute.map_units`` or ``concurrent.futures``): :func:`grid_units` lists the work,
:func:`run_grid` maps :func:`analyse_unit` over it and :func:`combine` stacks the per-network results into one
:class:`xarray.Dataset` with a ``network`` dimension (coordinates ``association``, ``structure_cov``,
``structure``, ``seed``).

Each network's randomness comes from ``numpy.random.default_rng((base_seed, seed, round(association * 1e9),
round(structure_cov * 1e9)))``: the same (association, structure, seed) gives the same network in every profile.
Within a network the Generator is consumed in a fixed order: patterns, input weights, trial noise, split, the
four SGD seeds, A/X then C/C* z-score permutations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import xarray as xr

from . import analysis as an
from .model import CONDITIONS, INPUTS, PATTERNS, block_conditions, build_network, designed_cell_types, simulate
from .params import Params

MapFn = Callable[[Callable, Sequence], list]


@dataclass(frozen=True)
class NetworkUnit:
    """One grid point and replicate: the unit of work of :func:`analyse_unit`."""

    association: float
    structure_cov: float
    seed: int
    base_seed: int = 0


def network_rng(association: float, structure_cov: float, seed: int, base_seed: int = 0) -> np.random.Generator:
    """Return the Generator of one network (see the module docstring)."""
    return np.random.default_rng((int(base_seed), int(seed), int(round(association * 1e9)), int(round(structure_cov * 1e9))))


def score_network(
    rates: np.ndarray,
    conditions: np.ndarray,
    test: np.ndarray,
    coef: np.ndarray,
    intercept: np.ndarray,
    rng: np.random.Generator,
    params: Params,
) -> dict[str, np.ndarray]:
    """Run every analysis of :mod:`.analysis` on one network's activity given its read-outs.

    Parameters
    ----------
    rates : numpy.ndarray
        Shape (trials, N, 2).
    conditions : numpy.ndarray
        Condition per trial.
    test : numpy.ndarray
        Held-out trial indices (AUCs use only these).
    coef, intercept : numpy.ndarray
        Read-outs ``READOUTS``, shapes (4, N) and (4,).
    rng : numpy.random.Generator
        Draws the z-score permutations.
    params : Params
        Uses ``n_shuffles`` and ``projection_trials``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``auc`` (readout, labels, t_test), ``postdiction`` (readout, labels, subset), ``angle`` (axis_pair),
        ``zscore`` (labels, t, unit), ``counts`` (category), ``y_score`` (readout, t_test, trial), ``is_test``
        (trial), ``coef``, ``intercept``.
    """
    scores = an.decision(rates, coef, intercept)
    is_test = np.zeros(conditions.size, dtype=np.int8)
    is_test[test] = 1
    z = np.stack([an.zscores(rates, an.labels(conditions, ls), rng, params.n_shuffles) for ls in an.LABELS])
    y_score = scores if params.projection_trials == "all" else np.where(is_test.astype(bool), scores, np.nan)
    return {
        "auc": an.cross_auc(scores, conditions, test),
        "postdiction": an.postdiction_auc(scores, conditions, test),
        "angle": an.axis_angles(coef),
        "zscore": z,
        "counts": an.selectivity_counts(z[0]),
        "y_score": y_score,
        "is_test": is_test,
        "coef": coef,
        "intercept": intercept,
    }


def analyse_network(
    association: float, structure_cov: float, seed: int, params: Params, base_seed: int = 0
) -> dict[str, np.ndarray]:
    """Build, simulate, read out and analyse one network.

    Parameters
    ----------
    association : float
        Association level.
    structure_cov : float
        Structure covariance.
    seed : int
        Replicate number.
    params : Params
        Profile parameters.
    base_seed : int
        Run-level seed (``ctx.seed``).

    Returns
    -------
    dict of str to numpy.ndarray
        The entries of :func:`score_network` plus ``W`` (unit, unit_from), ``IH`` (input, unit) and ``patterns``
        (pattern, unit).
    """
    rng = network_rng(association, structure_cov, seed, base_seed)
    net = build_network(
        rng,
        association,
        structure_cov,
        pattern_var=params.pattern_var,
        assoc_weight_sd=params.assoc_weight_sd,
        n_units=params.n_units,
        n_selective=params.n_selective,
    )
    conditions = block_conditions(params.n_trials)
    rates = simulate(net.W, net.IH, conditions, rng, noise_sd=params.noise_sd, tau=params.tau)
    test, train = an.split_train_test(rng, conditions, params.test_per_condition)
    coef, intercept = an.fit_readouts(rates, conditions, train, rng)
    out = score_network(rates, conditions, test, coef, intercept, rng, params)
    out.update(W=net.W, IH=net.IH, patterns=net.patterns)
    return out


def analyse_unit(unit: NetworkUnit, params: Params, keep: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """:func:`analyse_network` for one :class:`NetworkUnit`, returning only the variables ``keep`` (default: all).

    Bind ``params`` (and ``keep``) with ``functools.partial``; dropping ``W`` in the worker keeps the transfer and
    the parent's memory small.
    """
    out = analyse_network(unit.association, unit.structure_cov, unit.seed, params, unit.base_seed)
    return out if keep is None else {k: out[k] for k in keep}


def grid_units(params: Params, base_seed: int = 0) -> list[NetworkUnit]:
    """List the grid's networks: association fastest, then structure, then seed (the original's p_index order)."""
    return [
        NetworkUnit(float(a), float(c), s, base_seed)
        for s in range(params.n_seeds)
        for c in params.structure_levels
        for a in params.association_levels
    ]


_DIMS = {
    "auc": ("readout", "labels", "t_test"),
    "postdiction": ("readout", "labels", "subset"),
    "angle": ("axis_pair",),
    "zscore": ("labels", "t", "unit"),
    "counts": ("category",),
    "y_score": ("readout", "t_test", "trial"),
    "is_test": ("trial",),
    "coef": ("readout", "unit"),
    "intercept": ("readout",),
    "W": ("unit", "unit_from"),
    "IH": ("input", "unit"),
    "patterns": ("pattern", "unit"),
}
DEFAULT_KEEP = tuple(k for k in _DIMS if k not in ("W", "IH", "patterns"))
_ATTRS = {
    "auc": ("area under the ROC curve, held-out trials", "1"),
    "postdiction": ("AUC at tp1 on expected / unexpected held-out trials", "1"),
    "angle": ("angle between read-out weight vectors", "degree"),
    "zscore": ("z-scored class-mean difference (class 0 minus class 1)", "1"),
    "counts": ("units per A/X selectivity category", "1"),
    "y_score": ("read-out decision function", "1"),
    "is_test": ("held-out trial flag", "1"),
    "coef": ("read-out weights", "1"),
    "intercept": ("read-out intercept", "1"),
    "W": ("recurrent weights", "1"),
    "IH": ("input weights", "1"),
    "patterns": ("designed sensory / memory patterns", "1"),
}


def combine(
    results: Sequence[dict[str, np.ndarray]], units: Sequence[NetworkUnit], params: Params, keep: Iterable[str] | None = None
) -> xr.Dataset:
    """Stack per-network results into one Dataset with a ``network`` dimension.

    Parameters
    ----------
    results : sequence of dict
        Outputs of :func:`analyse_network` (or the demo replay), in the order of ``units``.
    units : sequence of NetworkUnit
        The networks' grid coordinates.
    params : Params
        Profile parameters (stored as attrs).
    keep : iterable of str, optional
        Variables to keep (default: all but ``W``, ``IH``, ``patterns``).

    Returns
    -------
    xarray.Dataset
    """
    keep = tuple(keep) if keep is not None else DEFAULT_KEEP
    n_trials = results[0]["is_test"].size
    n_units = results[0]["coef"].shape[1]
    data = {}
    for name in keep:
        arr = np.stack([r[name] for r in results])
        long_name, units_attr = _ATTRS[name]
        data[name] = xr.Variable(("network", *_DIMS[name]), arr, {"long_name": long_name, "units": units_attr})
    conditions = block_conditions(n_trials)
    coords = {
        "network": np.arange(len(units)),
        "association": ("network", np.array([u.association for u in units])),
        "structure_cov": ("network", np.array([u.structure_cov for u in units])),
        "structure": ("network", np.array([u.structure_cov for u in units]) / params.pattern_var),
        "seed": ("network", np.array([u.seed for u in units], dtype=np.int64)),
        "readout": list(an.READOUTS),
        "labels": list(an.LABELS),
        "t_test": np.array([0, 1]),
        "t": np.array([0, 1]),
        "subset": list(an.SUBSETS),
        "axis_pair": list(an.AXIS_PAIRS),
        "category": list(an.CATEGORIES),
        "trial": np.arange(n_trials),
        "unit": np.arange(n_units),
        "condition": ("trial", np.array(CONDITIONS)[conditions]),
        "designed_type": ("unit", designed_cell_types(n_units, params.n_selective)),
    }
    if "W" in keep:
        coords["unit_from"] = np.arange(n_units)
    if "IH" in keep:
        coords["input"] = list(INPUTS)
    if "patterns" in keep:
        coords["pattern"] = list(PATTERNS)
    ds = xr.Dataset(data, coords=coords)
    ds["structure"].attrs = {"long_name": "structure (structure_cov / pattern_var)", "units": "1"}
    ds.attrs = {
        "paper": "rotational",
        "source": params.source,
        "n_shuffles": params.n_shuffles,
        "test_per_condition": params.test_per_condition,
        "projection_trials": params.projection_trials,
        "noise_sd": params.noise_sd,
        "n_trials": n_trials,
        "z_crit": an.Z_CRIT,
    }
    return ds


def serial_map(fn: Callable, units: Sequence) -> list:
    """Apply ``fn`` to every unit in this process (the default executor)."""
    return [fn(u) for u in units]


def run_grid(params: Params, base_seed: int = 0, map_fn: MapFn = serial_map, keep: Iterable[str] | None = None) -> xr.Dataset:
    """Analyse every network of the profile's grid and combine the results.

    Parameters
    ----------
    params : Params
        Profile parameters.
    base_seed : int
        Run-level seed.
    map_fn : callable
        ``map_fn(fn, units) -> list`` (e.g. ``functools.partial(paperrepro.core.execute.map_units, executor=...,
        jobs=...)``); ``fn`` is a picklable ``functools.partial`` of :func:`analyse_unit`.
    keep : iterable of str, optional
        Variables to keep (see :func:`combine`).

    Returns
    -------
    xarray.Dataset
    """
    keep = tuple(keep) if keep is not None else DEFAULT_KEEP
    units = grid_units(params, base_seed)
    results = map_fn(partial(analyse_unit, params=params, keep=keep), units)
    return combine(results, units, params, keep)
