"""Training loop of the oculomotor RNN (original ``training/train.py``; shared with the accuracy paper).

Each step trains on one task (uniform choice) with a batch of 64 random trials: loss = masked MSE, gradients clipped
**element-wise** to [-1, 1], Adam (lr 1e-3). At step 0 and every ``eval_every`` steps (before that step's update)
every task is evaluated on ``eval_reps × eval_batch`` random noisy trials, the log is extended and a checkpoint
``checkpoints/<trials>.npz`` (trials = step × batch) is written. Training stops right after the first evaluation
whose minimum perf over tasks exceeds ``target_perf`` (or, with ``continue_after_target``, after ``n_target_evals``
such evaluations, as the accuracy code does), or when ``max_trials`` is reached (flagged in the log).

Randomness: the task RNG (``task_rng='randomstate'``: a ``numpy.random.RandomState(seed)`` as in the original;
``'generator'``: ``numpy.random.default_rng(seed)``) draws task choice, cues, ODRD offsets and input noise. With
``rng_mode='faithful'`` (M12) evaluation consumes the training RNG, in the original order (per task 16 batches of
32); ``'separate_eval'`` draws evaluation trials from an RNG seeded by (seed, step). Recurrent noise comes from
``torch.Generator().manual_seed(seed + 1)`` (training and evaluation), W_out from ``torch.Generator(seed)``.

Deviations from TF: torch's Adam puts ε inside the bias correction (TF1: outside, i.e. ε_t = ε/√(1 − β2^t)); a
step-by-step comparison with the original from the same weights and batches agrees to 4e-4 in loss over 300 steps
and to float32 round-off with TF's ε (docs/accuracy.md), an effect 7× smaller than another recurrent-noise stream.
The Adam slots are kept only in the latest resume state, not in every checkpoint.

Files (all written to a temporary file and moved into place with ``os.replace``): ``config.json``,
``checkpoints/<trials>.npz`` (float32 ``kernel``, ``bias``, ``w_out``, ``b_out``), ``log.json`` and
``resume.pt`` (parameters, Adam state, task-RNG and noise-generator states, log). A run resumes from ``resume.pt``
(the state right after the last evaluation) and continues bit-identically. Ctrl-C raises
:class:`TrainingInterrupted` (a ``KeyboardInterrupt`` that says where the run stopped and the step it resumes from);
:func:`run_cli` prints that as one line with the command that resumes it and exits 130.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from paperrepro.core.errors import UsageError

from .model import LeakyRNN, NetworkConfig, init_weights, masked_mse
from .performance import trial_performance
from .tasks import RULES_ALL_NEW, TaskConfig, TaskRNG, generate_trials

WEIGHT_NAMES = ("kernel", "bias", "w_out", "b_out")


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`train`: says where the run stopped and where it will resume.

    A ``KeyboardInterrupt`` (callers that catch that keep working). Nothing is half-written: every file is replaced
    atomically, and the run resumes from ``resume.pt``, the state right after the last evaluation.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    step, trials : int
        Training step (and trials, step × batch) reached when interrupted.
    resume_step, resume_trials : int
        Step and trials of the saved state a rerun continues from (0 if none was saved yet).
    """

    def __init__(self, run_dir: Path, step: int, resume_step: int, batch_size: int) -> None:
        self.run_dir, self.step, self.resume_step = Path(run_dir), step, max(resume_step, 0)
        self.trials, self.resume_trials = step * batch_size, self.resume_step * batch_size
        super().__init__(
            f"training in {self.run_dir} stopped at step {step:,} ({self.trials:,} trials); "
            f"it resumes from step {self.resume_step:,} ({self.resume_trials:,} trials), the last saved "
            "evaluation"
        )


