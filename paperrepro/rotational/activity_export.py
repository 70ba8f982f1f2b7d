"""Activity of the rotational-dynamics networks for ``python -m paperrepro.rotational activity``.

See :mod:`paperrepro.activity` for the conventions. Networks:

* ``demo0`` … ``demo9``: the authors' ten networks of ``model_demo.pkl`` (buschman-lab/RotationalDynamics @ 307afcc,
  ``Model Demo 2020.ipynb``), their saved ``W_all`` and ``IH_all``; trial noise from
  ``numpy.random.default_rng((seed, p))``, the stream of :func:`paperrepro.rotational.demo.replay_demo`, so that
  ``--seed s --trials <n_trials>`` gives the activity the replay of base seed ``s`` analyses;
* ``grid0`` … ``grid<k>``: the designed networks of the profile's association × structure × replicate grid in the
  order of :func:`paperrepro.rotational.network.grid_units`; each is rebuilt from its own generator
  (:func:`~paperrepro.rotational.network.network_rng` with base seed ``--seed``) and its trials take the noise that
  generator draws next, exactly as :func:`~paperrepro.rotational.network.analyse_network` does, so seed 0 with
  ``n_trials`` trials is the activity behind the figures.

The model is nothing but two Euler steps of a noisy ReLU network (Libby & Buschman 2021, Fig. 6; no physical time):
step 0 shows A or X (``cue``), step 1 shows C or C* (``second_cue``) while the A/X memory must rotate away. The
``time`` coordinate therefore counts steps (``units = "step"``). Trials are in block order of the four conditions
(AC, AC*, XC, XC*), as in the original. Units carry their designed type (switch, stable, none).
"""

from __future__ import annotations

import functools

import numpy as np
import xarray as xr

from paperrepro.activity import Exporter, activity_dataset, coord
from paperrepro.core.config import RunContext
from paperrepro.core.errors import UsageError

from .model import CONDITION_INPUTS, CONDITIONS, INPUTS, block_conditions, build_network, designed_cell_types, simulate
from .network import grid_units, network_rng

N_DEMO = 10
EPOCHS = {"tp0": "cue", "tp1": "second_cue"}
DEMO_FILE = "model_demo.pkl"
#: expected pairings of the task (A then C, X then C*): conditions AC and XC*
EXPECTED = ("AC", "XC*")


@functools.cache
def _demo() -> xr.Dataset:
    """The authors' demo networks (read once per process)."""
    from paperrepro.core.fetch import fetch

    from .demo import demo_to_dataset, load_demo_pickle

    return demo_to_dataset(load_demo_pickle(fetch("rotational", DEMO_FILE)))


class RotationalExporter(Exporter):
    """The authors' demo networks and the profile's grid; no stages."""

    paper = "rotational"
    default_trials = 1000

    def how_to_make(self, ctx: RunContext) -> str:
        """Nothing to train: the networks are designed."""
        return "the networks are designed, not trained; check params.yaml"

    def networks(self, ctx: RunContext) -> list[str]:
        """``demo0..demo9`` and ``grid0..grid<k>``."""
        return [f"demo{p}" for p in range(N_DEMO)] + [f"grid{k}" for k in range(len(grid_units(ctx.params)))]

    def default_networks(self, ctx: RunContext) -> list[str]:
        """The authors' ten demo networks."""
        return [f"demo{p}" for p in range(N_DEMO)]

    def check_trials(self, ctx: RunContext, network: str, n_trials: int) -> None:
        """Trials come in blocks of the four conditions."""
        if n_trials % len(CONDITIONS):
            raise UsageError(f"--trials must be a multiple of {len(CONDITIONS)} (conditions {', '.join(CONDITIONS)})")

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """Two steps of the network on ``n_trials`` trials in block order."""
        p = ctx.params
        conditions = block_conditions(n_trials)
        if network.startswith("demo"):
            index = int(network.removeprefix("demo"))
            saved = _demo()
            W, IH = saved["W"].values[index], saved["IH"].values[index]
            rng = np.random.default_rng((seed, index))
            association = float(saved["association"].values[index])
            structure_cov = float(saved["structure_cov"].values[index])
            replicate = 0
            source = "authors"
            checkpoint = f"network {index} of {DEMO_FILE} (buschman-lab/RotationalDynamics @ 307afcc)"
        else:
            unit = grid_units(p, base_seed=seed)[int(network.removeprefix("grid"))]
            association, structure_cov, replicate = unit.association, unit.structure_cov, unit.seed
            rng = network_rng(association, structure_cov, replicate, seed)
            net = build_network(
                rng,
                association,
                structure_cov,
                pattern_var=p.pattern_var,
                assoc_weight_sd=p.assoc_weight_sd,
                n_units=p.n_units,
                n_selective=p.n_selective,
            )
            W, IH = net.W, net.IH
            source = "designed"
            checkpoint = (
                f"designed network: association {association:g}, structure covariance {structure_cov:g}, replicate {replicate}"
            )
        rates = simulate(W, IH, conditions, rng, noise_sd=p.noise_sd, tau=p.tau)  # (trials, N, 2)
        names = np.array(CONDITIONS)[conditions]
        inputs = CONDITION_INPUTS[conditions]
        ds = activity_dataset(
            np.transpose(rates, (0, 2, 1)),
            time=np.arange(2, dtype=float),
            time_units="step",
            time_long_name="model time step (the network has no physical time)",
            task_epoch=list(EPOCHS),
            epoch_map=EPOCHS,
            trials={
                "condition": coord(names, "stimulus sequence (first then second stimulus)"),
                "condition_index": coord(conditions.astype(np.int64), "condition index (" + ", ".join(CONDITIONS) + ")"),
                "stimulus": coord(np.array(INPUTS)[inputs[:, 0]], "first stimulus (A or X), to be remembered"),
                "context": coord(np.array(INPUTS)[inputs[:, 1]], "second stimulus (C or C*)"),
                "expected": coord(np.isin(names, EXPECTED), "the learned pairing (A then C, X then C*)"),
            },
            units={
                "unit_type": coord(
                    designed_cell_types(W.shape[0], p.n_selective), "designed type: switch, stable or none (not A/X-selective)"
                )
            },
            rate_units="1",
            rate_long_name="ReLU rate V_t",
        )
        ds.attrs.update(
            checkpoint=checkpoint,
            source=source,
            association=float(association),
            structure_cov=float(structure_cov),
            replicate=int(replicate),
            noise_sd=float(p.noise_sd),
        )
        return ds


EXPORTER = RotationalExporter()
