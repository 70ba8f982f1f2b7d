"""Test-batch simulation for analyses (the original's ``PSTH_compute_H.py``).

Analyses run the test batch (``n_eachring × 16`` trials, location-major) with input noise **off** and recurrent noise
**on**, from one ``noise_seed`` shared by all checkpoints (docs/maturation.md, M6), so every checkpoint sees the same
noise realisation. Hidden states and outputs come from one pass; the accuracy paper's two-pass behaviour is two calls
with different seeds.
"""

from __future__ import annotations

import numpy as np
import torch

from .model import LeakyRNN, NetworkConfig
from .tasks import TaskConfig, Trial, generate_trials


def simulate_test(
    weights: dict[str, np.ndarray],
    rule: str,
    noise_seed: int,
    *,
    network: NetworkConfig | None = None,
    tasks: TaskConfig | None = None,
    mode: str = "test",
) -> tuple[np.ndarray, np.ndarray, Trial]:
    """Run one checkpoint on a test batch.

    Parameters
    ----------
    weights : dict
        ``kernel``, ``bias``, ``w_out``, ``b_out`` (TF layout).
    rule : str
        Task name.
    noise_seed : int
        Seed of the recurrent-noise ``torch.Generator``.
    network, tasks : optional
        Configurations; the network size is taken from ``weights`` if omitted.
    mode : str
        ``'test'`` or (ODRD) ``'test-X-Y'``.

    Returns
    -------
    h : ndarray, shape (T, B, N), float32
        Raw hidden states.
    y_hat : ndarray, shape (T, B, n_output), float32
        Sigmoid outputs.
    trial : Trial
        The (noise-free) test batch.
    """
    tasks = tasks or TaskConfig()
    if network is None:
        n_rnn = int(np.asarray(weights["bias"]).shape[0])
        network = NetworkConfig(n_input=tasks.n_input, n_rnn=n_rnn, n_output=tasks.n_output)
    trial = generate_trials(rule, tasks, mode, noise_on=False)
    model = LeakyRNN(network, weights)
    with torch.no_grad():
        h, y_hat = model(torch.from_numpy(trial.x), generator=torch.Generator().manual_seed(noise_seed))
    return h.numpy(), y_hat.numpy(), trial
