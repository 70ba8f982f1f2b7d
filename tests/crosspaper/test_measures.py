"""The cross-paper measures separate a persistent from a sequential toy code, and accept any labelled activity.

Toy delay activity of 8 units over 40 steps of 20 ms, two remembered classes: *persistent* — each class drives its
own half of the units at a constant level through the delay; *sequential* — each unit fires a brief bump at its own
time and the class decides which of two disjoint unit sets carries the sequence. Small noise keeps the decoder honest.
"""

from __future__ import annotations

import numpy as np
import pytest

from paperrepro import activity
from paperrepro.crosspaper import measures
from paperrepro.crosspaper.figure_data import NETWORKS, Case, measure

N_TIME, N_UNIT, N_PER_CLASS, DT_MS = 40, 16, 12, 20.0


def toy(kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1], N_PER_CLASS)
    rate = 0.02 * rng.random((labels.size, N_TIME, N_UNIT))
    half = N_UNIT // 2
    for b, c in enumerate(labels):
        units = np.arange(c * half, (c + 1) * half)
        if kind == "persistent":
            rate[b, :, units] += 1.0
        else:
            peaks = np.linspace(2, N_TIME - 3, half).round().astype(int)
            t = np.arange(N_TIME)
            rate[b, :, units] += np.exp(-0.5 * ((t[None, :] - peaks[:, None]) / 1.0) ** 2)
    return rate, labels


def test_sequential_code_has_higher_si_and_lower_generalisation():
    times = np.arange(N_TIME) * DT_MS
    results = {}
    for kind in ("persistent", "sequential"):
        rate, labels = toy(kind)
        si = measures.sequentiality(rate)
        gen = measures.generalisation(rate, labels, times, window=2)
        results[kind] = (si.si, gen)
    assert results["sequential"][0] > results["persistent"][0] + 1.0
    persistent, sequential = results["persistent"][1], results["sequential"][1]
    assert persistent["diagonal"] == pytest.approx(1.0) and sequential["diagonal"] > 0.9
    assert persistent["index"] > 0.9
    assert sequential["index"] < 0.5
    assert persistent["accuracy"].shape == (N_TIME - 1, N_TIME - 1)


def test_scaling_makes_si_independent_of_the_activity_unit():
    rate, _ = toy("sequential")
    assert measures.sequentiality(50.0 * rate).si == pytest.approx(measures.sequentiality(rate).si)


def test_class_major_balances_and_groups_the_classes():
    order, n = measures.class_major(np.array([1, 0, 1, 1, 0, 2, 2, 0]))
    assert n == 3 and list(order) == [1, 4, 0, 2, 5, 6]


def test_measure_reads_a_labelled_activity_dataset():
    rate, labels = toy("persistent")
    task_epoch = ["fix"] * 5 + ["delay"] * (N_TIME - 5)
    ds = activity.activity_dataset(
        rate,
        time=np.arange(N_TIME) * DT_MS,
        task_epoch=task_epoch,
        epoch_map={"fix": "fixation", "delay": "delay"},
        trials={"side": activity.coord(labels, "remembered side")},
        rate_units="1",
        rate_long_name="rate",
    )
    out = measure(ds, Case("toy", "x", "", "side", ("delay",), 2, measures.MIN_GAP_MS, labels.size))
    assert out["delay_ms"] == (N_TIME - 6) * DT_MS
    assert out["generalisation"] > 0.9 and np.isfinite(out["si"])


def test_every_paper_is_measured_once():
    from paperrepro import PAPERS

    assert sorted(c.paper for c in NETWORKS) == sorted(set(PAPERS) - {"crosspaper"})


def test_two_classes_decode_perfectly_on_the_diagonal():
    """Two classes take the binary path (see :func:`measures.binary_cross_temporal_accuracy`); every window is right."""
    rate, labels = toy("persistent")
    gen = measures.generalisation(rate, labels, np.arange(N_TIME) * DT_MS, window=2)
    assert np.diag(gen["accuracy"]).min() == 1.0
