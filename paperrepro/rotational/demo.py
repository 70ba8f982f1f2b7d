"""The authors' ``model_demo.pkl``: safe loading, conversion to xarray, and replay of its 10 networks.

The pickle (protocol 4, written by the notebook of the original repository) holds only numpy arrays, numpy
scalars and builtins. :func:`load_demo_pickle` reads it with an unpickler that resolves exactly four globals
(``numpy.core.multiarray._reconstruct``, ``numpy.ndarray``, ``numpy.dtype``, ``numpy.core.multiarray.scalar``)
(plus their numpy >= 2 module spelling) and refuses any other, so a tampered file cannot run code.
:func:`demo_to_dataset` turns the list into an :class:`xarray.Dataset` in the layout of
:func:`paperrepro.rotational.network.combine` (``network`` dimension, saved read-outs, metrics, weights).

:func:`replay_demo` runs the saved networks (``W_all``, ``IH_all``; sigma 2, tau 1, ReLU) on fresh trials and
scores them with the saved read-outs: every fresh trial is out-of-sample, so all trials count as held-out
(``is_test`` = 1); z-scores and counts are recomputed from the fresh activity.
"""

from __future__ import annotations

import importlib
import io
import pickle
from pathlib import Path

import numpy as np
import xarray as xr

from . import analysis as an
from .model import block_conditions, simulate
from .network import NetworkUnit, combine, score_network
from .params import Params

try:
    from paperrepro.core.errors import DataError
except ImportError:  # pragma: no cover - core not installed
    DataError = ValueError  # type: ignore[misc, assignment]

#: The only globals the demo pickle may reference (the file's numpy 1 names; numpy >= 2 writes the same two
#: functions under ``numpy._core.multiarray``, accepted as aliases so that synthetic test files load too).
ALLOWED_GLOBALS = frozenset(
    {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
    }
)
#: Fields of the pickled list, in order (the ``pickle.dump`` call of ``Model Demo 2020.ipynb``).
FIELDS = (
    "num_runs",
    "network_parm",
    "input_dict",
    "clf_fit",
    "change_p_dict",
    "all_parm_val",
    "num_p",
    "all_tp_coeff",
    "all_tp_intercept",
    "all_tp_zscore",
    "W_all",
    "IH_all",
    "counts_all",
    "angle",
    "clf_comp",
    "cross_auc",
    "tp_test",
    "eu_auc",
    "AX_change_all",
    "y_score_all",
    "condition_list",
)
#: Keys of the original's ``angle`` dict, in the order of ``analysis.AXIS_PAIRS``.
ANGLE_KEYS = ("AX_sen_CCp", "AX_sen_AX_mem", "AX_mem_CCp")


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: D102 - pickle API
        if (module, name) not in ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"global {module}.{name} is not allowed in model_demo.pkl")
        if module == "numpy.core.multiarray":  # numpy >= 2 keeps it in numpy._core; avoid the shim's warning
            module = "numpy._core.multiarray" if hasattr(np, "_core") else module
        return getattr(importlib.import_module(module), name)


def load_demo_pickle(path: str | Path) -> dict:
    """Read ``model_demo.pkl`` safely.

    Parameters
    ----------
    path : str or pathlib.Path
        The pickle file.

    Returns
    -------
    dict
        The pickled list's entries keyed by ``FIELDS``.

    Raises
    ------
    DataError
        If the file references a global outside ``ALLOWED_GLOBALS`` or does not have the demo layout.
    """
    try:
        content = _RestrictedUnpickler(io.BytesIO(Path(path).read_bytes())).load()
    except (pickle.UnpicklingError, EOFError, AttributeError) as err:
        raise DataError(f"{path}: not a valid model_demo.pkl ({err}); delete it and fetch it again") from err
    if not isinstance(content, list) or len(content) != len(FIELDS):
        raise DataError(f"{path}: expected a list of {len(FIELDS)} entries (model_demo.pkl layout)")
    return dict(zip(FIELDS, content, strict=False))


