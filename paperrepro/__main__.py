"""``python -m paperrepro``: list papers and figures, verify outputs, fetch data, generate ``dvc.yaml``."""

from __future__ import annotations

import argparse
import sys

from paperrepro import PAPERS
from paperrepro.core.errors import PaperReproError


def _list() -> str:
    from paperrepro.core.figures import paper_registry

    lines = ["paperrepro — papers and figures (build one: python -m paperrepro.<paper> <figure>):"]
    for paper in PAPERS:
        registry = paper_registry(paper)
        if registry is None:
            names = "(not yet available)"
        else:
            names = ", ".join(fig.name for fig in registry.ready()) or "-"
            if waiting := registry.waiting():
                names += (f"; waiting for {', '.join(waiting[0].missing_data)} ({', '.join(f.name for f in waiting)}):"
                          f" {waiting[0].how_to_make}")
        lines.append(f"  {paper:<18} {names}")
    lines.append("commands: verify, fetch, report, dvc-yaml (python -m paperrepro <command> --help)")
    return "\n".join(lines)


def _verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from paperrepro.core.verify import verify

    outcomes = verify(stages=args.stages or None, lock=Path(args.lock) if args.lock else None)
    failures = [o for o in outcomes if o.failed]
    for o in failures:
        print(f"MISMATCH {o.path} (stage {o.stage}): {o.status}: {o.detail}")
    checked = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    print(f"verify: {checked} outputs match dvc.lock, {len(failures)} mismatched, {skipped} cached outputs absent")
    return 1 if failures else 0


def _fetch(args: argparse.Namespace) -> int:
    from paperrepro.core.fetch import fetch, read_registry

    papers = PAPERS if args.all or not args.paper else [args.paper]
    for paper in papers:
        for name in read_registry(paper):
            print(f"{paper}/{name}: {fetch(paper, name, mirror=args.mirror)}")
    return 0


def _dvc_yaml(args: argparse.Namespace) -> int:
    from paperrepro.core import paths
    from paperrepro.core.pipeline import render_dvc_yaml, write_dvc_yaml

    if args.check:
        current = (paths.project_root() / "dvc.yaml").read_text()
        if current != render_dvc_yaml():
            print("dvc.yaml differs from the registries: run python -m paperrepro dvc-yaml")
            return 1
        print("dvc.yaml matches the registries")
        return 0
    print(f"wrote {write_dvc_yaml().name}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from paperrepro.core.report import write_report

    path, statuses = write_report(Path(args.output) if args.output else None)
    failing = [f"{s.figure.paper}/{s.figure.name}" for s in statuses if s.status != "pass"]
    print(f"wrote {path.name}: {len(statuses) - len(failing)} of {len(statuses)} figures pass")
    for name in failing:
        print(f"  not passing: {name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m paperrepro`` and return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m paperrepro", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command")
    p_verify = sub.add_parser("verify", help="check output md5s against dvc.lock (no DVC needed)")
    p_verify.add_argument("--stages", nargs="*", help="stage names (default: all)")
    p_verify.add_argument("--lock", help="lock file to compare with (default: dvc.lock)")
    p_fetch = sub.add_parser("fetch", help="download (or copy from a mirror) the registered data files")
    p_fetch.add_argument("--paper", choices=PAPERS)
    p_fetch.add_argument("--all", action="store_true", help="every paper (the default)")
    p_fetch.add_argument("--mirror", help="folder holding the files, instead of the network")
    p_dvc = sub.add_parser("dvc-yaml", help="regenerate dvc.yaml from the figure registries")
    p_dvc.add_argument("--check", action="store_true", help="only check that dvc.yaml is up to date")
    p_report = sub.add_parser("report", help="write the HTML report of every figure beside its references")
    p_report.add_argument("--output", help="file to write (default figures/report.html)")
    args = parser.parse_args(argv)
    commands = {"verify": _verify, "fetch": _fetch, "dvc-yaml": _dvc_yaml, "report": _report}
    if args.command is None:
        print(_list())
        return 0
    try:
        return commands[args.command](args)
    except PaperReproError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
