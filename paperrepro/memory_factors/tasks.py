"""The seven short-term-memory tasks with Poisson population inputs and their optimal observers.

Every trial has 150 steps: stimulus 0-24, delay 25-124, response 125-149. Inputs are Poisson spike counts per step
from 50 neurons per stimulus location (Gaussian noise for Sine); a batch is drawn from an explicit
``numpy.random.Generator``. Besides inputs and targets, each batch carries the optimal observer's answer (an
estimate for estimation tasks, P(C = 1 | spikes) for binary tasks), from which
:mod:`paperrepro.memory_factors.performance` computes the fractional information loss.

Within an epoch every rate is constant in time, so the counts of an epoch are drawn as a Poisson total per trial and
channel placed on uniformly random steps: exactly i.i.d. Poisson counts per step, about 8x faster than drawing every
step (the random streams differ from a per-step draw; the original code is not bitwise reproducible anyway, B8).

Variants: ``dynamic=True`` prepends 50 task-irrelevant channels with a bump sweeping over them (dynamic-input
condition); ``variable_delay=True`` draws a delay d in {10, 40, 70, 100} per trial and masks steps [25 + d, 125).

Original-code bugs and ambiguities, each behind a switch:

``gde_alias_bug`` (B1, default ``True`` = faithful)
    In the GDE version used for the paper, on cue-1 trials location 0 showed location 1's item (a numpy view was
    overwritten before the spikes were drawn). ``False`` shows two independent items.
``cd_observer`` (B4, default ``"faithful"``)
    The original CD observer uses the concentration |sum r e^{i phi}|; ``"corrected"`` uses 2 |sum r e^{2 i phi}|
    (= kappa times the resultant length, the exact posterior). Only the information loss moves.
``dynamic_bump`` (B6, default ``"feature_units"`` = faithful)
    The sweeping bump exp(-10 (sigma_t - phi_i)^2) has its width in feature units, so on the +-40/+-50 axes of
    2AFC/COMP it is far narrower than a channel (almost no spikes). ``"channel_units"`` uses the DE width in channel
    units (sd = 3.49 channels) for every task, with the same gains.
``vardelay_estimation`` (B5/B17, default ``False``)
    The original variable-delay script runs only the binary tasks; ``True`` adds DE-1/DE-2/GDE with a linear
    readout, using the response rate 0.1/25 (the original's 0.1/100 looks like a typo).
Sine (B2) has no optimal observer; its "information loss" is the normalised MAE (see ``performance``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import i0e
from scipy.stats import norm

T_STIM, T_DELAY, T_RESP = 25, 100, 25
T_TOTAL = T_STIM + T_DELAY + T_RESP
N_PER_LOC = 50
SPON_RATE = 0.1
KAPPA = 2.0
DELAYS: tuple[int, ...] = (10, 40, 70, 100)
#: gains of the task-irrelevant dynamic input
DYNAMIC_GAIN: dict[str, float] = {"DE-1": 1.0, "DE-2": 1.0, "GDE": 1.0, "CD": 0.1, "2AFC": 1.0, "COMP": 0.1}
#: bump width of the dynamic input: exp(-10 d^2) in feature units, i.e. sd = 1/sqrt(20)
DYNAMIC_WIDTH = 10.0
#: the same width in channel units on the DE axis [0, pi] with 50 channels (sd ~ 3.49 channels)
DYNAMIC_SD_CHANNELS = (1.0 / np.sqrt(2.0 * DYNAMIC_WIDTH)) / (np.pi / (N_PER_LOC - 1))
#: Sine target: sin(0.25 theta), theta = linspace(0, pi, 25); mean |target| ~ 0.372 (normaliser of the MAE)
SINE_TARGET = np.sin(0.25 * np.linspace(0.0, np.pi, T_RESP))
SINE_MEAN_ABS = float(np.mean(np.abs(SINE_TARGET)))


@dataclass(frozen=True)
class TaskInfo:
    """Static description of a task.

    Attributes
    ----------
    name, code
        Package name (``"2AFC"``) and the original's integer code (6).
    n_loc
        Stimulus locations (50 input neurons each).
    n_out
        Output units.
    kind
        ``"estimation"``, ``"binary"`` or ``"sine"``.
    phi
        Preferred values of the 50 input neurons of one location.
    """

    name: str
    code: int
    n_loc: int
    n_out: int
    kind: str
    phi: np.ndarray = field(repr=False, compare=False)

    @property
    def readout(self) -> str:
        """``"sigmoid"`` for binary tasks, else ``"linear"``."""
        return "sigmoid" if self.kind == "binary" else "linear"

    def n_in(self, dynamic: bool = False) -> int:
        """Input dimension (plus 50 irrelevant channels with dynamic input)."""
        return (self.n_loc + int(dynamic)) * N_PER_LOC


_PHI_ORI = np.linspace(0.0, np.pi, N_PER_LOC)
TASK_INFO: dict[str, TaskInfo] = {
    "DE-1": TaskInfo("DE-1", 0, 1, 1, "estimation", _PHI_ORI),
    "DE-2": TaskInfo("DE-2", 1, 2, 2, "estimation", _PHI_ORI),
    "CD": TaskInfo("CD", 2, 1, 1, "binary", _PHI_ORI),
    "GDE": TaskInfo("GDE", 4, 2, 1, "estimation", _PHI_ORI),
    "2AFC": TaskInfo("2AFC", 6, 1, 1, "binary", np.linspace(-40.0, 40.0, N_PER_LOC)),
    "Sine": TaskInfo("Sine", 7, 1, 1, "sine", _PHI_ORI),
    "COMP": TaskInfo("COMP", 8, 1, 1, "binary", np.linspace(-50.0, 50.0, N_PER_LOC)),
}


@dataclass(frozen=True)
class Batch:
    """One batch of trials.

    Attributes
    ----------
    x
        Inputs (B, T, n_in), float32 spike counts (Gaussian noise for Sine).
    y
        Targets (B, T, n_out), float32.
    mask
        (B, T) bool; False at the masked steps of variable-delay trials.
    trial
        Per-trial variables, each (B,) or (B, n_items): ``s`` (shown items), ``target``, ``C``, ``cue``, ``s1``,
        ``s2``, ``delay`` (whichever the task has).
    optimal
        Optimal observer: estimation (B, n_out) estimates; binary (B,) P(C = 1 | spikes); sine: the target (25,).
    """

    x: np.ndarray
    y: np.ndarray
    mask: np.ndarray
    trial: dict[str, np.ndarray]
    optimal: np.ndarray


def von_mises_rates(s: np.ndarray, phi: np.ndarray, gain: float) -> np.ndarray:
    """Orientation tuning gain * exp(kappa (cos 2(s - phi) - 1)), shape s.shape + phi.shape."""
    return gain * np.exp(KAPPA * (np.cos(2.0 * (np.asarray(s)[..., None] - phi)) - 1.0))


def gaussian_rates(s: np.ndarray, phi: np.ndarray, sd: float, gain: float) -> np.ndarray:
    """Gaussian tuning gain * exp(-(s - phi)^2 / (2 sd^2)), shape s.shape + phi.shape."""
    return gain * np.exp(-((np.asarray(s)[..., None] - phi) ** 2) / (2.0 * sd**2))


def population_vector(counts: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Optimal orientation estimate 0.5 * atan2(sum r sin 2phi, sum r cos 2phi), wrapped into [0, pi)."""
    est = 0.5 * np.arctan2(counts @ np.sin(2.0 * phi), counts @ np.cos(2.0 * phi))
    return np.where(est < 0.0, est + np.pi, est)


