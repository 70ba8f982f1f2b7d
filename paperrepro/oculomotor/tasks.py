"""Saccade tasks of the oculomotor RNN studies (maturation and accuracy papers).

Re-statement of the task generator ``task_and_network/task.py`` of ``maiziezhoulab/RNN_BrainMaturation`` @ ``d793a1d``
and ``maiziezhoulab/RNN_workingmemoryaccuracy`` @ ``ac8f140`` (both adapted from ``gyyang/multitask``).

Encoding (dt = 20 ms, durations ``int(ms / dt)``, no jitter):

* inputs: channel 0 fixation, channels ``1 … n_eachring`` a ring (preferred angles ``2πk / n_eachring``; a stimulus at
  θ adds ``0.8·exp(-d²/2)``, ``d`` = circular distance / (π/8)), then one-hot rule channels (on for the whole trial);
* targets (``lsq``): baseline 0.05, fixation output 0.8 while fixation is required, ring 0.05 + bump from response
  onset; ``y_loc`` = -1 before and the response angle after;
* cost mask: 0 for the first 100 ms, 1 until response onset, 0 for 100 ms, then 5; the fixation column doubled;
* input noise: iid normal, sd ``sigma_x·√(2/α)``, added last.

Random numbers are drawn in the original order (cue angles → ODRD offset → input noise) from ``rng``, which may be a
``numpy.random.Generator`` or a legacy ``numpy.random.RandomState``; only methods both share are used
(``random``, ``choice``, ``standard_normal``), so a ``RandomState(seed)`` reproduces the original's trials bit for bit.

Quirk decisions: rule indices come from the explicit map ``RULE_INDEX`` (``odr`` and every ``odr<ms>`` share index 3)
instead of the original's per-ruleset look-up (maturation, ``KeyError`` on unknown rules) or fuzzy name match
(accuracy). The ODRD distractor offset is drawn once per batch, as in the original (docs/maturation.md, M13).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

TaskRNG = np.random.Generator | np.random.RandomState

#: The six tasks of the maturation paper, in ruleset (``all_new``) order.
RULES_ALL_NEW: tuple[str, ...] = ("overlap", "zero_gap", "gap", "odr", "odrd", "gap500")
#: The accuracy paper's ruleset (``all_new_odr3000``).
RULES_ALL_NEW_ODR3000: tuple[str, ...] = ("overlap", "zero_gap", "gap", "odr3000", "odrd", "gap500")
#: Rule-channel index (added to ``rule_start``); every ``odr<ms>`` maps to the ODR channel.
RULE_INDEX: dict[str, int] = {"overlap": 0, "zero_gap": 1, "gap": 2, "odr": 3, "odrd": 4, "gap500": 5}
N_RULE = 6
_ODR_DELAY = re.compile(r"^odr(\d+)$")


@dataclass(frozen=True)
class TaskConfig:
    """Task hyper-parameters (derived sizes follow ``n_eachring``).

    Parameters
    ----------
    dt : float
        Time step in ms.
    tau : float
        Unit time constant in ms (only ``alpha = dt / tau`` is used, for the input-noise scale).
    n_eachring : int
        Number of ring input/output channels (8 or 360).
    sigma_x : float
        Input noise before the ``√(2/α)`` scaling.
    """

    dt: float = 20.0
    tau: float = 100.0
    n_eachring: int = 8
    sigma_x: float = 0.01

    @property
    def alpha(self) -> float:
        """``dt / tau``."""
        return self.dt / self.tau

    @property
    def rule_start(self) -> int:
        """First rule-input channel."""
        return 1 + self.n_eachring

    @property
    def n_input(self) -> int:
        """Number of input channels (fixation + ring + rules)."""
        return 1 + self.n_eachring + N_RULE

    @property
    def n_output(self) -> int:
        """Number of output channels (fixation + ring)."""
        return 1 + self.n_eachring

    @property
    def input_noise_sd(self) -> float:
        """Standard deviation of the input noise, ``sigma_x·√(2/α)``."""
        return self.sigma_x * float(np.sqrt(2.0 / self.alpha))


DT_MS: float = TaskConfig().dt
"""The time step of every task and network of the oculomotor papers (ms; ``TaskConfig.dt``): time = step × DT_MS."""


@dataclass
class Trial:
    """A batch of trials of one task (time-major arrays, float32).

    Attributes
    ----------
    rule : str
        Task name.
    x : ndarray, shape (T, B, n_input)
        Network input.
    y : ndarray, shape (T, B, n_output)
        Target output.
    y_loc : ndarray, shape (T, B)
        Response angle (rad) from response onset, -1 before.
    c_mask : ndarray, shape (T, B, n_output)
        Cost mask (multiplies the error before squaring).
    epochs : dict of str to (int, int)
        Epoch name to [start, end) steps (``end`` = T for the last epoch).
    stim_locs, response_locs : ndarray, shape (B,)
        Cue and response angles (rad, float64).
    distract_locs : ndarray or None
        Distractor angles (ODRD only).
    """

    rule: str
    x: np.ndarray
    y: np.ndarray
    y_loc: np.ndarray
    c_mask: np.ndarray
    epochs: dict[str, tuple[int, int]]
    stim_locs: np.ndarray
    response_locs: np.ndarray
    distract_locs: np.ndarray | None = field(default=None)

    @property
    def n_time(self) -> int:
        """Number of time steps T."""
        return self.x.shape[0]

    @property
    def batch_size(self) -> int:
        """Number of trials B."""
        return self.x.shape[1]


@dataclass(frozen=True)
class _Timing:
    """Steps of one task: fixation input off, cue on/off, distractor on/off, response on, T, anti."""

    fix_off: int
    stim_on: int
    stim_off: int
    response_on: int
    tdim: int
    anti: bool
    distract: tuple[int, int] | None
    epochs: dict[str, tuple[int, int]]


def rule_index(rule: str) -> int:
    """Rule-channel offset of a task (``odr<ms>`` → the ODR channel).

    Parameters
    ----------
    rule : str
        Task name.

    Returns
    -------
    int
        Index added to ``TaskConfig.rule_start``.
    """
    if rule in RULE_INDEX:
        return RULE_INDEX[rule]
    if _ODR_DELAY.match(rule):
        return RULE_INDEX["odr"]
    raise ValueError(f"unknown task {rule!r}; known: {sorted(RULE_INDEX)} and odr<delay ms>")


def _steps(ms: float, dt: float) -> int:
    return int(ms / dt)


def task_timing(rule: str, dt: float = 20.0) -> _Timing:
    """Epoch boundaries (in steps) of a task.

    Parameters
    ----------
    rule : str
        Task name (one of ``RULE_INDEX`` or ``odr<delay ms>``).
    dt : float
        Time step in ms.

    Returns
    -------
    _Timing
        Fixation-input offset, cue on/off, response onset, T, anti flag, distractor, epochs.
    """
    s = lambda ms: _steps(ms, dt)  # noqa: E731
    match = _ODR_DELAY.match(rule)
    if rule == "odr" or match is not None:
        delay = 1500.0 if match is None else float(match.group(1))  # plain "odr" does not match ``odr<ms>``
        on, off = s(1000), s(1000) + s(500)
        fix = off + s(delay)
        tdim = fix + s(500)
        ep = {"fix1": (0, on), "stim1": (on, off), "delay1": (off, fix), "go1": (fix, tdim)}
        return _Timing(fix, on, off, fix, tdim, False, None, ep)
    if rule == "odrd":
        on, off = s(1000), s(1000) + s(500)
        d_on = off + s(500)
        d_off = d_on + s(500)
        fix = d_off + s(500)
        tdim = fix + s(500)
        ep = {
            "fix1": (0, on),
            "stim1": (on, off),
            "delay1": (off, d_on),
            "distract1": (d_on, d_off),
            "delay2": (d_off, fix),
            "go1": (fix, tdim),
        }
        return _Timing(fix, on, off, fix, tdim, False, (d_on, d_off), ep)
    if rule == "overlap":
        on, off = s(1000), s(1000) + s(100)
        tdim = off + s(500)
        ep = {"fix1": (0, on), "stim1": (on, off), "go1": (off, tdim)}
        return _Timing(off, on, off, off, tdim, True, None, ep)
    if rule == "zero_gap":
        on, off = s(1000), s(1000) + s(100)
        tdim = off + s(500)
        ep = {"fix1": (0, on), "stim1": (on, off), "go1": (on, tdim)}
        return _Timing(on, on, off, on, tdim, True, None, ep)
    if rule in ("gap", "gap500"):
        fix = s(1000)
        on = fix + s(100 if rule == "gap" else 500)
        off = on + s(100)
        tdim = off + s(500)
        ep = {"fix1": (0, fix), "delay1": (fix, on), "stim1": (on, off), "go1": (on, tdim)}
        return _Timing(fix, on, off, on, tdim, True, None, ep)
    raise ValueError(f"unknown task {rule!r}")


def circular_distance(a: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """Distance on the circle, ``min(|a-b|, 2π-|a-b|)`` (inputs in [0, 2π))."""
    d = np.abs(np.asarray(a, dtype=np.float64) - b)
    return np.minimum(d, 2 * np.pi - d)


def ring_bump(locs: np.ndarray, n_eachring: int) -> np.ndarray:
    """Ring activity ``0.8·exp(-d²/2)``, ``d`` = circular distance to each preferred angle / (π/8).

    Parameters
    ----------
    locs : ndarray, shape (B,)
        Angles in rad, in [0, 2π).
    n_eachring : int
        Number of ring channels.

    Returns
    -------
    ndarray, shape (B, n_eachring), float64
    """
    pref = np.arange(0, 2 * np.pi, 2 * np.pi / n_eachring)
    dist = circular_distance(np.asarray(locs, dtype=np.float64)[:, None], pref[None, :]) / (np.pi / 8)
    return 0.8 * np.exp(-(dist**2) / 2)


def _locations(
    rule: str, mode: str, config: TaskConfig, rng: TaskRNG | None, batch_size: int | None, locations: Sequence[int] | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Cue (and distractor) angles in the original's RNG order."""
    n = config.n_eachring
    if locations is not None and mode != "test":
        raise ValueError(f"locations select part of the 'test' batch; mode {mode!r} has none")
    if mode == "random":
        if batch_size is None or rng is None:
            raise ValueError("mode 'random' needs batch_size and rng")
        stim = rng.random(batch_size) * 2 * np.pi
        distract = None
        if rule == "odrd":
            offset = rng.choice(np.arange(1, n)) * (2 * np.pi / n)
            distract = (stim + offset) % (2 * np.pi)
        return stim, distract
    if mode == "test" or (rule == "odrd" and mode.startswith("test-")):
        index = np.repeat(np.arange(n) if locations is None else np.asarray(locations, dtype=int), 16)
        stim = 2 * np.pi * index / n
        distract = None
        if rule == "odrd":
            if mode == "test":
                distract = (stim + np.pi) % (2 * np.pi)
            else:
                parts = mode.split("-")
                if len(parts) != 3:
                    raise ValueError(f"ODRD test mode must be 'test' or 'test-X-Y', got {mode!r}")
                stim = np.full(stim.size, 2 * np.pi * int(parts[1]) / n)
                distract = np.full(stim.size, 2 * np.pi * int(parts[2]) / n)
        return stim, distract
    raise ValueError(f"unknown mode {mode!r} for task {rule!r}")


