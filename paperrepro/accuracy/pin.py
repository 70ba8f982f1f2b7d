"""Pin a retrained model: one compact netCDF bundle of the checkpoints the quick profile needs (docs/accuracy.md, "Seeds").

``python -m paperrepro.accuracy.pin [--model 8loc_odr3000] [--seed 0]`` reads the run folder that
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
from paperrepro.core.activity import write_netcdf
from paperrepro.core.errors import DataError, PaperReproError

from .source import model_from_run, select
from .train import MODEL_8LOC, MODEL_360LOC, MODELS, run_dir

MAX_BYTES = 12 * 1024 * 1024
#: models whose bundle holds the single stage checkpoints only
SINGLES_ONLY: frozenset[str] = frozenset({MODEL_360LOC})


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def bundle_dataset(
    run: Path, *, per_stage: int = 5, cap: int = 30, window: int = 9, strict_cap: bool = False, model_name: str = MODEL_8LOC
) -> xr.Dataset:
    """The bundle of one run folder as a Dataset (see the module docstring)."""
    model = model_from_run(run, model_name)
    selection = select(model, per_stage=per_stage, cap=cap, window=window, strict_cap=strict_cap)
    chosen = sorted(set(selection.singles.values())) if model_name in SINGLES_ONLY else selection.all_trials()
    if not chosen:
        raise DataError(f"{run}: no stage checkpoints selected (the memory tasks have not been learnt yet)")
    weights = [model.weights(t) for t in chosen]
    rules = sorted(model.perf)
    log_text = (Path(run) / "log.json").read_bytes()
    ds = xr.Dataset(
        {
            name: (dims, np.stack([w[name] for w in weights]).astype(np.float32))
            for name, dims in (
                ("kernel", ("checkpoint", "kernel_row", "unit")),
                ("bias", ("checkpoint", "unit")),
                ("w_out", ("checkpoint", "unit", "output")),
                ("b_out", ("checkpoint", "output")),
            )
        },
        coords={
            "checkpoint": np.asarray(chosen, np.int64),
            "rule": rules,
            "eval_trials": ("eval", model.trials.astype(np.int64)),
        },
    )
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


def register(name: str, digest: str, registry: Path | None = None) -> Path:
    """Write ``<name> sha256:<digest> committed`` into the paper's registry (replacing a line of that name)."""
    registry = registry or paths.paper_dir("accuracy") / "registry.txt"
    lines = registry.read_text().splitlines() if registry.is_file() else []
    lines = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [name]]
    lines.append(f"{name} sha256:{digest} committed")
    registry.write_text("\n".join(lines) + "\n")
    return registry


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
    path = write_netcdf(
        bundle_dataset(Path(run), per_stage=per_stage, cap=cap, window=window, strict_cap=strict_cap, model_name=model_name),
        Path(folder) / name,
    )
    if path.stat().st_size > MAX_BYTES:
        raise DataError(f"{path.name} is {path.stat().st_size / 2**20:.1f} MB (> 12 MB); lower per_stage")
    digest = sha256(path)
    register(name, digest, registry)
    return path, digest


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperrepro.accuracy.pin [--model M] [--seed S] [--run R] [--per-stage 5]``."""
    parser = argparse.ArgumentParser(prog="python -m paperrepro.accuracy.pin", description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=list(MODELS), default=MODEL_8LOC, help=f"model (default {MODEL_8LOC})")
    parser.add_argument("--seed", type=int, default=0, help="training seed (default 0)")
    parser.add_argument("--run", type=Path, help="training-run folder (default: the train command's folder)")
    parser.add_argument("--per-stage", type=int, default=5, help="checkpoints per stage list (default 5)")
    args = parser.parse_args(argv)
    try:
        path, digest = pin(
            args.run or run_dir(args.seed, args.model),
            name=f"{args.model}_seed{args.seed}.nc",
            model_name=args.model,
            per_stage=args.per_stage,
        )
    except PaperReproError as err:
        print(f"error: {err}")
        return err.exit_code
    print(f"{path.name} sha256:{digest} ({path.stat().st_size / 2**20:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
