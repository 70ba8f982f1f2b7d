"""The reference files of the rotational figures, generated from the authors' code re-run.

Every fidelity check compares a mean of our networks with the same mean of the original code's networks: the
per-network table ``paperrepro/rotational/original/demo_grid.csv`` written by :mod:`paperrepro.rotational.original`
(the notebook ``Model Demo 2020.ipynb`` of buschman-lab/RotationalDynamics @ 307afcc, demo grid: association
{0, 0.95} x 5 structure levels, one network per grid point and seed). The expected value is the original's mean;
the tolerance is four standard errors of the difference between the original's mean and ours, both from the
per-network SD the original's networks show (``SD * sqrt(1 / n_original + 1 / n_ours)``), so any statistically
faithful re-implementation passes and a shift of a few per-network SDs / sqrt(50) fails. ``n_ours`` is what the
figure pools: 50 networks per association level (50 structure levels x 1 seed by default; 5 x 10 on the demo
grid), and for slopes against structure the 5-level demo grid, whose slope has the larger standard error.

``python -m paperrepro.rotational.references`` rewrites ``paperrepro/rotational/reference/*.yaml``; a test checks
that the committed files are what this module generates from the committed table.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import yaml

from .original import ORIGINAL_COMMIT, ORIGINAL_REPOSITORY, read_table

TABLE = Path(__file__).parent / "original" / "demo_grid.csv"
REFERENCE_DIR = Path(__file__).parent / "reference"
N_SE = 4
#: Our networks per association level (default grid: 50 structure levels x 1 seed; demo grid 5 x 10).
N_OURS_PER_LEVEL = 50
#: ``structure = structure_cov / pattern_var`` (``rand_std_all / link_std`` in the original).
PATTERN_VAR = 0.451
ASSOCIATIONS = (0.0, 0.95)


def _ceil(x: float, digits: int) -> float:
    return math.ceil(x * 10**digits) / 10**digits


class _Table:
    """The original's per-network table with the statistics the checks need."""

    def __init__(self, path: Path = TABLE) -> None:
        self.columns = read_table(path)
        seeds = np.unique(self.columns["seed"]).astype(int)
        self.seeds = f"{seeds.min()}-{seeds.max()}" if np.all(np.diff(seeds) == 1) else ",".join(map(str, seeds))
        self.name = f"paperrepro/rotational/original/{Path(path).name}"

    def column(self, col: str) -> np.ndarray:
        if "+" in col:
            return sum(self.columns[c] for c in col.split("+"))
        return self.columns[col]

    def level(self, col: str, association: float) -> np.ndarray:
        return self.column(col)[np.isclose(self.columns["association"], association)]

    def origin(self, what: str) -> str:
        return (
            f"original code re-run: {ORIGINAL_REPOSITORY} @ {ORIGINAL_COMMIT[:7]}, notebook 'Model Demo 2020.ipynb' "
            f"seeded {self.seeds} (python -m paperrepro.rotational.original), {what} in {self.name}"
        )


def _level_check(t: _Table, name: str, variable: str, sel: dict, col: str, association: float, digits: int) -> dict:
    x = t.level(col, association)
    sd = float(x.std(ddof=1))
    tol = N_SE * sd * math.sqrt(1 / x.size + 1 / N_OURS_PER_LEVEL)
    return {
        "name": f"{name}, association {association:g}",
        "kind": "fidelity",
        "variable": variable,
        "sel": {**sel, "association": association},
        "reduce": "mean",
        "value": round(float(x.mean()), digits),
        "atol": _ceil(tol, digits),
        "source": t.origin(f"mean of column {col} over the {x.size} networks at association {association:g}")
        + f"; tolerance {N_SE} SE of the difference of the means (per-network SD {sd:.3g}, {x.size} original "
        f"vs {N_OURS_PER_LEVEL} of ours)",
    }


def _difference(t: _Table, col: str) -> tuple[float, float, float]:
    """Mean at association 0 minus mean at 0.95, its per-network SDs combined, and the SE of ours minus theirs."""
    lo, hi = t.level(col, ASSOCIATIONS[0]), t.level(col, ASSOCIATIONS[1])
    diff = float(lo.mean() - hi.mean())
    var = lo.var(ddof=1) + hi.var(ddof=1)
    se = math.sqrt(var * (1 / lo.size + 1 / N_OURS_PER_LEVEL))
    return diff, math.sqrt(var), se


def _level_checks(t: _Table, name: str, variable: str, sel: dict, col: str, digits: int = 3) -> list[dict]:
    return [_level_check(t, name, variable, sel, col, a, digits) for a in ASSOCIATIONS]