class RunFolderMismatch(UsageError, ValueError):
    """The run folder holds a run with another configuration (a usage error: choose another folder; exit 2)."""


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of a training run (defaults: the maturation paper).

    Parameters
    ----------
    rules : tuple of str
        Tasks trained and evaluated, in ruleset order.
    n_rnn, n_eachring, activation, w_rec_init, sigma_rec, sigma_x, tau, dt
        Network and task settings (see ``NetworkConfig`` and ``TaskConfig``).
    learning_rate : float
        Adam learning rate.
    batch_size : int
        Trials per training step.
    eval_every : int
        Steps between evaluations/checkpoints.
    eval_reps, eval_batch : int
        Evaluation batches per task and their size (16 × 32 = 512).
    target_perf : float
        Stop when the minimum perf over tasks exceeds this (0.95 effective in the paper run, M2).
    continue_after_target : bool
        Keep going until ``n_target_evals`` evaluations exceeded the target (accuracy code).
    n_target_evals : int
        See ``continue_after_target``.
    max_trials : int
        Safety cap (the original has none); reaching it is flagged in the log.
    stage_thresholds : (float, float, float)
        Early, mid and mature perf for the log's ``growth`` labels.
    seed : int
        Seed of the task RNG, the initialisation and the noise generator.
    rng_mode : str
        ``'faithful'`` or ``'separate_eval'`` (see module docstring).
    task_rng : str
        ``'randomstate'`` (original streams) or ``'generator'``.
    """

    rules: tuple[str, ...] = RULES_ALL_NEW
    n_rnn: int = 256
    n_eachring: int = 8
    activation: str = "softplus"
    w_rec_init: str = "randortho"
    sigma_rec: float = 0.05
    sigma_x: float = 0.01
    tau: float = 100.0
    dt: float = 20.0
    learning_rate: float = 1e-3
    batch_size: int = 64
    eval_every: int = 20
    eval_reps: int = 16
    eval_batch: int = 32
    target_perf: float = 0.95
    continue_after_target: bool = False
    n_target_evals: int = 51
    max_trials: int = 3_000_000
    stage_thresholds: tuple[float, float, float] = (0.35, 0.65, 0.95)
    seed: int = 0
    rng_mode: str = "faithful"
    task_rng: str = "randomstate"

    def task_config(self) -> TaskConfig:
        """Task settings derived from this configuration."""
        return TaskConfig(dt=self.dt, tau=self.tau, n_eachring=self.n_eachring, sigma_x=self.sigma_x)

    def network_config(self) -> NetworkConfig:
        """Network settings derived from this configuration (sizes follow ``n_eachring``)."""
        tc = self.task_config()
        return NetworkConfig(
            n_input=tc.n_input,
            n_rnn=self.n_rnn,
            n_output=tc.n_output,
            tau=self.tau,
            dt=self.dt,
            sigma_rec=self.sigma_rec,
            activation=self.activation,
            w_rec_init=self.w_rec_init,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-compatible dict (tuples as lists)."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainConfig:
        """Inverse of ``to_json``."""
        data = dict(data)
        data["rules"] = tuple(data["rules"])
        data["stage_thresholds"] = tuple(data["stage_thresholds"])
        return cls(**data)


def make_task_rng(kind: str, seed: int | list[int]) -> TaskRNG:
    """Task RNG of the given kind (``'randomstate'`` or ``'generator'``) from an int or a list of ints."""
    if kind == "randomstate":
        if isinstance(seed, int):
            return np.random.RandomState(seed)
        return np.random.RandomState(np.random.SeedSequence(seed).generate_state(4))
    if kind == "generator":
        return np.random.default_rng(seed)
    raise ValueError(f"unknown task_rng {kind!r}")


def _rng_state(rng: TaskRNG) -> Any:
    return rng.get_state() if isinstance(rng, np.random.RandomState) else rng.bit_generator.state


def _set_rng_state(rng: TaskRNG, state: Any) -> None:
    if isinstance(rng, np.random.RandomState):
        rng.set_state(state)
    else:
        rng.bit_generator.state = state


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _atomic_save(path: Path, writer: Callable[[io.BytesIO], object]) -> None:
    buf = io.BytesIO()
    writer(buf)
    atomic_write_bytes(path, buf.getvalue())


def save_checkpoint(path: Path, weights: dict[str, np.ndarray], trials: int, step: int) -> None:
    """Write a weights checkpoint (``.npz``, float32) atomically."""
    arrays = {k: np.asarray(weights[k], dtype=np.float32) for k in WEIGHT_NAMES}
    # numpy's stub also matches ``**arrays`` against ``allow_pickle: bool``; no key of ``arrays`` is "allow_pickle".
    _atomic_save(path, lambda fh: np.savez(fh, trials=np.int64(trials), step=np.int64(step), **arrays))  # type: ignore[arg-type]


def load_checkpoint(path: Path | str) -> dict[str, np.ndarray]:
    """Read a weights checkpoint written by ``save_checkpoint``.

    Returns
    -------
    dict
        ``kernel``, ``bias``, ``w_out``, ``b_out`` (float32) and ``trials``, ``step`` (int).
    """
    with np.load(path) as data:
        out: dict[str, Any] = {k: data[k] for k in WEIGHT_NAMES}
        out["trials"], out["step"] = int(data["trials"]), int(data["step"])
    return out


def list_checkpoints(run_dir: Path | str) -> list[tuple[int, Path]]:
    """``(trials, path)`` of every checkpoint of a run, sorted by trials."""
    folder = Path(run_dir) / "checkpoints"
    found = [(int(p.stem), p) for p in folder.glob("*.npz") if p.stem.isdigit()]
    return sorted(found)


def growth_label(perf: float, thresholds: tuple[float, float, float]) -> str:
    """The original's per-task growth label: ``=>E``, ``E=>MID``, ``MID=>A`` or ``MATURE``."""
    early, mid, mature = thresholds
    if perf <= early:
        return "=>E"
    if perf <= mid:
        return "E=>MID"
    if perf <= mature:
        return "MID=>A"
    return "MATURE"


