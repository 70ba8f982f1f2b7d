"""The trained networks as two small labelled datasets: what the figures read, and what is pinned in the repository.

:func:`collect` reduces the per-network result files of a profile (written by :mod:`paperrepro.memory_factors.grid`)
to

* the **network table** (``<prefix>_networks.nc``): one row per network (dimension ``network``) with the coordinates
  of its design (condition, task, first task, lambda0, sigma0, rho, job, seed, key), its SI and the SI's two parts,
  test information loss, pass flag, iterations trained and extensions, the training curve (``report``), and per unit
  the peak step and mean of its trial-averaged activity (``unit``) and the mean recurrent weight by peak-rank
  difference with its asymmetry (``lag``; :func:`~paperrepro.memory_factors.analysis.weight_profile`);
* the **examples** (``<prefix>_examples.nc``): trial-averaged and single-trial hidden activity of the lowest- and
  highest-SI passing basic network of every task (:func:`~paperrepro.memory_factors.analysis.example_networks`).

:func:`pin` writes both into ``paperrepro/memory_factors/pinned/`` and registers their sha256 with the URL
``committed`` in ``paperrepro/memory_factors/registry.txt`` (:mod:`paperrepro.core.fetch` copies and hash-checks
them). :func:`load` gives the figures either the pinned files (``source: pinned``) or a fresh collection of the run
folder (``source: run``, training what is missing). Each file records how it was made: the profile parameters, the
commands, the package versions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from pathlib import Path

import numpy as np
import torch
import xarray as xr

from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.fetch import fetch, read_registry

from .analysis import example_networks, weight_profile
from .grid import _is_complete, network_specs, result_path, run_networks
from .params import Params
from .sequentiality import peak_order

PAPER = "memory_factors"
#: largest |peak-rank difference| of the stored weight profiles
MECHANISM_MAX_LAG = 20
#: single trials of hidden activity kept per example network
N_EXAMPLE_TRIALS = 2
#: scalar attributes of a result file copied into the network table
SCALARS: tuple[str, ...] = (
    "SI",
    "SI_unfiltered",
    "SI_entropy",
    "SI_logr2b",
    "infloss_test",
    "passed",
    "n_selected_mean",
    "iterations",
)
COORDS: tuple[str, ...] = ("condition", "task", "first_task", "lambda0", "sigma0", "rho", "job", "seed")


def names(params: Params) -> tuple[str, str]:
    """File names of the network table and the examples of a profile."""
    return f"{params.pinned_prefix}_networks.nc", f"{params.pinned_prefix}_examples.nc"


def results_root(ctx: RunContext) -> Path:
    """Folder of the run's per-network result files, ``<data_dir>/memory_factors/<profile>``."""
    return ctx.data_dir / ctx.paper / ctx.profile


def _attrs(da: xr.DataArray, long_name: str, units: str = "1") -> xr.DataArray:
    da.attrs.update(long_name=long_name, units=units)
    return da