AUC_READOUTS = (
    ("A/X sensory (tp0) AUC", "AX0", "AX0"),
    ("A/X memory (tp1) AUC", "AX1", "AX1"),
    ("C/C* AUC at tp0 (chance)", "CCprime0", "CC0"),
    ("C/C* AUC at tp1", "CCprime1", "CC1"),
)
POSTDICTION = (
    ("A/X sensory read-out on unexpected trials", "AX0", "unexp", "sen_unexp"),
    ("A/X sensory read-out on expected trials", "AX0", "exp", "sen_exp"),
    ("A/X memory read-out on unexpected trials", "AX1", "unexp", "mem_unexp"),
    ("A/X memory read-out on expected trials", "AX1", "exp", "mem_exp"),
)
GROUPS = (
    ("stable units (AA + XX)", "stable", "n_AA+n_XX"),
    ("switching units (AX + XA)", "switching", "n_AX+n_XA"),
    ("sensory-only units (A0 + X0)", "sensory_only", "n_A0+n_X0"),
    ("memory-only units (0A + 0X)", "memory_only", "n_0A+n_0X"),
    ("non-selective units (00)", "nonselective", "n_00"),
)
#: association_sweep metric -> (column of the table, decimals of the slope)
SWEEP = {
    "sensory_auc": ("AX0", 3),
    "memory_auc": ("AX1", 3),
    "cc_auc_tp0": ("CC0", 3),
    "cc_auc_tp1": ("CC1", 3),
    "sensory_unexp": ("sen_unexp", 3),
    "sensory_exp": ("sen_exp", 3),
    "memory_unexp": ("mem_unexp", 3),
    "memory_exp": ("mem_exp", 3),
    "cc_on_ax_tp0": ("cc1_on_ax0", 3),
    "angle_sen_cc": ("angle_sen_cc", 1),
    "angle_sen_mem": ("angle_sen_mem", 1),
    "angle_mem_cc": ("angle_mem_cc", 1),
}


def _model_postdiction(t: _Table) -> list[dict]:
    checks = [c for name, r, s, col in POSTDICTION for c in _level_checks(t, name, "auc", {"readout": r, "subset": s}, col)]
    diff, _, se = _difference(t, "sen_unexp")
    checks.append(
        {
            "name": "interference: sensory-on-unexpected AUC at association 0 minus at 0.95",
            "kind": "fidelity",
            "variable": "sensory_unexp_drop",
            "value": round(diff, 3),
            "atol": _ceil(N_SE * se, 3),
            "source": t.origin("difference of the sen_unexp means at association 0 and 0.95")
            + f"; tolerance {N_SE} SE of the difference",
        }
    )
    diff, _, se = _difference(t, "mem_unexp")
    checks.append(
        {
            "name": "memory read-out protected: abs change of memory-on-unexpected AUC (0 vs 0.95)",
            "kind": "fidelity",
            "variable": "memory_unexp_change",
            "max": _ceil(abs(diff) + N_SE * se, 3),
            "source": t.origin(f"difference of the mem_unexp means at association 0 and 0.95 ({diff:+.3f})")
            + f"; bound abs(difference) + {N_SE} SE",
        }
    )
    return checks


def _model_selectivity_counts(t: _Table) -> list[dict]:
    checks = [c for name, g, col in GROUPS for c in _level_checks(t, name, "group_counts", {"group": g}, col, 1)]
    y, x = t.column("n_AA+n_XX+n_AX+n_XA"), t.columns["structure_cov"] / PATTERN_VAR
    slope, intercept = np.polyfit(x, y, 1)
    resid_sd = float(np.std(y - (slope * x + intercept), ddof=2))
    se_ref = resid_sd / math.sqrt(np.sum((x - x.mean()) ** 2))
    levels = np.unique(x)
    se_ours = resid_sd / math.sqrt(2 * N_OURS_PER_LEVEL / levels.size * np.sum((levels - levels.mean()) ** 2))
    checks.append(
        {
            "name": "stable + switching units rise with structure (slope per unit structure)",
            "kind": "fidelity",
            "variable": "stable_switching_slope",
            "value": round(float(slope), 2),
            "atol": _ceil(N_SE * math.hypot(se_ref, se_ours), 2),
            "source": t.origin(f"least-squares slope of n_AA+n_XX+n_AX+n_XA against structure over all {y.size} networks")
            + f"; tolerance {N_SE} SE of the difference of the slopes (residual SD "
            f"{resid_sd:.3g}; ours on the 5-level demo grid, the larger SE)",
        }
    )
    return checks