def evaluate(model: LeakyRNN, config: TrainConfig, rng: TaskRNG, generator: torch.Generator) -> dict[str, dict[str, float]]:
    """Evaluate every task on ``eval_reps × eval_batch`` random noisy trials.

    Batches are drawn and run one by one in the original order (small batches keep the forward pass in cache);
    perf is the mean over all trials, cost the mean of the per-batch costs (as the original).

    Returns
    -------
    dict
        ``{rule: {'perf': float, 'cost': float}}``.
    """
    tcfg = config.task_config()
    out = {}
    with torch.no_grad():
        for rule in config.rules:
            correct, costs = [], []
            for _ in range(config.eval_reps):
                trial = generate_trials(rule, tcfg, "random", rng, batch_size=config.eval_batch)
                _, y_hat = model(torch.from_numpy(trial.x), generator=generator)
                costs.append(float(masked_mse(y_hat, torch.from_numpy(trial.y), torch.from_numpy(trial.c_mask))))
                correct.append(trial_performance(y_hat.numpy(), trial.y_loc)[0])
            out[rule] = {"perf": float(np.mean(np.concatenate(correct))), "cost": float(np.mean(costs))}
    return out


class _Run:
    """Mutable state of one run: model, optimiser, RNGs, log, step."""

    def __init__(self, config: TrainConfig):
        self.config = config
        self.model = LeakyRNN(config.network_config(), init_weights(config.network_config(), config.seed))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.learning_rate, betas=(0.9, 0.999), eps=1e-8)
        self.task_rng = make_task_rng(config.task_rng, config.seed)
        self.noise = torch.Generator().manual_seed(config.seed + 1)
        self.step = 0
        self.evaluated_step = -1
        self.elapsed = 0.0
        self.n_target_hits = 0
        self.log: dict[str, Any] = {"trials": [], "times": [], "perf_avg": [], "perf_min": [], "growth": []}
        for rule in config.rules:
            for key in ("perf_", "cost_", "creg_"):
                self.log[key + rule] = []

    def state(self) -> dict[str, Any]:
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "task_rng": _rng_state(self.task_rng),
            "noise": self.noise.get_state(),
            "step": self.step,
            "evaluated_step": self.evaluated_step,
            "elapsed": self.elapsed,
            "n_target_hits": self.n_target_hits,
            "log": self.log,
            "config": self.config.to_json(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        _set_rng_state(self.task_rng, state["task_rng"])
        self.noise.set_state(state["noise"])
        self.step, self.evaluated_step = state["step"], state["evaluated_step"]
        self.elapsed, self.n_target_hits, self.log = state["elapsed"], state["n_target_hits"], state["log"]


def _eval_rng(run: _Run) -> TaskRNG:
    cfg = run.config
    if cfg.rng_mode == "faithful":
        return run.task_rng
    if cfg.rng_mode == "separate_eval":
        return make_task_rng(cfg.task_rng, [cfg.seed, run.step, 1])
    raise ValueError(f"unknown rng_mode {cfg.rng_mode!r}")


def _evaluate_and_save(run: _Run, run_dir: Path) -> bool:
    """Evaluate, log, checkpoint and write the resume state; return True if training should stop."""
    cfg = run.config
    trials = run.step * cfg.batch_size
    result = evaluate(run.model, cfg, _eval_rng(run), run.noise)
    log = run.log
    log["trials"].append(trials)
    log["times"].append(run.elapsed)
    for rule in cfg.rules:
        log["perf_" + rule].append(result[rule]["perf"])
        log["cost_" + rule].append(result[rule]["cost"])
        log["creg_" + rule].append(0.0)
    perfs = [result[r]["perf"] for r in cfg.rules]
    log["perf_avg"].append(float(np.mean(perfs)))
    log["perf_min"].append(float(np.min(perfs)))
    log["growth"].append({r: growth_label(result[r]["perf"], cfg.stage_thresholds) for r in cfg.rules})
    run.evaluated_step = run.step
    stop = False
    if log["perf_min"][-1] > cfg.target_perf:
        run.n_target_hits += 1
        stop = (not cfg.continue_after_target) or run.n_target_hits >= cfg.n_target_evals
    if not stop and (run.step + cfg.eval_every) * cfg.batch_size > cfg.max_trials:
        log["hit_max_trials"] = 1
        stop = True
    log["finished"] = int(stop)
    save_checkpoint(run_dir / "checkpoints" / f"{trials}.npz", run.model.weights(), trials, run.step)
    atomic_write_bytes(run_dir / "log.json", json.dumps(log).encode())
    _atomic_save(run_dir / "resume.pt", lambda fh: torch.save(run.state(), fh))
    return stop


def _train_step(run: _Run) -> float:
    cfg = run.config
    rule = cfg.rules[int(run.task_rng.choice(len(cfg.rules), p=np.full(len(cfg.rules), 1.0 / len(cfg.rules))))]
    trial = generate_trials(rule, cfg.task_config(), "random", run.task_rng, batch_size=cfg.batch_size)
    _, y_hat = run.model(torch.from_numpy(trial.x), generator=run.noise)
    loss = masked_mse(y_hat, torch.from_numpy(trial.y), torch.from_numpy(trial.c_mask))
    run.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    for p in run.model.parameters():
        assert p.grad is not None, "every LeakyRNN parameter enters the loss, so backward() gives each a gradient"
        p.grad.clamp_(-1.0, 1.0)
    run.optimizer.step()
    return float(loss.detach())


def train(run_dir: Path | str, config: TrainConfig, *, max_steps: int | None = None, progress: bool = True) -> dict[str, Any]:
    """Train (or resume) a network, writing checkpoints and the log to ``run_dir``.

    Parameters
    ----------
    run_dir : path
        Output folder; if it holds ``resume.pt`` the run continues from there (the configuration must match).
    config : TrainConfig
        Hyper-parameters.
    max_steps : int, optional
        Return after this many training steps in total (to split a run; the next call resumes). The run's own
        stopping rule is unaffected.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    dict
        The log (``trials``, ``times``, ``perf_<rule>``, ``cost_<rule>``, ``creg_<rule>``, ``perf_avg``,
        ``perf_min``, ``growth``, ``finished`` and possibly ``hit_max_trials``).
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path = run_dir / "config.json"
    if cfg_path.exists():
        existing = json.loads(cfg_path.read_text())
        if existing != config.to_json():
            raise RunFolderMismatch(
                f"{run_dir} holds a run with a different configuration; use a new folder (--run-dir) or delete that one"
            )
    else:
        atomic_write_bytes(cfg_path, json.dumps(config.to_json(), indent=1, sort_keys=True).encode())
    run = _Run(config)
    resume = run_dir / "resume.pt"
    if resume.exists():
        run.restore(torch.load(resume, weights_only=False))
        if run.log.get("finished"):
            return run.log
    bar = tqdm(total=None, initial=run.step, unit="step", disable=not progress, desc="training")
    t0 = time.perf_counter() - run.elapsed
    saved_step = run.evaluated_step if resume.exists() else -1
    try:
        while True:
            if run.step % config.eval_every == 0 and run.evaluated_step != run.step:
                run.elapsed = time.perf_counter() - t0
                if _evaluate_and_save(run, run_dir):
                    break
                saved_step = run.step
                bar.set_postfix(trials=run.log["trials"][-1], perf_min=f"{run.log['perf_min'][-1]:.3f}")
            if max_steps is not None and run.step >= max_steps:
                break
            _train_step(run)
            run.step += 1
            bar.update(1)
    except KeyboardInterrupt:
        raise TrainingInterrupted(run_dir, run.step, saved_step, config.batch_size) from None
    finally:
        bar.close()
    return run.log


def run_cli(
    prog: str,
    description: str,
    configs: Mapping[str, Callable[[int], TrainConfig]],
    run_dir_for: Callable[[str, int], Path],
    argv: list[str] | None = None,
) -> int:
    """Command line shared by the papers' ``train`` modules: train (or resume) one model and seed with one thread.

    Bad arguments exit 2 with one line (see :mod:`paperrepro.core.cli`); Ctrl-C prints one line saying where the run
    resumes and the command that resumes it, and exits 130.

    Parameters
    ----------
    prog, description
        Shown by ``--help``.
    configs
        Training configuration for a seed, by model name; the first is the default (``--model`` is offered when
        there are several).
    run_dir_for
        The default run folder of a model and seed.
    argv
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when the run finished (or for ``--help``), 2 for bad arguments or a run folder of another configuration,
        130 after Ctrl-C.
    """
    import argparse
    import shlex
    import sys

    from paperrepro.core.cli import INTERRUPTED, OneLineParser, display_path, seed_int
    from paperrepro.core.errors import PaperReproError

    parser = OneLineParser(prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = list(configs)
    if len(names) > 1:
        parser.add_argument("--model", choices=names, default=names[0], help=f"model to train (default {names[0]})")
    parser.add_argument("--seed", type=seed_int, default=0, help="seed of the run (default 0)")
    parser.add_argument("--run-dir", type=Path, help="output folder (default: the paper's data folder)")
    args = parser.parse_or_exit_code(argv)
    if isinstance(args, int):
        return args
    model = getattr(args, "model", names[0])
    torch.set_num_threads(1)
    run_dir = args.run_dir or run_dir_for(model, args.seed)
    try:
        train(run_dir, configs[model](args.seed), progress=True)
    except PaperReproError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except TrainingInterrupted as err:
        command = " ".join([prog, *map(shlex.quote, sys.argv[1:] if argv is None else argv)])
        print(
            f"interrupted (Ctrl-C): training in {display_path(err.run_dir)} stopped at {err.trials:,} trials "
            f"(step {err.step:,}); `{command}` resumes it from {err.resume_trials:,} trials "
            f"(step {err.resume_step:,}, the last checkpoint)",
            file=sys.stderr,
        )
        return INTERRUPTED
    except KeyboardInterrupt:  # before the training loop (reading the resume state): nothing was written
        print(f"interrupted (Ctrl-C) before training started; nothing in {display_path(run_dir)} was changed", file=sys.stderr)
        return INTERRUPTED
    return 0