def demo_to_dataset(demo: dict) -> xr.Dataset:
    """Convert the loaded demo (see :func:`load_demo_pickle`) to a Dataset with a ``network`` dimension.

    Parameters
    ----------
    demo : dict
        Output of :func:`load_demo_pickle` (run 0 of ``num_runs`` is used).

    Returns
    -------
    xarray.Dataset
        Variables ``auc``, ``postdiction``, ``angle``, ``zscore``, ``counts``, ``y_score``, ``coef``,
        ``intercept``, ``W``, ``IH``, ``patterns`` with the dimensions of
        :func:`paperrepro.rotational.network.combine`; ``is_test`` is unknown (not saved) and omitted.
    """
    num_p = int(demo["num_p"])
    results = []
    for p in range(num_p):
        coef = np.stack([demo["all_tp_coeff"][ls][p, 0, t] for ls in an.LABELS for t in (0, 1)])
        intercept = np.array([demo["all_tp_intercept"][ls][p, 0, t] for ls in an.LABELS for t in (0, 1)])
        auc = np.array([[[demo["cross_auc"][r][ls + str(t)][p, 0] for t in (0, 1)] for ls in an.LABELS] for r in an.READOUTS])
        post = np.array(
            [
                [[demo["eu_auc"][r][f"{ls}{an.T_POSTDICTION}{s}"][p, 0] for s in an.SUBSETS] for ls in an.LABELS]
                for r in an.READOUTS
            ]
        )
        y_score = np.stack([demo["y_score_all"][ls][p, 0, t] for ls in an.LABELS for t in (0, 1)])
        results.append(
            {
                "auc": auc,
                "postdiction": post,
                "angle": np.array([demo["angle"][k][p, 0] for k in ANGLE_KEYS]),
                "zscore": np.stack([demo["all_tp_zscore"][ls][p, 0] for ls in an.LABELS]),
                "counts": np.asarray(demo["counts_all"][p, 0]).astype(np.int64),
                "y_score": y_score,
                "is_test": np.ones(len(demo["condition_list"]), dtype=np.int8),
                "coef": coef,
                "intercept": intercept,
                "W": demo["W_all"][:, :, p, 0],
                "IH": demo["IH_all"][:, :, p, 0],
                "patterns": demo["AX_change_all"][:, :, p, 0],
            }
        )
    ds = combine(
        results,
        demo_units(demo),
        Params(source="demo"),
        keep=("auc", "postdiction", "angle", "zscore", "counts", "y_score", "coef", "intercept", "W", "IH", "patterns"),
    )
    ds.attrs.update(
        source="demo", origin="model_demo.pkl (buschman-lab/RotationalDynamics 307afcc)", n_shuffles=1000, projection_trials="all"
    )
    return ds


def demo_units(demo: dict) -> list[NetworkUnit]:
    """Grid coordinates of the demo networks (association fastest), all replicate 0."""
    assoc = np.asarray(demo["all_parm_val"]["link_percents"], dtype=np.float64)
    cov = np.asarray(demo["all_parm_val"]["rand_std_all"], dtype=np.float64)
    return [NetworkUnit(float(a), float(c), 0) for a, c in zip(assoc, cov, strict=False)]


def replay_network(
    W: np.ndarray, IH: np.ndarray, coef: np.ndarray, intercept: np.ndarray, rng: np.random.Generator, params: Params
) -> dict[str, np.ndarray]:
    """Run one saved network on fresh trials and score it with its saved read-outs.

    Parameters
    ----------
    W, IH : numpy.ndarray
        Saved weights, shapes (N, N) and (4, N).
    coef, intercept : numpy.ndarray
        Saved read-outs in ``READOUTS`` order, shapes (4, N) and (4,).
    rng : numpy.random.Generator
        Draws the trial noise, then the z-score permutations.
    params : Params
        Uses ``n_trials``, ``noise_sd``, ``tau``, ``n_shuffles``, ``projection_trials``.

    Returns
    -------
    dict of str to numpy.ndarray
        As :func:`paperrepro.rotational.network.score_network`, with every trial held-out.
    """
    conditions = block_conditions(params.n_trials)
    rates = simulate(W, IH, conditions, rng, noise_sd=params.noise_sd, tau=params.tau)
    return score_network(rates, conditions, np.arange(conditions.size), coef, intercept, rng, params)


def replay_demo(saved: xr.Dataset, params: Params, base_seed: int = 0) -> xr.Dataset:
    """Replay every network of a converted demo (see :func:`demo_to_dataset`).

    Network ``p`` uses ``numpy.random.default_rng((base_seed, p))``.

    Returns
    -------
    xarray.Dataset
        Same layout as :func:`paperrepro.rotational.network.run_grid`, ``source = "demo"``.
    """
    results = [
        replay_network(
            saved["W"].values[p],
            saved["IH"].values[p],
            saved["coef"].values[p],
            saved["intercept"].values[p],
            np.random.default_rng((base_seed, p)),
            params,
        )
        for p in range(saved.sizes["network"])
    ]
    units = [
        NetworkUnit(float(a), float(c), 0)
        for a, c in zip(saved["association"].values, saved["structure_cov"].values, strict=False)
    ]
    ds = combine(results, units, params)
    ds.attrs.update(source="demo", origin="replay of model_demo.pkl with the saved read-outs")
    return ds


def replay_deltas(saved: xr.Dataset, replayed: xr.Dataset) -> dict[str, np.ndarray]:
    """Replay minus saved AUCs per network for the headline metrics.

    Returns
    -------
    dict of str to numpy.ndarray
        Keys ``AX0``, ``AX1``, ``CCprime1`` (diagonal of the cross AUC), ``sen_unexp``, ``mem_unexp``; each (network,).
    """
    out = {}
    for readout, labels, t in (("AX0", "AX", 0), ("AX1", "AX", 1), ("CCprime1", "CCprime", 1)):
        sel = {"readout": readout, "labels": labels, "t_test": t}
        out[readout] = replayed["auc"].sel(sel).values - saved["auc"].sel(sel).values
    for name, readout in (("sen_unexp", "AX0"), ("mem_unexp", "AX1")):
        sel = {"readout": readout, "labels": "AX", "subset": "unexp"}
        out[name] = replayed["postdiction"].sel(sel).values - saved["postdiction"].sel(sel).values
    return out