def cd_posterior(counts1: np.ndarray, counts2: np.ndarray, phi: np.ndarray, observer: str) -> np.ndarray:
    """P(change | spikes) of the change-detection task (von Mises likelihood ratio).

    Parameters
    ----------
    counts1, counts2
        Stimulus- and response-epoch spike counts (B, 50).
    phi
        Preferred orientations.
    observer
        ``"faithful"`` (concentration |sum r e^{i phi}|, original code) or ``"corrected"`` (2 |sum r e^{2 i phi}|).
    """
    z1 = counts1 @ np.exp(2j * phi)
    z2 = counts2 @ np.exp(2j * phi)
    if observer == "faithful":
        k1, k2 = np.abs(counts1 @ np.exp(1j * phi)), np.abs(counts2 @ np.exp(1j * phi))
    elif observer == "corrected":
        k1, k2 = KAPPA * np.abs(z1), KAPPA * np.abs(z2)
    else:
        raise ValueError(f"cd_observer must be 'faithful' or 'corrected', not {observer!r}")
    k12 = np.sqrt(k1**2 + k2**2 + 2.0 * k1 * k2 * np.cos(np.angle(z2) - np.angle(z1)))
    # d = I0(k1) I0(k2) / I0(k12), computed with exponentially scaled Bessel functions
    d = i0e(k1) * i0e(k2) / i0e(k12) * np.exp(k1 + k2 - k12)
    return d / (1.0 + d)


def twoafc_posterior(counts: np.ndarray, phi: np.ndarray, sd: float = 15.0) -> np.ndarray:
    """P(C = 1 | spikes) = logistic(30 * sum r phi / sd^2) of the 2AFC task (s = +-15)."""
    return 1.0 / (1.0 + np.exp(-30.0 * (counts @ phi) / sd**2))