def collect(paths_: list[Path], params: Params, keys: list[str]) -> tuple[xr.Dataset, xr.Dataset]:
    """Reduce per-network result files to the network table and the examples (see the module docstring).

    Parameters
    ----------
    paths_
        Complete result files, in design order.
    params
        The profile's parameters (SI threshold of the unit selection).
    keys
        Labels of the networks (``<condition>/<task>/rho<rho>/<job>``), in the order of ``paths_``.
    """
    if not paths_:
        raise DataError("no network result to collect")
    rows, peak, unit_mean, profiles, asym, curves = [], [], [], [], [], []
    for path in paths_:
        res = read_netcdf(path)
        rows.append(res.attrs)
        mean_act = res["mean_activity"].values
        peak.append(np.argmax(mean_act, axis=0).astype(np.int16))
        unit_mean.append(mean_act.mean(0).astype(np.float32))
        units, _ = peak_order(mean_act, params.si_threshold)
        profile, a = weight_profile(res["W_hh"].values, units, MECHANISM_MAX_LAG)
        profiles.append(profile)
        asym.append(a)
        curves.append(res["infloss_train"].values.astype(np.float64))
    n_report = max(c.size for c in curves)
    curves = [np.pad(c, (0, n_report - c.size), constant_values=np.nan) for c in curves]
    report = read_netcdf(paths_[int(np.argmax([c.size for c in curves]))])["report"].values
    coords = {name: ("network", np.array([r[name] for r in rows])) for name in COORDS}
    coords["key"] = ("network", np.asarray(keys, dtype=str))
    lags = np.arange(-MECHANISM_MAX_LAG, MECHANISM_MAX_LAG + 1)
    table = xr.Dataset(
        coords={
            "network": np.arange(len(rows)),
            "unit": np.arange(peak[0].size),
            "lag": lags,
            "report": report[:n_report].astype(np.int64),
            **coords,
        }
    )
    for name in SCALARS:
        values = np.array([r.get(name, np.nan) for r in rows], dtype=np.float64)
        table[name] = (
            "network",
            values.astype(np.int8) if name == "passed" else values.astype(np.int64) if name == "iterations" else values,
        )
    table["extensions"] = ("network", np.array([r.get("extensions", 0) for r in rows], dtype=np.int32))
    table["infloss_test_first"] = ("network", np.array([r.get("infloss_test_first", np.nan) for r in rows], dtype=np.float64))
    _attrs(table["SI"], "sequentiality index (NaN: failed the pass filter)")
    _attrs(table["SI_unfiltered"], "sequentiality index, failed networks included")
    _attrs(table["SI_entropy"], "peak-time entropy part of the SI", "nat")
    _attrs(table["SI_logr2b"], "log ridge-to-background part of the SI")
    _attrs(table["infloss_test"], "test fractional information loss (last task)")
    _attrs(table["infloss_test_first"], "test fractional information loss of task A (multitask)")
    _attrs(table["passed"], "test information loss < 0.5 (1) or not (0)")
    _attrs(table["n_selected_mean"], "units above the SI threshold, mean over trials")
    _attrs(table["iterations"], "training iterations of the last task")
    _attrs(table["extensions"], "times training was extended because the network failed")
    table["peak_step"] = _attrs(
        xr.DataArray(np.stack(peak), dims=("network", "unit")), "step of the peak of the unit's trial-averaged activity", "step"
    )
    table["unit_mean"] = _attrs(
        xr.DataArray(np.stack(unit_mean), dims=("network", "unit")),
        "time-averaged trial-averaged activity of the unit (selection: > SI threshold)",
    )
    table["weight_profile"] = _attrs(
        xr.DataArray(np.stack(profiles), dims=("network", "lag")), "mean recurrent weight by peak-rank difference (post - pre)"
    )
    table["asymmetry"] = _attrs(
        xr.DataArray(np.asarray(asym, dtype=np.float64), dims="network"), "mean weight forward (k > 0) minus backward (k < 0)"
    )
    table["infloss_train"] = _attrs(
        xr.DataArray(np.stack(curves), dims=("network", "report")),
        "training information loss since the previous report (last task)",
    )
    table["report"].attrs.update(long_name="training iteration of the report", units="1")
    return table, _examples(table, paths_, params)


def _examples(table: xr.Dataset, paths_: list[Path], params: Params) -> xr.Dataset:
    chosen = example_networks(table)
    if not chosen:  # no passing basic network: keep the first basic one so that the file has its layout
        chosen = (
            [int(np.flatnonzero(table["condition"].values == "basic")[0])]
            if (table["condition"].values == "basic").any()
            else [0]
        )
    means, hidden = [], []
    for i in chosen:
        res = read_netcdf(paths_[i])
        means.append(res["mean_activity"].values.astype(np.float32))
        kept = res["hidden"].values[:N_EXAMPLE_TRIALS].astype(np.float32) if "hidden" in res else None
        hidden.append(
            kept
            if kept is not None and kept.shape[0] == N_EXAMPLE_TRIALS
            else np.full((N_EXAMPLE_TRIALS, *means[-1].shape), np.nan, np.float32)
        )
    time = read_netcdf(paths_[chosen[0]])["time"]
    ds = xr.Dataset(
        coords={
            "example": np.arange(len(chosen)),
            "trial": np.arange(N_EXAMPLE_TRIALS),
            "time": time,
            "unit": table["unit"].values,
            "example_key": ("example", table["key"].values[chosen].astype(str)),
            "example_task": ("example", table["task"].values[chosen].astype(str)),
            "example_network": ("example", np.asarray(chosen, np.int64)),
        }
    )
    ds["mean_activity"] = _attrs(
        xr.DataArray(np.stack(means), dims=("example", "time", "unit")), "trial-averaged post-ReLU hidden activity (test)"
    )
    ds["hidden"] = _attrs(
        xr.DataArray(np.stack(hidden), dims=("example", "trial", "time", "unit")),
        "post-ReLU hidden activity of single test trials (NaN: not kept)",
    )
    ds["example_si"] = _attrs(xr.DataArray(table["SI"].values[chosen], dims="example"), "SI of the example network")
    return ds


