"""Pin a retrained model: one compact netCDF bundle of the checkpoints the quick profile needs (docs/accuracy.md, "Seeds").

``python -m paperrepro.accuracy.pin [--model 8loc_odr3000] [--seed 0]`` (the ``pin`` command,
:func:`paperrepro.oculomotor.pin.pin_command`) reads the run folder that
``python -m paperrepro.accuracy.train`` wrote for that model and seed (or ``--run``), selects the stage checkpoints
from its log (:func:`paperrepro.accuracy.source.select`, 5 per stage), writes ``paperrepro/accuracy/pinned/<model>_
seed<seed>.nc`` (float32 weights and the full training log, provenance attributes), prints its sha256 and writes the
line ``<name> sha256:<hex> committed`` into ``paperrepro/accuracy/registry.txt`` (replacing an older line of that
name). The 8-location bundle holds the union of the ODR and ODRD stage lists and the single stage checkpoints; the
360-location bundle only the single early/mid/mature checkpoints (``heatmap360`` and ``input_weights`` use no other;
≈ 1 MB each).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
from pathlib import Path

import numpy as np
import xarray as xr

from paperrepro.core import paths
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.oculomotor.pin import pin_command, register, run_pin, sha256_file, write_bundle
from paperrepro.oculomotor.store import RunFolder, kernel_dataset

from .source import Model, select
from .train import MODEL_8LOC, MODEL_360LOC, MODELS, run_dir

MAX_BYTES = 12 * 1024 * 1024
#: models whose bundle holds the single stage checkpoints only
SINGLES_ONLY: frozenset[str] = frozenset({MODEL_360LOC})
sha256 = sha256_file
__all__ = ["MAX_BYTES", "PIN", "SINGLES_ONLY", "bundle_dataset", "main", "pin", "register", "sha256"]


def bundle_dataset(
    run: Path, *, per_stage: int = 5, cap: int = 30, window: int = 9, strict_cap: bool = False, model_name: str = MODEL_8LOC
) -> xr.Dataset:
    """The bundle of one run folder as a Dataset (kernel layout of :mod:`paperrepro.oculomotor.store`)."""
    store = RunFolder(run)
    model = Model.from_store(store, model_name, held_only=True, attrs={"run_config": store.attrs["config_json"]})
    selection = select(model, per_stage=per_stage, cap=cap, window=window, strict_cap=strict_cap)
    chosen = sorted(set(selection.singles.values())) if model_name in SINGLES_ONLY else selection.all_trials()
    if not chosen:
        raise DataError(f"{run}: no stage checkpoints selected (the memory tasks have not been learnt yet)")
    rules = sorted(model.perf)
    log_text = (Path(run) / "log.json").read_bytes()
    ds = kernel_dataset(store, chosen, {"rule": rules, "eval_trials": ("eval", model.trials.astype(np.int64))})
    ds["perf"] = (("rule", "eval"), np.stack([model.perf[r] for r in rules]).astype(np.float64))
    ds["checkpoint"].attrs = {"long_name": "training trials at the checkpoint", "units": "1"}
    import torch

    ds.attrs = {
        "model": model_name,
        "n_eachring": int(model.n_eachring),
        "train_seed": int(model.seed),
        "per_stage": int(per_stage),
        "cap": int(cap),
        "window": int(window),
        "strict_cap": int(strict_cap),
        "selection_json": json.dumps(
            {"lists": selection.lists, "singles": selection.singles, "endpoints": selection.endpoints}, sort_keys=True
        ),
        "run_config": model.attrs.get("run_config", "{}"),
        "log_md5": hashlib.md5(log_text).hexdigest(),
        "train_wall_s": float(json.loads(log_text).get("times", [0.0])[-1]),
        "commands": f"python -m paperrepro.accuracy.train --model {model_name} --seed {model.seed}; "
        f"python -m paperrepro.accuracy.pin --model {model_name} --seed {model.seed}",
        "numpy_version": np.__version__,
        "torch_version": torch.__version__,
        "python": platform.python_version(),
    }
    return ds


def pin(
    run: Path | str,
    *,
    name: str,
    model_name: str = MODEL_8LOC,
    folder: Path | None = None,
    registry: Path | None = None,
    per_stage: int = 5,
    cap: int = 30,
    window: int = 9,
    strict_cap: bool = False,
) -> tuple[Path, str]:
    """Write the bundle of a run folder, register it and return ``(path, sha256)``.

    Parameters
    ----------
    run : path
        Training-run folder.
    name : str
        File name of the bundle.
    model_name : str
        Model id (a key of :data:`paperrepro.accuracy.train.MODELS`).
    folder, registry : path, optional
        Output folder (default ``paperrepro/accuracy/pinned``) and registry file (default the paper's).
    per_stage, cap, window, strict_cap
        Selection settings; they must match the quick profile's parameters.

    Raises
    ------
    DataError
        If no stage checkpoint exists yet or the bundle exceeds 12 MB.
    """
    folder = folder or paths.paper_dir("accuracy") / "pinned"
    registry = registry or paths.paper_dir("accuracy") / "registry.txt"
    ds = bundle_dataset(Path(run), per_stage=per_stage, cap=cap, window=window, strict_cap=strict_cap, model_name=model_name)
    return write_bundle(ds, Path(folder) / name, max_bytes=MAX_BYTES, registry=registry)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", choices=list(MODELS), default=MODEL_8LOC, help=f"model (default {MODEL_8LOC})")
    parser.add_argument("--seed", type=int, default=0, help="training seed (default 0)")
    parser.add_argument("--run", type=Path, help="training-run folder (default: the train command's folder)")
    parser.add_argument("--per-stage", type=int, default=5, help="checkpoints per stage list (default 5)")


def _run(args: argparse.Namespace, ctx: RunContext) -> int:
    path, digest = pin(
        args.run or run_dir(args.seed, args.model),
        name=f"{args.model}_seed{args.seed}.nc",
        model_name=args.model,
        per_stage=args.per_stage,
    )
    print(f"{path.name} sha256:{digest} ({path.stat().st_size / 2**20:.2f} MB)")
    return 0


PIN = pin_command(__doc__.split("\n")[0], _add_arguments, _run)
"""The ``pin`` command (register it with ``paperrepro.core.cli.main(REGISTRY, commands=[PIN])``)."""


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperrepro.accuracy.pin [--model M] [--seed S] [--run R] [--per-stage 5]``."""
    from .figures import REGISTRY

    return run_pin(REGISTRY, PIN, argv)


if __name__ == "__main__":
    raise SystemExit(main())
