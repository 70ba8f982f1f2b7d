"""Trained runs, their per-network summaries, and the pinned summaries the figures read by default.

**Runs.** A run lives in ``<data_dir>/learning_to_learn/runs/<key>/`` where ``key`` (:func:`run_key`) hashes
every parameter that changes a network's trajectory, the kernel that computes it (``kernel``, resolved: ``auto``
becomes ``c`` or ``numpy``) and a fingerprint of the training code (:func:`code_fingerprint`). Run sizes (seeds,
number of problems, batching, perturbed problems) are not part of the key: a longer profile extends a shorter
one's checkpoints, which are resumable at every problem boundary (:mod:`.train`).

**Units.** Each network is one unit of work (:class:`NetworkUnit`) sent through
:func:`paperrepro.core.execute.map_units` (``--executor``/``--jobs``; one BLAS thread per unit): ``full`` trains
(or resumes) one network over ``n_problems`` problems and writes its summary ``summary-s<seed>.nc``; ``cvfc``
computes the Fig. 7 cross-problem analysis of a trained network (``cvfc-s<seed>.nc``); ``perturbation`` runs the
manifold-perturbation conditions of one network (``perturbation-s<seed>.nc``).

**Summaries** hold everything the figures need from one network, so that no figure needs the weight histories:
trials to criterion per problem (Fig. 1), the per-problem vector-field-change table and participation ratios of
Figs. 5–6, the decision/stimulus-subspace results of Fig. 2 (problems 2–51), the CVFC of Fig. 7, and the
perturbed problems' trials of Fig. 3. Every summary records how it was made (attributes ``command``,
``git_commit``, ``code_fingerprint``, ``run_key``, ``kernel``, ``environment``, ``train_wall_s``).

**Sources** (:attr:`Params.source`): ``pinned`` reads the committed summaries ``pinned/<kind>_seed<seed>.nc``
through :func:`paperrepro.core.fetch.fetch` (sha256 in ``registry.txt``, URL ``committed``), written by
:func:`pin`; ``train`` makes them in the data folder.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.core import paths
from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError, UsageError
from paperrepro.core.execute import map_units
from paperrepro.core.fetch import fetch, read_registry

from . import analysis
from .params import Params
from .perturb import CONDITIONS
from .train import load_history, train_full, train_perturbation

__all__ = [
    "KINDS",
    "TRAINING_MODULES",
    "NetworkUnit",
    "fingerprint",
    "code_fingerprint",
    "trajectory_key",
    "run_key",
    "run_folder",
    "run_unit",
    "run_units",
    "full_units",
    "cvfc_units",
    "perturbation_units",
    "pinned_name",
    "load_summaries",
    "summaries",
    "complete",
    "pin",
    "register",
]

PAPER = "learning_to_learn"
#: kinds of per-network summary (the unit kinds)
KINDS: tuple[str, ...] = ("full", "cvfc", "perturbation")
#: parameters that size a run or only steer the analyses: not part of a run's key
_NOT_TRAJECTORY = ("seeds", "n_problems", "batch_seeds", "pert_seeds", "pert_problems", "source", "cvfc_last_problem", "kernel")
#: parameters that shape only the perturbation runs
_PERTURBATION_ONLY = ("pert_base_problems", "pert_max_trials", "pert_rank")
#: modules whose code shapes a training trajectory (fingerprinted in the key)
TRAINING_MODULES: tuple[str, ...] = ("bptt", "ckernel", "loss", "network", "optim", "params", "perturb", "task", "train")
#: first and last problem of the Fig. 2 subspaces (original ``fig2.m``: problems 2-51)
FIG2_PROBLEMS = (2, 51)


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return tree


def fingerprint(sources: dict[str, str]) -> str:
    """16-hex-digit hash of Python sources (module name → text), blind to comments, docstrings and layout."""
    digest = hashlib.sha256()
    for name, text in sorted(sources.items()):
        tree = _strip_docstrings(ast.parse(text))
        digest.update(name.encode() + b"\0" + ast.dump(tree, annotate_fields=False).encode() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """:func:`fingerprint` of the training code (:data:`TRAINING_MODULES`).

    The syntax trees are hashed, so reformatting or editing documentation keeps a long run resumable, while any
    change of code (including the C kernel's source) gives a new key.
    """
    return fingerprint({name: (paths.PACKAGE_DIR / PAPER / f"{name}.py").read_text() for name in TRAINING_MODULES})


def resolved_kernel(params: Params) -> str:
    """The kernel that trains under ``params``: ``"c"`` or ``"numpy"`` (``auto`` is ``c`` when it compiles)."""
    if params.kernel != "auto":
        return params.kernel
    from . import ckernel

    return "c" if ckernel.load() is not None else "numpy"


def trajectory_key(params: Params, kind: str = "full") -> str:
    """16-hex-digit hash of the parameters that shape a ``kind`` trajectory (no sizes, no kernel, no code).

    The perturbation settings (``pert_base_problems``, ``pert_max_trials``, ``pert_rank``) enter only the key of
    ``perturbation`` runs, so that changing them never invalidates the full runs.
    """
    skip = _NOT_TRAJECTORY + (() if kind == "perturbation" else _PERTURBATION_ONLY)
    record = {k: v for k, v in dataclasses.asdict(params).items() if k not in skip}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]


def run_key(params: Params, kind: str = "full") -> str:
    """16-hex-digit key of a run: :func:`trajectory_key`, the resolved kernel and :func:`code_fingerprint`."""
    record = {"trajectory": trajectory_key(params, kind), "kernel": resolved_kernel(params), "code": code_fingerprint()}
    if kind == "perturbation":
        record["kind"] = kind
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]


def run_folder(ctx: RunContext, kind: str = "full") -> Path:
    """``<data_dir>/learning_to_learn/runs/<run_key>`` of the context's parameters (``cvfc`` shares ``full``'s)."""
    return ctx.data_path("runs", run_key(ctx.params, _trajectory_kind(kind)), "x").parent


def _trajectory_kind(kind: str) -> str:
    return "perturbation" if kind == "perturbation" else "full"


@dataclass(frozen=True)
class NetworkUnit:
    """One network's work: ``kind`` (one of :data:`KINDS`), ``seed``, the profile and the run folder."""

    kind: str
    seed: int
    params: Params
    folder: str

    @property
    def summary_path(self) -> Path:
        """The unit's summary file in the run folder."""
        stem = {"full": "summary", "cvfc": "cvfc", "perturbation": "perturbation"}[self.kind]
        return Path(self.folder) / f"{stem}-s{self.seed}.nc"


