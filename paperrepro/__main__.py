"""``python -m paperrepro``: list papers and figures, verify and compare outputs, verdicts, fetch data, ``dvc.yaml``."""

from __future__ import annotations

import argparse
import sys

from paperrepro import PACKAGES, PAPERS
from paperrepro.core.errors import PaperReproError
from paperrepro.core.training import TRAINING_STAGES


def _list() -> str:
    from paperrepro.core.figures import paper_registry

    lines = ["paperrepro — papers and figures (build one: python -m paperrepro.<paper> <figure>):"]
    for paper in PACKAGES:
        registry = paper_registry(paper)
        if registry is None:
            names = "(not yet available)"
        else:
            names = ", ".join(fig.name for fig in registry.ready()) or "-"
            if waiting := registry.waiting():
                names += (
                    f"; waiting for {', '.join(waiting[0].missing_data)} ({', '.join(f.name for f in waiting)}):"
                    f" {waiting[0].how_to_make}"
                )
        lines.append(f"  {paper:<18} {names}")
    lines.append("commands: status, verify, compare, fetch, report, dvc-yaml, retrain (python -m paperrepro <command> --help)")
    return "\n".join(lines)


def _verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from paperrepro.core.verify import verify

    outcomes = verify(stages=args.stages or None, lock=Path(args.lock) if args.lock else None, rev=args.rev)
    failures = [o for o in outcomes if o.failed]
    for o in failures:
        print(f"MISMATCH {o.path} (stage {o.stage}): {o.status}: {o.detail}")
    checked = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    print(f"verify: {checked} outputs match dvc.lock, {len(failures)} mismatched, {skipped} cached outputs absent")
    return 1 if failures else 0


def _compare(args: argparse.Namespace) -> int:
    from paperrepro.core.compare import format_judgements, judge_outputs

    judgements = judge_outputs(rev=args.rev, papers=args.papers or None)
    print(format_judgements(judgements))
    return 1 if any(j.failed for j in judgements) else 0


def _status(args: argparse.Namespace) -> int:
    import json

    from paperrepro.core import paths
    from paperrepro.core.atomic import atomic_write_text
    from paperrepro.core.status import figure_statuses, readme_with_table, status_table

    rows = figure_statuses()
    if args.readme:
        readme = paths.project_root() / "README.md"
        atomic_write_text(readme, readme_with_table(readme.read_text(), rows))
        print(f"wrote the status table of {len(rows)} figures into {readme.name}")
        return 0
    print(json.dumps([row.as_dict() for row in rows], indent=1) if args.json else status_table(rows))
    return 0


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


def _retrain(args: argparse.Namespace) -> int:
    from paperrepro.core.config import check_profile, read_params_file
    from paperrepro.core.training import retrain

    papers = [stage.paper for stage in TRAINING_STAGES] if args.paper == "all" else [args.paper]
    profile = check_profile(args.profile or read_params_file()["profile"])
    return retrain(papers, profile, dry_run=args.dry_run)


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from paperrepro.core.report import write_report

    path, entries = write_report(Path(args.output) if args.output else None)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.mark] = counts.get(entry.mark, 0) + 1
    print(f"wrote {path.name}: {len(entries)} figures: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    failing = [e for e in entries if e.failed]
    for entry in failing:
        print(f"  failing: {entry.figure.paper}/{entry.figure.name} ({entry.mark})")
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m paperrepro`` and return the exit code."""
    from paperrepro.core.cli import OneLineParser

    parser = OneLineParser(prog="python -m paperrepro", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command")
    p_verify = sub.add_parser("verify", help="check output md5s against dvc.lock (no DVC needed)")
    p_verify.add_argument("--stages", nargs="*", help="stage names (default: all)")
    p_verify.add_argument("--lock", help="lock file to compare with (default: dvc.lock)")
    p_verify.add_argument(
        "--rev", help="check the outputs committed at this git revision (e.g. HEAD) instead of the working tree"
    )
    p_compare = sub.add_parser(
        "compare",
        help="judge rebuilt outputs against the committed ones: identical, "
        "equivalent (within each figure's tolerance) or different",
    )
    p_compare.add_argument("--rev", default="HEAD", help="git revision of the committed outputs (default HEAD)")
    p_compare.add_argument("--papers", nargs="*", choices=PACKAGES, help="papers to judge (default: all)")
    p_status = sub.add_parser("status", help="the verdict of every figure: does it reproduce the paper?")
    p_status.add_argument("--json", action="store_true", help="one JSON object per figure")
    p_status.add_argument("--readme", action="store_true", help="write the table into README.md")
    p_fetch = sub.add_parser("fetch", help="download (or copy from a mirror) the registered data files")
    p_fetch.add_argument("--paper", choices=PAPERS)
    p_fetch.add_argument("--all", action="store_true", help="every paper (the default)")
    p_fetch.add_argument("--mirror", help="folder holding the files, instead of the network")
    p_dvc = sub.add_parser("dvc-yaml", help="regenerate dvc.yaml from the figure registries")
    p_dvc.add_argument("--check", action="store_true", help="only check that dvc.yaml is up to date")
    p_report = sub.add_parser("report", help="write the HTML report of every figure beside its references")
    p_report.add_argument("--output", help="file to write (default figures/report.html)")
    p_retrain = sub.add_parser(
        "retrain", help="retrain one paper's pinned networks (its frozen DVC stage train-<paper>) and record them"
    )
    p_retrain.add_argument("paper", choices=[*(stage.paper for stage in TRAINING_STAGES), "all"], help="paper, or all")
    p_retrain.add_argument("--profile", help="profile of params.yaml (default: its 'profile')")
    p_retrain.add_argument("--dry-run", action="store_true", help="only print the commands")
    args = parser.parse_or_exit_code(sys.argv[1:] if argv is None else argv)
    if isinstance(args, int):
        return args
    commands = {
        "verify": _verify,
        "compare": _compare,
        "status": _status,
        "fetch": _fetch,
        "dvc-yaml": _dvc_yaml,
        "report": _report,
        "retrain": _retrain,
    }
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