def comp_posterior(counts1: np.ndarray, counts2: np.ndarray, phi: np.ndarray, sd: float = 10.0) -> np.ndarray:
    """P(s1 > s2 | spikes) = Phi(0; mu2 - mu1, sqrt(v1 + v2)); NaN where a stimulus gave no spike."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n1, n2 = counts1.sum(-1), counts2.sum(-1)
        mu1, mu2 = counts1 @ phi / n1, counts2 @ phi / n2
        scale = np.sqrt(sd**2 / n1 + sd**2 / n2)
        return norm.cdf(0.0, loc=mu2 - mu1, scale=scale)


def dynamic_rates(task: str, bump: str) -> np.ndarray:
    """Rates (T, 50) of the task-irrelevant dynamic input: a bump sweeping across the channels over the trial."""
    info = TASK_INFO[task]
    gain = DYNAMIC_GAIN[task]
    if bump == "feature_units":
        sweep = np.linspace(info.phi.min(), info.phi.max(), T_TOTAL)
        return gain * np.exp(-DYNAMIC_WIDTH * (sweep[:, None] - info.phi[None, :]) ** 2)
    if bump == "channel_units":
        sweep = np.linspace(0.0, N_PER_LOC - 1.0, T_TOTAL)
        return gain * np.exp(-((sweep[:, None] - np.arange(N_PER_LOC)) ** 2) / (2.0 * DYNAMIC_SD_CHANNELS**2))
    raise ValueError(f"dynamic_bump must be 'feature_units' or 'channel_units', not {bump!r}")


def _spike_steps(rng: np.random.Generator, rate: np.ndarray, start: int, length: int):
    """Trial, step and channel of every spike of an epoch whose rate per step is constant within it.

    Exact for i.i.d. Poisson(rate) counts per step: a Poisson(rate * length) total per trial and channel whose
    spikes fall on uniformly random steps of the epoch (fast for the sparse inputs of these tasks).
    """
    total = rng.poisson(np.asarray(rate, dtype=np.float64) * length)
    trial, channel = np.nonzero(total)
    reps = total[trial, channel]
    steps = start + rng.integers(0, length, size=int(reps.sum()))
    return np.repeat(trial, reps), steps, np.repeat(channel, reps)


def _epochs(rng: np.random.Generator, stim: np.ndarray, delay: float, resp: np.ndarray | float) -> np.ndarray:
    """Spike counts (B, T, n_in) from per-trial stimulus rates (B, n_in), a delay rate and response rates."""
    batch, n_in = stim.shape
    counts = np.zeros((batch, T_TOTAL, n_in), dtype=np.float32)
    for rate, start, length in (
        (stim, 0, T_STIM),
        (np.full((batch, n_in), delay), T_STIM, T_DELAY),
        (np.broadcast_to(resp, (batch, n_in)), T_STIM + T_DELAY, T_RESP),
    ):
        trial, step, channel = _spike_steps(rng, rate, start, length)
        np.add.at(counts.reshape(-1), (trial * T_TOTAL + step) * n_in + channel, 1.0)
    return counts


def _orientation_task(task: str, rng: np.random.Generator, batch: int, gde_alias_bug: bool):
    """DE-1, DE-2, GDE: rates, trial variables, targets and optimal estimates."""
    info = TASK_INFO[task]
    s = np.pi * rng.random((batch, info.n_loc))
    trial: dict[str, np.ndarray] = {}
    resp = np.full((batch, info.n_in()), SPON_RATE / T_RESP)
    if task == "GDE":
        cue = (rng.random(batch) < 0.5).astype(np.int64)
        if gde_alias_bug:
            s[cue == 1, 0] = s[cue == 1, 1]
        for loc in (0, 1):
            resp[cue == loc, loc * N_PER_LOC : (loc + 1) * N_PER_LOC] *= 5.0
        trial["cue"] = cue
    stim = von_mises_rates(s, info.phi, 1.0 / T_STIM).reshape(batch, -1)
    counts = _epochs(rng, stim, SPON_RATE / T_DELAY, resp)
    cum = counts[:, :T_STIM].sum(1).reshape(batch, info.n_loc, N_PER_LOC)
    estimate = population_vector(cum, info.phi)
    if task == "GDE":
        pick = trial["cue"]
        target = s[np.arange(batch), pick][:, None]
        estimate = estimate[np.arange(batch), pick][:, None]
    else:
        target = s
    trial.update(s=s, target=target)
    y = np.repeat(target[:, None, :], T_TOTAL, axis=1)
    return counts, y, trial, estimate


def _binary_task(task: str, rng: np.random.Generator, batch: int, cd_observer: str):
    """CD, 2AFC, COMP: rates, trial variables, targets and optimal posteriors."""
    info = TASK_INFO[task]
    if task == "CD":
        s1 = np.pi * rng.random(batch)
        change = (rng.random(batch) < 0.5).astype(np.float64)
        s2 = np.where(change == 1.0, np.pi * rng.random(batch), s1)
        counts = _epochs(
            rng, von_mises_rates(s1, info.phi, 1.0 / T_STIM), SPON_RATE / T_DELAY, von_mises_rates(s2, info.phi, 1.0 / T_RESP)
        )
        post = cd_posterior(counts[:, :T_STIM].sum(1), counts[:, -T_RESP:].sum(1), info.phi, cd_observer)
        trial = {"s1": s1, "s2": s2, "C": change}
    elif task == "2AFC":
        change = (rng.random(batch) < 0.5).astype(np.float64)
        s = np.where(change == 1.0, 15.0, -15.0)
        counts = _epochs(rng, gaussian_rates(s, info.phi, 15.0, 1.0 / T_STIM), SPON_RATE / T_DELAY, SPON_RATE / T_RESP)
        post = twoafc_posterior(counts[:, :T_STIM].sum(1), info.phi)
        trial = {"s1": s, "C": change}
    else:
        s1 = 80.0 * rng.random(batch) - 40.0
        s2 = 80.0 * rng.random(batch) - 40.0
        change = (s1 > s2).astype(np.float64)
        counts = _epochs(
            rng,
            gaussian_rates(s1, info.phi, 10.0, 1.0 / T_STIM),
            SPON_RATE / T_DELAY,
            gaussian_rates(s2, info.phi, 10.0, 1.0 / T_RESP),
        )
        post = comp_posterior(counts[:, :T_STIM].sum(1), counts[:, -T_RESP:].sum(1), info.phi)
        trial = {"s1": s1, "s2": s2, "C": change}
    y = np.repeat(np.repeat(change[:, None, None], T_TOTAL, axis=1), 1, axis=2)
    return counts, y, trial, post


def _sine_task(rng: np.random.Generator, batch: int):
    """Sine: Gaussian noise in the delay, a fixed sine segment as the response-epoch target."""
    x = np.zeros((batch, T_TOTAL, N_PER_LOC))
    x[:, T_STIM : T_STIM + T_DELAY] = 0.1 * rng.standard_normal((batch, T_DELAY, N_PER_LOC))
    y = np.zeros((batch, T_TOTAL, 1))
    y[:, -T_RESP:, 0] = SINE_TARGET
    return x, y, {}, SINE_TARGET.copy()


def make_batch(
    task: str,
    rng: np.random.Generator,
    batch_size: int = 50,
    *,
    dynamic: bool = False,
    variable_delay: bool = False,
    gde_alias_bug: bool = True,
    cd_observer: str = "faithful",
    dynamic_bump: str = "feature_units",
) -> Batch:
    """Draw one batch of a task.

    Parameters
    ----------
    task
        One of :data:`TASK_INFO` (``"DE-1"``, ``"DE-2"``, ``"CD"``, ``"GDE"``, ``"2AFC"``, ``"Sine"``, ``"COMP"``).
    rng
        Data generator (advanced in place).
    batch_size
        Trials.
    dynamic
        Prepend 50 task-irrelevant dynamic-input channels (not defined for Sine).
    variable_delay
        Draw a delay per trial from :data:`DELAYS` and mask the unused delay steps (input and target zeroed).
    gde_alias_bug, cd_observer, dynamic_bump
        Bug switches, see the module docstring.

    Returns
    -------
    Batch
    """
    if task not in TASK_INFO:
        raise ValueError(f"unknown task {task!r}; valid tasks: {', '.join(TASK_INFO)}")
    info = TASK_INFO[task]
    if info.kind == "estimation":
        x, y, trial, optimal = _orientation_task(task, rng, batch_size, gde_alias_bug)
    elif info.kind == "binary":
        x, y, trial, optimal = _binary_task(task, rng, batch_size, cd_observer)
    else:
        if dynamic:
            raise ValueError("the dynamic-input condition has no Sine task")
        x, y, trial, optimal = _sine_task(rng, batch_size)
    if dynamic:
        irrelevant = rng.poisson(np.broadcast_to(dynamic_rates(task, dynamic_bump), (batch_size, T_TOTAL, N_PER_LOC)))
        x = np.concatenate([irrelevant, x], axis=2)
    mask = np.ones((batch_size, T_TOTAL), dtype=bool)
    if variable_delay:
        delay = rng.choice(np.asarray(DELAYS), size=batch_size)
        steps = np.arange(T_TOTAL)
        mask = ~((steps[None, :] >= T_STIM + delay[:, None]) & (steps[None, :] < T_STIM + T_DELAY))
        x = np.where(mask[:, :, None], x, 0)
        y = np.where(mask[:, :, None], y, 0.0)
        trial["delay"] = delay
    return Batch(x=np.asarray(x, dtype=np.float32), y=np.asarray(y, dtype=np.float32), mask=mask, trial=trial, optimal=optimal)