def _association_sweep(t: _Table) -> list[dict]:
    checks = []
    for metric, (col, digits) in SWEEP.items():
        diff, _, se = _difference(t, col)
        span = ASSOCIATIONS[1] - ASSOCIATIONS[0]
        checks.append(
            {
                "name": f"{metric}: slope against association",
                "kind": "fidelity",
                "variable": "slope",
                "sel": {"metric": metric},
                "value": round(-diff / span, digits),
                "atol": _ceil(N_SE * se / span, digits),
                "source": t.origin(f"(mean at 0.95 - mean at 0) / 0.95 of column {col}")
                + f"; tolerance {N_SE} SE of the difference of the slopes (ours from two levels, the larger "
                "SE; a least-squares slope over 10 levels estimates the same slope where the curve is linear)",
            }
        )
    return checks


def checks_by_figure(table: Path = TABLE) -> dict[str, list[dict]]:
    """Return the checks of every figure, generated from the original's per-network table."""
    t = _Table(table)
    return {
        "model_auc": [c for name, r, col in AUC_READOUTS for c in _level_checks(t, name, "auc", {"readout": r}, col)],
        "model_postdiction": _model_postdiction(t),
        "model_alignment": (
            _level_checks(t, "angle A/X sensory vs C/C* axes", "angle", {}, "angle_sen_cc", 1)
            + _level_checks(
                t, "C/C* (tp1) read-out on A/X labels at tp0", "cross_auc", {"direction": "CCprime1_on_AX0"}, "cc1_on_ax0"
            )
            + _level_checks(
                t, "A/X sensory read-out on C/C* labels at tp1", "cross_auc", {"direction": "AX0_on_CCprime1"}, "ax0_on_cc1"
            )
        ),
        "model_orthogonality": (
            _level_checks(t, "angle A/X sensory vs memory axes", "angle", {"axis_pair": "sen_mem"}, "angle_sen_mem", 1)
            + _level_checks(t, "angle A/X memory vs C/C* axes", "angle", {"axis_pair": "mem_CC"}, "angle_mem_cc", 1)
        ),
        "model_rotation_projection": (
            _level_checks(
                t,
                "A/X separate along the sensory axis at tp0 (all trials)",
                "projection_auc",
                {"readout": "AX0", "t_test": 0},
                "proj_ax0_t0",
            )
            + _level_checks(
                t,
                "A/X separate along the memory axis at tp1 (all trials)",
                "projection_auc",
                {"readout": "AX1", "t_test": 1},
                "proj_ax1_t1",
            )
            + _level_checks(
                t,
                "sensory axis does not separate A/X at tp1 (rotation; all trials)",
                "projection_auc",
                {"readout": "AX0", "t_test": 1},
                "proj_ax0_t1",
            )
        ),
        "model_zscore_scatter": [
            c
            for name, ls, step, col in (
                ("A/X-selective fraction at tp0", "AX", 0, "frac_sel_ax0"),
                ("A/X-selective fraction at tp1", "AX", 1, "frac_sel_ax1"),
                ("C/C*-selective fraction at tp0 (false positives)", "CCprime", 0, "frac_sel_cc0"),
                ("C/C*-selective fraction at tp1", "CCprime", 1, "frac_sel_cc1"),
            )
            for c in _level_checks(t, name, "frac_selective", {"labels": ls, "t": step}, col)
        ],
        "model_selectivity_counts": _model_selectivity_counts(t),
        "model_crosstemporal": (
            _level_checks(
                t,
                "A/X sensory read-out on A/X at tp1 (does not generalise)",
                "auc",
                {"readout": "AX0", "labels": "AX", "t_test": 1},
                "ax0_on_ax1",
            )
            + _level_checks(
                t, "A/X sensory read-out on A/X at tp0 (diagonal)", "auc", {"readout": "AX0", "labels": "AX", "t_test": 0}, "AX0"
            )
            + _level_checks(
                t,
                "C/C* read-out on C/C* at tp1 (diagonal)",
                "auc",
                {"readout": "CCprime1", "labels": "CCprime", "t_test": 1},
                "CC1",
            )
        ),
        "association_sweep": _association_sweep(t),
    }


def render(figure: str, checks: list[dict]) -> str:
    """Return the YAML text of one figure's reference file."""
    header = (
        f"# Generated by `python -m paperrepro.rotational.references` from {TABLE.parent.name}/{TABLE.name}; "
        "do not edit by hand.\n"
    )
    return header + yaml.safe_dump({"figure": figure, "checks": checks}, sort_keys=False, width=120, allow_unicode=True)


def main() -> int:
    """Rewrite every reference file from the committed table."""
    for figure, checks in checks_by_figure().items():
        path = REFERENCE_DIR / f"{figure}.yaml"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(render(figure, checks))
        tmp.replace(path)
        print(f"{path.name}: {len(checks)} checks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