def generate_trials(
    rule: str,
    config: TaskConfig,
    mode: str,
    rng: TaskRNG | None = None,
    *,
    batch_size: int | None = None,
    noise_on: bool = True,
    locations: Sequence[int] | None = None,
) -> Trial:
    """Generate one batch of trials of one task.

    Parameters
    ----------
    rule : str
        Task name: ``overlap``, ``zero_gap``, ``gap``, ``gap500``, ``odr`` (1.5-s delay), ``odr<ms>`` (e.g.
        ``odr3000``) or ``odrd``.
    config : TaskConfig
        Task hyper-parameters.
    mode : str
        ``'random'`` (continuous cue angles; needs ``batch_size``), ``'test'`` (``n_eachring × 16`` trials,
        location-major: trial i at location ``i // 16``; ODRD distractor opposite the cue) or, for ODRD only,
        ``'test-X-Y'`` (cue at location X, distractor at Y).
    rng : numpy Generator or RandomState, optional
        Source of cue angles, the ODRD offset and input noise; required if random mode or ``noise_on``.
    batch_size : int, optional
        Trials in random mode.
    noise_on : bool
        Add input noise (on in training and evaluation, off in analyses).
    locations : sequence of int, optional
        ``'test'`` mode only: the location indices whose 16 trials to generate (default all), so that a large test
        batch (360 locations: 5,760 trials) can be run in chunks.

    Returns
    -------
    Trial
    """
    timing = task_timing(rule, config.dt)
    stim, distract = _locations(rule, mode, config, rng, batch_size, locations)
    n_trials = stim.shape[0]
    response = (stim + np.pi) % (2 * np.pi) if timing.anti else stim
    tdim, n_ring = timing.tdim, config.n_eachring

    x = np.zeros((tdim, n_trials, config.n_input), dtype=np.float32)
    x[: timing.fix_off, :, 0] = 1.0
    ring = slice(1, 1 + n_ring)
    x[timing.stim_on : timing.stim_off, :, ring] += ring_bump(stim, n_ring)[None]
    if timing.distract is not None:
        d_on, d_off = timing.distract
        assert distract is not None, f"task {rule!r} has a distractor epoch but no distractor locations"
        x[d_on:d_off, :, ring] += ring_bump(distract, n_ring)[None]
    x[:, :, config.rule_start + rule_index(rule)] = 1.0

    y = np.full((tdim, n_trials, config.n_output), 0.05, dtype=np.float32)
    y[: timing.response_on, :, 0] = 0.8  # through the gap in Gap/Gap500
    y[timing.response_on :, :, 1:] += ring_bump(response, n_ring)[None]
    y_loc = -np.ones((tdim, n_trials), dtype=np.float32)
    y_loc[timing.response_on :, :] = response[None, :]

    c_mask = cost_mask(tdim, n_trials, config.n_output, timing.response_on, config.dt)

    if noise_on:
        if rng is None:
            raise ValueError("noise_on=True needs rng")
        x += rng.standard_normal(x.shape) * config.input_noise_sd
    return Trial(
        rule=rule,
        x=x,
        y=y,
        y_loc=y_loc,
        c_mask=c_mask,
        epochs=dict(timing.epochs),
        stim_locs=stim,
        response_locs=response,
        distract_locs=distract,
    )


def cost_mask(tdim: int, n_trials: int, n_output: int, response_on: int, dt: float = 20.0) -> np.ndarray:
    """Cost mask: 0 for 100 ms, 1 up to ``response_on``, 0 for 100 ms, then 5; fixation column ×2.

    Parameters
    ----------
    tdim, n_trials, n_output : int
        Array shape.
    response_on : int
        Step of response onset (= end of required fixation).
    dt : float
        Time step in ms.

    Returns
    -------
    ndarray, shape (tdim, n_trials, n_output), float32
    """
    mask = np.zeros((tdim, n_trials, n_output), dtype=np.float32)
    mask[response_on + _steps(100, dt) :] = 5.0
    mask[_steps(100, dt) : response_on] = 1.0
    mask[:, :, 0] *= 2.0
    return mask
