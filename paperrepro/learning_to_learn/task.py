"""Delayed sensorimotor association problems (original ``train.py::generateData``).

A *problem* is a pair of orthonormal 10-D "images"; image k must be answered with response k
after a 1000 ms delay.  A trial lasts 2000 steps of 1 ms:

* steps [0, 500): image k plus the fixation input 1/sqrt(10); target class 2 (fixate);
* steps [500, 1500): fixation input only; target class 2;
* steps [1500, 2000): no input (go cue); target class k; steps [1500, 1600) are not scored.

The random draws follow the original order: ``normal(size=(2, 10))`` at problem start and one
``randint(2)`` per trial.  Both ``numpy.random.RandomState`` (original stream) and
``numpy.random.Generator`` are accepted.  Images are float64 here (float32 in the original).
"""

from __future__ import annotations

import numpy as np

from .params import Params

__all__ = ["new_problem", "draw_stimulus", "trial_inputs", "targets", "loss_mask", "Rng"]

Rng = np.random.Generator | np.random.RandomState


def new_problem(rng: Rng, n_pixels: int = 10) -> np.ndarray:
    """Draw the two orthonormal images of a new problem.

    Parameters
    ----------
    rng : numpy.random.Generator or numpy.random.RandomState
        Task stream; consumes one ``normal(size=(2, n_pixels))`` draw.
    n_pixels : int
        Image dimension (10).

    Returns
    -------
    numpy.ndarray
        ``(2, n_pixels)`` float64; row k is the image answered with response k.
    """
    images = np.asarray(rng.normal(size=(2, n_pixels)), dtype=np.float64)
    images /= np.linalg.norm(images, axis=1, keepdims=True)
    images[1] -= (images[0] @ images[1]) * images[0]
    images /= np.linalg.norm(images, axis=1, keepdims=True)
    return images


def draw_stimulus(rng: Rng) -> int:
    """Draw the stimulus of one trial, uniform over {0, 1} (``randint(2, size=[1])``)."""
    if isinstance(rng, np.random.RandomState):
        return int(rng.randint(2, size=[1])[0])
    return int(rng.integers(2, size=1)[0])


def trial_inputs(image: np.ndarray, params: Params) -> np.ndarray:
    """Input time series of one trial.

    Parameters
    ----------
    image : numpy.ndarray
        ``(n_pixels,)`` image shown during the stimulus period.
    params : Params
        Timing and fixation-input constants.

    Returns
    -------
    numpy.ndarray
        ``(n_steps, n_pixels + 1)`` float64 inputs (last channel = fixation).
    """
    u = np.zeros((params.n_steps, params.n_in))
    u[: params.stim_steps, : params.n_pixels] = image
    u[: params.fixation_steps, params.n_pixels] = params.fixation_input
    return u


def targets(stim: int, params: Params) -> np.ndarray:
    """Target class per step: 2 (fixate) before the go cue, ``stim`` after it.

    Returns
    -------
    numpy.ndarray
        ``(n_steps,)`` int64 class labels.
    """
    y = np.full(params.n_steps, params.n_out - 1, dtype=np.int64)
    y[params.fixation_steps :] = stim
    return y


def loss_mask(params: Params) -> np.ndarray:
    """Scored steps: all but the first ``grace_steps`` after the go cue (1900 of 2000).

    Returns
    -------
    numpy.ndarray
        ``(n_steps,)`` bool.
    """
    mask = np.ones(params.n_steps, dtype=bool)
    mask[params.fixation_steps : params.fixation_steps + params.grace_steps] = False
    return mask
