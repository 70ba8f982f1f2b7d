"""The statistics of the memory-factors figures on constructed data whose answers are known in closed form.

Known answers: the exact two-sided Wilcoxon signed-rank p of n differences of one sign is 2 / 2**n (all 2**n sign
assignments are equally likely under the null and only the observed one reaches the extreme rank sum); with one
negative difference of rank r it is 2 * #{subsets of 1..n with sum <= r} / 2**n. The s.e.m. of 0.1 * (1..8) is
0.1 * sqrt(6 / 8) (sample variance of 1..n is n (n + 1) / 12).
"""

import numpy as np
import pytest
import xarray as xr
from scipy.stats import spearmanr

from paperrepro.memory_factors.analysis import (
    MIN_WILCOXON_PAIRS,
    PAPER_DIRECTIONS,
    SIGNIFICANCE,
    agreement,
    condition_delta,
    coupling_data,
    effects_summary,
    pass_table,
    select_networks,
    sem,
    si_by_rho,
    si_by_task_data,
    spearman,
    wilcoxon_p,
)

N_PAIRS = 8
#: Delta SI of the constructed hebbian pairs on 2AFC: all negative, distinct
DELTA = -0.1 * np.arange(1, N_PAIRS + 1)
LAMBDA0 = (0.95, 0.97)
SIGMA0 = (0.0, 0.1, 0.2, 0.3)


# --------------------------------------------------------------------------------------------- scalar statistics
def test_wilcoxon_p_matches_the_exact_null_distribution():
    assert wilcoxon_p(np.arange(1.0, 9.0)) == pytest.approx(2 / 2**8)
    assert wilcoxon_p(-np.arange(1.0, 6.0)) == pytest.approx(2 / 2**5)
    # one negative difference of rank 5 among 8: subsets of 1..8 with sum <= 5 are {}, 1, 2, 3, 12, 4, 13, 5, 14, 23
    assert wilcoxon_p(np.array([1.0, 2, 3, 4, -5, 6, 7, 8])) == pytest.approx(2 * 10 / 2**8)
    # failed arms (NaN) are left out, not counted as pairs
    assert wilcoxon_p(np.r_[np.arange(1.0, 9.0), np.nan, np.nan]) == pytest.approx(2 / 2**8)


def test_wilcoxon_p_is_nan_below_the_minimum_or_without_any_difference():
    assert np.isnan(wilcoxon_p(np.arange(1.0, MIN_WILCOXON_PAIRS)))
    assert np.isnan(wilcoxon_p(np.zeros(10)))
    assert np.isnan(wilcoxon_p(np.r_[np.arange(1.0, MIN_WILCOXON_PAIRS), np.nan]))


def test_sem_and_spearman_on_known_values():
    assert sem(np.array([1.0, 3.0, np.nan])) == pytest.approx(1.0)
    assert sem(DELTA) == pytest.approx(0.1 * np.sqrt(6 / 8))
    assert np.isnan(sem(np.array([2.0, np.nan])))
    x = np.arange(6.0)
    assert spearman(x, x**3)[0] == pytest.approx(1.0) and spearman(x, -np.exp(x))[0] == pytest.approx(-1.0)
    assert spearman(x, x**3)[1] < 0.01
    assert spearman(x, np.r_[x[:5] ** 2, np.nan]) == pytest.approx((1.0, 0.0))  # NaN (failed) left out
    assert all(np.isnan(spearman(np.ones(6), x))) and all(np.isnan(spearman(x[:2], x[:2])))


def test_agreement():
    assert agreement(-0.4, SIGNIFICANCE / 2, -1) == "yes"
    assert agreement(-0.4, 2 * SIGNIFICANCE, -1) == "sign only"
    assert agreement(0.4, SIGNIFICANCE / 2, -1) == "no"
    assert agreement(0.4, SIGNIFICANCE / 2, None) == "-" and agreement(np.nan, np.nan, 1) == "-"


# ----------------------------------------------------------------------------------------- a constructed table
def row(condition, task, lambda0, sigma0, seed, si, passed=True, first_task=""):
    return dict(
        condition=condition,
        task=task,
        first_task=first_task,
        lambda0=lambda0,
        sigma0=sigma0,
        rho=0.0,
        job=seed,
        seed=seed,
        SI=si if passed else np.nan,
        passed=int(passed),
    )