def _environment() -> str:
    from importlib import metadata

    versions = {}
    for dist in ("numpy", "scipy", "xarray", "netCDF4"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "absent"
    record = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        **versions,
    }
    return json.dumps(record, sort_keys=True)


def _provenance(unit: NetworkUnit, **extra: float | int | str) -> dict:
    from paperrepro.core.figures import git_commit

    return {
        "kind": unit.kind,
        "seed": int(unit.seed),
        "run_key": run_key(unit.params, _trajectory_kind(unit.kind)),
        "trajectory_key": trajectory_key(unit.params, _trajectory_kind(unit.kind)),
        "code_fingerprint": code_fingerprint(),
        "kernel": resolved_kernel(unit.params),
        "git_commit": git_commit(),
        "environment": _environment(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "params_json": json.dumps(dataclasses.asdict(unit.params), sort_keys=True, default=str),
        **extra,
    }


def _usable(path: Path, need: dict[str, int]) -> bool:
    """Whether the summary at ``path`` exists and its integer attributes are at least ``need``."""
    if not path.is_file():
        return False
    try:
        attrs = read_netcdf(path).attrs
    except DataError:
        return False
    return all(int(attrs.get(k, -1)) >= v for k, v in need.items())


def _full_summary(unit: NetworkUnit) -> xr.Dataset:
    params = dataclasses.replace(unit.params, seeds=(unit.seed,), batch_seeds=1)
    member = train_full((unit.seed,), params, checkpoint_dir=Path(unit.folder) / "full", progress=False)[unit.seed]
    start = time.perf_counter()
    n = params.n_problems
    history = member.history[:n]
    trials = np.asarray(member.conv[:n], np.float64)
    vfc = analysis.vfc_network(history, params) if n >= 2 else None
    problems = np.arange(1, n + 1, dtype=np.int64)
    pad = np.full((1,), np.nan)
    data = {
        "trials": (("problem",), trials, {"long_name": "trials to criterion (NaN: failed)", "units": "trials"}),
        "hnorm": (
            ("problem",),
            np.asarray(member.hnorm[:n], np.float64),
            {"long_name": "mean r^2 over the last 50 trials of the problem"},
        ),
    }
    if vfc is not None:
        data["VFC"] = (
            ("problem", "column"),
            np.concatenate([np.full((1, 9), np.nan), vfc["VFC"]]),
            {"long_name": "vector-field-change magnitudes against the previous problem (NaN at problem 1)"},
        )
        data["dims_single"] = (
            ("problem", "source", "component"),
            np.concatenate([np.full((1, 2, 2), np.nan), vfc["dims_single"]]),
            {"long_name": "participation ratio, single problem", "units": "1"},
        )
        data["dimsT_single"] = (
            ("problem",),
            np.concatenate([pad, vfc["dimsT_single"]]),
            {"long_name": "PR of dZ direction, single problem"},
        )
        data["dims_group"] = (
            ("group", "source", "component"),
            vfc["dims_group"],
            {"long_name": "participation ratio, 50-problem group", "units": "1"},
        )
        data["dimsT_group"] = (("group",), vfc["dimsT_group"], {"long_name": "PR of dZ direction, 50-problem group"})
    ds = xr.Dataset(
        data,
        coords={
            "problem": ("problem", problems),
            "column": ("column", list(analysis.VFC_COLUMNS)),
            "group": ("group", np.arange(1, (n - 1) // analysis.GROUP + 1, dtype=np.int64)),
            "source": ("source", ["weight", "state"]),
            "component": ("component", ["par", "perp"]),
        },
    )
    last = min(FIG2_PROBLEMS[1], n)
    if last >= FIG2_PROBLEMS[0] + 1:
        fig2 = analysis.decision_subspace(history, params, list(range(FIG2_PROBLEMS[0], last + 1)))
        ds = ds.merge(fig2)
        ds.attrs = {"fig2_problems": f"{FIG2_PROBLEMS[0]}-{last}"}
    ds.attrs.update(
        _provenance(
            unit,
            n_problems=n,
            rho=float(member.rho),
            trials_total=int(member.trials_total),
            train_wall_s=round(float(member.wall_s), 1),
            summary_wall_s=round(time.perf_counter() - start, 1),
        )
    )
    return ds


def _cvfc_summary(unit: NetworkUnit) -> xr.Dataset:
    params = unit.params
    last = min(params.cvfc_last_problem, params.n_problems)
    folder = Path(unit.folder) / "full"
    done = (
        json.loads((folder / f"full-s{unit.seed}.progress.json").read_text())["problems"]
        if (folder / f"full-s{unit.seed}.progress.json").is_file()
        else 0
    )
    if done < last:
        raise DataError(
            f"network {unit.seed} has {done} trained problems; the Fig. 7 analysis needs {last}: "
            "train it first (python -m paperrepro.learning_to_learn train)"
        )
    start = time.perf_counter()
    out = analysis.cvfc_network(load_history(folder / f"full-s{unit.seed}", last), params, last)
    ds = analysis.cvfc_combine({unit.seed: out}).isel(network=0, drop=True)
    ds.attrs = _provenance(unit, last_problem=int(last), summary_wall_s=round(time.perf_counter() - start, 1))
    return ds


def _perturbation_summary(unit: NetworkUnit) -> xr.Dataset:
    params = dataclasses.replace(unit.params, pert_seeds=(unit.seed,), batch_seeds=1)
    runs = train_perturbation((unit.seed,), params, checkpoint_dir=Path(unit.folder) / "perturbation", progress=False)
    n = params.pert_base_problems + params.pert_problems
    conv = np.array([np.asarray(runs[(unit.seed, c)].conv[:n], np.float64) for c in CONDITIONS])
    ds = xr.Dataset(
        {
            "trials": (
                ("condition", "problem"),
                conv,
                {"long_name": "trials to criterion (NaN: capped at pert_max_trials or failed)", "units": "trials"},
            )
        },
        coords={"condition": ("condition", list(CONDITIONS)), "problem": ("problem", np.arange(1, n + 1))},
    )
    ds["trials_run"] = (
        ("condition",),
        np.array([runs[(unit.seed, c)].trials_total for c in CONDITIONS], np.int64),
        {"long_name": "trials run, shared base problems included"},
    )
    ds["wall_s"] = (
        ("condition",),
        np.array([runs[(unit.seed, c)].wall_s for c in CONDITIONS]),
        {"long_name": "training wall-clock time, shared base problems included", "units": "s"},
    )
    ds.attrs = _provenance(
        unit,
        pert_base_problems=int(params.pert_base_problems),
        pert_problems=int(params.pert_problems),
        pert_max_trials=int(params.pert_max_trials),
    )
    return ds


_SUMMARISERS: dict[str, Callable[[NetworkUnit], xr.Dataset]] = {
    "full": _full_summary,
    "cvfc": _cvfc_summary,
    "perturbation": _perturbation_summary,
}


def _needed(unit: NetworkUnit) -> dict[str, int]:
    p = unit.params
    if unit.kind == "full":
        return {"n_problems": p.n_problems}
    if unit.kind == "cvfc":
        return {"last_problem": min(p.cvfc_last_problem, p.n_problems)}
    return {"pert_problems": p.pert_problems}


def run_unit(unit: NetworkUnit) -> str:
    """Train/analyse one network (resuming its checkpoints) and return the path of its summary.

    An existing summary that covers the unit's size is reused (``n_problems``, ``last_problem`` or
    ``pert_problems`` at least the profile's).
    """
    path = unit.summary_path
    if not _usable(path, _needed(unit)):
        write_netcdf(_SUMMARISERS[unit.kind](unit), path)
    return str(path)


def _units(ctx: RunContext, kind: str, seeds: tuple[int, ...]) -> list[NetworkUnit]:
    folder = str(run_folder(ctx, kind))
    return [NetworkUnit(kind, int(s), ctx.params, folder) for s in seeds]


def full_units(ctx: RunContext) -> list[NetworkUnit]:
    """``full`` units of every seed of the profile."""
    return _units(ctx, "full", tuple(ctx.params.seeds))


def cvfc_units(ctx: RunContext) -> list[NetworkUnit]:
    """``cvfc`` (Fig. 7) units of every seed of the profile."""
    return _units(ctx, "cvfc", tuple(ctx.params.seeds))


def perturbation_units(ctx: RunContext) -> list[NetworkUnit]:
    """``perturbation`` units of every perturbation seed of the profile."""
    return _units(ctx, "perturbation", tuple(ctx.params.pert_seeds))


def run_units(units: list[NetworkUnit], ctx: RunContext) -> dict[int, xr.Dataset]:
    """Run units through the context's executor (one process per network with ``local``/``dask``)."""
    done = map_units(run_unit, units, executor=ctx.executor, jobs=ctx.jobs, desc=f"{units[0].kind} networks") if units else []
    return {u.seed: read_netcdf(p) for u, p in zip(units, done, strict=True)}


# ------------------------------------------------------------------------------------------------- pinned
def pinned_name(kind: str, seed: int) -> str:
    """Registry name of a pinned summary, e.g. ``full_seed3.nc``."""
    if kind not in KINDS:
        raise ValueError(f"unknown summary kind {kind!r}; valid kinds: {', '.join(KINDS)}")
    return f"{kind}_seed{seed}.nc"


def load_summaries(params: Params, kind: str, seeds: tuple[int, ...]) -> dict[int, xr.Dataset]:
    """The pinned summaries of ``seeds`` (hash-checked), checked against the profile's parameters.

    Raises
    ------
    DataError
        If a summary is not pinned, was trained with other trajectory parameters, or covers fewer problems than
        the profile asks for; the message names the commands that make it and the switch ``source: train``.
    """
    registry = read_registry(PAPER)
    how = (
        "train and pin it: python -m paperrepro.learning_to_learn "
        f"{'perturb' if kind == 'perturbation' else 'train'} --profile <profile> --jobs 2, then "
        "python -m paperrepro.learning_to_learn pin --profile <profile>; or set source: train in params.yaml "
        "to train in the data folder"
    )
    out = {}
    for seed in seeds:
        name = pinned_name(kind, seed)
        if name not in registry:
            raise DataError(f"no pinned {kind} summary of network {seed} ({name} is not registered): {how}")
        ds = read_netcdf(fetch(PAPER, name))
        wanted = trajectory_key(params, _trajectory_kind(kind))
        if ds.attrs.get("trajectory_key") != wanted:
            raise DataError(
                f"{name} was trained with other parameters (trajectory key {ds.attrs.get('trajectory_key')}"
                f", the profile's is {wanted}): {how}"
            )
        need = _needed(NetworkUnit(kind, seed, params, ""))
        short = {k: v for k, v in need.items() if int(ds.attrs.get(k, -1)) < v}
        if short:
            raise DataError(
                f"{name} covers {', '.join(f'{k} = {ds.attrs.get(k)}' for k in short)}; the profile asks "
                f"for {', '.join(f'{k} = {v}' for k, v in short.items())}: {how}"
            )
        out[seed] = ds
    return out


def summaries(ctx: RunContext, kind: str) -> dict[int, xr.Dataset]:
    """Per-network summaries of ``kind`` for the context's seeds, from the pinned files or from training.

    Fig. 7 (``cvfc``) under ``source: train`` first makes sure every network is trained.

    Raises
    ------
    UsageError
        For a base seed other than 0: the networks are chosen by the profile's ``seeds`` (as the authors' seeds
        0-9), so ``--seed`` would only mislabel them.
    """
    if ctx.seed != 0:
        raise UsageError(
            f"--seed {ctx.seed}: learning_to_learn networks are chosen by the profile's seeds/pert_seeds "
            "in params.yaml (the authors' seeds 0-9), not by the base seed; use seed 0"
        )
    params: Params = ctx.params
    seeds = tuple(params.pert_seeds if kind == "perturbation" else params.seeds)
    if params.source == "pinned":
        return load_summaries(params, kind, seeds)
    if kind == "cvfc":
        run_units(full_units(ctx), ctx)
    return run_units(_units(ctx, kind, seeds), ctx)


def complete(ctx: RunContext, kind: str) -> bool:
    """Whether every network of the profile has a finished ``kind`` summary in the run folder."""
    units = perturbation_units(ctx) if kind == "perturbation" else _units(ctx, kind, tuple(ctx.params.seeds))
    return bool(units) and all(_usable(u.summary_path, _needed(u)) for u in units)


def register(name: str, digest: str, registry: Path | None = None) -> Path:
    """Write ``<name> sha256:<digest> committed`` into the registry, replacing a line of that name."""
    registry = registry or paths.paper_dir(PAPER) / "registry.txt"
    lines = registry.read_text().splitlines() if registry.is_file() else []
    lines = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [name]]
    lines.append(f"{name} sha256:{digest} committed")
    registry.write_text("\n".join(lines) + "\n")
    return registry


def pin(
    ctx: RunContext,
    kinds: tuple[str, ...] = KINDS,
    *,
    folder: Path | None = None,
    registry: Path | None = None,
    command: str = "",
) -> list[tuple[Path, str]]:
    """Copy the run folder's summaries of the profile into ``pinned/`` and register their sha256.

    Only finished summaries are pinned; nothing is trained here. Each pinned file gets the attribute
    ``pin_command`` (how the run was made and pinned).

    Parameters
    ----------
    ctx
        The profile whose run folder is pinned.
    kinds
        Which summaries (default: all of :data:`KINDS` that exist for every seed).
    folder, registry
        Output folder (default ``paperrepro/learning_to_learn/pinned``) and registry file (default the paper's).
    command
        The command lines that made the run, recorded in the files.

    Returns
    -------
    list
        ``(path, sha256)`` of every pinned file.

    Raises
    ------
    DataError
        If a requested kind has no complete summary for some seed.
    """
    folder = folder or paths.paper_dir(PAPER) / "pinned"
    written = []
    for kind in kinds:
        units = perturbation_units(ctx) if kind == "perturbation" else _units(ctx, kind, tuple(ctx.params.seeds))
        missing = [u.seed for u in units if not _usable(u.summary_path, _needed(u))]
        if missing:
            raise DataError(
                f"no complete {kind} summary of network(s) {missing} in {units[0].folder}: run "
                f"python -m paperrepro.learning_to_learn {'perturb' if kind == 'perturbation' else 'train'}"
                f" --profile {ctx.profile} first"
            )
        for unit in units:
            ds = read_netcdf(unit.summary_path)
            ds.attrs["pin_command"] = command
            path = write_netcdf(ds, Path(folder) / pinned_name(kind, unit.seed))
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            register(path.name, digest, registry)
            written.append((path, digest))
    return written
