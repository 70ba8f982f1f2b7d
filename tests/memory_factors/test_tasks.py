"""Task generators and optimal observers against analytic values (docs/memory_factors.md)."""

import numpy as np
import pytest

from paperrepro.memory_factors.performance import InfoLoss, angular_error, bernoulli_kl
from paperrepro.memory_factors.tasks import (
    DELAYS,
    SINE_MEAN_ABS,
    T_RESP,
    T_STIM,
    TASK_INFO,
    cd_posterior,
    dynamic_rates,
    make_batch,
)

N_TRIALS = 20_000


def _draw(task, seed, n=N_TRIALS, **kw):
    rng = np.random.default_rng(seed)
    batches = [make_batch(task, rng, 2000, **kw) for _ in range(n // 2000)]
    return batches


@pytest.fixture(scope="module")
def de():
    return _draw("DE-1", 1, n=10_000)


@pytest.fixture(scope="module")
def cd():
    return _draw("CD", 2, cd_observer="faithful")


def _accuracy(batches):
    return np.mean(np.concatenate([(b.optimal > 0.5) == (b.trial["C"] == 1) for b in batches]))


def test_de_spike_counts_and_observer(de):
    stim = np.mean([b.x[:, :T_STIM].sum((1, 2)).mean() for b in de])
    assert stim == pytest.approx(15.4, abs=0.2)
    delay = np.mean([b.x[:, T_STIM : T_STIM + 100].sum(1).mean() for b in de])
    assert delay == pytest.approx(0.1, abs=0.005)
    err = np.concatenate([angular_error(b.optimal, b.trial["s"]) for b in de])
    assert err.mean() == pytest.approx(0.171, abs=0.005)
    assert all(b.y.shape == (2000, 150, 1) and np.allclose(b.y, b.trial["s"][:, None, :]) for b in de)


def test_cd_observers(cd):
    phi = TASK_INFO["CD"].phi
    corrected = [cd_posterior(b.x[:, :T_STIM].sum(1), b.x[:, -T_RESP:].sum(1), phi, "corrected") for b in cd]
    acc_corrected = np.mean(np.concatenate([(p > 0.5) == (b.trial["C"] == 1) for p, b in zip(corrected, cd, strict=True)]))
    acc_faithful = _accuracy(cd)
    assert acc_corrected == pytest.approx(0.877, abs=0.005)
    assert 0.835 <= acc_faithful <= 0.875
    assert acc_faithful < acc_corrected
    assert np.mean(np.abs(np.concatenate(corrected) - np.concatenate([b.optimal for b in cd]))) == pytest.approx(0.052, abs=0.003)
    # the switch reaches the generator
    alt = make_batch("CD", np.random.default_rng(2), 2000, cd_observer="corrected")
    np.testing.assert_allclose(alt.optimal, corrected[0])


def test_2afc_and_comp():
    twoafc = _draw("2AFC", 3, n=4000)
    assert np.mean([b.x[:, :T_STIM].sum((1, 2)).mean() for b in twoafc]) == pytest.approx(22.1, abs=0.2)
    assert _accuracy(twoafc) > 0.99
    comp = _draw("COMP", 4, n=10_000)
    assert np.mean([b.x[:, :T_STIM].sum((1, 2)).mean() for b in comp]) == pytest.approx(12.1, abs=0.2)
    assert np.mean([b.x[:, -T_RESP:].sum((1, 2)).mean() for b in comp]) == pytest.approx(12.1, abs=0.2)
    p = np.concatenate([b.optimal for b in comp])
    c = np.concatenate([b.trial["C"] for b in comp])
    ok = ~np.isnan(p)
    assert np.mean((p[ok] > 0.5) == (c[ok] == 1)) == pytest.approx(0.957, abs=0.005)


def test_gde_cue_and_alias_switch():
    rng = np.random.default_rng(5)
    bug = make_batch("GDE", rng, 2000, gde_alias_bug=True)
    cue = bug.trial["cue"]
    assert np.all(bug.trial["s"][cue == 1, 0] == bug.trial["s"][cue == 1, 1])
    assert np.mean(bug.trial["s"][:, 0] == bug.trial["s"][:, 1]) == pytest.approx(0.5, abs=0.03)
    assert np.allclose(bug.trial["target"][:, 0], bug.trial["s"][np.arange(2000), cue])
    resp = bug.x[:, -T_RESP:].astype(np.float64)
    cued = np.where(cue[:, None, None] == 0, resp[:, :, :50], resp[:, :, 50:]).mean()
    other = np.where(cue[:, None, None] == 0, resp[:, :, 50:], resp[:, :, :50]).mean()
    assert cued == pytest.approx(0.02, rel=0.05) and other == pytest.approx(0.004, rel=0.1)
    fixed = make_batch("GDE", np.random.default_rng(5), 2000, gde_alias_bug=False)
    assert not np.any(fixed.trial["s"][:, 0] == fixed.trial["s"][:, 1])


def test_sine_target():
    b = make_batch("Sine", np.random.default_rng(0), 10)
    assert b.x.shape == (10, 150, 50) and np.all(b.x[:, :T_STIM] == 0) and np.all(b.x[:, -T_RESP:] == 0)
    assert np.all(b.y[:, :-T_RESP] == 0)
    assert b.y[0, -1, 0] == pytest.approx(np.sin(np.pi / 4), abs=1e-6)
    assert SINE_MEAN_ABS == pytest.approx(0.372, abs=0.001)


def test_variable_delay_masks():
    b = make_batch("2AFC", np.random.default_rng(0), 400, variable_delay=True)
    assert set(np.unique(b.trial["delay"])) == set(DELAYS)
    steps = np.arange(150)
    for d, m, x in zip(b.trial["delay"], b.mask, b.x, strict=False):
        masked = (steps >= T_STIM + d) & (steps < 125)
        assert np.array_equal(~m, masked)
        assert np.all(x[masked] == 0)


@pytest.mark.parametrize("task,per_trial,tol", [("DE-1", 1246, 0.05), ("CD", 125, 0.05), ("2AFC", 52, 0.05), ("COMP", 4, 0.15)])
def test_dynamic_input(task, per_trial, tol):
    """Irrelevant spikes per trial of the original task generators (COMP's 4 is rounded: wider band)."""
    assert dynamic_rates(task, "feature_units").sum() == pytest.approx(per_trial, rel=tol)
    b = make_batch(task, np.random.default_rng(1), 500, dynamic=True)
    assert b.x.shape[2] == TASK_INFO[task].n_in(dynamic=True)
    assert b.x[:, :, :50].sum((1, 2)).mean() == pytest.approx(per_trial, rel=max(tol, 0.1))


def test_dynamic_channel_units_matches_de_width():
    assert np.allclose(dynamic_rates("DE-1", "channel_units"), dynamic_rates("DE-1", "feature_units"))
    channel, feature = dynamic_rates("COMP", "channel_units"), dynamic_rates("COMP", "feature_units")
    assert channel.sum(1).mean() > 10 * feature.sum(1).mean()


def test_infloss_optimal_and_chance():
    rng = np.random.default_rng(2)
    est = InfoLoss("DE-1")
    b = make_batch("DE-1", rng, 500)
    out = np.repeat(b.optimal[:, None, :], 150, axis=1)
    est.add(out, b.optimal, b.y, -5)
    assert est.value() == pytest.approx(0.0, abs=1e-12)
    binary = InfoLoss("CD")
    b = make_batch("CD", rng, 500)
    binary.add(np.full((500, 150, 1), 0.5), b.optimal, b.y, -5)
    assert binary.value() == pytest.approx(1.0)
    binary.reset()
    saturated = np.repeat(b.trial["C"][:, None, None], 150, axis=1)  # exactly 0/1: finite thanks to the clip
    binary.add(saturated, b.optimal, b.y, -5)
    assert np.isfinite(binary.value()) and binary.value() > 1.0


def test_kl_conventions():
    p = np.array([1.0, 0.3])
    assert np.allclose(bernoulli_kl(p, 0.5), [np.log(2), 0.3 * np.log(0.6) + 0.7 * np.log(1.4)])
    assert np.isnan(bernoulli_kl(p, 0.5, "nan_drop")[0])
