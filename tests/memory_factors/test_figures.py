"""Every figure builds from a tiny quick-design run (untrained networks; all forced to pass); statistics of the
analysis module on synthetic network tables; the reference files follow the check schema."""

import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy.stats import spearmanr, wilcoxon

from paperrepro.core.config import RunContext
from paperrepro.core.figures import build
from paperrepro.core.reference import evaluate, load_reference
from paperrepro.memory_factors.analysis import (
    PAPER_DIRECTIONS,
    condition_delta,
    coupling_data,
    pass_table,
    si_by_task_data,
    weight_profile,
)
from paperrepro.memory_factors.figures import REGISTRY
from paperrepro.memory_factors.grid import factors_specs
from paperrepro.memory_factors.params import Params

TINY = Params(
    design="quick",
    n_hidden=12,
    n_iterations=6,
    n_test_batches=2,
    n_si_batches=2,
    monitor_every=5,
    keep_hidden="examples",
    rho=(0.0, 1e-4),
    pass_threshold=1e9,
)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return RunContext("memory_factors", "smoke", TINY, seed=0, data_dir=tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize("name", REGISTRY.names)
def test_figure_builds(ctx, tmp_path, name):
    result = build(REGISTRY.get(name), ctx, folder=tmp_path)
    png, nc = REGISTRY.get(name).outputs(tmp_path)
    assert png.is_file() and nc.is_file() and nc.stat().st_size < 1_000_000
    assert result is not None


def test_weight_profile_forward_chain():
    w = np.zeros((4, 4))
    order = np.array([2, 0, 3, 1])
    for a, b in zip(order[:-1], order[1:], strict=False):
        w[a, b] = 1.0  # earlier -> later
    profile, asym = weight_profile(w, order, 3)
    assert profile[3 + 1] == 1.0 and profile[3 - 1] == 0.0 and asym > 0


# ------------------------------------------------------ statistics of the paired design on a synthetic table
DESIGN = Params(
    design="factors", tasks=("2AFC", "COMP", "DE-1"), factor_lambda0=(0.95, 0.97), factor_sigma0=(0.0, 0.1, 0.2, 0.3, 0.4)
)
TASK_SI = {"DE-1": 2.0, "2AFC": 2.2, "COMP": 3.2}
FAILED_JOB = 3  # fails in every condition, so that every task keeps 9 of 10 pairs


def synthetic_table(shift: dict[str, float] | None = None, seed: int = 0) -> xr.Dataset:
    """A network table of the factors design: SI rises with sigma0, falls with lambda0; job 3 fails everywhere."""
    shift = {
        "basic": 0.0,
        "hebbian": -0.4,
        "tethered": 0.1,
        "dynamic_input": 0.4,
        "variable_delay": -0.4,
        "multitask": 0.4,
        **(shift or {}),
    }
    specs = factors_specs(DESIGN)
    rng = np.random.default_rng(seed)
    si = np.array([TASK_SI[s.task] + 2.0 * s.sigma0 - 5.0 * (s.lambda0 - 0.95) + shift[s.condition] for s in specs])
    si += 0.05 * rng.standard_normal(si.size)
    passed = np.array([s.job != FAILED_JOB for s in specs])
    coords = {
        name: ("network", np.array([getattr(s, name) for s in specs]))
        for name in ("condition", "task", "first_task", "lambda0", "sigma0", "rho", "job", "seed")
    }
    data = {
        "SI": ("network", np.where(passed, si, np.nan)),
        "SI_unfiltered": ("network", si),
        "SI_entropy": ("network", si / 2),
        "SI_logr2b": ("network", si / 2),
        "infloss_test": ("network", np.where(passed, 0.1, 0.9)),
        "passed": ("network", passed.astype(np.int8)),
    }
    return xr.Dataset(data, coords={"network": np.arange(len(specs)), **coords})


def test_factors_design_pairs_every_condition_with_a_basic_partner():
    specs = factors_specs(DESIGN)
    basic = {(s.task, s.lambda0, s.sigma0, s.seed) for s in specs if s.condition == "basic"}
    assert len(basic) == 3 * 10
    assert all((s.task, s.lambda0, s.sigma0, s.seed) in basic for s in specs)
    labels = {(s.condition, s.task_label) for s in specs}
    assert ("variable_delay", "DE-1") not in labels and ("multitask", "COMP-2AFC") in labels
    assert ("multitask", "CD-2AFC") not in labels  # CD is not a task of the design
    assert {s.seed for s in specs} == set(range(1, 11))


def test_condition_statistics_are_the_paired_ones():
    table = synthetic_table()
    ds = condition_delta(table, "hebbian")
    assert list(ds["task_summary"].values) == ["2AFC", "COMP", "DE-1"]
    assert ds.sizes["pair"] == 30 and int(ds["passed_condition"].sum()) == 27  # failures stay in the data
    pairs = ds["delta_si"].where(ds["task"] == "COMP").values
    pairs = pairs[np.isfinite(pairs)]
    comp = ds.sel(task_summary="COMP")
    assert int(comp["n_pairs"]) == 9 and int(comp["n_networks"]) == 10
    assert float(comp["pass_fraction_condition"]) == pytest.approx(0.9)
    assert float(comp["delta_mean"]) == pytest.approx(pairs.mean())
    assert float(comp["delta_sem"]) == pytest.approx(pairs.std(ddof=1) / 3.0)
    assert float(comp["wilcoxon_p"]) == pytest.approx(wilcoxon(pairs).pvalue)
    assert (ds["direction"] == -1).all() and int(ds["paper_direction"]) == PAPER_DIRECTIONS["hebbian"]
    flipped = condition_delta(synthetic_table({"hebbian": 0.4}), "hebbian")
    assert (flipped["direction"] == 1).all() and (flipped["wilcoxon_p"] < 0.05).all()
    multitask = condition_delta(table, "multitask")
    assert list(multitask["task_summary"].values) == ["2AFC-COMP", "COMP-2AFC"]


def test_coupling_and_task_statistics():
    table = synthetic_table()
    ds = coupling_data(table)
    basic = table.isel(
        network=np.flatnonzero(
            (table["condition"] == "basic").values & (table["task"] == "COMP").values & (table["passed"] == 1).values
        )
    )
    assert float(ds["spearman_si_sigma0"].sel(task="COMP")) == pytest.approx(
        spearmanr(basic["sigma0"].values, basic["SI"].values).statistic
    )
    assert (ds["spearman_si_sigma0"] > 0.5).all() and (ds["spearman_p_sigma0"] < 0.05).all()
    assert (ds["spearman_si_lambda0"] < 0).all()
    np.testing.assert_allclose(ds["pass_fraction"], 0.9)
    assert ds["si"].sizes == {"task": 3, "lambda0": 2, "sigma0": 5}
    by_task = si_by_task_data(table)
    assert set(by_task["task"].values) == {"2AFC", "COMP", "DE-1"} and (by_task["n_passed"] == 9).all()
    assert float(by_task["si_difference"].sel(contrast="COMP - DE-1")) == pytest.approx(
        float(by_task["si_mean"].sel(task="COMP") - by_task["si_mean"].sel(task="DE-1"))
    )
    passes = pass_table(table)
    assert float(passes["pass_fraction"].sel(condition="tethered", task_label="DE-1")) == pytest.approx(0.9)
    assert np.isnan(float(passes["pass_fraction"].sel(condition="variable_delay", task_label="DE-1")))


# ------------------------------------------------------------------------------------------ reference files
@pytest.mark.parametrize("name", REGISTRY.names)
def test_reference_files_follow_the_schema(name):
    path = REGISTRY.get(name).reference_file
    ref = load_reference(path)
    text = Path(path).read_text().lower()
    assert not re.search(r"\bspec\b|§|\bverify\b", text)  # sources name the paper or the original code
    assert ref.no_evidence or ref.fidelity_checks


def paper_results(table: xr.Dataset, profile: str = "quick") -> dict[str, list]:
    """The reference checks of the statistics figures, evaluated on a network table."""
    data = {"coupling": coupling_data(table), "si_by_task": si_by_task_data(table)}
    for condition in PAPER_DIRECTIONS:
        data[condition] = condition_delta(table, condition)
    return {name: evaluate(ds, load_reference(REGISTRY.get(name).reference_file).checks, profile) for name, ds in data.items()}


def test_paper_directions_are_checks_that_can_fail():
    agreeing = paper_results(synthetic_table())
    directions = [r for rs in agreeing.values() for r in rs if "paper" in r.check.name.lower()]
    assert directions and all(r.check.severity == "unverified" for r in directions)
    assert all(r.within for r in directions), [r.check.name for r in directions if not r.within]
    flipped = paper_results(synthetic_table({"hebbian": 0.4, "variable_delay": 0.4, "dynamic_input": -0.4, "multitask": -0.4}))
    missed = {r.check.name for rs in flipped.values() for r in rs if not r.within}
    assert {name for name in missed if "Hebbian" in name} and {name for name in missed if "variable" in name}
    assert all(r.outcome == "UNVERIFIED" for rs in flipped.values() for r in rs if "paper" in r.check.name.lower())
