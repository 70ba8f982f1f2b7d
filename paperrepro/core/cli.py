"""The shared command line of every paper: ``python -m paperrepro.<paper> [figure|all] [options]``.

Without a figure it lists the paper's figures. Every problem is reported as one line on stderr, never a traceback
(except with ``--debug``):

* exit 2 — bad input, found before any work: an unknown figure, profile, option or parameter, a malformed value on the
  command line (``--jobs 0``, ``--seed abc``) or in ``params.yaml`` (see :mod:`paperrepro.core.config`), or
  ``--seed`` for a paper whose figures do not use the base seed (below);
* exit 1 — a failed reference check or a data problem;
* exit 130 — interrupted with Ctrl-C (files are written atomically, so nothing is left half-written).

``--seed`` relabels every random stream of a run, so it is accepted only where the figures derive their randomness
from ``ctx.seed``. A paper whose figures read fixed networks (committed pinned files, or networks whose seeds are
parameters of its profile) declares ``seeded = False`` on its :class:`~paperrepro.core.figures.FigureRegistry`; the
command line then refuses ``--seed`` rather than label seed-0 results with another seed.

A paper may add its own subcommands (e.g. ``python -m paperrepro.<paper> train ...``) by passing
:class:`Command` objects to :func:`main`; a command's name must not be a figure name. Commands share the run options
(``--profile``, ``--jobs``, ``--executor``, ``--debug``, ``-v``/``-q``) and the error handling of the figure builds.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import MAX_SEED, RunContext, check_profile, check_seed
from .errors import PaperReproError, UsageError
from .execute import EXECUTORS
from .figures import FigureRegistry, build
from .reference import format_results

log = logging.getLogger("paperrepro")
INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT, as shells report it)."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser that reports a usage error as one line (problem and where to look) and exits 2."""

    def error(self, message: str) -> typing.NoReturn:
        """Print ``message`` as one line on stderr and exit 2 (argparse's hook for every usage error).

        Parameters
        ----------
        message
            argparse's description of the problem.

        Raises
        ------
        SystemExit
            Always, with code 2.
        """
        self.exit(2, f"error: {message}; see {self.prog} --help\n")

    def parse_or_exit_code(self, argv: Sequence[str] | None = None) -> argparse.Namespace | int:
        """Parse the arguments without ending the program.

        Parameters
        ----------
        argv
            The arguments; default ``sys.argv[1:]``.

        Returns
        -------
        argparse.Namespace or int
            The parsed arguments, or the exit code where argparse would end the program (2 for an error, 0 for
            ``--help``), so that callers return exit codes instead of raising ``SystemExit``.
        """
        try:
            return self.parse_args(argv)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else 2


