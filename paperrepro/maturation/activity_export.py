"""Activity of the maturation networks for ``python -m paperrepro.maturation activity`` (see :mod:`paperrepro.activity`).

Network: the checkpoint source of the profile's figures (:func:`paperrepro.maturation.figures.open_store`): the
pinned retrained run ``paper_seed0`` (quick) or the training-run folder ``seed<seed>`` (paper). Stages: the ODR
representatives ``early``, ``mid``, ``mature`` of :func:`paperrepro.maturation.stages.representatives` (rule C; the
checkpoints of Fig. S5E), chosen exactly as the figures choose them.

Trials: the ODR test batch of the paper (8 cue locations × 16 trials, location-major, input noise off, recurrent
noise on from ``--seed``, as in :mod:`paperrepro.oculomotor.simulate`); ``--trials n`` keeps ``n`` trials spread
evenly over the batch (every location while ``n >= 8``). The unit type (inh/exh/mix of the delay epoch, steps 1-6 of
:mod:`paperrepro.maturation.selectivity`) and the preferred location are computed on the whole batch before the
trials are subset. Activity is the raw hidden state r_t of the leaky softplus network (no rate scale; the accuracy
paper multiplies the same state by 50 Hz).

The shared helpers :func:`oculomotor_dataset` and :func:`spread` serve the accuracy paper's exporter too.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from paperrepro.activity import Exporter, activity_dataset, coord
from paperrepro.core.config import RunContext

from ..oculomotor.performance import saccade_endpoint, trial_performance
from ..oculomotor.simulate import simulate_test
from ..oculomotor.tasks import Trial
from .selectivity import UNIT_TYPES, neuron_info

#: ODR/ODRD epoch names of :func:`paperrepro.oculomotor.tasks.task_timing` → common names of :mod:`paperrepro.activity`
OCULOMOTOR_EPOCHS: dict[str, str] = {
    "fix1": "fixation",
    "stim1": "cue",
    "delay1": "delay",
    "distract1": "distractor",
    "delay2": "delay",
    "go1": "go",
}
TASK = "odr"
N_LOC = 8
TRIALS_PER_LOCATION = 16
SELECTIVITY_EPOCH = "delay1"


def spread(n_total: int, n: int) -> np.ndarray:
    """``n`` distinct indices spread evenly over ``range(n_total)`` (all of them when ``n >= n_total``)."""
    if n >= n_total:
        return np.arange(n_total)
    return np.round(np.linspace(0, n_total - 1, n)).astype(int)


def _epoch_labels(epochs: dict[str, tuple[int, int]], n_time: int) -> np.ndarray:
    labels = np.full(n_time, "", dtype=object)
    for name, (start, stop) in epochs.items():
        labels[start:stop] = name
    return labels.astype(str)


def behaviour(y_hat: np.ndarray, trial: Trial) -> dict[str, np.ndarray]:
    """Per-trial read-out of outputs (T, B, 1 + n_ring): ``correct``, ``angle`` (rad), ``error`` (degree)."""
    correct, error = trial_performance(y_hat, trial.y_loc)
    return {"correct": np.asarray(correct, bool), "angle": saccade_endpoint(y_hat), "error": np.asarray(error)}


def oculomotor_dataset(
    h: np.ndarray,
    readout: dict[str, np.ndarray],
    trial: Trial,
    n_loc: int,
    keep: np.ndarray,
    *,
    dt_ms: float,
    rate_units: str,
    rate_long_name: str,
    unit_coords: dict | None = None,
) -> xr.Dataset:
    """One labelled dataset of a test batch of the oculomotor tasks.

    Parameters
    ----------
    h : ndarray, shape (T, B, N)
        Activity of the whole batch (already scaled).
    readout : dict
        Per-trial read-out labelling the trials (see :func:`behaviour`).
    trial : Trial
        The batch.
    n_loc : int
        Cue locations of the ring.
    keep : ndarray of int
        Trials kept (indices into the batch).
    dt_ms : float
        Step of the simulation.
    rate_units, rate_long_name : str
        Attributes of ``rate``.
    unit_coords : dict, optional
        Coordinates along ``unit`` (made with :func:`paperrepro.activity.coord`).
    """
    correct, angle, error = readout["correct"], readout["angle"], readout["error"]
    step = 2 * np.pi / n_loc
    loc_index = np.round(trial.stim_locs / step).astype(np.int64) % n_loc
    trials = {
        "cue_location": coord(np.degrees(trial.stim_locs[keep]), "cue angle on the ring", "degree"),
        "cue_location_index": coord(loc_index[keep], f"cue location index (0..{n_loc - 1})"),
        "response_location": coord(np.degrees(trial.response_locs[keep]), "angle of the correct saccade", "degree"),
        "correct": coord(correct[keep], "saccade within 36 degrees of the target, fixation kept until go"),
        "saccade_angle": coord(np.degrees(angle[keep]), "decoded saccade angle at the last step", "degree"),
        "saccade_error": coord(error[keep], "circular distance of the saccade from the target", "degree"),
        "rule": coord(np.full(keep.size, trial.rule), "task"),
    }
    if trial.distract_locs is not None:
        trials["distractor_location"] = coord(np.degrees(trial.distract_locs[keep]), "distractor angle on the ring", "degree")
    n_time = h.shape[0]
    return activity_dataset(
        np.transpose(h[:, keep], (1, 0, 2)),
        time=np.arange(n_time) * dt_ms,
        task_epoch=_epoch_labels(trial.epochs, n_time),
        epoch_map=OCULOMOTOR_EPOCHS,
        trials=trials,
        units=unit_coords,
        rate_units=rate_units,
        rate_long_name=rate_long_name,
    )


def selectivity_coords(h: np.ndarray, trial: Trial, n_loc: int) -> dict:
    """Unit type and preferred cue location of the delay epoch, from the whole location-major batch."""
    info = neuron_info(h, trial.epochs, SELECTIVITY_EPOCH, n_loc)
    kind = np.where(info["selective"], np.array(UNIT_TYPES)[info["unit_type"]], "none")
    return {
        "unit_type": coord(kind, "delay-epoch selectivity: exh, inh, mix (selective units) or none (ANOVA p > 0.05)"),
        "preferred_location": coord(info["pref"] * 360.0 / n_loc, "cue location of the largest delay response", "degree"),
    }


class MaturationExporter(Exporter):
    """The profile's checkpoint source; stages = the ODR representatives early, mid, mature."""

    paper = "maturation"
    default_trials = N_LOC * TRIALS_PER_LOCATION

    def how_to_make(self, ctx: RunContext) -> str:
        """The commands that make the pinned checkpoints."""
        from .figures import REGISTRY

        return REGISTRY.how_to_make

    def networks(self, ctx: RunContext) -> list[str]:
        """One network: ``paper_seed0`` (the pinned file's name) or ``seed<seed>`` (a training-run folder)."""
        p = ctx.params
        return [f"seed{p.seed}"] if p.source == "run" else [p.pinned_name.removesuffix(".nc")]

    def stages(self, ctx: RunContext, network: str) -> list[str]:
        """``early``, ``mid``, ``mature``."""
        from ..oculomotor.performance import STAGES

        return list(STAGES)

    def max_trials(self, ctx: RunContext, network: str) -> int:
        """The test batch."""
        return self.default_trials

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """The ODR test batch of the stage's representative checkpoint."""
        from .activity import DT_MS
        from .figures import plan

        pl = plan(ctx, TASK)
        checkpoint = pl.reps[stage]
        h, y_hat, trial = simulate_test(pl.store.weights(checkpoint), TASK, seed)
        ds = oculomotor_dataset(
            h,
            behaviour(y_hat, trial),
            trial,
            N_LOC,
            spread(h.shape[1], n_trials),
            dt_ms=DT_MS,
            rate_units="1",
            rate_long_name="hidden state r_t of the leaky softplus RNN",
            unit_coords=selectivity_coords(h, trial, N_LOC),
        )
        perf = float(pl.store.log["perf"].sel(task=TASK, log_trial=checkpoint))
        ds.attrs.update(
            checkpoint=f"after {checkpoint} training trials (logged ODR perf {perf:.3f}; {stage} representative, rule C)",
            checkpoint_trials=int(checkpoint),
            source=str(pl.store.attrs.get("source", "")) or ctx.params.source,
            task=TASK,
            noise="input noise off, recurrent noise on (seed)",
        )
        return ds


EXPORTER = MaturationExporter()
