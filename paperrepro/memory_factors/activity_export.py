"""Activity of the memory-factors networks for ``python -m paperrepro.memory_factors activity``.

See :mod:`paperrepro.activity` for the conventions. Networks: every network of the profile's design whose result
file exists in ``<data>/memory_factors/<profile>/`` (written by ``python -m paperrepro.memory_factors train`` or
``sweep``), named by its key ``<condition>/<task>/rho<rho>/<job or grid point>``; each is simulated from the trained
weights its result file holds (``W_in``, ``b_in``, ``W_hh``, ``b_hh``, ``W_out``, ``b_out``). The pinned network
table and examples hold no weights, so they cannot be re-simulated. No stages (a multitask network is exported after
its second task).

Trials (Orhan & Ma 2019): a fresh test batch of the network's task (:func:`paperrepro.memory_factors.tasks.make_batch`
with the network's input variants: dynamic input, variable delay, the bug switches of the profile), drawn from
``numpy.random.default_rng(seed)``: 150 steps, stimulus 0-24 (``cue``), delay 25-124, response 125-149 (``go``);
``time`` assumes 10 ms per step (the step length is not stated anywhere; ``paperrepro.memory_factors.grid``).
Trial coordinates are the task's variables (shown items, target, cue, class ``C``, delay) and the network's response
at its read-out step (``readout_step``: -5, tethered -10), with ``correct`` for the binary tasks (response on the
side of 0.5 of the class). Activity is the post-ReLU hidden state h_t.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
import xarray as xr

from paperrepro.activity import Exporter, activity_dataset, coord
from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError

from .grid import MS_PER_STEP, net_setup, network_specs, result_path
from .model import PARAM_NAMES, RNNBlock
from .results import results_root
from .tasks import T_DELAY, T_RESP, T_STIM, TASK_INFO
from .train import draw_batch

EPOCHS = {"stim": "cue", "delay": "delay", "resp": "go"}
DEFAULT_TRIALS = 50
#: long name and unit of every trial variable of :func:`~paperrepro.memory_factors.tasks.make_batch`, per task kind
VARIABLES: dict[str, tuple[str, dict[str, str]]] = {
    "s": ("item shown", {"DE-1": "rad", "DE-2": "rad", "GDE": "rad"}),
    "target": ("item to report", {"DE-1": "rad", "DE-2": "rad", "GDE": "rad"}),
    "cue": ("cued location (0 or 1)", {}),
    "s1": ("first stimulus", {"CD": "rad"}),
    "s2": ("second stimulus", {"CD": "rad"}),
    "C": ("binary class: change (CD), category (2AFC), s1 > s2 (COMP)", {}),
    "delay": ("delay length (variable-delay condition)", {"*": "step"}),
}


def _unit(name: str, task: str) -> str:
    units = VARIABLES.get(name, ("", {}))[1]
    return units.get(task, units.get("*", "1"))


class MemoryFactorsExporter(Exporter):
    """Networks with a result file under ``<data>/memory_factors/<profile>``; no stages."""

    paper = "memory_factors"
    default_trials = DEFAULT_TRIALS

    def how_to_make(self, ctx: RunContext) -> str:
        """How to train one network."""
        return (
            f"train one first: python -m paperrepro.memory_factors train --profile {ctx.profile} "
            "--condition basic --task 2AFC --job 1 (or sweep)"
        )

    def _specs(self, ctx: RunContext) -> dict:
        root = results_root(ctx)
        return {spec.key: spec for spec in network_specs(ctx.params) if result_path(root, spec).is_file()}

    def networks(self, ctx: RunContext) -> list[str]:
        """Keys of the networks with a result file."""
        return list(self._specs(ctx))

    def default_networks(self, ctx: RunContext) -> list[str]:
        """The first network with a result file."""
        return self.networks(ctx)[:1]

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """A fresh test batch of the network's task through its trained weights."""
        spec = self._specs(ctx)[network]
        path = result_path(results_root(ctx), spec)
        result = read_netcdf(path)
        if result.attrs.get("status") != "complete":
            raise DataError(f"{path} is not a finished network (status {result.attrs.get('status')!r}): train it again")
        weights = {name: result[name].values.astype(np.float32) for name in PARAM_NAMES}
        setup = dataclasses.replace(net_setup(spec, ctx.params), batch_size=n_trials)
        info = TASK_INFO[spec.task]
        batch = draw_batch(setup, spec.task, np.random.default_rng(seed))
        model = RNNBlock([weights], readout=info.readout, gamma=setup.gamma)
        mask = None if batch.mask.all() else torch.from_numpy(batch.mask[None])
        with torch.no_grad():
            y, h = model(torch.from_numpy(batch.x[None]), mask)
        y, h = y[0].numpy(), h[0].numpy()
        response = y[:, setup.readout_step]
        trials = {}
        for name, values in batch.trial.items():
            label = VARIABLES.get(name, (name, {}))[0]
            columns = values.reshape(n_trials, -1)
            for item in range(columns.shape[1]):
                key = f"{name}{item + 1}" if columns.shape[1] > 1 else name
                trials[key] = coord(columns[:, item], label, _unit(name, spec.task))
        out_unit = "rad" if info.kind == "estimation" else "1"
        for item in range(response.shape[1]):
            key = f"response{item + 1}" if response.shape[1] > 1 else "response"
            trials[key] = coord(response[:, item], f"network output at step {setup.readout_step}", out_unit)
        if info.kind == "binary":
            trials["correct"] = coord((response[:, 0] > 0.5) == (batch.trial["C"] == 1.0), "response on the class's side of 0.5")
        steps = np.arange(h.shape[1])
        task_epoch = np.array(["stim"] * T_STIM + ["delay"] * T_DELAY + ["resp"] * T_RESP)
        ds = activity_dataset(
            h,
            time=steps * MS_PER_STEP,
            time_long_name="time from trial onset, assuming 10 ms per step",
            task_epoch=task_epoch,
            epoch_map=EPOCHS,
            trials=trials,
            rate_units="1",
            rate_long_name="post-ReLU hidden state h_t",
        )
        ds.attrs.update(
            checkpoint=f"trained weights of {path.relative_to(results_root(ctx)).as_posix()} "
            f"({int(result.attrs.get('iterations', 0))} iterations)",
            source="retrained",
            condition=spec.condition,
            task=spec.task,
            first_task=spec.first_task,
            lambda0=float(spec.lambda0),
            sigma0=float(spec.sigma0),
            rho=float(spec.rho),
            network_seed=int(spec.seed),
            config_sha256=str(result.attrs.get("config_sha256", "")),
            SI=float(result.attrs.get("SI", np.nan)),
        )
        return ds


EXPORTER = MemoryFactorsExporter()
