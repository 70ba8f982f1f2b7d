"""Every paper's networks as labelled trial × time × unit datasets: conventions, files, command and reader.

``python -m paperrepro.<paper> activity [--network N[,N…]|all] [--stage S[,S…]|all] [--trials N] [--seed S]
[--format netcdf|nwb] [--out DIR]`` simulates networks of one paper on the paper's test trials and writes one file
per network (and stage, where the paper has stages) to ``<data>/activity/<paper>/<profile>/<network>[-<stage>].nc``
(or ``.nwb``). The data folder is never committed. :func:`open` gives the same data to Python, computing and caching
the file when it is missing::

    from paperrepro import activity
    ds = activity.open("maturation", stage="mature")          # xarray.Dataset, dims (trial, time, unit)
    delay = ds["rate"].where(ds["epoch"] == "delay", drop=True)
    by_cue = delay.groupby("cue_location").mean("trial")

Conventions (checked by :func:`check` before every write)
----------------------------------------------------------
* one data variable ``rate`` with dims exactly ``(trial, time, unit)``, attributes ``units`` and ``long_name``
  (what the paper's network calls its activity: firing rate in Hz, post-ReLU state, …);
* ``time``: float, ms from trial onset at a fixed step (``units = "ms"``); a model without physical time (the
  rotational model's two abstract steps) says so with ``units = "step"``;
* ``epoch`` along ``time``: the common epoch names of :data:`EPOCHS` (so that ``ds.where(ds.epoch == "delay")``
  selects the memory period of every paper), and ``task_epoch``: the epoch names of the paper's own code;
* every task variable of a trial (cue location, stimulus, rule, correct, …) as a coordinate along ``trial`` with
  ``units`` and ``long_name``; flags are int8 (netCDF has no booleans);
* ``unit``: integer index, plus the unit type or selectivity where the paper defines one, each with ``long_name``;
* provenance attributes :data:`PROVENANCE`: paper, profile, network, stage (``""`` without stages), checkpoint
  (which weights, in words), seed (of the trials' noise), source (pinned, authors, retrained, …), code_commit, the
  command, and the number of trials.

Each paper implements an :class:`Exporter` in ``paperrepro/<paper>/activity_export.py`` (``EXPORTER``): its valid
networks and stages and one simulation. Unknown networks or stages exit 2 naming the valid choices.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.cli import Command, display_path, positive_int, seed_int
from paperrepro.core.config import RunContext
from paperrepro.core.errors import UsageError

VARIABLE = "rate"
DIMS = ("trial", "time", "unit")
FORMATS: dict[str, str] = {"netcdf": ".nc", "nwb": ".nwb"}
EPOCHS: dict[str, str] = {
    "fixation": "fixation before the cue",
    "cue": "the stimulus to remember is shown",
    "delay": "memory period without the stimulus",
    "distractor": "a distractor is shown during the delay",
    "second_cue": "a second stimulus that is not to be reported (rotational model: context C or C*)",
    "go": "response period",
}
"""The common epoch vocabulary of the ``epoch`` coordinate."""
PROVENANCE: tuple[str, ...] = (
    "title",
    "paper",
    "profile",
    "network",
    "stage",
    "checkpoint",
    "seed",
    "source",
    "code_commit",
    "command",
    "n_trials",
)
"""Attributes every activity dataset carries."""
_TIME_UNITS = ("ms", "step")


# --- building and checking datasets -----------------------------------------------------------------------------


def coord(values, long_name: str, units: str = "1") -> tuple[np.ndarray, str, str]:
    """A trial or unit coordinate: values, ``long_name`` and ``units`` (see :func:`activity_dataset`)."""
    values = np.asarray(values)
    if values.dtype == bool:
        values = values.astype(np.int8)
    return values, long_name, units


def activity_dataset(
    rate: np.ndarray,
    *,
    time: np.ndarray,
    task_epoch: Sequence[str],
    epoch_map: dict[str, str],
    trials: dict[str, tuple[np.ndarray, str, str]],
    units: dict[str, tuple[np.ndarray, str, str]] | None = None,
    rate_units: str,
    rate_long_name: str,
    time_units: str = "ms",
    time_long_name: str = "time from trial onset",
    attrs: dict | None = None,
) -> xr.Dataset:
    """Assemble one activity dataset in the conventions of this module.

    Parameters
    ----------
    rate
        Activity, shape (trial, time, unit); stored as float32.
    time
        Time of each step (ms from trial onset, or steps with ``time_units="step"``).
    task_epoch
        The paper's own epoch name of each step.
    epoch_map
        Paper epoch name → common name of :data:`EPOCHS`.
    trials, units
        Coordinates along ``trial`` and (besides the index) ``unit``, each made with :func:`coord`.
    rate_units, rate_long_name
        Attributes of ``rate``.
    time_units, time_long_name
        Attributes of ``time``.
    attrs
        Dataset attributes (the provenance of :data:`PROVENANCE` is added by :func:`export`).

    Returns
    -------
    xarray.Dataset
    """
    rate = np.asarray(rate, dtype=np.float32)
    n_trial, n_time, n_unit = rate.shape
    task_epoch = np.asarray(task_epoch, dtype=str)
    coords: dict = {
        "trial": ("trial", np.arange(n_trial), {"long_name": "trial index", "units": "1"}),
        "time": ("time", np.asarray(time, dtype=np.float64), {"long_name": time_long_name, "units": time_units}),
        "epoch": (
            "time",
            np.array([epoch_map[e] for e in task_epoch]),
            {"long_name": "task epoch (common names: " + ", ".join(EPOCHS) + ")"},
        ),
        "task_epoch": ("time", task_epoch, {"long_name": "task epoch as the paper's code names it"}),
        "unit": ("unit", np.arange(n_unit), {"long_name": "recurrent unit index", "units": "1"}),
    }
    for name, (values, long_name, unit) in trials.items():
        coords[name] = ("trial", values, {"long_name": long_name, "units": unit})
    for name, (values, long_name, unit) in (units or {}).items():
        coords[name] = ("unit", values, {"long_name": long_name, "units": unit})
    return xr.Dataset(
        {VARIABLE: (DIMS, rate, {"units": rate_units, "long_name": rate_long_name})}, coords=coords, attrs=dict(attrs or {})
    )


def check(ds: xr.Dataset) -> None:
    """Raise ``ValueError`` listing every way ``ds`` departs from the conventions of this module."""
    problems = []
    if VARIABLE not in ds:
        problems.append(f"no variable {VARIABLE!r}")
    else:
        if ds[VARIABLE].dims != DIMS:
            problems.append(f"{VARIABLE} has dims {ds[VARIABLE].dims}, not {DIMS}")
        problems += [f"{VARIABLE} lacks attribute {a!r}" for a in ("units", "long_name") if a not in ds[VARIABLE].attrs]
    if ds["time"].attrs.get("units") not in _TIME_UNITS:
        problems.append(f"time units {ds['time'].attrs.get('units')!r} not in {_TIME_UNITS}")
    if "epoch" not in ds.coords or ds["epoch"].dims != ("time",):
        problems.append("no epoch coordinate along time")
    elif unknown := sorted(set(map(str, ds["epoch"].values)) - set(EPOCHS)):
        problems.append(f"epoch names {unknown} not in {list(EPOCHS)}")
    for name, var in ds.coords.items():
        if var.dims and var.dims[0] in ("trial", "unit") and var.ndim == 1:
            problems += [f"coordinate {name!r} lacks {a!r}" for a in ("long_name", "units") if a not in var.attrs]
    problems += [f"attribute {a!r} missing" for a in PROVENANCE if a not in ds.attrs]
    if problems:
        raise ValueError("activity dataset breaks the conventions: " + "; ".join(problems))


# --- exporters ----------------------------------------------------------------------------------------------------


class Exporter:
    """What a paper provides: its networks, their stages and one simulation (subclass per paper).

    Attributes
    ----------
    paper
        Module name of the paper.
    default_trials
        Trials simulated when ``--trials`` is not given (the paper's test batch where it has one).
    """

    paper: str = ""
    default_trials: int = 128

    def networks(self, ctx: RunContext) -> list[str]:
        """Every valid network name of the profile."""
        raise NotImplementedError

    def default_networks(self, ctx: RunContext) -> list[str]:
        """Networks exported when ``--network`` is not given (default: all)."""
        return self.networks(ctx)

    def stages(self, ctx: RunContext, network: str) -> list[str]:
        """Valid stages of ``network`` (empty: the paper has no stages)."""
        return []

    def default_stages(self, ctx: RunContext, network: str) -> list[str]:
        """Stages exported when ``--stage`` is not given."""
        return self.stages(ctx, network)

    def max_trials(self, ctx: RunContext, network: str) -> int | None:
        """Largest valid number of trials (``None``: any)."""
        return None

    def how_to_make(self, ctx: RunContext) -> str:
        """How to make the networks when there is none (shown in the error)."""
        return "see docs/" + self.paper + ".md"

    def check_trials(self, ctx: RunContext, network: str, n_trials: int) -> None:
        """Raise :class:`UsageError` if ``n_trials`` is not valid for ``network``."""
        top = self.max_trials(ctx, network)
        if top is not None and n_trials > top:
            raise UsageError(f"--trials {n_trials} is too many for {self.paper} network {network}; valid: 1..{top}")

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """The activity of one network (and stage) on ``n_trials`` trials (see :func:`activity_dataset`).

        The returned attributes must include ``checkpoint`` and ``source``; :func:`export` adds the rest of
        :data:`PROVENANCE`.
        """
        raise NotImplementedError


def exporter(paper: str) -> Exporter:
    """The :class:`Exporter` of ``paper`` (``paperrepro.<paper>.activity_export.EXPORTER``).

    Raises
    ------
    UsageError
        For an unknown paper, naming the valid ones.
    """
    from paperrepro import PAPERS

    if paper not in PAPERS:
        raise UsageError(f"unknown paper {paper!r}; valid papers: {', '.join(PAPERS)}")
    return importlib.import_module(f"paperrepro.{paper}.activity_export").EXPORTER


def compact(names: Sequence[str]) -> str:
    """Names for a message, runs of consecutive numbers collapsed: ``demo0..demo9, grid0..grid499``."""
    parts: list[str] = []
    run: list[tuple[str, int, str]] = []

    def flush() -> None:
        parts.extend([f"{run[0][2]}..{run[-1][2]}"] if len(run) > 2 else [r[2] for r in run])
        run.clear()

    for name in names:
        match = re.fullmatch(r"(.*?)(\d+)", name)
        if match and run and match.group(1) == run[-1][0] and int(match.group(2)) == run[-1][1] + 1:
            run.append((match.group(1), int(match.group(2)), name))
            continue
        flush()
        if match:
            run.append((match.group(1), int(match.group(2)), name))
        else:
            parts.append(name)
    flush()
    return ", ".join(parts)


def _choose(text: str | None, valid: list[str], default: list[str], kind: str, where: str) -> list[str]:
    if text is None:
        return default
    if text == "all":
        return valid
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    bad = [c for c in chosen if c not in valid]
    if bad or not chosen:
        shown = compact(valid) if valid else "none"
        raise UsageError(f"unknown {kind} {', '.join(bad) or repr(text)}{where}; valid {kind}s: {shown} (or all)")
    return chosen


def resolve(exp: Exporter, ctx: RunContext, networks: str | None, stages: str | None) -> list[tuple[str, str]]:
    """The (network, stage) pairs named on the command line (stage ``""`` for papers without stages).

    Raises
    ------
    UsageError
        Naming the valid networks or stages, before any simulation runs.
    """
    valid = exp.networks(ctx)
    if not valid:
        raise UsageError(f"{exp.paper} has no network to simulate in profile {ctx.profile}: {exp.how_to_make(ctx)}")
    pairs = []
    for network in _choose(networks, valid, exp.default_networks(ctx), "network", f" of {exp.paper}"):
        valid_stages = exp.stages(ctx, network)
        if not valid_stages:
            if stages is not None and stages != "all":
                raise UsageError(f"{exp.paper} network {network} has no stages; omit --stage")
            pairs.append((network, ""))
            continue
        default = exp.default_stages(ctx, network)
        pairs += [(network, s) for s in _choose(stages, valid_stages, default, "stage", f" of {exp.paper} network {network}")]
    return pairs


def path_for(ctx: RunContext, network: str, stage: str = "", fmt: str = "netcdf", root: Path | None = None) -> Path:
    """``<root>/<paper>/<profile>/<network>[-<stage>].<nc|nwb>`` (root default ``<data>/activity``)."""
    root = Path(root) if root is not None else ctx.data_dir / "activity"
    stem = f"{network}-{stage}" if stage else network
    return root / ctx.paper / ctx.profile / f"{stem}{FORMATS[fmt]}"


def export(exp: Exporter, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int, command: str = "") -> xr.Dataset:
    """Simulate one network (and stage), add the provenance of :data:`PROVENANCE` and check the conventions."""
    from paperrepro.core.figures import git_commit

    ds = exp.simulate(ctx, network, stage, n_trials, seed)
    stage_text = f", stage {stage}" if stage else ""
    ds.attrs = {
        "title": f"{exp.paper}: activity of network {network}{stage_text} on {ds.sizes['trial']} test trials",
        "paper": exp.paper,
        "profile": ctx.profile,
        "network": network,
        "stage": stage,
        "seed": int(seed),
        "code_commit": git_commit(),
        "command": command
        or f"python -m paperrepro.{exp.paper} activity --network {network}"
        + (f" --stage {stage}" if stage else "")
        + f" --trials {n_trials} --seed {seed}",
        "n_trials": int(ds.sizes["trial"]),
        **ds.attrs,
    }
    check(ds)
    return ds


def write(ds: xr.Dataset, path: Path, fmt: str = "netcdf") -> Path:
    """Write an activity dataset atomically as netCDF or NWB."""
    if fmt == "nwb":
        from paperrepro.core.nwb import to_nwb

        return to_nwb(ds, path, variable=VARIABLE)
    return write_netcdf(ds, path)


def read(path: Path, fmt: str = "netcdf") -> xr.Dataset:
    """Read a file written by :func:`write` back into a dataset."""
    if fmt == "nwb":
        from paperrepro.core.errors import DataError
        from paperrepro.core.nwb import from_nwb

        if not Path(path).is_file():
            raise DataError(f"missing activity file {path}")
        return from_nwb(path, variable=VARIABLE)
    return read_netcdf(path)


def open(  # noqa: A001 - the reader's name, as xarray.open_dataset
    paper: str,
    network: str | None = None,
    stage: str | None = None,
    *,
    trials: int | None = None,
    seed: int = 0,
    format: str = "netcdf",  # noqa: A002 - the command line's --format
    profile: str | None = None,
    root: str | Path | None = None,
    compute: bool = True,
) -> xr.Dataset:
    """The activity of one network (and stage) of ``paper`` as a labelled dataset.

    Reads ``<root>/<paper>/<profile>/<network>[-<stage>].<nc|nwb>``; when that file is missing, or was made with
    another number of trials or seed, simulates the network (as ``python -m paperrepro.<paper> activity``) and
    writes the file first, unless ``compute=False``.

    Parameters
    ----------
    paper
        One of :data:`paperrepro.PAPERS`.
    network, stage
        As the command's ``--network`` and ``--stage`` (default: the paper's first default network and its last
        default stage, e.g. maturation's ``mature``).
    trials
        Number of trials (default: the paper's test batch).
    seed
        Seed of the trials' noise.
    format
        ``"netcdf"`` or ``"nwb"``.
    profile
        Profile of ``params.yaml`` (default: its ``profile``).
    root
        Folder of the activity files (default ``<data>/activity``).
    compute
        Simulate a missing file (otherwise raise :class:`~paperrepro.core.errors.DataError`).

    Returns
    -------
    xarray.Dataset
        ``rate`` (trial, time, unit) with the coordinates and attributes described in this module's docstring.

    Examples
    --------
    >>> ds = open("accuracy", "8loc_odr3000_seed0", "mature", trials=64)   # doctest: +SKIP
    >>> ds["rate"].sel(unit=4).groupby("cue_location").mean("trial")     # doctest: +SKIP
    """
    from paperrepro.core.errors import DataError
    from paperrepro.core.figures import paper_registry

    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}")
    exp = exporter(paper)
    ctx = paper_registry(paper).context(profile)
    pairs = resolve(exp, ctx, network, stage)
    if network is None or stage is None:
        pairs = [p for p in pairs if p[0] == pairs[0][0]][-1:]
    if len(pairs) != 1:
        raise UsageError("open() reads one network and stage; name them (not 'all' or a list)")
    network, stage = pairs[0]
    n_trials = trials or exp.default_trials
    exp.check_trials(ctx, network, n_trials)
    path = path_for(ctx, network, stage, format, Path(root) if root is not None else None)
    if path.is_file():
        ds = read(path, format)
        if int(ds.attrs.get("n_trials", -1)) == n_trials and int(ds.attrs.get("seed", -1)) == seed:
            return ds
        if not compute:
            raise DataError(
                f"{path} holds {ds.attrs.get('n_trials')} trials of seed {ds.attrs.get('seed')}, not {n_trials}/{seed}"
            )
    elif not compute:
        raise DataError(f"missing activity file {path}: python -m paperrepro.{paper} activity --network {network}")
    ds = export(exp, ctx, network, stage, n_trials, seed)
    write(ds, path, format)
    return ds


# --- command line -------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``activity`` command."""
    parser.add_argument("--network", help="network name(s), comma-separated, or 'all' (default: the paper's default set)")
    parser.add_argument(
        "--stage", help="stage name(s), comma-separated, or 'all' (default: every stage; learning_to_learn: the last problem)"
    )
    parser.add_argument("--trials", type=positive_int, help="number of trials (default: the paper's test batch)")
    parser.add_argument("--seed", type=seed_int, default=0, help="seed of the trials' noise (default 0)")
    parser.add_argument("--format", choices=tuple(FORMATS), default="netcdf", help="file format (default netcdf)")
    parser.add_argument("--out", help="output folder (default: <data>/activity)")


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


def run(exp: Exporter, args: argparse.Namespace, ctx: RunContext) -> int:
    """Run the ``activity`` command: validate every choice, then simulate and write one file per network and stage."""
    pairs = resolve(exp, ctx, args.network, args.stage)
    n_trials = args.trials or exp.default_trials
    for network in dict.fromkeys(n for n, _ in pairs):
        exp.check_trials(ctx, network, n_trials)
    command = " ".join(["python -m paperrepro." + exp.paper, *sys.argv[1:]]) if sys.argv[1:2] == ["activity"] else ""
    for network, stage in pairs:
        start = time.perf_counter()
        ds = export(exp, ctx, network, stage, n_trials, args.seed, command)
        path = write(ds, path_for(ctx, network, stage, args.format, Path(args.out) if args.out else None), args.format)
        shape = " × ".join(f"{d} {ds.sizes[d]}" for d in DIMS)
        print(f"{display_path(path)}: {shape} ({_size(path)}, {time.perf_counter() - start:.1f} s)")
    return 0


def command(exp: Exporter) -> Command:
    """The ``activity`` subcommand of a paper's command line."""
    return Command(
        "activity",
        "simulate networks on the paper's test trials and write labelled trial × time × unit activity (data/activity/)",
        add_arguments,
        lambda args, ctx: run(exp, args, ctx),
    )
