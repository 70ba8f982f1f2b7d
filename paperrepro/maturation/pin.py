"""Pin a retrained run's stage checkpoints into one committed file (docs/maturation.md).

``python -m paperrepro.maturation.pin`` (the ``pin`` command, :func:`paperrepro.oculomotor.pin.pin_command`) reads
the training-run folder (default
``<data>/maturation/paper/seed<seed>``), selects the checkpoints of :func:`~paperrepro.maturation.stages.pin_selection`
(3 ODR representatives, ``per_stage`` rule-A checkpoints per stage for ODR and ODRD in the analysis range, every
``plateau_every``-th evaluation before the range), writes them with the **full** log as
``paperrepro/maturation/pinned/<pinned_name>`` (split layout of :mod:`paperrepro.oculomotor.store`; float32 weights,
≤ 15 MB), prints the file's sha256 and writes the line ``<name> sha256:<hex> committed`` into
``paperrepro/maturation/registry.txt`` (other lines are kept). The quick profile then loads it with
``paperrepro.core.fetch.fetch("maturation", <name>)``.

The run itself comes from (paper hyper-parameters, seed 0; 1 thread; resumable)::

    python -m paperrepro.maturation.train --seed 0

Attributes of the file record the commands, the package commit, numpy/torch versions, the training wall time, the md5
of the full ``log.json``, take-off and stop trials, whether the run matured, and the chosen trial numbers with their
roles (JSON).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.core import paths
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import git_commit

from ..oculomotor.pin import pin_command, register, run_pin, sha256_file, write_bundle
from ..oculomotor.store import RunFolder, weights_dataset
from .stages import pin_selection

MAX_BYTES = 15_000_000
PAPER = "maturation"
update_registry = register  # the registry line of a pinned file (shared with accuracy)
__all__ = ["MAX_BYTES", "PIN", "main", "pin_run", "pinned_dataset", "sha256_file", "update_registry"]


def pinned_dataset(run: RunFolder, selection: dict, *, command: str) -> xr.Dataset:
    """The pinned dataset: chosen weights, the full log and provenance attributes."""
    import torch

    batch = int(run.config.get("batch_size", 64))
    ds = weights_dataset(run, selection["trials"], batch_size=batch)
    ds = ds.merge(run.log)
    log_bytes = (run.path / "log.json").read_bytes()
    ds.attrs = {
        "title": "maturation: pinned stage checkpoints of a retrained 256-unit run (docs/maturation.md)",
        "source": "retrained",
        "config_json": json.dumps(run.config, sort_keys=True),
        "seed": int(run.config.get("seed", 0)),
        "train_command": "paperrepro.oculomotor.train.train(<run>, TrainConfig(seed=<seed>)), 1 thread",
        "pin_command": command,
        "package_commit": git_commit(),
        "numpy_version": np.__version__,
        "torch_version": torch.__version__,
        "threads": 1,
        "train_wall_s": float(run.log["wall_time"].values[-1]),
        "log_md5": hashlib.md5(log_bytes).hexdigest(),
        "take_off_trial": int(selection["take_off"]),
        "stop_trial": int(run.log["log_trial"].values[-1]),
        "finished": int(run.attrs["finished"]),
        "matured": int(selection["matured"]),
        "range_json": json.dumps(selection["range"]),
        "representatives_json": json.dumps(selection["representatives"], sort_keys=True),
        "stages_json": json.dumps(selection["stages"], sort_keys=True),
        "plateau_json": json.dumps(selection["plateau"]),
        "trials_json": json.dumps(selection["trials"]),
    }
    return ds


def pin_run(
    run_dir: Path | str,
    out: Path | str,
    *,
    per_stage: int = 5,
    plateau_every: int = 64,
    range_lead: int = 16,
    cap: int = 30,
    allow_plateau: bool = False,
    allow_unfinished: bool = False,
    registry: Path | None = None,
    command: str = "",
) -> tuple[Path, str, dict]:
    """Select, write and register the pinned checkpoints of a run.

    Parameters
    ----------
    run_dir : path
        Training-run folder.
    out : path
        Output netCDF file.
    per_stage, plateau_every, range_lead, cap : int
        Selection parameters (:func:`~paperrepro.maturation.stages.pin_selection`).
    allow_plateau : bool
        Pin a run that has not left the ODR plateau (development only).
    allow_unfinished : bool
        Pin a run that is still training (its log is not marked finished; development only).
    registry : path, optional
        Registry file to update (``None``: leave registries alone).
    command : str
        The command line, stored in the attributes.

    Returns
    -------
    (path, sha256, selection)

    Raises
    ------
    DataError
        If the run is unfinished or has no take-off (without the ``allow_*`` flags) or the file exceeds 15 MB.
    """
    run = RunFolder(run_dir)
    if not run.attrs["finished"] and not allow_unfinished:
        raise DataError(
            f"{run.path} is still training (log.json not marked finished): let it reach its stopping "
            "rule (min perf > target) first"
        )
    selection = pin_selection(
        run.log, per_stage=per_stage, plateau_every=plateau_every, range_lead=range_lead, cap=cap, allow_plateau=allow_plateau
    )
    selection["trials"] = [t for t in selection["trials"] if t in set(run.trials.tolist())]
    out, sha = write_bundle(pinned_dataset(run, selection, command=command), out, max_bytes=MAX_BYTES, registry=registry)
    return out, sha, selection


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default="retrained", choices=("retrained",), help="only retrained runs so far")
    parser.add_argument("--run", help="training-run folder (default <data>/maturation/paper/seed<seed>)")
    parser.add_argument("--out", help="output file (default paperrepro/maturation/pinned/<pinned_name>)")
    parser.add_argument("--no-registry", action="store_true", help="do not update registry.txt")
    parser.add_argument("--allow-plateau", action="store_true", help="pin a run that has not taken off (dev only)")
    parser.add_argument("--allow-unfinished", action="store_true", help="pin a run still training (dev only)")


def _run(args: argparse.Namespace, ctx: RunContext) -> int:
    p = ctx.params
    run_dir = Path(args.run) if args.run else paths.data_dir() / PAPER / "paper" / f"seed{p.seed}"
    out = Path(args.out) if args.out else paths.paper_dir(PAPER) / "pinned" / p.pinned_name
    registry = None if args.no_registry else paths.paper_dir(PAPER) / "registry.txt"
    command = f"python -m paperrepro.maturation.pin --profile {ctx.profile} --source {args.source}"
    path, sha, sel = pin_run(
        run_dir,
        out,
        per_stage=p.per_stage,
        plateau_every=p.plateau_every,
        range_lead=p.range_lead,
        cap=p.window_cap,
        allow_plateau=args.allow_plateau or bool(p.allow_plateau),
        allow_unfinished=args.allow_unfinished,
        registry=registry,
        command=command,
    )
    print(f"{path}: {len(sel['trials'])} checkpoints, {path.stat().st_size / 1e6:.2f} MB, matured={sel['matured']}")
    print(f"sha256:{sha}")
    return 0


PIN = pin_command(__doc__.split("\n\n")[0].replace("\n", " "), _add_arguments, _run)
"""The ``pin`` command (register it with ``paperrepro.core.cli.main(REGISTRY, commands=[PIN])``)."""


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperrepro.maturation.pin [--run DIR] [--profile quick] ...``."""
    from .figures import REGISTRY

    return run_pin(REGISTRY, PIN, argv)


if __name__ == "__main__":
    raise SystemExit(main())
