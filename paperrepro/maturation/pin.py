"""Pin a retrained run's stage checkpoints into one committed file (docs/maturation.md).

``python -m paperrepro.maturation.pin`` reads the training-run folder (default
``<data>/maturation/paper/seed<seed>``), selects the checkpoints of :func:`~paperrepro.maturation.stages.pin_selection`
(3 ODR representatives, ``per_stage`` rule-A checkpoints per stage for ODR and ODRD in the analysis range, every
``plateau_every``-th evaluation before the range), writes them with the **full** log as
``paperrepro/maturation/pinned/<pinned_name>`` (format: :mod:`paperrepro.maturation.store`; float32 weights,
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
import sys
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.core import paths
from paperrepro.core.activity import write_netcdf
from paperrepro.core.errors import DataError, PaperReproError
from paperrepro.core.figures import git_commit

from .stages import pin_selection
from .store import RunFolder, weights_dataset

MAX_BYTES = 15_000_000
PAPER = "maturation"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def update_registry(registry: Path, name: str, sha: str) -> None:
    """Write ``<name> sha256:<sha> committed`` into ``registry`` (replacing an old line of ``name``)."""
    lines = registry.read_text().splitlines() if registry.is_file() else []
    entry = f"{name} sha256:{sha} committed"
    kept = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [name]]
    registry.write_text("\n".join([*kept, entry]) + "\n")


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
    out = Path(out)
    write_netcdf(pinned_dataset(run, selection, command=command), out)
    size = out.stat().st_size
    if size > MAX_BYTES:
        out.unlink()
        raise DataError(f"pinned file would be {size / 1e6:.1f} MB (> 15 MB): lower per_stage or raise plateau_every")
    sha = sha256_file(out)
    if registry is not None:
        update_registry(registry, out.name, sha)
    return out, sha, selection


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperrepro.maturation.pin [--run DIR] [--profile quick] ...``."""
    from .figures import REGISTRY

    parser = argparse.ArgumentParser(prog="python -m paperrepro.maturation.pin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="quick", help="profile whose selection parameters are used")
    parser.add_argument("--source", default="retrained", choices=("retrained",), help="only retrained runs so far")
    parser.add_argument("--run", help="training-run folder (default <data>/maturation/paper/seed<seed>)")
    parser.add_argument("--out", help="output file (default paperrepro/maturation/pinned/<pinned_name>)")
    parser.add_argument("--no-registry", action="store_true", help="do not update registry.txt")
    parser.add_argument("--allow-plateau", action="store_true", help="pin a run that has not taken off (dev only)")
    parser.add_argument("--allow-unfinished", action="store_true", help="pin a run still training (dev only)")
    args = parser.parse_args(argv)
    try:
        ctx = REGISTRY.context(args.profile)
        p = ctx.params
        run_dir = Path(args.run) if args.run else paths.data_dir() / PAPER / "paper" / f"seed{p.seed}"
        out = Path(args.out) if args.out else paths.paper_dir(PAPER) / "pinned" / p.pinned_name
        registry = None if args.no_registry else paths.paper_dir(PAPER) / "registry.txt"
        command = " ".join(["python -m paperrepro.maturation.pin", *(argv if argv is not None else sys.argv[1:])])
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
    except PaperReproError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"{path}: {len(sel['trials'])} checkpoints, {path.stat().st_size / 1e6:.2f} MB, matured={sel['matured']}")
    print(f"sha256:{sha}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
