"""The shared command line of every paper: ``python -m paperrepro.<paper> [figure|all] [options]``.

Without a figure it lists the paper's figures. An unknown figure, profile or parameter exits 2 with the valid
names; a failed reference check or a data problem exits 1; tracebacks only with ``--debug``.

A paper may add its own subcommands (e.g. ``python -m paperrepro.<paper> train ...``) by passing
:class:`Command` objects to :func:`main`; a command's name must not be a figure name. Commands share the run options
(``--profile``, ``--jobs``, ``--executor``, ``--debug``, ``-v``/``-q``) and the error handling of the figure builds.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import RunContext
from .errors import PaperReproError
from .execute import EXECUTORS
from .figures import FigureRegistry, build
from .reference import format_results

log = logging.getLogger("paperrepro")


@dataclass(frozen=True)
class Command:
    """A paper-specific subcommand of ``python -m paperrepro.<paper>``.

    Attributes
    ----------
    name
        The word that selects it (the first argument); must differ from every figure name and ``all``.
    help
        One-line description, shown in the paper's listing and ``--help``.
    add_arguments
        Adds the command's own options to its parser.
    run
        Runs the command with the parsed arguments and the run context of the chosen profile and returns the exit
        code; raises :class:`~paperrepro.core.errors.PaperReproError` for problems reported as one line.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, RunContext], int]


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the figure builds and the commands."""
    parser.add_argument("--profile", help="quick | paper (default: the 'profile' of params.yaml)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for sweeps (default 1)")
    parser.add_argument("--executor", choices=EXECUTORS, help="serial, local or dask (default: local if --jobs > 1)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="more log output")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only errors")


def _parser(registry: FigureRegistry, commands: Sequence[Command]) -> argparse.ArgumentParser:
    epilog = ("commands: " + ", ".join(c.name for c in commands)
              + f" (python -m paperrepro.{registry.paper} <command> --help)") if commands else None
    parser = argparse.ArgumentParser(
        prog=f"python -m paperrepro.{registry.paper}",
        description=f"Build the figures of {registry.title or registry.paper}.", epilog=epilog,
    )
    parser.add_argument("figure", nargs="?", help="figure to build, or 'all'; omit to list the figures")
    parser.add_argument("--check", action="store_true", help="compare the figure data with the reference values")
    parser.add_argument("--seed", type=int, help="base seed (default: the 'seed' of params.yaml)")
    _add_run_options(parser)
    return parser


def _command_parser(registry: FigureRegistry, command: Command) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m paperrepro.{registry.paper} {command.name}",
                                     description=command.help)
    command.add_arguments(parser)
    _add_run_options(parser)
    return parser


def list_figures(registry: FigureRegistry, commands: Sequence[Command] = ()) -> str:
    """Return the listing of a paper's figures (and of its commands, if any)."""
    width = max((len(n) for n in [*registry.names, *(c.name for c in commands)]), default=4)
    lines = [f"{registry.title or registry.paper} — figures (build one: python -m paperrepro.{registry.paper} <figure>):"]
    lines += [f"  {fig.name:<{width}}  {fig.description}" for fig in registry.figures.values()]
    if commands:
        lines.append(f"commands (python -m paperrepro.{registry.paper} <command> --help):")
        lines += [f"  {c.name:<{width}}  {c.help}" for c in commands]
    return "\n".join(lines)


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it (for messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _configure_logging(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO,
                        format="%(message)s")


def _guarded(args: argparse.Namespace, action: Callable[[], int]) -> int:
    """Run ``action``; report a :class:`PaperReproError` as one line (traceback with ``--debug``)."""
    try:
        return action()
    except PaperReproError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code


def _context(registry: FigureRegistry, args: argparse.Namespace, seed: int | None = None) -> RunContext:
    executor = args.executor or ("local" if args.jobs > 1 else "serial")
    return registry.context(args.profile, seed=seed, jobs=args.jobs, executor=executor)


def _build_figures(registry: FigureRegistry, args: argparse.Namespace) -> int:
    figures = registry.figures.values() if args.figure.lower() == "all" else [registry.get(args.figure)]
    ctx = _context(registry, args, args.seed)
    failed = False
    for figure in figures:
        result = build(figure, ctx, check=args.check)
        log.info("%s: wrote %s and %s (%.1f s, profile %s)", figure.name, display_path(result.png),
                 display_path(result.data), result.wall_s, ctx.profile)
        if args.check:
            print(format_results(result.checks, f"{registry.paper}/{figure.name} vs reference ({ctx.profile}):"))
            failed |= not result.passed
    return 1 if failed else 0


def main(registry: FigureRegistry, argv: Sequence[str] | None = None, commands: Sequence[Command] = ()) -> int:
    """Run the command line of one paper and return its exit code.

    Parameters
    ----------
    registry
        The paper's figures.
    argv
        Arguments (default ``sys.argv[1:]``).
    commands
        The paper's own subcommands, selected by a first argument equal to their name.
    """
    clashes = sorted({c.name.lower() for c in commands} & {n.lower() for n in [*registry.names, "all"]})
    if clashes:
        raise ValueError(f"command name(s) {clashes} of {registry.paper} clash with figure names")
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((c for c in commands if argv and argv[0] == c.name), None)
    if chosen is not None:
        args = _command_parser(registry, chosen).parse_args(argv[1:])
        _configure_logging(args)
        return _guarded(args, lambda: chosen.run(args, _context(registry, args)))
    args = _parser(registry, commands).parse_args(argv)
    _configure_logging(args)
    if args.figure is None:
        print(list_figures(registry, commands))
        return 0
    return _guarded(args, lambda: _build_figures(registry, args))
