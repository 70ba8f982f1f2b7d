"""The data of the cross-paper figure: where each paper's networks fall between persistent and sequential codes.

Every network's delay activity comes from :func:`paperrepro.activity.open` (the same labelled datasets as
``python -m paperrepro.<paper> activity``) and is measured alike (:mod:`paperrepro.crosspaper.measures`): the
sequentiality index of Orhan & Ma (2019) and the cross-temporal generalisation of the remembered variable (the
decoder of Liu et al. 2021, Fig. S5E). :data:`NETWORKS` lists, per paper, the network and stage, the remembered
variable, the epochs that make up its delay and the decoding window (200 ms where the paper has physical time).

The rotational model (Libby & Buschman 2021) has two abstract steps and no delay: its "delay" is the second step,
when the memory of A/X must survive the C/C* input, and its generalisation is that of a decoder trained on one step
and tested on the other (the paper's point is that the code rotates between them). Its sequentiality index is not
defined (a two-step trial has no sequence) and is NaN.

A paper whose networks are not available (memory_factors before its networks are trained) is left out of the
dataset and named in its ``missing`` attribute instead of failing the figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from paperrepro import activity
from paperrepro.core.config import RunContext
from paperrepro.core.errors import PaperReproError

from . import measures


@dataclass(frozen=True)
class Case:
    """One network's activity and how to measure it.

    Attributes
    ----------
    paper, network, stage
        As ``python -m paperrepro.<paper> activity --network --stage`` (``None``: the paper's default).
    label
        The remembered variable (a trial coordinate).
    epochs
        Common epoch names that make up the delay.
    window
        Steps per decoding window.
    min_gap
        Off-diagonal pairs are further apart than this (in the dataset's time units).
    trials
        Trials simulated.
    unpinned
        Why the network's weights are not yet committed (empty: they are, or they are the authors'). Such a case is
        left out and named in ``missing``, so that the figure is the same on every clone, whatever a local run folder
        holds.
    """

    paper: str
    network: str | None
    stage: str | None
    label: str
    epochs: tuple[str, ...]
    window: int
    min_gap: float
    trials: int
    unpinned: str = ""


NETWORKS: tuple[Case, ...] = (
    Case("maturation", "paper_seed0", "mature", "cue_location_index", ("delay",), 10, measures.MIN_GAP_MS, 128),
    Case("accuracy", "8loc_odr3000_seed0", "mature", "cue_location_index", ("delay",), 10, measures.MIN_GAP_MS, 128),
    Case("rotational", "demo0", None, "stimulus", ("cue", "second_cue"), 1, 0.5, 400),
    Case(
        "learning_to_learn",
        "seed0",
        None,
        "stimulus",
        ("delay",),
        20,
        measures.MIN_GAP_MS,
        64,
        unpinned="only per-problem summaries are pinned, not the weights the activity needs",
    ),
    Case(
        "memory_factors",
        None,
        None,
        "C",
        ("delay",),
        20,
        measures.MIN_GAP_MS,
        128,
        unpinned="the factors design's networks are not pinned yet",
    ),
)


def measure(ds: xr.Dataset, case: Case) -> dict[str, float]:
    """SI and generalisation of one network's delay activity."""
    delay = measures.delay_period(ds, case.epochs)
    rate = delay.values
    si = measures.sequentiality(rate) if delay.sizes["time"] > 2 else None
    gen = measures.generalisation(rate, ds[case.label].values, delay["time"].values, case.window, case.min_gap)
    return {
        "si": si.si if si else np.nan,
        "si_entropy": si.entropy if si else np.nan,
        "si_log_r2b": si.log_r2b if si else np.nan,
        "diagonal": gen["diagonal"],
        "off_diagonal": gen["off_diagonal"],
        "chance": gen["chance"],
        "generalisation": gen["index"],
        "delay_ms": float(delay["time"].values[-1] - delay["time"].values[0]),
    }


_LONG_NAMES = {
    "si": ("sequentiality index of the delay (Orhan & Ma 2019), activity scaled to its peak", "nat"),
    "si_entropy": ("peak-time entropy part of the SI", "nat"),
    "si_log_r2b": ("log ridge-to-background part of the SI", "1"),
    "diagonal": ("cross-temporal decoding: mean held-out accuracy, same window", "1"),
    "off_diagonal": ("cross-temporal decoding: mean held-out accuracy, windows > 300 ms apart", "1"),
    "chance": ("decoding chance level", "1"),
    "generalisation": ("(off-diagonal - chance) / (diagonal - chance): 1 persistent, <= 0 changing code", "1"),
    "delay_ms": ("length of the delay analysed (rotational: steps)", "ms"),
}


def spectrum(ctx: RunContext) -> xr.Dataset:
    """The measures of every network of :data:`NETWORKS` (dimension ``network``)."""
    rows, names, papers, stages, missing = [], [], [], [], []
    for case in NETWORKS:
        if case.unpinned:
            missing.append(f"{case.paper}: {case.unpinned}")
            continue
        try:
            ds = activity.open(case.paper, case.network, case.stage, trials=case.trials, profile=ctx.profile)
        except PaperReproError as err:
            missing.append(f"{case.paper}: {err}")
            continue
        rows.append(measure(ds, case))
        names.append(f"{case.paper}/{ds.attrs['network']}" + (f"/{ds.attrs['stage']}" if ds.attrs["stage"] else ""))
        papers.append(case.paper)
        stages.append(str(ds.attrs["stage"]))
    data = {
        key: ("network", np.array([r[key] for r in rows], dtype=np.float64), {"long_name": ln, "units": u})
        for key, (ln, u) in _LONG_NAMES.items()
    }
    out = xr.Dataset(
        data,
        coords={
            "network": ("network", names, {"long_name": "paper/network/stage"}),
            "paper": ("network", papers, {"long_name": "paper"}),
            "stage": ("network", stages, {"long_name": "stage ('' without stages)"}),
        },
    )
    out.attrs.update(missing="; ".join(missing), min_gap_ms=measures.MIN_GAP_MS)
    return out
