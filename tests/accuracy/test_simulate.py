"""Analysis batches: paired vs two-pass noise on the constructed memory network (known positive correlation)."""

import numpy as np

from paperrepro.accuracy.analysis import unit_r
from paperrepro.accuracy.simulate import RATE_SCALE, simulate_batch, simulate_batches, simulate_endpoints, stream_seed
from paperrepro.oculomotor.tasks import TaskConfig, generate_trials

from .synthetic import memory_network


def test_modes_share_rates_and_differ_only_in_the_labelling_pass():
    batch = simulate_batch(memory_network(1.0), "odr3000", noise_seed=3)
    paired, two = batch.mode(True), batch.mode("two_pass")
    assert batch.rate.shape == (250, 128, 9)
    assert paired.rate is two.rate and paired.mode == "paired" and two.mode == "two_pass"
    assert not np.array_equal(batch.behaviour_a.angle, batch.behaviour_b.angle)
    np.testing.assert_array_equal(batch.location, np.arange(128) // 16)
    again = simulate_batch(memory_network(1.0), "odr3000", noise_seed=3)
    np.testing.assert_array_equal(again.rate, batch.rate)
    np.testing.assert_array_equal(again.behaviour_b.angle, batch.behaviour_b.angle)
    assert stream_seed(3, 0) != stream_seed(3, 1) != stream_seed(4, 0)
    assert float(batch.rate.max()) > RATE_SCALE  # rates are 50·r and the memory units sit near r = 3-5


def test_paired_r_is_positive_and_two_pass_r_is_chance_on_the_constructed_network():
    weights = memory_network(1.0)
    paired, two = [], []
    for seed in range(4):
        batch = simulate_batch(weights, "odr3000", noise_seed=seed)
        for store, mode in ((paired, "paired"), (two, "two_pass")):
            units, r = unit_r(batch.mode(mode))
            store.append(np.nanmean(r[units < 8]))  # the eight memory units
    assert np.mean(paired) > 0.15 and min(paired) > 0.1
    assert abs(np.mean(two)) < 0.08
    assert np.mean(paired) - np.mean(two) > 0.12


def test_endpoint_batches_use_input_noise_that_advances_across_checkpoints():
    rng = np.random.RandomState(1000)
    first = simulate_endpoints(memory_network(1.0), "odr3000", 0, rng)
    second = simulate_endpoints(memory_network(1.0), "odr3000", 0, rng)
    again = simulate_endpoints(memory_network(1.0), "odr3000", 0, np.random.RandomState(1000))
    assert not np.array_equal(first.angle, second.angle)
    np.testing.assert_array_equal(first.angle, again.angle)
    assert np.all(first.error_deg[first.correct] < 36) and np.all(first.error_deg[~first.correct] >= 0)


def test_test_batch_in_location_chunks():
    full = generate_trials("odr", TaskConfig(), "test", noise_on=False)
    part = generate_trials("odr", TaskConfig(), "test", noise_on=False, locations=[3, 4])
    np.testing.assert_array_equal(part.x, full.x[:, 48:80])
    np.testing.assert_array_equal(part.y_loc, full.y_loc[:, 48:80])
    chunks = list(simulate_batches(memory_network(1.0), "odr3000", 1, locations_per_batch=3))
    assert [c.rate.shape[1] for c in chunks] == [48, 48, 32]
    np.testing.assert_array_equal(np.concatenate([c.location for c in chunks]), np.arange(128) // 16)
    whole = simulate_batch(memory_network(1.0), "odr3000", 1)
    assert not np.array_equal(chunks[0].rate, whole.rate[:, :48])  # the noise stream continues across chunks
    again = list(simulate_batches(memory_network(1.0), "odr3000", 1, locations_per_batch=3))
    np.testing.assert_array_equal(again[2].rate, chunks[2].rate)
