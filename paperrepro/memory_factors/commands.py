"""Command-line subcommands: ``train`` one network of the grid, ``sweep`` a part of a design, ``pin`` the results.

``python -m paperrepro.memory_factors train --condition basic --task 2AFC --job 37 [--profile paper]``
    Trains (or finds) one network of the grid design in this process, resumably, and prints its result file.
``python -m paperrepro.memory_factors sweep [--profile paper] [--conditions basic,...] [--tasks 2AFC,COMP]
[--executor serial|local|dask] [--jobs N] [--block-size K]``
    Runs the selected networks of the profile through the executor (skipping finished ones, printing one line per
    finished network with elapsed time and ETA), then writes ``summary.nc`` of every condition it touched and prints
    one line per condition with its pass count.
``python -m paperrepro.memory_factors activity [--network <condition>/<task>/rho<rho>/job<j>] [--format nwb]``
    Labelled activity of trained networks on a fresh test batch (:mod:`paperrepro.memory_factors.activity_export`).
``python -m paperrepro.memory_factors effects [--profile quick]``
    Prints the condition x task table of the paired statistics from the figures' source (pinned or run).
``python -m paperrepro.memory_factors pin [--profile quick] [--allow-incomplete]``
    Collects the profile's finished networks into ``paperrepro/memory_factors/pinned/<prefix>_networks.nc`` and
    ``<prefix>_examples.nc`` and registers their sha256 (see :mod:`paperrepro.memory_factors.results`).

Both write to ``<data_dir>/memory_factors/<profile>/``, the folder the figures read, so a finished sweep makes the
figure builds skip their training. Unknown conditions, tasks, rho values or jobs exit 2 naming the valid ones.
"""

from __future__ import annotations

import argparse
import dataclasses

import xarray as xr

from paperrepro.activity import command as activity_command
from paperrepro.core.activity import read_netcdf
from paperrepro.core.cli import Command, display_path
from paperrepro.core.config import RunContext
from paperrepro.core.errors import UsageError

from .activity_export import EXPORTER as ACTIVITY_EXPORTER
from .analysis import effects_summary
from .grid import NetworkSpec, network_specs, run_networks, run_with_progress, write_summary
from .params import Params
from .results import load, pin, results_root


def _one_of(kind: str, value: object, valid: list, where: str) -> None:
    """Raise :class:`UsageError` unless ``value`` is among ``valid``."""
    if value not in valid:
        raise UsageError(f"unknown {kind} {value!r}{where}; valid {kind}s: {', '.join(map(str, valid))}")


def select_network(specs: list[NetworkSpec], condition: str, task: str, job: int, rho: float) -> NetworkSpec:
    """Return the network of ``specs`` with this condition, task label, rho and grid job.

    Raises
    ------
    UsageError
        Naming the valid values of the first argument that matches no network.
    """
    _one_of("condition", condition, list(dict.fromkeys(s.condition for s in specs)), "")
    specs = [s for s in specs if s.condition == condition]
    _one_of("task", task, list(dict.fromkeys(s.task_label for s in specs)), f" for condition {condition}")
    specs = [s for s in specs if s.task_label == task]
    _one_of("rho", rho, list(dict.fromkeys(s.rho for s in specs)), f" for {condition}/{task}")
    specs = [s for s in specs if s.rho == rho]
    jobs = [s.job for s in specs if s.job]
    if not jobs:
        raise UsageError("this profile has no grid jobs (its design is 'quick'): use --profile paper")
    if job not in jobs:
        raise UsageError(f"unknown job {job}; valid jobs: {min(jobs)}..{max(jobs)}")
    return next(s for s in specs if s.job == job)