def positive_int(text: str) -> int:
    """``argparse`` type: an integer >= 1 (``--jobs``).

    Parameters
    ----------
    text
        The option's value.

    Returns
    -------
    int
        The integer.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not an integer >= 1.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def seed_int(text: str) -> int:
    """``argparse`` type: a base seed, an integer from 0 to :data:`~paperrepro.core.config.MAX_SEED`.

    Parameters
    ----------
    text
        The option's value.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not an integer in that range.
    """
    try:
        return check_seed(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer from 0 to {MAX_SEED}, got {text!r}") from None


def profile_name(text: str) -> str:
    """``argparse`` type: one of :data:`~paperrepro.core.config.PROFILES`.

    Parameters
    ----------
    text
        The option's value.

    Returns
    -------
    str
        The profile.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a profile; the message lists the valid ones.
    """
    try:
        return check_profile(text)
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


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
    parser.add_argument("--profile", type=profile_name, help="quick | paper (default: the 'profile' of params.yaml)")
    parser.add_argument("--jobs", type=positive_int, default=1, help="worker processes for sweeps (default 1)")
    parser.add_argument("--executor", choices=EXECUTORS, help="serial, local or dask (default: local if --jobs > 1)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="more log output")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only errors")


def _parser(registry: FigureRegistry, commands: Sequence[Command]) -> OneLineParser:
    epilog = (
        ("commands: " + ", ".join(c.name for c in commands) + f" (python -m paperrepro.{registry.paper} <command> --help)")
        if commands
        else None
    )
    parser = OneLineParser(
        prog=f"python -m paperrepro.{registry.paper}",
        description=f"Build the figures of {registry.title or registry.paper}.",
        epilog=epilog,
    )
    parser.add_argument("figure", nargs="?", help="figure to build, or 'all'; omit to list the figures")
    parser.add_argument("--check", action="store_true", help="compare the figure data with the reference values")
    seed_help = (
        "base seed (default: the 'seed' of params.yaml)"
        if is_seeded(registry)
        else "not supported: the figures of this paper read fixed networks"
    )
    parser.add_argument("--seed", type=seed_int, help=seed_help)
    _add_run_options(parser)
    return parser


def _command_parser(registry: FigureRegistry, command: Command) -> OneLineParser:
    parser = OneLineParser(prog=f"python -m paperrepro.{registry.paper} {command.name}", description=command.help)
    command.add_arguments(parser)
    _add_run_options(parser)
    return parser


def list_figures(registry: FigureRegistry, commands: Sequence[Command] = ()) -> str:
    """Return the listing of a paper's figures (and of its commands, if any).

    Parameters
    ----------
    registry
        The paper's figures.
    commands
        The paper's own subcommands.

    Returns
    -------
    str
        One line per figure (name and description), then one per command; no final newline.
    """
    width = max((len(n) for n in [*registry.names, *(c.name for c in commands)]), default=4)
    lines = [f"{registry.title or registry.paper} — figures (build one: python -m paperrepro.{registry.paper} <figure>):"]
    lines += [f"  {fig.name:<{width}}  {fig.description}" for fig in registry.figures.values()]
    if commands:
        lines.append(f"commands (python -m paperrepro.{registry.paper} <command> --help):")
        lines += [f"  {c.name:<{width}}  {c.help}" for c in commands]
    return "\n".join(lines)


def display_path(path: Path) -> str:
    """Return a path as messages show it.

    Parameters
    ----------
    path
        Any path.

    Returns
    -------
    str
        ``path`` relative to the working directory when it lies below it, else as given.
    """
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _configure_logging(args: argparse.Namespace) -> None:
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO, format="%(message)s"
    )


def _guarded(args: argparse.Namespace, action: Callable[[], int]) -> int:
    """Run ``action``; report a :class:`PaperReproError` or Ctrl-C as one line (traceback with ``--debug``)."""
    try:
        return action()
    except PaperReproError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt as err:  # subclasses may say where the work stopped (e.g. a training run)
        if args.debug:
            raise
        where = f"{err}; " if str(err) else "no file was left half-written; "
        print(f"interrupted (Ctrl-C): {where}rerun the same command to continue", file=sys.stderr)
        return INTERRUPTED


def is_seeded(registry: FigureRegistry) -> bool:
    """Return whether the paper's figures derive their randomness from ``ctx.seed``.

    Parameters
    ----------
    registry
        The paper's figures.

    Returns
    -------
    bool
        The registry's ``seeded``.
    """
    return registry.seeded


def check_seed_supported(registry: FigureRegistry, seed: int | None) -> None:
    """Refuse ``--seed`` for a paper whose figures do not use the base seed.

    Parameters
    ----------
    registry
        The paper's figures.
    seed
        The value of ``--seed`` (``None`` when not given).

    Raises
    ------
    UsageError
        If ``seed`` was given and the registry is not ``seeded``; the message says how to get other networks.
    """
    if seed is None or is_seeded(registry):
        return
    paper = registry.paper
    retrain = (
        f"for other networks retrain ({registry.how_to_make})"
        if registry.how_to_make
        else f"choose the networks' seeds in params.yaml ({paper}.<profile>)"
    )
    raise UsageError(
        f"{paper} figures read fixed networks (pinned files or the seeds of params.yaml), not the base seed; "
        f"--seed is not supported; {retrain}"
    )


def _context(registry: FigureRegistry, args: argparse.Namespace, seed: int | None = None) -> RunContext:
    executor = args.executor or ("local" if args.jobs > 1 else "serial")
    return registry.context(args.profile, seed=seed, jobs=args.jobs, executor=executor)


def announce_stage() -> None:
    """Under ``dvc repro``, print which stage of the build this is (DVC names it in ``DVC_STAGE``), e.g. ``[stage 12/67]``.

    DVC itself says only the stage's name, so a build of many stages would not say how far it has come.
    """
    from .pipeline import stage_position

    stage = os.environ.get("DVC_STAGE")
    position = stage_position(stage) if stage else None
    if position is not None:
        print(f"[stage {position[0]}/{position[1]}] {stage}", flush=True)


def _build_figures(registry: FigureRegistry, args: argparse.Namespace) -> int:
    announce_stage()
    check_seed_supported(registry, args.seed)
    figures = registry.figures.values() if args.figure.lower() == "all" else [registry.get(args.figure)]
    ctx = _context(registry, args, args.seed)
    failed = False
    for figure in figures:
        result = build(figure, ctx, check=args.check)
        log.info(
            "%s: wrote %s and %s (%.1f s, profile %s)",
            figure.name,
            display_path(result.png),
            display_path(result.data),
            result.wall_s,
            ctx.profile,
        )
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

    Returns
    -------
    int
        0 on success, 1 for failed checks or data problems, 2 for usage errors, 130 after Ctrl-C (see the module
        docstring).

    Raises
    ------
    ValueError
        If a command's name clashes with a figure name or ``all`` (a programming error of the paper).
    """
    clashes = sorted({c.name.lower() for c in commands} & {n.lower() for n in [*registry.names, "all"]})
    if clashes:
        raise ValueError(f"command name(s) {clashes} of {registry.paper} clash with figure names")
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((c for c in commands if argv and argv[0] == c.name), None)
    if chosen is not None:
        parsed = _command_parser(registry, chosen).parse_or_exit_code(argv[1:])
        if isinstance(parsed, int):
            return parsed
        _configure_logging(parsed)
        return _guarded(parsed, lambda: chosen.run(parsed, _context(registry, parsed)))
    args = _parser(registry, commands).parse_or_exit_code(argv)
    if isinstance(args, int):
        return args
    _configure_logging(args)
    if args.figure is None:
        print(list_figures(registry, commands))
        return 0
    return _guarded(args, lambda: _build_figures(registry, args))