def table_of(rows: list[dict]) -> xr.Dataset:
    coords = {
        k: ("network", np.array([r[k] for r in rows]))
        for k in ("condition", "task", "first_task", "lambda0", "sigma0", "rho", "job", "seed")
    }
    return xr.Dataset(
        {
            "SI": ("network", np.array([r["SI"] for r in rows], dtype=float)),
            "infloss_test": ("network", np.where([r["passed"] for r in rows], 0.1, 0.9)),
            "passed": ("network", np.array([r["passed"] for r in rows], dtype=np.int8)),
        },
        coords={"network": np.arange(len(rows)), **coords},
    )


def grid_point(seed: int) -> tuple[float, float]:
    """lambda0 and sigma0 of a seed: the seeds cover the 2 x 4 grid once."""
    return LAMBDA0[(seed - 1) % 2], SIGMA0[(seed - 1) // 2]


@pytest.fixture
def table() -> xr.Dataset:
    """8 basic 2AFC networks with SI = 1 + sigma0 + seed / 100; hebbian pairs with the known DELTA, one failed
    hebbian network (seed 9, its basic partner passes), one hebbian network without a basic partner (seed 10);
    SI of the basic 2AFC networks rises with sigma0;
    tethered on COMP: 3 pairs only; basic COMP: 4 networks, one failed."""
    rows = []
    for seed in range(1, N_PAIRS + 1):
        lam, sig = grid_point(seed)
        base = 1.0 + sig + seed / 100
        rows.append(row("basic", "2AFC", lam, sig, seed, base))
        rows.append(row("hebbian", "2AFC", lam, sig, seed, base + DELTA[seed - 1]))
    rows.append(row("basic", "2AFC", 0.99, 0.5, 9, 1.6))
    rows.append(row("hebbian", "2AFC", 0.99, 0.5, 9, 0.0, passed=False))
    rows.append(row("hebbian", "2AFC", 0.99, 0.5, 10, 2.0))
    for seed in range(1, 5):
        rows.append(row("basic", "COMP", 0.95, SIGMA0[seed - 1], seed, 3.0 - seed / 10, passed=seed != 4))
    for seed in range(1, 4):
        rows.append(row("tethered", "COMP", 0.95, SIGMA0[seed - 1], seed, 3.0))
    return table_of(rows)


def test_condition_delta_pairs_statistics_and_failures(table):
    ds = condition_delta(table, "hebbian")
    assert ds.sizes["pair"] == N_PAIRS + 2  # the failed network and the one without partner stay in the data
    afc = ds.sel(task_summary="2AFC")
    assert int(afc["n_networks"]) == N_PAIRS + 2 and int(afc["n_pairs"]) == N_PAIRS
    assert float(afc["pass_fraction_condition"]) == pytest.approx((N_PAIRS + 1) / (N_PAIRS + 2))
    assert float(afc["pass_fraction_basic"]) == pytest.approx((N_PAIRS + 1) / (N_PAIRS + 2))  # seed 10: no partner
    assert float(afc["delta_mean"]) == pytest.approx(DELTA.mean())
    assert float(afc["delta_sem"]) == pytest.approx(0.1 * np.sqrt(6 / 8))
    assert float(afc["delta_median"]) == pytest.approx(np.median(DELTA))
    assert float(afc["wilcoxon_p"]) == pytest.approx(2 / 2**N_PAIRS)
    assert int(afc["direction"]) == -1 and int(ds["paper_direction"]) == PAPER_DIRECTIONS["hebbian"]
    failed = ds.where(ds["seed"] == 9, drop=True)
    assert np.isnan(failed["si_condition"].values).all()
    assert failed["passed_condition"].values.tolist() == [0] and failed["passed_basic"].values.tolist() == [1]
    np.testing.assert_allclose(ds["delta_si"].where(ds["seed"] <= N_PAIRS, drop=True), DELTA, atol=1e-12)


def test_condition_delta_too_few_pairs_has_no_p(table):
    comp = condition_delta(table, "tethered").sel(task_summary="COMP")
    assert int(comp["n_pairs"]) == 3 and np.isnan(float(comp["wilcoxon_p"]))
    assert float(comp["delta_mean"]) == pytest.approx(np.mean([0.1, 0.2, 0.3]))
    assert int(comp["direction"]) == 1 and int(condition_delta(table, "tethered")["paper_direction"]) == 0


def test_pass_fractions_per_condition_and_task(table):
    passes = pass_table(table)
    assert int(passes["n_trained"].sel(condition="hebbian", task_label="2AFC")) == N_PAIRS + 2
    assert float(passes["pass_fraction"].sel(condition="basic", task_label="COMP")) == pytest.approx(3 / 4)
    assert float(passes["pass_fraction"].sel(condition="basic", task_label="2AFC")) == 1.0
    assert np.isnan(float(passes["pass_fraction"].sel(condition="tethered", task_label="2AFC")))


def test_coupling_spearman_of_si_with_sigma0_and_lambda0(table):
    ds = coupling_data(table)
    # 2AFC: SI = 1 + sigma0 + seed / 100 over 9 passing networks; rank correlation with sigma0 from scipy's formula
    basic = select_networks(table, (table["condition"].values == "basic") & (table["task"].values == "2AFC"))
    assert float(ds["spearman_si_sigma0"].sel(task="2AFC")) == pytest.approx(spearmanr(basic["sigma0"], basic["SI"]).statistic)
    assert float(ds["spearman_si_sigma0"].sel(task="2AFC")) > 0.9  # SI rises with sigma0; ties in sigma0 only
    # COMP: SI falls strictly with sigma0 over the 3 passing networks, lambda0 is constant
    assert float(ds["spearman_si_sigma0"].sel(task="COMP")) == pytest.approx(-1.0)
    assert np.isnan(float(ds["spearman_si_lambda0"].sel(task="COMP")))
    assert int(ds["n_networks"].sel(task="COMP")) == 4 and int(ds["n_passed"].sel(task="COMP")) == 3
    assert float(ds["si"].sel(task="COMP", lambda0=0.95, sigma0=0.1)) == pytest.approx(2.8)
    assert np.isnan(float(ds["si"].sel(task="COMP", lambda0=0.95, sigma0=0.3)))  # failed


def test_si_by_task_counts_every_trained_task(table):
    ds = si_by_task_data(table)
    assert list(ds["task"].values) == ["2AFC", "COMP"]
    assert float(ds["si_mean"].sel(task="COMP")) == pytest.approx(2.8)
    assert float(ds["si_sem"].sel(task="COMP")) == pytest.approx(0.1 / np.sqrt(3))
    assert float(ds["si_difference"].sel(contrast="COMP - 2AFC")) == pytest.approx(2.8 - float(ds["si_mean"].sel(task="2AFC")))


def test_effects_summary_gathers_condition_delta(table):
    ds = effects_summary(table)
    assert list(ds["condition"].values) == ["hebbian", "tethered"] and list(ds["task"].values) == ["2AFC", "COMP"]
    hebbian = condition_delta(table, "hebbian").sel(task_summary="2AFC")
    for name in ("n_pairs", "delta_mean", "delta_sem", "wilcoxon_p", "pass_fraction_condition", "direction"):
        assert float(ds[name].sel(condition="hebbian", task="2AFC")) == pytest.approx(float(hebbian[name]))
    assert int(ds["n_pairs"].sel(condition="hebbian", task="COMP")) == -1  # not trained there
    assert np.isnan(float(ds["delta_mean"].sel(condition="hebbian", task="COMP")))
    assert ds["agreement"].sel(condition="hebbian", task="2AFC").item() == "yes"
    assert ds["agreement"].sel(condition="tethered", task="COMP").item() == "-"
    assert ds["agreement"].sel(condition="hebbian", task="COMP").item() == "-"


def test_si_by_rho_uses_the_grid_points_common_to_every_rho():
    rows = [row("basic", "2AFC", 0.95, s, seed, 1.0 + seed) for seed, s in enumerate(SIGMA0, start=1)]
    rows += [{**row("basic", "2AFC", 0.95, s, seed, 10.0 + seed), "rho": 1e-4} for seed, s in enumerate(SIGMA0[:2], start=1)]
    rows += [row("basic", "COMP", 0.95, 0.0, 1, 5.0)]  # COMP has no rho > 0: left out
    ds = si_by_rho(table_of(rows))
    assert list(ds["task"].values) == ["2AFC"] and list(ds["rho"].values) == [0.0, 1e-4]
    assert float(ds["si_mean"].sel(task="2AFC", rho=0.0)) == pytest.approx(2.5)  # seeds 1 and 2 only
    assert float(ds["si_mean"].sel(task="2AFC", rho=1e-4)) == pytest.approx(11.5)


def test_effects_table_prints_each_trained_condition_and_task(table):
    from paperrepro.memory_factors.commands import effects_table

    header, *lines = effects_table(table)
    assert header.split()[:3] == ["condition", "task", "pairs"]
    assert [line.split()[:3] for line in lines] == [["hebbian", "2AFC", str(N_PAIRS)], ["tethered", "COMP", "3"]]
    hebbian = lines[0]
    assert f"{DELTA.mean():+.2f}" in hebbian and f"{2 / 2**N_PAIRS:.3g}" in hebbian
    assert hebbian.endswith(effects_summary(table)["agreement"].sel(condition="hebbian", task="2AFC").item())
