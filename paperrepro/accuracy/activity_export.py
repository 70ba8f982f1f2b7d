"""Activity of the accuracy networks for ``python -m paperrepro.accuracy activity`` (see :mod:`paperrepro.activity`).

Networks: the models the profile's figures read (:func:`paperrepro.accuracy.figures.model`): the 8-location model
of every training seed of ``train_seeds`` (``8loc_odr3000_seed<s>``) and the 360-location model
(``360loc_odr_seed0``), from the pinned bundles (quick), the run folders (paper) or the authors' checkpoints
(``source: zenodo``). Stages: the single ``early``, ``mid`` and ``mature`` checkpoints of the ODR task
(:func:`paperrepro.accuracy.source.select`, ``singles``), as in ``heatmap360``, ``single_unit`` and ``input_weights``.

Trials: the model's ODR test batch (``n_eachring`` cue locations × 16 trials, location-major; input noise off,
recurrent noise on); ``--trials n`` keeps ``n`` trials spread evenly over the batch (default: 128, i.e. all of the
8-location batch, and one trial at each of 128 cue locations of the 360-location one). Only the kept trials are
simulated, in chunks of at most ``LOCATIONS_PER_CHUNK`` locations with one continuing noise stream (as ``heatmap360`` runs
its batch), so the 5,760-trial batch of the 360-location model never sits in memory; the noise of a trial therefore
depends on which trials are kept (the figures' batches draw it for every trial).

Noise: the rates and the read-out that labels a trial (correct, saccade angle) come from **one** pass (stream A of
:func:`paperrepro.accuracy.simulate.stream_seed`, i.e. the corrected ``paired`` mode): a trial's activity belongs to
the behaviour that labels it. The original code's two-pass labelling (docs/accuracy.md) is a property of its
analyses, not of the network's activity. Rates are ``50 · r_t`` in Hz (``RATE_SCALE``, the original's ``real_par``).
"""

from __future__ import annotations

import types

import numpy as np
import torch
import xarray as xr

from paperrepro.activity import Exporter
from paperrepro.core.config import RunContext

from ..maturation.activity_export import behaviour, oculomotor_dataset, spread
from ..oculomotor.model import LeakyRNN, NetworkConfig
from ..oculomotor.tasks import TaskConfig, generate_trials
from .simulate import RATE_SCALE, stream_seed
from .train import MODEL_8LOC, MODEL_360LOC

TRIALS_PER_LOCATION = 16
#: cue locations whose test trials are generated at once (16 each; the 360-location inputs of 45 locations took 2 GB)
LOCATIONS_PER_CHUNK = 8
DEFAULT_TRIALS = 128


class AccuracyExporter(Exporter):
    """The 8-location model of every training seed and the 360-location model; stages early, mid, mature."""

    paper = "accuracy"
    default_trials = DEFAULT_TRIALS

    def how_to_make(self, ctx: RunContext) -> str:
        """The commands that train and pin a model."""
        from .figures import train_hint

        return train_hint(MODEL_8LOC)

    def _models(self, ctx: RunContext) -> dict[str, tuple[str, int]]:
        """Network name → (model name, training seed)."""
        p = ctx.params
        names = {p.bundle(seed).removesuffix(".nc"): (MODEL_8LOC, int(seed)) for seed in p.train_seeds}
        names[p.bundle_360.removesuffix(".nc")] = (MODEL_360LOC, 0)
        return names

    def networks(self, ctx: RunContext) -> list[str]:
        """``8loc_odr3000_seed<s>`` for every training seed, and ``360loc_odr_seed0``."""
        return list(self._models(ctx))

    def stages(self, ctx: RunContext, network: str) -> list[str]:
        """``early``, ``mid``, ``mature`` (the single ODR checkpoints)."""
        from ..oculomotor.performance import STAGES

        return list(STAGES)

    def max_trials(self, ctx: RunContext, network: str) -> int:
        """The test batch: 16 trials per cue location."""
        model_name = self._models(ctx)[network][0]
        return TRIALS_PER_LOCATION * (360 if model_name == MODEL_360LOC else 8)

    def simulate(self, ctx: RunContext, network: str, stage: str, n_trials: int, seed: int) -> xr.Dataset:
        """The ODR test batch of the stage's single checkpoint, one noise pass."""
        from paperrepro.core.errors import DataError

        from .figures import model, selection

        model_name, train_seed = self._models(ctx)[network]
        mdl = model(ctx, model_name, train_seed)
        singles = selection(ctx, mdl).singles
        if stage not in singles:
            raise DataError(f"{network} has no {stage} checkpoint (its log never reaches that stage)")
        checkpoint = singles[stage]
        rule = mdl.odr_rule
        tasks = TaskConfig(n_eachring=mdl.n_eachring)
        weights = mdl.weights(checkpoint)
        net = LeakyRNN(
            NetworkConfig(
                n_input=tasks.n_input,
                n_rnn=int(np.asarray(weights["bias"]).shape[0]),
                n_output=tasks.n_output,
                tau=tasks.tau,
                dt=tasks.dt,
            ),
            weights,
        )
        keep = spread(TRIALS_PER_LOCATION * tasks.n_eachring, n_trials)
        needed = np.unique(keep // TRIALS_PER_LOCATION)
        generator = torch.Generator().manual_seed(stream_seed(seed, 0))
        chunk = max(1, min(int(ctx.params.locations_per_batch), LOCATIONS_PER_CHUNK))
        rates, readouts, stim, response, first = [], [], [], [], None
        for start in range(0, needed.size, chunk):
            locations = needed[start : start + chunk]
            trial = generate_trials(rule, tasks, "test", noise_on=False, locations=locations.tolist())
            mine = keep[np.isin(keep // TRIALS_PER_LOCATION, locations)]
            local = np.searchsorted(locations, mine // TRIALS_PER_LOCATION) * TRIALS_PER_LOCATION + mine % TRIALS_PER_LOCATION
            with torch.no_grad():
                h, y_hat = net(torch.from_numpy(np.ascontiguousarray(trial.x[:, local])), generator=generator)
            h, y_hat = h.numpy(), y_hat.numpy()
            labels = types.SimpleNamespace(y_loc=trial.y_loc[:, local])
            rates.append(RATE_SCALE * h)
            readouts.append(behaviour(y_hat, labels))
            stim.append(trial.stim_locs[local])
            response.append(trial.response_locs[local])
            first = trial if first is None else first
            del h, y_hat
        batch = types.SimpleNamespace(
            rule=rule,
            epochs=first.epochs,
            stim_locs=np.concatenate(stim),
            response_locs=np.concatenate(response),
            distract_locs=None,
        )
        ds = oculomotor_dataset(
            np.concatenate(rates, axis=1),
            {k: np.concatenate([r[k] for r in readouts]) for k in readouts[0]},
            batch,
            tasks.n_eachring,
            np.arange(keep.size),
            dt_ms=tasks.dt,
            rate_units="Hz",
            rate_long_name="firing rate 50 r_t of the leaky softplus RNN",
        )
        ds.attrs.update(
            checkpoint=f"after {checkpoint} training trials (logged {rule} perf {mdl.perf_at(rule, checkpoint):.3f}; "
            f"single {stage} checkpoint)",
            checkpoint_trials=int(checkpoint),
            training_seed=int(train_seed),
            source=str(ctx.params.source),
            task=rule,
            noise="input noise off, recurrent noise on: rates and read-out from one pass (stream A of the seed)",
        )
        return ds


EXPORTER = AccuracyExporter()