def provenance(params: Params, profile: str, n_networks: int) -> dict[str, object]:
    """Attributes recording how the collected results were made."""
    return {
        "paper": "Orhan & Ma 2019, Nat Neurosci 22:275",
        "profile": profile,
        "design": params.design,
        "n_networks": int(n_networks),
        "params_json": json.dumps(dataclasses.asdict(params), sort_keys=True, default=str),
        "commands": f"python -m paperrepro.memory_factors sweep --profile {profile} --jobs 2; "
        f"python -m paperrepro.memory_factors pin --profile {profile}",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
    }


def complete_results(params: Params, root: Path) -> tuple[list[Path], list[str], int]:
    """The complete result files of the profile's design under ``root``, their keys, and how many are designed."""
    specs = network_specs(params)
    done = [s for s in specs if _is_complete(result_path(root, s), s, params)]
    return [result_path(root, s) for s in done], [s.key for s in done], len(specs)


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def register(name: str, digest: str, registry: Path) -> None:
    """Write ``<name> sha256:<digest> committed`` into ``registry``, replacing a line of that name."""
    lines = (
        registry.read_text().splitlines()
        if registry.is_file()
        else [
            "# Orhan & Ma 2019: pinned results of this project's own training (nothing is published by the authors).",
            "# Written by `python -m paperrepro.memory_factors pin`; the files live in paperrepro/memory_factors/pinned/.",
        ]
    )
    lines = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [name]]
    lines.append(f"{name} sha256:{digest} committed")
    registry.write_text("\n".join(lines) + "\n")


def pin(
    params: Params,
    profile: str,
    root: Path,
    *,
    folder: Path | None = None,
    registry: Path | None = None,
    allow_incomplete: bool = False,
) -> list[tuple[Path, str]]:
    """Collect the profile's finished networks, write the two pinned files and register their sha256.

    Parameters
    ----------
    params, profile
        The profile whose design is pinned.
    root
        Folder of the per-network result files.
    folder, registry
        Output folder (default ``paperrepro/memory_factors/pinned``) and registry file (default the paper's).
    allow_incomplete
        Pin although some networks of the design are not trained yet (their absence is recorded).

    Raises
    ------
    DataError
        If networks of the design are missing (without ``allow_incomplete``).
    """
    found, keys, n_design = complete_results(params, root)
    if len(found) < n_design and not allow_incomplete:
        raise DataError(
            f"{n_design - len(found)} of {n_design} networks of the design are not trained yet under "
            f"{root}: finish the sweep (it resumes), or pass --allow-incomplete"
        )
    table, examples = collect(found, params, keys)
    record = provenance(params, profile, n_design)
    table.attrs.update(record, n_complete=len(found))
    examples.attrs.update(record, n_complete=len(found))
    folder = Path(folder or paths.paper_dir(PAPER) / "pinned")
    registry = Path(registry or paths.paper_dir(PAPER) / "registry.txt")
    written = []
    for name, ds in zip(names(params), (table, examples), strict=True):
        path = write_netcdf(ds, folder / name)
        digest = sha256(path)
        register(name, digest, registry)
        written.append((path, digest))
    return written


def load(ctx: RunContext) -> tuple[xr.Dataset, xr.Dataset]:
    """The network table and examples of the run: pinned files, or the run folder (training what is missing)."""
    params: Params = ctx.params
    if params.source == "pinned":
        missing = [n for n in names(params) if n not in read_registry(PAPER)]
        if missing:
            raise DataError(
                f"no pinned {', '.join(missing)} in paperrepro/memory_factors/registry.txt: train with "
                f"`python -m paperrepro.memory_factors sweep --profile {ctx.profile} --jobs 2`, then "
                f"`python -m paperrepro.memory_factors pin --profile {ctx.profile}`"
            )
        return tuple(read_netcdf(fetch(PAPER, n)) for n in names(params))  # type: ignore[return-value]
    root = results_root(ctx)
    specs = network_specs(params)
    found = run_networks(specs, params, root, executor=ctx.executor, jobs=ctx.jobs)
    return collect(found, params, [s.key for s in specs])
