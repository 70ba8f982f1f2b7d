"""Subcommands of ``python -m paperrepro.learning_to_learn``: ``train``, ``perturb``, ``pin`` and ``activity``.

``python -m paperrepro.learning_to_learn train [--profile paper] [--jobs 2] [--seeds 0,1] [--skip-fig7]``
    Trains (or resumes) every network of the profile, one process per network (``--jobs``; one thread each),
    and writes each network's summary; then the Fig. 7 cross-problem analysis of each network (skipped with
    ``--skip-fig7``). Prints a progress line with an ETA every ``--report-every`` seconds. Interrupted, it
    resumes every network from its last finished problem when started again.
``python -m paperrepro.learning_to_learn perturb [--profile paper] [--jobs 2] [--seeds 0,1,2,3,4]``
    The manifold-perturbation runs (frozen read-out, D→S, S→S) of the profile's ``pert_seeds``, one process per
    network, with the same progress line and resumption.
``python -m paperrepro.learning_to_learn pin [--profile paper] [--kinds full,cvfc,perturbation]``
    Copies the finished summaries into ``paperrepro/learning_to_learn/pinned/`` and writes their sha256 into
    ``registry.txt``; the figures read them by default (``source: pinned``).
``python -m paperrepro.learning_to_learn activity [--network seed0] [--stage problem101] [--format nwb]``
    Labelled activity of trained networks (:mod:`paperrepro.learning_to_learn.activity_export`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import threading
import time
from pathlib import Path

from paperrepro.activity import command as activity_command
from paperrepro.core.cli import Command, display_path
from paperrepro.core.config import RunContext
from paperrepro.core.errors import UsageError

from . import runs
from .activity_export import EXPORTER as ACTIVITY_EXPORTER
from .perturb import CONDITIONS
from .train import read_progress

__all__ = ["COMMANDS", "expected_trials", "Progress"]

# Expected trials per problem, for the ETA only (never a reference): problem 1 about 3,000 trials (the original
# code's January-2023 conv files of xjwanglab/learning-2-learn: 2,411-3,374), later problems the mean of the
# authors' fits in f1_perfFit.mat (SC 141 exp(-x / 37.9) + 22.7) plus the 50-trial criterion window.
_PROBLEM1_TRIALS = 3000.0
_FIT_SC, _FIT_TC, _FIT_AS = 141.1, 37.86, 22.66
# Perturbed problems: rough trials per problem of each condition (frozen, D->S, S->S), for the ETA only.
_PERTURBED_TRIALS = {"control": 500.0, "ds": 4000.0, "ss": 900.0}


def expected_trials(first: int, last: int) -> float:
    """Expected trials of problems ``first..last`` (1-based, inclusive) of a full run, for the ETA."""
    total = _PROBLEM1_TRIALS if first <= 1 <= last else 0.0
    for p in range(max(first, 2), last + 1):
        total += 50.0 + _FIT_SC * math.exp(-(p - 2) / _FIT_TC) + _FIT_AS
    return total


def _hms(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Reads the progress records of a set of units and estimates the time left.

    Parameters
    ----------
    units
        ``full`` or ``perturbation`` units (their checkpoints write ``<key>.progress.json``).
    """

    def __init__(self, units: list[runs.NetworkUnit]) -> None:
        self.units = units
        self.start = time.monotonic()
        self.start_trials = self.state()[3]

    def _members(self, unit: runs.NetworkUnit) -> list[tuple[Path, str, int]]:
        p = unit.params
        if unit.kind == "full":
            return [(Path(unit.folder) / "full", f"full-s{unit.seed}", p.n_problems)]
        folder = Path(unit.folder) / "perturbation"
        return [(folder, f"base-s{unit.seed}", p.pert_base_problems)] + [
            (folder, f"base-s{unit.seed}-{c}", p.pert_base_problems + p.pert_problems) for c in CONDITIONS
        ]

    def state(self) -> tuple[int, int, int, int, float]:
        """``(networks done, problems done, problems in all, trials run, expected trials left)`` over all units."""
        done_units = problems = total = trials = 0
        left = 0.0
        empty = {"problems": 0, "trials": 0}
        for unit in self.units:
            members = self._members(unit)
            unit_done = True
            for i, (folder, key, n) in enumerate(members):
                rec = read_progress(folder, key) or empty
                if unit.kind == "perturbation" and i > 0:  # a condition: only its own problems after the shared base
                    base_n = unit.params.pert_base_problems
                    parent = read_progress(folder, members[0][1]) or empty
                    problems += max(rec["problems"] - base_n, 0)
                    total += n - base_n
                    trials += max(rec["trials"] - parent["trials"], 0) if rec["problems"] else 0
                    left += (n - max(rec["problems"], base_n)) * _PERTURBED_TRIALS[key.rsplit("-", 1)[1]]
                else:
                    problems += rec["problems"]
                    total += n
                    trials += rec["trials"]
                    left += expected_trials(rec["problems"] + 1, n)
                unit_done &= rec["problems"] >= n
            done_units += unit_done
        return done_units, problems, total, trials, left

    def line(self) -> str:
        """One progress line: networks and problems done, trial rate, elapsed time and ETA (all workers busy)."""
        done_units, problems, total, trials, left = self.state()
        elapsed = time.monotonic() - self.start
        rate = (trials - self.start_trials) / elapsed if elapsed > 0 else 0.0
        eta = _hms(left / rate) if rate > 0 else "unknown"
        kind = self.units[0].kind if self.units else ""
        return (
            f"[{_hms(elapsed)}] {kind}: {done_units}/{len(self.units)} networks done, {problems:,}/{total:,} "
            f"problems, {trials:,} trials ({rate:.1f} trials/s this session); ETA {eta}"
        )