def _names(text: str | None, valid: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """The comma-separated names of ``text`` (all of ``valid`` when ``None``), each checked against ``valid``."""
    if text is None:
        return valid
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise UsageError(f"no {kind} given; valid {kind}s: {', '.join(valid)}")
    for name in names:
        _one_of(kind, name, list(valid), " in this profile")
    return names


def select_sweep(params: Params, conditions: str | None, tasks: str | None) -> list[NetworkSpec]:
    """The networks of the profile restricted to some conditions and tasks (comma-separated; ``None``: all).

    Multitask networks are selected by their task B (the analysed one), as in the profile's own ``tasks``.
    """
    chosen = dataclasses.replace(
        params, conditions=_names(conditions, params.conditions, "condition"), tasks=_names(tasks, params.tasks, "task")
    )
    specs = network_specs(chosen)
    if not specs:
        raise UsageError("no network of this profile has the chosen conditions and tasks")
    return specs


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--condition", required=True, help="basic, hebbian, tethered, dynamic_input, variable_delay or multitask")
    parser.add_argument("--task", required=True, help="task, e.g. 2AFC (multitask: A-B, e.g. COMP-2AFC)")
    parser.add_argument(
        "--job",
        type=int,
        required=True,
        help="grid job j = 1..100: lambda0 = grid[(j-1) mod 10], sigma0 = grid[(j-1) div 10], seed j",
    )
    parser.add_argument("--rho", type=float, default=0.0, help="L2 coefficient (basic condition; default 0)")


def _train(args: argparse.Namespace, ctx: RunContext) -> int:
    spec = select_network(network_specs(ctx.params), args.condition, args.task, args.job, args.rho)
    path = run_networks([spec], ctx.params, results_root(ctx), executor=ctx.executor, jobs=ctx.jobs, progress=True)[0]
    print(display_path(path))
    return 0


def _sweep_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conditions", help="comma-separated conditions (default: every one of the profile)")
    parser.add_argument("--tasks", help="comma-separated tasks (default: every one of the profile)")
    parser.add_argument(
        "--block-size",
        type=int,
        default=1,
        help="networks of one column trained as one tensor program (default 1; on CPUs batching does not pay at N = 500)",
    )


def _report(line: str) -> None:
    print(line, flush=True)


def _sweep(args: argparse.Namespace, ctx: RunContext) -> int:
    specs = select_sweep(ctx.params, args.conditions, args.tasks)
    root = results_root(ctx)
    if args.block_size <= 1:
        run_with_progress(specs, ctx.params, root, executor=ctx.executor, jobs=ctx.jobs, report=_report)
    else:
        run_networks(specs, ctx.params, root, executor=ctx.executor, jobs=ctx.jobs, block_size=args.block_size)
    for condition in dict.fromkeys(s.condition for s in specs):
        path = write_summary(condition, ctx.params, root)
        summary = read_netcdf(path)
        print(
            f"{condition}: {summary.attrs['n_complete']} of {summary.attrs['n_networks']} networks complete, "
            f"{int(summary['passed'].sum())} passed -> {display_path(path)}"
        )
    return 0


def _pin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-incomplete", action="store_true", help="pin although some networks of the design are not trained yet"
    )


def _pin(args: argparse.Namespace, ctx: RunContext) -> int:
    for path, digest in pin(ctx.params, ctx.profile, results_root(ctx), allow_incomplete=args.allow_incomplete):
        print(f"{path.name} sha256:{digest} ({path.stat().st_size / 2**20:.2f} MB)")
    return 0


def effects_table(table: xr.Dataset) -> list[str]:
    """The condition x task table of the paired design, as text lines (:func:`~.analysis.effects_summary`).

    Parameters
    ----------
    table
        The network table of the design.

    Returns
    -------
    list of str
        A header and one line per condition and task trained: pairs, pass fractions (condition/basic), Delta SI
        mean +- s.e.m., Wilcoxon p, the paper's direction and whether ours agrees.
    """
    summary = effects_summary(table)
    lines = [
        f"{'condition':15s} {'task':10s} {'pairs':>5s} {'pass cond/basic':>15s} {'dSI mean +- sem':>17s} "
        f"{'Wilcoxon p':>10s} {'paper':>6s} agree"
    ]
    for condition in summary["condition"].values:
        paper = int(summary["paper_direction"].sel(condition=condition))
        for task in summary["task"].values:
            row = summary.sel(condition=condition, task=task)
            if int(row["n_pairs"]) < 0:  # the condition was not trained on this task
                continue
            lines.append(
                f"{condition:15s} {task:10s} {int(row['n_pairs']):5d} "
                f"{float(row['pass_fraction_condition']):7.2f}/{float(row['pass_fraction_basic']):.2f} "
                f"{float(row['delta_mean']):+8.2f} +- {float(row['delta_sem']):5.2f} {float(row['wilcoxon_p']):10.3g} "
                f"{'' if paper == 0 else ('+' if paper > 0 else '-'):>6s} {row['agreement'].item()}"
            )
    return lines


def _effects(args: argparse.Namespace, ctx: RunContext) -> int:
    table = load(ctx)[0]
    print("\n".join(effects_table(table)))
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("train", "train one network of the grid (resumable) and print its result file", _train_arguments, _train),
    Command("sweep", "run part of the grid through an executor and write the per-condition summaries", _sweep_arguments, _sweep),
    Command(
        "pin", "collect the profile's trained networks into the pinned files and register their sha256", _pin_arguments, _pin
    ),
    Command(
        "effects",
        "print the condition x task table of Delta SI (pairs, pass fractions, Wilcoxon p, paper direction)",
        lambda parser: None,
        _effects,
    ),
    activity_command(ACTIVITY_EXPORTER),
)
