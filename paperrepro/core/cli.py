"""The shared command line of every paper: ``python -m paperrepro.<paper> [figure|all] [options]``.

Without a figure it lists the paper's figures. An unknown figure, profile or parameter exits 2 with the valid
names; a failed reference check or a data problem exits 1; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import PaperReproError
from .execute import EXECUTORS
from .figures import FigureRegistry, build
from .reference import format_results

log = logging.getLogger("paperrepro")


def _parser(registry: FigureRegistry) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m paperrepro.{registry.paper}",
        description=f"Build the figures of {registry.title or registry.paper}.",
    )
    parser.add_argument("figure", nargs="?", help="figure to build, or 'all'; omit to list the figures")
    parser.add_argument("--profile", help="quick | paper (default: the 'profile' of params.yaml)")
    parser.add_argument("--check", action="store_true", help="compare the figure data with the reference values")
    parser.add_argument("--seed", type=int, help="base seed (default: the 'seed' of params.yaml)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for sweeps (default 1)")
    parser.add_argument("--executor", choices=EXECUTORS, help="serial, local or dask (default: local if --jobs > 1)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="more log output")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only errors")
    return parser


def list_figures(registry: FigureRegistry) -> str:
    """Return the listing of a paper's figures."""
    width = max((len(n) for n in registry.names), default=4)
    lines = [f"{registry.title or registry.paper} — figures (build one: python -m paperrepro.{registry.paper} <figure>):"]
    lines += [f"  {fig.name:<{width}}  {fig.description}" for fig in registry.figures.values()]
    return "\n".join(lines)


def _shown(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(registry: FigureRegistry, argv: list[str] | None = None) -> int:
    """Run the command line of one paper and return its exit code."""
    args = _parser(registry).parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO,
                        format="%(message)s")
    if args.figure is None:
        print(list_figures(registry))
        return 0
    executor = args.executor or ("local" if args.jobs > 1 else "serial")
    try:
        figures = registry.figures.values() if args.figure.lower() == "all" else [registry.get(args.figure)]
        ctx = registry.context(args.profile, seed=args.seed, jobs=args.jobs, executor=executor)
        failed = False
        for figure in figures:
            result = build(figure, ctx, check=args.check)
            log.info("%s: wrote %s and %s (%.1f s, profile %s)", figure.name, _shown(result.png),
                     _shown(result.data), result.wall_s, ctx.profile)
            if args.check:
                print(format_results(result.checks, f"{registry.paper}/{figure.name} vs reference ({ctx.profile}):"))
                failed |= not result.passed
        return 1 if failed else 0
    except PaperReproError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