def _report_while(progress: Progress, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        print(progress.line(), flush=True)


def _seeds(text: str | None, valid: tuple[int, ...], what: str) -> tuple[int, ...]:
    if text is None:
        return tuple(valid)
    try:
        seeds = tuple(int(s) for s in text.split(",") if s.strip())
    except ValueError as err:
        raise UsageError(f"--seeds must be comma-separated integers, got {text!r}") from err
    bad = [s for s in seeds if s not in valid]
    if not seeds or bad:
        raise UsageError(f"unknown seed(s) {bad or text!r}; the profile's {what}: {', '.join(map(str, valid))}")
    return seeds


def _run_with_progress(units: list[runs.NetworkUnit], ctx: RunContext, every: float) -> int:
    progress = Progress(units)
    print(progress.line(), flush=True)
    stop = threading.Event()
    reporter = threading.Thread(target=_report_while, args=(progress, every, stop), daemon=True)
    reporter.start()
    try:
        results = runs.run_units(units, ctx)
    except KeyboardInterrupt:
        stop.set()
        folder = display_path(Path(units[0].folder))
        print(
            f"interrupted: run the same command again to resume every network from its last finished problem "
            f"(checkpoints in {folder})",
            file=sys.stderr,
        )
        return 130
    finally:
        stop.set()
    print(progress.line(), flush=True)
    for seed, ds in sorted(results.items()):
        if "trials" in ds and ds.trials.ndim == 1:
            print(
                f"network {seed}: {int(ds.attrs.get('n_problems', ds.problem.size))} problems, "
                f"{int(ds.attrs.get('trials_total', 0)):,} trials, {float(ds.attrs.get('train_wall_s', 0)):.0f} s"
            )
        elif "trials" in ds:
            perturbed = ds.trials.isel(problem=slice(int(ds.attrs["pert_base_problems"]), None))
            print(
                f"network {seed}: mean trials of the perturbed problems "
                + ", ".join(f"{c} {float(perturbed.sel(condition=c).mean()):.0f}" for c in ds.condition.values)
            )
    print(f"summaries in {display_path(Path(units[0].folder))}")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", help="comma-separated subset of the profile's seeds (default: all)")
    parser.add_argument("--report-every", type=float, default=60.0, help="seconds between progress lines (60)")


def _train_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--skip-fig7",
        action="store_true",
        help="skip the Fig. 7 cross-problem analysis (≈ 30 CPU-min per network at 501 problems)",
    )


def _with_seeds(ctx: RunContext, **changes: tuple[int, ...]) -> RunContext:
    return dataclasses.replace(ctx, params=dataclasses.replace(ctx.params, **changes))


def _train(args: argparse.Namespace, ctx: RunContext) -> int:
    if args.report_every <= 0:
        raise UsageError("--report-every must be > 0")
    ctx = _with_seeds(ctx, seeds=_seeds(args.seeds, ctx.params.seeds, "seeds"))
    code = _run_with_progress(runs.full_units(ctx), ctx, args.report_every)
    if code or args.skip_fig7:
        return code
    print(f"Fig. 7 analysis (problems 2-{min(ctx.params.cvfc_last_problem, ctx.params.n_problems)}) of every network")
    try:
        runs.run_units(runs.cvfc_units(ctx), ctx)
    except KeyboardInterrupt:
        print("interrupted: run the same command again (finished networks are kept)", file=sys.stderr)
        return 130
    return 0


def _perturb(args: argparse.Namespace, ctx: RunContext) -> int:
    if args.report_every <= 0:
        raise UsageError("--report-every must be > 0")
    ctx = _with_seeds(ctx, pert_seeds=_seeds(args.seeds, ctx.params.pert_seeds, "pert_seeds"))
    return _run_with_progress(runs.perturbation_units(ctx), ctx, args.report_every)


def _pin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kinds", help=f"comma-separated summary kinds ({', '.join(runs.KINDS)}; default: every kind finished for all seeds)"
    )


def _pin(args: argparse.Namespace, ctx: RunContext) -> int:
    if args.kinds is None:
        kinds = tuple(k for k in runs.KINDS if runs.complete(ctx, k))
        if not kinds:
            raise UsageError(
                f"nothing to pin: no kind of summary is finished for every seed of profile {ctx.profile}"
                " (python -m paperrepro.learning_to_learn train / perturb)"
            )
    else:
        kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
        bad = [k for k in kinds if k not in runs.KINDS]
        if bad or not kinds:
            raise UsageError(f"unknown kind(s) {bad or args.kinds!r}; valid kinds: {', '.join(runs.KINDS)}")
    command = json.dumps(
        {
            k: f"python -m paperrepro.learning_to_learn {c} --profile {ctx.profile}"
            for k, c in (("full", "train"), ("cvfc", "train"), ("perturbation", "perturb"))
            if k in kinds
        }
        | {"pin": f"python -m paperrepro.learning_to_learn pin --profile {ctx.profile} --kinds {','.join(kinds)}"}
    )
    for path, digest in runs.pin(ctx, kinds, command=command):
        print(f"{display_path(path)} sha256:{digest} ({path.stat().st_size / 1024:.0f} kB)")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("train", "train (or resume) every network of the profile and summarise it for the figures", _train_arguments, _train),
    Command("perturb", "run the manifold-perturbation conditions of the profile's pert_seeds", _common, _perturb),
    Command("pin", "copy the finished summaries into pinned/ and register their sha256", _pin_arguments, _pin),
    activity_command(ACTIVITY_EXPORTER),
)
