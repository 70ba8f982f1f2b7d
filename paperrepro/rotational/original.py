"""Re-run the authors' original model code, seeded, and tabulate its per-network results.

The fidelity references of this paper come from the authors' own code: ``buschman-lab/RotationalDynamics`` at
commit ``307afcc49ba8124360bca15efe7aa8be6aa9097c`` (MIT), notebook ``Model Demo 2020.ipynb`` with its helper
module ``network_helper_functions.py``. Nothing of that code is copied here: :func:`run_original` reads the
notebook's code cells from a checkout and executes them unmodified except for three substitutions (the association
and structure grids of ``change_p_dict``, and the output file name), after seeding numpy's legacy global state and
Python's ``random`` (the original never seeds; its scikit-learn classifiers draw from numpy's global state).
:func:`summarise` turns the pickle the notebook writes into one row per network. The tables behind the reference
files are committed under ``paperrepro/rotational/original/`` and the reference files name them.

Usage (a checkout of the original repository at the pinned commit; PyTorch must be installed because the original
subclasses ``torch.nn.Module``)::

    python -m paperrepro.rotational.original <checkout> --grid demo --seeds 0-19 --out demo_grid.csv
    python -m paperrepro.rotational.original <checkout> --grid paper --seeds 0 --out paper_grid.csv

Measured cost (2-core machine, numpy 2.4.6, scikit-learn 1.9.1, torch 2.13.0): about 1.8 s per network, so about
20 s per seed of the demo grid (10 networks) and about 15 min per seed of the paper grid (500 networks).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ORIGINAL_REPOSITORY = "buschman-lab/RotationalDynamics"
ORIGINAL_COMMIT = "307afcc49ba8124360bca15efe7aa8be6aa9097c"
NOTEBOOK = "Model Demo 2020.ipynb"
HELPERS = "network_helper_functions.py"
#: sha256 of the two files at the pinned commit (the re-run refuses any other version).
FILE_SHA256 = {
    NOTEBOOK: "bdf3f6d495a20380abee58daba2203de8c75298be185f02d902abd22b7ae5b65",
    HELPERS: "54538fa998905ebe7b2847b84dc206c891b55e4cfa4c8500069cbd2241f1cacf",
}
#: The notebook's grids as written in its ``change_p_dict`` (association = ``link_percents``, structure
#: covariance = ``rand_std_all``), and the replacements per grid name (``numpy.linspace`` arguments).
GRID_TEXT = {"link_percents": "'link_percents':np.linspace(0,.95,2)", "rand_std_all": "'rand_std_all':np.linspace(0,.45,5)"}
GRIDS = {"demo": ((0.0, 0.95, 2), (0.0, 0.45, 5)), "paper": ((0.0, 0.95, 10), (0.0, 0.45, 50))}
OUTPUT_TEXT = "fn = 'model_demo.pkl'"
#: Two-sided p = 0.05 criterion on the z-scores, as in the original's ``return_zscore_blocks`` (``ndtri(0.975)``).
Z_CRIT = 1.959963984540054
COUNT_KEYS = ("AA", "0A", "XA", "A0", "00", "X0", "AX", "0X", "XX")
#: Per-network columns of :func:`summarise` (besides seed, p_index, association, structure_cov).
METRICS = (
    "AX0",
    "AX1",
    "CC0",
    "CC1",
    "sen_unexp",
    "sen_exp",
    "mem_unexp",
    "mem_exp",
    "cc1_on_ax0",
    "ax0_on_cc1",
    "ax0_on_ax1",
    "angle_sen_cc",
    "angle_sen_mem",
    "angle_mem_cc",
    *(f"n_{k}" for k in COUNT_KEYS),
    "frac_sel_ax0",
    "frac_sel_ax1",
    "frac_sel_cc0",
    "frac_sel_cc1",
    "proj_ax0_t0",
    "proj_ax1_t1",
    "proj_ax0_t1",
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notebook_code(
    checkout: Path, association: tuple[float, float, int], structure_cov: tuple[float, float, int], output: Path
) -> str:
    """Return the notebook's code cells as one program, with the grids and the output file substituted.

    Raises
    ------
    ValueError
        If a file differs from the pinned commit or a substituted text does not occur exactly once.
    """
    for name, digest in FILE_SHA256.items():
        if not _sha256(checkout / name).startswith(digest):
            raise ValueError(f"{name} in {checkout} is not the file of {ORIGINAL_REPOSITORY} @ {ORIGINAL_COMMIT[:7]}")
    cells = json.loads((checkout / NOTEBOOK).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    replacements = {
        GRID_TEXT["link_percents"]: f"'link_percents':np.linspace{tuple(association)}",
        GRID_TEXT["rand_std_all"]: f"'rand_std_all':np.linspace{tuple(structure_cov)}",
        OUTPUT_TEXT: f"fn = {str(output)!r}",
    }
    for old, new in replacements.items():
        if code.count(old) != 1:
            raise ValueError(f"expected {old!r} once in the notebook's code")
        code = code.replace(old, new)
    return code


def run_original(
    checkout: Path,
    association: tuple[float, float, int],
    structure_cov: tuple[float, float, int],
    seed: int,
    output: Path,
    log: Path | None = None,
) -> Path:
    """Run the notebook's code once on a grid with numpy's and Python's global random state seeded.

    Parameters
    ----------
    checkout : pathlib.Path
        Folder holding the original repository's files at the pinned commit.
    association, structure_cov : tuple of (float, float, int)
        ``numpy.linspace`` arguments of the grids.
    seed : int
        Seed of ``numpy.random`` (legacy global state) and ``random``.
    output : pathlib.Path
        The pickle the notebook writes.
    log : pathlib.Path, optional
        Receives the notebook's printed output (default: discarded).

    Returns
    -------
    pathlib.Path
        ``output``.
    """
    checkout = Path(checkout).resolve()
    code = notebook_code(checkout, association, structure_cov, Path(output).resolve())
    sys.path.insert(0, str(checkout))
    try:
        sys.modules.pop("network_helper_functions", None)
        np.random.seed(seed)  # noqa: NPY002 - the original draws from numpy's legacy global state
        random.seed(seed)
        with open(log or os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            exec(compile(code, NOTEBOOK, "exec"), {"__name__": "__original__"})  # noqa: S102 - the authors' code
    finally:
        sys.path.remove(str(checkout))
    return Path(output)


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    pos, neg = score[y == 1][:, None], score[y == 0][None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def summarise(pickle_path: Path, seed: int) -> list[dict[str, float]]:
    """Return one row per network of a pickle written by the notebook (columns ``METRICS``).

    The pickle holds only numpy arrays and builtins; it is read with the restricted unpickler of
    :func:`paperrepro.rotational.demo.load_demo_pickle`. AUCs are the original's (held-out trials); the
    projection AUCs (``proj_*``) are computed here from the saved decision functions on all trials, as the
    original's ``y_score_all`` holds them; selective fractions count ``abs(z) > Z_CRIT``.
    """
    from .demo import load_demo_pickle

    d = load_demo_pickle(pickle_path)
    ca, eu, ang = d["cross_auc"], d["eu_auc"], d["angle"]
    cond = np.asarray(d["condition_list"]).astype(int)
    y_ax = (cond >= 2).astype(int)
    rows = []
    for p in range(int(d["num_p"])):
        z_ax, z_cc = d["all_tp_zscore"]["AX"][p, 0], d["all_tp_zscore"]["CCprime"][p, 0]
        ys = d["y_score_all"]["AX"][p, 0]
        row = {
            "seed": seed,
            "p_index": p,
            "association": float(d["all_parm_val"]["link_percents"][p]),
            "structure_cov": float(d["all_parm_val"]["rand_std_all"][p]),
            "AX0": ca["AX0"]["AX0"][p, 0],
            "AX1": ca["AX1"]["AX1"][p, 0],
            "CC0": ca["CCprime0"]["CCprime0"][p, 0],
            "CC1": ca["CCprime1"]["CCprime1"][p, 0],
            "sen_unexp": eu["AX0"]["AX1unexp"][p, 0],
            "sen_exp": eu["AX0"]["AX1exp"][p, 0],
            "mem_unexp": eu["AX1"]["AX1unexp"][p, 0],
            "mem_exp": eu["AX1"]["AX1exp"][p, 0],
            "cc1_on_ax0": ca["CCprime1"]["AX0"][p, 0],
            "ax0_on_cc1": ca["AX0"]["CCprime1"][p, 0],
            "ax0_on_ax1": ca["AX0"]["AX1"][p, 0],
            "angle_sen_cc": ang["AX_sen_CCp"][p, 0],
            "angle_sen_mem": ang["AX_sen_AX_mem"][p, 0],
            "angle_mem_cc": ang["AX_mem_CCp"][p, 0],
            **{f"n_{k}": d["counts_all"][p, 0, i] for i, k in enumerate(COUNT_KEYS)},
            "frac_sel_ax0": np.mean(np.abs(z_ax[0]) > Z_CRIT),
            "frac_sel_ax1": np.mean(np.abs(z_ax[1]) > Z_CRIT),
            "frac_sel_cc0": np.mean(np.abs(z_cc[0]) > Z_CRIT),
            "frac_sel_cc1": np.mean(np.abs(z_cc[1]) > Z_CRIT),
            "proj_ax0_t0": _auc(y_ax, ys[0, 0]),
            "proj_ax1_t1": _auc(y_ax, ys[1, 1]),
            "proj_ax0_t1": _auc(y_ax, ys[0, 1]),
        }
        rows.append({k: (float(v) if k not in ("seed", "p_index") else int(v)) for k, v in row.items()})
    return rows


def write_table(rows: list[dict[str, float]], path: Path) -> None:
    """Write the rows as CSV (floats with 10 significant digits), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in row.items()})
    os.replace(tmp, path)


def read_table(path: Path) -> dict[str, np.ndarray]:
    """Read a table written by :func:`write_table` as columns."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def _seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    """Command line: run the original on a grid for several seeds and write the per-network table."""
    parser = argparse.ArgumentParser(prog="python -m paperrepro.rotational.original", description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help=f"folder with {ORIGINAL_REPOSITORY} @ {ORIGINAL_COMMIT[:7]}")
    parser.add_argument("--grid", choices=sorted(GRIDS), default="demo")
    parser.add_argument("--seeds", default="0-19", help="e.g. 0-19 or 0,3")
    parser.add_argument("--out", type=Path, required=True, help="CSV table, one row per network")
    args = parser.parse_args(argv)
    association, structure_cov = GRIDS[args.grid]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in _seeds(args.seeds):
            start = time.perf_counter()
            out = run_original(args.checkout, association, structure_cov, seed, Path(tmp) / f"seed{seed}.pkl")
            rows += summarise(out, seed)
            out.unlink()
            print(f"seed {seed}: {time.perf_counter() - start:.1f} s", flush=True)
            write_table(rows, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
